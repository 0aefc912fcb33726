"""Fragments kept in the shared cache (portal/caching/fragments.py), seen with the page cache off.

These are what a page that misses the page cache is made of: the header, footer and menu, the
article cards, an article's own content, its related list and pager. They must never show
anything the page itself would not.
"""

import os
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agency.models import SiteIdentity
from news.models import Article, Category
from tests.test_cache import _closed_port, get, invalidate_in_another_process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    # Every request renders its page; only the fragments can come from the cache.
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 3600


def test_a_repeated_article_page_runs_no_query(client, make_article, django_assert_num_queries):
    article = make_article(title="Tin chính")
    make_article(title="Tin cùng mục", published_at=article.published_at - timedelta(hours=1))
    first = get(client, article.get_absolute_url())[1]
    # The article, the frame, categories, related list and pager all come from the cache.
    with django_assert_num_queries(0):
        second = get(client, article.get_absolute_url())[1]
    assert second == first
    assert "Tin cùng mục" in second


def test_a_shared_article_is_gone_when_unpublished_or_expired(client, make_article):
    article = make_article(title="Tin sẽ gỡ")
    url = article.get_absolute_url()
    get(client, url)
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(url).status_code == 404

    soon = timezone.now() + timedelta(minutes=30)
    expiring = make_article(title="Tin hết hạn", expires_at=soon)
    url = expiring.get_absolute_url()
    assert "Tin hết hạn" in get(client, url)[1]
    with time_machine.travel(soon + timedelta(seconds=1)):
        assert client.get(url).status_code == 404


def test_editing_an_article_shows_on_every_page_at_once(client, make_article, category):
    article = make_article(title="Tiêu đề cũ")
    urls = ["/", f"/chuyen-muc/{category.slug}/", article.get_absolute_url()]
    for url in urls:
        assert "Tiêu đề cũ" in get(client, url)[1]
    article.title = "Tiêu đề mới"
    article.save()
    for url in urls:
        page = get(client, url)[1]
        assert "Tiêu đề mới" in page and "Tiêu đề cũ" not in page, url


def test_renaming_a_section_changes_the_menu_and_the_cards(client, make_article, category):
    make_article()
    assert ">Xã hội</a>" in get(client, "/")[1]
    category.name = "An sinh xã hội"
    category.save()
    page = get(client, "/")[1]
    assert ">An sinh xã hội</a>" in page and ">Xã hội</a>" not in page


def test_scheduled_article_joins_the_related_list_at_its_time(client, make_article):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        reader = make_article(title="Tin đang đọc", published_at=now - timedelta(hours=2))
        make_article(title="Tin hẹn giờ cùng mục", published_at=now + timedelta(seconds=40))
        assert "Tin hẹn giờ cùng mục" not in get(client, reader.get_absolute_url())[1]
        clock.shift(timedelta(seconds=41))
        page = get(client, reader.get_absolute_url())[1]
        assert "Tin hẹn giờ cùng mục" in page  # in the related list, and as the next article
        assert 'rel="next">Tin hẹn giờ cùng mục</a>' in page


def test_expired_article_leaves_the_related_list_at_its_time(client, make_article):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        reader = make_article(title="Tin đang đọc", published_at=now - timedelta(hours=2))
        make_article(
            title="Tin sắp hết hạn",
            published_at=now - timedelta(hours=1),
            expires_at=now + timedelta(seconds=30),
        )
        assert "Tin sắp hết hạn" in get(client, reader.get_absolute_url())[1]
        clock.shift(timedelta(seconds=31))
        assert "Tin sắp hết hạn" not in get(client, reader.get_absolute_url())[1]


def test_fragments_follow_the_language_of_the_page(client, make_article):
    make_article(title="Tin tiếng Việt")
    vietnamese = get(client, "/")[1]
    english = get(client, "/en/")[1]
    assert "Trang chủ" in vietnamese
    assert "Trang chủ" not in english and "Home" in english


def test_a_cache_outage_renders_every_fragment(client, make_article, settings):
    article = make_article(title="Tin khi bộ đệm hỏng")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    for url in ["/", article.get_absolute_url()]:
        page = get(client, url)[1]
        assert "Tin khi bộ đệm hỏng" in page


