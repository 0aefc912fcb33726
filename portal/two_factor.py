"""Staff's second factor (django-otp): the admin's login form, and the page where each staff
member sets up their own authenticator app and backup codes, without a superuser.

Who may set up whose factor is decided here, on the server, from the session alone: the page
acts on the person signed in, never on a user named in the request. Someone who already has a
factor must have signed in with it (when two-factor sign-in is on) to replace it. Someone who has
none yet, and has just given the right password at the login form, may do one thing for a few
minutes: set one up; its first correct code then signs them in.

An app's secret is shown once, in the response to "start": it is never sent again, and the app
counts only once a code computed from it has been typed back (``confirmed``).
"""

import base64
import time
from datetime import timedelta

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10
# How long the right password alone keeps the set-up page open, and a new app waits for its code.
ENROL_MINUTES = 10
SIGNING_IN = "portal_2fa_signing_in"  # session keys
PENDING = "portal_2fa_pending_app"
NEW_CODES = "portal_2fa_new_codes"  # until the page after shows them, once


def confirmed_devices(user):
    return list(devices_for_user(user, confirmed=True))


def device_for_code(devices, code):
    """Which of ``devices`` a code typed without choosing a device is for: the only device;
    else the only authenticator app when the code has an app's shape (six digits), or the only
    set of backup codes when it has not. None when that stays open (two apps): the form then
    lists the devices.

    One device is tried, never each in turn: a wrong code counts against the device it tried."""
    if len(devices) == 1:
        return devices[0]
    code = code.strip()
    apps = [device for device in devices if isinstance(device, TOTPDevice)]
    if code.isdigit() and any(len(code) == app.digits for app in apps):
        fits = apps
    else:
        fits = [device for device in devices if isinstance(device, StaticDevice)]
    return fits[0] if len(fits) == 1 else None


class StaffLoginForm(OTPAdminAuthenticationForm):
    """django-otp's admin login form, where the first correct code signs in.

    django-otp wants a device chosen from a list it shows only after a failed try; here the code
    says which device it is for (device_for_code). A staff member with no factor yet is sent to
    set one up (``needs_enrolment``, read by PortalAdminSite.login)."""

    needs_enrolment = None

    def clean_otp(self, user):
        if user is None:
            return super().clean_otp(user)
        devices = confirmed_devices(user)
        if not devices:
            self.needs_enrolment = user
            raise forms.ValidationError(
                _("Tài khoản chưa có xác thực hai lớp."), code="enrolment_required"
            )
        if self.cleaned_data.get("otp_device") not in {d.persistent_id for d in devices}:
            # Nothing chosen, or a device that is unconfirmed or someone else's.
            device = device_for_code(devices, self.cleaned_data.get("otp_token") or "")
            self.cleaned_data["otp_device"] = device.persistent_id if device else ""
        return super().clean_otp(user)

    @staticmethod
    def device_choices(user):
        devices = devices_for_user(user, confirmed=True)
        return [("", _("Tự nhận ra theo mã đã nhập"))] + [
            (d.persistent_id, d.name) for d in devices
        ]


def begin_enrolment(request, user):
    """Let this browser set up ``user``'s first factor for ENROL_MINUTES, without signing in."""
    request.session.cycle_key()
    request.session[SIGNING_IN] = {
        "user": user.pk,
        "hash": user.get_session_auth_hash(),  # a new password ends it
        "until": time.time() + ENROL_MINUTES * 60,
    }


def enrolment_subject(request):
    """The staff member whose factor this request may set up, or None.

    The signed-in staff member: verified with their factor when two-factor sign-in is on and
    they have one. Otherwise the one who gave the right password (begin_enrolment) and still has
    no factor."""
    user = request.user
    if user.is_authenticated:
        if not (user.is_active and user.is_staff):
            return None
        if settings.PORTAL_STAFF_2FA and not user.is_verified() and confirmed_devices(user):
            return None
        return user
    signing_in = request.session.get(SIGNING_IN)
    if not signing_in or signing_in["until"] < time.time():
        return None
    user = get_user_model().objects.filter(pk=signing_in["user"]).first()
    if user is None or not (user.is_active and user.is_staff) or confirmed_devices(user):
        return None
    if not constant_time_compare(signing_in["hash"], user.get_session_auth_hash()):
        return None
    return user


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số đang hiện trong ứng dụng"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )


def qr_code(url):
    """The otpauth:// address as a QR code, an SVG data: URL for an <img> (allowed by the CSP)."""
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def spaced(secret):
    """The secret as an app's manual entry asks for it, in groups of four."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def issue_backup_codes(user):
    """A new set of BACKUP_CODES one-time codes for ``user``, replacing any earlier set."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=gettext("Mã dự phòng"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@method_decorator(never_cache, name="dispatch")
