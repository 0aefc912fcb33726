"""A new staff member's first sign-in with two-factor sign-in on, in Chromium: the password
leads to setting up an authenticator app (QR code, backup codes), and from then on the first
correct code signs in."""

import base64
import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-1"  # make_user's


def app_code(secret, later=0):
    """The code an authenticator app shows for ``secret`` (as the page prints it), ``later``
    seconds from now."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def fill_login(page, username, code=""):
    page.goto(reverse("admin:login"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_new_staff_member_sets_up_their_app_and_signs_in_with_its_first_code(
    open_page, make_user, settings
):
    settings.PORTAL_STAFF_2FA = True
    make_user("reporter", username="phongvien")
    page = open_page()

    fill_login(page, "phongvien")  # no code yet
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:two-factor")) + "$"))
    expect(page.get_by_text("chưa có xác thực hai lớp")).to_be_visible()
    page.get_by_role("button", name="Thiết lập ứng dụng xác thực").click()

    qr = page.get_by_alt_text("Mã QR để thêm tài khoản vào ứng dụng xác thực")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # drawn, not refused by the CSP
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Mã 6 chữ số đang hiện trong ứng dụng").fill(app_code(secret))
    page.get_by_role("button", name="Xác nhận").click()

    expect(page.get_by_text("Đã bật xác thực hai lớp")).to_be_visible()
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    page.goto(reverse("admin:index"))
    expect(page.locator("#desk-drafts")).to_be_visible()  # signed in
    page.locator("#logout-form button").click()

    # The next sign-in: the first correct code is enough, no device to choose.
    fill_login(page, "phongvien", app_code(secret, later=30))  # the app's next code
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:index")) + "$"))
    expect(page.locator("#logout-form")).to_have_count(1)
    page.locator("#logout-form button").click()

    fill_login(page, "phongvien", codes[0])  # a backup code, without choosing it either
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:index")) + "$"))
