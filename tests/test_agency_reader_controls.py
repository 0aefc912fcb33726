"""The reader's display controls (Circular 32/2017/TT-BTTTT): high contrast and larger text, with
JavaScript off, and never leaking one reader's page to another through the page cache."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def html_tag(response):
    return re.search(r"<html[^>]*>", text(response)).group(0)


def test_high_contrast_works_without_javascript(client):
    response = client.get("/tuy-chinh/", {"tuong-phan": "cao", "next": "/tim-kiem/?q=lao+dong"})

    assert response.status_code == 302
    assert response["Location"] == "/tim-kiem/?q=lao+dong"
    cookie = response.cookies["tuong-phan"]
    assert cookie.value == "cao" and cookie["max-age"] == 31536000 and cookie["samesite"] == "Lax"
    page = client.get(response["Location"])
    assert html_tag(page) == '<html lang="vi" class="contrast-high">'
    assert "Tương phản thường" in text(page)  # the way back

    response = client.get("/tuy-chinh/", {"tuong-phan": "thuong", "next": "/"})
    assert response.cookies["tuong-phan"]["max-age"] == 0
    assert html_tag(client.get("/")) == '<html lang="vi">'


def test_larger_text_works_without_javascript_and_combines_with_contrast(client):
    client.get("/tuy-chinh/", {"tuong-phan": "cao"})
    client.get("/tuy-chinh/", {"co-chu": "rat-lon"})

    page = client.get("/en/")

    assert html_tag(page) == '<html lang="en" class="contrast-high text-larger">'
    controls = text(page).split('class="reader-controls"', 1)[1].split("</div>", 1)[0]
    assert re.search(
        r'data-reader-value="rat-lon" rel="nofollow" aria-current="true">A\+\+', controls
    )
    client.get("/tuy-chinh/", {"co-chu": "lon"})
    assert html_tag(client.get("/")) == '<html lang="vi" class="contrast-high text-large">'


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/", ""]
)
def test_an_unsafe_or_missing_next_goes_home(client, target):
    response = client.get("/tuy-chinh/", {"tuong-phan": "cao", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    english = client.get("/en/display/", {"tuong-phan": "cao", "next": target})
    assert english["Location"] == "/en/"


def test_unknown_values_change_nothing(client):
    response = client.get("/tuy-chinh/", {"tuong-phan": "tim", "co-chu": "<b>", "next": "/"})
    assert response.status_code == 302 and not response.cookies
    client.cookies["co-chu"] = "khong-le"
    assert html_tag(client.get("/")) == '<html lang="vi">'


def test_the_controls_are_plain_links_back_to_the_same_page(client, category):
    page = text(client.get("/chuyen-muc/xa-hoi/?trang=1"))
    tools = page.split('class="site-tools"', 1)[1].split('class="site-header__inner"', 1)[0]

    assert 'href="/tuy-chinh/?tuong-phan=cao&amp;next=/chuyen-muc/xa-hoi/%3Ftrang%3D1"' in tools
    for value in ["thuong", "lon", "rat-lon"]:
        assert f'href="/tuy-chinh/?co-chu={value}&amp;next=' in tools
    assert "<button" not in tools and " on" not in re.sub(r'"[^"]*"', '""', tools)


def test_a_page_made_for_one_readers_display_is_not_cached_for_others(client):
    assert client.get("/")["X-Page-Cache"] == "miss"  # a plain page, now stored
    reader = Client()
    reader.cookies["tuong-phan"] = "cao"

    mine = reader.get("/")

    assert "X-Page-Cache" not in mine or mine["X-Page-Cache"] != "hit"
    assert html_tag(mine) == '<html lang="vi" class="contrast-high">'
    other = client.get("/")
    assert other["X-Page-Cache"] == "hit" and html_tag(other) == '<html lang="vi">'


def test_a_page_rendered_with_a_display_choice_is_never_stored(rf, settings):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from agency.context_processors import reader_preferences
    from portal.caching.pages import PageCacheMiddleware

    def page(request):
        # The cookie reached the page by a way the page cache did not see coming.
        request.COOKIES["co-chu"] = "lon"
        chosen = reader_preferences(request)["reader_preferences"].html_class
        return HttpResponse(chosen)

    def reader(page):
        request = rf.get("/")
        request.user = AnonymousUser()
        return PageCacheMiddleware(page)(request)

    first = reader(page)
    assert first.content == b"text-large"
    assert "private" in first["Cache-Control"]
    second = reader(lambda request: HttpResponse("trang chung"))
    assert second.content == b"trang chung" and second["X-Page-Cache"] == "miss"


def test_the_stylesheet_styles_both_choices_and_the_script_applies_them_in_place():
    css = Path(finders.find("css/site.css")).read_text()
    js = Path(finders.find("js/site.js")).read_text()
    assert "html.contrast-high {" in css
    assert "html.text-large {" in css and "html.text-larger {" in css
    assert '"tuong-phan": { cao: "contrast-high" }' in js
    assert "root.classList.toggle" in js and "document.cookie" in js


def test_new_pages_load_no_inline_script_style_or_handlers(client, seeded_portal, make_article):
    english = make_article(title="English news", language="en")
    for url in [
        "/en/",
        "/en/section/xa-hoi/",
        english.get_absolute_url(),
        "/en/search/?q=news",
        "/gioi-thieu/",
        "/gioi-thieu/co-cau-to-chuc/",
        "/gioi-thieu/lanh-dao-bo/",
        "/gioi-thieu/lien-he/",
        "/gioi-thieu/tiep-can/",
        "/en/about/organisation/",
        "/en/no-such-page/",
    ]:
        page = text(client.get(url))
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert all('src="/static/' in tag or "application/ld+json" in tag for tag in scripts), url
        assert not re.search(r"\sstyle=", page), url
        assert not re.search(r"\son[a-z]+=", page), url
