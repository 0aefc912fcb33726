"""Xem tin theo ngày: the date picker, day, month and year pages, in GMT+7."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from news.models import Article, Category
from tests.reader import HIDDEN_STATES, NOW, VN, hidden_fields, text

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


def local(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(params=HIDDEN_STATES)
def hidden_article(request, make_article):
    """An article the public must never see, on the same local day (15/05/2024) as NOW."""
    fields = hidden_fields(request.param)
    return make_article(title="Tin chưa được công bố", **fields)


# The picker


def test_picker_page_has_a_date_input_in_a_get_form(client):
    response = client.get("/tin-theo-ngay/")
    page = text(response)
    assert response.status_code == 200
    assert '<form class="day-picker" action="/tin-theo-ngay/" method="get">' in page
    assert '<input type="text" id="ngay" name="ngay" inputmode="numeric"' in page
    assert 'placeholder="dd/mm/yyyy"' in page


@pytest.mark.parametrize("value", ["2019-10-17", "17/10/2019"])
def test_picker_redirects_to_the_day_page(client, value):
    response = client.get("/tin-theo-ngay/", {"ngay": value})
    assert response.status_code == 302
    assert response["Location"] == "/tin-theo-ngay/2019/10/17/"


def test_picker_keeps_the_section_filter(client, category):
    response = client.get("/tin-theo-ngay/", {"ngay": "2019-10-17", "chuyen-muc": "xa-hoi"})
    assert response["Location"] == "/tin-theo-ngay/2019/10/17/?chuyen-muc=xa-hoi"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Ngày không hợp lệ."),
        ("2019-02-30", "Ngày không hợp lệ."),
        ("2019-13-01", "Ngày không hợp lệ."),
        ("0001-01-01", "Chỉ xem được tin từ năm 1900 đến năm 2999."),
        ("9999-12-31", "Chỉ xem được tin từ năm 1900 đến năm 2999."),
        ("", "Hãy chọn một ngày để xem tin."),
        ("<script>alert(1)</script>", "Ngày không hợp lệ."),
    ],
)
def test_picker_shows_a_clear_message_for_a_bad_date(client, value, message):
    response = client.get("/tin-theo-ngay/", {"ngay": value})
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert '<input type="text" id="ngay" name="ngay"' in page
    assert 'aria-describedby="ngay-goi-y ngay-loi" aria-invalid="true"' in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(
    "typed", ["17/10/2019", "17.10.2019", "17-10-2019", "17102019", " 17/10/2019 ", "7/1/2019"]
)
def test_date_box_takes_a_day_as_readers_type_it(client, typed):
    # A phone's number pad may have no "/": dots, dashes or no separator are the same day.
    response = client.get("/tin-theo-ngay/", {"ngay": typed})
    assert response.status_code == 302
    assert response["Location"] in ("/tin-theo-ngay/2019/10/17/", "/tin-theo-ngay/2019/01/07/")


def test_date_box_shows_the_day_as_dd_mm_yyyy_whatever_the_browser(client, make_article):
    make_article(published_at=local(2023, 9, 13))
    page = text(client.get("/tin-theo-ngay/2023/09/13/"))
    box = re.search(r'<input type="text" id="ngay"[^>]*>', page).group(0)
    # A text box, not <input type=date>, whose display follows the browser's language.
    assert 'value="13/09/2023"' in box
    assert 'placeholder="dd/mm/yyyy"' in box and 'inputmode="numeric"' in box
    assert 'pattern="' in box and "required" in box
    assert 'aria-describedby="ngay-goi-y"' in box
    hint = '<span class="field-help" id="ngay-goi-y">Ngày/tháng/năm, ví dụ 17/10/2019</span>'
    assert hint in page
    # Its calendar icon is drawn in the text colour (site.css), so high contrast keeps it.
    assert '<svg class="date-input__icon"' in page


# /tin-theo-ngay/ itself


def test_news_by_date_opens_on_the_latest_day_with_news(client, make_article):
    make_article(title="Tin năm 2019", published_at=local(2019, 10, 17))
    make_article(title="Tin sáng 13/9", published_at=local(2023, 9, 13, 8))
    make_article(title="Tin tối 13/9", published_at=local(2023, 9, 13, 23, 30))

    response = client.get("/tin-theo-ngay/")
    page = text(response)

    # Shown in place, at an address that stays: no redirect to a dated page.
    assert response.status_code == 200
    assert '<h1 class="page-title">Tin ngày Thứ Tư, 13/09/2023</h1>' in page
    assert "Tin sáng 13/9" in page and "Tin tối 13/9" in page
    assert "Tin năm 2019" not in page
    assert 'rel="prev" href="/tin-theo-ngay/2019/10/17/"' in page
    assert 'value="13/09/2023"' in page
    assert '<link rel="canonical" href="http://testserver/tin-theo-ngay/">' in page


def test_news_by_date_skips_what_readers_may_not_see(client, make_article, hidden_article):
    make_article(title="Tin công khai", published_at=local(2024, 5, 10))
    page = text(client.get("/tin-theo-ngay/"))
    assert "Tin ngày Thứ Sáu, 10/05/2024" in page
    assert "Tin chưa được công bố" not in page


def test_news_by_date_follows_the_section_filter(client, category, make_article):
    labour = Category.objects.create(name="Lao động", slug="lao-dong")
    make_article(title="Tin lao động", category=labour, published_at=local(2024, 5, 2))
    make_article(title="Tin xã hội", published_at=local(2024, 5, 14))

    page = text(client.get("/tin-theo-ngay/", {"chuyen-muc": "lao-dong"}))

    assert "Tin ngày Thứ Năm, 02/05/2024 – Lao động" in page
    assert "Tin lao động" in page and "Tin xã hội" not in page
    assert client.get("/tin-theo-ngay/", {"chuyen-muc": "khong-co"}).status_code == 404


def test_news_by_date_without_any_news_opens_on_today(client):
    response = client.get("/tin-theo-ngay/")
    assert response.status_code == 200
    assert "Không có tin nào được đăng ngày Thứ Tư, 15/05/2024" in text(response)


def test_news_by_date_is_kept_in_the_page_cache(client, make_article):
    make_article(title="Tin được lưu", published_at=local(2024, 5, 14))
    assert client.get("/tin-theo-ngay/")["X-Page-Cache"] == "miss"
    second = client.get("/tin-theo-ngay/")
    assert second["X-Page-Cache"] == "hit" and "Tin được lưu" in text(second)
    # A newer day's news is there at once.
    make_article(title="Tin hôm nay", published_at=local(2024, 5, 15, 8))
    assert "Tin ngày Thứ Tư, 15/05/2024" in text(client.get("/tin-theo-ngay/"))


def test_news_by_date_query_count_does_not_grow(
    client, category, make_article, django_assert_max_num_queries, schedule_queries
):
    counts = []
    for more in (5, 25):
        for n in range(more):
            make_article(published_at=NOW - timedelta(days=n % 3, minutes=n + 1))
        # 6: the latest day, neighbours, categories, articles, the site's identity and links
        # (agency.frame), and the page cache's look-up of the next scheduled event.
        with django_assert_max_num_queries(5 + schedule_queries) as captured:
            response = client.get("/tin-theo-ngay/")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def menu_item(page):
    """The menu's "Tin theo ngày" link."""
    nav = page.split('aria-label="Chuyên mục"', 1)[1].split("</nav>", 1)[0]
    return re.search(r'<a href="/tin-theo-ngay/"[^>]*>Tin theo ngày</a>', nav).group(0)


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/tin-theo-ngay/", "page"),
        ("/tin-theo-ngay/?chuyen-muc=xa-hoi", "page"),
        ("/tin-theo-ngay/2024/", "true"),
        ("/tin-theo-ngay/2024/05/", "true"),
        ("/tin-theo-ngay/2024/05/15/", "true"),
        ("/tin-theo-ngay/2024/05/15/?chuyen-muc=xa-hoi", "true"),
    ],
)
def test_menu_shows_the_reader_is_on_a_date_page(client, make_article, url, current):
    make_article(published_at=local(2024, 5, 15))
    assert f'aria-current="{current}"' in menu_item(text(client.get(url)))


