"""The admin is Vietnamese throughout, including the strings Django and django-reversion leave out.

Django's own vi catalogues lack many admin strings (or carry the singular only of a plural) and
django-reversion has no Vietnamese at all; locale_overrides/vi fills those gaps and corrects
wrong translations. LOCALE_PATHS puts it ahead of the apps' catalogues. Each page test checks
strings that come from the override catalogue, so it fails if the catalogue is not loaded.
"""

import ast
import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from news.models import Article
from tests.conftest import article_form_data

pytestmark = pytest.mark.django_db

OVERRIDES = Path(settings.BASE_DIR) / "locale_overrides" / "vi" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}|<[^>]*>")


def page_of(response):
    assert response.status_code == 200
    return response.content.decode()


def assert_vietnamese(page, english=(), vietnamese=()):
    for text in english:
        assert text not in page, f"English left in the admin: {text!r}"
    for text in vietnamese:
        assert text in page, f"Vietnamese missing from the admin: {text!r}"


# -- pages ------------------------------------------------------------------------------


def test_admin_index(staff_client):
    page = page_of(staff_client.get(reverse("admin:index")))
    assert_vietnamese(
        page,
        english=[
            "Skip to main content",
            "Toggle theme",
            "Model name",
            "Add link",
            "Change or view list link",
            "None available",
            "Thêm vào",  # the old, wrong "Add" ("add to")
        ],
        vietnamese=[
            "Chuyển đến nội dung chính",
            "Đổi giao diện (giao diện hiện tại: tự động)",
            "Đổi giao diện (giao diện hiện tại: sáng)",
            "Đổi giao diện (giao diện hiện tại: tối)",
            "Loại dữ liệu",
            "Chưa có hoạt động nào",
            "Thoát",
        ],
    )


def test_article_changelist(staff_client, make_article):
    make_article(title="Hội nghị tổng kết công tác năm")
    page = page_of(staff_client.get(reverse("admin:news_article_changelist")))
    assert_vietnamese(
        page,
        english=[
            "Skip to main content",
            "Breadcrumbs",
            "Toggle navigation",
            "Sidebar",
            "Filter navigation items",
            "Show counts",
            "By trạng thái",
            "Bởi trạng thái",  # the old, wrong "By"
            "Select this object for an action",
            "Select all objects on this page",
            "Run the selected action",
            "Recover deleted",
            "Đi đến",  # the old, wrong "Go"
        ],
        vietnamese=[
            'aria-label="Đường dẫn điều hướng"',
            'aria-label="Ẩn/hiện thanh điều hướng"',
            'aria-label="Thanh bên"',
            "Lọc các mục điều hướng",
            "Hiện số lượng",
            "Theo trạng thái",
            "Thao tác:",
            "Thực hiện thao tác đã chọn",
            ">Thực hiện</button>",
            "Đã chọn 0 trong số 1",
            "Chọn đối tượng này để thực hiện thao tác - Hội nghị tổng kết công tác năm",
            "Chọn tất cả đối tượng trên trang này để thực hiện thao tác",
            "Khôi phục bài viết đã xóa",  # django-reversion's "Recover deleted %(name)s"
            "Thêm bài viết",
        ],
    )


def test_article_changelist_with_counts_shown(staff_client, make_article):
    make_article()
    page = page_of(staff_client.get(reverse("admin:news_article_changelist"), {"_facets": "1"}))
    assert_vietnamese(page, english=["Hide counts"], vietnamese=["Ẩn số lượng"])


def test_article_add_form(staff_client):
    page = page_of(staff_client.get(reverse("admin:news_article_add")))
    assert_vietnamese(
        page,
        english=["Skip to main content", "View selected", 'value="Lưu lại"'],
        vietnamese=[
            "Chuyển đến nội dung chính",
            'value="Lưu"',  # the project's own messages tell editors to press "Lưu"
            "Xem chuyên mục đã chọn",
            "Xem ảnh đã chọn",
        ],
    )