class TwoFactorView(View):
    """The staff member's own page: their factor as it stands, setting up an authenticator
    app (QR code, then a code to confirm it) and new backup codes."""

    admin_site = None
    template_name = "admin/two_factor.html"

    def dispatch(self, request, *args, **kwargs):
        self.subject = enrolment_subject(request)
        if self.subject is None:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(
            request,
            form=CodeForm() if self.pending_app(request) else None,
            codes=request.session.pop(NEW_CODES, None),
        )

    def post(self, request):
        actions = {"start": self.start, "confirm": self.confirm}
        if self.has_factor():  # someone still signing in has no factor yet, so no codes
            actions["backup-codes"] = self.new_backup_codes
        action = actions.get(request.POST.get("action"))
        return action(request) if action else self.render(request, status=400)

    def start(self, request):
        with transaction.atomic():
            TOTPDevice.objects.filter(user=self.subject, confirmed=False).delete()
            app = TOTPDevice.objects.create(
                user=self.subject, name=gettext("Ứng dụng xác thực"), confirmed=False
            )
        request.session[PENDING] = app.pk
        secret = base64.b32encode(app.bin_key).decode("ascii")
        return self.render(
            request, form=CodeForm(), qr_code=qr_code(app.config_url), secret=spaced(secret)
        )

    def confirm(self, request):
        form = CodeForm(request.POST)
        app = self.pending_app(request)
        if app is None:
            return self.render(request, expired=True, status=400)
        if not form.is_valid():
            return self.render(request, form=form, status=400)
        with transaction.atomic():
            app = TOTPDevice.objects.select_for_update().get(pk=app.pk)
            if not app.verify_is_allowed()[0]:  # wrong codes make the next try wait
                form.add_error("code", _("Bạn vừa nhập sai; hãy đợi vài giây rồi thử lại."))
                return self.render(request, form=form, status=400)
            if not app.verify_token(form.cleaned_data["code"].strip()):
                form.add_error(
                    "code",
                    _(
                        "Mã chưa đúng. Hãy nhập mã đang hiện trong ứng dụng; nếu chưa quét được "
                        "mã QR, hãy bắt đầu lại."
                    ),
                )
                return self.render(request, form=form, status=400)
            app.confirmed = True
            app.save(update_fields=["confirmed"])
            # One app per person: a new phone replaces the old one.
            TOTPDevice.objects.filter(user=self.subject).exclude(pk=app.pk).delete()
            has_codes = StaticToken.objects.filter(device__user=self.subject).exists()
            codes = None if has_codes else issue_backup_codes(self.subject)
        del request.session[PENDING]
        self.sign_in(request, app)
        messages.success(request, _("Đã bật xác thực hai lớp bằng ứng dụng vừa quét."))
        return self.show_once(request, codes)

    def new_backup_codes(self, request):
        with transaction.atomic():
            codes = issue_backup_codes(self.subject)
        messages.success(request, _("Đã tạo bộ mã dự phòng mới; các mã cũ không còn dùng được."))
        return self.show_once(request, codes)

    def show_once(self, request, codes):
        """Redirect to this page, which shows ``codes`` (if any) on its next view only."""
        if codes:
            request.session[NEW_CODES] = codes
        return redirect("admin:two-factor")

    def pending_app(self, request):
        """The app this browser started to set up, while it waits for its first code."""
        pk = request.session.get(PENDING)
        if pk is None:
            return None
        since = timezone.now() - timedelta(minutes=ENROL_MINUTES)
        return TOTPDevice.objects.filter(
            pk=pk, user=self.subject, confirmed=False, created_at__gte=since
        ).first()

    def has_factor(self):
        return bool(confirmed_devices(self.subject))

    def sign_in(self, request, app):
        """A confirmed app verifies the session; someone still signing in is signed in by it."""
        if request.user.is_authenticated:
            otp_login(request, app)
            return
        self.subject.otp_device = app  # django-otp marks the new session verified by it
        auth.login(request, self.subject, backend="django.contrib.auth.backends.ModelBackend")
        request.session.pop(SIGNING_IN, None)

    def render(self, request, status=200, **context):
        apps = [d for d in confirmed_devices(self.subject) if isinstance(d, TOTPDevice)]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Xác thực hai lớp của bạn"),
            "subject": self.subject,
            "signing_in": not request.user.is_authenticated,
            "apps": apps,
            "backup_codes_left": StaticToken.objects.filter(device__user=self.subject).count(),
            "two_factor_required": settings.PORTAL_STAFF_2FA,
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.template_name, context, status=status)
