"""Staff sessions: they end with the browser or when idle, and a password change ends the others."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sessions_end_with_the_browser_and_after_an_idle_time():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # the idle clock restarts on each request
    assert settings.SESSION_COOKIE_AGE == 60 * 60


def test_the_session_cookie_is_a_browser_session_cookie(staff_user):
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": staff_user.username, "password": "mat-khau-an-toan-1", "next": "/admin/"},
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def test_a_password_change_ends_the_users_other_sessions(staff_user):
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        client.force_login(staff_user)
        assert client.get(reverse("admin:index")).status_code == 200
    response = laptop.post(
        reverse("admin:password_change"),
        {
            "old_password": "mat-khau-an-toan-1",
            "new_password1": "Mat-khau-moi-2026!",
            "new_password2": "Mat-khau-moi-2026!",
        },
    )
    assert response.status_code == 302
    assert laptop.get(reverse("admin:index")).status_code == 200  # the one that changed it
    assert phone.get(reverse("admin:index")).status_code == 302  # sent to the login page
