"""Pieces of pages kept in the shared cache: the frame, the sections, an article's parts.

A page that misses the page cache (news.cache) is mostly made of pieces that other pages, or
other readers of the same article, share: the header and menu, the footer, the site's identity
and the section list, an article's own content, its related list and pager. Each piece is kept
under a key that holds the page cache's *generation*, so whatever makes cached pages stale (any
change to what readers can see, in any process) makes every stored piece stale with them, at
once. Nothing is kept in one
process's memory.

The pieces a template shows ({% fragment %}) are fetched together: while a template renders,
each piece leaves a marker and its key (Batch below); when the template is done, one round trip
fetches every piece, and only the missing ones are rendered, with the context they would have
had, and stored together. A page's pieces cost one cache round trip, not one each.

The cache is an optimisation only: when it is unreachable the piece is rendered as usual.
"""

import contextvars
import hashlib
import re
import secrets
from collections import defaultdict

from django.conf import settings
from django.core.cache import caches
from django.template.backends.django import DjangoTemplates
from django.template.backends.django import Template as DjangoTemplate
from django.utils import translation
from django.utils.safestring import mark_safe

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


def _store():
    return caches[settings.PORTAL_PAGE_CACHE_ALIAS]


def _timeout(scheduled):
    """How long a piece may be kept: never past the next scheduled publication or expiry when
    it lists articles (``scheduled``), so a scheduled article appears at its time."""
    seconds = settings.PORTAL_FRAGMENT_CACHE_SECONDS
    if scheduled:
        next_event = page_cache.seconds_until_next_event()
        if next_event is not None:
            seconds = min(seconds, int(next_event))
    return seconds


def cached_value(request, name, vary_on, load, *, scheduled=False):
    """``load()``'s result, from the cache when a current copy is there.

    ``scheduled``: the value lists articles, so it must not outlive the next scheduled
    publication or expiry (as whole pages do not): a scheduled article appears at its time.
    """
    seconds = settings.PORTAL_FRAGMENT_CACHE_SECONDS
    if not seconds or cache_unavailable(request):
        return load()
    store = _store()
    try:
        key = fragment_key(request, name, vary_on)
        value = store.get(key)
    except Exception as error:  # noqa: BLE001 - the cache being down must not break pages
        mark_cache_unavailable(request, error)
        return load()
    if value is None:
        value = load()
        try:
            seconds = _timeout(scheduled)
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


# -- the pieces of one template render, fetched together ----------------------------------

_batch = contextvars.ContextVar("fragment_batch", default=None)
# A marker holds its batch's random tag, so text on the page that happens to look like one (a
# title with control characters in it) is never taken for a piece.
_MARKER = re.compile("\x1e([0-9a-f]{16}):([0-9]+)\x1e")


class _Deferred:
    __slots__ = ("key", "render", "scheduled")

    def __init__(self, key, render, scheduled):
        self.key, self.render, self.scheduled = key, render, scheduled


class Batch:
    """The pieces met while one template renders for a request, fetched once it is done."""

    def __init__(self, request):
        self.request = request
        self.pieces = []
        self.tag = secrets.token_hex(8)

    def defer(self, name, vary_on, render, scheduled):
        """A marker for the piece, to be replaced by fill(); or None: render it now."""
        request = self.request
        if not settings.PORTAL_FRAGMENT_CACHE_SECONDS or cache_unavailable(request):
            return None
        try:
            key = fragment_key(request, name, vary_on)
        except Exception as error:  # noqa: BLE001 - the generation could not be read
            mark_cache_unavailable(request, error)
            return None
        self.pieces.append(_Deferred(key, render, scheduled))
        return f"\x1e{self.tag}:{len(self.pieces) - 1}\x1e"

    def fill(self, output):
        """``output`` with every marker replaced by its piece: one round trip for all of them,
        then the missing pieces rendered and stored together."""
        if not self.pieces:
            return output
        found = {}
        if not cache_unavailable(self.request):
            try:
                found = _store().get_many([piece.key for piece in self.pieces])
            except Exception as error:  # noqa: BLE001 - render every piece instead
                mark_cache_unavailable(self.request, error)
        values, missing = [], defaultdict(dict)
        for piece in self.pieces:
            value = found.get(piece.key)
            if value is None:
                value = found[piece.key] = piece.render()
                missing[piece.scheduled][piece.key] = value
            values.append(value)
        if missing and not cache_unavailable(self.request):
            try:
                for scheduled, pieces in missing.items():
                    seconds = _timeout(scheduled)
                    if seconds > 0:
                        _store().set_many(pieces, seconds)
            except Exception as error:  # noqa: BLE001
                mark_cache_unavailable(self.request, error)

        def piece(match):
            tag, index = match.groups()
            return values[int(index)] if tag == self.tag else match.group(0)

        filled = _MARKER.sub(piece, output)
        return mark_safe(filled) if hasattr(output, "__html__") else filled  # noqa: S308


def defer_render(context, name, vary_on, render, scheduled=False):
    """A marker for the piece ``render()`` makes, when a batch is collecting pieces for this
    request (Batch.fill replaces it); else None, and the caller renders the piece itself. The
    piece is rendered later, only if it is missing, in the language active now."""
    batch = _batch.get()
    request = context.get("request")
    if batch is None or request is None or batch.request is not request:
        return None
    language = translation.get_language()

    def in_language():
        with translation.override(language):
            return render()

    return batch.defer(name, vary_on, in_language, scheduled)


def defer_piece(context, name, vary_on, nodelist, scheduled):
    """For the {% fragment %} tag: defer_render() of its contents, with a copy of the context
    as it is now."""
    if _batch.get() is None:
        return None
    snapshot = context.new(context.flatten())
    return defer_render(context, name, vary_on, lambda: nodelist.render(snapshot), scheduled)


class Template(DjangoTemplate):
    def render(self, context=None, request=None):
        batch = Batch(request)
        token = _batch.set(batch if request is not None else None)
        try:
            output = super().render(context, request)
        finally:
            _batch.reset(token)
        # Missing pieces render outside the batch: a piece inside a piece is fetched alone.
        return batch.fill(output)


class Templates(DjangoTemplates):
    """Django's template engine, with the pieces of each page fetched in one round trip."""

    def from_string(self, template_code):
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)
