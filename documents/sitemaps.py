"""The library in the sitemap: its list (once it has a document), and every published document
at its Vietnamese address (the documents are written in Vietnamese)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from .models import Document


class DocumentListSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        """The list, once it lists anything: [(its URL name, its newest change)]."""
        latest = Document.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return [("documents:document-list", latest)] if latest else []

    def location(self, item):
        with translation.override("vi"):
            return reverse(item[0])

    def lastmod(self, item):
        return item[1]


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Document.objects.published().order_by("-issued_on", "-pk").only("slug", "updated_at")

    def location(self, item):
        with translation.override("vi"):
            return item.get_public_url()

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"documents": DocumentListSitemap, "document": DocumentSitemap}
