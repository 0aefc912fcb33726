"""Search: titles, leads and bodies, ignoring case and Vietnamese diacritics."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection

from news.models import Article, Category
from tests.reader import NOW, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def found_titles(response):
    """The titles of the results, in the order shown (without the marks on the query's words)."""
    titles = re.findall(r'class="card__title"><a href="[^"]+">(.*?)</a>', text(response))
    return [re.sub(r"</?mark>", "", title) for title in titles]


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
    client, category, make_article, django_assert_max_num_queries, schedule_queries
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
        # Count, categories, articles, the ministry's own pages (agency.search), the topics
        # with news (news.search), the documents (documents.search), the site's identity and
        # links (agency.frame), and the page cache's look-up of the next scheduled change.
        with django_assert_max_num_queries(7 + schedule_queries) as captured:
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


# Filters, order, marks and paging (issue 20, point 6)


def local(year, month, day, hour=9, minute=0):
    from tests.reader import VN

    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def sections(category):
    """Xã hội (the ``category`` fixture) with its subsection Bình đẳng giới, and Lao động."""
    return {
        "xa-hoi": category,
        "binh-dang-gioi": Category.objects.create(
            name="Bình đẳng giới", slug="binh-dang-gioi", parent=category
        ),
        "lao-dong": Category.objects.create(name="Lao động", slug="lao-dong", position=2),
    }


def test_search_narrows_to_a_section_and_its_subsections(client, make_article, sections):
    make_article(title="Hỗ trợ xã hội", category=sections["xa-hoi"])
    make_article(title="Hỗ trợ phụ nữ", category=sections["binh-dang-gioi"])
    make_article(title="Hỗ trợ người lao động", category=sections["lao-dong"])

    def titles(slug):
        return sorted(found_titles(client.get("/tim-kiem/", {"q": "ho tro", "chuyen-muc": slug})))

    assert titles("xa-hoi") == ["Hỗ trợ phụ nữ", "Hỗ trợ xã hội"]
    assert titles("binh-dang-gioi") == ["Hỗ trợ phụ nữ"]
    assert titles("lao-dong") == ["Hỗ trợ người lao động"]
    assert len(titles("")) == 3  # "Tất cả chuyên mục"


def test_search_narrows_to_local_days_both_included(client, make_article):
    # Days are Vietnam's (GMT+7): 00:30 on the 10th belongs to the 10th, 23:59 to the 12th.
    make_article(title="Tin trước", published_at=local(2024, 5, 9, 23, 59))
    make_article(title="Tin đầu", published_at=local(2024, 5, 10, 0, 30))
    make_article(title="Tin cuối", published_at=local(2024, 5, 12, 23, 59))
    make_article(title="Tin sau", published_at=local(2024, 5, 13, 0, 10))

    def titles(**dates):
        response = client.get("/tim-kiem/", {"q": "tin", "sap-xep": "moi-nhat", **dates})
        assert response.status_code == 200
        return found_titles(response)

    assert titles(**{"tu-ngay": "10/05/2024", "den-ngay": "12/05/2024"}) == ["Tin cuối", "Tin đầu"]
    assert titles(**{"tu-ngay": "10/05/2024", "den-ngay": "10/05/2024"}) == ["Tin đầu"]
    assert titles(**{"tu-ngay": "13/05/2024"}) == ["Tin sau"]
    assert titles(**{"den-ngay": "09/05/2024"}) == ["Tin trước"]
    assert titles(**{"tu-ngay": "10.05.2024", "den-ngay": "12052024"}) == ["Tin cuối", "Tin đầu"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"tu-ngay": "31/02/2024"}, "tu-ngay", "Ngày không hợp lệ."),
        ({"den-ngay": "abc"}, "den-ngay", "Ngày không hợp lệ."),
        ({"tu-ngay": "01/01/0001"}, "tu-ngay", "Chỉ xem được tin từ năm 1900 đến năm 2999."),
        ({"den-ngay": "31/12/9999"}, "den-ngay", "Chỉ xem được tin từ năm 1900 đến năm 2999."),
        ({"tu-ngay": "1" * 5000}, "tu-ngay", "Ngày không hợp lệ."),
        (
            {"tu-ngay": "12/05/2024", "den-ngay": "10/05/2024"},
            "den-ngay",
            "“Đến ngày” phải trùng hoặc sau “Từ ngày”.",
        ),
        ({"chuyen-muc": "khong-co"}, "chuyen-muc", "Không có chuyên mục này."),
        ({"sap-xep": "ngau-nhien"}, "sap-xep", "Hãy chọn “Phù hợp nhất” hoặc “Mới nhất”."),
        ({"tu-ngay": "<script>alert(1)</script>"}, "tu-ngay", "Ngày không hợp lệ."),
    ],
)
def test_bad_filters_get_a_clear_message_never_a_server_error(
    client, make_article, params, field, message
):
    make_article(title="Lao động việc làm")
    response = client.get("/tim-kiem/", {"q": "lao dong", **params})
    page = text(response)
    assert response.status_code == 400
    assert f'<span class="field-error" id="{field}-loi" role="alert">{message}' in page
    assert f'id="{field}"' in page and f'aria-describedby="{field}' in page
    assert "Chưa tìm được: hãy sửa ô được đánh dấu ở trên rồi tìm lại." in page
    assert found_titles(response) == []
    assert "<script>alert(1)</script>" not in page


