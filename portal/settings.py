"""Settings for the portal, read from the environment.

Every variable a deployer may set is listed in the README's configuration table. Defaults are
safe: debug is off unless asked for, and a secret key is then required.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG")

# The web server (portal.wsgi, portal.asgi) refuses to start without a key when debug is off.
# A command run through manage.py, which sets PORTAL_MANAGEMENT_COMMAND, may go without one:
# Django checks the key only where something is signed (sessions, password reset links) and
# refuses there ("The SECRET_KEY setting must not be empty."), so migrate, import_articles and the
# README's other commands work on a fresh clone. No key is ever made up for them.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"  # noqa: S105
elif not SECRET_KEY and not env_bool("PORTAL_MANAGEMENT_COMMAND"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it to a long random string "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set DJANGO_DEBUG=1 for local development."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # Django's admin with two-factor sign-in (admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_ckeditor_5",
    "reversion",
    "imagekit",
    "dbbackup",
    "csp",
    "django_otp",
    "portal.apps.AuthenticatorAppConfig",  # django_otp.plugins.otp_totp, named in Vietnamese
    "portal.apps.BackupCodesConfig",  # django_otp.plugins.otp_static
    "portal.apps.SignInGuardConfig",  # axes
    "portal.caching",
    "news",
    "agency",
    "readership",
    "gallery",
    "documents",
]

MIDDLEWARE = [
    "portal.request_id.RequestIdMiddleware",
    # First, so a stored page is served with nothing else to run: it was stored with what the
    # middleware below added (security headers, CSP, compression, ETag). portal/caching/.
    "portal.caching.pages.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the views, so responses refused before they reach a view (a Host that is not
    # ours) get these headers too: portal/headers.py.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.headers.PermissionsPolicyMiddleware",
    "portal.headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a lockout into the page in portal/lockout.py.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "NAME": "django",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "news.context_processors.navigation",
                "agency.context_processors.site",
                "agency.context_processors.reader_preferences",
            ],
        },
    },
]

# Database: an SQLite file in the project unless DATABASE_URL names another.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers in other processes work while one writes; IMMEDIATE makes a writer
    # wait its turn at BEGIN instead of failing half-way through a transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis through Django's own backend when configured. Otherwise Django's file-based
# cache, which every process on this machine shares (runserver or gunicorn's workers, and a
# command run in another terminal): a change made in any of them makes every process's pages
# stale at once. It lives beside the site's own data, so two sites never share it: next to
# the SQLite file (db.sqlite3-cache/, as SQLite keeps db.sqlite3-wal), else next to the media.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _site_data = Path(DATABASES["default"]["NAME"])
else:
    _site_data = MEDIA_ROOT
PORTAL_CACHE_DIR = Path(
    os.environ.get("PORTAL_CACHE_DIR") or _site_data.with_name(f"{_site_data.name}-cache")
)
# Read counts waiting for their batch when there is no Redis (readership/stores.py): a small
# SQLite file that every process counts into atomically, beside the cache (db.sqlite3-reads).
PORTAL_READS_FILE = Path(
    os.environ.get("PORTAL_READS_FILE")
    or PORTAL_CACHE_DIR.with_name(f"{PORTAL_CACHE_DIR.name.removesuffix('-cache')}-reads")
)
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    _cache_timeout = env_int("PORTAL_CACHE_TIMEOUT_MS", 1000) / 1000
    CACHES = {
        "default": {
            "BACKEND": "portal.caching.backends.PooledRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "portal"),
            # A Redis that stops answering must cost a request this long, not a worker.
            "OPTIONS": {
                "socket_connect_timeout": _cache_timeout,
                "socket_timeout": _cache_timeout,
            },
        }
    }
elif not CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(PORTAL_CACHE_DIR),
            # Each write lists the folder to see whether it is full (about 1 ms a thousand
            # entries); when full, a third of the entries leave at random.
            "OPTIONS": {"MAX_ENTRIES": env_int("PORTAL_CACHE_MAX_ENTRIES", 2000)},
        },
        # imagekit's notes of which renditions exist. Without Redis, asking the storage (on
        # this machine's disk, a stat) is cheaper than the file cache, whose every write lists
        # its folder: an import of photos wrote some 30 notes a page (bench/RESULTS.md).
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    IMAGEKIT_CACHE_BACKEND = "renditions"
elif CACHE_URL.startswith("locmem://"):
    # One process's memory: for a single-process experiment only, never for a site.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL/REDIS_URL must start with redis://, rediss:// or locmem://, not {CACHE_URL!r}."
    )

# Where the admin lives; moving it away from /admin/ keeps most scanners off the login page.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin").strip("/") + "/"

# The anonymous full-page cache (portal/caching/pages.py). 0 turns it off.
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 300)
PORTAL_PAGE_CACHE_ALIAS = "default"
PORTAL_PAGE_CACHE_EXCLUDED_PATHS = [
    f"/{ADMIN_URL}",
    "/xem-truoc/",
    "/en/xem-truoc/",
    "/bien-tap/",
    "/en/bien-tap/",
    "/healthz",
]
# Readers who chose their own display (contrast, text size) get pages made for them.
PORTAL_PAGE_CACHE_SKIP_COOKIES = ["tuong-phan", "co-chu"]  # agency.preferences
# Fragments: parts of pages many pages share (header, footer, lists), kept under the page
# cache's generation (portal/caching/fragments.py); they matter when a page is not in the page
# cache. 0 turns them off.
PORTAL_FRAGMENT_CACHE_SECONDS = env_int("PORTAL_FRAGMENT_CACHE_SECONDS", 3600)
# HTTP caches in front of the site, told to drop their pages when content changes
# (portal/caching/edge.py): Varnish addresses, comma-separated, e.g. http://127.0.0.1:8080.
PORTAL_EDGE_CACHES = [
    {"BACKEND": "portal.caching.edge.VarnishBan", "LOCATION": url.strip()}
    for url in os.environ.get("PORTAL_VARNISH_URLS", "").split(",")
    if url.strip()
]

# Sign-in protection. django-axes: after PORTAL_LOGIN_FAILURE_LIMIT wrong passwords for one user
# from one address, that pair is locked for PORTAL_LOGIN_LOCKOUT_MINUTES; a superuser unlocks it
# by deleting the attempt in the admin. django-otp: staff give a second factor (TOTP or a backup
# code) when PORTAL_STAFF_2FA is on, which it is unless debug is on or DJANGO_STAFF_2FA=0.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PORTAL_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.lockout.locked_out"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("DJANGO_BEHIND_PROXY", False) else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
PORTAL_STAFF_2FA = env_bool("DJANGO_STAFF_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Cổng thông tin điện tử"
# Staff set up their own factor (portal/two_factor.py), which shows a secret once, to its owner:
# the admin's pages for superusers never show an app's key or QR code, nor backup codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Argon2 first: new passwords use it, older hashes are upgraded when their users sign in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("Tiếng Anh"))]
# locale/ is the portal's own catalogue (makemessages writes there; msgids are Vietnamese, so
# en translates and vi repeats them); locale_overrides/ completes Django's and reversion's vi.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# fixtures/portal.json: the agency's identity, pages and links for a first run (seed_portal).
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")  # MEDIA_ROOT: with the cache, above
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# S3-compatible object storage for media, so several application servers share it.
# Credentials come from the environment as boto3 reads them (AWS_ACCESS_KEY_ID, ...).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # "http:" only where media are read over plain HTTP (the local cluster, README).
            "url_protocol": os.environ.get("AWS_S3_URL_PROTOCOL") or "https:",
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
        },
    }

# Backups (django-dbbackup): `make backup` writes one archive of the database and the media.
PORTAL_BACKUP_DIR = Path(os.environ.get("PORTAL_BACKUP_DIR", BASE_DIR / "backups"))
STORAGES["dbbackup"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PORTAL_BACKUP_DIR)},
}
DBBACKUP_CONNECTOR_MAPPING = {
    # SQLite's own online-backup API: a consistent copy even while the site is writing.
    "django.db.backends.sqlite3": "dbbackup.db.sqlite.SqliteBackupConnector",
}
DBBACKUP_SEND_EMAIL = False

# Image renditions (django-imagekit): made once when a file is saved, kept in media storage.
IMAGEKIT_CACHEFILE_DIR = "renditions"
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"

# Uploads.
PORTAL_IMAGE_MAX_BYTES = env_int("PORTAL_IMAGE_MAX_BYTES", 20 * 1024 * 1024)
# Counted over every frame; at 48 million no upload takes a worker above 500 MB
# (bench/upload_memory.py).
PORTAL_IMAGE_MAX_PIXELS = env_int("PORTAL_IMAGE_MAX_PIXELS", 48_000_000)
# Videos (gallery/files.py): checked by size before anything is read.
PORTAL_VIDEO_MAX_BYTES = env_int("PORTAL_VIDEO_MAX_BYTES", 500 * 1024 * 1024)
# Files of legal documents and drafts (documents/files.py).
PORTAL_DOCUMENT_MAX_BYTES = env_int("PORTAL_DOCUMENT_MAX_BYTES", 50 * 1024 * 1024)
# Comments on drafts (documents/comment_rate.py): at most this many per address per hour.
PORTAL_COMMENT_RATE = env_int("PORTAL_COMMENT_RATE", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# Security. With debug off every protection is on; DJANGO_SECURE_SSL_REDIRECT=0 turns only the
# redirect off (behind a proxy that redirects already, or for local trials over plain HTTP).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Staff sessions end when the browser closes, or after this long without a request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    if env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A form refused for its CSRF token (usually one left open too long) gets the site's 403 page.
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"


def url_origin(url):
    """The origin of an absolute URL as a CSP source ("https://cdn.example.vn"), else None."""
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else parts.netloc


# Where uploaded images come from when not from this site: the media URL's host, or the bucket's
# (its CDN domain, its S3-compatible server, or AWS's host names for it).
PORTAL_MEDIA_ORIGINS = [url_origin(MEDIA_URL)]
if AWS_STORAGE_BUCKET_NAME:
    _s3 = STORAGES["default"]["OPTIONS"]
    if _s3["custom_domain"]:
        # A host, possibly with a path on it (the edge's "portal.example.gov.vn/media").
        _media_host = _s3["custom_domain"].split("/", 1)[0]
        PORTAL_MEDIA_ORIGINS.append(f"{_s3['url_protocol']}//{_media_host}")
    elif _s3["endpoint_url"]:
        _endpoint = urlsplit(_s3["endpoint_url"])
        PORTAL_MEDIA_ORIGINS += [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{AWS_STORAGE_BUCKET_NAME}.{_endpoint.netloc}",
        ]
    else:
        PORTAL_MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com")
        if _s3["region_name"]:
            PORTAL_MEDIA_ORIGINS.append(
                f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_s3['region_name']}.amazonaws.com"
            )
PORTAL_MEDIA_ORIGINS = [origin for origin in PORTAL_MEDIA_ORIGINS if origin]

# Content Security Policy (django-csp, through portal.headers). Readers' pages run only our own
# script files and stylesheets: nothing inline, no eval, and no nonce, because the page cache
# (portal/caching/pages.py) hands one stored response to many readers (it refuses to store one
# that used a nonce). The admin has its own policy, below; the README explains both.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *PORTAL_MEDIA_ORIGINS],
        # Videos (gallery) come from the media host too; their text tracks from this site.
        "media-src": [SELF, *PORTAL_MEDIA_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# CKEditor 5 writes <style> elements and style attributes as it runs, so the admin allows inline
# styles; its scripts stay our own files, or inline ones carrying the response's nonce
# ({{ request.csp_nonce }}; the admin is never cached). Images are as on public pages: the editor
# previews a photo being uploaded as a data: URL, and uses no blob: URLs.
PORTAL_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
    }
}
# Browser features the portal never uses, refused to it and to anything it might embed.
PORTAL_PERMISSIONS_POLICY_DENIED = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "browsing-topics",
]

# One line per record, each with the request id that the response also carries (X-Request-ID).
# Django's request logging names the path and status only: no cookies, sessions or passwords.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.request_id.RequestIdFilter"}},
    "formatters": {
        "line": {
            "()": "portal.request_id.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}

# The rich-text editor (CKEditor 5). The toolbar and the sanitiser's allowlist in
# news/sanitize.py describe the same set of elements: keep them in step.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "news:editor-image-upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp"]
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "vi",
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "insertTable",
                "|",
                "imageUpload",
                "|",
                "undo",
                "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Đoạn văn", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "Tiêu đề 2",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "Tiêu đề 3",
                    "class": "ck-heading_heading3",
                },
                {
                    "model": "heading4",
                    "view": "h4",
                    "title": "Tiêu đề 4",
                    "class": "ck-heading_heading4",
                },
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative", "toggleImageCaption"],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "link": {"addTargetToExternalLinks": False, "defaultProtocol": "https://"},
    },
}
