"""Staff sign-in: throttling (django-axes) and two-factor sign-in (django-otp)."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import settings_probe

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LOGIN = reverse("admin:login")
PASSWORD = "mat-khau-an-toan-1"


def sign_in(client, user, password=PASSWORD, ip="203.0.113.7", **extra):
    return client.post(
        LOGIN,
        {"username": user.username, "password": password, "next": "/admin/", **extra},
        REMOTE_ADDR=ip,
    )


def fail_five_times(client, user, ip="203.0.113.7"):
    statuses = [sign_in(client, user, password="sai-mat-khau", ip=ip).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth wrong password locks the pair


# -- throttling -------------------------------------------------------------------------


def test_five_wrong_passwords_lock_that_user_from_that_address(staff_user):
    client = Client()
    fail_five_times(client, staff_user)
    locked = sign_in(client, staff_user)  # even the right password is refused now
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tạm khóa đăng nhập" in page and "15 phút" in page
    assert not Client().get("/admin/", REMOTE_ADDR="203.0.113.7").wsgi_request.user.is_authenticated


def test_the_same_user_from_another_address_is_not_locked(staff_user):
    fail_five_times(Client(), staff_user, ip="203.0.113.7")
    assert sign_in(Client(), staff_user, ip="198.51.100.9").status_code == 302


def test_the_lock_ends_after_fifteen_minutes(staff_user):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        fail_five_times(Client(), staff_user)
        assert sign_in(Client(), staff_user).status_code == 429
        clock.shift(timedelta(minutes=16))
        assert sign_in(Client(), staff_user).status_code == 302


def test_a_superuser_unlocks_from_the_admin(staff_user, django_user_model):
    from axes.models import AccessAttempt

    fail_five_times(Client(), staff_user)
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("quantri", password="x"))
    attempt = AccessAttempt.objects.get(username=staff_user.username)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and staff_user.username in listing.content.decode()
    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert sign_in(Client(), staff_user).status_code == 302


def _settings_probe(code, **env):
    return json.loads(settings_probe(code, **env))


@pytest.mark.slow
def test_the_numbers_are_settings():
    code = (
        "import json; from django.conf import settings; print(json.dumps(["
        "settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()]))"
    )
    assert _settings_probe(code, DJANGO_DEBUG="1") == [5, 900]
    assert _settings_probe(
        code, DJANGO_DEBUG="1", PORTAL_LOGIN_FAILURE_LIMIT="3", PORTAL_LOGIN_LOCKOUT_MINUTES="60"
    ) == [3, 3600]


# -- two-factor sign-in -----------------------------------------------------------------


@pytest.mark.slow
def test_two_factor_is_required_when_debug_is_off_unless_turned_off():
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.PORTAL_STAFF_2FA))"
    )
    assert _settings_probe(code, DJANGO_SECRET_KEY="k" * 50) is True
    assert _settings_probe(code, DJANGO_SECRET_KEY="k" * 50, DJANGO_STAFF_2FA="0") is False
    assert _settings_probe(code, DJANGO_DEBUG="1") is False  # make run: a local trial


@pytest.fixture
def two_factor(settings):
    settings.PORTAL_STAFF_2FA = True


@pytest.fixture
def enrolled(staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="Điện thoại", confirmed=True)
    return staff_user, device


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_password_alone_is_not_enough(two_factor, enrolled):
    user, _device = enrolled
    client = Client()
    response = sign_in(client, user)
    assert response.status_code == 200
    assert 'name="otp_token"' in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_is_refused(two_factor, enrolled):
    user, device = enrolled
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = sign_in(Client(), user, otp_token=wrong)
    assert response.status_code == 200


def test_the_authenticator_code_lets_the_editor_in(two_factor, enrolled):
    user, device = enrolled
    client = Client()
    response = sign_in(
        client, user, otp_token=current_code(device), otp_device=device.persistent_id
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_works_once(two_factor, staff_user):
    device = StaticDevice.objects.create(user=staff_user, name="Mã dự phòng", confirmed=True)
    StaticToken.objects.create(device=device, token="d6ng5fa2")
    first = Client()
    assert (
        sign_in(
            first, staff_user, otp_token="d6ng5fa2", otp_device=device.persistent_id
        ).status_code
        == 302
    )
    assert first.get("/admin/").status_code == 200
    again = sign_in(Client(), staff_user, otp_token="d6ng5fa2", otp_device=device.persistent_id)
    assert again.status_code == 200


def test_an_unverified_session_is_not_let_in(two_factor, staff_user):
    client = Client()
    client.force_login(staff_user)  # a password-only session
    assert client.get("/admin/").status_code == 302


def test_the_login_page_is_vietnamese(two_factor):
    page = Client().get(LOGIN).content.decode()
    assert "Mã xác thực" in page and "Đăng nhập" in page
    assert "OTP Token" not in page