def test_search_keeps_what_the_reader_chose_in_the_form(client, make_article, sections):
    make_article(title="Lao động")
    page = text(
        client.get(
            "/tim-kiem/",
            {"q": "lao", "chuyen-muc": "lao-dong", "tu-ngay": "1/5/2024", "sap-xep": "moi-nhat"},
        )
    )
    assert '<option value="lao-dong" selected>' in page
    assert '<option value="moi-nhat" selected>' in page
    assert 'id="tu-ngay" name="tu-ngay"' in page and 'value="1/5/2024"' in page


def test_search_orders_by_relevance_or_newest_first(client, gender_news):
    relevance = [gender_news[key].title for key in ("title", "body", "lead")]
    newest = [gender_news[key].title for key in ("body", "lead", "title")]
    query = {"q": "bình đẳng giới"}
    assert found_titles(client.get("/tim-kiem/", query)) == relevance
    assert found_titles(client.get("/tim-kiem/", {**query, "sap-xep": "phu-hop"})) == relevance
    assert found_titles(client.get("/tim-kiem/", {**query, "sap-xep": "moi-nhat"})) == newest


@pytest.mark.parametrize("query", ["lao dong", "LAO ĐỘNG", "lao động", "Lao Dong"])
def test_query_words_are_marked_in_titles_and_leads_whatever_their_diacritics(
    client, make_article, query
):
    make_article(title="Lao động – việc làm năm 2024", lead="Thị trường lao động phục hồi.")
    page = text(client.get("/tim-kiem/", {"q": query}))
    assert '<a href="/tin-tuc/' in page
    assert "><mark>Lao động</mark> – việc làm năm 2024</a>" in page
    assert '<p class="card__lead">Thị trường <mark>lao động</mark> phục hồi.</p>' in page


def test_marks_cover_whole_words_that_the_query_begins(client, make_article):
    make_article(title="Bình đẳng giới trong giáo dục", lead="Giới thiệu chương trình.")
    page = text(client.get("/tim-kiem/", {"q": "gi"}))
    assert "Bình đẳng <mark>giới</mark> trong <mark>giáo</mark> dục" in page
    assert "<mark>Giới</mark> thiệu chương trình." in page


def test_marked_titles_are_built_from_escaped_text(client, make_article):
    make_article(title='Lao động <b>"nóng"</b> & <script>x</script>', lead="Sapo <i>lao</i>.")
    page = text(client.get("/tim-kiem/", {"q": "lao"}))
    assert (
        "<mark>Lao</mark> động &lt;b&gt;&quot;nóng&quot;&lt;/b&gt; &amp; "
        "&lt;script&gt;x&lt;/script&gt;</a>"
    ) in page
    assert "Sapo &lt;i&gt;<mark>lao</mark>&lt;/i&gt;." in page
    assert "<b>" not in page and "<script>x" not in page


def test_other_pages_mark_nothing(client, make_article):
    article = make_article(title="Lao động")
    for url in ["/", "/chuyen-muc/xa-hoi/", article.get_absolute_url(), "/tin-theo-ngay/"]:
        assert "<mark>" not in text(client.get(url, {"q": "lao"})), url


def test_search_says_which_results_it_shows_and_pages_to_the_first_and_last(client, make_article):
    for n in range(45):
        make_article(title=f"Lao động số {n:02d}", published_at=NOW - timedelta(hours=n + 1))
    params = {"q": "lao dong", "chuyen-muc": "xa-hoi", "sap-xep": "moi-nhat"}

    page = text(client.get("/tim-kiem/", {**params, "trang": 2}))

    assert "Tìm thấy 45 tin có “lao dong”." in page and "Đang xem tin 21–40." in page
    kept = "?q=lao+dong&amp;chuyen-muc=xa-hoi&amp;sap-xep=moi-nhat"
    assert f'<a href="{kept}">« Trang đầu</a>' in page
    assert f'<a href="{kept}&amp;trang=3">Trang cuối »</a>' in page
    last = client.get("/tim-kiem/", {**params, "trang": "cuoi"})
    assert found_titles(last) == [f"Lao động số {n}" for n in range(40, 45)]
    assert "Đang xem tin 41–45." in text(last) and "Trang cuối" not in text(last)


def test_filtered_search_is_kept_in_the_page_cache(client, make_article):
    # Every filter is read through request.GET, so the page is stored for the next reader.
    make_article(title="Lao động", published_at=local(2024, 5, 10))
    params = {"q": "lao", "chuyen-muc": "xa-hoi", "tu-ngay": "01/05/2024", "sap-xep": "moi-nhat"}
    assert client.get("/tim-kiem/", params)["X-Page-Cache"] == "miss"
    assert client.get("/tim-kiem/", params)["X-Page-Cache"] == "hit"


