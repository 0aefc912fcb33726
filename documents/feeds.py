"""RSS of the library: the documents most recently published (/van-ban/rss/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.html import escape
from django.utils.translation import gettext as _

from news.feeds import site_name

from .models import Document

FEED_ITEMS = 30


class LatestDocumentsFeed(Feed):
    link = reverse_lazy("documents:document-list")
    language = None  # the active language: "vi", or "en" under /en/

    def title(self):
        return _("Văn bản mới – %(site)s") % {"site": site_name()}

    def description(self):
        return _(
            "Văn bản quy phạm pháp luật và văn bản chỉ đạo, điều hành mới công bố trên "
            "Cổng thông tin điện tử %(site)s."
        ) % {"site": site_name()}

    def items(self):
        published = Document.objects.published().listing()
        return published.order_by("-published_at", "-pk")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # A summary is plain text; a feed's description is HTML to its readers.
        return escape(item.summary)

    def item_link(self, item):
        return item.get_public_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at)

    def item_categories(self, item):
        return [item.document_type.name, item.issuing_body.name]
