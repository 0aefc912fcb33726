"""The sitemap: the home page, every section, every topic with news and every published article,
with lastmod.

Each language's pages are listed at their own addresses: the English home and English section
pages only once they have English news, each topic on the sides where it has news, and every
article on its own side of the site.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import translation

from .models import Article, Category, Topic


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        newest = dict(
            Article.objects.published()
            .order_by()
            .values("language")
            .annotate(latest=Max("published_at"))
            .values_list("language", "latest")
        )
        return [
            (code, newest.get(code))
            for code, _name in settings.LANGUAGES
            if code == settings.LANGUAGE_CODE or code in newest
        ]

    def location(self, item):
        with translation.override(item[0]):
            return reverse("news:home")

    def lastmod(self, item):
        return item[1]


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        languages = [code for code, _name in settings.LANGUAGES]
        newest = {
            f"latest_{code}": Subquery(
                Article.objects.published()
                .in_language(code)
                .in_category(OuterRef("pk"))
                .order_by("-published_at")
                .values("published_at")[:1]
            )
            for code in languages
        }
        categories = Category.objects.annotate(**newest).order_by("position", "name", "pk")
        return [
            (category, code)
            for category in categories
            for code in languages
            if code == settings.LANGUAGE_CODE or getattr(category, f"latest_{code}")
        ]

    def location(self, item):
        category, code = item
        with translation.override(code):
            return category.get_absolute_url()

    def lastmod(self, item):
        category, code = item
        return getattr(category, f"latest_{code}")


class TopicSitemap(Sitemap):
    """Without lastmod: a topic's newest article is not found cheaply (TopicQuerySet.with_news)."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        return [
            (topic, code)
            for code, _name in settings.LANGUAGES
            for topic in Topic.objects.with_news(Article.objects.published().in_language(code))
        ]

    def location(self, item):
        topic, code = item
        with translation.override(code):
            return topic.get_absolute_url()


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        # Each at its own address: get_absolute_url() follows the article's language.
        return Article.objects.published().only("slug", "published_at", "updated_at", "language")

    def lastmod(self, item):
        return max(item.published_at, item.updated_at)


SITEMAPS = {
    "home": HomeSitemap,
    "sections": CategorySitemap,
    "topics": TopicSitemap,
    "articles": ArticleSitemap,
}