@pytest.mark.parametrize("page_cache_seconds", [0, 300])
def test_an_outage_costs_one_failed_cache_call_per_request(
    client, make_article, settings, monkeypatch, page_cache_seconds
):
    article = make_article(title="Tin khi Redis tắt")
    settings.PORTAL_PAGE_CACHE_SECONDS = page_cache_seconds
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    failures = []
    monkeypatch.setattr("portal.caching.store.warn", failures.append)
    for url in ["/", article.get_absolute_url()]:
        failures.clear()
        assert "Tin khi Redis tắt" in get(client, url)[1]
        # The first failure tells the rest of the page not to wait for the cache again.
        assert len(failures) == 1, url


def test_another_process_invalidating_makes_every_fragment_stale(
    client, make_article, settings, redis_url
):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.caching.backends.PooledRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-fragments-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    cache.clear()
    make_article()
    SiteIdentity.objects.update_or_create(pk=1, defaults={"name_vi": "Bộ Tên Cũ"})
    assert "Bộ Tên Cũ" in get(client, "/")[1]
    # Changed behind the signals' back: only the other process's invalidation can reveal it.
    SiteIdentity.objects.filter(pk=1).update(name_vi="Bộ Tên Mới")
    Category.objects.update(name="Mục Đổi Tên")
    assert "Bộ Tên Cũ" in get(client, "/")[1]  # the fragments are shared, not re-read

    invalidate_in_another_process(redis_url, f"test-fragments-{os.getpid()}")
    page = get(client, "/")[1]
    assert "Bộ Tên Mới" in page and "Mục Đổi Tên" in page
    cache.clear()


def test_staff_previews_never_store_a_draft_in_shared_fragments(client, staff_client, make_article):
    article = make_article(title="Tin đã đăng")
    draft = make_article(title="Bản nháp chưa đăng", status=Article.Status.DRAFT)
    preview = staff_client.get(f"/xem-truoc/{draft.pk}/")
    assert preview.status_code == 200
    assert "Bản nháp chưa đăng" not in get(client, article.get_absolute_url())[1]
    assert "Bản nháp chưa đăng" not in get(client, "/")[1]


def test_absolute_links_follow_the_address_the_reader_used(client, make_article):
    article = make_article(title="Tin có liên kết chia sẻ")
    plain = get(client, article.get_absolute_url())[1]
    secure = client.get(article.get_absolute_url(), secure=True, HTTP_HOST="localhost")
    assert "http://testserver/tin-tuc/" in plain
    assert "https://localhost/tin-tuc/" in secure.content.decode()
    assert "http://testserver/tin-tuc/" not in secure.content.decode()


# -- what a warm page reads ---------------------------------------------------------------


class CacheReads:
    """Counts the round trips the page makes to the shared cache."""

    def __init__(self, store, monkeypatch):
        self.calls = []
        self.depth = 0  # local memory's get_many calls its own get: count the outer call only
        for name in ("get", "get_many", "set", "set_many"):
            original = getattr(store, name)

            def counted(*args, _name=name, _original=original, **kwargs):
                if not self.depth:
                    self.calls.append(_name)
                self.depth += 1
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.depth -= 1

            monkeypatch.setattr(store, name, counted)

    def reads(self):
        return [name for name in self.calls if name.startswith("get")]

    def writes(self):
        return [name for name in self.calls if name.startswith("set")]


@pytest.fixture
def cache_calls(monkeypatch):
    from django.core.cache import cache

    return CacheReads(cache, monkeypatch)


def test_a_warm_article_page_reads_its_fragments_and_writes_nothing(
    client, make_article, cache_calls
):
    article = make_article(title="Tin một lượt")
    make_article(title="Tin liên quan", published_at=article.published_at - timedelta(hours=2))
    get(client, article.get_absolute_url())  # made: every fragment stored
    # Made again from stored fragments: the related news and neighbours, a lazy fragment, are
    # no longer read, and the page's list of fragments says so from now on.
    get(client, article.get_absolute_url())
    cache_calls.calls.clear()
    page = get(client, article.get_absolute_url())[1]
    assert "Tin một lượt" in page and "Tin liên quan" in page
    # One read for the generation and the list of fragments the page used last time, one for
    # all of them: the article, the frame, the sections, the header, the article head, the
    # article, the pager, the related list, the aside and the footer.
    assert cache_calls.reads() == ["get_many", "get_many"]
    assert cache_calls.writes() == []


