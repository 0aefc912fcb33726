"""axe-core on the reader's pages and the editor's form.

Public pages must have no serious or critical violation. The admin form is Django's own: its
critical violations fail the test; its serious ones are tolerated only where Django's admin
itself causes them (listed in ADMIN_OWN), and every violation found is printed.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from news.models import Article, Image
from tests.public_pages import NOT_FOUND, browser_pages

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = {"serious", "critical"}
# Serious violations that come from Django's admin itself, not from anything of ours:
# rule -> CSS fragment every offending element's selector contains.
ADMIN_OWN = {
    # select2, which the admin bundles for autocomplete fields, leaves its combobox unnamed
    # while nothing is chosen (it labels it by the empty selection).
    "aria-input-field-name": "select2",
    # The admin's breadcrumbs: white links in pale blue text, told apart by colour only.
    "link-in-text-block": ".breadcrumbs",
}


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"      {target}" for target in violation["nodes"][:10])
    return "\n".join(lines)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_public_pages_have_no_serious_accessibility_violations(
    device, request, axe, public_pages, browser_log
):
    # Every kind of public page: tests/public_pages.py, the list the page checks share.
    public_pages = browser_pages(public_pages)
    # The browser reports the status of a page that answers 404 on purpose as a console error.
    for name in NOT_FOUND:
        browser_log.expect_console_error(rf"status of 404 .* @ \S*{re.escape(public_pages[name])}$")
    page = request.getfixturevalue("phone_page" if device == "phone" else "page")
    found, blocking = {}, {}
    for name, path in public_pages.items():
        page.goto(path)
        page.wait_for_load_state("load")
        violations = axe(page)
        found[name] = violations
        serious = [v for v in violations if v["impact"] in BLOCKING]
        if serious:
            blocking[name] = serious
    print(f"\naxe-core on the public pages ({device}):")
    for name, violations in found.items():
        print(f"- {name} ({public_pages[name]}): {'none' if not violations else ''}")
        if violations:
            print(describe(violations))
    assert not blocking, "Serious or critical accessibility violations:\n" + "\n".join(
        f"{name} ({public_pages[name]}):\n{describe(violations)}"
        for name, violations in blocking.items()
    )


def test_admin_article_form_has_no_critical_accessibility_violations(
    axe, open_page, make_user, make_article, image_upload
):
    # axe first: without axe-core the test says so, whether or not Chromium is there.
    editor = make_user("editor")
    photo = Image.objects.create(file=image_upload("anh.jpg"), alt_text="Ảnh")
    article = make_article(
        title="Bài có ảnh và chú thích",
        status=Article.Status.DRAFT,
        body="<p>Nội dung <strong>đậm</strong>.</p><figure class='image'>"
        f"<img src='{photo.file.url}' alt='Ảnh'><figcaption>Chú thích</figcaption></figure>",
    )
    page = open_page(user=editor)
    report, problems = [], []
    for name, path in (
        ("add", reverse("admin:news_article_add")),
        ("change", reverse("admin:news_article_change", args=[article.pk])),
    ):
        page.goto(path)
        expect(page.locator(".ck-editor__editable_inline")).to_be_visible()
        violations = axe(page)
        report.append(f"- admin article form, {name} ({path}):\n{describe(violations)}")
        for violation in violations:
            own = ADMIN_OWN.get(violation["id"])
            from_admin = own is not None and all(own in target for target in violation["nodes"])
            if violation["impact"] == "critical" or (
                violation["impact"] == "serious" and not from_admin
            ):
                problems.append(f"{name}: {describe([violation])}")
    print("\naxe-core on the admin's article form:\n" + "\n".join(report))
    assert not problems, "Accessibility violations in the article form:\n" + "\n".join(problems)
