"""The public reader site and the staff preview.

Every public page starts from ``Article.objects.published()`` in the page's language (the
English side, under /en/, lists English articles only, the rest Vietnamese ones); the date pages
are Django's date-based generic views. Categories come from the request's CategoryTree (one query
per request, shared with the menu), so each page runs a fixed number of queries.
"""

import datetime

from django.db.models.functions import TruncDate, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import (
    DateDetailView,
    DayArchiveView,
    DetailView,
    ListView,
    MonthArchiveView,
    YearArchiveView,
)
from django.views.generic.list import MultipleObjectMixin

from agency.search import matching_pages
from documents.search import matching_documents
from portal.caching.fragments import fragment

from . import selectors
from .context_processors import category_tree
from .forms import MAX_YEAR, MIN_YEAR, ArticleSearchForm, DayPickerForm
from .models import Article, Topic
from .pagination import SharedPagesMixin, WindowedPaginationMixin
from .permissions import can_change_article
from .search import (
    MAX_QUERY_LENGTH,
    marked_words,
    matching_topics,
    search_articles,
    search_words,
)

HOME_LATEST = 10
HOME_PINNED = 5  # the lead story and four more in the featured block
HOME_SECTION_ITEMS = 4
HOME_EVENTS = 6
RELATED_ITEMS = 5
DAY_SECTION_ITEMS = 10
PAGE_SIZE = 20
SEARCH_AGENCY_PAGES = 5  # the ministry's own pages shown above the news a search found
SEARCH_TOPICS = 5  # and the topics
# An edit within this time of publication is part of publishing, not an update.
UPDATE_GRACE = datetime.timedelta(minutes=2)


class PublishedArticleMixin:
    """Every public page starts from get_published(): published, in the page's language."""

    model = Article
    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"
    # published() already hides what is scheduled; the date views must not second-guess it with
    # the server's calendar.
    allow_future = True

    def get_published(self):
        """What readers may see on this side of the site: published, in the active language."""
        return Article.objects.published().in_language(translation.get_language())

    def get_queryset(self):
        if isinstance(self, MultipleObjectMixin):  # lists show cards, never the body
            return self.get_published().listing()
        return self.get_published().with_related()


class HomeView(PublishedArticleMixin, ListView):
    """The lead story (the editors' latest pin, else the newest), the other pinned stories, the
    latest news, the newest items of each top-level section, and the events with news."""

    template_name = "news/home.html"

    def get_queryset(self):
        return self.get_published().front_page(HOME_LATEST + 1, HOME_PINNED).cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tree = category_tree(self.request)

        def load():
            found = selectors.home_articles(
                self.object_list,
                self.get_published(),
                tree,
                latest=HOME_LATEST,
                pinned=HOME_PINNED,
                count=HOME_SECTION_ITEMS,
            )
            lead = tree.attach(found["lead"])
            return {
                "lead": lead[0] if lead else None,
                "featured": tree.attach(found["featured"]),
                "latest": tree.attach(found["latest"]),
                "sections": selectors.articles_by_section(tree.attach(found["sections"]), tree),
                "events": list(
                    Topic.objects.events().with_news(self.get_published())[:HOME_EVENTS]
                ),
            }

        # The home page's articles: a lazy fragment shared by every reader, read only when the
        # page's own fragment is not stored.
        context.update(front=fragment(self.request, "home-front", load, lazy=True), is_home=True)
        return context


class CategoryArticleListView(SharedPagesMixin, PublishedArticleMixin, ListView):
    """A section: its articles and its subcategories', newest first."""

    template_name = "news/category_detail.html"
    paginate_by = PAGE_SIZE
    page_kwarg = "trang"
    page_fragment = "section-page"

    def get_queryset(self):
        self.category = category_tree(self.request).get(self.kwargs["slug"])
        if self.category is None:
            raise Http404("Không có chuyên mục này.")
        return super().get_queryset().in_category(self.category)

    def page_fragment_vary(self):
        return (self.category,)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category,
            subcategories=category_tree(self.request).children_of(self.category),
            current_section=selectors.section_of(self.category),
            is_category_page=True,
            **kwargs,
        )


