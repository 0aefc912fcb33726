"""The anonymous full-page cache: hits, invalidation, scheduling, staff and previews."""

import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from news.models import Article

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response, response.content.decode()


def public_urls(article):
    local = timezone.localtime(article.published_at)
    day = f"/tin-theo-ngay/{local:%Y/%m/%d}/"
    return [
        "/",
        f"/chuyen-muc/{article.category.slug}/",
        article.get_absolute_url(),
        day,
        f"/tin-theo-ngay/{local:%Y/%m}/",
        "/rss/",
        f"/chuyen-muc/{article.category.slug}/rss/",
        "/sitemap.xml",
    ]


def test_second_anonymous_request_is_served_from_the_cache(
    client, make_article, django_assert_num_queries
):
    make_article(title="Tin được lưu đệm")
    first, _ = get(client, "/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second, page = get(client, "/")
    assert second["X-Page-Cache"] == "hit"
    assert "Tin được lưu đệm" in page


def test_publishing_shows_at_once_on_every_page(client, make_article):
    old = make_article(title="Tin cũ")
    for url in public_urls(old):
        get(client, url)  # warm the cache
    new = make_article(title="Tin mới xuất bản", published_at=old.published_at)
    urls = public_urls(old)
    month = urls.pop(4)
    for url in urls:
        response, page = get(client, url)
        assert "Tin mới xuất bản" in page or new.slug in page, url
        assert response["X-Page-Cache"] == "miss"
    assert "2 tin trong tháng" in get(client, month)[1]


def test_editing_unpublishing_and_deleting_invalidate_the_article_everywhere(client, make_article):
    article = make_article(title="Tiêu đề ban đầu")
    urls = public_urls(article)
    for url in urls:
        get(client, url)

    article.title = "Tiêu đề đã sửa"
    article.save()
    for url in urls:
        assert get(client, url)[0]["X-Page-Cache"] == "miss", url
    for url in urls[:4] + urls[5:7]:
        assert "Tiêu đề đã sửa" in get(client, url)[1], url

    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(urls[2]).status_code == 404
    for url in [urls[0], urls[1], urls[3], urls[5], urls[6]]:
        assert "Tiêu đề đã sửa" not in get(client, url)[1]
    assert article.slug not in get(client, urls[7])[1]
    assert (
        "0 tin trong tháng" in get(client, urls[4])[1]
        or "Không có tin nào" in (get(client, urls[4])[1])
    )

    article.status = Article.Status.PUBLISHED
    article.save()
    assert "Tiêu đề đã sửa" in get(client, "/")[1]
    article.delete()
    assert "Tiêu đề đã sửa" not in get(client, "/")[1]


def test_changing_a_category_invalidates_pages(client, make_article, category):
    make_article()
    assert "Xã hội" in get(client, "/")[1]
    category.name = "An sinh xã hội"
    category.save()
    assert "An sinh xã hội" in get(client, "/")[1]


def test_scheduled_article_appears_at_its_time_with_the_cache_in_front(client, make_article):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        make_article(title="Tin đang hiển thị", published_at=now - timedelta(hours=1))
        make_article(title="Tin hẹn giờ", published_at=now + timedelta(seconds=40))
        response, page = get(client, "/")
        assert "Tin hẹn giờ" not in page
        assert get(client, "/")[0]["X-Page-Cache"] == "hit"
        clock.shift(timedelta(seconds=41))
        response, page = get(client, "/")
        assert "Tin hẹn giờ" in page
        assert response["X-Page-Cache"] == "miss"


def test_expiry_is_honoured_with_the_cache_in_front(client, make_article):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        make_article(
            title="Tin sắp hết hạn",
            published_at=now - timedelta(hours=1),
            expires_at=now + timedelta(seconds=30),
        )
        assert "Tin sắp hết hạn" in get(client, "/")[1]
        clock.shift(timedelta(seconds=31))
        assert "Tin sắp hết hạn" not in get(client, "/")[1]


def test_staff_are_never_served_from_or_stored_in_the_cache(client, staff_user, make_article):
    make_article(title="Tin công khai")
    staff = Client()
    staff.force_login(staff_user)
    response = staff.get("/")
    assert "X-Page-Cache" not in response
    assert get(client, "/")[0]["X-Page-Cache"] == "miss"  # staff's visit stored nothing
    assert get(client, "/")[0]["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in staff.get("/")


def test_previews_are_never_cached(staff_client, make_article):
    draft = make_article(status="draft", title="Bản nháp bí mật")
    response = staff_client.get(f"/xem-truoc/{draft.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "X-Page-Cache" not in response
    assert Client().get(f"/xem-truoc/{draft.pk}/").status_code == 404


def test_not_found_pages_are_not_stored(client):
    for _ in range(2):
        response = client.get("/chuyen-muc/khong-co/")
        assert response.status_code == 404
        assert response.get("X-Page-Cache") != "hit"


def test_article_pages_and_feeds_answer_conditional_gets(client, make_article):
    article = make_article()
    for url in [article.get_absolute_url(), "/rss/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.has_header("ETag")
        assert response.has_header("Last-Modified")
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert since.status_code == 304


def test_html_is_compressed_for_browsers_that_accept_it(client, make_article):
    make_article(body="<p>" + "Nội dung dài. " * 200 + "</p>")
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"


def test_a_stored_page_answers_conditional_gets(client, make_article):
    make_article()
    first = client.get("/")
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["X-Page-Cache"] == "hit"
    assert client.get("/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_compressed_and_plain_copies_are_stored_apart(client, make_article):
    make_article(title="Tin nén được", lead="Đoạn sapo dài. " * 100)
    for _ in range(2):
        zipped = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
        plain = client.get("/")
        assert zipped["Content-Encoding"] == "gzip"
        assert not plain.has_header("Content-Encoding")
        assert "Tin nén được" in plain.content.decode()
    assert zipped["X-Page-Cache"] == "hit" and plain["X-Page-Cache"] == "hit"


def test_every_response_from_the_cache_has_its_own_request_id(client, make_article):
    make_article()
    ids = {client.get("/")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
    assert client.get("/", HTTP_X_REQUEST_ID="proxy-given-id-123")["X-Request-ID"] == (
        "proxy-given-id-123"
    )


def test_plain_http_is_redirected_even_when_the_page_is_stored(client, make_article, settings):
    make_article()
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", secure=True).status_code == 200
    assert client.get("/", secure=True)["X-Page-Cache"] == "hit"
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_a_host_that_is_not_ours_never_reaches_a_stored_page(client, make_article):
    make_article()
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


def test_static_files_never_touch_the_page_cache(client, settings):
    from portal.caching import pages as page_cache

    response = client.get("/static/css/site.css")
    assert "X-Page-Cache" not in response
    assert any(path.startswith("/static/") for path in page_cache._excluded_paths())


def test_a_cache_outage_serves_pages_uncached(client, make_article, settings, caplog):
    make_article(title="Tin vẫn hiện khi Redis hỏng")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    for _ in range(3):
        response, page = get(client, "/")
        assert "Tin vẫn hiện khi Redis hỏng" in page
    warnings = [r for r in caplog.records if "Page cache unavailable" in r.getMessage()]
    assert len(warnings) <= 1


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- across processes -------------------------------------------------------------------


def test_invalidation_reaches_every_process_through_redis(
    client, make_article, settings, redis_url
):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.caching.backends.PooledRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    cache.clear()
    make_article(title="Tin trong Redis")
    get(client, "/")
    assert get(client, "/")[0]["X-Page-Cache"] == "hit"

    # Another process (another gunicorn worker, another server) saves something.
    invalidate_in_another_process(redis_url, f"test-{os.getpid()}")
    assert get(client, "/")[0]["X-Page-Cache"] == "miss"
    cache.clear()


def invalidate_in_another_process(redis_url, prefix):
    """What a save in another gunicorn worker, or on another server, does to the shared cache."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "CACHE_URL": redis_url,
        "DJANGO_CACHE_PREFIX": prefix,
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from portal.caching.store import invalidate; invalidate()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
