"""Drafts for public comment in Chromium: a reader comments through the page the page cache
served (no token, no cookie), with or without JavaScript, on a desktop and on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import Draft, DraftComment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_draft(transactional_db):
    now = timezone.now().replace(microsecond=0)
    return Draft.objects.create(
        title="Dự thảo Nghị định quy định chi tiết Luật Việc làm",
        drafting_unit="Cục Việc làm",
        summary="Quy định chi tiết về bảo hiểm thất nghiệp.",
        body="<p>Điều 1. Phạm vi điều chỉnh.</p>",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=30),
        status=Draft.Status.PUBLISHED,
        published_at=now - timedelta(days=2),
    )


def fill_comment(page, content):
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Thư điện tử").fill("an@example.vn")
    page.get_by_label("Cơ quan, tổ chức").fill("Sở Lao động – Thương binh và Xã hội Phú Yên")
    page.get_by_label("Nội dung góp ý").fill(content)
    page.get_by_role("button", name="Gửi ý kiến").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_reader_comments_through_the_cached_page(open_page, open_draft, javascript):
    url = open_draft.get_absolute_url()
    first = open_page().goto(url)
    assert first.headers["x-page-cache"] == "miss"

    page = open_page(java_script_enabled=javascript)
    served = page.goto(url)
    assert served.headers["x-page-cache"] == "hit"
    assert "set-cookie" not in served.headers
    assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0
    # The honeypot is there for bots, out of a person's sight.
    expect(page.locator("input[name=website]")).not_to_be_in_viewport()

    fill_comment(page, "Đề nghị làm rõ khái niệm người lao động tự do tại Điều 3.")
    expect(page.get_by_role("heading", name="Cảm ơn bạn đã góp ý")).to_be_visible()
    assert page.url.endswith(f"/du-thao/{open_draft.slug}/cam-on/")
    comment = DraftComment.objects.get()
    assert (comment.draft, comment.name, comment.email) == (
        open_draft,
        "Nguyễn Văn An",
        "an@example.vn",
    )
    assert comment.content == "Đề nghị làm rõ khái niệm người lao động tự do tại Điều 3."
    assert page.context.cookies() == []


def test_a_comment_with_a_mistake_comes_back_with_the_error_and_the_text(
    open_page, open_draft, browser_log
):
    browser_log.expect_console_error(r"status of 400 \(Bad Request\) @ \S*/du-thao/")
    page = open_page()
    page.goto(open_draft.get_absolute_url())
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Thư điện tử").fill("an@example.vn")
    # Past the browser's own check (maxlength), as a script could send it.
    page.get_by_label("Nội dung góp ý").evaluate(
        "(box) => { box.removeAttribute('maxlength'); box.value = 'x'.repeat(5001); }"
    )
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("alert").first).to_contain_text("Ý kiến CHƯA được gửi")
    expect(page.get_by_text("bạn đã viết 5001 ký tự")).to_be_visible()
    expect(page.get_by_label("Nội dung góp ý")).to_have_value("x" * 5001)
    assert not DraftComment.objects.exists()


def test_the_draft_page_fits_a_phone(open_page, open_draft):
    from tests.e2e.conftest import PHONE

    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    for url in ("/du-thao/", open_draft.get_absolute_url()):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    box = page.get_by_label("Nội dung góp ý").bounding_box()
    assert box["width"] >= 280  # room to write on a 360 px screen
