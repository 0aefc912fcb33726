"""The anonymous full-page cache.

Public pages seen by anonymous readers are kept whole in Django's cache (Redis in production,
shared by every worker and server). Freshness rests on two rules:

* Any change to what the public can see (an article, category, image, and later the agency's
  pages) bumps one *generation* number stored in the cache itself. Each stored page carries the
  generation it was made in and is served only while that is still current, so every process
  stops serving the old pages at once; there is no per-process state to go stale.
* A page is never kept past the next scheduled publication or expiry, so a scheduled article
  appears at its time without anyone saving anything.

The cache is an optimisation only: when it is unreachable, pages are served uncached and a
warning is logged at most once a minute.
"""

import hashlib
import logging
import secrets
import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse, parse_cookie
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.http import parse_etags, parse_http_date_safe

from portal.request_id import HEADER as REQUEST_ID_HEADER
from portal.request_id import request_id_from

logger = logging.getLogger("portal.cache")

GENERATION_KEY = "pagecache:generation"
NEXT_EVENT_KEY = "pagecache:next-event"
_last_warning = 0.0


def _cache():
    return caches[settings.PORTAL_PAGE_CACHE_ALIAS]


def warn(error):
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= 60:
        _last_warning = now
        logger.warning("Page cache unavailable, serving uncached: %s", error)


def _new_generation():
    # Never a value used before, even after the key was evicted or culled (a counter that
    # starts again at 1 would bring back pages stored under 1 long ago), nor one another
    # process picks at the same moment: random, from the operating system.
    return secrets.randbits(63)


def generation():
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def _bump():
    cache = _cache()
    try:
        # A new value rather than incr(): on the file cache incr is a read and a write, and
        # two processes saving at once could both write the same next number.
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)
        cache.delete(NEXT_EVENT_KEY)
    except Exception as error:  # noqa: BLE001 - a cache outage must not break saving
        warn(error)


def invalidate(**kwargs):
    """Make every cached page stale, in every process. Connected to content signals.

    Once now, and once more when the transaction that made the change commits: a page
    rendered in between, from the data as it was before the commit, would otherwise be
    stored under the new generation and outlive the change.
    """
    _bump()
    connection = transaction.get_connection(kwargs.get("using"))
    if connection.in_atomic_block:
        transaction.on_commit(_bump, using=kwargs.get("using"))


def seconds_until_next_event():
    """Seconds until the next scheduled publication or expiry, or None if there is none."""
    from .models import Article

    cache = _cache()
    stamp = cache.get(NEXT_EVENT_KEY)
    # A stamp that has passed is worked out again: the event after it is not known yet.
    if stamp is None or 0 < stamp <= time.time():
        now = timezone.now()
        published = Article.objects.filter(status=Article.Status.PUBLISHED)
        # One query; each subquery walks an index from now onwards.
        publication = published.filter(published_at__gt=now).order_by("published_at")
        expiry = published.filter(expires_at__gt=now).order_by("expires_at")
        rows = Article.objects.any_of(
            publication.values("pk")[:1], expiry.values("pk")[:1]
        ).values_list("published_at", "expires_at")
        events = [moment for row in rows for moment in row if moment is not None and moment > now]
        stamp = min(events).timestamp() if events else 0
        # Saving anything deletes this key, so it only needs to live until that event, and
        # never longer than anything it bounds (either cache may be off: 0).
        longest = max(settings.PORTAL_PAGE_CACHE_SECONDS, settings.PORTAL_FRAGMENT_CACHE_SECONDS)
        if stamp:
            longest = min(longest, int(stamp - now.timestamp()) + 1)
        if longest > 0:
            cache.set(NEXT_EVENT_KEY, stamp, timeout=longest)
    if not stamp:
        return None
    return max(0, stamp - time.time())