class TopicArticleListView(SharedPagesMixin, PublishedArticleMixin, ListView):
    """A topic: its articles of every section, newest first."""

    template_name = "news/topic_detail.html"
    paginate_by = PAGE_SIZE
    page_kwarg = "trang"
    page_fragment = "topic-page"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return super().get_queryset().newest_in_topic(self.topic)

    def page_fragment_vary(self):
        return (self.topic,)

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


class ArticlePageMixin:
    """What the article page shows around the article: updates, related news, previous/next."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        # Related news, previous and next: a lazy fragment shared by every reader of this
        # article, read only when the page's own fragments that show it are not stored.
        context["around"] = fragment(
            self.request,
            "article-around",
            lambda: selectors.related_and_neighbours(
                article, RELATED_ITEMS, category_tree(self.request)
            ),
            article,
            article.category_id,
            lazy=True,
        )
        if article.published_at:
            context["was_updated"] = article.updated_at > article.published_at + UPDATE_GRACE
        context["show_featured_image"] = selectors.featured_image_not_in_body(article)
        context["current_section"] = selectors.section_of(article.category)
        # An article exists in its own language only; the language switch leads elsewhere to
        # that language's home page.
        context["language_versions"] = {article.language: article.get_absolute_url()}
        return context


class DateArchiveMixin(PublishedArticleMixin):
    """Year bounds for every dated URL."""

    def get_year(self):
        year = super().get_year()
        if not str(year).isdigit() or not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise Http404("Năm không hợp lệ.")
        return year


class ArticleDateDetailView(ArticlePageMixin, DateArchiveMixin, DateDetailView):
    context_object_name = "article"

    def get_object(self, queryset=None):
        """The article, a fragment shared by its readers. What is not found raises 404 and is
        never kept."""
        if queryset is not None:
            return super().get_object(queryset)
        kwargs = self.kwargs
        return fragment(
            self.request,
            "article-object",
            super().get_object,
            *(kwargs[k] for k in ("year", "month", "day", "slug")),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            download_url=reverse("news:article-download", kwargs=self.kwargs), **kwargs
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # With ConditionalGetMiddleware, a reader's browser revalidates with a cheap 304.
        changed = max(self.object.updated_at, self.object.published_at)
        response["Last-Modified"] = http_date(changed.timestamp())
        return response


class ArticleDownloadView(DateArchiveMixin, DateDetailView):
    """The article as a standalone HTML file, for readers to keep (Decree 42/2022, Art. 7)."""

    context_object_name = "article"
    template_name = "news/article_download.html"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{self.object.slug or 'bai-viet'}.html"
        )
        response["X-Robots-Tag"] = "noindex"
        return response


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(ArticlePageMixin, DetailView):
    """Any article, as the public will see it, for staff who may change that article.

    Everyone else, the public included, gets a 404: a preview does not reveal that a draft exists.
    """

    model = Article
    context_object_name = "article"
    template_name = "news/article_detail.html"

    def get_queryset(self):
        return Article.objects.with_related()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not can_change_article(self.request.user, article):
            raise Http404
        return article

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)


class ArchiveFilterMixin(DateArchiveMixin):
    """The date pages: empty periods are pages too, and ``?chuyen-muc=<slug>`` narrows them."""

    allow_empty = True

    def get_counts(self, queryset, period, *when):
        """ArticleQuerySet.counts_by(``period``) of ``queryset``, the page's period (``when``):
        one grouped query over the period's articles (thousands in a busy month, tens of
        thousands in a year), a fragment shared by its readers."""
        return fragment(
            self.request,
            f"counts-by-{period.__name__}",
            lambda: queryset.counts_by(period),
            *when,
            self.filter_slug,
        )

    @property
    def filter_slug(self):
        """The ``?chuyen-muc=`` section the page is narrowed to, or ""."""
        return self.filter_category.slug if self.filter_category else ""

    def get_queryset(self):
        queryset = super().get_queryset()
        slug = self.request.GET.get("chuyen-muc")
        self.filter_category = None
        if slug:
            self.filter_category = category_tree(self.request).get(slug)
            if self.filter_category is None:
                raise Http404("Không có chuyên mục này.")
            queryset = queryset.in_category(self.filter_category)
        return queryset

    def get_neighbours(self, start, end):
        """selectors.news_days_around(): the local dates of the last news before day ``start``
        and of the first from day ``end`` on, a fragment shared by the period's readers."""
        return fragment(
            self.request,
            "period-neighbours",
            lambda: selectors.news_days_around(self.get_queryset(), start, end),
            start,
            end,
            self.filter_slug,
        )

    def get_context_data(self, **kwargs):
        tree = category_tree(self.request)
        return super().get_context_data(
            filter_category=self.filter_category,
            category_choices=list(tree.with_children()),
            is_date_page=True,  # the menu's "Tin theo ngày" says where the reader is
            **kwargs,
        )


