"""The agency's identity at the top of every page: its emblem (or logo) in the header and as the
favicon, and its hotline and email in the header, the footer and the contact page, as editors
set them in the admin. (The folding menu is tested in a browser: e2e/test_header.py.)"""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from PIL import Image as PILImage

from agency.admin import SiteIdentityAdmin
from agency.models import SiteIdentity
from news.models import Image

pytestmark = pytest.mark.django_db

RED, GOLD = (0xDA, 0x25, 0x1D), (0xFF, 0xCD, 0x00)


def text(response):
    return response.content.decode()


def part(page, start, end):
    return page.split(start, 1)[1].split(end, 1)[0]


def icon_of(response):
    """The largest picture of an ICO response, as RGBA."""
    icon = PILImage.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]
    return icon.ico.getimage((48, 48)).convert("RGBA")


def share_of(picture, colour):
    """How much of the picture is ``colour``, give or take what resizing blends."""
    pixels = list(picture.get_flattened_data())
    close = [
        p
        for p in pixels
        if p[3] > 200 and max(abs(a - b) for a, b in zip(p[:3], colour, strict=True)) < 24
    ]
    return len(close) / len(pixels)


def is_the_default_emblem(picture):
    """Mostly red and gold (static/img/emblem.png), clear in the corners."""
    return (
        share_of(picture, RED) > 0.3
        and share_of(picture, GOLD) > 0.2
        and picture.getpixel((0, 0))[3] == 0
    )


@pytest.fixture
def agency_admin(client, django_user_model):
    user = django_user_model.objects.create_user("quantri", password="mat-khau-1", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="agency"))
    client.force_login(user)
    return client


@pytest.fixture
def contacts():
    identity = SiteIdentity.objects.get()
    identity.hotline, identity.phone = "1900 1234", "(024) 3826.9534"
    identity.email = "lienhe@example.vn"
    identity.save()
    return identity


# -- the emblem and the favicon ---------------------------------------------------------------


def test_the_header_shows_the_default_emblem_until_a_logo_is_set(client):
    header = part(text(client.get("/")), '<header class="site-header">', "</header>")

    assert (
        '<img class="site-brand__logo" src="/static/img/emblem.svg" alt="" width="64" '
        'height="64">' in header
    )


def test_every_page_names_the_favicon(client):
    for url in ["/", "/en/", "/gioi-thieu/lien-he/", "/trang-khong-co/"]:
        assert '<link rel="icon" href="/favicon.ico">' in text(client.get(url)), url


