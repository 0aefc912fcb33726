"""The Content Security Policy in Chromium: every kind of public page, and the admin's editor,
works under it with nothing refused; and what it exists to refuse, it refuses."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from news.models import Article, Image

pytestmark = pytest.mark.django_db(transaction=True)

# Every document the page loads records the violations the browser reports, from the first
# script on; window.print is stubbed so the print button can be pressed headless.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.effectiveDirective} refused ${event.blockedURI || "inline"}` +
        ` (${event.sourceFile || location.href}:${event.lineNumber})`
    );
});
window.__printCalls = 0;
window.print = () => { window.__printCalls += 1; };
"""
CSP_CONSOLE = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)


def violations(page):
    return page.evaluate("window.__cspViolations")


def csp_console_errors(browser_log):
    return [line for line in browser_log.console_errors if CSP_CONSOLE.search(line)]


@pytest.fixture
def article_with_photo(seeds, make_article, image_upload):
    photo = Image.objects.create(
        file=image_upload("tap-huan.jpg", size=(1200, 800)),
        alt_text="Học viên lớp tập huấn",
        caption="Lớp tập huấn tại Phú Yên",
    )
    return make_article(
        title="Tập huấn kỹ năng hỗ trợ nạn nhân bạo lực trên cơ sở giới",
        featured_image=photo,
        body=(
            f"<p>Lớp học có <strong>120</strong> học viên.</p><figure class='image'>"
            f"<img src='{photo.file.url}' alt='{photo.alt_text}'>"
            f"<figcaption>{photo.caption}</figcaption></figure>"
        ),
        published_at=timezone.make_aware(datetime.datetime(2023, 9, 14, 9, 30)),
    )


def test_public_pages_break_no_rule_of_the_policy(
    open_page, browser_log, seeded_portal, article_with_photo
):
    article = article_with_photo
    english = Article.objects.create(
        title="Vocational training week opens",
        slug="vocational-training-week",
        category=article.category,
        status=Article.Status.PUBLISHED,
        published_at=article.published_at,
        lead="The week brings schools and employers together.",
        body="<p>Training week.</p>",
        language="en",
    )
    browser_log.expect_console_error(r"status of 404 .* @ .*/khong-co-trang-nay/$")  # the 404 page
    page = open_page(init_script=WATCH, permissions=["clipboard-read", "clipboard-write"])
    day = timezone.localdate(article.published_at)
    pages = {
        "home": reverse("news:home"),
        "section": article.category.get_absolute_url(),
        "day": reverse(
            "news:archive-day", kwargs={"year": day.year, "month": day.month, "day": day.day}
        ),
        "month": reverse("news:archive-month", kwargs={"year": day.year, "month": day.month}),
        "search": reverse("news:search") + "?q=tap+huan",
        "most read": reverse("readership:most-read"),
        "English home": "/en/",
        "English article": english.get_absolute_url(),
        "about": reverse("agency:page-list"),
        "not found": "/khong-co-trang-nay/",
        "article": article.get_absolute_url(),
    }
    found = {}
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("load")
        policy = response.header_value("content-security-policy") or ""
        assert "script-src 'self'" in policy and "nonce-" not in policy, (name, policy)
        found[name] = violations(page)

    # On the article (still open): the photos load, the JSON-LD block is there (data, which the
    # browser does not run), and the tools that need JavaScript work.
    for image in page.locator(".article__figure img, .article__body img").all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("i => i.naturalWidth > 0"), "a photo did not load"
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
    page.get_by_role("button", name="In bài viết").click()
    assert page.evaluate("window.__printCalls") == 1
    page.get_by_role("button", name="Sao chép liên kết").click()
    expect(page.locator(".js-copy-status")).to_have_text("Đã sao chép liên kết.")
    expect(page.get_by_role("link", name="Chia sẻ lên Facebook")).to_be_visible()
    found["article, tools used"] = violations(page)

    # The reader controls: applied in place by site.js, then by the server from the cookies.
    page.get_by_role("link", name="Tương phản cao").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bcontrast-high\b"))
    page.get_by_role("link", name=re.compile(r"^A\+\+")).click()
    expect(page.locator("html")).to_have_class(re.compile(r"\btext-larger\b"))
    found["reader controls, in place"] = violations(page)
    page.goto(reverse("news:home"))
    expect(page.locator("html")).to_have_class(re.compile(r"\bcontrast-high\b"))
    found["reader controls, from the server"] = violations(page)

    assert not {name: found for name, found in found.items() if found}, found
    assert csp_console_errors(browser_log) == []


