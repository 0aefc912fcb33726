"""RSS feeds: the latest news, and the latest of each section and of each topic, in the language
of the address (/rss/ Vietnamese, /en/rss/ English)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agency.frame import site_frame

from .models import Article, Category, Topic

FEED_ITEMS = 30


def site_name():
    """The agency's name as its identity (edited in the admin) gives it, in the feed's language."""
    return str(site_frame().identity.name)


def published_here():
    """What this feed's readers may see: published, in the feed's language."""
    return Article.objects.published().in_language(get_language()).with_related()


class LatestArticlesFeed(Feed):
    link = reverse_lazy("news:home")
    language = None  # the active language: "vi", or "en" under /en/

    def title(self):
        return _("Tin mới nhất – %(site)s") % {"site": site_name()}

    def description(self):
        return _("Tin tức mới nhất trên Cổng thông tin điện tử %(site)s.") % {"site": site_name()}

    def items(self):
        return published_here()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # A feed's description is HTML to its readers; a lead is plain text, so its "<" must
        # reach them as a character, not as the start of an element.
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at)

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [item.category.display_name]


class CategoryArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{obj.display_name} – {site_name()}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return _("Tin mới nhất của chuyên mục %(section)s.") % {"section": obj.display_name}

    def items(self, obj):
        return published_here().in_category(obj)[:FEED_ITEMS]


class TopicArticlesFeed(CategoryArticlesFeed):
    """A section's feed, for a topic's articles."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def description(self, obj):
        return _("Tin mới nhất về chủ đề %(topic)s.") % {"topic": obj.display_name}

    def items(self, obj):
        return published_here().newest_in_topic(obj)[:FEED_ITEMS]
