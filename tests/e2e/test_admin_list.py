"""The article list on a 1366 × 768 laptop, the newsroom's usual screen: beside Django's menu and
the filters, the title column stays wide enough to read and no column is cut off."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from news.models import Article, Category

pytestmark = pytest.mark.django_db(transaction=True)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
LAPTOP = {"width": 1366, "height": 768}

MEASURE = """() => {
    const table = document.querySelector("#result_list");
    const title = table.querySelector("thead th.column-title");
    const results = table.closest(".results");
    const cut = [...table.querySelectorAll("th, td")]
        .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
        .map(cell => cell.className + ": " + cell.innerText);
    return {
        title: title.getBoundingClientRect().width,
        tableRight: table.getBoundingClientRect().right,
        resultsRight: results.getBoundingClientRect().right,
        tableWidth: table.scrollWidth,
        resultsWidth: results.clientWidth,
        pageWidth: document.documentElement.scrollWidth,
        cut: cut,
    };
}"""


def test_the_article_list_is_readable_at_1366_px(open_page, make_user, category):
    section = Category.objects.create(
        name="Lao động – Việc làm", slug="lao-dong-viec-lam", parent=category
    )
    Article.objects.create(
        title=(
            "Bộ Lao động – Thương binh và Xã hội tổ chức hội nghị trực tuyến toàn quốc về giải "
            "quyết việc làm cho thanh niên nông thôn năm 2024"
        ),
        category=section,
        status=Article.Status.PUBLISHED,
        published_at=datetime(2023, 9, 13, tzinfo=HCM),
        date_only=True,
        author="Nguyễn Thị Thu Hà và nhóm phóng viên",
    )
    Article.objects.create(
        title="Hội nghị hẹn giờ",
        category=category,
        status=Article.Status.PUBLISHED,
        published_at=datetime(2099, 10, 17, 21, 50, tzinfo=HCM),
        author="Thái Bình",
    )
    Article.objects.create(title="Bản nháp", category=category, status=Article.Status.DRAFT)
    page = open_page(user=make_user("editor"), viewport=LAPTOP)
    page.goto(reverse("admin:news_article_changelist"))

    measured = page.evaluate(MEASURE)
    assert measured["title"] >= 300, measured
    assert measured["cut"] == [], measured
    assert measured["tableWidth"] <= measured["resultsWidth"], measured  # nothing to scroll to
    assert measured["tableRight"] <= measured["resultsRight"] + 0.5, measured
    assert measured["pageWidth"] <= LAPTOP["width"], measured

    rows = page.locator("#result_list tbody tr")
    date_only = rows.filter(has_text="Thương binh và Xã hội")
    assert "13/09/2023" in date_only.inner_text() and "00:00" not in date_only.inner_text()
    assert "21:50 | 17/10/2099" in rows.filter(has_text="Hội nghị hẹn giờ").inner_text()
