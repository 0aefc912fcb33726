"""The reader site in a browser: news by day, printing, search, phones, hostile article bodies."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from news.models import Image

pytestmark = pytest.mark.django_db(transaction=True)

PRINT_STUB = "window.__printCalls = 0; window.print = () => { window.__printCalls += 1; };"


def local(*args):
    """An aware datetime in Vietnam's time (GMT+7)."""
    return timezone.make_aware(datetime.datetime(*args))


def day_url(day):
    return reverse(
        "news:archive-day", kwargs={"year": day.year, "month": day.month, "day": day.day}
    )


def test_reader_picks_a_day_walks_to_neighbouring_days_and_prints_an_article(
    open_page, seeds, make_article
):
    seed = seeds["004"]  # published 21:50 17/10/2019 GMT+7
    earlier = make_article(
        title="Hội nghị tổng kết công tác an sinh", published_at=local(2019, 10, 10, 9)
    )
    later = make_article(
        title="Khai giảng lớp đào tạo nghề", published_at=local(2019, 10, 25, 8, 30)
    )
    page = open_page(init_script=PRINT_STUB)

    page.goto(reverse("news:archive"))
    picker = page.get_by_role("main").get_by_label("Xem tin theo ngày")
    expect(picker).to_have_attribute("type", "text")
    picker.fill("17/10/2019")
    page.get_by_role("main").get_by_role("button", name="Xem tin").click()
    expect(page).to_have_url(re.compile(re.escape(day_url(datetime.date(2019, 10, 17))) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tin ngày Thứ Năm, 17/10/2019")
    expect(page.get_by_role("link", name=seed.title)).to_be_visible()

    # Previous and next go to the nearest days with news, over the empty days between.
    previous_day = page.get_by_role("link", name=re.compile("^‹ Ngày trước có tin"))
    next_day = page.get_by_role("link", name=re.compile("Ngày sau có tin"))
    previous_day.click()
    expect(page).to_have_url(re.compile(re.escape(day_url(datetime.date(2019, 10, 10))) + "$"))
    expect(page.get_by_role("link", name=earlier.title)).to_be_visible()
    next_day.click()
    expect(page).to_have_url(re.compile(re.escape(day_url(datetime.date(2019, 10, 17))) + "$"))
    next_day.click()
    expect(page).to_have_url(re.compile(re.escape(day_url(datetime.date(2019, 10, 25))) + "$"))
    expect(page.get_by_role("link", name=later.title)).to_be_visible()
    # The next day with news is seed 000's, almost four years on.
    expect(next_day).to_contain_text(f"{timezone.localdate(seeds['000'].published_at):%d/%m/%Y}")
    previous_day.click()

    page.get_by_role("link", name=seed.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(seed.title)
    print_button = page.get_by_role("button", name="In bài viết")
    expect(print_button).to_be_visible()
    print_button.click()
    assert page.evaluate("window.__printCalls") == 1

    page.emulate_media(media="print")
    for selector in (
        ".site-header",
        ".site-nav",
        ".layout__aside",
        ".site-footer",
        ".article__tools",
    ):
        element = page.locator(selector)
        expect(element).to_have_count(1)
        expect(element).to_be_hidden()
        assert element.evaluate("e => getComputedStyle(e).display") == "none", selector
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".article__body")).to_be_visible()
    expect(page.get_by_text("Địa chỉ bài viết:")).to_be_visible()


def test_date_box_shows_dd_mm_yyyy_in_an_english_browser_without_javascript(
    open_page, make_article
):
    make_article(title="Tin ngày 13/9", published_at=local(2023, 9, 13, 9))
    make_article(title="Tin ngày 17/10", published_at=local(2019, 10, 17, 9))
    page = open_page(locale="en-US", java_script_enabled=False)

    # "Tin theo ngày" opens on the latest day with news, the menu saying where the reader is.
    page.goto(reverse("news:archive"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tin ngày Thứ Tư, 13/09/2023")
    expect(page.get_by_role("link", name="Tin theo ngày").first).to_have_attribute(
        "aria-current", "page"
    )
    main = page.get_by_role("main")
    box = main.get_by_label("Xem tin theo ngày")
    # A text box: an English browser shows 09/13/2023 in <input type=date>; this shows the day
    # as the heading does.
    expect(box).to_have_attribute("type", "text")
    expect(box).to_have_value("13/09/2023")
    expect(box).to_have_attribute("placeholder", "dd/mm/yyyy")
    expect(main.get_by_text("Ngày/tháng/năm, ví dụ 17/10/2019")).to_be_visible()
    box.fill("abc")
    assert box.evaluate("e => e.validity.patternMismatch")
    box.fill("17/10/2019")
    main.get_by_role("button", name="Xem tin").click()

    expect(page).to_have_url(re.compile(re.escape(day_url(datetime.date(2019, 10, 17))) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tin ngày Thứ Năm, 17/10/2019")
    expect(main.get_by_label("Xem tin theo ngày")).to_have_value("17/10/2019")
    expect(page.get_by_role("link", name="Tin ngày 17/10")).to_be_visible()
    expect(page.get_by_role("link", name="Tin theo ngày").first).to_have_attribute(
        "aria-current", "true"
    )


@pytest.mark.parametrize("contrast", [False, True])
def test_date_box_keeps_its_calendar_icon_in_high_contrast(
    open_page, live_server, make_article, contrast
):
    make_article(published_at=local(2023, 9, 13, 9))
    page = open_page()
    if contrast:
        page.context.add_cookies([{"name": "tuong-phan", "value": "cao", "url": live_server.url}])
    page.goto(reverse("news:archive"))
    icon = page.get_by_role("main").locator(".date-input__icon")
    expect(icon).to_be_visible()
    stroke, background = icon.evaluate(
        """e => [getComputedStyle(e).stroke,
                 getComputedStyle(e.parentElement.querySelector("input")).backgroundColor]"""
    )
    if contrast:
        assert (stroke, background) == ("rgb(255, 255, 255)", "rgb(0, 0, 0)")
    else:
        assert background == "rgb(255, 255, 255)" and stroke != background


def test_reader_narrows_a_search_and_sees_the_words_marked(page, make_article, category):
    from news.models import Category

    labour = Category.objects.create(name="Lao động", slug="lao-dong")
    make_article(
        title="Thị trường lao động quý I", category=labour, published_at=local(2024, 3, 20, 9)
    )
    make_article(title="Lao động nữ được hỗ trợ", published_at=local(2024, 3, 21, 9))
    make_article(title="Lao động năm trước", category=labour, published_at=local(2023, 3, 21, 9))

    page.goto(reverse("news:search"))
    main = page.get_by_role("main")
    main.get_by_role("searchbox", name="Từ khóa").fill("lao dong")
    main.get_by_label("Chuyên mục").select_option("lao-dong")
    main.get_by_label("Từ ngày").fill("01/01/2024")
    main.get_by_label("Sắp xếp").select_option("moi-nhat")
    main.get_by_role("button", name="Tìm kiếm").click()

    expect(page).to_have_url(re.compile(r"chuyen-muc=lao-dong.*tu-ngay=01%2F01%2F2024"))
    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 1 tin có “lao dong”.")
    result = page.locator(".card__title a")
    expect(result).to_have_text(["Thị trường lao động quý I"])
    expect(result.locator("mark")).to_have_text("lao động")
    expect(main.get_by_label("Từ ngày")).to_have_value("01/01/2024")


def test_search_without_diacritics_finds_the_seed_article(page, seeds):
    seed = seeds["000"]
    assert seed.title.startswith("Tập huấn nghiệp vụ công tác bình đẳng giới")
    page.goto(reverse("news:home"))
    search = page.get_by_role("searchbox", name="Tìm kiếm tin tức")
    search.fill("binh dang gioi")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/tim-kiem/\?q=binh\+dang\+gioi$"))
    expect(page.get_by_role("status")).to_contain_text("Tìm thấy")
    first_result = page.locator(".card__title a").first  # title matches come first
    expect(first_result).to_have_text(seed.title)
    first_result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(seed.title)


LONG_TITLE = (
    "Thủ tướng phê duyệt Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021–2025 "
    "theo Thông tư số 07/2021/TT-BLĐTBXH hướng dẫn phương pháp rà soát, phân loại hộ nghèo, hộ "
    "cận nghèo và xác định thu nhập của hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp"
)
WIDE_TABLE = (
    "<figure class='table'><table><thead><tr>"
    + "".join(
        f"<th>{heading}</th>"
        for heading in [
            "Tỉnh, thành phố trực thuộc Trung ương",
            "Số hộ nghèo đầu kỳ",
            "Tỷ lệ hộ nghèo đầu kỳ (%)",
            "Số hộ cận nghèo đầu kỳ",
            "Số hộ thoát nghèo",
            "Số hộ tái nghèo",
            "Số hộ nghèo phát sinh",
            "Số hộ nghèo cuối kỳ",
            "Tỷ lệ hộ nghèo cuối kỳ (%)",
            "Kinh phí hỗ trợ (triệu đồng)",
        ]
    )
    + "</tr></thead><tbody>"
    + "".join(
        f"<tr><td>{province}</td>" + "".join(f"<td>{n * 1234:,}</td>" for n in range(9)) + "</tr>"
        for province in ["Hà Giang", "Điện Biên", "Thừa Thiên Huế", "Thành phố Hồ Chí Minh"]
    )
    + "</tbody></table></figure>"
)


@pytest.fixture
def realistic_article(make_article, image_upload):
    """An article the way the ministry writes them: long title, photos, a wide table, codes."""
    featured = Image.objects.create(
        file=image_upload("dai-dien.jpg", size=(1200, 800)), alt_text="Hộ nghèo nhận hỗ trợ"
    )
    photo = Image.objects.create(
        file=image_upload("trong-bai.jpg", size=(1600, 900)),
        alt_text="Cán bộ rà soát hộ nghèo tại thôn",
        caption="Cán bộ xã rà soát hộ nghèo, hộ cận nghèo năm 2022",
    )
    body = (
        "<p>Theo Quyết định số 90/QĐ-TTg, tổng kinh phí thực hiện chương trình là 75.000 tỷ đồng."
        " Xem chi tiết tại https://www.molisa.gov.vn/Pages/tintuc/chitiet.aspx?tintucID=231234"
        "&amp;chuyenmuc=giam-ngheo-ben-vung-giai-doan-2021-2025.</p>"
        f"<figure class='image'><img src='{photo.file.url}' alt='{photo.alt_text}' "
        f"width='1600' height='900'><figcaption>{photo.caption}</figcaption></figure>"
        f"{WIDE_TABLE}<p>Các địa phương báo cáo kết quả trước ngày 15/12/2022.</p>"
    )
    return make_article(
        title=LONG_TITLE,
        lead="Chương trình hướng tới giảm tỷ lệ hộ nghèo theo chuẩn đa chiều duy trì mức giảm"
        " 1–1,5% mỗi năm; riêng các huyện nghèo giảm 4–5% mỗi năm.",
        body=body,
        featured_image=featured,
        author="Thái Bình",
        published_at=local(2022, 11, 3, 8, 15),
    )


MEASURE_WIDTH = """(limit) => {
    const clipped = el => {
        for (let p = el.parentElement; p; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== "visible") return true;
        }
        return false;
    };
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width && (box.right > limit + 0.5 || box.left < -0.5) && !clipped(el)) {
            const name = `${el.tagName.toLowerCase()}.${el.className}`;
            wide.push(`${name} ${box.left | 0}..${box.right | 0}`);
        }
    }
    return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        wide: wide.slice(0, 10),
    };
}"""


def test_nothing_scrolls_sideways_on_a_phone(phone_page, seeds, realistic_article):
    page = phone_page
    phone_width = page.viewport_size["width"]
    day = timezone.localdate(realistic_article.published_at)
    pages = {
        "home": reverse("news:home"),
        "section": realistic_article.category.get_absolute_url(),
        "article": realistic_article.get_absolute_url(),
        "day": day_url(day),
        "month": reverse("news:archive-month", kwargs={"year": day.year, "month": day.month}),
        "search": reverse("news:search") + "?q=giam+ngheo",
    }
    shown = page.get_by_role("link", name=LONG_TITLE).or_(
        page.get_by_role("heading", name=LONG_TITLE)
    )
    too_wide = {}
    for name, path in pages.items():
        page.goto(path)
        if name == "month":
            expect(page.get_by_role("link", name=f"Ngày {day.day} 1 tin")).to_be_visible()
        else:
            expect(shown.first).to_be_visible()
        measured = page.evaluate(MEASURE_WIDTH, phone_width)
        # A phone browser zooms out to fit a page that is too wide; that must not happen either.
        if measured["innerWidth"] != phone_width or measured["scrollWidth"] > phone_width:
            too_wide[name] = measured
    assert not too_wide, f"Pages wider than a {phone_width} px phone: {too_wide}"

    # The wide table scrolls inside its own box, and the photos fit the screen.
    page.goto(pages["article"])
    table_box = page.locator(".article__body table")
    assert table_box.evaluate("t => t.scrollWidth > t.clientWidth"), "the table should scroll"
    for image in page.locator(".article__body img, .article__figure img").all():
        assert image.evaluate("i => i.getBoundingClientRect().right <= window.innerWidth")


XSS_TITLE = '<script>alert("tiêu đề")</script> Tin có mã độc <img src=x onerror=alert(0)>'
XSS_BODY = """
<p>Đoạn văn bình thường.</p>
<img src="x" onerror="alert(1)" alt="ảnh hỏng">
<script>alert(2)</script>
<p><a href="javascript:alert(3)" id="js-link">Liên kết javascript</a></p>
<p><a href="JaVaScRiPt:alert(4)">Liên kết viết hoa</a></p>
<svg onload="alert(5)"><circle r="5"></circle></svg>
<iframe src="javascript:alert(6)"></iframe>
<p onmouseover="alert(7)" id="hover-me">Di chuột vào đây</p>
<img src="javascript:alert(8)" alt="ảnh javascript">
<math><mtext><img src=x onerror=alert(9)></mtext></math>
<form action="javascript:alert(10)"><button>Gửi</button></form>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=">Liên kết data</a>
<style>@import "javascript:alert(12)";</style>
<object data="javascript:alert(13)"></object>
"""


def test_hostile_article_runs_no_script(open_page, make_article, browser_log):
    article = make_article(
        title=XSS_TITLE, lead='Sapo <img src=x onerror="alert(14)">', body=XSS_BODY
    )
    # <img src="x"> is kept as a harmless broken picture: the browser's 404 for it is expected.
    browser_log.expect_console_error(r"Failed to load resource.*@ .*/x$")
    page = open_page()

    page.goto(article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(XSS_TITLE)
    expect(page.locator(".article__lead")).to_have_text('Sapo <img src=x onerror="alert(14)">')
    page.get_by_text("Di chuột vào đây").hover()
    for name in ("Liên kết javascript", "Liên kết viết hoa", "Liên kết data"):
        link = page.get_by_role("link", name=name)
        if link.count():
            link.click()
    page.wait_for_timeout(300)  # time for any late onerror/onload to fire
    injected = page.locator(".article__body").evaluate(
        """body => body.querySelectorAll(
            "script, svg, iframe, object, style, form, math, [onerror], [onload], [onmouseover]"
        ).length + [...body.querySelectorAll("a[href], img[src]")].filter(
            e => /^\\s*(javascript|data):/i.test(e.getAttribute("href") || e.getAttribute("src"))
        ).length"""
    )
    assert injected == 0

    day = timezone.localdate(article.published_at)
    for path in (reverse("news:home"), day_url(day), reverse("news:search") + "?q=ma+doc"):
        page.goto(path)
        expect(page.get_by_role("link", name=XSS_TITLE).first).to_be_visible()
    page.wait_for_timeout(300)

    assert browser_log.dialogs == []
    assert browser_log.page_errors == []