def _cacheable(meta):
    """Whether this request may be answered from, or stored in, the page cache.

    ``meta`` is the WSGI environ (request.META): the front below decides before Django has
    built a request, and the middleware decides the same way afterwards.
    """
    if meta.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    path = meta.get("PATH_INFO", "/")
    if any(path.startswith(prefix) for prefix in _excluded_paths()):
        return False
    cookie_header = meta.get("HTTP_COOKIE")
    if not cookie_header:
        return True  # a reader: no session, no preferences
    cookies = parse_cookie(cookie_header)
    # Anyone with a session (staff, signed-in users) sees live pages: never served from, or
    # stored in, the cache. Readers have no session, so this costs them no lookup.
    if settings.SESSION_COOKIE_NAME in cookies:
        return False
    return not any(name in cookies for name in settings.PORTAL_PAGE_CACHE_SKIP_COOKIES)


def _excluded_paths():
    # Static files and media are served by WhiteNoise and the web server, never stored here.
    static = "/" + settings.STATIC_URL.lstrip("/") if settings.STATIC_URL else None
    return [*settings.PORTAL_PAGE_CACHE_EXCLUDED_PATHS, *filter(None, [static])]


def _scheme(meta):
    """The request's scheme, as HttpRequest.scheme works it out from the same environ."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = meta.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return meta.get("wsgi.url_scheme", "http")


def _raw_host(meta):
    """The Host the request names, unvalidated (HttpRequest.get_host validates it), or None."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
        return meta["HTTP_X_FORWARDED_HOST"]
    return meta.get("HTTP_HOST")


def _key(meta, scheme, host):
    """The stored page for this scheme, host, path and query, compressed or not.

    The language is part of the path (/en/...). The scheme keeps plain-HTTP requests away from
    the pages (SecurityMiddleware redirects them). Only the middleware stores a page, and only
    after Django has validated the Host, so a key made from a Host that is not ours never
    names a stored page.
    """
    # The same test GZipMiddleware makes, so the stored copy is the one it would have made.
    gzip = "gz" if re_accepts_gzip.search(meta.get("HTTP_ACCEPT_ENCODING", "")) else "id"
    raw = "|".join(
        (
            scheme,
            host,
            meta.get("SCRIPT_NAME", ""),
            meta.get("PATH_INFO", "/"),
            meta.get("QUERY_STRING", ""),
            gzip,
        )
    )
    return f"pagecache:v2:{hashlib.sha256(raw.encode('utf-8', 'surrogateescape')).hexdigest()}"


# Set per request, never stored with a page.
_PER_REQUEST_HEADERS = {"X-Page-Cache", "X-Request-ID"}
# What a 304 repeats of the page's headers (RFC 9110 section 15.4.5; Django keeps the same).
_NOT_MODIFIED_HEADERS = {
    "cache-control",
    "content-location",
    "date",
    "etag",
    "expires",
    "last-modified",
    "vary",
}


def _stored_answer(meta, entry):
    """What to answer with a stored page: (status, headers, body), 304 for a conditional GET.

    Requests with If-Match or If-Unmodified-Since never get here (see _answerable).
    """
    _gen, status, headers, content, etag, last_modified = entry
    if _not_modified(meta, etag, last_modified):
        kept = [(name, value) for name, value in headers if name.lower() in _NOT_MODIFIED_HEADERS]
        return 304, kept, b""
    return status, headers, b"" if meta.get("REQUEST_METHOD") == "HEAD" else content


def _not_modified(meta, etag, last_modified):
    if_none_match = meta.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # If-None-Match decides alone when present; If-Modified-Since is then ignored.
        if not etag:
            return False
        wanted = parse_etags(if_none_match)
        return wanted == ["*"] or _weak(etag) in {_weak(tag) for tag in wanted}
    if_modified_since = meta.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since and last_modified is not None:
        since = parse_http_date_safe(if_modified_since)
        return since is not None and last_modified <= since
    return False


def _weak(etag):
    return etag.removeprefix("W/")


def _answerable(meta):
    # Preconditions for writes (If-Match, If-Unmodified-Since) are left to Django's own code.
    return "HTTP_IF_MATCH" not in meta and "HTTP_IF_UNMODIFIED_SINCE" not in meta


def _lookup(key):
    """The stored entry for key, if it is current, and the current generation. One round trip."""
    found = _cache().get_many([key, GENERATION_KEY])
    current = found.get(GENERATION_KEY)
    entry = found.get(key)
    if current is not None and entry is not None and entry[0] == current:
        return entry, current
    return None, current


