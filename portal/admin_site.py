"""The admin site: Django's, arranged for a newsroom, with two-factor sign-in for staff when the
settings ask for it."""

from django.conf import settings
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db.models.base import ModelBase
from django.shortcuts import redirect
from django.urls import path

from . import two_factor

# The index's order: the news first, then the ministry's own pages, then accounts; any other
# app after those, and the sign-in machinery last.
APP_ORDER = ["news", "agency", "documents", "gallery", "auth"]
# Lockouts and second factors: every admin page of these apps is for superusers only, whatever
# permissions a staff member has been given. Staff manage their own factor at "two-factor".
SUPERUSER_ONLY_APPS = {"axes", "otp_static", "otp_totp"}


class SuperuserOnlyAdmin:
    """Mixed into the admin of a model in SUPERUSER_ONLY_APPS: hidden from the index and the
    sidebar, and every view refused (403), to anyone but a superuser."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class PortalAdminSite(AdminSite):
    """With PORTAL_STAFF_2FA on (the default when debug is off), a password is not enough:
    staff also give a code from their authenticator app (TOTP) or a one-time backup code, and
    a session that has not been verified that way is not let in. Staff enrol their own factor
    (portal.two_factor); one who has none yet is sent there from the login form."""

    login_template = "admin/login_2fa.html"
    index_template = "admin/index_newsroom.html"

    @property
    def login_form(self):
        return two_factor.StaffLoginForm if settings.PORTAL_STAFF_2FA else AdminAuthenticationForm

    def has_permission(self, request):
        allowed = super().has_permission(request)
        if allowed and settings.PORTAL_STAFF_2FA:
            return request.user.is_verified()
        return allowed

    def each_context(self, request):
        context = super().each_context(request)
        context["staff_2fa"] = settings.PORTAL_STAFF_2FA
        return context

    def register(self, model_or_iterable, admin_class=None, **options):
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            chosen = admin_class or ModelAdmin
            if model._meta.app_label in SUPERUSER_ONLY_APPS:
                chosen = type(chosen.__name__, (SuperuserOnlyAdmin, chosen), {})
            super().register(model, chosen, **options)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)  # by name

        def rank(app):
            label = app["app_label"]
            if label in APP_ORDER:
                return APP_ORDER.index(label)
            return len(APP_ORDER) + (label in SUPERUSER_ONLY_APPS)

        return sorted(apps, key=rank)

    def index(self, request, extra_context=None):
        from news.dashboard import newsroom_desk

        extra_context = {"desk": newsroom_desk(request.user), **(extra_context or {})}
        return super().index(request, extra_context)

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        newcomer = getattr(form, "needs_enrolment", None)
        if newcomer is not None:
            # The right password, and no second factor yet: enrolling one is all it allows.
            two_factor.begin_enrolment(request, newcomer)
            return redirect("admin:two-factor")
        return response

    def get_urls(self):
        enrol = two_factor.TwoFactorView.as_view(admin_site=self)
        return [path("xac-thuc-hai-lop/", enrol, name="two-factor"), *super().get_urls()]
