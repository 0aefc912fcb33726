"""Pieces of pages kept in the shared cache: the frame, the sections, an article's parts.

A page that misses the page cache (news.cache) is mostly made of pieces that other pages, or
other readers of the same article, share: the header and menu, the footer, the site's identity
and the section list, an article's own content, its related list and pager. Each piece is kept
under a key that holds the page cache's *generation*, so whatever makes cached pages stale (any
change to what readers can see, in any process) makes every stored piece stale with them, at
once. Nothing is kept in one
process's memory.

The cache is an optimisation only: when it is unreachable the piece is rendered as usual.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches

from . import cache as page_cache

KEY = "fragment:{generation}:{name}:{digest}"


def request_generation(request):
    """The page cache generation, read at most once per request (the page cache may have)."""
    if request is None:  # outside a request (a feed's title): ask the cache
        return page_cache.generation()
    value = getattr(request, "_page_generation", None)
    if value is None:
        value = request._page_generation = page_cache.generation()
    return value


def fragment_key(request, name, vary_on):
    digest = hashlib.md5(  # noqa: S324 - a cache key, not a secret
        "\x1f".join(str(value) for value in vary_on).encode(), usedforsecurity=False
    ).hexdigest()
    return KEY.format(generation=request_generation(request), name=name, digest=digest)


def cached_value(request, name, vary_on, load, *, scheduled=False):
    """``load()``'s result, from the cache when a current copy is there.

    ``scheduled``: the value lists articles, so it must not outlive the next scheduled
    publication or expiry (as whole pages do not): a scheduled article appears at its time.
    """
    seconds = settings.PORTAL_FRAGMENT_CACHE_SECONDS
    if not seconds or cache_unavailable(request):
        return load()
    store = caches[settings.PORTAL_PAGE_CACHE_ALIAS]
    try:
        key = fragment_key(request, name, vary_on)
        value = store.get(key)
    except Exception as error:  # noqa: BLE001 - the cache being down must not break pages
        mark_cache_unavailable(request, error)
        return load()
    if value is None:
        value = load()
        try:
            if scheduled:
                next_event = page_cache.seconds_until_next_event()
                if next_event is not None:
                    seconds = min(seconds, int(next_event))
            if seconds > 0:
                store.set(key, value, seconds)
        except Exception as error:  # noqa: BLE001
            mark_cache_unavailable(request, error)
    return value


def cache_unavailable(request):
    """Whether the cache already failed during this request: the rest of the page does not try
    it again, so an outage costs one failed round trip per request, not one per piece."""
    return request is not None and getattr(request, "_cache_unavailable", False)


def mark_cache_unavailable(request, error):
    page_cache.warn(error)
    if request is not None:
        request._cache_unavailable = True
