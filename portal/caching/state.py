"""What the cache knows about one request, in one object: ``request.cache_state``."""

import re
from urllib.parse import parse_qsl, urlencode

# How a reader arrived, not which page they asked for: left out of every key.
TRACKING_PARAMETER = re.compile(r"utm_[a-z_]*|fbclid|gclid|dclid|msclkid", re.IGNORECASE)


def query_without_tracking(meta):
    """The query string without tracking parameters: /?utm_source=x is the page /."""
    query = meta.get("QUERY_STRING", "")
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if not TRACKING_PARAMETER.fullmatch(k)])


class CacheState:
    """Set by the page cache middleware, read by fragments; nothing here outlives the request.

    ``generation``: the generation this request's page and fragments are made in (read once).
    ``unavailable``: the cache failed once already; the rest of the page does not try it again,
    so an outage costs one failed round trip per request, not one per fragment.
    ``personal``: the page is made for this reader alone (display preferences) and is never
    stored.
    ``values``: fragments (and other values) already read during this request.
    ``prefetched``: the fragments this page used last time, read in one round trip before the
    page is made (``None`` for a fragment that was not there); ``used``: the fragments it uses
    this time, remembered for the next request.
    ``next_change``: the Unix time of the next scheduled change, once looked up (``None``: none).
    ``keep_until``: the Unix time past which nothing this request made may be kept, set by a
    fragment kept for less than the rest (``seconds``), or ``None``.
    """

    def __init__(self):
        self.generation = None
        self.unavailable = False
        self.personal = False
        self.values = {}
        self.prefetched = {}
        self.used = []
        self.next_change = False  # not looked up yet
        self.keep_until = None


def cache_state(request):
    """The request's CacheState; outside a request (``None``), a throwaway one."""
    if request is None:
        return CacheState()
    state = getattr(request, "cache_state", None)
    if state is None:
        state = request.cache_state = CacheState()
    return state
