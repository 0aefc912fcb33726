"""RSS feeds, the sitemap and robots.txt."""

import re
from datetime import timedelta

import pytest

from news.models import Article, Category
from tests.reader import HIDDEN_STATES, NOW, hidden_fields, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(params=HIDDEN_STATES)
def hidden_article(request, make_article):
    fields = hidden_fields(request.param)
    return make_article(title="Tin chưa được công bố", slug="tin-an", **fields)


def test_latest_news_feed_lists_newest_first_with_absolute_links(client, make_article):
    make_article(title="Tin cũ", published_at=NOW - timedelta(days=1))
    make_article(title="Tin mới", lead="Sapo tin mới.", author="Thái Bình")

    response = client.get("/rss/")
    feed = text(response)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert re.findall(r"<item><title>([^<]+)</title>", feed) == ["Tin mới", "Tin cũ"]
    assert "<link>http://testserver/tin-tuc/2024/05/15/tin-moi/</link>" in feed
    assert "<description>Sapo tin mới.</description>" in feed
    assert re.search(r"<dc:creator[^>]*>Thái Bình</dc:creator>", feed)
    assert "<language>vi</language>" in feed
    assert "<pubDate>Wed, 15 May 2024 02:00:00 +0000</pubDate>" in feed


def test_section_feed_has_its_and_its_subcategories_news_only(client, category, make_article):
    gender = Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=category)
    labour = Category.objects.create(name="Lao động", slug="lao-dong")
    make_article(title="Tin xã hội")
    make_article(title="Tin bình đẳng giới", category=gender)
    make_article(title="Tin lao động", category=labour)

    response = client.get("/chuyen-muc/xa-hoi/rss/")
    feed = text(response)

    assert response.status_code == 200
    assert "<title>Xã hội – Bộ Lao động – Thương binh và Xã hội</title>" in feed
    assert "Tin xã hội" in feed and "Tin bình đẳng giới" in feed
    assert "Tin lao động" not in feed


def test_section_feed_of_unknown_section_is_404(client):
    assert client.get("/chuyen-muc/khong-co/rss/").status_code == 404


def test_pages_announce_their_feeds(client, category):
    assert 'type="application/rss+xml" title="Tin mới nhất' in text(client.get("/"))
    assert 'href="/chuyen-muc/xa-hoi/rss/"' in text(client.get("/chuyen-muc/xa-hoi/"))


def test_feeds_escape_markup_in_titles(client, make_article):
    make_article(title="Tin <script>alert(1)</script>")
    feed = text(client.get("/rss/"))
    assert "<script>" not in feed
    assert "Tin &lt;script&gt;alert(1)&lt;/script&gt;" in feed


def test_feeds_never_show_unpublished_articles(client, make_article, hidden_article):
    make_article(title="Tin công khai")
    for url in ["/rss/", "/chuyen-muc/xa-hoi/rss/"]:
        feed = text(client.get(url))
        assert "Tin công khai" in feed
        assert "Tin chưa được công bố" not in feed


def test_sitemap_lists_home_sections_and_articles_with_lastmod(client, category, make_article):
    Category.objects.create(name="Lao động", slug="lao-dong", position=1)
    article = make_article(title="Tin trong sơ đồ", published_at=NOW - timedelta(days=2))
    Article.objects.filter(pk=article.pk).update(updated_at=NOW - timedelta(days=1))

    response = client.get("/sitemap.xml")
    sitemap = text(response)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations == [
        "http://testserver/",
        "http://testserver/chuyen-muc/xa-hoi/",
        "http://testserver/chuyen-muc/lao-dong/",
        "http://testserver/tin-tuc/2024/05/13/tin-trong-so-do/",
    ]
    entry = sitemap.split("tin-trong-so-do/</loc>", 1)[1].split("</url>", 1)[0]
    assert "<lastmod>2024-05-14</lastmod>" in entry  # edited after publication
    section = sitemap.split("chuyen-muc/xa-hoi/</loc>", 1)[1].split("</url>", 1)[0]
    assert "<lastmod>2024-05-13</lastmod>" in section  # its newest article


def test_sitemap_never_lists_unpublished_articles(client, make_article, hidden_article):
    make_article(title="Tin công khai")
    sitemap = text(client.get("/sitemap.xml"))
    assert "tin-cong-khai" in sitemap
    assert "tin-an" not in sitemap


def test_robots_txt_points_at_the_sitemap_and_keeps_out_admin_and_preview(client):
    response = client.get("/robots.txt")
    body = text(response)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in body.splitlines()
    assert "Disallow: /xem-truoc/" in body.splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in body.splitlines()


@pytest.mark.parametrize("url", ["/rss/", "/chuyen-muc/xa-hoi/rss/"])
def test_a_lead_reaches_feed_readers_as_text_not_markup(client, make_article, url):
    import xml.etree.ElementTree as ET

    make_article(title="Tin có sapo lạ", lead='Sapo <img src=x onerror="alert(1)"> & hết.')

    response = client.get(url)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    description = feed.find("channel/item/description").text
    # A feed reader reads the description as HTML: what it gets must show the characters.
    assert description == "Sapo &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; hết."
