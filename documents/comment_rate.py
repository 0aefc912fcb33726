"""How many comments one address may send in an hour: ``settings.PORTAL_COMMENT_RATE``.

Counted in the shared cache, so every process (gunicorn's workers, several servers on one
Redis) counts the same comments. Each comment takes one of the address's ``rate`` *slots*, a
key that ``add()`` creates only when it is free and that expires an hour after it was taken:
a true sliding hour, whatever the backend.

Why not ``add()`` then ``incr()`` on one counter: on Django's file cache (the default without
Redis) ``incr()`` is a read and a write that sets the key again with the cache's default
timeout (five minutes), so the hour would quietly shrink, and a fixed window lets twice the
rate through around its edge. ``add()`` is one atomic command on Redis (SET NX); on the file
cache two comments at the same instant may rarely both take the last slot, never more.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches

WINDOW_SECONDS = 60 * 60


def _cache():
    return caches[settings.PORTAL_PAGE_CACHE_ALIAS]


def _slot_keys(address):
    # The address is not kept as it is: a digest, salted with the site's key, names it.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()[:32]
    return [f"drafts:comment-slot:{digest}:{n}" for n in range(settings.PORTAL_COMMENT_RATE)]


def take_slot(address):
    """Count one comment from ``address``: True when it is within the rate (the slot is then
    taken for an hour), False when the address has sent its ``PORTAL_COMMENT_RATE`` comments
    in the last hour. Two round trips at most in the usual case."""
    cache = _cache()
    keys = _slot_keys(address)
    taken = cache.get_many(keys)
    # The first free slot; another request may take it first (add() then says so): the next.
    return any(key not in taken and cache.add(key, 1, timeout=WINDOW_SECONDS) for key in keys)


def comments_left(address):
    """How many more comments ``address`` may send now."""
    keys = _slot_keys(address)
    return len(keys) - len(_cache().get_many(keys))