def test_menu_shows_no_date_page_elsewhere(client, make_article):
    article = make_article(published_at=local(2024, 5, 15))
    for url in ["/", "/chuyen-muc/xa-hoi/", article.get_absolute_url(), "/tim-kiem/?q=tin"]:
        assert "aria-current" not in menu_item(text(client.get(url))), url


# Day pages


def test_day_page_lists_the_days_news_grouped_by_section(client, category, make_article):
    category.position = 1
    category.save()
    labour = Category.objects.create(name="Lao động", slug="lao-dong", position=2)
    gender = Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=category)
    make_article(title="Tin lao động", category=labour, published_at=local(2019, 10, 17, 16, 6))
    make_article(
        title="Tin bình đẳng giới", category=gender, published_at=local(2019, 10, 17, 21, 50)
    )
    make_article(title="Tin xã hội", published_at=local(2019, 10, 17, 8, 0))
    make_article(title="Tin hôm khác", published_at=local(2019, 10, 16, 8, 0))

    response = client.get("/tin-theo-ngay/2019/10/17/")
    page = text(response)

    assert response.status_code == 200
    assert "Tin ngày Thứ Năm, 17/10/2019" in page
    assert re.findall(r'<h2 class="block__title" id="muc-([\w-]+)">', page) == [
        "xa-hoi",
        "lao-dong",
    ]
    social = page.split('id="muc-xa-hoi"', 1)[1].split("</section>", 1)[0]
    assert "Tin bình đẳng giới" in social and "Tin xã hội" in social
    assert "Tin lao động" in page.split('id="muc-lao-dong"', 1)[1]
    assert "Tin hôm khác" not in page
    assert 'name="robots"' not in page