def test_the_policy_refuses_inline_script_on_a_public_page(open_page, browser_log):
    """The listener above reports what the browser refuses: an injected inline script is."""
    browser_log.expect_console_error(r"inline script violates the following Content Security")
    page = open_page(init_script=WATCH)
    page.goto(reverse("news:home"))
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__injected = true;";
            document.head.append(script);
            return window.__injected === true;
        }"""
    )
    assert ran is False
    assert any(v.startswith("script-src-elem refused inline") for v in violations(page))
    assert len(csp_console_errors(browser_log)) == 1


def test_the_admin_editor_works_under_the_admin_policy(
    open_page, browser_log, make_user, category, image_upload
):
    editor = make_user("editor", username="bientapvien")
    page = open_page(user=editor, init_script=WATCH)

    response = page.goto(reverse("admin:news_article_add"))
    policy = response.header_value("content-security-policy")
    assert "script-src 'self'" in policy and "'unsafe-eval'" not in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    box = page.locator(".ck-editor__editable_inline")
    expect(box).to_be_visible()
    page.locator("#id_title").fill("Bài viết soạn dưới chính sách bảo mật nội dung")
    page.locator("#id_category + .select2 .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill(category.name[:3])
    page.locator(".select2-results__option", has_text=category.name).click()

    bold = page.get_by_role("button", name="Đậm")
    box.click()
    page.keyboard.type("Nội dung ")
    bold.click()
    expect(bold).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("quan trọng")
    bold.click()
    page.keyboard.type(" của bài.")
    page.keyboard.press("Enter")
    expect(box.locator("strong")).to_have_text("quan trọng")

    photo = image_upload("hoi-nghi.jpg", size=(800, 500))
    with page.expect_response(lambda r: r.url.endswith(reverse("news:editor-image-upload"))):
        page.locator(".ck-file-dialog-button input[type=file]").set_input_files(
            {"name": "hoi-nghi.jpg", "mimeType": "image/jpeg", "buffer": photo.read()}
        )
    picture = box.locator("figure.image img")
    expect(picture).to_have_attribute("src", Image.objects.get().file.url)
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("i => i.naturalWidth > 0"), "the uploaded photo did not show"
    found = {"add form": violations(page)}

    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".messagelist .success")).to_contain_text("thành công")
    expect(page.locator(".ck-editor__editable_inline strong")).to_have_text("quan trọng")
    found["change form"] = violations(page)
    article = Article.objects.get()
    assert "<strong>quan trọng</strong>" in article.body

    # The rest of the newsroom's admin: lists (with the date drill-down and actions), the
    # history and its comparison, the image library.
    for name, url in {
        "article list": reverse("admin:news_article_changelist"),
        "history": reverse("admin:news_article_history", args=[article.pk]),
        "image list": reverse("admin:news_image_changelist"),
        "image": reverse("admin:news_image_change", args=[Image.objects.get().pk]),
    }.items():
        page.goto(url)
        page.wait_for_load_state("load")
        found[name] = violations(page)
    login = open_page(init_script=WATCH)
    login.goto(reverse("admin:login"))
    expect(login.get_by_label("Mật khẩu")).to_be_visible()
    found["login"] = violations(login)

    assert not {name: found for name, found in found.items() if found}, found
    assert csp_console_errors(browser_log) == []
