"""What every public page's frame needs: the site's identity, the agency links, the reader's
display choices, and the language of the page."""

from django.utils.functional import SimpleLazyObject

from portal.caching.state import cache_state

from .frame import site_frame
from .preferences import ReaderPreferences


def site(request):
    """``site_identity``, ``site_name`` and ``agency_links``, read lazily: pages that do not show
    them (the admin) pay nothing; pages that do pay one query, or none when the frame is cached."""
    return {
        "site_identity": SimpleLazyObject(lambda: site_frame(request).identity),
        "site_name": SimpleLazyObject(lambda: site_frame(request).identity.name),
        "agency_links": SimpleLazyObject(lambda: site_frame(request).links),
    }


def reader_preferences(request):
    """``reader_preferences`` from the cookies.

    A page made for a reader's own display is personal: the page cache never stores it, and
    never serves readers who carry these cookies (settings.PORTAL_PAGE_CACHE_SKIP_COOKIES).
    """
    preferences = ReaderPreferences.from_cookies(request.COOKIES)
    if not preferences.is_default:
        cache_state(request).personal = True
    return {"reader_preferences": preferences}
