"""Staff sign-in: throttling (django-axes) and two-factor sign-in (django-otp)."""

import base64
import json
import re
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


# -- the first correct code signs in ----------------------------------------------------


@pytest.fixture
def with_backup_codes(enrolled):
    """The usual staff member: an authenticator app and a set of backup codes."""
    user, app = enrolled
    codes = StaticDevice.objects.create(user=user, name="Mã dự phòng", confirmed=True)
    StaticToken.objects.create(device=codes, token="d6ng5fa2")
    return user, app


def test_the_first_correct_code_signs_in_without_choosing_a_device(two_factor, enrolled):
    user, device = enrolled
    client = Client()
    response = sign_in(client, user, otp_token=current_code(device))
    assert response.status_code == 302, response.content.decode()
    assert client.get("/admin/").status_code == 200


def test_the_code_says_which_device_it_is_for(two_factor, with_backup_codes):
    user, app = with_backup_codes
    by_app = Client()
    assert sign_in(by_app, user, otp_token=current_code(app)).status_code == 302
    assert by_app.get("/admin/").status_code == 200
    by_backup_code = Client()
    assert sign_in(by_backup_code, user, otp_token="d6ng5fa2").status_code == 302
    assert by_backup_code.get("/admin/").status_code == 200


def test_a_wrong_first_code_counts_against_one_device_only(two_factor, with_backup_codes):
    user, app = with_backup_codes
    wrong = f"{(int(current_code(app)) + 1) % 1000000:06d}"
    response = sign_in(Client(), user, otp_token=wrong)
    assert response.status_code == 200
    assert "Hãy chọn thiết bị xác thực." not in response.content.decode()
    app.refresh_from_db()
    backup = StaticDevice.objects.get(user=user)
    assert (app.throttling_failure_count, backup.throttling_failure_count) == (1, 0)


def test_an_unconfirmed_or_foreign_device_is_not_used_to_sign_in(
    two_factor, enrolled, django_user_model
):
    user, app = enrolled
    pending = TOTPDevice.objects.create(user=user, name="Chưa xác nhận", confirmed=False)
    other = django_user_model.objects.create_user("khac", password="x", is_staff=True)
    foreign = TOTPDevice.objects.create(user=other, name="Của người khác", confirmed=True)
    for device in (pending, foreign):
        response = sign_in(
            Client(), user, otp_token=current_code(device), otp_device=device.persistent_id
        )
        assert response.status_code == 200
        app.refresh_from_db()
        assert app.throttling_failure_count == 1  # tried against the user's own app: wrong
        app.throttle_reset()


# -- setting up one's own second factor -------------------------------------------------

TWO_FACTOR = reverse("admin:two-factor")


def start(client):
    response = client.post(TWO_FACTOR, {"action": "start"})
    assert response.status_code == 200
    return response, TOTPDevice.objects.filter(confirmed=False).latest("pk")


def test_a_staff_member_without_a_factor_is_sent_to_set_one_up(two_factor, staff_user):
    client = Client()
    response = sign_in(client, staff_user)
    assert response.status_code == 302 and response["Location"] == TWO_FACTOR
    page = client.get(TWO_FACTOR).content.decode()
    assert "Tài khoản bientap chưa có xác thực hai lớp" in page
    assert "Thiết lập ứng dụng xác thực" in page
    # The password alone signs nobody in: only this page is open to them.
    assert client.get("/admin/").status_code == 302
    assert not client.get(TWO_FACTOR).wsgi_request.user.is_authenticated


