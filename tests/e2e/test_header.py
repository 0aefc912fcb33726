"""The top of every page in a browser: on a phone a short header whose menu folds away and opens
with or without JavaScript, by touch or from the keyboard, in high contrast too; on a desktop
the menu always open; the emblem and the favicon."""

import re

import pytest
from playwright.sync_api import expect

from news.models import Category
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

# The sections of a ministry's portal, long names and all: the menu must fold them away.
SECTIONS = [
    ("Lao động – Việc làm", "lao-dong-viec-lam"),
    ("Người có công", "nguoi-co-cong"),
    ("Giáo dục nghề nghiệp", "giao-duc-nghe-nghiep"),
    ("Bảo trợ xã hội", "bao-tro-xa-hoi"),
    ("Trẻ em", "tre-em"),
    ("Bình đẳng giới", "binh-dang-gioi"),
]
MAX_PHONE_HEADER_PX = 200


@pytest.fixture
def portal(seeded_portal, make_article):
    """The seed identity (its hotline is 1900 0000) and a section menu as long as a ministry's."""
    make_article(title="Tin xã hội")
    for name, slug in SECTIONS:
        make_article(title=f"Tin {name}", category=Category.objects.create(name=name, slug=slug))


@pytest.fixture
def open_phone(open_page, live_server):
    """A 360 × 740 touch phone, with or without JavaScript, in high contrast if asked."""

    def open_phone(javascript=True, high_contrast=False):
        page = open_page(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            java_script_enabled=javascript,
        )
        if high_contrast:
            page.context.add_cookies(
                [{"name": "tuong-phan", "value": "cao", "url": live_server.url}]
            )
        return page

    return open_phone


def header_height(page):
    return page.locator(".site-header").evaluate("e => e.getBoundingClientRect().height")


def menu_toggle(page):
    return page.locator("summary", has_text="Danh mục")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_phone_header_is_short_and_its_menu_opens_and_closes(open_phone, portal, javascript):
    page = open_phone(javascript=javascript)
    page.goto("/")
    section = page.locator(".site-nav").get_by_role("link", name="Người có công")
    hotline = page.get_by_role("link", name="1900 0000").first
    toggle = menu_toggle(page)

    assert header_height(page) <= MAX_PHONE_HEADER_PX
    expect(page.get_by_role("searchbox", name="Tìm kiếm tin tức")).to_be_visible()
    expect(page.get_by_role("link", name="Tương phản cao")).to_be_visible()
    expect(section).to_be_hidden()

    toggle.tap()
    expect(section).to_be_visible()
    expect(page.locator(".site-menu__more").get_by_role("link", name="1900 0000")).to_be_visible()
    expect(hotline).to_have_attribute("href", "tel:19000000")
    toggle.tap()
    expect(section).to_be_hidden()

    toggle.tap()
    section.tap()
    expect(page).to_have_url(re.compile(r"/chuyen-muc/nguoi-co-cong/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Người có công")


def test_the_phone_menu_opens_from_the_keyboard_in_high_contrast(open_phone, portal, axe):
    page = open_phone(high_contrast=True)
    page.goto("/")
    expect(page.locator("html")).to_have_class(re.compile(r"\bcontrast-high\b"))
    toggle = menu_toggle(page)
    first_section = page.locator(".site-nav").get_by_role("link", name="Trang chủ")

    assert header_height(page) <= MAX_PHONE_HEADER_PX
    page.get_by_role("searchbox", name="Tìm kiếm tin tức").focus()
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(first_section).to_be_visible()
    page.keyboard.press("Tab")
    expect(first_section).to_be_focused()

    # Open, the button reads black on yellow; the page has nothing serious for axe.
    colours = toggle.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).background]")
    assert colours[0] == "rgb(0, 0, 0)" and "rgb(255, 255, 0)" in colours[1]
    serious = [v for v in axe(page) if v["impact"] in {"serious", "critical"}]
    assert serious == []

    toggle.focus()
    page.keyboard.press("Space")
    expect(first_section).to_be_hidden()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_desktop_menu_is_always_open_with_the_emblem_and_hotline(open_page, portal, javascript):
    page = open_page(java_script_enabled=javascript)
    page.goto("/")

    expect(menu_toggle(page)).to_be_hidden()
    menu = page.locator(".site-nav")
    for name, _slug in SECTIONS:
        expect(menu.get_by_role("link", name=name)).to_be_visible()
    menu.get_by_role("link", name="Trang chủ").focus()
    page.keyboard.press("Tab")  # on to the next section: the open menu is in the tab order
    expect(page.locator(".site-nav a:focus")).to_have_count(1)
    tools = page.locator(".site-tools")
    expect(tools.get_by_text("Đường dây nóng:")).to_be_visible()
    expect(tools.get_by_role("link", name="1900 0000")).to_have_attribute("href", "tel:19000000")
    emblem = page.locator(".site-brand__logo")
    expect(emblem).to_have_attribute("src", re.compile(r"/static/img/emblem\.[0-9a-f.]*svg$"))
    assert emblem.evaluate("i => i.complete && i.naturalWidth > 0")


def test_the_browser_finds_the_favicon_every_page_names(page, portal):
    page.goto("/")
    href = page.locator('link[rel="icon"]').get_attribute("href")

    response = page.request.get(href)

    assert href == "/favicon.ico"
    assert response.status == 200
    assert response.headers["content-type"] == "image/x-icon"
    assert response.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
