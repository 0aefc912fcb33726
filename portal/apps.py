from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"


# The sign-in apps under Vietnamese names (Django's way to rename an app: its own AppConfig in
# INSTALLED_APPS). Their admin pages are for superusers only (portal.admin_site).


class SignInGuardConfig(AxesAppConfig):
    verbose_name = _("Bảo vệ đăng nhập")


class AuthenticatorAppConfig(TOTPConfig):
    verbose_name = _("Xác thực hai lớp: ứng dụng")

    def ready(self):
        super().ready()
        # django-otp names its models in plain English strings, not translatable text, so no
        # catalogue can translate them; their names are given here instead.
        name_model(self.get_model("TOTPDevice"), _("ứng dụng xác thực"))


class BackupCodesConfig(StaticConfig):
    verbose_name = _("Xác thực hai lớp: mã dự phòng")

    def ready(self):
        super().ready()
        name_model(self.get_model("StaticDevice"), _("bộ mã dự phòng"))
        name_model(self.get_model("StaticToken"), _("mã dự phòng"))


def name_model(model, name):
    """Give a third-party model a Vietnamese name (Vietnamese nouns have no plural form).

    Only what the admin prints changes: migrations read the model's declared options."""
    model._meta.verbose_name = name
    model._meta.verbose_name_plural = name
