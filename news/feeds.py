"""RSS feeds: the latest news, and the latest of each section."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy

from .context_processors import SITE_NAME
from .models import Article, Category

FEED_ITEMS = 30


class LatestArticlesFeed(Feed):
    title = f"Tin mới nhất – {SITE_NAME}"
    link = reverse_lazy("news:home")
    description = f"Tin tức mới nhất trên Cổng thông tin điện tử {SITE_NAME}."
    language = "vi"

    def items(self):
        return Article.objects.published().with_related()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at)

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [item.category.name]


class CategoryArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{obj.name} – {SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"Tin mới nhất của chuyên mục {obj.name}."

    def items(self, obj):
        return Article.objects.published().with_related().in_category(obj)[:FEED_ITEMS]
