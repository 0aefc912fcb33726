"""What the reader pages show, put together from ArticleQuerySet's queries.

The queries live on ArticleQuerySet (news.models), starting from ``published()``; here they are
shaped into what a page needs: the home page's sections, an article's neighbours, a day's
sections, the calendar of a month or a year, the days with news around a period. Views call
these, most of them inside a fragment's load (portal.caching.fragments), so what is computed
here is shared by the page's readers. What the public may see is ``published()``'s to say,
never restated here.

Periods are local (GMT+7) calendar days: a period starts at its first day's local midnight
(``local_midnight``) and ends where the next one starts (``next_day``, ``next_month``,
``next_year``).
"""

import calendar
import datetime

from django.utils import timezone

from .models import Article


def section_of(category):
    """The top-level section a category belongs to (itself, or its parent)."""
    return category.parent if category.parent_id else category


def newest_of_each_section(articles, tree, count):
    """The newest ``count`` of ``articles`` in each top-level section of ``tree`` (a
    CategoryTree), newest first, as a list of cards with their categories from the tree. One
    query whatever the sections (ArticleQuerySet.newest_in_each)."""
    groups = [tree.ids_under(section) for section in tree.top]
    return tree.attach(articles.newest_in_each(groups, count).cards())


def home_articles(front, published, tree, *, latest, pinned, count):
    """The home page's articles from ``front`` (ArticleQuerySet.front_page(), which read the
    newest ``latest`` + 1 and the ``pinned`` most recently pinned together), as a dict of lists:

    - ``lead``: the lead story, the most recently pinned article, else the newest (a list of
      one, or none);
    - ``featured``: the other pinned articles (``pinned`` in all with the lead), the most
      recently pinned first;
    - ``latest``: the newest ``latest`` but the lead story;
    - ``sections``: the newest ``count`` of ``published`` in each section of ``tree`` but the
      lead story.

    Two queries whatever the sections and the pins."""
    rows = list(front)  # newest first
    now = timezone.now()
    # PINNED_ORDER, as front_page() chose them; older pinned rows read as news may follow.
    chosen = sorted(
        (row for row in rows if row.pinned_until and row.pinned_until > now),
        key=lambda row: (row.pinned_at is not None, row.pinned_at, row.pinned_until, row.pk),
        reverse=True,
    )[:pinned]
    lead = chosen[:1] or rows[:1]
    if lead:
        published = published.exclude(pk=lead[0].pk)
    return {
        "lead": lead,
        "featured": chosen[1:],
        # The newest latest + 1 rows lead ``rows``: whatever else was read is older.
        "latest": [row for row in rows[: latest + 1] if row not in lead][:latest],
        "sections": newest_of_each_section(published, tree, count),
    }


def articles_by_section(articles, tree):
    """[(top-level section, its articles and its subcategories')] in menu order, each list in
    the order of ``articles``; sections without any are left out, and so are articles whose
    section ``tree`` does not know."""
    by_section = {section.pk: [] for section in tree.top}
    for article in articles:
        found = by_section.get(section_of(article.category).pk)
        if found is not None:
            found.append(article)
    return [(section, by_section[section.pk]) for section in tree.top if by_section[section.pk]]


def day_sections(articles, tree, limit=None):
    """[(section, its first ``limit`` articles, whether it has more)] in menu order, sections
    without news left out: the day page's blocks. No limit shows them all."""
    return [
        (section, items[:limit], limit is not None and len(items) > limit)
        for section, items in articles_by_section(articles, tree)
    ]


