"""Whole pages for anonymous readers: the WSGI front that answers stored pages, and the
middleware that stores them.

A page is stored with the headers the middleware below it added (security headers, the
Content Security Policy, compression, the ETag) and with a ``Cache-Control`` that lets an HTTP
cache in front of the site (Varnish, a CDN) keep it exactly as long: never past the next
scheduled change. Requests with a session or a reader-preference cookie are never served
from, or stored in, the cache.
"""

import hashlib
import time
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.http import HttpResponse, QueryDict, parse_cookie
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import parse_etags, parse_http_date_safe

from portal.request_id import HEADER as REQUEST_ID_HEADER
from portal.request_id import request_id_from

from . import store
from .fragments import fragment_key
from .state import TRACKING_PARAMETER, cache_state, query_without_tracking
from .store import GENERATION_KEY, generation, lifetime, shared_cache


def _cacheable(meta):
    """Whether this request may be answered from, or stored in, the page cache.

    ``meta`` is the WSGI environ (request.META): the front decides before Django has built a
    request, and the middleware decides the same way afterwards.
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


def _key(meta, scheme, host, kind="page"):
    """The stored page for this scheme, host, path and query, compressed or not; with
    ``kind="fragments"``, the list of fragments that page used.

    The language is part of the path (/en/...). The scheme keeps plain-HTTP requests away from
    the pages (SecurityMiddleware redirects them). Only the middleware stores a page, and only
    after Django has validated the Host, so a key made from a Host that is not ours never
    names a stored page.
    """
    path = meta.get("SCRIPT_NAME", "") + "|" + meta.get("PATH_INFO", "/")
    parts = [scheme, host, path, query_without_tracking(meta)]
    if kind == "page":
        # The same test GZipMiddleware makes, so the stored copy is the one it would have made.
        parts.append("gz" if re_accepts_gzip.search(meta.get("HTTP_ACCEPT_ENCODING", "")) else "id")
    digest = hashlib.sha256("|".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return f"pagecache:v3:{digest}" if kind == "page" else f"fragments-of:{digest}"


# Set per request, never stored with a page.
_PER_REQUEST_HEADERS = {"X-Page-Cache", "X-Request-ID", "Age"}
# What a 304 repeats of the page's headers (RFC 9110 section 15.4.5; Django keeps the same).
_NOT_MODIFIED_HEADERS = {
    "age",
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

    ``Age`` says how long ago the page was stored, so an HTTP cache in front keeps it only for
    what is left of its ``s-maxage``: never past the next scheduled change either. Requests
    with If-Match or If-Unmodified-Since never get here (see _answerable).
    """
    _gen, status, headers, content, etag, last_modified, stored_at = entry
    headers = [*headers, ("Age", str(max(0, int(time.time() - stored_at))))]
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


def _lookup(key, fragments_key):
    """The stored entry for ``key`` if it is current, the current generation, and the list of
    fragments the page used last time (``fragments_key``). One round trip; ``None`` for what is
    not there or not asked (a key that is ``None``)."""
    found = shared_cache().get_many([k for k in (key, GENERATION_KEY, fragments_key) if k])
    store.read_generation()
    current = found.get(GENERATION_KEY)
    entry = found.get(key)
    if current is None or entry is None or entry[0] != current:
        entry = None
    return entry, current, found.get(fragments_key)


def _fragments_key(meta, scheme, host):
    if not settings.PORTAL_FRAGMENT_CACHE_SECONDS:
        return None
    return _key(meta, scheme, host, kind="fragments")


# How the front tells the middleware what it already looked up, so a miss costs one lookup.
_LOOKUP = "portal.page_cache.lookup"
_UNAVAILABLE = "unavailable"


