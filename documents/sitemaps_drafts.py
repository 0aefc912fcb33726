"""The drafts for public comment in the sitemap: their list, and every published draft."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone, translation

from .drafts import Draft


class DraftListSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        """The list, once it lists anything (an empty list is no page for a search engine)."""
        return ["documents:draft-list"] if Draft.objects.published().exists() else []

    def location(self, item):
        with translation.override("vi"):
            return reverse(item)


class DraftSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Draft.objects.published().only(
            "slug", "status", "published_at", "updated_at", "opens_at", "closes_at"
        )

    def location(self, item):
        with translation.override("vi"):
            return reverse("documents:draft-detail", kwargs={"slug": item.slug})

    def lastmod(self, item):
        """The last save, or the last edge of the window since, when the page changed by itself
        (the form appeared, or gave way to the response)."""
        now = timezone.now()
        edges = [moment for moment in (item.opens_at, item.closes_at) if moment <= now]
        return max([item.updated_at, item.published_at, *edges])


SITEMAPS = {"draft-list": DraftListSitemap, "drafts": DraftSitemap}