class ArticleYearArchiveView(ArchiveFilterMixin, YearArchiveView):
    """The twelve months of a year, each with how many items it has."""

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        counts = self.get_counts(queryset, TruncMonth, self.get_year())
        self.month_counts = selectors.count_per_month(counts)
        return sorted(self.month_counts)

    def get_previous_year(self, date):
        previous, _next = self.get_neighbours(date, selectors.next_year(date))
        return previous and previous.replace(month=1, day=1)

    def get_next_year(self, date):
        _previous, following = self.get_neighbours(date, selectors.next_year(date))
        return following and following.replace(month=1, day=1)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["months"] = selectors.months_of_year(context["year"].year, self.month_counts)
        context["total"] = sum(self.month_counts.values())
        return context


WEEKDAY_HEADINGS = [
    (_("Thứ Hai"), _("T2")),
    (_("Thứ Ba"), _("T3")),
    (_("Thứ Tư"), _("T4")),
    (_("Thứ Năm"), _("T5")),
    (_("Thứ Sáu"), _("T6")),
    (_("Thứ Bảy"), _("T7")),
    (_("Chủ Nhật"), _("CN")),
]


class ArticleMonthArchiveView(ArchiveFilterMixin, MonthArchiveView):
    """A month calendar: each day with news links to its day page and says how many it has."""

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        self.day_counts = self.get_counts(queryset, TruncDate, self.get_year(), self.get_month())
        return sorted(self.day_counts)

    def get_previous_month(self, date):
        previous, _next = self.get_neighbours(date, selectors.next_month(date))
        return previous and previous.replace(day=1)

    def get_next_month(self, date):
        _previous, following = self.get_neighbours(date, selectors.next_month(date))
        return following and following.replace(day=1)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["weeks"] = selectors.weeks_of_month(context["month"], self.day_counts)
        context["weekday_headings"] = WEEKDAY_HEADINGS
        context["total"] = sum(self.day_counts.values())
        return context


class ArticleDayArchiveView(WindowedPaginationMixin, ArchiveFilterMixin, DayArchiveView):
    """The news of one local (GMT+7) day, grouped by section.

    A busy day can have hundreds of articles, so each section shows its newest
    DAY_SECTION_ITEMS and links to the day filtered to that section, which is paged like a
    section page. The cost of the page stays fixed whatever the day holds.
    """

    page_kwarg = "trang"

    def get_previous_day(self, date):
        return self.get_neighbours(date, selectors.next_day(date))[0]

    def get_next_day(self, date):
        return self.get_neighbours(date, selectors.next_day(date))[1]

    def get_paginate_by(self, queryset):
        return PAGE_SIZE if self.filter_category is not None else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tree = category_tree(self.request)
        if self.filter_category is not None:  # one section, paged
            context["sections"] = selectors.day_sections(context["object_list"], tree, None)
        else:
            # The newest of each section, one more than shown to know there are more: a lazy
            # fragment shared by the day's readers, read only when the page's own fragment
            # is not stored.
            def load():
                newest = selectors.newest_of_each_section(
                    context["object_list"], tree, DAY_SECTION_ITEMS + 1
                )
                return selectors.day_sections(tree.attach(newest), tree, DAY_SECTION_ITEMS)

            context["sections"] = fragment(
                self.request, "day-articles", load, context["day"], lazy=True
            )
        return context


