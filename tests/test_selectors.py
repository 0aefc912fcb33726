"""What the reader pages are built from: ArticleQuerySet's page queries and news.selectors."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from news import selectors
from news.context_processors import CategoryTree
from news.models import Article, Category
from tests.reader import VN

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


def local(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def tree():
    return CategoryTree(Category.objects.order_by("position", "name", "pk"))


def titles(articles):
    return [article.title for article in articles]


@pytest.fixture
def sections(category):
    """Xã hội (first in the menu, with a subcategory) and Lao động."""
    category.position = 1
    category.save()
    labour = Category.objects.create(name="Lao động", slug="lao-dong", position=2)
    gender = Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=category)
    return category, gender, labour


def test_newest_of_each_section_takes_each_sections_newest_in_one_query(
    sections, make_article, django_assert_num_queries
):
    social, gender, labour = sections
    for hour, section in [(8, social), (9, gender), (10, social), (11, labour), (7, labour)]:
        make_article(
            title=f"{section.slug} {hour}h", category=section, published_at=local(2024, 5, hour)
        )
    make_article(title="Bản nháp", category=social, status=Article.Status.DRAFT)
    site = tree()

    with django_assert_num_queries(1):
        newest = selectors.newest_of_each_section(Article.objects.published(), site, 2)
        blocks = selectors.articles_by_section(newest, site)

    assert [(section.slug, titles(items)) for section, items in blocks] == [
        ("xa-hoi", ["xa-hoi 10h", "binh-dang-gioi 9h"]),
        ("lao-dong", ["lao-dong 11h", "lao-dong 7h"]),
    ]


def test_newest_of_each_section_without_sections_is_empty(db, django_assert_num_queries):
    site = tree()
    with django_assert_num_queries(0):
        assert selectors.newest_of_each_section(Article.objects.published(), site, 4) == []


def test_home_leaves_the_lead_story_out_of_its_sections_block(sections, make_article):
    social, _gender, labour = sections
    lead = make_article(title="Tin chính", category=social, published_at=local(2024, 5, 3))
    make_article(title="Tin xã hội", category=social, published_at=local(2024, 5, 2))
    make_article(title="Tin lao động", category=labour, published_at=local(2024, 5, 1))
    published = Article.objects.published()

    found = selectors.home_articles(
        published.front_page(3, 5).cards(), published, tree(), latest=2, pinned=5, count=4
    )

    assert found["lead"] == [lead]
    assert titles(found["latest"]) == ["Tin xã hội", "Tin lao động"]
    assert titles(found["sections"]) == ["Tin xã hội", "Tin lao động"]


def test_the_home_page_reads_the_latest_and_the_pinned_in_one_query(
    sections, make_article, django_assert_num_queries
):
    social, _gender, labour = sections
    now = timezone.now()
    for day in range(1, 6):
        make_article(title=f"Tin ngày {day}", category=labour, published_at=local(2024, 5, day))
    old_pin = make_article(
        title="Tin cũ được ghim trước",
        published_at=local(2024, 4, 1),
        pinned_until=now + timedelta(days=1),
    )
    new_pin = make_article(
        title="Tin cũ được ghim sau",
        published_at=local(2024, 4, 2),
        pinned_until=now + timedelta(hours=1),
    )
    make_article(
        title="Bản nháp được ghim",
        status=Article.Status.DRAFT,
        pinned_until=now + timedelta(days=1),
    )
    published = Article.objects.published()

    with django_assert_num_queries(1):
        front = list(published.front_page(3, 5).cards())
    found = selectors.home_articles(front, published, tree(), latest=2, pinned=5, count=4)

    # The most recently pinned leads, whatever its pin's end; the newest news follow.
    assert found["lead"] == [new_pin]
    assert found["featured"] == [old_pin]
    assert titles(found["latest"]) == ["Tin ngày 5", "Tin ngày 4"]
    assert "Tin cũ được ghim sau" not in titles(found["sections"])


def test_only_the_most_recently_pinned_are_featured(make_article):
    now = timezone.now()
    pins = [make_article(title=f"Ghim {n}", pinned_until=now + timedelta(days=1)) for n in range(4)]
    published = Article.objects.published()

    found = selectors.home_articles(
        published.front_page(10, 3).cards(), published, tree(), latest=9, pinned=3, count=4
    )

    assert found["lead"] == [pins[3]]
    assert found["featured"] == [pins[2], pins[1]]


def test_day_sections_show_the_first_items_and_say_when_there_are_more(sections, make_article):
    social, _gender, labour = sections
    for minute in range(3):
        make_article(
            title=f"Xã hội {minute}", category=social, published_at=local(2024, 5, 1, 8, minute)
        )
    make_article(title="Lao động", category=labour, published_at=local(2024, 5, 1, 7))
    articles = tree().attach(Article.objects.published().listing())

    blocks = selectors.day_sections(articles, tree(), limit=2)

    assert [(s.slug, titles(items), more) for s, items, more in blocks] == [
        ("xa-hoi", ["Xã hội 2", "Xã hội 1"], True),
        ("lao-dong", ["Lao động"], False),
    ]


def test_neighbours_are_the_nearest_published_in_the_section_and_language(
    sections, make_article, django_assert_num_queries
):
    social, gender, labour = sections
    older = make_article(title="Cũ hơn", category=social, published_at=local(2024, 5, 1))
    article = make_article(title="Bài này", category=social, published_at=local(2024, 5, 5))
    same_minute = make_article(title="Cùng phút", category=gender, published_at=local(2024, 5, 5))
    make_article(title="Bản nháp", category=social, status="draft", published_at=local(2024, 5, 4))
    make_article(title="Mục khác", category=labour, published_at=local(2024, 5, 3))
    make_article(title="English", category=social, language="en", published_at=local(2024, 5, 2))
    site = tree()

    with django_assert_num_queries(1):
        around = selectors.related_and_neighbours(article, 5, site)

    assert around["previous_article"] == older
    # At the same minute, the one created later comes after.
    assert around["next_article"] == same_minute
    assert titles(around["related_articles"]) == ["Cùng phút", "Cũ hơn"]


def test_an_article_without_a_time_has_related_news_but_no_neighbours(sections, make_article):
    social, _gender, _labour = sections
    make_article(title="Đã đăng", category=social, published_at=local(2024, 5, 1))
    draft = make_article(title="Nháp", category=social, status="draft", published_at=None)

    around = selectors.related_and_neighbours(draft, 5, tree())

    assert titles(around["related_articles"]) == ["Đã đăng"]
    assert around["previous_article"] is None and around["next_article"] is None


def test_news_days_around_skip_empty_days_in_one_query(make_article, django_assert_num_queries):
    make_article(published_at=local(2019, 10, 10))
    make_article(published_at=local(2019, 10, 20))
    make_article(status="draft", published_at=local(2019, 10, 14))

    with django_assert_num_queries(1):
        around = selectors.news_days_around(
            Article.objects.published(), date(2019, 10, 15), date(2019, 10, 16)
        )

    assert around == (date(2019, 10, 10), date(2019, 10, 20))


def test_news_days_around_follow_local_midnight(make_article):
    # 00:30 on 16/10 in Hà Nội is 17:30 UTC on 15/10; 23:59 on 14/10 stays on the 14th.
    make_article(published_at=datetime(2019, 10, 15, 17, 30, tzinfo=UTC))
    make_article(published_at=local(2019, 10, 14, 23, 59))

    around = selectors.news_days_around(
        Article.objects.published(), date(2019, 10, 15), date(2019, 10, 16)
    )

    assert around == (date(2019, 10, 14), date(2019, 10, 16))


def test_news_days_around_without_news_are_none(db):
    assert selectors.news_days_around(
        Article.objects.published(), date(2019, 10, 15), date(2019, 10, 16)
    ) == (None, None)


def test_counts_by_day_put_an_article_at_half_past_midnight_on_its_local_day(make_article):
    make_article(published_at=datetime(2019, 10, 17, 17, 30, tzinfo=UTC))  # 00:30 on 18/10
    make_article(published_at=local(2019, 10, 17, 23, 59))
    make_article(published_at=local(2019, 10, 17, 8))

    counts = Article.objects.published().counts_by(TruncDate)

    assert counts == {date(2019, 10, 17): 2, date(2019, 10, 18): 1}


def test_counts_by_month_give_the_year_page_its_twelve_months(make_article):
    make_article(published_at=datetime(2019, 10, 31, 17, 30, tzinfo=UTC))  # 00:30 on 1/11
    make_article(published_at=local(2019, 10, 2))

    per_month = selectors.count_per_month(Article.objects.published().counts_by(TruncMonth))
    months = selectors.months_of_year(2019, per_month)

    assert per_month == {10: 1, 11: 1}
    assert len(months) == 12
    assert months[9] == {"date": date(2019, 10, 1), "count": 1}
    assert months[0] == {"date": date(2019, 1, 1), "count": 0}


def test_month_calendar_weeks_start_on_monday_and_mark_other_months_days():
    weeks = selectors.weeks_of_month(date(2019, 10, 1), {date(2019, 10, 17): 3})

    assert weeks[0][0] == {"date": date(2019, 9, 30), "in_month": False, "count": 0}
    assert {"date": date(2019, 10, 17), "in_month": True, "count": 3} in weeks[2]


@pytest.mark.parametrize(
    ("helper", "day", "end"),
    [
        (selectors.next_day, date(2019, 12, 31), date(2020, 1, 1)),
        (selectors.next_day, date(2024, 2, 28), date(2024, 2, 29)),
        (selectors.next_month, date(2019, 12, 1), date(2020, 1, 1)),
        (selectors.next_month, date(2019, 1, 31), date(2019, 2, 1)),
        (selectors.next_year, date(2019, 1, 1), date(2020, 1, 1)),
    ],
)
def test_a_period_ends_where_the_next_begins(helper, day, end):
    assert helper(day) == end


def test_a_local_day_begins_at_5_pm_utc_the_day_before():
    midnight = selectors.local_midnight(date(2019, 10, 18))
    assert midnight == datetime(2019, 10, 17, 17, 0, tzinfo=UTC)
    assert midnight.utcoffset() == timedelta(hours=7)
