"""A scheduled article goes live by itself at its time, on every public endpoint."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 5, 15, 9, 0, tzinfo=HCM)
GOES_LIVE = NOW + timedelta(hours=2)


def endpoints(article):
    slug = article.category.slug
    return {
        "home": "/",
        "section": f"/chuyen-muc/{slug}/",
        "day": "/tin-theo-ngay/2024/05/15/",
        "month": "/tin-theo-ngay/2024/05/",
        "year": "/tin-theo-ngay/2024/",
        "search": "/tim-kiem/?q=chuong+trinh+hen+gio",
        "feed": "/rss/",
        "section feed": f"/chuyen-muc/{slug}/rss/",
        "sitemap": "/sitemap.xml",
    }


@pytest.fixture
def scheduled(make_article):
    with time_machine.travel(NOW, tick=False):
        make_article(title="Tin đã đăng từ trước", published_at=NOW - timedelta(days=1))
        return make_article(title="Chương trình hẹn giờ", published_at=GOES_LIVE)


def seen(client, url, article):
    page = client.get(url).content.decode()
    return article.title in page or article.slug in page


def test_scheduled_article_is_hidden_everywhere_before_its_time(client, scheduled):
    with time_machine.travel(GOES_LIVE - timedelta(seconds=1), tick=False):
        for name, url in endpoints(scheduled).items():
            assert not seen(client, url, scheduled), name
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        assert "1 tin trong tháng" in client.get("/tin-theo-ngay/2024/05/").content.decode()


def test_scheduled_article_appears_everywhere_at_its_time(client, scheduled):
    with time_machine.travel(NOW, tick=False) as clock:
        for url in endpoints(scheduled).values():
            client.get(url)  # pages cached before the article's time
        clock.move_to(GOES_LIVE + timedelta(seconds=1))
        for name, url in endpoints(scheduled).items():
            if name == "month":
                assert "2 tin trong tháng" in client.get(url).content.decode()
            elif name != "year":
                assert seen(client, url, scheduled), name
        response = client.get(scheduled.get_absolute_url())
        assert response.status_code == 200
        assert "Chương trình hẹn giờ" in response.content.decode()


def test_the_admin_shows_the_schedule_in_gmt7(scheduled, make_user):
    from django.test import Client

    client = Client()
    client.force_login(make_user("editor"))
    with time_machine.travel(NOW, tick=False):
        page = client.get("/admin/news/article/").content.decode()
    assert "Đã lên lịch 11:00 | 15/05/2024 (GMT+7)" in page


@pytest.mark.parametrize("page_cache_seconds", [0, 300])
def test_the_next_event_is_looked_up_once_until_it_passes(
    settings, make_article, django_assert_num_queries, page_cache_seconds, schedule_queries
):
    from portal.caching.store import seconds_until_next_change as seconds_until_next_event

    # With the page cache off the fragments still need it: it must be kept then too.
    settings.PORTAL_PAGE_CACHE_SECONDS = page_cache_seconds
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 3600
    with time_machine.travel(NOW, tick=False) as clock:
        make_article(published_at=NOW + timedelta(seconds=40))
        # One query per model with a schedule.
        with django_assert_num_queries(schedule_queries):
            assert seconds_until_next_event() == 40
        with django_assert_num_queries(0):
            assert seconds_until_next_event() == 40
        clock.shift(timedelta(seconds=41))
        # Passed: the next one is looked up again (there is none), and that is kept too.
        with django_assert_num_queries(schedule_queries):
            assert seconds_until_next_event() is None
        with django_assert_num_queries(0):
            assert seconds_until_next_event() is None
