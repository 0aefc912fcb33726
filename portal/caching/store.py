"""The shared cache itself: the generation every key holds, and how long anything may be kept.

* The *generation* is one value in the cache. Every stored page and fragment records the
  generation it was made in and is used only while that is still the current one. Saving or
  deleting anything readers can see makes a new generation (``invalidate``), so every process
  stops using everything stored before, at once.
* Nothing is kept past the next *scheduled change*: the nearest moment at which any model's
  visibility changes by itself (an article scheduled or expiring). A model says when, with a
  ``next_visibility_change(now)`` method on its default manager's queryset.
"""

import logging
import secrets
import threading
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("portal.cache")

GENERATION_KEY = "pagecache:generation"
NEXT_CHANGE_KEY = "pagecache:next-event"
_last_warning = 0.0


def shared_cache():
    return caches[settings.PORTAL_PAGE_CACHE_ALIAS]


def warn(error):
    """Log that the cache failed, at most once a minute per process: pages go on uncached."""
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
    read_generation()
    cache = shared_cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


# Whether this thread has read the generation since its last new one: it may have stored
# something under it (invalidate). About this thread's own reads only, so its own memory.
_reads = threading.local()


def read_generation():
    """Note that this thread read the generation, to store or look something up under it."""
    _reads.since_bump = True


def _bump():
    _reads.since_bump = False
    cache = shared_cache()
    try:
        # A new value rather than incr(): on the file cache incr is a read and a write, and
        # two processes saving at once could both write the same next number.
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)
        cache.delete(NEXT_CHANGE_KEY)
    except Exception as error:  # noqa: BLE001 - a cache outage must not break saving
        warn(error)
    from .edge import purge_edge_caches

    purge_edge_caches()


def invalidate(using=None, **kwargs):
    """Make every stored page and fragment stale, in every process (and in the HTTP caches in
    front of the site).

    Outside a transaction, now. Inside one, now and once more when it commits: a page
    rendered in between, from the data as it was before the commit, would otherwise be
    stored under the new generation and outlive the change. A transaction that changes many
    rows (an import) does that once: after the first change, "now" again only when this
    thread has read the generation since (it may have stored what it just changed), and the
    bump at commit once.
    """
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _bump()
        return
    # Django keeps the callbacks a transaction will run on commit in run_on_commit; a bump
    # there already is one this transaction will make (none if its savepoint rolls back).
    pending = any(func is _bump for _savepoints, func, _robust in connection.run_on_commit)
    if not pending:
        transaction.on_commit(_bump, using=using)
    if not pending or getattr(_reads, "since_bump", True):
        _bump()


def scheduled_models():
    """The models whose visibility changes by itself: their querysets have
    ``next_visibility_change(now)``."""
    return [
        model
        for model in apps.get_models()
        if hasattr(model._default_manager.get_queryset(), "next_visibility_change")
    ]


def next_change_stamp(now):
    """The Unix time of the nearest scheduled change of any model, or 0 when there is none."""
    moments = []
    for model in scheduled_models():
        moment = model._default_manager.get_queryset().next_visibility_change(now)
        if moment is not None:
            moments.append(moment)
    return min(moments).timestamp() if moments else 0


def next_change_at():
    """The Unix time of the next scheduled change, or None if there is none.

    Worked out once and kept in the cache until that moment, or until anything is saved
    (``invalidate`` forgets it).
    """
    cache = shared_cache()
    stamp = cache.get(NEXT_CHANGE_KEY)
    # A stamp that has passed is worked out again: the change after it is not known yet.
    if stamp is None or 0 < stamp <= time.time():
        now = timezone.now()
        stamp = next_change_stamp(now)
        # Never longer than anything it bounds (either may be off: 0).
        longest = max(settings.PORTAL_PAGE_CACHE_SECONDS, settings.PORTAL_FRAGMENT_CACHE_SECONDS)
        if stamp:
            longest = min(longest, int(stamp - now.timestamp()) + 1)
        if longest > 0:
            cache.set(NEXT_CHANGE_KEY, stamp, timeout=longest)
    return stamp or None


def seconds_until_next_change():
    """Seconds until the next scheduled change, or None if there is none."""
    stamp = next_change_at()
    return None if stamp is None else max(0, stamp - time.time())


def lifetime(longest, state=None):
    """How long something may be kept: ``longest`` seconds, but never past the next scheduled
    change (looked up once per request when the request's ``state`` is given)."""
    if state is None:
        stamp = next_change_at()
    else:
        if state.next_change is False:
            state.next_change = next_change_at()
        stamp = state.next_change
    if stamp is not None:
        return min(longest, int(max(0, stamp - time.time())))
    return longest
