from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from agency.sitemaps import SITEMAPS as AGENCY_SITEMAPS
from agency.views import FaviconView
from documents.sitemaps import SITEMAPS as DOCUMENT_SITEMAPS
from documents.sitemaps_drafts import SITEMAPS as DRAFT_SITEMAPS
from gallery.sitemaps import SITEMAPS as GALLERY_SITEMAPS
from news.sitemaps import SITEMAPS
from portal.health import healthz

# The admin, the health check, the sitemap, robots.txt and the favicon are the same for every
# language.
urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {
                **SITEMAPS,
                **AGENCY_SITEMAPS,
                **GALLERY_SITEMAPS,
                **DOCUMENT_SITEMAPS,
                **DRAFT_SITEMAPS,
            }
        },
        name="sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots-txt",
    ),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]

# The reader site: Vietnamese at today's addresses, English under /en/ (with translated routes).
urlpatterns += i18n_patterns(
    path("", include("news.urls")),
    path("", include("agency.urls")),
    path("", include("readership.urls")),
    path("", include("gallery.urls")),
    path("", include("documents.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    from portal.media import serve as serve_media

    # With byte ranges, which a browser's video player needs (portal/media.py).
    urlpatterns += static(settings.MEDIA_URL, view=serve_media, document_root=settings.MEDIA_ROOT)