@pytest.mark.parametrize(
    "url", ["/", "/tin-theo-ngay/{day}/", "{article}", "/chuyen-muc/{section}/"]
)
def test_a_page_made_again_reads_its_fragments_in_two_round_trips(
    client, make_article, cache_calls, url
):
    article = make_article(title="Tin hai lượt")
    make_article(title="Tin hôm trước", published_at=article.published_at - timedelta(days=1))
    day = f"{timezone.localtime(article.published_at):%Y/%m/%d}"
    url = url.format(section=article.category.slug, article=article.get_absolute_url(), day=day)
    for _ in range(3):
        assert client.get(url).status_code == 200
    cache_calls.calls.clear()
    page = client.get(url).content.decode()
    assert "Tin hai lượt" in page
    assert cache_calls.reads() == ["get_many", "get_many"]
    assert cache_calls.writes() == []


def test_a_stored_day_never_reads_the_articles_it_shows(client, make_article, monkeypatch):
    """The day's articles are a lazy fragment: with the day's own template fragment stored,
    neither the database nor the cache is asked for them."""
    from news import selectors

    article = make_article(title="Tin của ngày")
    url = f"/tin-theo-ngay/{timezone.localtime(article.published_at):%Y/%m/%d}/"
    client.get(url)
    client.get(url)  # the list of the page's fragments now leaves the articles out

    def not_again(*args, **kwargs):
        raise AssertionError("the day's articles were loaded again")

    monkeypatch.setattr(selectors, "newest_of_each_section", not_again)
    from django.core.cache import cache

    asked = []
    get_many = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda keys, **kw: asked.extend(keys) or get_many(keys, **kw)
    )
    page = client.get(url).content.decode()
    assert "Tin của ngày" in page
    assert asked and not [key for key in asked if ":day-articles:" in key]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/chuyen-muc/{section}/",
        "{article}",
        "/tin-theo-ngay/{day}/",
        "/en/",
        "/tim-kiem/?q=lao",
    ],
)
def test_a_page_from_fragments_is_the_page_rendered_whole(client, make_article, settings, url):
    article = make_article(title="Tin lao động", lead="Tóm tắt tin lao động")
    make_article(title="Tin trước", published_at=article.published_at - timedelta(days=1))
    day = f"{timezone.localtime(article.published_at):%Y/%m/%d}"
    url = url.format(section=article.category.slug, article=article.get_absolute_url(), day=day)
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    rendered_whole = get(client, url)[1]
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 3600
    cold = get(client, url)[1]
    warm = get(client, url)[1]
    assert cold == rendered_whole
    assert warm == rendered_whole


def test_a_warm_list_page_renders_no_card(client, make_article):
    first = make_article(title="Tin thứ nhất trong ngày")
    for n in range(1, 6):
        earlier = first.published_at - timedelta(minutes=n)  # the same day
        make_article(title=f"Tin thứ {n + 1}", published_at=earlier)
    url = f"/tin-theo-ngay/{timezone.localtime(first.published_at):%Y/%m/%d}/"
    cold = client.get(url)
    assert "news/includes/card.html" in [t.name for t in cold.templates]

    warm = client.get(url)
    page = warm.content.decode()
    assert "Tin thứ nhất trong ngày" in page and "Tin thứ 6" in page
    assert "news/includes/card.html" not in [t.name for t in warm.templates]


def test_a_card_follows_its_image(client, make_article, settings):
    from news.models import Image

    article = make_article(title="Tin có ảnh")
    image = Image.objects.create(
        file=SimpleUploadedFile("anh.jpg", _jpeg(), content_type="image/jpeg"),
        caption="Chú thích cũ",
    )
    article.featured_image = image
    article.save()
    section = f"/chuyen-muc/{article.category.slug}/"
    assert 'alt="Chú thích cũ"' in get(client, section)[1]
    image.alt_text = "Mô tả ảnh mới"
    image.save()
    page = get(client, section)[1]
    assert 'alt="Mô tả ảnh mới"' in page and "Chú thích cũ" not in page


def _jpeg():
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 600), "#336699").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("period", "text"), [("%Y/%m", "tin trong tháng"), ("%Y", "tin trong năm")]
)
def test_the_calendar_counts_follow_publication(client, make_article, period, text):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        make_article(title="Tin đã đăng", published_at=now - timedelta(minutes=5))
        make_article(title="Tin hẹn giờ", published_at=now + timedelta(seconds=40))
        url = f"/tin-theo-ngay/{timezone.localtime(now).strftime(period)}/"
        assert f"1 {text}" in get(client, url)[1]
        assert f"1 {text}" in get(client, url)[1]  # from the cache
        clock.shift(timedelta(seconds=41))
        assert f"2 {text}" in get(client, url)[1]
        make_article(title="Tin mới thêm", published_at=now)
        assert f"3 {text}" in get(client, url)[1]