class ArticleArchiveIndexView(ArticleDayArchiveView):
    """/tin-theo-ngay/: the latest day with news (in the ``?chuyen-muc=`` section), as its own
    day page shows it, at an address that stays the same. ``?ngay=dd/mm/yyyy`` goes to that day.
    """

    def get(self, request, *args, **kwargs):
        self.form = DayPickerForm(request.GET if "ngay" in request.GET else None)
        if self.form.is_bound and self.form.is_valid():
            day = self.form.cleaned_data["ngay"]
            url = reverse(
                "news:archive-day", kwargs={"year": day.year, "month": day.month, "day": day.day}
            )
            category = category_tree(request).get(request.GET.get("chuyen-muc", ""))
            if category is not None:
                url += f"?chuyen-muc={category.slug}"
            return redirect(url)
        response = super().get(request, *args, **kwargs)
        if self.form.is_bound:
            response.status_code = 400
        return response

    @cached_property
    def latest_day(self):
        """The local day of the newest news, a fragment shared by the page's readers; today
        when there is none."""
        articles = self.get_queryset()
        found = fragment(
            self.request,
            "latest-news-day",
            lambda: selectors.latest_news_day(articles),
            self.filter_slug,
        )
        return found or timezone.localdate()

    def get_year(self):
        return f"{self.latest_day:%Y}"

    def get_month(self):
        return f"{self.latest_day:%m}"

    def get_day(self):
        return f"{self.latest_day:%d}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(day_form=self.form, is_archive_index=True, **kwargs)


class ArticleSearchView(WindowedPaginationMixin, PublishedArticleMixin, ListView):
    """Search in titles, leads and bodies, ignoring case and Vietnamese diacritics, narrowed to a
    section or to days (ArticleSearchForm), by relevance or newest first. The ministry's own
    pages are found too, above the news."""

    template_name = "news/article_search.html"
    paginate_by = PAGE_SIZE
    page_kwarg = "trang"

    def get_queryset(self):
        tree = category_tree(self.request)
        self.form = ArticleSearchForm(self.request.GET, categories=tree.with_children())
        valid = self.form.is_valid()
        found = self.form.cleaned_data
        self.query = found.get("q", "")
        self.problem = None
        self.words = []
        if len(self.query) > MAX_QUERY_LENGTH:
            self.problem = "too_long"
        elif not valid:
            self.problem = "filters"
        else:
            self.words = search_words(self.query)
            if not self.words:
                self.problem = "empty"
        articles = super().get_queryset()
        if self.words:
            if found["section"]:
                articles = articles.in_categories(tree.ids_under(tree.get(found["section"])))
            articles = articles.on_days(found["since"], found["until"])
        articles, *self.match_count = search_articles(
            articles, self.words, newest_first=found.get("order") == ArticleSearchForm.NEWEST
        )
        return articles

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.problem == "filters":
            response.status_code = 400
        return response

    def get_paginator(self, queryset, per_page, **kwargs):
        # The matches were counted when they were found: no query to count them again.
        return super().get_paginator(
            queryset, per_page, known_count=tuple(self.match_count), **kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            search_query=self.query,
            problem=self.problem,
            max_query_length=MAX_QUERY_LENGTH,
            form=self.form,
            marked_words=marked_words(self.words),
            category_choices=list(category_tree(self.request).with_children()),
            **kwargs,
        )
        # The ministry's own pages: on the first page, when the reader did not narrow the
        # search to a section or to days (they have neither).
        if not self.form.is_narrowed and context["page_obj"].number == 1:
            context["agency_pages"], context["agency_page_count"] = matching_pages(
                self.request, context["marked_words"], SEARCH_AGENCY_PAGES
            )
            # Topics too, for the same reason: a topic's page lists its news.
            context["topics"], context["topic_count"] = matching_topics(
                self.request, context["marked_words"], SEARCH_TOPICS
            )
            # And the legal documents, by number or summary: the exact number first.
            context["documents"], context["document_count"] = matching_documents(self.query)
        return context
