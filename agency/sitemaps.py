"""The agency's pages in the sitemap, each language at its own address."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from .models import AgencyPage


class AgencyPageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        pages = AgencyPage.objects.published()
        return [
            (page, code)
            for page in pages
            for code, _name in settings.LANGUAGES
            if page.has_language(code)
        ]

    def location(self, item):
        page, code = item
        return page.get_absolute_url(code)

    def lastmod(self, item):
        return item[0].updated_at


SITEMAPS = {"about": AgencyPageSitemap}
