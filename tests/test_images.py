import io
import re
import socket

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PILImage

from news.models import Article, Image
from tests.conftest import article_form_data

pytestmark = pytest.mark.django_db

UPLOAD = "/bien-tap/tai-anh/"


def photo_bytes(size=(60, 40), fmt="JPEG", exif=None, color=(10, 120, 200), noise=False):
    img = PILImage.new("RGB", size, color)
    if noise:
        img = PILImage.effect_noise(size, 80).convert("RGB")
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    img.save(buffer, fmt, **options)
    return buffer.getvalue()


def camera_exif(orientation=6):
    """EXIF as a phone writes it: a rotation, a camera model and a GPS position."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Model] = "Điện thoại phóng viên"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 1.0, 28.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 51.0, 12.0)
    return exif


def stored_bytes(field_file):
    with field_file.storage.open(field_file.name, "rb") as handle:
        return handle.read()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# -- refusals from every path -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "không phải là ảnh hợp lệ"),
        ("a.jpg", b"GIF89a but not really", "không phải là ảnh hợp lệ"),
        ("a.pdf", b"%PDF-1.4 fake", "không phải là ảnh hợp lệ"),
        ("a.tif", photo_bytes(fmt="TIFF"), "TIFF không được phép"),
        ("a.bmp", photo_bytes(fmt="BMP"), "BMP không được phép"),
    ],
)
def test_refused_from_the_model_layer(name, data, message):
    with pytest.raises(ValidationError) as error:
        Image(file=upload(name, data)).save()
    assert message in " ".join(error.value.messages)
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.svg", b"<svg/>", "Tập tin mà bạn đã tải không phải là hình ảnh"),
        ("a.bmp", photo_bytes(fmt="BMP"), "BMP không được phép"),
    ],
)
def test_refused_from_the_admin_form(staff_client, name, data, message):
    response = staff_client.post(
        reverse("admin:news_image_add"),
        {"file": upload(name, data), "caption": "x", "alt_text": "", "credit": ""},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()


@pytest.fixture(scope="module")
def bomb_png():
    """A small PNG file that decodes to 144 million pixels."""
    bomb = io.BytesIO()
    PILImage.new("1", (12000, 12000)).save(bomb, "PNG")
    return bomb.getvalue()


def test_decompression_bomb_is_refused_by_the_editor_upload(staff_client, bomb_png):
    response = staff_client.post(UPLOAD, {"upload": upload("bom.png", bomb_png)})
    assert response.status_code == 400
    assert "quá nhiều điểm ảnh" in response.json()["error"]["message"]
    assert not Image.objects.exists()


def test_decompression_bomb_is_refused_by_the_admin(staff_client, bomb_png):
    response = staff_client.post(
        reverse("admin:news_image_add"),
        {"file": upload("bom.png", bomb_png), "caption": "", "alt_text": "", "credit": ""},
    )
    assert response.status_code == 200
    assert not Image.objects.exists()


def test_maximum_size_is_a_setting(settings, staff_client):
    settings.PORTAL_IMAGE_MAX_BYTES = 1024
    response = staff_client.post(
        UPLOAD, {"upload": upload("a.jpg", photo_bytes(noise=True, size=(300, 300)))}
    )
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.json()["error"]["message"]


# -- what is stored ---------------------------------------------------------------------


def test_exif_orientation_is_applied_and_gps_is_removed_from_every_copy():
    image = Image(file=upload("dien-thoai.jpg", photo_bytes(size=(60, 40), exif=camera_exif())))
    image.save()
    # Orientation 6 means "turn 90° clockwise to view": the stored copy is upright.
    assert (image.width, image.height) == (40, 60)
    copies = [image.file] + [
        image.rendition(w, f) for w in (320, 640, 1024) for f in ("jpeg", "webp")
    ]
    for copy in copies:
        data = stored_bytes(copy)
        with PILImage.open(io.BytesIO(data)) as stored:
            exif = stored.getexif()
            assert ExifTags.IFD.GPSInfo not in exif
            assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
            assert ExifTags.Base.Orientation not in exif
            assert stored.size[0] < stored.size[1]
        assert "Điện thoại phóng viên".encode() not in data
        assert b"GPS" not in data


def test_stored_under_a_generated_name_in_a_dated_folder_keeping_the_original_name():
    image = Image(file=upload("Ảnh lễ ký kết.jpg", photo_bytes()))
    image.save()
    assert image.original_filename == "Ảnh lễ ký kết.jpg"
    parts = image.file.name.split("/")
    assert parts[0] == "images" and len(parts[1]) == 4 and len(parts[2]) == 2
    assert parts[3].endswith(".jpg") and "lễ" not in parts[3]


def test_extension_follows_the_real_format_not_the_name():
    image = Image(file=upload("thuc-ra-la-png.jpg", photo_bytes(fmt="PNG")))
    image.save()
    assert image.file.name.endswith(".png")


def test_identical_files_are_detected_and_reused(staff_client):
    data = photo_bytes(size=(80, 50))
    first = staff_client.post(UPLOAD, {"upload": upload("mot.jpg", data)}).json()
    second = staff_client.post(UPLOAD, {"upload": upload("hai.jpg", data)}).json()
    assert first["url"] == second["url"]
    assert Image.objects.count() == 1
    response = staff_client.post(
        reverse("admin:news_image_add"),
        {"file": upload("ba.jpg", data), "caption": "", "alt_text": "", "credit": ""},
    )
    assert "Ảnh này đã có trong thư viện" in response.content.decode()
    assert Image.objects.count() == 1


# -- renditions -------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(320, 240), (480, 360), (640, 480), (1024, 768)])
@pytest.mark.parametrize(("fmt", "pil_format"), [("jpeg", "JPEG"), ("webp", "WEBP")])
def test_renditions_sizes_and_formats(width, height, fmt, pil_format):
    image = Image(file=upload("lon.jpg", photo_bytes(size=(1280, 960), noise=True)))
    image.save()
    copy = image.rendition(width, fmt)
    with PILImage.open(io.BytesIO(stored_bytes(copy))) as stored:
        assert stored.format == pil_format
        assert stored.size == (width, height)
    assert len(stored_bytes(copy)) < len(stored_bytes(image.file))


def test_renditions_are_never_wider_than_the_original():
    image = Image(file=upload("nho.jpg", photo_bytes(size=(500, 300))))
    image.save()
    assert [width for _url, width in image.renditions("webp")] == [320, 480, 500]
    assert image.srcset("jpeg").count("w,") == 2
    assert image.height_for(320) == 192


def test_rendition_urls_cost_no_queries_or_storage_checks(django_assert_num_queries):
    image = Image(file=upload("a.jpg", photo_bytes()))
    image.save()
    image = Image.objects.get(pk=image.pk)
    with django_assert_num_queries(0):
        assert image.srcset("webp").startswith("/media/renditions/")


def test_image_without_file_has_no_renditions():
    image = Image.objects.create(original_filename="thieu.jpg", caption="Ảnh thiếu")
    assert image.renditions() == [] and image.srcset() == ""


# -- the library in the admin -----------------------------------------------------------


def test_bulk_upload_stores_several_and_explains_refusals(staff_client):
    response = staff_client.post(
        reverse("admin:news_image_bulk_upload"),
        {
            "files": [
                upload("mot.jpg", photo_bytes(color=(1, 2, 3))),
                upload("hai.png", photo_bytes(fmt="PNG", color=(4, 5, 6))),
                upload("ba.svg", b"<svg/>"),
            ],
            "credit": "Ảnh: Thái Bình",
        },
        follow=True,
    )
    page = response.content.decode()
    assert Image.objects.count() == 2
    assert set(Image.objects.values_list("credit", flat=True)) == {"Ảnh: Thái Bình"}
    assert "Đã tải lên 2 ảnh" in page
    assert "“ba.svg” bị từ chối" in page


def test_bulk_upload_page_renders(staff_client):
    page = staff_client.get(reverse("admin:news_image_bulk_upload")).content.decode()
    assert "multiple" in page and 'enctype="multipart/form-data"' in page
    listing = staff_client.get(reverse("admin:news_image_changelist")).content.decode()
    assert "Tải lên nhiều ảnh" in listing


def test_search_by_caption_and_file_name(staff_client):
    Image.objects.create(original_filename="1c48a1fa9d2d4873113c.jpg", caption="Thứ trưởng")
    Image.objects.create(original_filename="khac.jpg", caption="Đại biểu")
    url = reverse("admin:news_image_changelist")
    assert "1c48a1fa9d2d4873113c.jpg" in staff_client.get(url, {"q": "1c48a1"}).content.decode()
    found = staff_client.get(url, {"q": "Thứ trưởng"}).content.decode()
    assert "Thứ trưởng" in found and "khac.jpg" not in found


def test_missing_file_filter(staff_client):
    Image.objects.create(original_filename="thieu-tep.jpg", caption="Thiếu")
    Image(file=upload("du.jpg", photo_bytes()), caption="Đủ").save()
    page = staff_client.get(reverse("admin:news_image_changelist"), {"tep": "thieu"})
    text = page.content.decode()
    assert "thieu-tep.jpg" in text and "du.jpg" not in text


def test_image_page_lists_the_articles_that_use_it(staff_client, make_article):
    image = Image(file=upload("a.jpg", photo_bytes()), alt_text="Hội nghị")
    image.save()
    make_article(title="Bài có ảnh đại diện", featured_image=image)
    make_article(
        title="Bài có ảnh trong thân",
        body=f'<figure class="image"><img src="{image.file.url}" alt="x"></figure>',
    )
    make_article(title="Bài không liên quan")
    page = staff_client.get(reverse("admin:news_image_change", args=[image.pk])).content.decode()
    assert "Bài có ảnh đại diện" in page and "Bài có ảnh trong thân" in page
    assert "Bài không liên quan" not in page


# -- alt text before publishing ---------------------------------------------------------


def test_publishing_needs_alt_text_on_the_featured_image(make_user, make_article):
    from django.test import Client

    editor = make_user("editor")
    image = Image.objects.create(original_filename="a.jpg", caption="Không có mô tả")
    article = make_article(status="pending", featured_image=image)
    client = Client()
    client.force_login(editor)
    response = client.post(
        reverse("admin:news_article_change", args=[article.pk]),
        article_form_data(article, status="published"),
    )
    assert response.status_code == 200
    assert "cần văn bản thay thế" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "pending"

    client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == "pending"

    image.alt_text = "Thứ trưởng phát biểu"
    image.save()
    article.refresh_from_db()
    client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == "published"


def test_publishing_needs_alt_text_on_images_in_the_body(make_article):
    article = make_article(
        status="draft", body='<figure class="image"><img src="/m/a.jpg"></figure>'
    )
    article.status = Article.Status.PUBLISHED
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "a.jpg" in " ".join(error.value.messages)


# -- S3-compatible storage --------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_storage(settings, monkeypatch):
    """A real S3 API (moto's server, on loopback) behind Django's default storage."""
    import boto3
    from moto.server import ThreadedMotoServer

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
        Bucket="portal-media"
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "portal-media",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    yield boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    server.stop()


@pytest.mark.slow
def test_images_and_renditions_are_stored_in_s3(s3_storage):
    image = Image(file=upload("s3.jpg", photo_bytes(size=(800, 600), exif=camera_exif(1))))
    image.save()
    keys = {obj["Key"] for obj in s3_storage.list_objects_v2(Bucket="portal-media")["Contents"]}
    assert image.file.name in keys
    assert image.jpeg_640.name in keys and image.webp_320.name in keys
    body = s3_storage.get_object(Bucket="portal-media", Key=image.file.name)["Body"].read()
    with PILImage.open(io.BytesIO(body)) as stored:
        assert stored.size == (800, 600)
        assert ExifTags.IFD.GPSInfo not in stored.getexif()
    assert image.file.url.startswith("http://127.0.0.1:")


# -- what a phone downloads -------------------------------------------------------------


def photo_like(seed, size=(1600, 1067)):
    """A JPEG that compresses like a photograph: smooth light and shade, some grain."""
    light = PILImage.linear_gradient("L").resize(size).rotate(seed * 37 % 360)
    shade = PILImage.radial_gradient("L").resize(size)
    grain = PILImage.effect_noise(size, 18)
    channels = [PILImage.blend(light, shade, 0.35 + 0.05 * i) for i in range(3)]
    picture = PILImage.merge("RGB", [PILImage.blend(c, grain, 0.15) for c in channels])
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def chosen_candidate(srcset, sizes, viewport, dpr):
    """The candidate a browser picks: the smallest at least slot × DPR wide (HTML's rule)."""
    slot = None
    for part in sizes.split(","):
        part = part.strip()
        condition, _, length = part.rpartition(" ")
        if condition:
            min_width = re.search(r"min-width:\s*([\d.]+)(rem|em|px)", condition)
            px = float(min_width.group(1)) * (16 if min_width.group(2) != "px" else 1)
            if viewport < px:
                continue
        slot = length
        break
    if slot.endswith("vw"):
        slot_px = viewport * float(slot[:-2]) / 100
    elif slot.endswith("rem") or slot.endswith("em"):
        slot_px = float(slot.rstrip("rem").rstrip("em")) * 16
    else:
        slot_px = float(slot.rstrip("px"))
    candidates = sorted(
        (int(w.rstrip("w")), url) for url, w in (c.split() for c in srcset.split(","))
    )
    needed = slot_px * dpr
    return next((url for width, url in candidates if width >= needed), candidates[-1][1])


@pytest.mark.slow
def test_a_section_of_twenty_photos_sends_a_phone_less_than_a_megabyte(
    client, make_article, settings
):
    from pathlib import Path

    for n in range(20):
        image = Image(file=upload(f"hoi-nghi-{n}.jpg", photo_like(n)), alt_text=f"Hội nghị {n}")
        image.save()
        make_article(title=f"Tin có ảnh số {n}", featured_image=image)
    originals = sum(
        Path(settings.MEDIA_ROOT, i.file.name).stat().st_size for i in Image.objects.all()
    )
    page = client.get("/chuyen-muc/xa-hoi/").content.decode()
    sources = re.findall(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', page)
    assert len(sources) == 20
    sent = 0
    for srcset, sizes in sources:
        url = chosen_candidate(srcset, sizes, viewport=360, dpr=3)
        sent += Path(settings.MEDIA_ROOT, url.removeprefix(settings.MEDIA_URL)).stat().st_size
    print(f"{sent} bytes sent to the phone, {originals} bytes of originals")
    assert sent < 1024 * 1024, f"{sent} bytes of images for a 360 px phone"
    assert originals > 5 * sent  # the originals would have been far heavier
    imgs = re.findall(r"<img [^>]*>", page.split("<main", 1)[1])
    assert all('width="' in tag and 'height="' in tag for tag in imgs)
    assert sum('loading="lazy"' in tag for tag in imgs) >= 15
