"""Search: titles, leads and bodies, ignoring case and Vietnamese diacritics."""

import re
from datetime import timedelta

import pytest
from django.db import connection

from news.models import Article, Category
from tests.reader import NOW, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def found_titles(response):
    """The titles of the results, in the order shown."""
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', text(response))


@pytest.fixture
def gender_news(make_article):
    return {
        "title": make_article(
            title="Tập huấn nghiệp vụ công tác bình đẳng giới năm 2023",
            lead="Tại tỉnh Phú Yên.",
            published_at=NOW - timedelta(days=30),
        ),
        "lead": make_article(
            title="Ký phối hợp công tác giai đoạn 2019 – 2022",
            lead="Hai bên phối hợp về Bình Đẳng Giới và trẻ em.",
            published_at=NOW - timedelta(days=2),
        ),
        "body": make_article(
            title="Hội nghị tổng kết",
            lead="Sapo không liên quan.",
            body="<p>Báo cáo nêu kết quả công tác <strong>bình đẳng giới</strong>.</p>",
            published_at=NOW - timedelta(days=1),
        ),
        "other": make_article(title="Đường thủy nội địa", lead="Cảng vụ khu vực III."),
    }


@pytest.mark.parametrize(
    "query", ["binh dang gioi", "Bình đẳng giới", "BÌNH ĐẲNG GIỚI", "bÌnH đẲnG"]
)
def test_search_ignores_case_and_diacritics(client, gender_news, query):
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    assert sorted(found_titles(response)) == sorted(
        [gender_news[key].title for key in ("title", "lead", "body")]
    )


def test_search_ranks_title_matches_first_then_newest(client, gender_news):
    response = client.get("/tim-kiem/", {"q": "bình đẳng giới"})
    assert found_titles(response) == [
        gender_news["title"].title,  # oldest, but the words are in its title
        gender_news["body"].title,
        gender_news["lead"].title,
    ]


def test_title_ranking_sees_the_whole_vietnamese_title_and_nothing_after_it(client, make_article):
    # The older article has the words at the very end of its title; the newer one right after its
    # title, at the start of the lead, which must not count as the title.
    in_title = make_article(
        title="Đẩy mạnh đào tạo nghề đặc thù", published_at=NOW - timedelta(days=9)
    )
    after_title = make_article(title="Hội nghị", lead="Đặc thù vùng miền.", published_at=NOW)
    response = client.get("/tim-kiem/", {"q": "dac thu"})
    assert found_titles(response) == [in_title.title, after_title.title]


def test_search_requires_every_word(client, gender_news):
    response = client.get("/tim-kiem/", {"q": "bình đẳng phú yên"})
    assert found_titles(response) == [gender_news["title"].title]


def test_search_finds_words_in_the_body_text_not_its_markup(client, make_article):
    make_article(title="Bài có bảng", body="<p>Nội dung <strong>quan trọng</strong></p>")
    assert found_titles(client.get("/tim-kiem/", {"q": "strong"})) == []
    assert found_titles(client.get("/tim-kiem/", {"q": "quan trong"})) == ["Bài có bảng"]


def test_search_punctuation_and_sql_wildcards_match_nothing_by_themselves(client, make_article):
    make_article(title="Tỷ lệ 100% lao động có việc làm")
    make_article(title="Một tin khác")
    assert found_titles(client.get("/tim-kiem/", {"q": "%"})) == []
    assert found_titles(client.get("/tim-kiem/", {"q": "100%"})) == [
        "Tỷ lệ 100% lao động có việc làm"
    ]
    assert found_titles(client.get("/tim-kiem/", {"q": "_"})) == []


def test_search_says_when_nothing_matches(client, gender_news):
    response = client.get("/tim-kiem/", {"q": "không có từ này"})
    assert response.status_code == 200
    assert "Không tìm thấy tin nào có “không có từ này”." in text(response)


def test_search_counts_its_results(client, gender_news):
    assert "Tìm thấy 3 tin có “binh dang gioi”." in text(
        client.get("/tim-kiem/", {"q": "binh dang gioi"})
    )


@pytest.mark.parametrize("query", ["", "   ", "!!!", "– …"])
def test_empty_query_gets_a_polite_answer(client, gender_news, query):
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    assert "Vui lòng nhập từ khóa cần tìm" in text(response)
    assert found_titles(response) == []


def test_search_page_without_query_asks_for_one(client):
    response = client.get("/tim-kiem/")
    assert response.status_code == 200
    assert "Vui lòng nhập từ khóa cần tìm" in text(response)


def test_too_long_query_gets_a_polite_answer(client, gender_news):
    response = client.get("/tim-kiem/", {"q": "bình đẳng giới " * 20})
    assert response.status_code == 200
    assert "Từ khóa quá dài (tối đa 200 ký tự)" in text(response)
    assert found_titles(response) == []


def test_search_results_are_paged(client, make_article):
    for n in range(23):
        make_article(title=f"Lao động số {n:02d}", published_at=NOW - timedelta(hours=n + 1))

    first = client.get("/tim-kiem/", {"q": "lao dong"})
    second = client.get("/tim-kiem/", {"q": "lao dong", "trang": 2})

    assert len(found_titles(first)) == 20
    assert found_titles(second) == ["Lao động số 20", "Lao động số 21", "Lao động số 22"]
    assert 'href="?q=lao+dong&amp;trang=2"' in text(first)
    assert client.get("/tim-kiem/", {"q": "lao dong", "trang": 3}).status_code == 404
    assert client.get("/tim-kiem/", {"q": "lao dong", "trang": "x"}).status_code == 404


