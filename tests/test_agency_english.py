"""The English side under /en/: the same site in English, English news only, and every page's
counterpart in the other language. The Vietnamese side keeps today's addresses, without English
news."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from news.models import Article, Category

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 5, 15, 10, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def both(make_article):
    """One Vietnamese and one English article in the same section, on the same day."""
    return {
        "vi": make_article(title="Bộ trưởng tiếp đoàn công tác ILO", slug="bo-truong-tiep-ilo"),
        "en": make_article(
            title="Minister receives ILO delegation",
            slug="minister-receives-ilo",
            language=Article.Language.EN,
            lead="The Minister met the delegation in Hanoi.",
        ),
    }


def test_english_articles_live_under_en_and_vietnamese_ones_at_todays_addresses(both):
    assert both["vi"].get_absolute_url() == "/tin-tuc/2024/05/15/bo-truong-tiep-ilo/"
    assert both["en"].get_absolute_url() == "/en/news/2024/05/15/minister-receives-ilo/"


def test_each_article_is_found_only_on_its_own_side(client, both):
    assert "Minister receives ILO delegation" in text(client.get(both["en"].get_absolute_url()))
    assert "Bộ trưởng tiếp đoàn công tác ILO" in text(client.get(both["vi"].get_absolute_url()))
    for url in [
        "/tin-tuc/2024/05/15/minister-receives-ilo/",
        "/tin-tuc/2024/05/15/minister-receives-ilo/tai-ve/",
        "/en/news/2024/05/15/bo-truong-tiep-ilo/",
        "/en/news/2024/05/15/bo-truong-tiep-ilo/download/",
    ]:
        assert client.get(url).status_code == 404, url


LISTS = {
    "vi": [
        "/",
        "/chuyen-muc/xa-hoi/",
        "/tin-theo-ngay/2024/05/15/",
        "/tim-kiem/?q=ilo",
        "/rss/",
        "/chuyen-muc/xa-hoi/rss/",
    ],
    "en": [
        "/en/",
        "/en/section/xa-hoi/",
        "/en/news-by-date/2024/05/15/",
        "/en/search/?q=ilo",
        "/en/rss/",
        "/en/section/xa-hoi/rss/",
    ],
}


@pytest.mark.parametrize("side", ["vi", "en"])
def test_lists_feeds_and_search_show_only_their_sides_articles(client, both, side):
    other = "en" if side == "vi" else "vi"
    for url in LISTS[side]:
        page = text(client.get(url))
        assert both[side].get_absolute_url() in page, url
        assert both[other].title not in page, url
        assert both[other].get_absolute_url() not in page, url


def test_month_and_year_counts_leave_out_the_other_language(client, both, make_article):
    make_article(title="Tin thứ hai", slug="tin-thu-hai")
    vi_month, en_month = (
        text(client.get("/tin-theo-ngay/2024/05/")),
        text(client.get("/en/news-by-date/2024/05/")),
    )
    assert "2 tin trong tháng." in vi_month
    assert "1 news item this month." in en_month
    assert "2 tin" in text(client.get("/tin-theo-ngay/2024/"))
    assert "1 news item in 2024." in text(client.get("/en/news-by-date/2024/"))


def test_feeds_say_their_language(client, both):
    vi, en = text(client.get("/rss/")), text(client.get("/en/rss/"))
    assert "<language>vi</language>" in vi and "<language>en</language>" in en
    assert "<title>Latest news – Ministry of Labour, Invalids and Social Affairs</title>" in en
    assert "<link>http://testserver/en/news/2024/05/15/minister-receives-ilo/</link>" in en


def test_related_news_and_previous_next_stay_in_the_articles_language(client, make_article):
    older_en = make_article(
        title="Older English news", language="en", published_at=NOW - timedelta(days=1)
    )
    make_article(title="Tin cũ tiếng Việt", published_at=NOW - timedelta(hours=12))
    newest_en = make_article(title="Newest English news", language="en")

    page = text(client.get(newest_en.get_absolute_url()))

    assert f'href="{older_en.get_absolute_url()}" rel="prev"' in page
    assert "Older English news" in page.split('id="tin-lien-quan"', 1)[1]
    assert "Tin cũ tiếng Việt" not in page


def test_the_sitemap_lists_each_article_at_its_own_address(client, both):
    sitemap = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert "http://testserver/tin-tuc/2024/05/15/bo-truong-tiep-ilo/" in locations
    assert "http://testserver/en/news/2024/05/15/minister-receives-ilo/" in locations
    assert (
        "http://testserver/en/" in locations and "http://testserver/en/section/xa-hoi/" in locations
    )
    assert not any("/tin-tuc/" in loc and "minister" in loc for loc in locations)


def test_the_english_side_is_not_in_the_sitemap_until_it_has_news(client, make_article):
    make_article()
    locations = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    assert not [loc for loc in locations if "/en/" in loc]


def test_the_english_home_introduces_the_agency_and_its_pages(client, seeded_portal, both):
    page = text(client.get("/en/"))

    assert '<html lang="en">' in page
    assert (
        '<span class="site-brand__name">Ministry of Labour, Invalids and Social Affairs</span>'
        in page
    )
    about = page.split('class="block about-block"', 1)[1].split("</section>", 1)[0]
    for href, title in [
        ("/en/about/functions/", "Functions and duties"),
        ("/en/about/organisation/", "Organisation"),
        ("/en/about/contact/", "Contact"),
    ]:
        assert f'<a href="{href}">{title}</a>' in about
    assert "Minister receives ILO delegation" in page


def test_the_english_home_without_english_news_still_introduces_the_agency(client, seeded_portal):
    page = text(client.get("/en/"))
    assert "About the Ministry of Labour, Invalids and Social Affairs" in page
    assert "No news has been published yet." in page


COUNTERPARTS = [
    ("/", "/en/"),
    ("/chuyen-muc/xa-hoi/", "/en/section/xa-hoi/"),
    ("/tin-theo-ngay/", "/en/news-by-date/"),
    ("/tin-theo-ngay/2024/", "/en/news-by-date/2024/"),
    ("/tin-theo-ngay/2024/05/", "/en/news-by-date/2024/05/"),
    ("/tin-theo-ngay/2024/05/15/", "/en/news-by-date/2024/05/15/"),
    ("/tim-kiem/", "/en/search/"),
    ("/gioi-thieu/", "/en/about/"),
    ("/gioi-thieu/tiep-can/", "/en/about/accessibility/"),
]


@pytest.mark.parametrize(("vi_url", "en_url"), COUNTERPARTS)
def test_every_page_announces_and_links_its_counterpart(client, category, vi_url, en_url):
    vi, en = text(client.get(vi_url)), text(client.get(en_url))

    for page in (vi, en):
        assert f'<link rel="alternate" hreflang="vi" href="http://testserver{vi_url}">' in page
        assert f'<link rel="alternate" hreflang="en" href="http://testserver{en_url}">' in page
    assert f'<a href="http://testserver{en_url}" hreflang="en" lang="en">English</a>' in vi
    assert f'<a href="http://testserver{vi_url}" hreflang="vi" lang="vi">Tiếng Việt</a>' in en
    assert '<html lang="vi">' in vi and '<html lang="en">' in en


def test_an_article_without_a_counterpart_switches_to_the_other_home(client, both):
    vi, en = (
        text(client.get(both["vi"].get_absolute_url())),
        text(client.get(both["en"].get_absolute_url())),
    )

    assert '<a href="http://testserver/en/" hreflang="en" lang="en">English</a>' in vi
    assert '<a href="http://testserver/" hreflang="vi" lang="vi">Tiếng Việt</a>' in en
    assert 'hreflang="en" href=' not in vi  # no English alternate is announced
    assert 'hreflang="vi" href=' not in en
    assert '"inLanguage": "en"' in en


def test_not_found_pages_switch_to_the_other_home(client):
    for url, switch in [
        ("/khong-co/", '<a href="http://testserver/en/" hreflang="en" lang="en">English</a>'),
        (
            "/en/no-such-page/",
            '<a href="http://testserver/" hreflang="vi" lang="vi">Tiếng Việt</a>',
        ),
        (
            "/chuyen-muc/khong-co/",
            '<a href="http://testserver/en/" hreflang="en" lang="en">English</a>',
        ),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        page = response.content.decode()
        assert switch in page, url
        assert '<link rel="alternate" hreflang' not in page, url


def test_english_pages_are_in_english(client, both):
    page = text(client.get("/en/search/?q=ilo"))
    assert "<title>Search: ilo – Ministry of Labour, Invalids and Social Affairs</title>" in page
    assert "Found 1 news item for “ilo”." in page
    day = text(client.get("/en/news-by-date/2024/05/15/"))
    assert "News of Wednesday, 15/05/2024" in day
    assert "Skip to main content" in day and "Bỏ qua" not in day


def test_the_vietnamese_side_keeps_every_address_it_had(client, both, staff_user):
    article = both["vi"]
    for url in [
        "/",
        "/chuyen-muc/xa-hoi/",
        "/chuyen-muc/xa-hoi/rss/",
        article.get_absolute_url(),
        article.get_absolute_url() + "tai-ve/",
        "/tin-theo-ngay/",
        "/tin-theo-ngay/2024/",
        "/tin-theo-ngay/2024/05/",
        "/tin-theo-ngay/2024/05/15/",
        "/tim-kiem/?q=ilo",
        "/rss/",
        "/sitemap.xml",
        "/robots.txt",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/").status_code == 302  # to the sign-in page
    assert client.get("/en/admin/").status_code == 404  # the admin has no English copy
    draft = Article.objects.create(title="Nháp", category=article.category)
    staff_user.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(staff_user)
    assert client.get(f"/xem-truoc/{draft.pk}/").status_code == 200
    assert reverse("news:editor-image-upload") == "/bien-tap/tai-anh/"
    assert reverse("news:article-preview", args=[draft.pk]) == f"/xem-truoc/{draft.pk}/"


def test_the_admin_stays_vietnamese_for_an_english_browser(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="vi"' in page


def test_an_article_can_be_marked_english_in_the_admin(staff_client, category):
    from tests.conftest import article_form_data

    article = Article.objects.create(title="Draft in English", category=category)
    data = article_form_data(article, language="en", title="Draft in English")

    response = staff_client.post(reverse("admin:news_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.language == "en"


def test_language_choice_is_indexed_with_the_public_query():
    indexes = {index.name: index.fields for index in Article._meta.indexes}
    assert indexes["article_language_pub_idx"] == ["language", "status", "published_at"]


def test_english_menu_leaves_out_sections_without_english_news(client, category, make_article):
    make_article(category=Category.objects.create(name="Lao động", slug="lao-dong"))
    vi, en = text(client.get("/")), text(client.get("/en/"))
    assert ">Lao động</a>" in vi.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    en_menu = en.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a></li>", en_menu) == [
        "Home",
        "About",
        "News by date",
        "Documents",
    ]
