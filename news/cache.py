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
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe

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


def generation():
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def invalidate(**kwargs):
    """Make every cached page stale, in every process. Connected to content signals."""
    cache = _cache()
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not set yet
            cache.add(GENERATION_KEY, 2, timeout=None)
        cache.delete(NEXT_EVENT_KEY)
    except Exception as error:  # noqa: BLE001 - a cache outage must not break saving
        warn(error)


def seconds_until_next_event():
    """Seconds until the next scheduled publication or expiry, or None if there is none."""
    from .models import Article

    cache = _cache()
    stamp = cache.get(NEXT_EVENT_KEY)
    if stamp is None:
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
        # Saving anything deletes this key, so it only needs to live until that event.
        cache.set(NEXT_EVENT_KEY, stamp, timeout=settings.PORTAL_PAGE_CACHE_SECONDS)
    if not stamp:
        return None
    return max(0, stamp - time.time())


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.path_info
    if any(path.startswith(prefix) for prefix in _excluded_paths()):
        return False
    # Anyone with a session (staff, signed-in users) sees live pages: never served from, or
    # stored in, the cache. Readers have no session, so this costs them no lookup.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not any(name in request.COOKIES for name in settings.PORTAL_PAGE_CACHE_SKIP_COOKIES)


def _excluded_paths():
    # Static files and media are served by WhiteNoise and the web server, never stored here.
    static = "/" + settings.STATIC_URL.lstrip("/") if settings.STATIC_URL else None
    return [*settings.PORTAL_PAGE_CACHE_EXCLUDED_PATHS, *filter(None, [static])]


def _key(request):
    """The stored page for this scheme, host, path and query, compressed or not.

    The language is part of the path (/en/...). The scheme keeps plain-HTTP requests away from
    the pages (SecurityMiddleware redirects them); an invalid Host raises DisallowedHost, and
    such a request is answered by the middleware below instead.
    """
    # The same test GZipMiddleware makes, so the stored copy is the one it would have made.
    gzip = "gz" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "id"
    raw = f"{request.scheme}|{request.get_host()}|{request.get_full_path()}|{gzip}"
    return f"pagecache:page:{hashlib.sha256(raw.encode()).hexdigest()}"


# Set per request, never stored with a page.
_PER_REQUEST_HEADERS = {"X-Page-Cache", "X-Request-ID"}


class AnonymousPageCacheMiddleware:
    """Serve and store whole public pages for anonymous readers (see the module docstring).

    It sits first after the request id, so a stored page is served without the rest of the
    middleware: what that middleware adds (security headers, the Content Security Policy,
    compression, the ETag) was stored with the page. A stored page still answers a
    conditional GET with 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PORTAL_PAGE_CACHE_SECONDS or not _cacheable_request(request):
            return self.get_response(request)
        try:
            key = _key(request)
        except DisallowedHost:
            return self.get_response(request)  # refused below, with the usual 400 page
        try:
            # One round trip: the page and the current generation together.
            found = _cache().get_many([key, GENERATION_KEY])
            current = found.get(GENERATION_KEY) or generation()
            request._page_generation = current  # the page's fragments (news.fragments) use it
        except Exception as error:  # noqa: BLE001 - serve uncached when the cache is down
            warn(error)
            request._cache_unavailable = True  # the page's pieces need not try it (fragments)
            return self.get_response(request)
        cached = found.get(key)
        if cached is not None and cached[0] == current:
            _gen, status, headers, content = cached
            response = get_conditional_response(
                request,
                etag=headers.get("ETag"),
                last_modified=parse_http_date_safe(headers.get("Last-Modified")),
                response=HttpResponse(content, status=status, headers=headers),
            )
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
                    headers = {k: v for k, v in response.items() if k not in _PER_REQUEST_HEADERS}
                    entry = (current, response.status_code, headers, response.content)
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
