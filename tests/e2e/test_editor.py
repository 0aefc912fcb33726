"""The newsroom in a browser: an editor writes and publishes in CKEditor; a reporter cannot."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from news.models import Article, Image

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Hướng dẫn mới về chính sách hỗ trợ người lao động mất việc làm"
CAPTION = "Người lao động tìm hiểu chính sách tại hội nghị"
ALT_TEXT = "Đại biểu ngồi nghe báo cáo tại hội trường"
PASSWORD = "mat-khau-1"  # make_user's


def log_in_with_form(page, username):
    page.goto(reverse("admin:index"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:index")) + "$"))
    expect(page.locator("#logout-form")).to_have_count(1)


def choose_category(page, name):
    """The category field is the admin's autocomplete (select2): open it, type, pick."""
    page.locator("#id_category + .select2 .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill(name[:3])
    page.locator(".select2-results__option", has_text=name).click()


def test_editor_writes_previews_and_publishes_an_article_in_ckeditor(
    open_page, make_user, category, image_upload, live_url
):
    make_user("editor", username="bientapvien")
    page = open_page()
    log_in_with_form(page, "bientapvien")

    page.goto(reverse("admin:news_article_add"))
    page.locator("#id_title").fill(TITLE)
    choose_category(page, category.name)
    page.locator("#id_lead").fill("Bộ hướng dẫn các địa phương triển khai chính sách mới.")

    editor = page.locator(".ck-editor__editable_inline")
    bold = page.get_by_role("button", name="Đậm")
    editor.click()
    page.keyboard.type("Người lao động được hưởng chính sách ")
    # Bold on from the toolbar, one word, bold off. (Selecting a typed word with the keyboard
    # first is racy: CKEditor learns of the browser's selection changes asynchronously.)
    bold.click()
    expect(bold).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("mới")
    bold.click()
    expect(bold).to_have_attribute("aria-pressed", "false")
    page.keyboard.type(" từ tháng này.")
    page.keyboard.press("Enter")

    photo = image_upload("hoi-nghi.jpg", size=(800, 500))
    upload_url = reverse("news:editor-image-upload")
    with page.expect_response(lambda response: response.url.endswith(upload_url)) as uploaded:
        page.locator(".ck-file-dialog-button input[type=file]").set_input_files(
            {"name": "hoi-nghi.jpg", "mimeType": "image/jpeg", "buffer": photo.read()}
        )
    assert uploaded.value.status == 200
    stored = Image.objects.get()
    assert stored.uploaded_by.username == "bientapvien"
    assert uploaded.value.json()["url"] == stored.file.url
    picture = editor.locator("figure.image img")
    expect(picture).to_have_attribute("src", stored.file.url)
    picture.click()
    page.get_by_role("button", name="Hiện chú thích").click()  # toggleImageCaption
    page.keyboard.type(CAPTION)
    picture.click()
    page.get_by_role("button", name="Mô tả ảnh cho người khiếm thị").click()  # imageTextAlternative
    alt_field = page.locator(".ck-text-alternative-form input")
    alt_field.fill(ALT_TEXT)
    alt_field.press("Enter")

    expect(page.locator("#id_status")).to_have_value(Article.Status.DRAFT)
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".messagelist .success")).to_contain_text("thành công")

    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.DRAFT
    assert article.category == category
    assert "<strong>mới</strong>" in article.body
    assert re.search(r'<img [^>]*alt="' + ALT_TEXT + '"', article.body)
    assert f"<figcaption>{CAPTION}</figcaption>" in article.body
    assert article.created_by.username == "bientapvien"

    # Preview: the change page's "Xem trước" link opens the draft as readers will see it.
    preview_link = page.get_by_role("link", name="Xem trước")
    expect(preview_link).to_have_attribute("href", f"/xem-truoc/{article.pk}/")
    with page.context.expect_page() as opened:
        preview_link.click()
    preview = opened.value
    expect(preview.locator(".preview-banner")).to_contain_text("Bản xem trước")
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    shown = preview.locator(".article__body img")
    expect(shown).to_have_attribute("alt", ALT_TEXT)
    assert shown.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo did not load"
    preview.close()

    page.locator("#id_status").select_option(Article.Status.PUBLISHED)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("thành công")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_visible

    # A reader, not signed in, finds it on the home page, its section and its day.
    reader = open_page()
    day = timezone.localdate(article.published_at)
    for path in (
        reverse("news:home"),
        category.get_absolute_url(),
        reverse("news:archive-day", kwargs={"year": day.year, "month": day.month, "day": day.day}),
    ):
        reader.goto(live_url(path))
        expect(reader.get_by_role("link", name=TITLE).first).to_be_visible()
    reader.get_by_role("link", name=TITLE).first.click()
    expect(reader).to_have_url(live_url(article))
    body = reader.locator(".article__body")
    expect(body.locator("strong")).to_have_text("mới")
    expect(body.locator("figure img")).to_have_attribute("alt", ALT_TEXT)
    expect(body.locator("figure figcaption")).to_have_text(CAPTION)


CRAFTED_SAVE = """async (status) => {
    const data = new FormData(document.getElementById("article_form"));
    data.set("status", status);
    data.set("_save", "Lưu");
    const response = await fetch(location.href, {method: "POST", body: data});
    return {status: response.status, url: response.url, text: await response.text()};
}"""

CRAFTED_ACTION = """async ([action, pk]) => {
    const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
    const data = new URLSearchParams({
        csrfmiddlewaretoken: token, action: action, _selected_action: pk, index: "0",
    });
    const response = await fetch(location.href, {method: "POST", body: data});
    return {status: response.status, url: response.url, text: await response.text()};
}"""


def test_reporter_has_no_way_to_publish(open_page, make_user, make_article):
    reporter = make_user("reporter", username="phongvien")
    article = make_article(
        title="Bài của phóng viên chờ biên tập", status=Article.Status.DRAFT, created_by=reporter
    )
    page = open_page(user=reporter)

    page.goto(reverse("admin:news_article_change", args=[article.pk]))
    status = page.locator("#id_status")
    options = status.locator("option")
    expect(options).to_have_count(2)
    assert options.evaluate_all("els => els.map(e => e.value)") == ["draft", "pending"]
    expect(status).not_to_contain_text("Đã xuất bản")

    # A crafted POST from the page, with its CSRF token and status=published, is refused.
    response = page.evaluate(CRAFTED_SAVE, Article.Status.PUBLISHED)
    assert response["status"] == 200, "the form should be shown again with an error"
    assert "errornote" in response["text"]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()

    # What a reporter may do still works through the same form: submit for review.
    page.reload()
    status.select_option(Article.Status.PENDING)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING

    # The changelist offers no publish action, and asking for one anyway does nothing.
    page.goto(reverse("admin:news_article_changelist"))
    actions = page.locator("select[name=action] option")
    values = actions.evaluate_all("els => els.map(e => e.value)")
    assert "submit_for_review" in values
    assert "publish_selected" not in values
    assert "unpublish_selected" not in values
    expect(page.locator("select[name=action]")).not_to_contain_text("Xuất bản")
    response = page.evaluate(CRAFTED_ACTION, ["publish_selected", str(article.pk)])
    assert response["status"] == 200
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    assert not Article.objects.published().exists()
