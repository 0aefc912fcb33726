"""The site's frame: the identity and the agency links that every page's header and footer show.

Both are read in one query (the identity row joined to its logo and links) and kept as a
fragment (portal/caching/fragments.py): a phone number an editor changes is on the very next
page served, in every process.
"""

from dataclasses import dataclass, field

from news.models import Image
from portal.caching.fragments import fragment

from .models import SITE_IDENTITY_PK, AgencyLink, SiteIdentity


@dataclass
class SiteFrame:
    identity: SiteIdentity
    links: list = field(default_factory=list)


# What the header and footer use of the logo: enough for its renditions and alternative text.
# In the model's own field order, which Model.from_db() expects of a partial row.
LOGO_FIELDS = [
    f.attname
    for f in Image._meta.concrete_fields
    if f.attname in {"id", "file", "width", "height", "alt_text", "caption"}
]


def load_frame():
    """The frame from the database, in one query: the identity row joined to its logo and links."""
    identity_fields = [f.attname for f in SiteIdentity._meta.concrete_fields]
    link_fields = [f.attname for f in AgencyLink._meta.concrete_fields]
    rows = (
        SiteIdentity.objects.filter(pk=SITE_IDENTITY_PK)
        .order_by("links__position", "links__id")
        .values_list(
            *identity_fields,
            *(f"logo__{name}" for name in LOGO_FIELDS),
            *(f"links__{name}" for name in link_fields),
        )
    )
    identity, links = None, []
    for row in rows:
        own, row = row[: len(identity_fields)], row[len(identity_fields) :]
        logo, link = row[: len(LOGO_FIELDS)], row[len(LOGO_FIELDS) :]
        if identity is None:
            identity = SiteIdentity.from_db("default", identity_fields, own)
            identity.logo = Image.from_db("default", LOGO_FIELDS, logo) if logo[0] else None
        if link[0] is not None:
            links.append(AgencyLink.from_db("default", link_fields, link))
    if identity is None:
        identity = SiteIdentity()  # not set up yet: pages show no name rather than fail
    for link in links:
        link.site = identity
    return SiteFrame(identity=identity, links=links)


def site_frame(request=None):
    """The frame: a fragment (it holds both languages), read once per request."""
    return fragment(request, "site-frame", load_frame, per_language=False)
