"""Security headers on every kind of response: public pages (fresh and from the page cache), the
admin, error pages; the Content Security Policy's two policies and its nonce; production's HSTS."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_common_headers(response):
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def assert_public_policy(response):
    directives = policy(response)
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],  # videos (gallery), from the media host when it is elsewhere
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def test_a_public_page_has_every_header(client, make_article):
    make_article()
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert_public_policy(response)
    assert_common_headers(response)


def test_a_page_from_the_page_cache_has_every_header(client, make_article):
    article = make_article()
    for url in ("/", article.get_absolute_url(), "/en/"):
        first = client.get(url)
        second = client.get(url)
        assert second["X-Page-Cache"] == "hit", url
        assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
        assert_public_policy(second)
        assert_common_headers(second)


def test_the_admin_has_its_own_policy_and_every_header(staff_client):
    for url in ("/admin/login/", "/admin/news/article/add/"):
        response = staff_client.get(url, follow=True)
        assert response.status_code == 200, url
        directives = policy(response)
        assert directives["script-src"] == ["'self'"]  # a nonce only when a page uses one
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"]  # CKEditor 5's styles
        assert directives["img-src"] == ["'self'", "data:"]
        for name in ("default-src", "base-uri", "form-action"):
            assert directives[name] == ["'self'"], name
        assert directives["object-src"] == directives["frame-ancestors"] == ["'none'"]
        assert_common_headers(response)


@override_settings(ADMIN_URL="quan-tri-noi-bo/")
def test_the_admin_policy_follows_the_admin_when_it_moves(client):
    moved = client.get("/quan-tri-noi-bo/dang-nhap/")
    assert "'unsafe-inline'" in policy(moved)["style-src"]
    assert policy(client.get("/admin/"))["style-src"] == ["'self'"]


def test_error_pages_have_every_header(client):
    bad_client = Client(raise_request_exception=False)
    for response in (
        client.get("/khong-co-trang-nay/"),
        client.get("/en/no-such-page/"),
        bad_client.get("/", HTTP_HOST="evil.example"),
        Client(enforce_csrf_checks=True).post("/tim-kiem/", {"q": "x"}),
    ):
        assert response.status_code in (400, 403, 404)
        assert_public_policy(response)
        assert_common_headers(response)


# -- the nonce and the page cache ----------------------------------------------------------

NONCE_PAGE = engines["django"].from_string(
    '<script nonce="{{ request.csp_nonce }}">document.title = "ok";</script>'
)


def page_with_nonce(request):
    return HttpResponse(NONCE_PAGE.render({}, request))


def page_without_nonce(request):
    return HttpResponse("<p>Không cần nonce.</p>")


urlpatterns = [
    path("thu-nonce/", page_with_nonce),
    path("thu-khong-nonce/", page_without_nonce),
    path("admin/thu-nonce/", page_with_nonce),
    *site_urlpatterns,
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_that_uses_a_nonce_is_never_stored_in_the_page_cache(client):
    seen = []
    for _ in range(2):
        response = client.get("/thu-nonce/")
        assert response["X-Page-Cache"] == "miss"
        nonce = response.content.decode().split('nonce="')[1].split('"')[0]
        assert f"'nonce-{nonce}'" not in policy(response)["script-src"]  # public: no nonce
        seen.append(nonce)
    assert seen[0] != seen[1]
    # The same page without a nonce is stored as usual.
    client.get("/thu-khong-nonce/")
    assert client.get("/thu-khong-nonce/")["X-Page-Cache"] == "hit"


@override_settings(ROOT_URLCONF=__name__)
def test_an_admin_page_may_run_an_inline_script_with_its_nonce(client):
    first, second = client.get("/admin/thu-nonce/"), client.get("/admin/thu-nonce/")
    for response in (first, second):
        nonce = response.content.decode().split('nonce="')[1].split('"')[0]
        assert policy(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]


# -- production settings, in a process of their own ----------------------------------------

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/robots.txt", secure=True, HTTP_HOST="portal.example.gov.vn")
plain = Client().get("/robots.txt", HTTP_HOST="portal.example.gov.vn")
print(json.dumps({
    "status": response.status_code, "headers": dict(response.items()),
    "plain": [plain.status_code, plain.get("Location")],
    "img-src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "admin img-src": settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "media-src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"],
}))
"""


def production(tmp_path, *args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "REDIS_URL", "AWS_"))
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        PORTAL_PAGE_CACHE_SECONDS="0",
        **env,
    )
    command = args or ("-c", PROBE)
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(tmp_path, **env):
    result = production(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_production_sends_hsts_and_every_other_header_over_https(tmp_path):
    found = probe(tmp_path)
    assert found["status"] == 200
    headers = found["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Permissions-Policy"] == PERMISSIONS_POLICY
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    # Plain HTTP is sent to HTTPS first.
    assert found["plain"] == [301, "https://portal.example.gov.vn/robots.txt"]


@override_settings(
    SECURE_HSTS_SECONDS=600, SECURE_HSTS_INCLUDE_SUBDOMAINS=False, SECURE_HSTS_PRELOAD=False
)
def test_hsts_follows_its_setting_and_only_over_https(client):
    assert client.get("/robots.txt", secure=True)["Strict-Transport-Security"] == "max-age=600"
    assert "Strict-Transport-Security" not in client.get("/robots.txt")


@pytest.mark.slow
def test_images_from_another_media_host_are_allowed(tmp_path):
    found = probe(tmp_path, DJANGO_MEDIA_URL="https://anh.example.gov.vn/media/")
    assert found["img-src"] == ["'self'", "data:", "https://anh.example.gov.vn"]
    assert found["admin img-src"] == found["img-src"]
    assert found["media-src"] == ["'self'", "https://anh.example.gov.vn"]

    bucket = {"AWS_STORAGE_BUCKET_NAME": "cong-tin"}
    with_cdn = probe(tmp_path, **bucket, AWS_S3_CUSTOM_DOMAIN="cdn.example.gov.vn")
    assert with_cdn["img-src"] == ["'self'", "data:", "https://cdn.example.gov.vn"]
    on_minio = probe(tmp_path, **bucket, AWS_S3_ENDPOINT_URL="https://s3.example.gov.vn")
    assert on_minio["img-src"][2:] == [
        "https://s3.example.gov.vn",
        "https://cong-tin.s3.example.gov.vn",
    ]
    on_aws = probe(tmp_path, **bucket)
    assert on_aws["img-src"][2:] == ["https://cong-tin.s3.amazonaws.com"]


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = production(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
