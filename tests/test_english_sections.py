"""The sections on the English side (/en/): named in English, those with English news only."""

import re
from datetime import timedelta

import pytest
import time_machine

from news.models import Category
from tests.reader import NOW, hidden_fields, text

pytestmark = pytest.mark.django_db


def menu(response):
    """The links of the section menu, as (address, name)."""
    nav = text(response).split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<>]+)</a>', nav)


def names(links):
    return [name for _href, name in links]


@pytest.fixture
def sections(category, make_article):
    """Xã hội (Society) with English and Vietnamese news, Lao động (Labour) with Vietnamese news
    only, and Người có công, without an English name, with English news."""
    category.name_en = "Society"
    category.save()
    labour = Category.objects.create(name="Lao động", name_en="Labour", slug="lao-dong")
    merit = Category.objects.create(name="Người có công", slug="nguoi-co-cong", position=5)
    make_article(title="Training on gender equality", language="en")
    make_article(title="Tập huấn bình đẳng giới")
    make_article(title="Việc làm cho thanh niên", category=labour)
    make_article(title="Support for people with merit", category=merit, language="en")
    return category, labour, merit


def test_english_menu_shows_sections_with_english_news_by_their_english_names(client, sections):
    links = menu(client.get("/en/"))

    assert ("/en/section/xa-hoi/", "Society") in links
    # No English name: the Vietnamese one.
    assert ("/en/section/nguoi-co-cong/", "Người có công") in links
    # Vietnamese news only: an English reader would find nothing there.
    assert "Labour" not in names(links)
    assert "Lao động" not in names(links)
    assert names(links)[:3] == ["Home", "Society", "Người có công"]  # in the menu's order


def test_english_section_link_opens_the_section_under_its_english_name(client, sections):
    href = {name: href for href, name in menu(client.get("/en/"))}["Society"]

    response = client.get(href)

    assert response.status_code == 200
    page = text(response)
    assert re.search(r'<h1 class="page-title">\s*Society\s*</h1>', page)
    assert "Training on gender equality" in page
    assert "Tập huấn bình đẳng giới" not in page


def test_english_section_page_is_served_from_the_page_cache(client, sections):
    assert client.get("/en/section/xa-hoi/").status_code == 200

    response = client.get("/en/section/xa-hoi/")

    assert response.headers.get("X-Page-Cache") == "hit"
    assert "Training on gender equality" in text(response)


def test_english_news_in_a_subsection_shows_its_section(client, category, make_article):
    category.name_en = "Society"
    category.save()
    child = Category.objects.create(name="Bình đẳng giới", name_en="Gender", parent=category)
    make_article(title="Gender equality month", category=child, language="en")

    links = menu(client.get("/en/"))

    assert ("/en/section/xa-hoi/", "Society") in links
    assert "Gender" not in names(links)  # the menu lists top-level sections


@pytest.mark.parametrize("state", ["draft", "pending", "scheduled", "expired"])
def test_english_news_readers_cannot_see_leaves_a_section_out(
    client, category, make_article, state
):
    category.name_en = "Society"
    category.save()
    with time_machine.travel(NOW, tick=False):
        make_article(title="Not for readers yet", language="en", **hidden_fields(state))

        assert "Society" not in names(menu(client.get("/en/")))


def test_vietnamese_menu_is_unchanged(client, sections):
    links = menu(client.get("/"))

    assert ("/chuyen-muc/xa-hoi/", "Xã hội") in links
    assert ("/chuyen-muc/lao-dong/", "Lao động") in links
    assert ("/chuyen-muc/nguoi-co-cong/", "Người có công") in links
    assert not {"Society", "Labour", "About"} & set(names(links))


def test_english_menu_follows_a_newly_published_english_article(client, sections, make_article):
    _society, labour, _merit = sections
    assert "Labour" not in names(menu(client.get("/en/")))
    assert client.get("/en/").headers.get("X-Page-Cache") == "hit"

    make_article(title="Jobs for young people", category=labour, language="en")

    assert ("/en/section/lao-dong/", "Labour") in menu(client.get("/en/"))


def test_english_menu_shows_a_scheduled_article_s_section_at_its_time(
    client, category, make_article
):
    category.name_en = "Society"
    category.save()
    with time_machine.travel(NOW, tick=False) as clock:
        make_article(
            title="Published at noon", language="en", published_at=NOW + timedelta(hours=2)
        )
        assert "Society" not in names(menu(client.get("/en/")))

        clock.move_to(NOW + timedelta(hours=2, seconds=1))

        assert "Society" in names(menu(client.get("/en/")))
