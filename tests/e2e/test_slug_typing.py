"""An editor types Vietnamese titles in the admin; the address (Đường dẫn) fills in as the server
makes it (news.text.vietnamese_slugify), in the article, section and agency page forms."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from news.models import Category
from news.text import vietnamese_slugify

pytestmark = pytest.mark.django_db(transaction=True)

# All five tones on ă, â, ê, ô, ơ, ư (and y, i), with Đ and đ, punctuation and an en dash.
TITLES = [
    "Bộ LĐTBXH tổ chức hội nghị trực tuyến về việc làm cho thanh niên",
    "Hằng năm, miền Bắc khẳng định sẵn sàng đối mặt",
    "Đầu tư cấp tỉnh: sản phẩm hướng dẫn nhận diện",
    "Về thế hệ trẻ để dễ tìm việc",
    "Đồng bộ số hóa tổ chức hỗ trợ",
    "Người mới ở sở đỡ đợi – đường Đê La Thành",
    "Từ chức năng sử dụng những lực lượng",
    "Kỷ niệm “ngày hội” (lần thứ 15/2024), quý vị ỵ ỹ!",
]
LONG_TITLE = (
    "Hội nghị trực tuyến toàn quốc tổng kết công tác lao động, người có công và xã hội năm 2023, "
    "triển khai nhiệm vụ năm 2024 với sự tham dự của lãnh đạo Đảng, Nhà nước, các bộ, ngành "
    "trung ương và địa phương – kỳ vọng về một năm bứt phá mới"
)


def type_title(field, title):
    """Type as an editor does, key by key. Letters off the US layout reach the page as input
    events only, so End is pressed last, as a key the admin's prepopulate listens for."""
    field.fill("")
    field.press_sequentially(title)
    field.press("End")


def test_article_titles_fill_the_servers_slug_as_the_editor_types(open_page, make_user):
    page = open_page(user=make_user("superuser"))
    page.goto(reverse("admin:news_article_add"))
    title, slug = page.locator("#id_title"), page.locator("#id_slug")

    for text in [*TITLES, LONG_TITLE]:
        type_title(title, text)
        expect(slug).to_have_value(vietnamese_slugify(text, 200))
    assert len(vietnamese_slugify(LONG_TITLE, 1000)) > 200  # so the cut above was tested

    type_title(title, TITLES[0])
    expect(slug).to_have_value("bo-ldtbxh-to-chuc-hoi-nghi-truc-tuyen-ve-viec-lam-cho-thanh-nien")


def test_a_section_gets_the_servers_slug_and_keeps_it_on_save(open_page, make_user):
    page = open_page(user=make_user("superuser"))
    page.goto(reverse("admin:news_category_add"))
    name, slug = page.locator("#id_name"), page.locator("#id_slug")

    for text in [*TITLES, LONG_TITLE]:
        type_title(name, text)
        # A name is at most 120 characters: the browser stops taking keys there.
        expect(slug).to_have_value(vietnamese_slugify(text[:120], 140))

    type_title(name, "Lao động – Việc làm")
    expect(slug).to_have_value("lao-dong-viec-lam")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:news_category_changelist"))))

    section = Category.objects.get(name="Lao động – Việc làm")
    assert section.get_absolute_url() == "/chuyen-muc/lao-dong-viec-lam/"


def test_agency_page_titles_fill_both_slugs(open_page, make_user):
    page = open_page(user=make_user("superuser"))
    page.goto(reverse("admin:agency_agencypage_add"))

    type_title(page.locator("#id_title_vi"), "Chức năng, nhiệm vụ của Bộ – Đề án")
    type_title(page.locator("#id_title_en"), "Functions and Duties")

    expect(page.locator("#id_slug_vi")).to_have_value("chuc-nang-nhiem-vu-cua-bo-de-an")
    expect(page.locator("#id_slug_en")).to_have_value("functions-and-duties")