def test_the_favicon_is_the_default_emblem_until_a_logo_is_set(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert is_the_default_emblem(icon_of(response))


def test_the_favicon_is_the_logo_an_editor_sets_squared_and_at_once(client):
    assert client.get("/favicon.ico").status_code == 200  # the default, now in the page cache
    wide_blue_logo = io.BytesIO()
    PILImage.new("RGB", (120, 60), (11, 61, 145)).save(wide_blue_logo, "PNG")
    upload = SimpleUploadedFile("logo.png", wide_blue_logo.getvalue(), content_type="image/png")
    identity = SiteIdentity.objects.get()
    identity.logo = Image.objects.create(file=upload)
    identity.save()

    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = icon_of(response)
    assert icon.getpixel((24, 24)) == (11, 61, 145, 255)
    assert icon.getpixel((24, 2))[3] == 0  # a wide logo is not stretched: clear above and below


def test_a_logo_whose_file_is_gone_gives_the_default_favicon(client, image_upload):
    logo = Image.objects.create(file=image_upload("logo.jpg", size=(100, 100)))
    SiteIdentity.objects.update(logo=logo)
    logo.file.storage.delete(logo.file.name)

    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert is_the_default_emblem(icon_of(response))


def test_the_favicon_is_not_sent_again_to_a_browser_that_has_it(client):
    first = client.get("/favicon.ico")

    again = client.get("/favicon.ico", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_the_favicon_is_made_once_and_then_served_from_the_cache(
    client, django_assert_max_num_queries
):
    assert client.get("/favicon.ico").status_code == 200
    with django_assert_max_num_queries(0):
        response = client.get("/favicon.ico")
    assert response["X-Page-Cache"] == "hit"


# -- the hotline and the email ----------------------------------------------------------------


def test_the_header_shows_the_hotline_as_a_link_to_call(client, contacts):
    for url in ["/", "/en/"]:
        header = part(text(client.get(url)), '<header class="site-header">', "</header>")
        link = '<a href="tel:19001234">1900 1234</a>'
        assert link in part(header, '<div class="site-tools">', '<div class="reader-controls"')
        assert link in part(header, '<ul class="site-menu__more">', "</ul>")  # a phone's menu


def test_the_footer_shows_the_hotline_phone_and_email_as_links(client, contacts):
    for url in ["/", "/gioi-thieu/", "/en/"]:
        footer = part(text(client.get(url)), '<footer class="site-footer">', "</footer>")
        assert '<a href="tel:19001234">1900 1234</a>' in footer, url
        assert '<a href="tel:02438269534">(024) 3826.9534</a>' in footer, url
        assert '<a href="mailto:lienhe@example.vn">lienhe@example.vn</a>' in footer, url
    assert "Đường dây nóng:" in text(client.get("/"))


def test_the_contact_page_shows_the_hotline_phone_and_email(client, seeded_portal, contacts):
    vi = part(text(client.get("/gioi-thieu/lien-he/")), '<dl class="contact__list">', "</dl>")
    en = part(text(client.get("/en/about/contact/")), '<dl class="contact__list">', "</dl>")

    assert '<dt>Đường dây nóng</dt><dd><a href="tel:19001234">1900 1234</a></dd>' in vi
    assert '<dt>Điện thoại</dt><dd><a href="tel:02438269534">(024) 3826.9534</a></dd>' in vi
    assert (
        '<dt>Thư điện tử</dt><dd><a href="mailto:lienhe@example.vn">lienhe@example.vn</a></dd>'
        in vi
    )
    for link in ['href="tel:19001234"', 'href="tel:02438269534"', 'href="mailto:lienhe@']:
        assert link in en


def test_the_seed_contact_page_keeps_its_promise_of_a_phone_and_an_email(client, seeded_portal):
    page = text(client.get("/gioi-thieu/lien-he/"))

    assert "Địa chỉ, điện thoại và thư điện tử của Bộ." in text(client.get("/gioi-thieu/"))
    contact = part(page, '<dl class="contact__list">', "</dl>")
    assert "<dt>Điện thoại</dt>" in contact and 'href="tel:' in contact
    assert "<dt>Đường dây nóng</dt>" in contact
    assert "<dt>Thư điện tử</dt>" in contact and 'href="mailto:' in contact


def test_a_phone_field_of_several_numbers_is_shown_without_a_link(client):
    SiteIdentity.objects.update(phone="024 3826 9534 hoặc 024 3826 9535")

    footer = part(text(client.get("/")), '<footer class="site-footer">', "</footer>")

    assert "Điện thoại: 024 3826 9534 hoặc 024 3826 9535" in footer
    assert "tel:" not in footer


@pytest.mark.parametrize(
    ("hotline", "uri"),
    [("111", "tel:111"), ("1900 1234", "tel:19001234"), ("+84 24 3826-9534", "tel:+842438269534")],
)
def test_a_hotline_is_one_telephone_number(hotline, uri):
    identity = SiteIdentity.objects.get()
    identity.hotline = hotline
    identity.full_clean()
    assert identity.hotline_uri == uri


@pytest.mark.parametrize("hotline", ["Gọi 1900 1234", "12", "1900 1234, 1900 5678", "84+ 24"])
def test_anything_else_is_refused_as_a_hotline(hotline):
    identity = SiteIdentity.objects.get()
    identity.hotline = hotline
    with pytest.raises(ValidationError) as refused:
        identity.full_clean()
    assert "Nhập một số điện thoại" in str(refused.value.message_dict["hotline"])


def test_editors_set_the_hotline_and_email_in_the_admin(agency_admin, client):
    identity = SiteIdentity.objects.get()
    url = reverse("admin:agency_siteidentity_change", args=[identity.pk])
    form = text(agency_admin.get(url))
    assert 'name="hotline"' in form and 'name="email"' in form
    assert "Đường dây nóng" in form
    fields = [name for _title, options in SiteIdentityAdmin.fieldsets for name in options["fields"]]
    data = {name: value or "" for name, value in model_to_dict(identity, fields).items()}

    refused = agency_admin.post(url, {**data, "hotline": "gọi ngay"})
    assert refused.status_code == 200 and "Nhập một số điện thoại" in text(refused)
    response = agency_admin.post(
        url, {**data, "hotline": "1800 1567", "email": "duongdaynong@example.vn"}
    )

    assert response.status_code == 302, text(response)[:2000]
    agency_admin.logout()
    footer = part(text(client.get("/")), '<footer class="site-footer">', "</footer>")
    assert '<a href="tel:18001567">1800 1567</a>' in footer
    assert '<a href="mailto:duongdaynong@example.vn">duongdaynong@example.vn</a>' in footer
