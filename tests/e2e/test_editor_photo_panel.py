"""Photos in the editor, in a browser: described once, inserted from the library without a new
upload, and upload errors shown beside the editor instead of in an alert box (issue 19)."""

import io

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from playwright.sync_api import expect

from news.models import Article, Image

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Bộ tổ chức hội nghị trực tuyến về việc làm cho thanh niên"
CAPTION = "Thứ trưởng phát biểu tại hội nghị việc làm"
ALT_TEXT = "Thứ trưởng đứng phát biểu trước hội trường đông người"
UPLOAD = reverse("news:editor-image-upload")
FILE_INPUT = ".ck-file-dialog-button input[type=file]"


def choose_in_autocomplete(page, field, text):
    """An admin autocomplete (select2): open it, type, pick."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill(text[:3])
    page.locator(".select2-results__option", has_text=text).click()


def start_article(page, category):
    page.goto(reverse("admin:news_article_add"))
    page.locator("#id_title").fill(TITLE)
    choose_in_autocomplete(page, "category", category.name)
    editor = page.locator(".ck-editor__editable_inline")
    editor.click()
    page.keyboard.type("Hội nghị bàn về việc làm cho thanh niên.")
    page.keyboard.press("Enter")
    return editor


def picture_file(name, fmt="JPEG", size=(800, 500)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 90, 160)).save(buffer, fmt)
    return {"name": name, "mimeType": f"image/{fmt.lower()}", "buffer": buffer.getvalue()}


def save_and_continue(page):
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".messagelist .success")).to_contain_text("thành công")


def test_the_photo_described_in_the_editor_can_then_be_the_featured_image(
    open_page, make_user, category
):
    page = open_page(user=make_user("editor"))
    editor = start_article(page, category)
    with page.expect_response(lambda response: response.url.endswith(UPLOAD)) as uploaded:
        page.locator(FILE_INPUT).set_input_files(picture_file("hoi-nghi.jpg"))
    assert uploaded.value.status == 200
    picture = editor.locator("figure.image img")
    expect(picture).to_have_attribute("src", Image.objects.get().file.url)

    # The toolbar's button says what it is for.
    picture.click()
    expect(page.get_by_role("button", name="Đổi chữ alt của ảnh")).to_have_count(0)
    page.get_by_role("button", name="Mô tả ảnh cho người khiếm thị").click()
    alt_field = page.locator(".ck-text-alternative-form input")
    alt_field.fill(ALT_TEXT)
    alt_field.press("Enter")
    picture.click()
    page.get_by_role("button", name="Hiện chú thích").click()
    page.keyboard.type(CAPTION)
    save_and_continue(page)

    image = Image.objects.get()
    assert (image.alt_text, image.caption) == (ALT_TEXT, CAPTION)

    # Chosen as the featured image, it is published without a word about alternative text.
    choose_in_autocomplete(page, "featured_image", CAPTION)
    page.locator("#id_status").select_option(Article.Status.PUBLISHED)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("thành công")
    article = Article.objects.get(title=TITLE)
    assert article.featured_image == image
    assert article.status == Article.Status.PUBLISHED


def test_an_editor_inserts_a_library_photo_into_the_body_and_saves(
    open_page, make_user, category, image_upload
):
    photo = Image(file=image_upload("hoi-nghi.jpg", size=(800, 500)), caption=CAPTION)
    photo.alt_text = ALT_TEXT
    photo.save()
    other = Image(file=image_upload("le-ky.jpg", size=(300, 200)), caption="Lễ ký kết hợp tác")
    other.save()
    Image.objects.create(original_filename="thieu.jpg", caption="Ảnh thiếu tệp")
    page = open_page(user=make_user("editor"))
    uploads = []
    page.on("request", lambda request: uploads.append(request) if UPLOAD in request.url else None)
    editor = start_article(page, category)

    page.get_by_role("button", name="Chèn ảnh từ thư viện").click()
    panel = page.get_by_role("region", name="Chèn ảnh từ thư viện")
    items = panel.locator(".image-library__item")
    expect(items).to_have_count(2)  # the photo without a file is not offered
    expect(panel).not_to_contain_text("Ảnh thiếu tệp")
    search = panel.get_by_label("Tìm theo chú thích, mô tả hoặc tên tệp")
    search.fill("hội nghị")
    search.press("Enter")  # searches; does not submit the article form
    expect(items).to_have_count(1)
    expect(page.locator(".messagelist, .errornote:visible")).to_have_count(0)
    items.get_by_text(CAPTION).click()

    inserted = editor.locator("figure.image")
    expect(inserted.locator("img")).to_have_attribute("src", photo.file.url)
    expect(inserted.locator("img")).to_have_attribute("alt", ALT_TEXT)
    expect(inserted.locator("figcaption")).to_have_text(CAPTION)
    expect(panel.get_by_role("status")).to_contain_text(f"Đã chèn ảnh “{CAPTION}”")
    save_and_continue(page)

    article = Article.objects.get(title=TITLE)
    assert f'<img src="{photo.file.url}" alt="{ALT_TEXT}"' in article.body
    assert f"<figcaption>{CAPTION}</figcaption>" in article.body
    assert not uploads, "the library photo was uploaded again"
    assert Image.objects.count() == 3


def test_an_upload_error_is_shown_beside_the_editor_not_in_an_alert(
    open_page, make_user, category, browser_log
):
    browser_log.expect_console_error(r"status of 400")
    page = open_page(user=make_user("editor"))
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    editor = start_article(page, category)

    with page.expect_response(lambda response: response.url.endswith(UPLOAD)) as uploaded:
        page.locator(FILE_INPUT).set_input_files(picture_file("so-do.bmp", fmt="BMP"))
    assert uploaded.value.status == 400
    message = page.locator(".body-editor-tools").get_by_role("alert")
    expect(message).to_be_visible()
    expect(message).to_have_text(
        "Không tải được ảnh “so-do.bmp” lên. Định dạng BMP không được phép. Chỉ nhận ảnh JPEG, "
        "PNG, WebP hoặc GIF."
    )
    expect(editor.locator("figure")).to_have_count(0)
    assert dialogs == []
    assert not Image.objects.exists()

    # A failure with no word from the portal (a proxy's refusal) is explained in Vietnamese too,
    # and the next upload clears the message once it starts.
    page.route(f"**{UPLOAD}", lambda route: route.fulfill(status=413, body="<html>413</html>"))
    browser_log.expect_console_error(r"status of 413")
    page.locator(FILE_INPUT).set_input_files(picture_file("rat-lon.jpg"))
    expect(message).to_have_text(
        "Không tải được ảnh “rat-lon.jpg” lên. Tệp quá lớn so với giới hạn của máy chủ."
    )
    page.unroute(f"**{UPLOAD}")
    with page.expect_response(lambda response: response.url.endswith(UPLOAD)):
        page.locator(FILE_INPUT).set_input_files(picture_file("dung.jpg"))
    expect(message).to_be_hidden()
    expect(editor.locator("figure.image img")).to_have_count(1)
    assert dialogs == []
