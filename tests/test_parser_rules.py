"""The page parser's rules for the shapes Vietnamese news and government sites print (issue 22).

One test per rule, on small pages written for the rule; the corpus in tests/importer_corpus/
scores the rules together. Pure Python: no database, no Django settings.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from news.parser import Figure, Paragraph, ParsedArticle, ParseError, parse_date_line, parse_page

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Hà Nội ra quân xử lý vi phạm trật tự đô thị trên 200 tuyến phố"
LEAD = (
    "Từ ngày 12/6, lực lượng chức năng các quận nội thành đồng loạt ra quân xử lý tình trạng "
    "lấn chiếm vỉa hè, lòng đường."
)
BODY = (
    "Theo kế hoạch của UBND thành phố, đợt cao điểm kéo dài đến hết tháng 9, tập trung vào các "
    "tuyến phố chính, khu vực quanh chợ, bệnh viện và trường học."
)
MORE = "Người dân có thể phản ánh vi phạm qua đường dây nóng để lực lượng chức năng xử lý."
STAMP = "12/06/2023 08:15"


def page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def paragraphs(article: ParsedArticle) -> list[str]:
    return [block.text for block in article.blocks if isinstance(block, Paragraph)]


def figures(article: ParsedArticle) -> list[tuple[str | None, str]]:
    return [(block.file, block.caption) for block in article.blocks if isinstance(block, Figure)]


# --------------------------------------------------------------------------------------------------
# Dates: every form the sites print, read in GMT+7
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Thứ Hai, 12/06/2023 08:15 GMT+7", datetime(2023, 6, 12, 8, 15, tzinfo=TZ)),
        ("Thứ hai, ngày 12/06/2023 08:15 GMT+7", datetime(2023, 6, 12, 8, 15, tzinfo=TZ)),
        ("12/6/23 - 8:15", datetime(2023, 6, 12, 8, 15, tzinfo=TZ)),
        ("15:30 ngày 05/03/2024", datetime(2024, 3, 5, 15, 30, tzinfo=TZ)),
        ("Chủ nhật, 3/9/2023, 07:00 (GMT+7)", datetime(2023, 9, 3, 7, 0, tzinfo=TZ)),
        ("Thứ Năm, 07:05, 14/09/2023", datetime(2023, 9, 14, 7, 5, tzinfo=TZ)),
        ("Thứ Năm, 17-10-2019, 21:50:00", datetime(2019, 10, 17, 21, 50, tzinfo=TZ)),
        ("Thứ hai, 12/6/2023 | 8:15:30", datetime(2023, 6, 12, 8, 15, 30, tzinfo=TZ)),
        ("Thứ Hai 08/01/2024 , 06:30 (GMT+7)", datetime(2024, 1, 8, 6, 30, tzinfo=TZ)),
        ("07:20 PM, 08/01/2024", datetime(2024, 1, 8, 19, 20, tzinfo=TZ)),
        ("20/05/2021 03:10 CH", datetime(2021, 5, 20, 15, 10, tzinfo=TZ)),
        ("21-11-2023 20:12", datetime(2023, 11, 21, 20, 12, tzinfo=TZ)),
        ("2022-08-17T01:00:00Z", datetime(2022, 8, 17, 8, 0, tzinfo=TZ)),
        ("March 05, 2024 - 20:31", datetime(2024, 3, 5, 20, 31, tzinfo=TZ)),
        ("November 21, 2022 - 09:10", datetime(2022, 11, 21, 9, 10, tzinfo=TZ)),
        ("Monday, June 12, 2023 08:15 (GMT+7)", datetime(2023, 6, 12, 8, 15, tzinfo=TZ)),
        ("5 March 2024", date(2024, 3, 5)),
        ("Thứ Ba, 21/11/2023", date(2023, 11, 21)),
        ("12.06.2023", date(2023, 6, 12)),
    ],
)
def test_dates_in_every_printed_form_are_read_in_gmt_plus_7(line, expected):
    stamp = parse_date_line(line)

    assert stamp is not None and stamp.rest == ""
    assert stamp.value == expected
    assert type(stamp.value) is type(expected)


def test_a_clock_with_minutes_wins_over_an_hour_in_a_programme_name():
    stamp = parse_date_line("VTV1 | Thời sự 19h | 21/11/2022 19:45")

    assert stamp is not None
    assert stamp.value == datetime(2022, 11, 21, 19, 45, tzinfo=TZ)


@pytest.mark.parametrize(
    "line", ["VTV.vn - 08/01/2024 14:02", "VTV1 | Thời sự 19h | 08/01/2024 14:02"]
)
def test_channel_and_time_line_gives_the_publication_time(line):
    article = parse_page(page("VTV.VN", TITLE, line, LEAD, BODY, "PV"))

    assert article.published_at == datetime(2024, 1, 8, 14, 2, tzinfo=TZ)
    assert article.author == "PV"
    assert article.lead == LEAD


# --------------------------------------------------------------------------------------------------
# Datelines
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dateline", ["HÀ NỘI (VOV) -", "(Dân sinh) -", "TTO -", "HÀ NỘI —"])
def test_dateline_alone_on_its_line_is_neither_lead_nor_body(dateline):
    article = parse_page(page(TITLE, STAMP, dateline, LEAD, BODY))

    assert article.lead == LEAD
    assert paragraphs(article) == [BODY]
    assert [s.why for s in article.skipped] == ["dateline"]


def test_place_and_date_dateline_dates_a_page_without_its_own_stamp():
    article = parse_page(page(TITLE, "Nghệ An, 12/6/2023", LEAD, BODY))

    assert article.published_at == date(2023, 6, 12)
    assert article.lead == LEAD
    assert paragraphs(article) == [BODY]


def test_outlet_tag_opening_the_lead_stays_in_the_lead():
    lead = "(Chinhphu.vn) - " + LEAD

    article = parse_page(page(TITLE, STAMP, lead, BODY))

    assert article.title == TITLE
    assert article.lead == lead


# --------------------------------------------------------------------------------------------------
# Headline: site headers, menus, breadcrumbs, kickers
# --------------------------------------------------------------------------------------------------


def test_site_header_above_the_menu_is_not_the_headline():
    article = parse_page(
        page("Báo Điện tử Chính phủ", "Thời sự | Kinh tế | Xã hội", TITLE, STAMP, LEAD, BODY)
    )

    assert article.title == TITLE
    assert article.skipped[0].text == "Báo Điện tử Chính phủ"


def test_breadcrumb_with_one_separator_is_navigation():
    article = parse_page(page("Lao động - Việc làm › Chính sách", TITLE, STAMP, LEAD, BODY))

    assert article.title == TITLE
    assert article.category == "Chính sách"


def test_kicker_above_the_headline_is_not_the_headline():
    article = parse_page(page("Thời sự", "Tin vui", TITLE, STAMP, LEAD, BODY))

    assert article.title == TITLE
    assert "Tin vui" not in [article.lead, *paragraphs(article)]


# --------------------------------------------------------------------------------------------------
# Bylines, credits and sources
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author", "source"),
    [
        ("Phạm Hùng/VOV.VN", "Phạm Hùng", "VOV.VN"),
        ("Hoàng Linh/VOV-Miền Trung", "Hoàng Linh", "VOV-Miền Trung"),
        ("Minh Phương - Hoàng Anh/VTV24", "Minh Phương - Hoàng Anh", "VTV24"),
        ("Thu Hằng (TTXVN/Vietnam+)", "Thu Hằng", "TTXVN/Vietnam+"),
    ],
)
def test_byline_with_its_outlet_gives_the_author_and_the_source(line, author, source):
    article = parse_page(page(TITLE, STAMP, LEAD, BODY, line, "Tin liên quan"))

    assert (article.author, article.source) == (author, source)
    assert paragraphs(article) == [BODY]


def test_agency_credit_alone_in_brackets_is_the_author():
    article = parse_page(page(TITLE, STAMP, LEAD, BODY, "(TTXVN/Vietnam+)"))

    assert article.author == "TTXVN/Vietnam+"
    assert paragraphs(article) == [BODY]


@pytest.mark.parametrize("office", ["Vụ Bình đẳng giới", "Nhóm phóng viên", "Sở Y tế Hà Nội"])
def test_office_credited_at_the_end_is_the_author(office):
    article = parse_page(page(TITLE, STAMP, LEAD, BODY, office))

    assert article.author == office
    assert paragraphs(article) == [BODY]


def test_capitals_byline_at_the_end_is_the_author():
    article = parse_page(page(TITLE, STAMP, LEAD, BODY, "NAM TRẦN", "Tags: Chống ngập"))

    assert article.author == "NAM TRẦN"
    assert paragraphs(article) == [BODY]


def test_english_by_line_under_the_headline():
    article = parse_page(page(TITLE, "November 21, 2022 - 09:10", "By Thu Hằng", LEAD, BODY))

    assert article.author == "Thu Hằng"
    assert article.lead == LEAD


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("Nguồn: Sở Thông tin và Truyền thông", "Sở Thông tin và Truyền thông"),
        ("Theo TTXVN", "TTXVN"),
    ],
)
def test_source_line_at_the_end_is_the_source_not_body(line, source):
    article = parse_page(page(TITLE, STAMP, LEAD, BODY, line, "Chia sẻ | In | Gửi email"))

    assert article.source == source
    assert paragraphs(article) == [BODY]


# --------------------------------------------------------------------------------------------------
# Captions
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "caption",
    [
        "Nông dân thu hoạch lúa tại huyện Tháp Mười. Ảnh: Trung Chánh.",
        "Một tuyến đường ngập sau cơn mưa lớn chiều 11-6 - Ảnh: NAM TRẦN",
        "Phiên họp của Hội đồng Tiền lương quốc gia (Ảnh: Mạnh Quân).",
        "Công nhân thi công phần mái nhà ga ẢNH: ĐÌNH HUY",
        "Ảnh minh họa",
    ],
)
def test_line_after_an_image_file_ending_in_a_credit_is_its_caption(caption):
    article = parse_page(page(TITLE, STAMP, LEAD, "anh-1.jpg", caption, BODY))

    assert figures(article) == [("anh-1.jpg", caption)]
    assert paragraphs(article) == [BODY]


@pytest.mark.parametrize(
    "caption",
    [
        "Ảnh 1: Lãnh đạo hai cơ quan ký kết chương trình phối hợp.",
        "Hình 2. Máy cấy được sử dụng trên cánh đồng lớn.",
        "Thủ tướng phát biểu tại phiên họp sáng 5/3. Ảnh: VGP/Nhật Bắc",
        "Officers remind shop owners to keep the pavement clear. (Photo: VNA)",
        "The Prime Minister speaks at the meeting on Tuesday. — VNA/VNS Photo Dương Giang",
    ],
)
def test_caption_printed_without_its_image_file_is_a_caption_not_a_paragraph(caption):
    article = parse_page(page(TITLE, STAMP, LEAD, BODY, caption, MORE))

    assert figures(article) == [(None, caption)]
    assert paragraphs(article) == [BODY, MORE]


def test_numbered_captions_are_not_joined_as_credits():
    first = "Ảnh 1: Lãnh đạo hai cơ quan ký kết chương trình phối hợp."
    second = "Ảnh 2: Các đại biểu dự lễ ký kết."

    article = parse_page(page(TITLE, STAMP, LEAD, first, second, BODY))

    assert figures(article) == [(None, first), (None, second)]


def test_figure_label_without_its_caption_is_dropped():
    article = parse_page(page(TITLE, STAMP, LEAD, BODY, "Ảnh 1", MORE))

    assert paragraphs(article) == [BODY, MORE]
    assert figures(article) == []


def test_credit_line_under_a_caption_joins_the_caption():
    article = parse_page(
        page(TITLE, STAMP, LEAD, "cau.jpg", "Cầu có tổng chiều dài hơn 17 km.", "Ảnh: Tạ Hải", BODY)
    )

    assert figures(article) == [("cau.jpg", "Cầu có tổng chiều dài hơn 17 km.\nẢnh: Tạ Hải")]


# --------------------------------------------------------------------------------------------------
# Page furniture: read more, related news, share and subscribe, footers
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["Xem thêm", "Đọc thêm", "Read more", "Video khác"])
def test_read_more_heading_ends_the_article(marker):
    teaser = "Cao tốc Dầu Giây - Phan Thiết sẽ được mở rộng lên bốn làn"

    article = parse_page(page(TITLE, STAMP, LEAD, BODY, "Đoàn Loan", marker, teaser))

    assert article.author == "Đoàn Loan"
    assert paragraphs(article) == [BODY]
    assert ("related links" in [s.why for s in article.skipped]) is True


def test_inline_read_more_link_is_not_body():
    article = parse_page(
        page(TITLE, STAMP, LEAD, BODY, "Đọc thêm: Hơn 500.000 lao động mất việc", MORE)
    )

    assert paragraphs(article) == [BODY, MORE]


@pytest.mark.parametrize(
    "line",
    [
        "Chia sẻ: Facebook | Zalo | Email | In",
        "Theo dõi Báo Xây dựng trên Google News",
        "Theo dõi SKĐS trên Zalo",
        "Đăng ký nhận bản tin",
    ],
)
def test_share_and_subscribe_lines_are_dropped(line):
    article = parse_page(page(TITLE, STAMP, LEAD, BODY, "Minh Thư", line))

    assert article.author == "Minh Thư"
    assert paragraphs(article) == [BODY]
    assert line not in [s.text for s in article.skipped]


def test_copyright_footer_is_page_furniture():
    article = parse_page(
        page(TITLE, STAMP, LEAD, BODY, "© Copyright 1997 VnExpress.net, All rights reserved")
    )

    assert paragraphs(article) == [BODY]
    assert [s.why for s in article.skipped] == ["page footer"]


# --------------------------------------------------------------------------------------------------
# Pages that are not articles
# --------------------------------------------------------------------------------------------------


def test_page_whose_headline_was_lost_is_refused():
    text = page(
        "Dân trí",
        "Thời sự | Thế giới | Kinh doanh",
        "Lao động - Việc làm › Chính sách",
        STAMP,
        "Hoàng Mạnh",
        "(Dân trí) - " + LEAD,
        BODY,
    )

    with pytest.raises(ParseError, match="tiêu đề"):
        parse_page(text)


def test_error_page_is_refused():
    text = page(
        "Lỗi 404", "Không tìm thấy trang", "Trang bạn yêu cầu không tồn tại hoặc đã bị xóa."
    )

    with pytest.raises(ParseError, match="báo lỗi"):
        parse_page(text)


def test_list_of_dated_headlines_is_refused():
    text = page(
        "Tin tổng hợp",
        "Quảng Ninh đón hơn 1 triệu lượt khách du lịch trong tháng 5 (12/06/2023)",
        "Khai trương mùa du lịch biển Hạ Long 2023 (10/06/2023)",
        "Hội nghị xúc tiến đầu tư vào Khu kinh tế Vân Đồn (08/06/2023)",
    )

    with pytest.raises(ParseError, match="không phải bài viết"):
        parse_page(text)


def test_list_of_headlines_with_dates_and_summaries_is_refused():
    text = page(
        TITLE,
        "Chủ nhật, 3/9/2023, 07:00 (GMT+7)",
        LEAD,
        "Hà Nội mưa lớn, nhiều tuyến phố ngập sâu",
        "Chủ nhật, 3/9/2023, 06:30 (GMT+7)",
        BODY,
        "Giá xăng có thể tăng vào ngày mai",
        "Thứ bảy, 2/9/2023, 18:00 (GMT+7)",
        MORE,
    )

    with pytest.raises(ParseError, match="danh sách tin"):
        parse_page(text)


def test_short_article_with_its_own_paragraphs_before_teasers_is_kept():
    article = parse_page(
        page(
            TITLE,
            STAMP,
            LEAD,
            BODY,
            "Hà Nội mưa lớn, nhiều tuyến phố ngập sâu",
            "12/06/2023 06:30",
            MORE,
        )
    )

    assert article.title == TITLE
    assert paragraphs(article) == [BODY]