def test_day_page_filters_by_section(client, category, make_article):
    labour = Category.objects.create(name="Lao động", slug="lao-dong")
    make_article(title="Tin lao động", category=labour, published_at=local(2019, 10, 17))
    make_article(title="Tin xã hội", published_at=local(2019, 10, 17))

    page = text(client.get("/tin-theo-ngay/2019/10/17/?chuyen-muc=lao-dong"))

    assert "Tin lao động" in page
    assert "Tin xã hội" not in page
    assert '<option value="lao-dong" selected>Lao động</option>' in page


def test_busy_day_shows_each_sections_newest_and_links_to_the_rest(client, category, make_article):
    from news.views import DAY_SECTION_ITEMS

    labour = Category.objects.create(name="Lao động", slug="lao-dong", position=2)
    [
        make_article(title=f"Tin xã hội số {n}", published_at=local(2019, 10, 17, 8, n))
        for n in range(DAY_SECTION_ITEMS + 2)
    ]
    make_article(title="Tin lao động", category=labour, published_at=local(2019, 10, 17, 7))

    page = text(client.get("/tin-theo-ngay/2019/10/17/"))

    social = page.split('id="muc-xa-hoi"', 1)[1].split("</section>", 1)[0]
    shown = re.findall(r"Tin xã hội số (\d+)", social)
    # The newest first, and no more than the section's share of the page.
    assert shown == [str(n) for n in range(DAY_SECTION_ITEMS + 1, 1, -1)]
    assert '<a href="?chuyen-muc=xa-hoi">Xem tất cả tin mục Xã hội ngày 17/10/2019</a>' in social
    labour_block = page.split('id="muc-lao-dong"', 1)[1].split("</section>", 1)[0]
    assert "Tin lao động" in labour_block and "Xem tất cả" not in labour_block


