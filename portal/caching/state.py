"""What the cache knows about one request, in one object: ``request.cache_state``."""


class CacheState:
    """Set by the page cache middleware, read by fragments; nothing here outlives the request.

    ``generation``: the generation this request's page and fragments are made in (read once).
    ``unavailable``: the cache failed once already; the rest of the page does not try it again,
    so an outage costs one failed round trip per request, not one per fragment.
    ``personal``: the page is made for this reader alone (display preferences) and is never
    stored.
    ``values``: fragments (and other values) already read during this request.
    """

    def __init__(self):
        self.generation = None
        self.unavailable = False
        self.personal = False
        self.values = {}


def cache_state(request):
    """The request's CacheState; outside a request (``None``), a throwaway one."""
    if request is None:
        return CacheState()
    state = getattr(request, "cache_state", None)
    if state is None:
        state = request.cache_state = CacheState()
    return state
