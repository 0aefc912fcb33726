"""Every page's frame: the site's identity in the header and footer, the links to other agencies,
and how both stay fresh behind the page cache at a fixed cost."""

import re

import pytest

from agency.models import AgencyLink, SiteIdentity

pytestmark = pytest.mark.django_db

SEED_LINKS = [
    ("Cổng Thông tin điện tử Chính phủ", "Government Portal", "https://chinhphu.vn"),
    ("Cổng Thông tin điện tử Quốc hội", "National Assembly Portal", "https://quochoi.vn"),
    ("Bộ Nội vụ", "Ministry of Home Affairs", "https://moha.gov.vn"),
    ("Bộ Tài chính", "Ministry of Finance", "https://mof.gov.vn"),
    ("Cổng Dịch vụ công quốc gia", "National Public Service Portal", "https://dichvucong.gov.vn"),
]


def text(response):
    return response.content.decode()


def footer(response):
    return text(response).split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]


@pytest.fixture
def every_page(make_article, seeded_portal):
    """(url, language) of a page of each kind, on both sides of the site, and a 404."""
    vi = make_article(title="Tin tiếng Việt")
    en = make_article(title="English news", language="en")
    return [
        ("/", "vi"),
        ("/chuyen-muc/xa-hoi/", "vi"),
        (vi.get_absolute_url(), "vi"),
        ("/tin-theo-ngay/", "vi"),
        ("/tim-kiem/?q=tin", "vi"),
        ("/gioi-thieu/", "vi"),
        ("/gioi-thieu/lien-he/", "vi"),
        ("/gioi-thieu/tiep-can/", "vi"),
        ("/trang-khong-co/", "vi"),
        ("/en/", "en"),
        ("/en/section/xa-hoi/", "en"),
        (en.get_absolute_url(), "en"),
        ("/en/news-by-date/", "en"),
        ("/en/search/?q=news", "en"),
        ("/en/about/", "en"),
        ("/en/about/contact/", "en"),
        ("/en/about/accessibility/", "en"),
        ("/en/no-such-page/", "en"),
    ]


def test_the_footer_of_every_page_shows_the_identity_and_the_agency_links(client, every_page):
    for url, language in every_page:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        part = footer(response)
        if language == "vi":
            assert "Cổng thông tin điện tử Bộ Lao động – Thương binh và Xã hội" in part, url
            assert "Cơ quan chủ quản: Bộ Lao động – Thương binh và Xã hội" in part, url
            assert "Trụ sở: 12 Ngô Quyền, Hoàn Kiếm, Hà Nội" in part, url
            assert "Chịu trách nhiệm chính:" in part and "Giấy phép:" in part, url
            heading, names = "Liên kết website", [vi for vi, _en, _url in SEED_LINKS]
        else:
            assert "Portal of the Ministry of Labour, Invalids and Social Affairs" in part, url
            assert "Governing body: Ministry of Labour, Invalids and Social Affairs" in part, url
            assert "Head office: 12 Ngo Quyen, Hoan Kiem, Hanoi" in part, url
            heading, names = "Links to agencies", [en for _vi, en, _url in SEED_LINKS]
        assert f'<h2 class="site-footer__heading" id="lien-ket-website">{heading}</h2>' in part
        links = re.findall(r'<li><a href="([^"]+)"( rel="noopener")?>([^<]+)</a></li>', part)
        agency_links = [(href, name) for href, rel, name in links if rel]
        assert agency_links == [
            (url_, name) for (_v, _e, url_), name in zip(SEED_LINKS, names, strict=True)
        ]
        assert "target=" not in part


def test_the_header_shows_the_agency_name_and_its_logo(client, image_upload):
    from news.models import Image

    logo = Image.objects.create(file=image_upload("logo.png", size=(120, 120)))
    identity = SiteIdentity.objects.get()
    identity.name_vi, identity.logo = "Bộ Thử Nghiệm", logo
    identity.save()

    page = text(client.get("/"))
    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]

    assert '<span class="site-brand__name">Bộ Thử Nghiệm</span>' in header
    assert f'src="{logo.rendition(320).url}"' in header
    assert 'alt=""' in header  # the name beside it says it already
    assert "<title>Cổng thông tin điện tử Bộ Thử Nghiệm</title>" in page