def test_day_page_filtered_to_one_section_is_paged(client, category, make_article):
    from news.views import PAGE_SIZE

    for n in range(PAGE_SIZE + 3):
        make_article(title=f"Tin xã hội số {n}", published_at=local(2019, 10, 17, 6, n))

    first = text(client.get("/tin-theo-ngay/2019/10/17/?chuyen-muc=xa-hoi"))
    second = text(client.get("/tin-theo-ngay/2019/10/17/?chuyen-muc=xa-hoi&trang=2"))

    assert len(re.findall(r"Tin xã hội số \d+", first)) == PAGE_SIZE
    assert 'href="?chuyen-muc=xa-hoi&amp;trang=2"' in first
    assert sorted(re.findall(r"Tin xã hội số (\d+)", second), key=int) == ["0", "1", "2"]
    assert "Xem tất cả" not in first


def test_day_page_with_unknown_section_filter_is_404(client):
    assert client.get("/tin-theo-ngay/2019/10/17/?chuyen-muc=khong-co").status_code == 404


def test_article_after_local_midnight_is_on_the_next_days_page(client, make_article):
    # 00:30 on 18/10/2019 in Hà Nội is 17:30 UTC on 17/10/2019.
    article = make_article(
        title="Tin lúc nửa đêm", published_at=datetime(2019, 10, 17, 17, 30, tzinfo=UTC)
    )

    assert "2019/10/18" in article.get_absolute_url()
    assert "Tin lúc nửa đêm" in text(client.get("/tin-theo-ngay/2019/10/18/"))
    assert "Tin lúc nửa đêm" not in text(client.get("/tin-theo-ngay/2019/10/17/"))
    month = text(client.get("/tin-theo-ngay/2019/10/"))
    assert 'href="/tin-theo-ngay/2019/10/18/"' in month
    assert 'href="/tin-theo-ngay/2019/10/17/"' not in month


def test_article_just_before_local_midnight_stays_on_its_day(client, make_article):
    make_article(title="Tin cuối ngày", published_at=local(2019, 10, 17, 23, 59))
    assert "Tin cuối ngày" in text(client.get("/tin-theo-ngay/2019/10/17/"))
    assert "Tin cuối ngày" not in text(client.get("/tin-theo-ngay/2019/10/18/"))


@pytest.mark.parametrize(
    ("day", "heading"),
    [
        ("2019/10/14", "Thứ Hai, 14/10/2019"),
        ("2019/10/15", "Thứ Ba, 15/10/2019"),
        ("2019/10/16", "Thứ Tư, 16/10/2019"),
        ("2019/10/17", "Thứ Năm, 17/10/2019"),
        ("2019/10/18", "Thứ Sáu, 18/10/2019"),
        ("2019/10/19", "Thứ Bảy, 19/10/2019"),
        ("2019/10/20", "Chủ Nhật, 20/10/2019"),
    ],
)
def test_day_page_names_the_weekday_in_vietnamese(client, day, heading):
    assert f"Tin ngày {heading}" in text(client.get(f"/tin-theo-ngay/{day}/"))


def test_empty_day_answers_200_with_message_picker_links_and_noindex(client, make_article):
    make_article(published_at=local(2019, 10, 10))
    make_article(published_at=local(2019, 10, 20))

    response = client.get("/tin-theo-ngay/2019/10/15/")
    page = text(response)

    assert response.status_code == 200
    assert "Không có tin nào được đăng ngày Thứ Ba, 15/10/2019" in page
    assert '<meta name="robots" content="noindex">' in page
    assert 'value="15/10/2019"' in page
    assert 'href="/tin-theo-ngay/2019/10/10/">‹ Ngày trước có tin: Thứ Năm, 10/10/2019</a>' in page
    assert 'href="/tin-theo-ngay/2019/10/20/">Ngày sau có tin: Chủ Nhật, 20/10/2019 ›</a>' in page


def test_previous_and_next_day_links_skip_days_without_news(client, make_article):
    make_article(published_at=local(2019, 9, 30, 23, 0))
    make_article(published_at=local(2019, 10, 17))
    make_article(published_at=local(2019, 11, 2, 0, 10))

    page = text(client.get("/tin-theo-ngay/2019/10/17/"))

    links = re.findall(r'rel="(prev|next)" href="([^"]+)"', page)
    assert links == [("prev", "/tin-theo-ngay/2019/09/30/"), ("next", "/tin-theo-ngay/2019/11/02/")]


