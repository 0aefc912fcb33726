"""Hostile images: animations that would exhaust a worker, and metadata that would ride along."""

import io
import json
import os
import struct
import subprocess
import sys
import textwrap

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageCms

from news.models import RENDITION_WIDTHS, Image

pytestmark = pytest.mark.django_db

UPLOAD = "/bien-tap/tai-anh/"
POLYGLOT = b"<html><script>alert(1)</script></html>"


def animated_gif(frames, size=(3000, 3000)):
    """The reporter's file: ``frames`` solid frames of ``size``, about 8 KB each.

    Pillow encodes one frame and the file repeats it after a graphic control block; encoding
    121 frames of 3000 × 3000 one by one would take Pillow ten seconds.
    """
    one = io.BytesIO()
    frame = PILImage.new("P", size, 0)
    frame.putpalette([200, 30, 30, 30, 30, 200])
    frame.save(one, "GIF")
    data = one.getvalue()
    start = data.index(b"\x2c" + struct.pack("<4H", 0, 0, *size))
    control = b"\x21\xf9\x04\x00\x0a\x00\x00\x00"  # 100 ms per frame
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    return b"GIF89a" + data[6:start] + loop + (control + data[start:-1]) * frames + b";"


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_bytes(field_file):
    with field_file.storage.open(field_file.name, "rb") as handle:
        return handle.read()


def every_copy(image):
    """The stored original and all eight renditions, as bytes."""
    renditions = [image.rendition(w, f) for w in RENDITION_WIDTHS for f in ("jpeg", "webp")]
    return [stored_bytes(copy) for copy in [image.file, *renditions]]


# -- animations -------------------------------------------------------------------------


def test_a_huge_animated_gif_is_refused_by_the_editor_upload(settings, staff_client):
    settings.PORTAL_IMAGE_MAX_PIXELS = 60_000_000
    data = animated_gif(121)
    assert len(data) < 1024 * 1024
    response = staff_client.post(UPLOAD, {"upload": upload("bom.gif", data)})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "Ảnh động quá lớn" in message
    assert "3000 × 3000" in message and "60.000.000 điểm ảnh" in message
    assert not Image.objects.exists()


def test_a_huge_animated_gif_is_refused_by_the_admin(staff_client):
    response = staff_client.post(
        reverse("admin:news_image_add"),
        {"file": upload("bom.gif", animated_gif(121)), "caption": "", "alt_text": "", "credit": ""},
    )
    assert response.status_code == 200
    assert "Ảnh động quá lớn" in response.content.decode()
    assert not Image.objects.exists()


def test_a_huge_animated_gif_is_refused_by_the_bulk_upload(staff_client):
    response = staff_client.post(
        reverse("admin:news_image_bulk_upload"),
        {"files": [upload("bom.gif", animated_gif(401))], "credit": ""},
        follow=True,
    )
    assert "“bom.gif” bị từ chối: Ảnh động quá lớn" in response.content.decode()
    assert not Image.objects.exists()


# What a worker does with an upload, in a process of its own so its peak memory is its own. The
# address space is capped well above the limit under test, so a regression fails in seconds
# instead of taking the machine's memory.
CHILD = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
    import django
    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from news.models import Image
    with open(sys.argv[1], "rb") as source:
        upload = SimpleUploadedFile("bom.gif", source.read())
    try:
        Image(file=upload).save()
        outcome = "stored"
    except ValidationError as error:
        outcome = " ".join(error.messages)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"outcome": outcome, "peak_kb": peak}))
    """
)


@pytest.mark.parametrize("frames", [121, 401])
@pytest.mark.slow
def test_a_huge_animated_gif_never_takes_a_worker_above_500_mb(settings, tmp_path, frames):
    gif = tmp_path / "bom.gif"
    gif.write_bytes(animated_gif(frames))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(gif)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    found = json.loads(child.stdout.strip().splitlines()[-1])
    assert "Ảnh động quá lớn" in found["outcome"]
    assert found["peak_kb"] < 500 * 1024, f"{found['peak_kb'] // 1024} MB"


def test_an_animation_within_the_limit_is_stored_as_its_first_frame():
    frames = [PILImage.new("RGB", (40, 30), color) for color in [(200, 0, 0), (0, 0, 200)]]
    data = io.BytesIO()
    frames[0].save(data, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    image = Image(file=upload("dong.gif", data.getvalue()))
    image.save()
    with PILImage.open(io.BytesIO(stored_bytes(image.file))) as stored:
        assert getattr(stored, "n_frames", 1) == 1
        assert stored.convert("RGB").getpixel((5, 5)) == (200, 0, 0)
    assert (image.width, image.height) == (40, 30)


def test_a_webp_counts_twice_against_the_pixel_limit(settings, staff_client):
    settings.PORTAL_IMAGE_MAX_PIXELS = 10_000

    def encoded(fmt):
        buffer = io.BytesIO()
        PILImage.new("RGB", (100, 80), (10, 120, 200)).save(buffer, fmt)
        return buffer.getvalue()

    response = staff_client.post(UPLOAD, {"upload": upload("lon.webp", encoded("WEBP"))})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "Ảnh WebP có quá nhiều điểm ảnh (100 × 80)" in message
    assert "tối đa 5.000 điểm ảnh" in message and "JPEG hoặc PNG" in message
    response = staff_client.post(UPLOAD, {"upload": upload("lon.png", encoded("PNG"))})
    assert response.status_code == 200


# -- metadata ---------------------------------------------------------------------------


def jpeg_with_comment():
    """A JPEG whose COM segment is an HTML polyglot, with an sRGB colour profile."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), (10, 120, 200)).save(
        buffer, "JPEG", comment=POLYGLOT, icc_profile=srgb
    )
    return buffer.getvalue()


def gif_with_comment():
    buffer = io.BytesIO()
    PILImage.new("P", (60, 40), 1).save(buffer, "GIF", comment=POLYGLOT)
    return buffer.getvalue()


def png_with_text():
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", POLYGLOT.decode())
    text.add_itxt("Description", POLYGLOT.decode())
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), (10, 120, 200)).save(buffer, "PNG", pnginfo=text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "build"),
    [("a.jpg", jpeg_with_comment), ("a.gif", gif_with_comment), ("a.png", png_with_text)],
)
def test_comments_are_removed_from_the_original_and_every_rendition(name, build):
    data = build()
    assert b"<script" in data
    image = Image(file=upload(name, data))
    image.save()
    for copy in every_copy(image):
        assert b"<script" not in copy
        with PILImage.open(io.BytesIO(copy)) as stored:
            assert "comment" not in stored.info
            assert not {"Comment", "Description", "exif", "xmp"} & set(stored.info)


def test_the_colour_profile_is_kept():
    image = Image(file=upload("a.jpg", jpeg_with_comment()))
    image.save()
    with PILImage.open(io.BytesIO(stored_bytes(image.file))) as stored:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(stored.info["icc_profile"]))
        assert "sRGB" in ImageCms.getProfileDescription(profile)


# -- damaged files ------------------------------------------------------------------------


def test_a_cut_off_jpeg_is_refused_with_a_message_not_a_server_error(staff_client):
    picture = PILImage.effect_noise((800, 600), 80).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    cut_off = buffer.getvalue()[: len(buffer.getvalue()) // 2]

    response = staff_client.post(UPLOAD, {"upload": upload("hong.jpg", cut_off)})

    assert response.status_code == 400
    assert "không phải là ảnh hợp lệ" in response.json()["error"]["message"]
    assert not Image.objects.exists()
