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
# The default cache as a site has it (files shared by every process), but the test run's own,
# never the local site's; processes the tests start inherit it, and the media folder with it.
_RUN_DIRS = {
    "MEDIA_ROOT": "portal-test-media-",
    "DJANGO_STATIC_ROOT": "portal-test-static-",
    "PORTAL_CACHE_DIR": "portal-test-cache-",
}
# A pytest-xdist worker inherits these from the controller; workers sharing the cache would
# empty it under each other's tests. So each worker makes its own, and the processes its tests
# start, which find the worker's name in TEST_DIRS_OF_WORKER, keep the worker's.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("TEST_DIRS_OF_WORKER") != _worker:
    for _name in _RUN_DIRS:
        os.environ.pop(_name, None)
    os.environ["TEST_DIRS_OF_WORKER"] = _worker
for _name, _prefix in _RUN_DIRS.items():
    if _name not in os.environ:
        os.environ[_name] = tempfile.mkdtemp(prefix=f"{_prefix}{_worker}-" if _worker else _prefix)

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
