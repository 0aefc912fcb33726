"""What the ministry's IT staff rely on: health checks, request ids in logs, the admin's address."""

import io
import json
import logging
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

from tests.conftest import settings_probe

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    import portal.health

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(portal.health.connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_healthz_is_never_served_from_the_page_cache(client):
    client.get("/healthz")
    assert "X-Page-Cache" not in client.get("/healthz")


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/"), client.get("/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]
    given = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a9c21")
    assert given["X-Request-ID"] == "lb-7f3a9c21"
    forged = client.get("/", HTTP_X_REQUEST_ID="<script>\nalert(1)")
    assert forged["X-Request-ID"] != "<script>\nalert(1)"


def broken_view(request):
    raise RuntimeError("hỏng giữa chừng")


urlpatterns = [path("hong/", broken_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_request_error_is_one_log_line_with_the_request_id(settings):
    handler = next(
        h
        for h in logging.getLogger("django").handlers
        if h.get_name() == "console" or isinstance(h, logging.StreamHandler)
    )
    buffer = io.StringIO()
    old_stream = handler.setStream(buffer)
    try:
        client = Client(raise_request_exception=False)
        response = client.get("/hong/?password=bi-mat", HTTP_COOKIE="sessionid=abc123secret")
    finally:
        handler.setStream(old_stream)
    assert response.status_code == 500
    lines = [line for line in buffer.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1
    assert f"[{response['X-Request-ID']}]" in lines[0]
    assert "Internal Server Error: /hong/" in lines[0]
    assert "hỏng giữa chừng" in lines[0]
    assert "abc123secret" not in lines[0] and "bi-mat" not in lines[0]


@pytest.mark.slow
def test_the_admin_can_be_moved():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    assert settings_probe(code, DJANGO_DEBUG="1") == "/admin/"
    assert settings_probe(code, DJANGO_DEBUG="1", DJANGO_ADMIN_URL="/quan-tri-noi-bo/") == (
        "/quan-tri-noi-bo/"
    )
    excluded = settings_probe(
        "from django.conf import settings; print(settings.PORTAL_PAGE_CACHE_EXCLUDED_PATHS[0])",
        DJANGO_DEBUG="1",
        DJANGO_ADMIN_URL="quan-tri-noi-bo",
    )
    assert excluded == "/quan-tri-noi-bo/"


@pytest.mark.slow
def test_passwords_are_hashed_with_argon2():
    code = (
        "import json; from django.contrib.auth.hashers import make_password; "
        "from django.conf import settings; "
        "print(json.dumps([settings.PASSWORD_HASHERS[0], make_password('mat-khau-1')[:9],"
        " len(settings.AUTH_PASSWORD_VALIDATORS)]))"
    )
    first, prefix, validators = json.loads(settings_probe(code, DJANGO_DEBUG="1"))
    assert first == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert prefix == "argon2$ar"
    assert validators == 4
