from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from news.models import Image

pytestmark = pytest.mark.django_db

URL = "/bien-tap/tai-anh/"


def test_upload_url_is_ours():
    assert reverse("news:editor-image-upload") == URL


def test_anonymous_upload_is_refused(client, image_upload):
    response = client.post(URL, {"upload": image_upload()})
    assert response.status_code == 403
    assert "đăng nhập" in response.json()["error"]["message"]
    assert not Image.objects.exists()


def test_staff_without_image_permission_is_refused(client, django_user_model, image_upload):
    user = django_user_model.objects.create_user("khach", password="x", is_staff=True)
    client.force_login(user)
    response = client.post(URL, {"upload": image_upload()})
    assert response.status_code == 403
    assert not Image.objects.exists()


def test_upload_needs_a_csrf_token(staff_user, image_upload):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.post(URL, {"upload": image_upload()}).status_code == 403
    assert not Image.objects.exists()


def test_get_is_not_allowed(staff_client):
    assert staff_client.get(URL).status_code == 405


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.jpg", b"day khong phai la anh"),
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        ("anh.html", b"<script>alert(1)</script>"),
    ],
)
def test_non_image_is_refused_with_a_message(staff_client, name, content):
    response = staff_client.post(URL, {"upload": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert "không phải là ảnh hợp lệ" in response.json()["error"]["message"]
    assert not Image.objects.exists()


def test_disallowed_image_type_is_refused(staff_client, image_upload):
    response = staff_client.post(URL, {"upload": image_upload("anh.bmp", fmt="BMP")})
    assert response.status_code == 400
    assert "BMP không được phép" in response.json()["error"]["message"]
    assert not Image.objects.exists()


def test_too_large_file_is_refused(staff_client, image_upload, settings):
    settings.PORTAL_IMAGE_MAX_BYTES = 100
    response = staff_client.post(URL, {"upload": image_upload()})
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.json()["error"]["message"]


def test_too_many_pixels_is_refused(staff_client, image_upload, settings):
    settings.PORTAL_IMAGE_MAX_PIXELS = 1000
    response = staff_client.post(URL, {"upload": image_upload(size=(100, 100))})
    assert response.status_code == 400
    assert "quá nhiều điểm ảnh" in response.json()["error"]["message"]


def test_missing_file_is_refused(staff_client):
    response = staff_client.post(URL, {})
    assert response.status_code == 400
    assert "Không nhận được tệp ảnh" in response.json()["error"]["message"]


def test_image_is_stored_in_the_library(staff_client, staff_user, image_upload):
    response = staff_client.post(
        URL, {"upload": image_upload("../../etc/Ảnh lễ ký.jpg", size=(120, 80))}
    )
    assert response.status_code == 200
    image = Image.objects.get()
    assert response.json()["url"] == image.file.url
    assert image.original_filename == "Ảnh lễ ký.jpg"
    assert (image.width, image.height) == (120, 80)
    assert image.uploaded_by == staff_user
    # Stored under a generated name in a dated folder, never the uploader's name.
    assert image.file.name.startswith("images/")
    assert "lễ" not in image.file.name and ".." not in image.file.name
    assert (Path(settings.MEDIA_ROOT) / image.file.name).is_file()