def test_staff_set_up_their_app_and_the_first_correct_code_signs_them_in(two_factor, staff_user):
    client = Client()
    sign_in(client, staff_user)
    response, app = start(client)
    page = response.content.decode()
    secret = base64.b32encode(app.bin_key).decode()
    assert app.user == staff_user and not app.confirmed
    assert '<img class="qr-code" src="data:image/svg+xml;base64,' in page
    qr = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)
    assert base64.b64decode(qr).startswith(b"<svg")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page

    # The secret is shown once: not again on this page, nor after a wrong code.
    again = client.get(TWO_FACTOR).content.decode()
    assert secret[:8] not in again and "data:image/svg+xml" not in again
    assert "Mã QR chỉ hiện một lần" in again
    wrong = f"{(int(current_code(app)) + 1) % 1000000:06d}"
    refused = client.post(TWO_FACTOR, {"action": "confirm", "code": wrong})
    assert refused.status_code == 400
    assert "Mã chưa đúng" in refused.content.decode() and secret[:8] not in refused.content.decode()
    app.refresh_from_db()
    assert not app.confirmed
    assert client.get("/admin/").status_code == 302

    too_soon = client.post(TWO_FACTOR, {"action": "confirm", "code": current_code(app)})
    assert "hãy đợi vài giây" in too_soon.content.decode()  # a wrong code slows the next try
    app.throttle_reset()
    confirmed = client.post(TWO_FACTOR, {"action": "confirm", "code": current_code(app)})
    assert confirmed.status_code == 302 and confirmed["Location"] == TWO_FACTOR
    app.refresh_from_db()
    assert app.confirmed

    # The backup codes, made with the app, are shown on the next page only.
    page = client.get(TWO_FACTOR).content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", page)
    stored = set(
        StaticToken.objects.filter(device__user=staff_user).values_list("token", flat=True)
    )
    assert len(codes) == 10 and set(codes) == stored
    assert "Đã bật xác thực hai lớp" in page and "Còn 10 mã chưa dùng" in page
    assert not re.findall(r"<li><code>(\w+)</code></li>", client.get(TWO_FACTOR).content.decode())
    assert client.get("/admin/").status_code == 200  # signed in, and verified by the app

    # A backup code then signs in, once, and so does the app.
    later = Client()
    assert sign_in(later, staff_user, otp_token=codes[0]).status_code == 302
    assert later.get("/admin/").status_code == 200


def test_a_new_phone_replaces_the_old_app_and_new_backup_codes_replace_the_old(
    two_factor, with_backup_codes
):
    user, old_app = with_backup_codes
    client = Client()
    assert sign_in(client, user, otp_token=current_code(old_app)).status_code == 302
    _response, new_app = start(client)
    client.post(TWO_FACTOR, {"action": "confirm", "code": current_code(new_app)})
    assert list(TOTPDevice.objects.filter(user=user)) == [new_app]
    assert StaticToken.objects.filter(token="d6ng5fa2").exists()  # kept: the user has them

    assert client.post(TWO_FACTOR, {"action": "backup-codes"}).status_code == 302
    codes = re.findall(r"<li><code>(\w+)</code></li>", client.get(TWO_FACTOR).content.decode())
    assert len(codes) == 10 and not StaticToken.objects.filter(token="d6ng5fa2").exists()


def test_one_sets_up_a_factor_for_oneself_only(two_factor, staff_user, django_user_model):
    other = django_user_model.objects.create_user("nguoikhac", password="x", is_staff=True)
    others_app = TOTPDevice.objects.create(user=other, name="Ứng dụng", confirmed=False)
    client = Client()
    sign_in(client, staff_user)
    client.post(TWO_FACTOR, {"action": "start", "user": other.pk})
    assert not TOTPDevice.objects.filter(user=other).exclude(pk=others_app.pk).exists()

    # Someone else's pending app cannot be confirmed from this session, even with its code.
    session = client.session
    session["portal_2fa_pending_app"] = others_app.pk
    session.save()
    response = client.post(TWO_FACTOR, {"action": "confirm", "code": current_code(others_app)})
    assert response.status_code == 400
    others_app.refresh_from_db()
    assert not others_app.confirmed


def test_the_page_is_closed_to_anyone_else(two_factor, enrolled, django_user_model):
    assert Client().get(TWO_FACTOR).status_code == 302  # nobody signing in
    reader = Client()
    reader.force_login(django_user_model.objects.create_user("bandoc", password="x"))
    assert reader.get(TWO_FACTOR).status_code == 302  # not staff
    user, _app = enrolled
    password_only = Client()
    password_only.force_login(user)  # has an app, but did not use it
    assert password_only.post(TWO_FACTOR, {"action": "start"}).status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_backup_codes_need_a_factor_first(two_factor, staff_user):
    client = Client()
    sign_in(client, staff_user)
    assert client.post(TWO_FACTOR, {"action": "backup-codes"}).status_code == 400
    assert not StaticDevice.objects.exists()


def test_the_password_opens_the_set_up_page_for_ten_minutes(two_factor, staff_user):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        client = Client()
        sign_in(client, staff_user)
        assert client.get(TWO_FACTOR).status_code == 200
        clock.shift(timedelta(minutes=11))
        assert client.get(TWO_FACTOR).status_code == 302


def test_staff_set_up_their_factor_before_two_factor_sign_in_is_on(staff_client, staff_user):
    page = staff_client.get(TWO_FACTOR).content.decode()
    assert "đang tắt đăng nhập hai lớp" in page
    _response, app = start(staff_client)
    assert (
        staff_client.post(TWO_FACTOR, {"action": "confirm", "code": current_code(app)}).status_code
        == 302
    )
    assert TOTPDevice.objects.get(user=staff_user).confirmed


def test_the_admin_links_to_ones_own_factor(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{TWO_FACTOR}">Xác thực hai lớp</a>' in page
