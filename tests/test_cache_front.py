"""The page cache's WSGI front (portal.caching.pages.PageCacheFront), as gunicorn calls it.

The test client goes round the WSGI application, so these tests call portal.wsgi.application
with the environ a WSGI server builds.
"""

import io
import os
import sys
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils.http import http_date

from portal.caching import pages as page_cache
from portal.caching.pages import PageCacheFront
from portal.wsgi import application
from tests.test_cache import _closed_port, invalidate_in_another_process

pytestmark = pytest.mark.django_db


class Answer:
    def __init__(self, status, headers, body):
        self.status = int(status.split()[0])
        self.status_line = status
        self.headers = dict(headers)
        self.header_list = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode()


def call(path="/", method="GET", host="testserver", query="", app=application, **headers):
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }
    started = []

    def start_response(status, response_headers, exc_info=None):
        started.append((status, response_headers))

    # As Django's test client does: the test's database connection must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = app(environ, start_response)
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    status, response_headers = started[0]
    return Answer(status, response_headers, content)


@pytest.fixture
def django_requests():
    """How many requests reached Django (the front answers hits without it)."""
    seen = []

    def count(**kwargs):
        seen.append(1)

    request_started.connect(count)
    yield seen
    request_started.disconnect(count)


def test_a_stored_page_is_answered_before_django_runs(make_article, django_requests):
    make_article(title="Tin trả từ bộ đệm")
    first = call("/")
    assert first.status == 200 and first.headers["X-Page-Cache"] == "miss"
    assert len(django_requests) == 1

    second = call("/")
    assert second.status == 200 and second.headers["X-Page-Cache"] == "hit"
    assert len(django_requests) == 1, "a hit must not build a Django request"
    assert "Tin trả từ bộ đệm" in second.text
    assert second.body == first.body
    # What the middleware added when the page was made is served with it.
    for name in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "ETag",
        "Vary",
    ):
        assert second.headers[name] == first.headers[name], name
    assert second.headers["Content-Length"] == str(len(second.body))


def test_the_front_serves_each_copy_to_its_own_encoding(make_article):
    make_article(title="Tin dài để nén", lead="Đoạn sapo dài. " * 100)
    for _ in range(2):
        zipped = call("/", accept_encoding="gzip, deflate, br")
        plain = call("/")
    assert zipped.headers["X-Page-Cache"] == plain.headers["X-Page-Cache"] == "hit"
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert "Tin dài để nén" in plain.text


def test_the_front_answers_conditional_gets(make_article, django_requests):
    article = make_article(title="Tin có ETag")
    url = article.get_absolute_url()
    first = call(url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]

    not_modified = call(url, if_none_match=etag)
    assert not_modified.status == 304 and not_modified.body == b""
    assert not_modified.headers["ETag"] == etag
    assert not_modified.headers["X-Page-Cache"] == "hit"
    assert "Content-Length" not in not_modified.headers
    assert call(url, if_none_match=f'"other", W/{etag}').status == 304
    assert call(url, if_none_match="*").status == 304
    assert call(url, if_none_match='"something-else"').status == 200
    # If-Modified-Since, alone: 304 from the page's Last-Modified on; If-None-Match decides
    # alone when both are sent.
    assert call(url, if_modified_since=last_modified).status == 304
    assert call(url, if_modified_since=http_date(0)).status == 200
    answer = call(url, if_modified_since=last_modified, if_none_match='"something-else"')
    assert answer.status == 200
    assert len(django_requests) == 1


def test_write_preconditions_are_left_to_django(make_article, django_requests):
    make_article()
    call("/")
    answer = call("/", if_match='"not-this-page"')
    assert answer.status == 412
    assert len(django_requests) == 2


def test_head_gets_the_headers_without_the_page(make_article):
    make_article()
    page = call("/")
    head = call("/", method="HEAD")
    assert head.status == 200 and head.headers["X-Page-Cache"] == "hit"
    assert head.body == b""
    assert head.headers["Content-Length"] == page.headers["Content-Length"]


def test_each_hit_has_its_own_request_id(make_article):
    make_article()
    call("/")
    ids = {call("/").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
    assert call("/", x_request_id="proxy-given-id-123").headers["X-Request-ID"] == (
        "proxy-given-id-123"
    )
    assert call("/", x_request_id="bad id!").headers["X-Request-ID"] != "bad id!"


def test_a_host_that_is_not_ours_is_refused_by_django(make_article):
    make_article()
    call("/")
    assert call("/").headers["X-Page-Cache"] == "hit"
    refused = call("/", host="evil.example")
    assert refused.status == 400
    assert "X-Page-Cache" not in refused.headers


def test_staff_and_readers_with_preferences_are_not_served_stored_pages(
    make_article, staff_user, django_requests
):
    make_article(title="Tin cho biên tập viên")
    call("/")
    from django.test import Client

    staff = Client()
    staff.force_login(staff_user)
    session = staff.cookies["sessionid"].value
    answer = call("/", cookie=f"sessionid={session}")
    assert answer.status == 200 and "X-Page-Cache" not in answer.headers
    contrast = call("/", cookie="tuong-phan=cao")
    assert "X-Page-Cache" not in contrast.headers
    # A cookie that is neither (an analytics id, say) does not keep a reader off the cache.
    assert call("/", cookie="_ga=GA1.1.1").headers["X-Page-Cache"] == "hit"
    assert len(django_requests) == 3


def test_plain_http_behind_the_proxy_is_redirected_not_served(make_article, settings):
    make_article()
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Middleware reads its settings when it is made, as in a newly started worker.
    app = PageCacheFront(WSGIHandler())
    call("/", x_forwarded_proto="https", app=app)
    assert call("/", x_forwarded_proto="https", app=app).headers["X-Page-Cache"] == "hit"
    plain = call("/", x_forwarded_proto="http", app=app)
    assert plain.status == 301
    assert plain.headers["Location"] == "https://testserver/"


def test_saving_makes_the_front_stop_serving_the_old_page(make_article):
    article = make_article(title="Tin trước khi sửa")
    call("/")
    assert "Tin trước khi sửa" in call("/").text
    article.title = "Tin sau khi sửa"
    article.save()
    answer = call("/")
    assert answer.headers["X-Page-Cache"] == "miss"
    assert "Tin sau khi sửa" in answer.text


def test_a_miss_costs_one_cache_lookup(make_article):
    make_article()
    with mock.patch.object(page_cache, "_lookup", wraps=page_cache._lookup) as lookup:
        assert call("/").headers["X-Page-Cache"] == "miss"
    assert lookup.call_count == 1


def test_a_cache_outage_is_tried_once_and_the_page_served(make_article, settings):
    make_article(title="Tin khi Redis hỏng")
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.caching.backends.PooledRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    with mock.patch.object(page_cache, "_lookup", wraps=page_cache._lookup) as lookup:
        answer = call("/")
    assert answer.status == 200 and "Tin khi Redis hỏng" in answer.text
    assert lookup.call_count == 1
    # Nothing knows how long it is current: HTTP caches in front may not keep it.
    assert "s-maxage=0" in answer.headers["Cache-Control"]


def test_the_front_follows_invalidation_in_another_process(make_article, settings, redis_url):
    prefix = f"test-front-{os.getpid()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.caching.backends.PooledRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    from django.core.cache import cache

    cache.clear()
    make_article(title="Tin trong Redis")
    call("/")
    assert call("/").headers["X-Page-Cache"] == "hit"
    invalidate_in_another_process(redis_url, prefix)
    assert call("/").headers["X-Page-Cache"] == "miss"
    assert call("/").headers["X-Page-Cache"] == "hit"
    cache.clear()