# How the front tells the middleware what it already looked up, so a miss costs one lookup.
_LOOKUP = "portal.page_cache.lookup"
_UNAVAILABLE = "unavailable"


class PageCacheFront:
    """WSGI application in front of Django's: answers stored pages before Django runs.

    A reader's request for a stored page costs one cache round trip and no Django request,
    middleware or response objects, which is most of what a hit cost (bench/RESULTS.md). The
    page's headers (security headers, CSP, compression, ETag) were stored with it by the
    middleware below. Anything it cannot answer goes to Django unchanged: the middleware then
    decides the same way, reusing this lookup.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if settings.PORTAL_PAGE_CACHE_SECONDS and _cacheable(environ) and _answerable(environ):
            host = _raw_host(environ)
            if host:
                key = _key(environ, _scheme(environ), host)
                try:
                    entry, current = _lookup(key)
                except Exception as error:  # noqa: BLE001 - serve uncached when the cache is down
                    warn(error)
                    environ[_LOOKUP] = _UNAVAILABLE
                else:
                    if entry is not None:
                        return self._serve(environ, start_response, entry)
                    environ[_LOOKUP] = (key, current)
        return self.application(environ, start_response)

    @staticmethod
    def _serve(environ, start_response, entry):
        status, headers, body = _stored_answer(environ, entry)
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [*headers, ("X-Page-Cache", "hit"), (REQUEST_ID_HEADER, request_id)],
        )
        return [body]


class AnonymousPageCacheMiddleware:
    """Serve and store whole public pages for anonymous readers (see the module docstring).

    In production most hits are answered by PageCacheFront before Django runs; this answers
    them when Django is reached another way (the test client, ASGI) and stores every page. It
    sits first after the request id, so what the middleware below adds (security headers, the
    Content Security Policy, compression, the ETag) is stored with the page. A stored page
    still answers a conditional GET with 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if not settings.PORTAL_PAGE_CACHE_SECONDS or not _cacheable(meta):
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # refused below, with the usual 400 page
        key = _key(meta, request.scheme, host)
        looked_up = meta.pop(_LOOKUP, None)
        if looked_up == _UNAVAILABLE:
            request._cache_unavailable = True  # the page's pieces need not try it (fragments)
            return self.get_response(request)
        try:
            if looked_up is not None and looked_up[0] == key:
                entry, current = None, looked_up[1]  # the front found no current page
            else:
                entry, current = _lookup(key)
            current = current or generation()
            request._page_generation = current  # the page's fragments (news.fragments) use it
        except Exception as error:  # noqa: BLE001 - serve uncached when the cache is down
            warn(error)
            request._cache_unavailable = True
            return self.get_response(request)
        if entry is not None and _answerable(meta):
            status, headers, body = _stored_answer(meta, entry)
            response = HttpResponse(body, status=status, headers=dict(headers))
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        if self._storable(request, response):
            try:
                timeout = settings.PORTAL_PAGE_CACHE_SECONDS
                next_event = seconds_until_next_event()
                if next_event is not None:
                    timeout = min(timeout, int(next_event))
                if timeout > 0:
                    if not response.has_header("ETag"):
                        set_response_etag(response)
                    headers = [
                        (name, value)
                        for name, value in response.items()
                        if name not in _PER_REQUEST_HEADERS
                    ]
                    last_modified = parse_http_date_safe(response.get("Last-Modified"))
                    entry = (
                        current,
                        response.status_code,
                        headers,
                        response.content,
                        response.get("ETag"),
                        last_modified,
                    )
                    _cache().set(key, entry, timeout)
            except Exception as error:  # noqa: BLE001
                warn(error)
        response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _storable(request, response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
            and not getattr(request, "_page_cache_skip", False)
            and not _used_csp_nonce(request)
        )


def _used_csp_nonce(request):
    """Whether the page used this request's CSP nonce (django-csp makes one only when asked).

    Stored, such a page would give every later reader the same nonce, and with it a way past the
    Content Security Policy: it is served to this reader only.
    """
    nonce = getattr(request, "csp_nonce", None)
    # django-csp's lazy nonce is falsy until something reads it.
    return bool(nonce)
