"""HTTP caches in front of the site (Varnish, a CDN), told when the site's content changes.

Public pages say how long such a cache may keep them (``Cache-Control: s-maxage``, never past
the next scheduled change); when anything readers see changes, every backend listed in
``settings.PORTAL_EDGE_CACHES`` is asked to drop what it keeps of this site, as the page cache
does with its generation. A backend that cannot be reached is logged, never raised: saving
must not fail because a cache is down.

    PORTAL_EDGE_CACHES = [
        {"BACKEND": "portal.caching.edge.VarnishBan", "LOCATION": "http://127.0.0.1:8080"},
    ]
"""

import logging
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.cache")


class EdgeCache:
    """One HTTP cache in front of the site. Subclasses drop everything it keeps of the site."""

    def __init__(self, location, timeout=2, hosts=None):
        self.location = location.rstrip("/")
        self.timeout = timeout
        self.hosts = hosts

    def purge_all(self):
        raise NotImplementedError


class VarnishBan(EdgeCache):
    """Varnish: a ``BAN`` request to its address, for each host the site answers to; the VCL
    (deploy/portal.vcl) turns it into a ban of every object stored for that host, port aside,
    and accepts it from the app servers' addresses only (``acl app_servers``)."""

    def purge_all(self):
        if urlsplit(self.location).scheme not in ("http", "https"):
            raise ValueError(f"{self.location!r} is not an http(s) address")
        for host in self.hosts or _site_hosts():
            request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
                self.location + "/", method="BAN", headers={"Host": host}
            )
            with urllib.request.urlopen(request, timeout=self.timeout):  # noqa: S310
                pass


def _site_hosts():
    return [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"] or ["localhost"]


def edge_caches():
    return [
        import_string(entry["BACKEND"])(
            entry["LOCATION"], **{k.lower(): v for k, v in entry.get("OPTIONS", {}).items()}
        )
        for entry in getattr(settings, "PORTAL_EDGE_CACHES", [])
    ]


def purge_edge_caches():
    for cache in edge_caches():
        try:
            cache.purge_all()
        except Exception as error:  # noqa: BLE001 - a cache that is down must not stop a save
            logger.warning("Could not purge the HTTP cache at %s: %s", cache.location, error)