def test_article_add_form_with_errors(staff_client):
    response = staff_client.post(reverse("admin:news_article_add"), {"title": ""})
    page = page_of(response)
    assert not response.context["adminform"].form.is_valid()
    assert_vietnamese(
        page,
        english=["Error:", "Please correct the error", "Please correct the errors"],
        vietnamese=["<title>Lỗi: Thêm bài viết", "Vui lòng sửa lỗi bên dưới."],
    )


def test_article_history_and_revision_pages(staff_client, make_article):
    article = make_article(status=Article.Status.DRAFT, body="<p>Bản đầu</p>")
    change = reverse("admin:news_article_change", args=[article.pk])
    form = staff_client.get(change).context["adminform"].form
    data = article_form_data(article, body="<p>Bản sau</p>")
    data["loaded_version"] = form["loaded_version"].value()
    data["loaded_revision"] = form["loaded_revision"].value() or ""
    assert staff_client.post(change, data).status_code == 302

    history = page_of(staff_client.get(reverse("admin:news_article_history", args=[article.pk])))
    assert_vietnamese(
        history,
        english=["Bản ghi nhớ", "History"],  # "Bản ghi nhớ" (a memo) was Django's "History"
        vietnamese=["&rsaquo; Lịch sử", "Chuyển đến nội dung chính"],
    )

    version = Version.objects.get_for_object(article).first()
    revision_url = reverse("admin:news_article_revision", args=[article.pk, version.pk])
    revision = page_of(staff_client.get(revision_url))
    assert_vietnamese(
        revision,
        english=["Revert", "Press the save button", "History"],
        vietnamese=[
            "Khôi phục phiên bản cũ của bài viết",
            "Bấm nút Lưu bên dưới để khôi phục đối tượng về phiên bản này.",
            ">Lịch sử</a>",
        ],
    )


def test_reverting_records_a_vietnamese_comment(staff_client, make_article):
    article = make_article(status=Article.Status.DRAFT, body="<p>Bản gốc</p>")
    change = reverse("admin:news_article_change", args=[article.pk])
    for body in ["<p>Bản đầu</p>", "<p>Bản sau</p>"]:
        article.refresh_from_db()
        form = staff_client.get(change).context["adminform"].form
        data = article_form_data(article, body=body)
        data["loaded_version"] = form["loaded_version"].value()
        data["loaded_revision"] = form["loaded_revision"].value() or ""
        assert staff_client.post(change, data).status_code == 302
    first = Version.objects.get_for_object(article).order_by("pk").first()
    revision_url = reverse("admin:news_article_revision", args=[article.pk, first.pk])
    form_page = staff_client.get(revision_url)
    article.refresh_from_db()
    data = article_form_data(article, body=first.field_dict["body"])
    data["loaded_version"] = form_page.context["adminform"].form["loaded_version"].value()
    data["loaded_revision"] = form_page.context["adminform"].form["loaded_revision"].value() or ""
    assert staff_client.post(revision_url, data).status_code == 302
    comment = Version.objects.get_for_object(article).first().revision.get_comment()
    assert "Reverted to previous version" not in comment
    assert "Đã khôi phục về phiên bản trước, được lưu lúc" in comment


def test_reversion_history_and_recover_pages(staff_client, category):
    # Categories use django-reversion's own history template.
    history = page_of(staff_client.get(reverse("admin:news_category_history", args=[category.pk])))
    assert_vietnamese(
        history,
        english=["Choose a date from the list below", "This object doesn't have a change history"],
        vietnamese=[
            "Chọn một thời điểm trong danh sách dưới đây để khôi phục đối tượng này về phiên bản "
            "trước đó.",
            "Đối tượng này chưa có lịch sử thay đổi.",
        ],
    )
    recover = page_of(staff_client.get(reverse("admin:news_category_recoverlist")))
    assert_vietnamese(
        recover,
        english=["Recover deleted", "There are no deleted objects to recover."],
        vietnamese=["Khôi phục chuyên mục đã xóa", "Không có đối tượng đã xóa nào để khôi phục."],
    )