def test_first_and_last_days_have_no_link_beyond_them(client, make_article):
    make_article(published_at=local(2019, 10, 17))
    page = text(client.get("/tin-theo-ngay/2019/10/17/"))
    assert 'rel="prev"' not in page and 'rel="next"' not in page


def test_neighbour_day_links_follow_the_section_filter(client, category, make_article):
    labour = Category.objects.create(name="Lao động", slug="lao-dong")
    make_article(category=labour, published_at=local(2019, 10, 1))
    make_article(published_at=local(2019, 10, 5))
    make_article(category=labour, published_at=local(2019, 10, 10))

    page = text(client.get("/tin-theo-ngay/2019/10/10/?chuyen-muc=lao-dong"))

    assert 'rel="prev" href="/tin-theo-ngay/2019/10/01/?chuyen-muc=lao-dong"' in page


@pytest.mark.parametrize(
    "url",
    [
        "/tin-theo-ngay/2019/02/30/",
        "/tin-theo-ngay/2019/02/29/",
        "/tin-theo-ngay/2019/13/01/",
        "/tin-theo-ngay/2019/00/01/",
        "/tin-theo-ngay/2019/10/00/",
        "/tin-theo-ngay/2019/10/32/",
        "/tin-theo-ngay/abcd/10/17/",
        "/tin-theo-ngay/2019/ab/17/",
        "/tin-theo-ngay/2019/10/1a/",
        "/tin-theo-ngay/2019/1/7/",
        "/tin-theo-ngay/0000/",
        "/tin-theo-ngay/0000/01/01/",
        "/tin-theo-ngay/0001/01/01/",
        "/tin-theo-ngay/9999/",
        "/tin-theo-ngay/9999/12/",
        "/tin-theo-ngay/9999/12/31/",
        "/tin-theo-ngay/10000/",
        "/tin-theo-ngay/2019/13/",
    ],
)
def test_impossible_dates_are_404(client, url):
    assert client.get(url).status_code == 404


def test_leap_day_is_a_real_day(client):
    assert client.get("/tin-theo-ngay/2024/02/29/").status_code == 200


def test_future_day_shows_nothing_scheduled(client, make_article):
    make_article(
        title="Tin hẹn giờ ngày mai",
        status=Article.Status.PUBLISHED,
        published_at=NOW + timedelta(days=1),
    )
    response = client.get("/tin-theo-ngay/2024/05/16/")
    assert response.status_code == 200
    assert "Tin hẹn giờ ngày mai" not in text(response)
    assert "Không có tin nào được đăng" in text(response)


def test_day_page_never_shows_unpublished_articles(client, make_article, hidden_article):
    make_article(title="Tin công khai", published_at=NOW - timedelta(hours=3))
    page = text(client.get("/tin-theo-ngay/2024/05/15/"))
    assert "Tin công khai" in page
    assert "Tin chưa được công bố" not in page


def test_neighbour_day_links_never_lead_to_unpublished_days(client, make_article, category):
    make_article(published_at=local(2024, 5, 10))
    Article.objects.create(
        title="Hẹn giờ", category=category, status="published", published_at=local(2024, 5, 20)
    )
    Article.objects.create(
        title="Nháp", category=category, status="draft", published_at=local(2024, 5, 1)
    )
    page = text(client.get("/tin-theo-ngay/2024/05/12/"))
    assert 'rel="prev" href="/tin-theo-ngay/2024/05/10/"' in page
    assert 'rel="next"' not in page


