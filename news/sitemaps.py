"""The sitemap: the home page, every section and every published article, with lastmod."""

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from .models import Article, Category


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["news:home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Article.objects.published().values_list("published_at", flat=True).first()


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        newest = (
            Article.objects.published()
            .in_category(OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return Category.objects.annotate(latest_at=Subquery(newest)).order_by(
            "position", "name", "pk"
        )

    def lastmod(self, item):
        return item.latest_at


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at")

    def lastmod(self, item):
        return max(item.published_at, item.updated_at)


SITEMAPS = {"home": HomeSitemap, "sections": CategorySitemap, "articles": ArticleSitemap}
