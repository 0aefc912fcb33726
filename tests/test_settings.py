"""The settings module read afresh in a child process, under a given environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts a Python to read the settings

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
from django.conf import settings
import django
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]), "HOST": db.get("HOST", ""),
    "CONN_MAX_AGE": db["CONN_MAX_AGE"], "CONN_HEALTH_CHECKS": db.get("CONN_HEALTH_CHECKS"),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION", ""),
    "CACHE_OPTIONS": settings.CACHES["default"].get("OPTIONS", {}),
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_CONTENT_TYPE_NOSNIFF": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "X_FRAME_OPTIONS": settings.X_FRAME_OPTIONS,
    "TIME_ZONE": settings.TIME_ZONE, "USE_TZ": settings.USE_TZ,
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def read_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_URL", "CACHE_URL", "REDIS_URL", "MEDIA_ROOT", "PORTAL_")
        )
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def settings_under(**env):
    result = read_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_secret_key_is_required_when_debug_is_off():
    result = read_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_set():
    values = settings_under(DJANGO_SECRET_KEY="k" * 50)
    assert values["DEBUG"] is False


def test_debug_on_needs_no_secret_key():
    assert settings_under(DJANGO_DEBUG="1")["DEBUG"] is True


def test_allowed_hosts_are_comma_separated():
    values = settings_under(
        DJANGO_SECRET_KEY="k" * 50, DJANGO_ALLOWED_HOSTS="molisa.gov.vn, www.molisa.gov.vn,,"
    )
    assert values["ALLOWED_HOSTS"] == ["molisa.gov.vn", "www.molisa.gov.vn"]


def test_default_database_is_sqlite_in_the_project():
    values = settings_under(DJANGO_DEBUG="1")
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(ROOT / "db.sqlite3")


def test_database_url_selects_postgresql_with_persistent_checked_connections():
    values = settings_under(DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p@db.internal:5432/portal")
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["HOST"] == "db.internal"
    assert values["CONN_MAX_AGE"] == 600
    assert values["CONN_HEALTH_CHECKS"] is True


def test_cache_is_shared_files_beside_the_database_by_default_and_redis_when_configured(
    tmp_path,
):
    values = settings_under(DJANGO_DEBUG="1")
    assert values["CACHE"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert values["CACHE_LOCATION"] == str(ROOT / "db.sqlite3-cache")
    assert values["CACHE_OPTIONS"]["MAX_ENTRIES"] == 2000
    # Another site's database, another cache: two sites never share one.
    other = settings_under(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path}/site2.sqlite3")
    assert other["CACHE_LOCATION"] == str(tmp_path / "site2.sqlite3-cache")
    media = tmp_path / "media"
    on_postgres = settings_under(
        DJANGO_DEBUG="1", DATABASE_URL="postgres://u@db/portal", MEDIA_ROOT=str(media)
    )
    assert on_postgres["CACHE_LOCATION"] == str(tmp_path / "media-cache")
    for name in ("REDIS_URL", "CACHE_URL"):
        values = settings_under(DJANGO_DEBUG="1", **{name: "redis://127.0.0.1:6379/3"})
        assert values["CACHE"] == "portal.caching.backends.PooledRedisCache"
        assert values["CACHE_LOCATION"] == "redis://127.0.0.1:6379/3"


def test_unknown_cache_url_is_a_clear_error():
    result = read_settings(DJANGO_DEBUG="1", CACHE_URL="memcached://x")
    assert result.returncode != 0
    assert "CACHE_URL/REDIS_URL must start with" in result.stderr


def test_media_root_is_read_from_the_environment(tmp_path):
    assert settings_under(DJANGO_DEBUG="1", MEDIA_ROOT=str(tmp_path))["MEDIA_ROOT"] == str(tmp_path)


def test_production_turns_on_every_protection():
    values = settings_under(DJANGO_SECRET_KEY="k" * 50)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_ssl_redirect_can_be_turned_off_behind_a_proxy():
    values = settings_under(DJANGO_SECRET_KEY="k" * 50, DJANGO_SECURE_SSL_REDIRECT="0")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is True


def test_time_zone_and_language():
    values = settings_under(DJANGO_DEBUG="1")
    assert values["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert values["USE_TZ"] is True
    assert values["LANGUAGE_CODE"] == "vi"


@pytest.mark.parametrize("bad", ["abc", "1.5"])
def test_bad_number_is_a_clear_error(bad):
    result = read_settings(DJANGO_SECRET_KEY="k" * 50, DJANGO_SECURE_HSTS_SECONDS=bad)
    assert result.returncode != 0
    assert "DJANGO_SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def test_s3_media_storage_is_configured_from_the_environment():
    probe = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="portal.settings",
        AWS_STORAGE_BUCKET_NAME="bo-ldtbxh-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "bo-ldtbxh-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.vn"
    assert settings_under(DJANGO_DEBUG="1")["STATICFILES"].startswith("whitenoise")