def test_day_page_query_count_does_not_grow(
    client, category, make_article, django_assert_max_num_queries, schedule_queries
):
    sections = [category] + [
        Category.objects.create(name=f"Mục {n}", slug=f"muc-{n}", position=n) for n in range(3)
    ]
    counts = []
    for more in (5, 25):
        for n in range(more):
            make_article(category=sections[n % 4], published_at=NOW - timedelta(minutes=n + 1))
        # 5: neighbours, categories, articles, the site's identity and links (agency.frame), and
        # the page cache's look-up of the next scheduled event.
        with django_assert_max_num_queries(4 + schedule_queries) as captured:
            response = client.get("/tin-theo-ngay/2024/05/15/")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# Month and year pages


def test_month_calendar_links_days_with_news_and_their_counts(client, make_article):
    make_article(published_at=local(2019, 10, 17, 8))
    make_article(published_at=local(2019, 10, 17, 21, 50))
    make_article(published_at=local(2019, 10, 31, 16, 6))
    make_article(published_at=local(2019, 11, 1))

    response = client.get("/tin-theo-ngay/2019/10/")
    page = text(response)

    assert response.status_code == 200
    assert "Tin tháng 10/2019" in page
    day_links = re.findall(
        r'<a href="(/tin-theo-ngay/2019/10/\d\d/)">.*?'
        r'<span class="calendar__count">(\d+) tin</span>',
        page,
    )
    assert day_links == [("/tin-theo-ngay/2019/10/17/", "2"), ("/tin-theo-ngay/2019/10/31/", "1")]
    assert '<td><span class="calendar__day">16</span></td>' in page
    assert 'rel="next" href="/tin-theo-ngay/2019/11/"' in page
    assert "3 tin trong tháng." in page


def test_month_calendar_starts_weeks_on_monday(client):
    page = text(client.get("/tin-theo-ngay/2019/10/"))
    headings = re.findall(r'<abbr title="([^"]+)">', page)
    assert headings == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
    # 1 October 2019 was a Tuesday: one empty cell before it.
    first_week = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert first_week.count('class="calendar__out"') == 1


def test_empty_month_is_200_with_message_and_noindex(client):
    response = client.get("/tin-theo-ngay/2019/02/")
    assert response.status_code == 200
    assert "Không có tin nào được đăng trong tháng 02/2019" in text(response)
    assert '<meta name="robots" content="noindex">' in text(response)


def test_month_never_counts_unpublished_articles(client, make_article, hidden_article):
    make_article(published_at=NOW - timedelta(hours=3))
    page = text(client.get("/tin-theo-ngay/2024/05/"))
    assert '<span class="calendar__count">1 tin</span>' in page
    assert "1 tin trong tháng." in page


def test_year_page_lists_months_with_counts(client, make_article):
    make_article(published_at=local(2019, 10, 17))
    make_article(published_at=local(2019, 10, 31))
    make_article(published_at=local(2019, 2, 1))
    # 1 January 2020 at 00:30 local is still 2019 in UTC: it belongs to 2020.
    make_article(published_at=datetime(2019, 12, 31, 17, 30, tzinfo=UTC))

    page = text(client.get("/tin-theo-ngay/2019/"))

    assert "Tin năm 2019" in page
    assert re.findall(
        r'href="(/tin-theo-ngay/2019/\d\d/)">Tháng \d\d/2019 '
        r'<span class="month-list__count">(\d+) tin',
        page,
    ) == [("/tin-theo-ngay/2019/02/", "1"), ("/tin-theo-ngay/2019/10/", "2")]
    assert page.count("Không có tin</span>") == 10
    assert 'rel="next" href="/tin-theo-ngay/2020/"' in page


def test_empty_year_is_200_with_message_and_noindex(client):
    response = client.get("/tin-theo-ngay/1999/")
    assert response.status_code == 200
    assert "Không có tin nào được đăng trong năm 1999" in text(response)
    assert '<meta name="robots" content="noindex">' in text(response)


def test_year_never_counts_unpublished_articles(client, make_article, hidden_article):
    make_article(published_at=NOW - timedelta(hours=3))
    page = text(client.get("/tin-theo-ngay/2024/"))
    assert '<span class="month-list__count">1 tin</span>' in page
    assert "1 tin trong năm 2024" in page