def test_filtered_search_query_count_does_not_grow(
    client, make_article, sections, django_assert_max_num_queries, schedule_queries
):
    counts = []
    for more in (5, 25):
        for n in range(more):
            make_article(
                title=f"Chính sách việc làm {n}",
                category=sections["binh-dang-gioi"] if n % 2 else sections["xa-hoi"],
                published_at=NOW - timedelta(hours=n + 1),
            )
        params = {"q": "viec lam", "chuyen-muc": "xa-hoi", "tu-ngay": "01/05/2024"}
        # 5: the pages of the ministry are only searched when the search is not narrowed.
        with django_assert_max_num_queries(4 + schedule_queries) as captured:
            response = client.get("/tim-kiem/", {**params, "den-ngay": "15/05/2024"})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@sqlite_only
def test_filters_and_order_work_without_fts5(client, gender_news, monkeypatch):
    monkeypatch.setattr("news.search._sqlite_has_fts5", lambda: False)
    query = {"q": "bình đẳng giới", "sap-xep": "moi-nhat", "tu-ngay": "14/05/2024"}
    assert found_titles(client.get("/tim-kiem/", query)) == [gender_news["body"].title]


# The ministry's own pages


def found_pages(response):
    block = text(response).split('id="trang-gioi-thieu"', 1)
    if len(block) < 2:
        return []
    links = re.findall(r'<li>\s*<a href="[^"]+">(.*?)</a>', block[1].split("</section>", 1)[0])
    return [re.sub(r"</?mark>", "", link) for link in links]


def test_search_finds_the_ministrys_own_pages(client, seeded_portal, make_article):
    from agency.models import AgencyPage

    make_article(title="Tin về chức năng quản lý")
    response = client.get("/tim-kiem/", {"q": "chuc nang"})
    page = text(response)
    assert found_pages(response) == ["Chức năng, nhiệm vụ", "Cơ cấu tổ chức"]
    assert '<a href="/gioi-thieu/chuc-nang-nhiem-vu/"><mark>Chức năng</mark>, nhiệm vụ</a>' in page
    assert found_titles(response) == ["Tin về chức năng quản lý"]
    # A page kept from the public is never found.
    hidden = AgencyPage.objects.get(slug_vi="co-cau-to-chuc")
    hidden.is_published = False
    hidden.save()
    assert found_pages(client.get("/tim-kiem/", {"q": "chuc nang"})) == ["Chức năng, nhiệm vụ"]


def test_pages_are_found_even_when_no_news_is(client, seeded_portal):
    response = client.get("/tim-kiem/", {"q": "lanh dao bo"})
    assert found_pages(response) == ["Lãnh đạo Bộ"]
    assert "Không tìm thấy tin nào có “lanh dao bo”." in text(response)


def test_pages_are_left_out_of_a_narrowed_search_and_later_pages(client, seeded_portal):
    for params in ({"chuyen-muc": "xa-hoi"}, {"tu-ngay": "01/01/2024"}, {"den-ngay": "1/1/2024"}):
        Category.objects.get_or_create(slug="xa-hoi", defaults={"name": "Xã hội"})
        assert found_pages(client.get("/tim-kiem/", {"q": "chuc nang", **params})) == [], params


def test_english_search_finds_the_english_pages(client, seeded_portal):
    response = client.get("/en/search/", {"q": "function"})
    assert found_pages(response) == ["Functions and duties"]
    assert '<a href="/en/about/functions/"><mark>Functions</mark> and duties</a>' in text(response)
    assert found_pages(client.get("/en/search/", {"q": "chuc nang"})) == []


def found_topics(response):
    block = text(response).split('id="chu-de-tim-thay"', 1)
    if len(block) < 2:
        return []
    links = re.findall(r'<li>\s*<a href="[^"]+">(.*?)</a>', block[1].split("</section>", 1)[0])
    return [re.sub(r"</?mark>", "", link) for link in links]


def test_search_finds_topics_that_have_news(client, make_article):
    from news.models import Topic

    digital = Topic.objects.create(name="Chuyển đổi số trong ngành lao động")
    empty = Topic.objects.create(name="Chuyển đổi xanh")  # no news yet: its page would be empty
    make_article(title="Hội nghị về chuyển đổi số").topics.add(digital)
    response = client.get("/tim-kiem/", {"q": "chuyen doi"})
    assert found_topics(response) == ["Chuyển đổi số trong ngành lao động"]
    assert f'<a href="{digital.get_absolute_url()}"><mark>Chuyển đổi</mark> số' in text(response)
    assert found_titles(response) == ["Hội nghị về chuyển đổi số"]
    # A topic's news published since: it is found at once (the topics are a fragment).
    make_article(title="Tin xanh").topics.add(empty)
    assert found_topics(client.get("/tim-kiem/", {"q": "chuyen doi"})) == [
        "Chuyển đổi số trong ngành lao động",
        "Chuyển đổi xanh",
    ]
    # Not in a narrowed search, nor past the first page.
    assert (
        found_topics(client.get("/tim-kiem/", {"q": "chuyen doi", "tu-ngay": "01/01/2024"})) == []
    )
