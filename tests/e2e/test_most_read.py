"""Most read in a browser: the view is counted when the browser shows the page, whichever cache
the page came from, once per browser and hour."""

import pytest
from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse
from playwright.sync_api import expect

from readership import batches
from readership.models import ReadCount
from readership.stores import read_store

pytestmark = pytest.mark.django_db(transaction=True)

# A reader's Chrome: the headless one the tests drive says HeadlessChrome, a bot's name.
READER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@pytest.fixture
def store():
    found = read_store()
    found.clear()
    yield found
    found.clear()


def is_beacon(response):
    return response.url.endswith(reverse("readership:count"))


def reads_of(article):
    return ReadCount.objects.filter(article=article).aggregate(n=Sum("reads"))["n"] or 0


def test_a_page_from_the_page_cache_still_counts_the_view(open_page, store, make_article):
    article = make_article(title="Tin đọc trên trình duyệt")
    url = article.get_absolute_url()

    first = open_page(user_agent=READER)
    with first.expect_response(is_beacon) as counted:
        assert first.goto(url).headers["x-page-cache"] == "miss"
    assert counted.value.status == 204

    # Another browser gets the stored page: Django never sees the page's request.
    second = open_page(user_agent=READER)
    with second.expect_response(is_beacon) as counted:
        assert second.goto(url).headers["x-page-cache"] == "hit"
    assert counted.value.status == 204

    # The first browser reloads: its beacon goes, and counts nothing more.
    with first.expect_response(is_beacon):
        first.reload()
    # The browsers' own bot says its name: not counted.
    bot = open_page()
    with bot.expect_response(is_beacon) as counted:
        bot.goto(url)
    assert counted.value.status == 204

    batches.write_batches()
    assert reads_of(article) == 2
    cache.clear()  # a minute later: the lists the article pages showed have ended
    first.goto(reverse("readership:most-read"))
    day = first.locator("section", has=first.locator("#trong-ngay"))
    expect(day.get_by_role("link", name="Tin đọc trên trình duyệt")).to_be_visible()
