"""Small, well-formed media files for the gallery's tests, built byte by byte: an MP4 (ISO boxes)
and a WebM (EBML elements) that say how long they last, and a WebVTT track."""

import struct

from django.core.files.uploadedfile import SimpleUploadedFile

WEBVTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nBộ trưởng phát biểu khai mạc.\n".encode()


def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(seconds=65, brand=b"isom", compatible=(b"isom", b"mp41"), padding=4000):
    """An MP4 whose movie header says ``seconds``, with ``padding`` bytes of media data."""
    ftyp = box(b"ftyp", brand + b"\x00\x00\x02\x00" + b"".join(compatible))
    mvhd = box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, seconds * 1000))
    return (
        ftyp
        + box(b"moov", mvhd + b"\x00" * 80)
        + box(b"mdat", bytes(range(256)) * (padding // 256))
    )


def _size(length):
    if length < 0x7F:
        return bytes([0x80 | length])
    return b"\x01" + length.to_bytes(7, "big")


def element(ident, payload):
    return ident + _size(len(payload)) + payload


def webm_bytes(seconds=65, doc_type=b"webm"):
    """A WebM whose segment information says ``seconds`` (in milliseconds, the default scale)."""
    header = element(
        b"\x1a\x45\xdf\xa3", element(b"\x42\x86", b"\x01") + element(b"\x42\x82", doc_type)
    )
    info = element(
        b"\x15\x49\xa9\x66",
        element(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big"))
        + element(b"\x44\x89", struct.pack(">d", seconds * 1000.0)),
    )
    cluster = element(b"\x1f\x43\xb6\x75", b"\x00" * 200)
    return header + element(b"\x18\x53\x80\x67", info + cluster)


def make_gallery_pages():
    """An album of three photos and a video, published: ``{name: path}`` of the gallery's
    pages in both languages, for tests/public_pages.py."""
    from django.urls import reverse
    from django.utils import timezone, translation

    from gallery.models import Album, AlbumPhoto, Video
    from news.models import Image
    from tests.public_pages import photo_upload

    published = {"status": Album.Status.PUBLISHED, "published_at": timezone.now()}
    album = Album.objects.create(
        title="Lễ trao tặng Kỷ niệm chương Vì sự nghiệp Lao động – Thương binh và Xã hội",
        description="Những hình ảnh tại buổi lễ.\nẢnh: Thái Bình.",
        **published,
    )
    for number, (alt, caption) in enumerate(
        [
            ("Bộ trưởng trao Kỷ niệm chương cho các đại biểu", "Trao Kỷ niệm chương"),
            ("Các đại biểu chụp ảnh lưu niệm trước hội trường", ""),
            ("Toàn cảnh hội trường buổi lễ", "Quang cảnh buổi lễ"),
        ],
        start=1,
    ):
        image = Image.objects.create(
            file=photo_upload(f"le-trao-tang-{number}.jpg", size=(1200, 790 + number)),
            alt_text=alt,
            caption=caption,
            credit="Ảnh: Thái Bình",
        )
        AlbumPhoto.objects.create(album=album, image=image, position=number)
    poster = Image.objects.create(
        file=photo_upload("hoi-nghi-tong-ket.jpg", size=(1280, 720)),
        alt_text="Hội nghị tổng kết công tác năm",
    )
    video = Video.objects.create(
        title="Hội nghị tổng kết công tác năm của ngành Lao động – Thương binh và Xã hội",
        description="Hội nghị tổng kết công tác năm và triển khai nhiệm vụ năm mới.",
        transcript="Người dẫn chương trình: Kính thưa các đồng chí.\n\nToàn cảnh hội trường.",
        file=SimpleUploadedFile("hoi-nghi.mp4", mp4_bytes()),
        captions=SimpleUploadedFile("hoi-nghi.vtt", WEBVTT),
        poster=poster,
        **published,
    )
    pages = {}
    for code, suffix in (("vi", ""), ("en", ", English")):
        with translation.override(code):
            pages.update(
                {
                    f"albums{suffix}": reverse("gallery:album-list"),
                    f"album{suffix}": album.get_absolute_url(),
                    f"album photo{suffix}": album.photo_url(2),
                    f"videos{suffix}": reverse("gallery:video-list"),
                    f"video{suffix}": video.get_absolute_url(),
                }
            )
    return pages