def test_search_query_is_escaped_on_the_page(client):
    page = text(client.get("/tim-kiem/", {"q": '"><script>alert(1)</script>'}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_search_never_shows_unpublished_articles(client, make_article, category):
    make_article(title="Tin công khai về bảo hiểm")
    for status, published_at, expires_at in [
        (Article.Status.DRAFT, NOW - timedelta(hours=1), None),
        (Article.Status.PENDING, NOW - timedelta(hours=1), None),
        (Article.Status.PUBLISHED, NOW + timedelta(hours=1), None),
        (Article.Status.PUBLISHED, NOW - timedelta(hours=2), NOW - timedelta(hours=1)),
    ]:
        Article.objects.create(
            title=f"Tin ẩn về bảo hiểm {status}",
            category=category,
            status=status,
            published_at=published_at,
            expires_at=expires_at,
        )
    response = client.get("/tim-kiem/", {"q": "bao hiem"})
    assert found_titles(response) == ["Tin công khai về bảo hiểm"]
    assert "Tìm thấy 1 tin" in text(response)


def test_search_query_count_does_not_grow(
    client, category, make_article, django_assert_max_num_queries
):
    labour = Category.objects.create(name="Lao động", slug="lao-dong")
    counts = []
    for more in (5, 25):
        for n in range(more):
            make_article(
                title=f"Chính sách việc làm {n}",
                category=labour if n % 2 else category,
                published_at=NOW - timedelta(minutes=n + 1),
            )
        # 5: count, categories, articles, the site's identity and links (agency.frame), and the
        # page cache's look-up of the next scheduled event.
        with django_assert_max_num_queries(5) as captured:
            response = client.get("/tim-kiem/", {"q": "viec lam"})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the word vector columns are PostgreSQL's"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")


@postgresql_only
def test_postgresql_keeps_indexed_word_vectors_and_no_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'news_article'"
        )
        indexes = dict(cursor.fetchall())
    assert "gin (search_vector)" in indexes["article_search_vector_idx"]
    assert "article_search_text_trgm_idx" not in indexes


@sqlite_only
def test_sqlite_keeps_an_fts5_index_with_its_triggers():
    # A later migration that rebuilds news_article on SQLite would drop the triggers: this
    # test is what notices.
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'news_article_fts%'")
        found = set(cursor.fetchall())
    assert ("table", "news_article_fts") in found
    for trigger in ("insert", "update", "delete"):
        assert ("trigger", f"news_article_fts_{trigger}") in found


def test_the_word_index_follows_every_write(client, make_article):
    article = make_article(title="Hội nghị", lead="Sapo.")
    # A write that bypasses save(): the database updates its word index itself.
    Article.objects.filter(pk=article.pk).update(search_text="hoi nghi sapo tuyen dung moi")
    assert found_titles(client.get("/tim-kiem/", {"q": "tuyển dụng"})) == ["Hội nghị"]
    assert found_titles(client.get("/tim-kiem/", {"q": "sapo"})) == ["Hội nghị"]
    article.delete()
    response = client.get("/tim-kiem/", {"q": "tuyển dụng"})
    assert response.status_code == 200 and found_titles(response) == []


def test_query_words_match_the_start_of_words(client, make_article):
    make_article(title="Bình đẳng giới")
    assert found_titles(client.get("/tim-kiem/", {"q": "bình đẳng giớ"})) == ["Bình đẳng giới"]
    assert found_titles(client.get("/tim-kiem/", {"q": "ẳng"})) == []


def test_ranking_looks_at_the_newest_matches(client, make_article, monkeypatch):
    monkeypatch.setattr("news.search.SEARCH_CANDIDATES", 3)
    old_title_match = make_article(
        title="Việc làm cho thanh niên", published_at=NOW - timedelta(days=10)
    )
    newest = [
        make_article(
            title=f"Tin {n}", lead="Giải quyết việc làm.", published_at=NOW - timedelta(days=n)
        )
        for n in (1, 2)
    ]
    title_match = make_article(title="Việc làm năm 2024", published_at=NOW - timedelta(days=3))
    response = client.get("/tim-kiem/", {"q": "việc làm"})
    # The three newest matches, title match first: the older title match is left out.
    assert found_titles(response) == [title_match.title, newest[0].title, newest[1].title]
    assert old_title_match.title not in text(response)
    assert "Tìm thấy hơn 3 tin có “việc làm”." in text(response)


@sqlite_only
def test_an_sqlite_without_fts5_still_searches(client, gender_news, monkeypatch):
    monkeypatch.setattr("news.search._sqlite_has_fts5", lambda: False)
    response = client.get("/tim-kiem/", {"q": "bình đẳng giới"})
    assert found_titles(response) == [
        gender_news["title"].title,
        gender_news["body"].title,
        gender_news["lead"].title,
    ]
    # Without a word index a word is found anywhere, even inside another word.
    assert found_titles(client.get("/tim-kiem/", {"q": "ẳng giớ"})) != []
