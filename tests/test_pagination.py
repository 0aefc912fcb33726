"""Section and search paging counts only a few pages ahead, never the whole archive."""

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
