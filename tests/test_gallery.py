"""Photo albums (/anh/) and videos (/video/) for readers: what is shown and when, one photo at a
time, the checks on uploaded videos and text tracks, byte ranges on media, who may publish, and
the pages' place in the cache, the sitemap and the English side."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from gallery.files import inspect_video
from gallery.models import Album, AlbumPhoto, Video
from news.models import Image
from tests.conftest import make_image_bytes
from tests.fuzz_urls import hostile_urls
from tests.gallery_samples import WEBVTT, mp4_bytes, webm_bytes

pytestmark = pytest.mark.django_db

PUBLISHED = Album.Status.PUBLISHED


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def make_image(db):
    counter = iter(range(1, 10_000))

    def build(caption="", alt_text="", **fields):
        n = next(counter)
        upload = SimpleUploadedFile(
            f"anh-{n}.jpg", make_image_bytes(color=(n % 256, n * 7 % 256, n * 13 % 256))
        )
        return Image.objects.create(file=upload, caption=caption, alt_text=alt_text, **fields)

    return build


@pytest.fixture
def make_album(make_image):
    def build(title="Lễ trao tặng Kỷ niệm chương", photos=3, **fields):
        fields.setdefault("status", PUBLISHED)
        if fields["status"] == PUBLISHED:
            fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
        album = Album.objects.create(title=title, **fields)
        for n in range(1, photos + 1):
            image = make_image(caption=f"Chú thích thư viện {n}", alt_text=f"Mô tả ảnh {n}")
            AlbumPhoto.objects.create(album=album, image=image, position=n)
        return album

    return build


@pytest.fixture
def make_video(make_image):
    def build(title="Hội nghị tổng kết năm", content=None, name="hoi-nghi.mp4", **fields):
        fields.setdefault("status", PUBLISHED)
        if fields["status"] == PUBLISHED:
            fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
        fields.setdefault("poster", make_image(alt_text="Toàn cảnh hội nghị"))
        return Video.objects.create(
            title=title,
            file=SimpleUploadedFile(name, content or mp4_bytes()),
            captions=SimpleUploadedFile("phu-de.vtt", WEBVTT),
            **fields,
        )

    return build


# -- what readers see, and when ------------------------------------------------------------


def test_drafts_and_scheduled_albums_and_videos_are_not_shown(client, make_album, make_video):
    soon = timezone.now() + timedelta(days=1)
    shown = make_album("Album đã xuất bản")
    hidden = [
        make_album("Album bản nháp", status=Album.Status.DRAFT),
        make_album("Album chờ duyệt", status=Album.Status.PENDING),
        make_album("Album hẹn giờ", published_at=soon),
    ]
    listing = text(client.get("/anh/"))
    assert "Album đã xuất bản" in listing
    for album in hidden:
        assert album.title not in listing
        assert client.get(f"/anh/{album.slug}/").status_code == 404
        assert client.get(f"/anh/{album.slug}/1/").status_code == 404
    assert client.get(shown.get_absolute_url()).status_code == 200

    make_video("Video đã xuất bản")
    draft = make_video("Video bản nháp", status=Video.Status.DRAFT)
    scheduled = make_video("Video hẹn giờ", published_at=soon)
    listing = text(client.get("/video/"))
    assert "Video đã xuất bản" in listing
    for video in (draft, scheduled):
        assert video.title not in listing
        assert client.get(f"/video/{video.slug}/").status_code == 404
        assert client.get(f"/video/{video.slug}/phu-de.vtt").status_code == 404


@pytest.mark.parametrize("kind", ["album", "video"])
def test_a_scheduled_one_appears_at_its_time_with_the_page_cache_on(
    client, make_album, make_video, kind
):
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False) as clock:
        make = make_album if kind == "album" else make_video
        make(f"{kind} đang hiển thị")
        make(f"{kind} hẹn giờ", published_at=now + timedelta(seconds=40))
        url = "/anh/" if kind == "album" else "/video/"
        first = client.get(url)
        assert f"{kind} hẹn giờ" not in text(first)
        assert "s-maxage=40" in first["Cache-Control"]
        assert client.get(url)["X-Page-Cache"] == "hit"
        clock.shift(timedelta(seconds=41))
        later = client.get(url)
        assert later["X-Page-Cache"] == "miss"
        assert f"{kind} hẹn giờ" in text(later)


def test_the_next_scheduled_album_or_video_is_their_next_visibility_change(make_album, make_video):
    now = timezone.now()
    make_album(published_at=now + timedelta(hours=3))
    make_album("Album bản nháp", status=Album.Status.DRAFT, published_at=now + timedelta(hours=1))
    make_video(published_at=now + timedelta(hours=2))
    assert Album.objects.next_visibility_change(now) == (now + timedelta(hours=3)).replace(
        microsecond=0
    )
    assert Video.objects.next_visibility_change(now) == (now + timedelta(hours=2)).replace(
        microsecond=0
    )
    assert Album.objects.next_visibility_change(now + timedelta(hours=4)) is None


@pytest.mark.parametrize("url", ["/anh/", "/anh/SLUG/", "/anh/SLUG/2/", "/video/", "/video/V/"])
def test_gallery_pages_are_in_the_page_cache_and_fresh_after_a_save(
    client, make_album, make_video, url
):
    album, video = make_album(), make_video()
    url = url.replace("SLUG", album.slug).replace("/V/", f"/{video.slug}/")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    album.title = "Tên album đã sửa"
    album.save()
    video.title = "Tên video đã sửa"
    video.save()
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "đã sửa" in text(fresh)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_album_saved_in_another_process_is_on_the_cached_pages_at_once(client, make_album):
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    album = make_album("Album trước khi sửa")
    for url in ("/anh/", album.get_absolute_url()):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{db['NAME']}"
    else:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        database_url = (
            f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    code = (
        "from gallery.models import Album; a = Album.objects.get(); "
        "a.title = 'Album sau khi sửa'; a.save()"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": database_url,
    }
    subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        check=True,
        timeout=60,
    )
    for url in ("/anh/", album.get_absolute_url()):
        fresh = client.get(url)
        assert fresh["X-Page-Cache"] == "miss" and "Album sau khi sửa" in text(fresh), url


# -- albums ------------------------------------------------------------------------------


def test_albums_are_listed_newest_first_and_paged_with_trang(client, make_album):
    now = timezone.now()
    for n in range(14):
        make_album(f"Album số {n:02d}", photos=1, published_at=now - timedelta(days=n + 1))
    first = text(client.get("/anh/"))
    assert first.index("Album số 00") < first.index("Album số 01")
    assert "Album số 11" in first and "Album số 12" not in first
    assert 'href="?trang=2"' in first
    second = text(client.get("/anh/?trang=2"))
    assert "Album số 12" in second and "Album số 13" in second and "Album số 00" not in second
    assert "Trang 2" in second.split("</title>")[0]
    assert "Album số 13" in text(client.get("/anh/?trang=cuoi"))
    for page in ("3", "0", "abc", "99999999999999999999"):
        assert client.get(f"/anh/?trang={page}").status_code == 404, page


def test_the_list_shows_each_albums_cover_or_else_its_first_photo_and_its_count(
    client, make_album, make_image
):
    chosen = make_image(alt_text="Ảnh bìa do biên tập viên chọn")
    make_album("Album có ảnh bìa", photos=2, cover=chosen)
    without = make_album("Album không chọn ảnh bìa", photos=4)
    first_photo = without.photos.first().image
    page = text(client.get("/anh/"))
    assert 'alt="Ảnh bìa do biên tập viên chọn"' in page
    assert f'alt="{first_photo.alt_text}"' in page
    assert re.search(r"<span[^>]*>2 ảnh</span>", page) and re.search(
        r"<span[^>]*>4 ảnh</span>", page
    )
    assert first_photo.srcset("webp") in page  # renditions, never the original


def test_an_album_shows_its_photos_in_order_each_linking_to_its_own_page(
    client, make_album, make_image
):
    album = make_album(photos=0, description="Dòng một.\nDòng hai <b>không</b> là HTML.")
    for position, alt in [(3, "Ảnh thứ ba"), (1, "Ảnh thứ nhất"), (2, "Ảnh thứ hai")]:
        AlbumPhoto.objects.create(album=album, image=make_image(alt_text=alt), position=position)
    page = text(client.get(album.get_absolute_url()))
    assert page.index("Ảnh thứ nhất") < page.index("Ảnh thứ hai") < page.index("Ảnh thứ ba")
    for n in (1, 2, 3):
        assert f'href="/anh/{album.slug}/{n}/"' in page
    assert "3 ảnh" in page
    assert "Dòng một.<br>Dòng hai &lt;b&gt;không&lt;/b&gt; là HTML." in page
    assert '<nav class="breadcrumb"' in page and "Album ảnh</a>" in page


def test_each_photo_has_its_page_with_its_caption_and_links_to_the_one_before_and_after(
    client, make_album, make_image
):
    album = make_album(photos=0)
    texts = [("Chú thích riêng trong album", "Thư viện 1"), ("", "Chú thích trong thư viện 2")]
    texts.append(("", "Thư viện 3"))
    for n, (own, library) in enumerate(texts, start=1):
        image = make_image(caption=library, alt_text=f"Mô tả {n}", credit="Ảnh: Thái Bình")
        AlbumPhoto.objects.create(album=album, image=image, caption=own, position=n)

    first = text(client.get(f"/anh/{album.slug}/1/"))
    assert "Ảnh 1/3" in first
    assert "Chú thích riêng trong album – Ảnh: Thái Bình" in first and "Thư viện 1" not in first
    assert 'rel="prev"' not in first
    assert f'<a href="/anh/{album.slug}/2/" rel="next">' in first
    assert f'<link rel="next" href="/anh/{album.slug}/2/">' in first

    middle = text(client.get(f"/anh/{album.slug}/2/"))
    assert "Ảnh 2/3" in middle and "Chú thích trong thư viện 2" in middle
    assert 'alt="Mô tả 2"' in middle
    assert f'<a href="/anh/{album.slug}/1/" rel="prev">' in middle
    assert f'<a href="/anh/{album.slug}/3/" rel="next">' in middle

    last = text(client.get(f"/anh/{album.slug}/3/"))
    assert "Ảnh 3/3" in last and 'rel="next"' not in last
    assert '<script src="/static/js/gallery.js" defer></script>' in last


@pytest.mark.parametrize("number", ["0", "4", "99999999999999999999", "-1", "x"])
def test_a_photo_number_outside_the_album_is_not_found(client, make_album, number):
    album = make_album(photos=3)
    assert client.get(f"/anh/{album.slug}/{number}/").status_code == 404


def test_a_library_photo_without_its_file_is_left_out_of_the_album(client, make_album):
    album = make_album(photos=2)
    AlbumPhoto.objects.create(
        album=album, image=Image.objects.create(caption="Chưa có tệp"), position=9
    )
    page = text(client.get(album.get_absolute_url()))
    assert "2 ảnh" in page and "Chưa có tệp" not in page
    assert "Ảnh 2/2" in text(client.get(f"/anh/{album.slug}/2/"))
    assert client.get(f"/anh/{album.slug}/3/").status_code == 404


def test_an_album_title_makes_a_vietnamese_slug_unique_among_albums(make_album):
    first = make_album("Đoàn công tác thăm Điện Biên", photos=0)
    second = make_album("Đoàn công tác thăm Điện Biên", photos=0)
    assert first.slug == "doan-cong-tac-tham-dien-bien"
    assert second.slug == "doan-cong-tac-tham-dien-bien-2"


def test_an_album_published_without_a_time_is_published_now(make_album):
    album = make_album(photos=0, status=Album.Status.DRAFT)
    album.status = PUBLISHED
    album.save()
    assert album.published_at is not None and Album.objects.published().get() == album
    with pytest.raises(IntegrityError):  # the database holds the rule too
        Album.objects.filter(pk=album.pk).update(published_at=None)


# -- query budgets -----------------------------------------------------------------------


def page_queries(client, url, budget, django_assert_max_num_queries):
    """The queries of one cold page, once the next scheduled change (a lookup per scheduled
    model, made once per change of the site, not per page) is known."""
    from django.core.cache import cache

    from portal.caching.store import next_change_at

    cache.clear()
    next_change_at()
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/anh/", "/video/"])
def test_list_query_count_does_not_grow_with_the_archive(
    client, make_album, make_video, django_assert_max_num_queries, url
):
    counts = []
    for more in (2, 14):
        for n in range(more):
            if url == "/anh/":
                make_album(f"Album {more}-{n}", photos=1)
            else:
                make_video(f"Video {more}-{n}")
        # The frame and the menu (2), the count and the page's rows, and for albums the
        # covers of those without a chosen one.
        counts.append(page_queries(client, url, 5, django_assert_max_num_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("page", ["album", "photo"])
def test_album_query_count_does_not_grow_with_its_photos(
    client, make_album, make_image, django_assert_max_num_queries, page
):
    album = make_album(photos=2)
    counts = []
    for more in (0, 12):
        for n in range(more):
            image = make_image(alt_text=f"Ảnh {n}")
            AlbumPhoto.objects.create(album=album, image=image, position=10 + n)
        url = album.get_absolute_url() if page == "album" else f"/anh/{album.slug}/2/"
        # The frame and the menu (2), the album, its photos (or the three around the one shown).
        counts.append(page_queries(client, url, 4, django_assert_max_num_queries))
    assert counts[0] == counts[1]


# -- videos ------------------------------------------------------------------------------


def test_a_video_plays_in_the_browsers_player_with_its_poster_and_captions(client, make_video):
    video = make_video(
        description="Hội nghị tổng kết công tác năm 2024.",
        transcript="Bộ trưởng: Xin chào các đồng chí.\n\nCảnh hội trường.",
    )
    page = text(client.get(video.get_absolute_url()))
    player = re.search(r"<video [^>]*>.*?</video>", page, re.S).group(0)
    assert 'controls preload="metadata"' in player
    assert f'poster="{video.poster.renditions("jpeg")[-1][0]}"' in player
    assert f'<source src="{video.file.url}" type="video/mp4">' in player
    assert (
        f'<track kind="captions" src="/video/{video.slug}/phu-de.vtt" srclang="vi" '
        'label="Tiếng Việt" default>'
    ) in player
    assert "Lời thoại và mô tả" in page and "Bộ trưởng: Xin chào các đồng chí." in page
    assert f'<a href="{video.file.url}" download>Tải video về máy (MP4,' in page
    assert 'Thời lượng <time datetime="PT1M5S">1:05</time>' in page
    assert '"@type": "VideoObject"' in page


def test_the_text_track_is_served_from_the_site_as_webvtt(client, make_video):
    video = make_video()
    response = client.get(f"/video/{video.slug}/phu-de.vtt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response.content == WEBVTT
    assert client.get(f"/video/{video.slug}/phu-de.vtt")["X-Page-Cache"] == "hit"


def test_videos_are_stored_under_generated_names_with_what_they_are(make_video):
    video = make_video(content=webm_bytes(seconds=3725), name="Lễ kỷ niệm <1>.mp4")
    assert re.fullmatch(r"videos/\d{4}/\d{2}/[0-9a-f]{32}\.webm", video.file.name)
    assert re.fullmatch(r"videos/\d{4}/\d{2}/[0-9a-f]{32}\.vtt", video.captions.name)
    assert video.file_type == "webm" and video.mime_type == "video/webm"
    assert video.original_filename == "Lễ kỷ niệm <1>.mp4"
    assert video.duration == timedelta(hours=1, minutes=2, seconds=5)
    assert video.file_size == len(webm_bytes(seconds=3725))


def test_pages_allow_media_from_the_media_host(client, make_video):
    policy = client.get(make_video().get_absolute_url())["Content-Security-Policy"]
    assert "media-src 'self'" in policy


# -- uploads: checked by content ----------------------------------------------------------


@pytest.fixture
def editor_client(make_user):
    client = Client()
    client.force_login(make_user("editor"))
    return client


def video_form(poster, **overrides):
    data = {
        "title": "Video tải lên",
        "slug": "",
        "description": "",
        "poster": poster.pk,
        "captions_label": "Tiếng Việt",
        "captions_language": "vi",
        "transcript": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "file": SimpleUploadedFile("video.mp4", mp4_bytes()),
        "captions": SimpleUploadedFile("phu-de.vtt", WEBVTT),
    }
    data.update(overrides)
    return data


def form_errors(response):
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    return response.context["adminform"].form.errors


def test_an_editor_uploads_a_video_with_its_captions(editor_client, make_image):
    poster = make_image(alt_text="Ảnh đại diện")
    response = editor_client.post(reverse("admin:gallery_video_add"), video_form(poster))
    assert response.status_code == 302
    video = Video.objects.get()
    assert video.file_type == "mp4" and video.duration == timedelta(seconds=65)
    with video.captions.open("rb") as track:
        assert track.read() == WEBVTT


@pytest.mark.parametrize(
    ("field", "name", "content", "message"),
    [
        (
            "file",
            "bao-cao.mp4",
            b"Day la mot tep van ban, khong phai video.\n" * 20,
            "không phải là video MP4 hoặc WebM",
        ),
        (
            "file",
            "trang.webm",
            b"<!DOCTYPE html><html><body>Hello</body></html>",
            "không phải là video MP4 hoặc WebM",
        ),
        (
            "file",
            "anh.mp4",
            mp4_bytes(brand=b"heic", compatible=(b"mif1", b"heic")),
            "không phải là video MP4 hoặc WebM",
        ),
        (
            "file",
            "phim.webm",
            webm_bytes(doc_type=b"matroska"),
            "không phải là video MP4 hoặc WebM",
        ),
        ("file", "cat-ngang.mp4", mp4_bytes()[:300], "bị hỏng hoặc chưa tải lên hết"),
        (
            "captions",
            "phu-de.vtt",
            "1\n00:00:00,000 --> 00:00:02,000\nXin chào\n".encode(),
            "dòng đầu tiên của tệp là “WEBVTT”",
        ),
        ("captions", "phu-de.vtt", b"WEBVTT\n\n\xff\xfe", "UTF-8"),
        ("captions", "phu-de.vtt", b"WEBVTTX\n", "dòng đầu tiên của tệp là “WEBVTT”"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_with_a_clear_error(
    editor_client, make_image, field, name, content, message
):
    data = video_form(make_image(), **{field: SimpleUploadedFile(name, content)})
    errors = form_errors(editor_client.post(reverse("admin:gallery_video_add"), data))
    assert message in " ".join(errors[field])
    assert not Video.objects.exists()


def test_a_video_larger_than_the_setting_is_refused_before_it_is_read(
    editor_client, make_image, settings
):
    settings.PORTAL_VIDEO_MAX_BYTES = 1000
    data = video_form(make_image())
    errors = form_errors(editor_client.post(reverse("admin:gallery_video_add"), data))
    assert "Tệp video quá lớn" in errors["file"][0] and "1000" in errors["file"][0].replace(".", "")
    assert not Video.objects.exists()


def test_a_video_without_captions_is_refused(editor_client, make_image):
    data = video_form(make_image())
    del data["captions"]
    errors = form_errors(editor_client.post(reverse("admin:gallery_video_add"), data))
    assert "captions" in errors


def test_files_saved_outside_forms_are_checked_too(make_image):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Video.objects.create(
            title="Qua đường khác",
            poster=make_image(),
            file=ContentFile(b"<html></html>", name="x.mp4"),
            captions=ContentFile(WEBVTT, name="x.vtt"),
        )
    assert not Video.objects.exists()


@pytest.mark.parametrize(
    ("content", "kind", "seconds"),
    [
        (mp4_bytes(seconds=7), "mp4", 7),
        (mp4_bytes(brand=b"mp42", compatible=(b"mp42", b"isom")), "mp4", 65),
        (webm_bytes(seconds=12), "webm", 12),
    ],
)
def test_real_video_structures_are_recognised_with_their_length(content, kind, seconds):
    info = inspect_video(SimpleUploadedFile("x", content))
    assert info.kind == kind and info.duration == timedelta(seconds=seconds)


# -- media with byte ranges ----------------------------------------------------------------


@pytest.fixture
def media_file(settings, tmp_path):
    from django.urls import re_path

    from portal.media import serve

    settings.MEDIA_ROOT = tmp_path
    data = mp4_bytes(padding=10_000)
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "phim.mp4").write_bytes(data)

    class URLs:
        urlpatterns = [
            re_path(r"^media/(?P<path>.*)$", serve, {"document_root": tmp_path}),
            *import_module("portal.urls").urlpatterns,
        ]

    settings.ROOT_URLCONF = URLs
    return data


def ranged(client, header, **extra):
    # A browser's player asks for the file's own bytes (Accept-Encoding: identity).
    extra.setdefault("HTTP_ACCEPT_ENCODING", "identity")
    return client.get("/media/videos/phim.mp4", HTTP_RANGE=header, **extra)


def body(response):
    return b"".join(response.streaming_content)


def test_a_range_request_on_a_video_gets_206_with_its_content_range(client, media_file):
    size = len(media_file)
    response = ranged(client, "bytes=100-1099")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-1099/{size}"
    assert response["Content-Length"] == "1000"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == media_file[100:1100]

    open_ended = ranged(client, "bytes=5000-")
    assert open_ended["Content-Range"] == f"bytes 5000-{size - 1}/{size}"
    assert body(open_ended) == media_file[5000:]
    last = ranged(client, "bytes=-10")
    assert last["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    assert body(last) == media_file[-10:]


def test_without_a_range_the_whole_file_says_ranges_are_accepted(client, media_file):
    response = client.get("/media/videos/phim.mp4", HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert body(response) == media_file


def test_a_range_past_the_end_gets_416_and_a_bad_one_the_whole_file(client, media_file):
    past = ranged(client, f"bytes={len(media_file)}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(media_file)}"
    for header in ("bytes=0-1,5-9", "items=0-9", "bytes=9-1", "bytes=-"):
        whole = ranged(client, header)
        assert whole.status_code == 200 and body(whole) == media_file, header
    stale = ranged(client, "bytes=0-9", HTTP_IF_RANGE="Wed, 21 Oct 2015 07:28:00 GMT")
    assert stale.status_code == 200 and body(stale) == media_file
    compressed = ranged(client, "bytes=0-9", HTTP_ACCEPT_ENCODING="gzip")
    assert compressed.status_code == 200 and "Content-Range" not in compressed
    compressed.close()


def test_a_missing_media_file_is_404(client, media_file):
    assert client.get("/media/videos/khong-co.mp4").status_code == 404
    assert client.get("/media/../settings.py").status_code in (400, 404)


@pytest.mark.slow
def test_make_run_serves_media_with_ranges():
    from tests.conftest import settings_probe

    found = settings_probe(
        "from django.urls import resolve; print(resolve('/media/videos/x.mp4').func.__module__)",
        DJANGO_DEBUG="1",
    )
    assert found == "portal.media"


# -- who may do what --------------------------------------------------------------------------


def album_form(album=None, photos=(), **overrides):
    data = {
        "title": album.title if album else "Album mới",
        "slug": album.slug if album else "",
        "description": "",
        "cover": "",
        "status": album.status if album else "draft",
        "published_at_0": "",
        "published_at_1": "",
        "photos-TOTAL_FORMS": str(len(photos)),
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    for n, (image, caption) in enumerate(photos):
        data.update(
            {
                f"photos-{n}-image": image.pk,
                f"photos-{n}-caption": caption,
                f"photos-{n}-position": n,
            }
        )
    data.update(overrides)
    return data


def test_an_editor_makes_and_publishes_an_album_of_library_photos(editor_client, make_image):
    images = [make_image(alt_text="Mô tả 1"), make_image(caption="Chú thích 2")]
    data = album_form(photos=[(images[0], "Chú thích riêng"), (images[1], "")], status="published")
    response = editor_client.post(reverse("admin:gallery_album_add"), data)
    assert response.status_code == 302
    album = Album.objects.published().get()
    assert album.slug == "album-moi"
    assert [(p.image, p.shown_caption) for p in album.photos.all()] == [
        (images[0], "Chú thích riêng"),
        (images[1], "Chú thích 2"),
    ]
    history = editor_client.get(reverse("admin:gallery_album_history", args=[album.pk]))
    assert history.status_code == 200


def test_an_album_is_not_published_with_a_photo_that_says_nothing_to_a_blind_reader(
    editor_client, make_image
):
    silent = make_image()
    data = album_form(photos=[(silent, "")], status="published")
    response = editor_client.post(reverse("admin:gallery_album_add"), data)
    assert response.status_code == 200
    assert "cần văn bản thay thế" in response.content.decode()
    assert not Album.objects.exists()
    empty = editor_client.post(reverse("admin:gallery_album_add"), album_form(status="published"))
    assert "ít nhất một ảnh" in empty.content.decode()


def test_a_reporter_makes_a_draft_album_but_cannot_publish_it(make_user, make_image):
    reporter = Client()
    reporter.force_login(make_user("reporter"))
    photo = make_image(alt_text="Mô tả")
    form = reporter.get(reverse("admin:gallery_album_add")).content.decode()
    assert 'value="published"' not in form

    refused = reporter.post(
        reverse("admin:gallery_album_add"), album_form(photos=[(photo, "")], status="published")
    )
    assert refused.status_code == 200 and not Album.objects.exists()

    saved = reporter.post(
        reverse("admin:gallery_album_add"), album_form(photos=[(photo, "")], status="pending")
    )
    assert saved.status_code == 302
    album = Album.objects.get()
    assert album.status == Album.Status.PENDING and not Album.objects.published().exists()
    publish = reporter.post(
        reverse("admin:gallery_album_change", args=[album.pk]),
        album_form(album, status="published"),
    )
    album.refresh_from_db()
    assert publish.status_code == 200 and album.status == Album.Status.PENDING


def test_a_reporter_cannot_change_a_published_album_or_anyone_elses(make_user, make_album):
    reporter_user = make_user("reporter")
    reporter = Client()
    reporter.force_login(reporter_user)
    published = make_album("Album đã xuất bản", created_by=reporter_user)
    others = make_album(
        "Album của người khác", status=Album.Status.DRAFT, created_by=make_user("editor")
    )
    for album in (published, others):
        url = reverse("admin:gallery_album_change", args=[album.pk])
        assert reporter.post(url, album_form(album, title="Sửa trộm")).status_code == 403
        album.refresh_from_db()
        assert album.title != "Sửa trộm"
    delete = reverse("admin:gallery_album_delete", args=[others.pk])
    assert reporter.post(delete, {"post": "yes"}).status_code == 403
    assert Album.objects.filter(pk=others.pk).exists()


def test_a_reporter_cannot_publish_a_video(make_user, make_image):
    reporter = Client()
    reporter.force_login(make_user("reporter"))
    response = reporter.post(
        reverse("admin:gallery_video_add"), video_form(make_image(), status="published")
    )
    assert "status" in form_errors(response)
    assert not Video.objects.exists()


def test_anonymous_readers_cannot_reach_the_gallery_admin(client, make_album):
    album = make_album()
    for url in (
        reverse("admin:gallery_album_changelist"),
        reverse("admin:gallery_album_change", args=[album.pk]),
        reverse("admin:gallery_video_add"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_the_roles_migration_gives_editors_publishing_and_reporters_drafts(make_user):
    editor, reporter = make_user("editor"), make_user("reporter")
    assert editor.has_perm("gallery.publish_album") and editor.has_perm("gallery.delete_video")
    assert reporter.has_perm("gallery.add_album") and reporter.has_perm("gallery.change_video")
    assert not reporter.has_perm("gallery.publish_album")
    assert not reporter.has_perm("gallery.publish_video")
    assert not reporter.has_perm("gallery.delete_album")


# -- the English side, the sitemap and hostile URLs ------------------------------------------


def test_the_pages_exist_on_the_english_side_with_the_vietnamese_text(
    client, make_album, make_video
):
    album, video = make_album("Album tiếng Việt"), make_video("Video tiếng Việt")
    with translation.override("en"):
        urls = [
            reverse("gallery:album-list"),
            album.get_absolute_url(),
            album.photo_url(1),
            reverse("gallery:video-list"),
            video.get_absolute_url(),
        ]
    for url in urls:
        assert url.startswith("/en/"), url
        page = text(client.get(url))
        assert '<html lang="en"' in page
        assert 'lang="vi"' in page and "tiếng Việt" in page
        assert 'hreflang="vi"' in page


def test_the_sitemap_lists_published_albums_and_videos_only(client, make_album, make_video):
    album, video = make_album(), make_video()
    draft = make_album("Album nháp", status=Album.Status.DRAFT)
    sitemap = text(client.get("/sitemap.xml"))
    for url in (album.get_absolute_url(), video.get_absolute_url(), "/anh/", "/video/"):
        assert f"{url}</loc>" in sitemap
    assert draft.get_absolute_url() not in sitemap


def test_the_footer_links_to_the_albums_and_the_videos(client, make_album):
    page = text(client.get(make_album().get_absolute_url()))
    assert '<a href="/anh/">Album ảnh</a>' in page and '<a href="/video/">Video</a>' in page


@pytest.mark.slow
def test_no_hostile_gallery_url_gets_a_server_error(make_album, make_video):
    make_album(title="Xa hoi", photos=2)
    make_video(title="Xa hoi")
    client = Client(raise_request_exception=False)
    prefixes = ("/anh/", "/video/", "/en/photos/", "/en/videos/")
    urls = [url for url in hostile_urls(2500) if url.startswith(prefixes)]
    assert len(urls) > 100
    failures = [(url, status) for url in urls if (status := client.get(url).status_code) >= 500]
    assert not failures, failures[:20]


@override_settings(PORTAL_PAGE_CACHE_SECONDS=0)
def test_gallery_pages_have_a_title_and_breadcrumbs(client, make_album, make_video):
    album, video = make_album(), make_video()
    pages = {
        "/anh/": "Album ảnh –",
        album.get_absolute_url(): f"{album.title} – Album ảnh –",
        album.photo_url(1): f"Ảnh 1/3 – {album.title} –",
        "/video/": "Video –",
        video.get_absolute_url(): f"{video.title} – Video –",
    }
    for url, title in pages.items():
        page = text(client.get(url))
        assert re.search(r"<title>(.*?)</title>", page, re.S).group(1).startswith(title), url
        assert '<nav class="breadcrumb"' in page and ">Trang chủ</a>" in page, url


def test_the_gallery_admin_pages_open_for_an_editor(editor_client, make_album, make_video):
    album, video = make_album(), make_video()
    for url in (
        reverse("admin:gallery_album_changelist"),
        reverse("admin:gallery_album_add"),
        reverse("admin:gallery_album_change", args=[album.pk]),
        reverse("admin:gallery_video_changelist"),
        reverse("admin:gallery_video_add"),
        reverse("admin:gallery_video_change", args=[video.pk]),
    ):
        assert editor_client.get(url).status_code == 200, url
    change = editor_client.get(reverse("admin:gallery_album_change", args=[album.pk]))
    assert "Ảnh trong album" in change.content.decode()
    listing = editor_client.get(reverse("admin:gallery_video_changelist")).content.decode()
    assert "1:05" in listing and "Đang hiển thị" in listing


def test_photos_are_picked_from_the_library_by_searching(editor_client, make_image):
    make_image(caption="Lễ kỷ niệm ngày Thương binh – Liệt sĩ")
    found = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "gallery",
            "model_name": "albumphoto",
            "field_name": "image",
            "term": "kỷ niệm",
        },
    ).json()
    assert [item["text"] for item in found["results"]] == ["Lễ kỷ niệm ngày Thương binh – Liệt sĩ"]
