"""Who may change a library image: editors any; reporters only their own that nothing public
shows (a new file or caption on a published photo would go live at once)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agency.models import SiteIdentity
from news.models import Image
from tests.conftest import make_image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(make_user):
    return {
        "reporter": make_user("reporter"),
        "other_reporter": make_user("reporter", "phongvien2"),
        "editor": make_user("editor"),
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def make_image(db):
    def build(uploaded_by, color=(10, 120, 200)):
        upload = SimpleUploadedFile("anh.jpg", make_image_bytes(color=color))
        return Image.objects.create(
            file=upload, caption="Chú thích cũ", alt_text="Mô tả cũ", uploaded_by=uploaded_by
        )

    return build


def change(client, image, caption="Chú thích mới"):
    url = reverse("admin:news_image_change", args=[image.pk])
    data = {"caption": caption, "alt_text": "Mô tả mới", "credit": ""}
    return client.post(url, data)


def test_a_reporter_cannot_change_a_photo_of_a_published_article(users, make_image, make_article):
    image = make_image(users["reporter"])
    make_article(featured_image=image)  # published
    response = change(client_for(users["reporter"]), image)
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.caption == "Chú thích cũ"


def test_a_reporter_cannot_change_a_photo_shown_in_a_published_body(
    users, make_image, make_article
):
    image = make_image(users["reporter"])
    make_article(body=f'<p><img src="{image.file.url}" alt="Ảnh"></p>')
    assert change(client_for(users["reporter"]), image).status_code == 403


def test_a_reporter_cannot_change_the_sites_logo(users, make_image):
    image = make_image(users["reporter"])
    SiteIdentity.objects.filter().update(logo=image)
    assert change(client_for(users["reporter"]), image).status_code == 403


def test_a_reporter_cannot_change_someone_elses_photo(users, make_image):
    image = make_image(users["other_reporter"])
    assert change(client_for(users["reporter"]), image).status_code == 403
    image.refresh_from_db()
    assert image.caption == "Chú thích cũ"


def test_a_reporter_changes_their_own_photo_used_only_in_drafts(users, make_image, make_article):
    image = make_image(users["reporter"])
    make_article(status="draft", featured_image=image)
    assert change(client_for(users["reporter"]), image).status_code == 302
    image.refresh_from_db()
    assert image.caption == "Chú thích mới"


def test_an_editor_changes_any_photo(users, make_image, make_article):
    image = make_image(users["reporter"])
    make_article(featured_image=image)
    assert change(client_for(users["editor"]), image).status_code == 302
    image.refresh_from_db()
    assert image.caption == "Chú thích mới"


def test_a_reporter_cannot_see_the_history_of_a_photo_they_may_not_change(users, make_image):
    image = make_image(users["other_reporter"])
    url = reverse("admin:news_image_history", args=[image.pk])
    assert client_for(users["reporter"]).get(url).status_code == 403
    assert client_for(users["editor"]).get(url).status_code == 200