def test_a_repeated_day_page_runs_no_query(client, make_article, django_assert_num_queries):
    article = make_article(title="Tin trong ngày")
    day = timezone.localdate(article.published_at)  # an hour ago: yesterday just after midnight
    url = f"/tin-theo-ngay/{day:%Y/%m/%d}/"
    first = get(client, url)[1]
    # The day's newest of each section, the days before and after, the cards: all fragments.
    with django_assert_num_queries(0):
        second = get(client, url)[1]
    assert second == first
    assert "Tin trong ngày" in second


def test_a_day_page_and_its_neighbours_follow_publication(client, make_article):
    moment = timezone.make_aware(timezone.datetime(2026, 11, 20, 10, 0))
    with time_machine.travel(moment, tick=False) as clock:
        make_article(title="Tin hôm qua", published_at=moment - timedelta(days=1))
        make_article(title="Tin hẹn giờ hôm nay", published_at=moment + timedelta(seconds=40))
        yesterday, today = "/tin-theo-ngay/2026/11/19/", "/tin-theo-ngay/2026/11/20/"
        next_day = f'href="{today}">Ngày sau có tin:'
        for _ in range(2):  # the second time from the cache
            assert next_day not in get(client, yesterday)[1]
            assert "Tin hẹn giờ hôm nay" not in get(client, today)[1]
        clock.shift(timedelta(seconds=41))
        assert "Tin hẹn giờ hôm nay" in get(client, today)[1]
        assert next_day in get(client, yesterday)[1]
        make_article(title="Tin mới thêm hôm nay", published_at=moment)
        assert "Tin mới thêm hôm nay" in get(client, today)[1]


def test_a_repeated_home_page_runs_no_query(client, make_article, django_assert_num_queries):
    make_article(title="Tin đầu trang")
    make_article(title="Tin cũ hơn", published_at=timezone.now() - timedelta(days=2))
    first = get(client, "/")[1]
    with django_assert_num_queries(0):
        second = get(client, "/")[1]
    assert second == first
    assert "Tin đầu trang" in second and "Tin cũ hơn" in second


def test_the_home_page_follows_publication(client, make_article):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        make_article(title="Tin đã đăng", published_at=now - timedelta(hours=1))
        make_article(title="Tin hẹn giờ", published_at=now + timedelta(seconds=40))
        for _ in range(2):  # the second time from the cache
            assert "Tin hẹn giờ" not in get(client, "/")[1]
        clock.shift(timedelta(seconds=41))
        assert "Tin hẹn giờ" in get(client, "/")[1]
        make_article(title="Tin mới thêm", published_at=now)
        assert "Tin mới thêm" in get(client, "/")[1]


def test_a_repeated_section_page_runs_no_query(
    client, make_article, category, django_assert_num_queries
):
    for n in range(25):
        make_article(title=f"Tin số {n}", published_at=timezone.now() - timedelta(hours=n + 1))
    for url in (f"/chuyen-muc/{category.slug}/", f"/chuyen-muc/{category.slug}/?trang=2"):
        first = get(client, url)[1]
        with django_assert_num_queries(0):
            second = get(client, url)[1]
        assert second == first
    assert "Tin số 0" in get(client, f"/chuyen-muc/{category.slug}/")[1]
    assert "Tin số 24" in second and "Tin số 0" not in second


def test_a_section_page_follows_publication_and_never_keeps_a_404(client, make_article, category):
    url = f"/chuyen-muc/{category.slug}/"
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        make_article(title="Tin đã đăng", published_at=now - timedelta(hours=1))
        make_article(title="Tin hẹn giờ", published_at=now + timedelta(seconds=40))
        for _ in range(2):  # the second time from the cache
            assert "Tin hẹn giờ" not in get(client, url)[1]
            assert client.get(url + "?trang=2").status_code == 404
        clock.shift(timedelta(seconds=41))
        assert "Tin hẹn giờ" in get(client, url)[1]
        for n in range(20):
            make_article(title=f"Tin thêm {n}", published_at=now - timedelta(minutes=n + 1))
        assert "Tin đã đăng" in get(client, url + "?trang=2")[1]
