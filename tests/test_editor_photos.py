"""Photos typed once (issue 19, points 2 and 4): what is typed beside a photo in the editor
reaches its library record, library photos are inserted without a new upload, and a photo
without its file leaves no empty frame."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news.editor import LIBRARY_PAGE_SIZE, BodyEditorWidget
from news.models import Article, Image
from news.sanitize import sanitize_html
from tests.conftest import article_form_data

pytestmark = pytest.mark.django_db

LIBRARY = "/bien-tap/thu-vien-anh/"
ROOT = Path(__file__).resolve().parent.parent
ALT = "Thứ trưởng phát biểu tại hội nghị trực tuyến"
CAPTION = "Thứ trưởng Lê Văn Thanh phát biểu tại hội nghị"


@pytest.fixture
def photo(image_upload):
    """A library photo uploaded from the editor: a file, no caption, no alternative text."""

    def build(name="anh.jpg", size=(64, 48), **fields):
        image = Image(file=image_upload(name, size=size), original_filename=name, **fields)
        image.save()
        return image

    return build


def figure(image, alt=ALT, caption=CAPTION):
    """CKEditor 5's markup for a captioned photo."""
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return (
        f'<figure class="image"><img src="{image.file.url}" alt="{alt}" width="64" height="48">'
        f"{caption_html}</figure>"
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


# -- the caption and alternative text typed in the editor reach the library --------------


def test_the_caption_and_alt_text_typed_in_the_body_reach_the_library(photo, make_article):
    image = photo()
    make_article(status=Article.Status.DRAFT, body=f"<p>Mở đầu.</p>{figure(image)}")
    image.refresh_from_db()
    assert image.alt_text == ALT
    assert image.caption == CAPTION


def test_a_save_reads_the_library_once_for_the_body_photo_and_its_text(
    photo, make_article, django_assert_num_queries
):
    image = photo()
    article = make_article(status=Article.Status.DRAFT, body="<p>Mở đầu.</p>")
    article.body = f"<p>Mở đầu.</p>{figure(image)}"
    with django_assert_num_queries(4) as captured:  # the photos, the article, its tags, the text
        article.save()
    assert [q["sql"] for q in captured if '"news_image"' in q["sql"]][0].startswith("SELECT")
    assert len([q for q in captured if q["sql"].startswith('SELECT "news_image"')]) == 1
    image.refresh_from_db()
    assert (article.body_image, image.alt_text) == (image, ALT)


def test_text_the_library_has_is_never_replaced(photo, make_article):
    image = photo(alt_text="Mô tả của thư viện")
    make_article(status=Article.Status.DRAFT, body=figure(image, alt="Mô tả khác", caption="Mới"))
    image.refresh_from_db()
    assert image.alt_text == "Mô tả của thư viện"  # kept
    assert image.caption == "Mới"  # was empty: filled

    other = photo("khac.jpg", size=(50, 40), caption="Chú thích của thư viện")
    make_article(status=Article.Status.DRAFT, body=figure(other, caption="Chú thích khác"))
    other.refresh_from_db()
    assert other.caption == "Chú thích của thư viện"
    assert other.alt_text == ALT


def test_the_first_figure_of_a_photo_gives_its_text_and_line_breaks_become_spaces(
    photo, make_article
):
    image = photo()
    body = figure(image, alt="", caption="Dòng một<br>dòng hai") + figure(image, alt="Mô tả sau")
    make_article(status=Article.Status.DRAFT, body=body)
    image.refresh_from_db()
    assert image.caption == "Dòng một dòng hai"
    assert image.alt_text == "Mô tả sau"


def test_an_imported_photo_is_found_by_its_id(make_article):
    image = Image.objects.create(original_filename="thieu.jpg")
    body = f'<figure class="image"><img src="" alt="Lễ ký" data-image-id="{image.pk}"></figure>'
    make_article(status=Article.Status.DRAFT, body=body)
    image.refresh_from_db()
    assert image.alt_text == "Lễ ký"


def test_a_reporter_does_not_change_a_photo_a_published_article_shows(
    make_user, photo, make_article, category
):
    """The library's own rule (news.permissions.can_change_image) holds here too."""
    editor, reporter = make_user("editor"), make_user("reporter")
    image = photo(uploaded_by=editor)
    make_article(title="Đã đăng", featured_image=image, body="<p>Đã đăng.</p>")
    response = client_for(reporter).post(
        reverse("admin:news_article_add"),
        article_form_data(
            Article(title="Bản nháp của phóng viên", category=category, status="draft"),
            body=figure(image),
        ),
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.caption) == ("", "")


def test_choosing_the_photo_as_featured_image_then_succeeds(make_user, photo, make_article):
    editor = make_user("editor")
    image = photo()
    article = make_article(status=Article.Status.DRAFT, body=figure(image))
    article.refresh_from_db()
    response = client_for(editor).post(
        reverse("admin:news_article_change", args=[article.pk]),
        article_form_data(article, featured_image=image.pk, status="published"),
    )
    assert response.status_code == 302, page_text(response)[:3000]
    article.refresh_from_db()
    assert article.featured_image == image
    assert article.status == Article.Status.PUBLISHED


def test_a_photo_described_and_chosen_in_the_same_save_is_published(make_user, photo, make_article):
    """The alt text typed in the body counts before the save that gives it to the library."""
    editor = make_user("editor")
    image = photo()
    article = make_article(status=Article.Status.DRAFT)
    article.refresh_from_db()
    response = client_for(editor).post(
        reverse("admin:news_article_change", args=[article.pk]),
        article_form_data(article, body=figure(image), featured_image=image.pk, status="published"),
    )
    assert response.status_code == 302, page_text(response)[:3000]
    image.refresh_from_db()
    assert image.alt_text == ALT
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_a_featured_image_nobody_described_is_still_refused(make_user, photo, make_article):
    editor = make_user("editor")
    image = photo()
    article = make_article(status=Article.Status.DRAFT, body=figure(image, alt=""))
    article.refresh_from_db()
    response = client_for(editor).post(
        reverse("admin:news_article_change", args=[article.pk]),
        article_form_data(article, featured_image=image.pk, status="published"),
    )
    assert "cần văn bản thay thế" in page_text(response)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


# -- the library, for the editor's "Chèn ảnh từ thư viện" -------------------------------


def test_the_library_lists_photos_with_their_text_newest_first(staff_client, photo):
    older = photo("cu.jpg", caption="Ảnh cũ", alt_text="Mô tả cũ", credit="Ảnh: Thái Bình")
    newer = photo("moi.jpg", size=(80, 60), caption="Ảnh mới")
    Image.objects.create(original_filename="thieu-tep.jpg", caption="Ảnh thiếu tệp")

    response = staff_client.get(LIBRARY)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    answer = response.json()
    assert [item["id"] for item in answer["results"]] == [newer.pk, older.pk]
    assert answer["more"] is False
    item = answer["results"][1]
    assert item["src"] == older.file.url
    assert item["thumbnail"] == older.renditions("jpeg")[0][0]
    assert (item["alt"], item["caption"], item["credit"]) == (
        "Mô tả cũ",
        "Ảnh cũ",
        "Ảnh: Thái Bình",
    )
    assert (item["width"], item["height"]) == (64, 48)
    assert "Ảnh thiếu tệp" not in response.content.decode("unicode_escape")


def test_the_library_is_searched_by_every_word(staff_client, photo):
    photo("hoi-nghi.jpg", caption="Hội nghị việc làm thanh niên")
    photo("le-ky.jpg", size=(50, 40), alt_text="Lễ ký kết hợp tác")
    found = staff_client.get(LIBRARY, {"q": "việc làm"}).json()["results"]
    assert [item["caption"] for item in found] == ["Hội nghị việc làm thanh niên"]
    found = staff_client.get(LIBRARY, {"q": "le-ky"}).json()["results"]
    assert [item["alt"] for item in found] == ["Lễ ký kết hợp tác"]
    assert staff_client.get(LIBRARY, {"q": "không có"}).json()["results"] == []


def test_the_library_comes_in_pages(staff_client, photo, settings):
    for n in range(LIBRARY_PAGE_SIZE + 2):
        photo(f"anh-{n}.jpg", size=(20 + n, 20))
    first = staff_client.get(LIBRARY).json()
    assert len(first["results"]) == LIBRARY_PAGE_SIZE and first["more"] is True
    second = staff_client.get(LIBRARY, {"trang": "2"}).json()
    assert len(second["results"]) == 2 and second["more"] is False
    assert not {i["id"] for i in first["results"]} & {i["id"] for i in second["results"]}
    assert staff_client.get(LIBRARY, {"trang": "-1"}).json()["page"] == 1


def test_the_library_is_for_staff_who_may_see_it(client, django_user_model, make_user, photo):
    photo(caption="Ảnh nội bộ")
    response = client.get(LIBRARY)
    assert response.status_code == 403
    assert "đăng nhập" in response.json()["error"]["message"]

    visitor = django_user_model.objects.create_user("khach", password="x", is_staff=True)
    response = client_for(visitor).get(LIBRARY)
    assert response.status_code == 403
    assert "không có quyền xem thư viện ảnh" in response.json()["error"]["message"]

    not_staff = django_user_model.objects.create_user("bandoc", password="x")
    assert client_for(not_staff).get(LIBRARY).status_code == 403

    reporter = make_user("reporter")  # the newsroom's reporters see the library
    assert client_for(reporter).get(LIBRARY).json()["results"][0]["caption"] == "Ảnh nội bộ"


def test_the_library_answers_get_only(staff_client):
    assert staff_client.post(LIBRARY).status_code == 405


def test_a_photo_inserted_from_the_library_survives_the_sanitiser(photo):
    image = photo()
    inserted = (
        f'<figure class="image"><img style="aspect-ratio:64/48;" src="{image.file.url}" '
        f'alt="{ALT}" width="64" height="48"><figcaption>{CAPTION}</figcaption></figure>'
    )
    assert sanitize_html(inserted) == figure(image)


def test_the_article_form_has_the_library_panel_beside_the_editor(staff_client):
    page = page_text(staff_client.get(reverse("admin:news_article_add")))
    tools = page.split('class="body-editor-tools"', 1)[1].split("</section>", 1)[0]
    assert 'data-body-editor="id_body"' in tools
    assert f'data-library-url="{LIBRARY}"' in tools
    assert "Chèn ảnh từ thư viện" in tools
    assert 'role="alert"' in tools  # where upload errors are shown


# -- the toolbar's alternative-text button -----------------------------------------------


def test_the_alt_text_button_is_named_for_what_it_does(staff_client):
    script = (ROOT / "static/js/ckeditor5-vi.js").read_text(encoding="utf-8")
    assert '"Change image text alternative": "Mô tả ảnh cho người khiếm thị"' in script
    # Loaded after the package's own Vietnamese translation, which would otherwise win.
    page = page_text(staff_client.get(reverse("admin:news_article_add")))
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    package = static("django_ckeditor_5/dist/translations/vi.js")
    assert scripts.index(package) < scripts.index(static("js/ckeditor5-vi.js"))
    assert "js/ckeditor5-vi.js" in BodyEditorWidget().media._js


# -- no empty frames ---------------------------------------------------------------------


def article_body(client, article):
    page = page_text(client.get(article.get_absolute_url()))
    return page.split('<div class="article__body">', 1)[1].split("</div>", 1)[0]


def test_a_photo_without_its_file_shows_its_caption_as_text(client, make_article, photo):
    missing = Image.objects.create(original_filename="thieu.jpg", caption="Quang cảnh hội nghị")
    uncaptioned = Image.objects.create(original_filename="thieu-2.jpg")
    present = photo()
    article = make_article(
        body=(
            "<p>Mở đầu.</p>"
            f'<figure class="image"><img src="" alt="Quang cảnh" data-image-id="{missing.pk}">'
            "<figcaption>Quang cảnh <strong>hội nghị</strong></figcaption></figure>"
            f'<figure class="image"><img src="" alt="" data-image-id="{uncaptioned.pk}"></figure>'
            f"{figure(present)}"
            "<p>Kết thúc.</p>"
        )
    )
    body = article_body(client, article)
    assert '<p class="caption">Quang cảnh <strong>hội nghị</strong></p>' in body
    assert body.count("<figure") == 1  # the photo that is there, and only it
    assert "<picture>" in body and f"<figcaption>{CAPTION}</figcaption>" in body
    assert 'src=""' not in body
    assert "<p>Mở đầu.</p>" in body and "<p>Kết thúc.</p>" in body


def test_the_saved_copy_of_an_article_shows_no_empty_frame(client, make_article, photo):
    """ "Lưu bài viết" gives the reader the article as a file: the same figures as the page."""
    missing = Image.objects.create(original_filename="thieu.jpg", caption="Quang cảnh hội nghị")
    present = photo()
    article = make_article(
        body=(
            f'<figure class="image"><img src="" alt="Quang cảnh" data-image-id="{missing.pk}">'
            "<figcaption>Quang cảnh hội nghị</figcaption></figure>"
            f"{figure(present)}"
        )
    )
    day = timezone.localtime(article.published_at)
    url = reverse(
        "news:article-download",
        kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": article.slug},
    )
    saved = page_text(client.get(url))
    assert '<p class="caption">Quang cảnh hội nghị</p>' in saved
    assert saved.count("<figure") == 1 and 'src=""' not in saved
    assert f"<figcaption>{CAPTION}</figcaption>" in saved


def test_an_image_without_an_address_leaves_no_frame_and_tables_are_left_alone(
    client, make_article
):
    article = make_article(
        body=(
            '<figure class="image"><img alt="Không có địa chỉ"><figcaption>Chú thích</figcaption>'
            '</figure><figure class="table"><table><tbody><tr><td>Ô</td></tr></tbody></table>'
            "</figure>"
        )
    )
    body = article_body(client, article)
    assert '<p class="caption">Chú thích</p>' in body
    assert '<figure class="table"><table>' in body
    assert "<img" not in body


def test_the_seed_articles_show_no_empty_frames(client, category):
    """The seed pages' photos are not in the repository: their captions stand as text."""
    call_command(
        "import_articles",
        str(ROOT / "fixtures" / "seeds"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    articles = list(Article.objects.published())
    assert articles and Image.objects.missing_file().exists()
    for article in articles:
        body = article_body(client, article)
        for frame in re.findall(r"<figure\b.*?</figure>", body, re.S):
            assert "<img" in frame or "<table" in frame, frame


# -- photos without a file in the library --------------------------------------------------


def test_the_library_marks_photos_without_a_file(staff_client, photo):
    Image.objects.create(original_filename="thieu-tep.jpg", caption="Ảnh thiếu")
    photo("du.jpg", caption="Ảnh đủ")
    listing = page_text(staff_client.get(reverse("admin:news_image_changelist")))
    row = listing.split("thieu-tep.jpg", 1)[0].rsplit("<tr", 1)[1]
    assert "Thiếu tệp ảnh" in row
    assert listing.count("Thiếu tệp ảnh") == 2  # the row and the filter's choice
    only_missing = page_text(
        staff_client.get(reverse("admin:news_image_changelist"), {"tep": "thieu"})
    )
    assert "thieu-tep.jpg" in only_missing and "du.jpg" not in only_missing


def test_a_photo_without_a_file_cannot_be_chosen_as_featured_image(make_user, make_article, photo):
    editor = make_user("editor")
    missing = Image.objects.create(original_filename="thieu.jpg", alt_text="Có mô tả")
    article = make_article(status=Article.Status.DRAFT)
    article.refresh_from_db()
    response = client_for(editor).post(
        reverse("admin:news_article_change", args=[article.pk]),
        article_form_data(article, featured_image=missing.pk),
    )
    page = page_text(response)
    assert "chưa có tệp ảnh trong thư viện nên không thể làm ảnh đại diện" in page
    row = re.search(r'<div class="form-row[^"]*field-featured_image.*?</ul>', page, re.S)
    assert "errorlist" in row.group(0) and "không thể làm ảnh đại diện" in row.group(0)
    article.refresh_from_db()
    assert article.featured_image is None


def test_an_article_that_already_has_it_may_still_be_saved(make_user, make_article):
    """An imported article keeps the photo it was given until its file arrives."""
    editor = make_user("editor")
    missing = Image.objects.create(original_filename="thieu.jpg", alt_text="Có mô tả")
    article = make_article(featured_image=missing)
    article.refresh_from_db()
    response = client_for(editor).post(
        reverse("admin:news_article_change", args=[article.pk]),
        article_form_data(article, title="Tiêu đề đã sửa"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tiêu đề đã sửa"


def test_the_featured_image_search_offers_only_photos_with_a_file(staff_client, photo):
    Image.objects.create(original_filename="thieu.jpg", caption="Hội nghị thiếu tệp")
    photo("du.jpg", caption="Hội nghị có tệp")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Hội nghị",
            "app_label": "news",
            "model_name": "article",
            "field_name": "featured_image",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["Hội nghị có tệp"]