def test_a_logo_with_a_caption_and_alternative_text_shows_on_every_page(client, image_upload):
    from news.models import Image

    logo = Image.objects.create(
        file=image_upload("logo.png", size=(120, 120)), caption="Biểu trưng", alt_text="Quốc huy"
    )
    SiteIdentity.objects.filter(pk=SiteIdentity.objects.get().pk).update(logo=logo)

    response = client.get("/")
    assert response.status_code == 200
    assert f'src="{logo.rendition(320).url}"' in text(response)


def test_english_pages_fall_back_to_vietnamese_where_the_english_is_empty(client):
    identity = SiteIdentity.objects.get()
    identity.name_en = ""
    identity.save()

    assert "Bộ Lao động – Thương binh và Xã hội" in footer(client.get("/en/"))


def test_a_link_to_a_page_of_this_site_has_no_noopener(client):
    AgencyLink.objects.create(name_vi="Giới thiệu", url="/gioi-thieu/", position=1)
    AgencyLink.objects.create(name_vi="Chính phủ", url="https://chinhphu.vn", position=2)

    part = footer(client.get("/"))

    assert '<li><a href="/gioi-thieu/">Giới thiệu</a></li>' in part
    assert '<li><a href="https://chinhphu.vn" rel="noopener">Chính phủ</a></li>' in part


def test_link_addresses_must_be_web_addresses_or_paths_of_this_site():
    from django.core.exceptions import ValidationError

    for bad in ["javascript:alert(1)", "//evil.example/", "ftp://example.vn", "chinhphu.vn"]:
        with pytest.raises(ValidationError):
            AgencyLink(name_vi="Sai", url=bad).full_clean()
    AgencyLink(name_vi="Đúng", url="https://chinhphu.vn/").full_clean()
    AgencyLink(name_vi="Đúng", url="/gioi-thieu/").full_clean()


def test_editing_the_phone_number_shows_on_the_next_page_served(client, make_article):
    make_article(title="Tin được lưu đệm")
    for url in ["/", "/en/"]:
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"

    identity = SiteIdentity.objects.get()
    identity.phone = "024 3826 9534"
    identity.save()

    for url in ["/", "/en/"]:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "024 3826 9534" in footer(response)


@pytest.mark.parametrize("change", ["add", "edit", "delete"])
def test_changing_the_agency_links_shows_on_the_next_page_served(client, seeded_portal, change):
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "hit"
    link = AgencyLink.objects.get(url="https://mof.gov.vn")

    if change == "add":
        AgencyLink.objects.create(name_vi="Bộ Y tế", url="https://moh.gov.vn", position=99)
        expected, gone = "Bộ Y tế", None
    elif change == "edit":
        link.name_vi = "Bộ Tài chính (mới)"
        link.save()
        expected, gone = "Bộ Tài chính (mới)", None
    else:
        link.delete()
        expected, gone = "Bộ Nội vụ", "Bộ Tài chính"

    part = footer(client.get("/"))
    assert expected in part
    if gone:
        assert gone not in part


def frame_queries(captured):
    return [
        q["sql"]
        for q in captured
        if "agency_siteidentity" in q["sql"] or "agency_agencylink" in q["sql"]
    ]


def test_identity_and_links_cost_one_query_and_none_once_cached(
    client, seeded_portal, make_article, django_assert_max_num_queries
):
    make_article()
    with django_assert_max_num_queries(20) as cold:
        assert client.get("/").status_code == 200
    # Another page in the same generation of the cache: the frame is cached already.
    with django_assert_max_num_queries(20) as warm:
        assert client.get("/chuyen-muc/xa-hoi/").status_code == 200
    with django_assert_max_num_queries(20) as english:
        assert client.get("/en/").status_code == 200

    assert len(frame_queries(cold.captured_queries)) == 1
    assert frame_queries(warm.captured_queries) == []
    assert frame_queries(english.captured_queries) == []


def test_the_frame_is_one_query_even_without_links(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as captured:
        page = text(client.get("/gioi-thieu/tiep-can/"))
    assert len(frame_queries(captured.captured_queries)) == 1
    assert "Liên kết website" not in page  # no links, no empty heading


def test_pages_are_served_without_identity_when_none_is_set_up(client):
    SiteIdentity.objects.all().delete()

    response = client.get("/")

    assert response.status_code == 200
    assert '<footer class="site-footer">' in text(response)
