"""Albums and videos in the sitemap, at their Vietnamese addresses (their text is Vietnamese;
the English pages announce themselves with hreflang)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Album, Video


class GalleryIndexSitemap(Sitemap):
    """/anh/ and /video/, once they list anything."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        lists = [("gallery:album-list", Album), ("gallery:video-list", Video)]
        newest = [
            (name, model.objects.published().aggregate(at=Max("published_at"))["at"])
            for name, model in lists
        ]
        return [(name, at) for name, at in newest if at]

    def location(self, item):
        return reverse(item[0])

    def lastmod(self, item):
        return item[1]


class PublicationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    model = None

    def items(self):
        return (
            self.model.objects.published()
            .only("slug", "published_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return max(item.published_at, item.updated_at)


class AlbumSitemap(PublicationSitemap):
    model = Album


class VideoSitemap(PublicationSitemap):
    model = Video


SITEMAPS = {"gallery": GalleryIndexSitemap, "albums": AlbumSitemap, "videos": VideoSitemap}