class PageCacheFront:
    """WSGI application in front of Django's: answers stored pages before Django runs.

    A reader's request for a stored page costs one cache round trip and no Django request,
    middleware or response objects, which is most of what a hit cost (bench/RESULTS.md).
    Anything it cannot answer goes to Django unchanged: the middleware then decides the same
    way, reusing this lookup.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if settings.PORTAL_PAGE_CACHE_SECONDS and _cacheable(environ) and _answerable(environ):
            host = _raw_host(environ)
            if host:
                key = _key(environ, _scheme(environ), host)
                try:
                    entry, current, _used = _lookup(key, None)
                except Exception as error:  # noqa: BLE001 - serve uncached when the cache is down
                    store.warn(error)
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


class ReadQueryDict(QueryDict):
    """``request.GET`` that remembers which parameters the page read.

    A page is stored only when it read every parameter of its query (tracking parameters
    aside): 300 requests for /?x=1 … /?x=300 make no entry, since the page does not read x.
    """

    def __init__(self, query_string):
        self.read = set()
        super().__init__(query_string)
        self.read = set()  # filling the dict asked about every key

    def copy(self):
        """A plain, mutable QueryDict: whoever copies it reads what they use of the copy."""
        return QueryDict(self.urlencode(), mutable=True)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def unread(self):
        """The parameters the page never asked for, tracking parameters aside."""
        return {
            key
            for key in self.keys()
            if key not in self.read and not TRACKING_PARAMETER.fullmatch(key)
        }


class PageCacheMiddleware:
    """Serve and store whole public pages for anonymous readers.

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
        state = cache_state(request)
        if not _cacheable(meta):
            return self._private(self.get_response(request))
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # refused below, with the usual 400 page
        key = _key(meta, request.scheme, host) if settings.PORTAL_PAGE_CACHE_SECONDS else None
        fragments_key = _fragments_key(meta, request.scheme, host)
        looked_up = meta.pop(_LOOKUP, None)
        if looked_up == _UNAVAILABLE:
            state.unavailable = True  # the page's fragments need not try it
            return self._for_the_edge(self.get_response(request), 0)
        used = None
        try:
            if looked_up is not None and looked_up[0] == key:
                # The front found no current page. (It does not ask for the page's fragments:
                # a hit does not need them.)
                current = looked_up[1]
                if fragments_key:
                    used = shared_cache().get(fragments_key)
                entry = None
            elif key or fragments_key:
                entry, current, used = _lookup(key, fragments_key)
            else:
                entry, current = None, None
            if key or fragments_key:
                state.generation = current or generation()
            if entry is None and used:
                self._prefetch(state, used)
        except Exception as error:  # noqa: BLE001 - serve uncached when the cache is down
            store.warn(error)
            state.unavailable = True
            # Nothing knows when this page goes stale: HTTP caches in front must not keep it.
            return self._for_the_edge(self.get_response(request), 0)
        if entry is not None and _answerable(meta):
            status, headers, body = _stored_answer(meta, entry)
            response = HttpResponse(body, status=status, headers=dict(headers))
            response["X-Page-Cache"] = "hit"
            return response

        try:
            request.GET = query = ReadQueryDict(meta.get("QUERY_STRING", ""))
        except SuspiciousOperation:  # too many fields: Django answers 400 further in
            return self.get_response(request)
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        whole = self._storable(request, response) and not query.unread()
        if whole and state.used and state.used != used:
            self._remember(fragments_key, state.used)
        if state.personal:
            return self._private(response)
        stored = False
        if key and whole:
            try:
                stored = self._store(key, state, response)
            except Exception as error:  # noqa: BLE001
                store.warn(error)
        if not stored:
            self._for_the_edge(response, 0)
        if key:
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _prefetch(state, used):
        """Read the fragments this page used last time in one round trip, before it is made."""
        keys = {fragment_key(state.generation, suffix): suffix for suffix in used}
        found = shared_cache().get_many(list(keys))
        state.prefetched = {suffix: found.get(key) for key, suffix in keys.items()}

    @staticmethod
    def _remember(fragments_key, used):
        """Remember which fragments the page used, for the next request that makes it. Names
        only: the list holds across generations, so it is kept as long as a fragment may be."""
        try:
            shared_cache().set(fragments_key, used, settings.PORTAL_FRAGMENT_CACHE_SECONDS)
        except Exception as error:  # noqa: BLE001
            store.warn(error)

    def _store(self, key, state, response):
        current = state.generation
        timeout = lifetime(settings.PORTAL_PAGE_CACHE_SECONDS, state)
        if state.keep_until is not None:  # it shows a fragment kept for less
            timeout = min(timeout, int(state.keep_until - time.time()))
        if timeout > 0 and generation() != current:
            # Something changed while the page was made, and HTTP caches in front were told to
            # drop theirs: this page may show what was there before, so none may keep it.
            timeout = 0
        self._for_the_edge(response, timeout)
        if timeout <= 0:
            return False
        if not response.has_header("ETag"):
            set_response_etag(response)
        headers = [
            (name, value) for name, value in response.items() if name not in _PER_REQUEST_HEADERS
        ]
        last_modified = parse_http_date_safe(response.get("Last-Modified"))
        entry = (
            current,
            response.status_code,
            headers,
            response.content,
            response.get("ETag"),
            last_modified,
            time.time(),
        )
        shared_cache().set(key, entry, timeout)
        return True

    @staticmethod
    def _for_the_edge(response, seconds):
        """Let an HTTP cache in front keep the page ``seconds`` (never past the next scheduled
        change); browsers always ask again, cheaply (ETag, 304)."""
        if not response.has_header("Cache-Control") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=0, s_maxage=max(0, seconds))
        return response

    @staticmethod
    def _private(response):
        """A page made for one person (staff, a reader's display choices): no shared cache may
        keep it."""
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def _storable(request, response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
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
