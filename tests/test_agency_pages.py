"""The ministry's own pages: /gioi-thieu/ and /en/about/, the organisation tree, the leaders, the
contacts, the accessibility statement, and how editors keep them in the admin."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError
from django.urls import reverse
from reversion.models import Version

from agency.models import AgencyPage, Leader, OrganisationUnit, SiteIdentity
from news.models import Image

pytestmark = pytest.mark.django_db

SEED_PAGES = [
    ("chuc-nang-nhiem-vu", "functions", "Chức năng, nhiệm vụ", "Functions and duties"),
    ("co-cau-to-chuc", "organisation", "Cơ cấu tổ chức", "Organisation"),
    ("lanh-dao-bo", "leadership", "Lãnh đạo Bộ", "Leadership"),
    ("lien-he", "contact", "Liên hệ", "Contact"),
]


def text(response):
    return response.content.decode()


def heading(page):
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()


@pytest.fixture
def agency_admin(client, django_user_model):
    user = django_user_model.objects.create_user("quantri", password="mat-khau-1", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["agency", "news"])
    )
    client.force_login(user)
    return client


@pytest.mark.parametrize(("vi_slug", "en_slug", "vi_title", "en_title"), SEED_PAGES)
def test_each_seed_page_is_shown_in_both_languages_and_links_to_its_counterpart(
    client, seeded_portal, vi_slug, en_slug, vi_title, en_title
):
    vi_url, en_url = f"/gioi-thieu/{vi_slug}/", f"/en/about/{en_slug}/"
    vi, en = client.get(vi_url), client.get(en_url)

    assert vi.status_code == en.status_code == 200
    vi_page, en_page = text(vi), text(en)
    assert heading(vi_page) == vi_title and '<html lang="vi">' in vi_page
    assert heading(en_page) == en_title and '<html lang="en">' in en_page
    assert "Nội dung mẫu – biên tập viên thay bằng nội dung chính thức." in vi_page
    assert "Sample content – to be replaced by an editor." in en_page
    for page in (vi_page, en_page):
        assert f'<link rel="alternate" hreflang="vi" href="http://testserver{vi_url}">' in page
        assert f'<link rel="alternate" hreflang="en" href="http://testserver{en_url}">' in page
        assert (
            f'<link rel="alternate" hreflang="x-default" href="http://testserver{vi_url}">' in page
        )
    assert f'<a href="http://testserver{en_url}" hreflang="en" lang="en">English</a>' in vi_page
    assert f'<a href="http://testserver{vi_url}" hreflang="vi" lang="vi">Tiếng Việt</a>' in en_page


def test_about_lists_the_pages_in_order_then_the_accessibility_statement(client, seeded_portal):
    AgencyPage.objects.filter(slug_vi="lien-he").update(position=1)  # now first

    for url, titles in [
        ("/gioi-thieu/", ["Liên hệ", "Chức năng, nhiệm vụ", "Cơ cấu tổ chức", "Lãnh đạo Bộ"]),
        ("/en/about/", ["Contact", "Functions and duties", "Organisation", "Leadership"]),
    ]:
        main = text(client.get(url)).split("<main", 1)[1].split("</main>", 1)[0]
        listed = re.findall(r'<h2 class="card__title"><a href="[^"]+">([^<]+)</a>', main)
        assert listed == [*titles, "Hỗ trợ tiếp cận" if url == "/gioi-thieu/" else "Accessibility"]


def test_the_english_list_leaves_out_pages_without_english(client, seeded_portal):
    AgencyPage.objects.create(title_vi="Lịch tiếp công dân", slug_vi="lich-tiep-cong-dan")

    assert "Lịch tiếp công dân" in text(client.get("/gioi-thieu/"))
    assert "Lịch tiếp công dân" not in text(client.get("/en/about/"))


def test_unknown_unpublished_and_wrong_language_pages_are_404(client, seeded_portal):
    AgencyPage.objects.create(title_vi="Bản nháp", slug_vi="ban-nhap", is_published=False)
    for url in [
        "/gioi-thieu/khong-co/",
        "/en/about/khong-co/",
        "/gioi-thieu/ban-nhap/",
        "/gioi-thieu/functions/",  # the English slug on the Vietnamese side
        "/en/about/chuc-nang-nhiem-vu/",  # and the other way round
        "/en/gioi-thieu/",  # English addresses are English
        "/about/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
    assert "Page not found" in text(client.get("/en/about/khong-co/"))
    assert "Không tìm thấy trang" in text(client.get("/gioi-thieu/khong-co/"))


def test_a_page_without_english_switches_to_the_english_home(client, seeded_portal):
    AgencyPage.objects.create(title_vi="Lịch tiếp công dân", slug_vi="lich-tiep-cong-dan")

    page = text(client.get("/gioi-thieu/lich-tiep-cong-dan/"))

    assert '<a href="http://testserver/en/" hreflang="en" lang="en">English</a>' in page
    assert 'hreflang="en" href=' not in page  # no English alternate to announce


def test_organisation_page_shows_the_units_as_a_tree(client, seeded_portal):
    office = OrganisationUnit.objects.get(name_vi="Văn phòng Bộ")
    office.head, office.phone, office.email = "Chánh Văn phòng", "024 3826 9534", "vp@example.vn"
    office.save()

    for url, group, unit in [
        (
            "/gioi-thieu/co-cau-to-chuc/",
            "Các đơn vị giúp Bộ trưởng thực hiện chức năng quản lý nhà nước",
            "Văn phòng Bộ",
        ),
        (
            "/en/about/organisation/",
            "Units assisting the Minister in state management",
            "Ministry Office",
        ),
    ]:
        page = text(client.get(url))
        tree = page.split('<ul class="org-tree">', 1)[1]
        # The group's own list holds the office, one level down.
        group_item = tree.split(f'<p class="org-unit__name">{group}</p>', 1)[1]
        assert f'<p class="org-unit__name">{unit}</p>' in group_item.split("</ul>", 1)[0]
        assert page.count('<ul class="org-tree">') >= 3  # the ministry, its groups, their units
        assert "Chánh Văn phòng" in page and "024 3826 9534" in page
        assert '<a href="mailto:vp@example.vn">vp@example.vn</a>' in page


def test_organisation_tree_is_read_in_one_query(seeded_portal, django_assert_num_queries):
    with django_assert_num_queries(1):
        roots = OrganisationUnit.objects.as_tree()
    assert [unit.name_vi for unit in roots] == ["Bộ Lao động – Thương binh và Xã hội"]
    assert [unit.name_vi for unit in roots[0].subunits] == [
        "Các đơn vị giúp Bộ trưởng thực hiện chức năng quản lý nhà nước",
        "Các đơn vị sự nghiệp",
    ]


def test_a_unit_cannot_be_placed_under_its_own_subunit(seeded_portal):
    from django.core.exceptions import ValidationError

    ministry = OrganisationUnit.objects.get(parent=None)
    ministry.parent = OrganisationUnit.objects.get(name_vi="Văn phòng Bộ")
    with pytest.raises(ValidationError):
        ministry.full_clean()


def test_leaders_page_shows_each_leader_with_their_photo(client, seeded_portal, image_upload):
    photo = Image.objects.create(file=image_upload("bo-truong.jpg", size=(300, 400)))
    Leader.objects.filter(title_vi="Bộ trưởng").update(name="Nguyễn Văn Minh", photo=photo)

    vi = text(client.get("/gioi-thieu/lanh-dao-bo/"))
    en = text(client.get("/en/about/leadership/"))

    for page, title in [(vi, "Bộ trưởng"), (en, "Minister")]:
        leader = page.split('<li class="leader">', 1)[1].split("</li>", 1)[0]
        assert f'src="{photo.rendition(320).url}"' in leader
        assert 'alt="Nguyễn Văn Minh"' in leader
        assert '<p class="leader__name">Nguyễn Văn Minh</p>' in leader
        assert f'<p class="leader__title">{title}</p>' in leader
    assert "Thứ trưởng" in vi and "Deputy Minister" in en


def test_a_leaders_photo_cannot_be_deleted_from_the_library_while_used(seeded_portal, image_upload):
    from django.db.models import ProtectedError

    photo = Image.objects.create(file=image_upload("bo-truong.jpg"))
    Leader.objects.filter(title_vi="Bộ trưởng").update(photo=photo)
    with pytest.raises(ProtectedError):
        photo.delete()


def test_contact_page_shows_the_identitys_contacts(client, seeded_portal):
    identity = SiteIdentity.objects.get()
    identity.phone, identity.email = "024 3826 9534", "lienhe@example.vn"
    identity.save()

    vi = text(client.get("/gioi-thieu/lien-he/"))
    en = text(client.get("/en/about/contact/"))

    assert "<dt>Địa chỉ</dt><dd>12 Ngô Quyền, Hoàn Kiếm, Hà Nội</dd>" in vi
    assert "<dt>Address</dt><dd>12 Ngo Quyen, Hoan Kiem, Hanoi</dd>" in en
    for page in (vi, en):
        assert "024 3826 9534" in page
        assert '<a href="mailto:lienhe@example.vn">lienhe@example.vn</a>' in page


def test_accessibility_statement_says_what_the_site_does_in_both_languages(client):
    vi, en = client.get("/gioi-thieu/tiep-can/"), client.get("/en/about/accessibility/")

    assert vi.status_code == en.status_code == 200
    assert heading(text(vi)) == "Tuyên bố về hỗ trợ tiếp cận"
    assert heading(text(en)) == "Accessibility statement"
    assert "Tương phản cao" in text(vi) and "32/2017/TT-BTTTT" in text(vi)
    assert "High contrast" in text(en) and "200%" in text(en)
    assert (
        '<a href="http://testserver/en/about/accessibility/" hreflang="en" lang="en">English</a>'
        in text(vi)
    )


def test_page_bodies_are_sanitised_whatever_the_path(client):
    page = AgencyPage.objects.create(
        title_vi="Thử",
        slug_vi="thu",
        body_vi='<p onclick="x()">Chữ</p><script>alert(1)</script>',
        title_en="Test",
        slug_en="test",
        body_en="<iframe src='https://evil.example'></iframe><p>Text</p>",
    )
    page.refresh_from_db()

    assert page.body_vi == "<p>Chữ</p>"
    assert page.body_en == "<p>Text</p>"
    AgencyPage.objects.filter(pk=page.pk).update(body_vi="<p>Ok</p><script>x</script>")
    assert "<script>" not in text(client.get("/gioi-thieu/thu/"))


def test_reserved_and_duplicate_slugs_are_refused():
    from django.core.exceptions import ValidationError

    AgencyPage.objects.create(title_vi="Một", slug_vi="mot", title_en="One", slug_en="one")
    for fields in [
        {"title_vi": "Tiếp cận", "slug_vi": "tiep-can"},
        {"title_vi": "Hai", "slug_vi": "hai", "title_en": "Two", "slug_en": "one"},
        {"title_vi": "Ba", "slug_vi": "ba", "title_en": "???", "slug_en": ""},
    ]:
        with pytest.raises(ValidationError):
            AgencyPage(**fields).full_clean()


def test_editing_a_page_in_the_admin_keeps_its_revisions(agency_admin, seeded_portal):
    page = AgencyPage.objects.get(slug_vi="chuc-nang-nhiem-vu")
    url = reverse("admin:agency_agencypage_change", args=[page.pk])

    form = text(agency_admin.get(url))
    assert "django_ckeditor_5" in form and 'name="body_vi"' in form and 'name="body_en"' in form
    response = agency_admin.post(
        url,
        {
            "title_vi": page.title_vi,
            "slug_vi": page.slug_vi,
            "summary_vi": page.summary_vi,
            "body_vi": "<p>Chức năng mới.</p>",
            "title_en": page.title_en,
            "slug_en": page.slug_en,
            "summary_en": page.summary_en,
            "body_en": "<p>New functions.</p>",
            "block": "",
            "position": 5,
            "is_published": "on",
        },
    )

    assert response.status_code == 302, text(response)[:2000]
    page.refresh_from_db()
    assert page.body_vi == "<p>Chức năng mới.</p>"
    assert Version.objects.get_for_object(page).count() == 1
    history = text(agency_admin.get(reverse("admin:agency_agencypage_history", args=[page.pk])))
    assert "quantri" in history


def test_identity_is_one_row_in_the_database():
    assert SiteIdentity.objects.count() == 1  # created by the migration
    with pytest.raises(IntegrityError):
        SiteIdentity.objects.bulk_create([SiteIdentity(id=2, name_vi="Cơ quan khác")])


def test_identity_admin_has_no_add_once_it_exists_and_no_delete(agency_admin):
    change_url = reverse("admin:agency_siteidentity_change", args=[1])

    listing = agency_admin.get(reverse("admin:agency_siteidentity_changelist"))
    assert listing.status_code == 302 and listing["Location"] == change_url
    assert agency_admin.get(reverse("admin:agency_siteidentity_add")).status_code == 403
    assert (
        agency_admin.get(reverse("admin:agency_siteidentity_delete", args=[1])).status_code == 403
    )
    form = text(agency_admin.get(change_url))
    assert "Thông tin chung của cổng" in form
    assert 'class="deletelink"' not in form
    index = text(agency_admin.get(reverse("admin:index")))
    assert reverse("admin:agency_siteidentity_add") not in index


def test_admin_lists_are_in_vietnamese(agency_admin):
    index = text(agency_admin.get(reverse("admin:index")))
    for label in [
        "Giới thiệu cơ quan",
        "Thông tin chung của cổng",
        "Trang giới thiệu",
        "Cơ cấu tổ chức",
        "Lãnh đạo",
        "Liên kết website",
    ]:
        assert label in index


@pytest.mark.parametrize(
    "url", ["/gioi-thieu/", "/gioi-thieu/co-cau-to-chuc/", "/en/about/leadership/", "/en/"]
)
def test_about_pages_cost_the_same_whatever_the_units_and_leaders(
    client, seeded_portal, django_assert_max_num_queries, url, schedule_queries
):
    counts = []
    for more in (0, 20):
        for n in range(more):
            OrganisationUnit.objects.create(name_vi=f"Phòng {n}", parent_id=3, position=n)
            Leader.objects.create(name=f"Lãnh đạo {n}", title_vi="Thứ trưởng", position=n)
        # At most: the page, its units or leaders, the about pages beside it, the frame, the
        # section menu, and the page cache's two look-ups of the next scheduled event.
        with django_assert_max_num_queries(6 + schedule_queries) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
