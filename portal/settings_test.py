"""Test configuration: the production settings, with a throwaway key, fast hashing and temp media.

Debug stays off, as in production, so tests see what readers see.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
# Tests sign staff in with force_login; the two-factor tests turn it on where they need it.
os.environ.setdefault("DJANGO_STAFF_2FA", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="portal-test-media-"))
os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="portal-test-static-"))
# The default cache as a site has it (files shared by every process), but the test run's own,
# never the local site's; processes the tests start inherit it.
os.environ.setdefault("PORTAL_CACHE_DIR", tempfile.mkdtemp(prefix="portal-test-cache-"))

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: backups, restores and other processes must see the same database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="portal-test-db-"), "test.sqlite3")
    }

# A public model with a plain ListView and no cache code (tests/test_caching.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.caching_app"]  # noqa: F405
