"""The admin site: Django's, with two-factor sign-in for staff when the settings ask for it."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm


class PortalAdminSite(AdminSite):
    """With PORTAL_STAFF_2FA on (the default when debug is off), a password is not enough:
    staff also give a code from their authenticator app (TOTP) or a one-time backup code, and
    a session that has not been verified that way is not let in."""

    login_template = "admin/login_2fa.html"

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.PORTAL_STAFF_2FA else AdminAuthenticationForm

    def has_permission(self, request):
        allowed = super().has_permission(request)
        if allowed and settings.PORTAL_STAFF_2FA:
            return request.user.is_verified()
        return allowed

    def each_context(self, request):
        context = super().each_context(request)
        context["staff_2fa"] = settings.PORTAL_STAFF_2FA
        return context