def test_admin_javascript_catalogue(staff_client):
    script = page_of(staff_client.get(reverse("admin:jsi18n")))
    found = re.search(r"const newcatalog = (\{.*?\});\n", script, re.DOTALL)
    assert found, "the admin's jsi18n script has no catalogue"
    catalog = json.loads(found.group(1))
    expected = {
        "Choose all %s": "Chọn tất cả %s",
        "Remove all %s": "Bỏ chọn tất cả %s",
        "Chosen %s": "%s đã chọn",
        "(click to clear)": "(bấm để xóa bộ lọc)",
        "Sunday": "Chủ nhật",
        "abbrev. day Monday\x04Mon": "T2",
        "Choose a Time": "Chọn thời gian",
        "Noon": "12 giờ trưa",
        "%(sel)s of %(cnt)s selected": ["Đã chọn %(sel)s trong số %(cnt)s"],
        "%s selected option not visible": ["%s mục đã chọn đang bị ẩn"],
    }
    for msgid, msgstr in expected.items():
        assert catalog.get(msgid) == msgstr, msgid
    for msgid in ["Now", "Midnight", "Cancel", "Today", "Choose a Date"]:
        assert catalog.get(msgid) not in (None, msgid), msgid
    assert "const v = 0;" in script  # Vietnamese has one plural form


def test_django_looks_up_the_overrides_first():
    with translation.override("vi"):
        assert translation.gettext("Show counts") == "Hiện số lượng"
        assert translation.gettext("History") == "Lịch sử"
        assert translation.gettext("Initial version.") == "Phiên bản đầu tiên."
        one, many = "Please correct the error below.", "Please correct the errors below."
        assert translation.ngettext(one, many, 3) == "Vui lòng sửa lỗi bên dưới."
        assert translation.ngettext("%(num)d minute", "%(num)d minutes", 5) % {"num": 5} == "5 phút"


# -- the catalogue files ----------------------------------------------------------------


def read_po(path):
    """The entries of a .po file: dicts of msgctxt, msgid, msgid_plural, msgstr and flags."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#~"):
            raise AssertionError(f"obsolete entry in {path.name}: {line}")
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            keyword, _, value = line.partition(" ")
            field = {"msgstr[0]": "msgstr"}.get(keyword, keyword)
            assert field in {"msgctxt", "msgid", "msgid_plural", "msgstr"}, line
            entry[field] = ast.literal_eval(value)
    return entries


@pytest.mark.parametrize("domain", DOMAINS)
def test_po_header(domain):
    header = next(e for e in read_po(OVERRIDES / f"{domain}.po") if e["msgid"] == "")
    assert "Language: vi\n" in header["msgstr"]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_entry_is_translated(domain):
    entries = [e for e in read_po(OVERRIDES / f"{domain}.po") if e["msgid"]]
    assert entries
    keys = [(e["msgctxt"], e["msgid"]) for e in entries]
    assert len(keys) == len(set(keys)), "duplicate entries"
    for entry in entries:
        assert entry["msgstr"].strip(), f"untranslated: {entry['msgid']!r}"
        assert "fuzzy" not in entry["flags"], f"fuzzy: {entry['msgid']!r}"
        source = set(PLACEHOLDER.findall(entry["msgid"]))
        if entry["msgid_plural"]:
            source |= set(PLACEHOLDER.findall(entry["msgid_plural"]))
        assert set(PLACEHOLDER.findall(entry["msgstr"])) == source, entry["msgid"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_mo_matches_po(domain):
    with (OVERRIDES / f"{domain}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.info()["language"] == "vi"
    assert compiled.info()["plural-forms"] == "nplurals=1; plural=0;"
    entries = [e for e in read_po(OVERRIDES / f"{domain}.po") if e["msgid"]]
    for entry in entries:
        key = entry["msgid"]
        if entry["msgctxt"] is not None:
            key = f"{entry['msgctxt']}\x04{key}"
        if entry["msgid_plural"]:
            key = (key, 0)
        assert compiled._catalog.get(key) == entry["msgstr"], (
            f"{domain}.mo is out of date with {domain}.po for {entry['msgid']!r}; recompile it"
        )
    assert len(compiled._catalog) == len(entries) + 1  # and the header; nothing else