def related_and_neighbours(article, count, tree):
    """What the article page shows around ``article``, from one query (ArticleQuerySet.around),
    of the articles published in its language, with their categories from ``tree`` (a
    CategoryTree):

    - ``related_articles``: the first ``count`` of those editors chose (Article.related), in
      their order; when none of them is shown, the newest ``count`` of its category but itself;
    - ``previous_article`` and ``next_article``: the nearest before and after it in its
      category, or None."""
    articles = Article.objects.published().in_language(article.language)
    rows = tree.attach(articles.around(article, count, tree.ids_under(article.category)).cards())
    chosen = sorted(
        (row for row in rows if row.chosen_position is not None),
        key=lambda row: row.chosen_position,
    )
    # in_category(): the article's category and its subcategories.
    section = article.category_id
    rows = [row for row in rows if section in (row.category_id, row.category.parent_id)]
    at = article.published_at
    key = (at, article.pk)
    before = [row for row in rows if at is not None and (row.published_at, row.pk) < key]
    after = [row for row in rows if at is not None and (row.published_at, row.pk) > key]
    return {
        "related_articles": chosen[:count] or rows[:count],
        "previous_article": before[0] if before else None,
        "next_article": after[-1] if after else None,
    }


def featured_image_not_in_body(article):
    """True when the featured image has a file and the body does not show it already.

    The body may show the original or one of its renditions, whose paths both contain the
    original's path without its extension.
    """
    image = article.featured_image
    if not image or not image.file:
        return False
    body = article.body or ""
    stem = image.file.name.rsplit(".", 1)[0]
    return stem not in body and f'data-image-id="{image.pk}"' not in body


def local_midnight(day):
    """The aware moment a local (GMT+7) calendar day begins."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone()
    )


def next_day(day):
    """The day after ``day``: where a day page's period ends."""
    return day + datetime.timedelta(days=1)


def next_month(day):
    """The first day of the month after ``day``'s: where a month page's period ends."""
    if day.month == 12:
        return datetime.date(day.year + 1, 1, 1)
    return datetime.date(day.year, day.month + 1, 1)


def next_year(day):
    """The first day of the year after ``day``'s: where a year page's period ends."""
    return datetime.date(day.year + 1, 1, 1)


def news_days_around(articles, start, end):
    """(The local day of the last of ``articles`` before day ``start``, that of the first from
    day ``end`` on), either None when there is none: the previous and next period with news,
    skipping empty ones.

    One query at a fixed cost: two one-row subqueries walk the publication index from the
    edges of the period outwards, instead of aggregating over the whole archive.
    """
    before, after = local_midnight(start), local_midnight(end)
    articles = articles.select_related(None)
    stamps = Article.objects.any_of(
        articles.nearest_before(before).values("pk"), articles.first_from(after).values("pk")
    ).values_list("published_at", flat=True)
    previous = following = None
    for stamp in stamps:
        if stamp < before:
            previous = timezone.localdate(stamp, timezone.get_default_timezone())
        else:
            following = timezone.localdate(stamp, timezone.get_default_timezone())
    return previous, following


def latest_news_day(articles):
    """The local (GMT+7) day of the newest of ``articles``, or None when there is none: one row
    read from the publication index."""
    newest = articles.select_related(None).order_by("-published_at")
    for stamp in newest.values_list("published_at", flat=True)[:1]:
        return timezone.localdate(stamp, timezone.get_default_timezone())
    return None


def count_per_month(counts):
    """{month number: count} from ArticleQuerySet.counts_by(TruncMonth) over one year."""
    return {timezone.localtime(start).month: count for start, count in counts.items()}


def months_of_year(year, per_month):
    """The year page's twelve months: [{"date": its first day, "count": its news}], from
    count_per_month()."""
    return [
        {"date": datetime.date(year, month, 1), "count": per_month.get(month, 0)}
        for month in range(1, 13)
    ]


def weeks_of_month(month, per_day):
    """The month page's calendar: its weeks, Monday first, each day as {"date", "in_month",
    "count": its news}, from ArticleQuerySet.counts_by(TruncDate) ({local day: count})."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [
        [
            {"date": day, "in_month": day.month == month.month, "count": per_day.get(day, 0)}
            for day in week
        ]
        for week in weeks
    ]
