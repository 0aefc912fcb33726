"""Section and search paging counts only a few pages ahead, never the whole archive."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.pagination import WindowedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(make_article):
    for n in range(65):
        make_article(title=f"Tin số {n}")


def test_the_count_stops_a_few_pages_ahead(client, many, monkeypatch):
    monkeypatch.setattr(WindowedPaginator, "LOOKAHEAD", 1)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/chuyen-muc/xa-hoi/").content.decode()
    count_sql = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"])
    assert "LIMIT 41" in count_sql
    assert "?trang=2" in page and "…" in page and "?trang=4" not in page


def test_later_and_last_pages_are_still_reachable_and_past_the_end_is_404(
    client, many, monkeypatch
):
    monkeypatch.setattr(WindowedPaginator, "LOOKAHEAD", 1)
    last = client.get("/chuyen-muc/xa-hoi/?trang=4")
    assert last.status_code == 200
    assert "Tin số 0" in last.content.decode()
    assert client.get("/chuyen-muc/xa-hoi/?trang=5").status_code == 404


# First and last pages (issue 20, point 7)


def test_section_paging_links_the_first_and_last_pages(client, many):
    page = client.get("/chuyen-muc/xa-hoi/?trang=2").content.decode()
    assert '<a href="?">« Trang đầu</a>' in page
    assert '<a href="?trang=4">Trang cuối »</a>' in page
    first = client.get("/chuyen-muc/xa-hoi/").content.decode()
    assert "Trang đầu" not in first and "Trang trước" not in first
    last = client.get("/chuyen-muc/xa-hoi/?trang=4").content.decode()
    assert "Trang cuối" not in last and "Trang sau" not in last


def test_last_page_is_reachable_when_the_count_stopped_early(
    client, many, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(WindowedPaginator, "LOOKAHEAD", 1)
    first = client.get("/chuyen-muc/xa-hoi/").content.decode()
    # The count stopped after two pages: the last one is named, not numbered.
    assert '<a href="?trang=cuoi">Trang cuối »</a>' in first

    # Counted only for the reader who asks: the same queries as any page of the section.
    with django_assert_max_num_queries(5):
        response = client.get("/chuyen-muc/xa-hoi/?trang=cuoi")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tin số 0" in page and "Tin số 5" not in page
    assert 'aria-current="page"><span class="visually-hidden">Trang </span>4</a>' in page
    assert '<link rel="canonical" href="http://testserver/chuyen-muc/xa-hoi/?trang=4">' in page
    assert "Trang cuối" not in page and 'rel="next"' not in page


def test_last_page_of_an_empty_section_is_its_first(client, category):
    response = client.get("/chuyen-muc/xa-hoi/?trang=cuoi")
    assert response.status_code == 200
    assert "Chuyên mục này chưa có tin." in response.content.decode()


def test_day_filtered_to_a_section_pages_to_the_last_page_too(client, make_article):
    from tests.reader import VN

    for n in range(25):
        make_article(title=f"Tin {n}", published_at=datetime(2024, 5, 15, 8, n, tzinfo=VN))
    url = "/tin-theo-ngay/2024/05/15/?chuyen-muc=xa-hoi"
    page = client.get(url).content.decode()
    assert '<a href="?chuyen-muc=xa-hoi&amp;trang=2">Trang cuối »</a>' in page
    assert client.get(url + "&trang=cuoi").status_code == 200
