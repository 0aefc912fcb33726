"""The library of legal documents: its pages, filters, search, legal force, files, feed, sitemap,
cache, admin and roles (documents/)."""

import datetime
import json
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from documents.models import (
    Document,
    DocumentFile,
    DocumentRelation,
    DocumentType,
    LegalStatus,
    legal_status,
)
from tests.documents_samples import DOCX, HTML, PDF, make_document, upload
from tests.reader import NOW, VN, text

pytestmark = pytest.mark.django_db

TODAY = NOW.date()  # 15/05/2024, local


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def day(offset):
    return TODAY + timedelta(days=offset)


def listed(response):
    """The numbers of the documents a list shows, in order."""
    return re.findall(r'class="card__title"><a href="[^"]+">[^<]*? ([^ <]+)</a>', text(response))


# -- legal force --------------------------------------------------------------------------


CASES = [
    # (issued, effective, expires, partial, expected)
    (day(-10), None, None, False, LegalStatus.IN_FORCE),
    (day(-10), day(-1), None, True, LegalStatus.PARTIAL),
    (day(-10), day(0), None, False, LegalStatus.IN_FORCE),
    (day(-10), day(1), None, False, LegalStatus.NOT_YET),
    (day(1), None, None, False, LegalStatus.NOT_YET),
    (day(-10), day(-5), day(0), False, LegalStatus.EXPIRED),
    (day(-10), day(-5), day(1), False, LegalStatus.IN_FORCE),
    (day(-10), None, day(-1), True, LegalStatus.EXPIRED),
]


@pytest.mark.parametrize(("issued", "effective", "expires", "partial", "expected"), CASES)
def test_legal_force_follows_from_the_dates_in_python_and_in_sql_alike(
    issued, effective, expires, partial, expected
):
    assert legal_status(issued, effective, expires, partial, TODAY) == expected
    document = make_document(
        issued_on=issued, effective_on=effective, expires_on=expires, partially_expired=partial
    )
    assert document.legal_status == expected
    filter_code = LegalStatus.IN_FORCE if expected == LegalStatus.PARTIAL else expected
    assert list(Document.objects.in_legal_status(filter_code)) == [document]
    others = set(LegalStatus.values) - {filter_code, LegalStatus.PARTIAL}
    for other in others:
        assert not Document.objects.in_legal_status(other).exists()


def test_the_next_change_is_the_next_local_midnight_at_which_a_force_changes():
    make_document("1/2024/TT-BLĐTBXH", issued_on=day(-3), effective_on=day(2))
    make_document("2/2024/TT-BLĐTBXH", issued_on=day(-40), expires_on=day(5))
    make_document("3/2024/TT-BLĐTBXH", issued_on=day(-3), effective_on=day(1), status="draft")
    moment = Document.objects.next_visibility_change(timezone.now())
    assert moment == datetime.datetime(2024, 5, 17, 0, 0, tzinfo=VN)


def test_a_scheduled_publication_is_a_change_too():
    make_document(published_at=timezone.now() + timedelta(hours=3))
    moment = Document.objects.next_visibility_change(timezone.now())
    assert moment == timezone.now() + timedelta(hours=3)


def test_the_list_shows_the_new_force_right_after_midnight_with_the_page_cache_on(client):
    make_document(issued_on=day(-3), effective_on=day(1), summary="Quy định mới")
    url = "/van-ban/?hieu-luc=chua"
    first = client.get(url)
    assert listed(first) == ["42/2022/NĐ-CP"]
    assert 'legal-status--chua">Chưa có hiệu lực' in text(first)
    assert client.get(url)["X-Page-Cache"] == "hit"
    midnight = datetime.datetime(2024, 5, 16, 0, 0, 1, tzinfo=VN)
    with time_machine.travel(midnight, tick=False):
        after = client.get(url)
        assert after["X-Page-Cache"] == "miss"
        assert listed(after) == []
        in_force = client.get("/van-ban/")
        assert 'legal-status--con">Còn hiệu lực' in text(in_force)
        assert "legal-status--chua" not in text(in_force)


def test_the_database_refuses_impossible_dates_and_twins():
    document = make_document(issued_on=day(-3))
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(effective_on=day(-4))
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(expires_on=day(-3))
    with pytest.raises(ValidationError) as caught:
        Document(
            number="42/2022/nđ-cp",
            document_type=document.document_type,
            issuing_body=document.issuing_body,
            issued_on=day(-1),
            summary="Bản trùng",
        ).full_clean()
    assert caught.value.message_dict["number"] == ["Cơ quan này đã có văn bản số 42/2022/nđ-cp."]


def test_a_document_cannot_relate_to_itself():
    document = make_document()
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentRelation.objects.create(document=document, target=document, kind="thay-the")
    relation = DocumentRelation(document=document, target=document, kind="thay-the")
    with pytest.raises(ValidationError):
        relation.full_clean()


# -- the list -----------------------------------------------------------------------------


def test_the_list_is_newest_issue_first_twenty_a_page(client):
    for n in range(25):
        make_document(f"{n + 1}/2024/QĐ-BLĐTBXH", type_name="Quyết định", issued_on=day(-n))
    first = client.get("/van-ban/")
    assert first.status_code == 200
    assert listed(first)[:3] == ["1/2024/QĐ-BLĐTBXH", "2/2024/QĐ-BLĐTBXH", "3/2024/QĐ-BLĐTBXH"]
    assert len(listed(first)) == 20 and "Có 25 văn bản." in text(first)
    second = client.get("/van-ban/?trang=2")
    assert listed(second) == [f"{n}/2024/QĐ-BLĐTBXH" for n in range(21, 26)]
    assert client.get("/van-ban/?trang=3").status_code == 404


def test_unpublished_and_scheduled_documents_are_not_public(client):
    draft = make_document("5/2024/TT", status=Document.Status.DRAFT)
    scheduled = make_document("6/2024/TT", published_at=timezone.now() + timedelta(hours=1))
    assert listed(client.get("/van-ban/")) == []
    for document in (draft, scheduled):
        assert client.get(f"/van-ban/{document.slug}/").status_code == 404


@pytest.fixture
def library():
    """Documents that differ in each filtered property."""
    return {
        "decree": make_document(
            "42/2022/NĐ-CP",
            summary="Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến",
            type_name="Nghị định",
            body_name="Chính phủ",
            field_names=["Việc làm"],
            issued_on=datetime.date(2022, 6, 24),
        ),
        "circular": make_document(
            "11/2023/TT-BLĐTBXH",
            summary="Hướng dẫn về bình đẳng giới trong lao động",
            type_name="Thông tư",
            body_name="Bộ Lao động – Thương binh và Xã hội",
            field_names=["Bình đẳng giới", "Lao động"],
            issued_on=datetime.date(2023, 3, 1),
        ),
        "old_circular": make_document(
            "05/2023/TT-BLĐTBXH",
            summary="Hướng dẫn về lao động nữ",
            type_name="Thông tư",
            body_name="Bộ Lao động – Thương binh và Xã hội",
            field_names=["Lao động"],
            issued_on=datetime.date(2023, 1, 5),
            expires_on=datetime.date(2024, 1, 1),
        ),
        "decision": make_document(
            "1234/QĐ-BLĐTBXH",
            summary="Kế hoạch thực hiện bình đẳng giới năm 2024",
            type_name="Quyết định",
            body_name="Bộ Lao động – Thương binh và Xã hội",
            field_names=["Bình đẳng giới"],
            issued_on=datetime.date(2024, 1, 10),
        ),
    }


def test_each_filter_narrows_the_list(client, library):
    assert listed(client.get("/van-ban/?loai=thong-tu")) == [
        "11/2023/TT-BLĐTBXH",
        "05/2023/TT-BLĐTBXH",
    ]
    assert listed(client.get("/van-ban/?co-quan=chinh-phu")) == ["42/2022/NĐ-CP"]
    assert listed(client.get("/van-ban/?linh-vuc=binh-dang-gioi")) == [
        "1234/QĐ-BLĐTBXH",
        "11/2023/TT-BLĐTBXH",
    ]
    assert listed(client.get("/van-ban/?nam=2023")) == ["11/2023/TT-BLĐTBXH", "05/2023/TT-BLĐTBXH"]
    assert listed(client.get("/van-ban/?hieu-luc=het")) == ["05/2023/TT-BLĐTBXH"]
    assert "05/2023/TT-BLĐTBXH" not in listed(client.get("/van-ban/?hieu-luc=con"))


def test_the_filters_combine(client, library):
    combined = client.get(
        "/van-ban/",
        {
            "loai": "thong-tu",
            "co-quan": "bo-lao-dong-thuong-binh-va-xa-hoi",
            "linh-vuc": "lao-dong",
            "nam": "2023",
            "hieu-luc": "con",
            "q": "huong dan",
        },
    )
    assert combined.status_code == 200
    assert listed(combined) == ["11/2023/TT-BLĐTBXH"]
    page = text(combined)
    assert '<option value="thong-tu" selected>' in page
    assert '<option value="2023" selected>' in page


def test_words_of_the_summary_are_found_with_or_without_diacritics(client, library):
    for query in ("bình đẳng giới", "binh dang gioi", "BÌNH ĐẲNG"):
        assert listed(client.get("/van-ban/", {"q": query})) == [
            "1234/QĐ-BLĐTBXH",
            "11/2023/TT-BLĐTBXH",
        ]


def test_the_exact_number_finds_its_document_first(client, library):
    make_document(
        "142/2022/NĐ-CP",
        summary="Văn bản khác có số gần giống 42/2022/NĐ-CP",
        issued_on=datetime.date(2024, 2, 1),
    )
    for query in ("42/2022/NĐ-CP", "42/2022/nd-cp", " 42/2022/NĐ - CP "):
        found = listed(client.get("/van-ban/", {"q": query}))
        assert found[0] == "42/2022/NĐ-CP", query
        assert "142/2022/NĐ-CP" in found


def test_a_bad_filter_gets_a_clear_message_not_an_error(client, library):
    for query in ("loai=khong-co", "nam=abc", "nam=1800", "hieu-luc=x", "q=" + "a" * 300):
        response = client.get(f"/van-ban/?{query}")
        assert response.status_code == 400, query
        assert "Chưa lọc được: hãy sửa ô được đánh dấu ở trên rồi lọc lại." in text(response)
    assert "Không có loại văn bản này." in text(client.get("/van-ban/?loai=khong-co"))


def test_an_empty_result_says_so(client, library):
    response = client.get("/van-ban/?q=khong+co+van+ban+nao")
    assert response.status_code == 200
    assert "Không có văn bản nào khớp với điều kiện lọc." in text(response)


def test_the_list_runs_a_fixed_number_of_queries(client, library, django_assert_max_num_queries):
    counts = []
    for n in range(2):
        for m in range(10):
            make_document(f"{n}{m}/2024/CV", type_name="Công văn", field_names=["Lao động"])
        # The site's frame, the filters' lists and the next change, into the cache.
        client.get("/van-ban/", {"q": "2024/CV"})
        # 2: the count and the page's rows, with their types and bodies.
        with django_assert_max_num_queries(2) as captured:
            response = client.get("/van-ban/", {"q": "2024/CV", "trang": "1"})
        assert response.status_code == 200 and len(listed(response)) == 10 * (n + 1)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_list_is_served_from_the_page_cache_and_fresh_after_a_save(client, library):
    client.get("/van-ban/?loai=thong-tu")
    assert client.get("/van-ban/?loai=thong-tu")["X-Page-Cache"] == "hit"
    make_document("99/2024/TT-BLĐTBXH", type_name="Thông tư", issued_on=day(-1))
    fresh = client.get("/van-ban/?loai=thong-tu")
    assert fresh["X-Page-Cache"] == "miss" and listed(fresh)[0] == "99/2024/TT-BLĐTBXH"


def test_the_english_side_has_the_library_under_its_own_address(client, library):
    with translation.override("en"):
        listing = reverse("documents:document-list")
        detail = library["decree"].get_absolute_url()
    assert listing.startswith("/en/")
    response = client.get(listing)
    assert response.status_code == 200 and 'lang="en"' in text(response)
    assert "42/2022/NĐ-CP" in text(response)
    page = client.get(detail)
    assert page.status_code == 200 and '<span lang="vi">Nghị định 42/2022/NĐ-CP' in text(page)


# -- the document -------------------------------------------------------------------------


@pytest.fixture
def decree(library):
    decree = library["decree"]
    decree.signer = "Phạm Minh Chính"
    decree.effective_on = datetime.date(2022, 8, 15)
    decree.save()
    DocumentFile.objects.create(
        document=decree, file=upload("Nghị định 42-2022.pdf", PDF), title="Toàn văn"
    )
    DocumentFile.objects.create(document=decree, file=upload("Phụ lục.docx", DOCX), position=1)
    DocumentRelation.objects.create(
        document=library["circular"], target=decree, kind=DocumentRelation.Kind.GUIDES
    )
    DocumentRelation.objects.create(
        document=decree, target=library["old_circular"], kind=DocumentRelation.Kind.REPLACES
    )
    return decree


def test_the_page_shows_everything_about_the_document(client, decree):
    assert decree.slug == "42-2022-nd-cp"
    response = client.get(f"/van-ban/{decree.slug}/")
    assert response.status_code == 200
    page = text(response)
    assert "<title>Nghị định 42/2022/NĐ-CP – " in page
    for shown in (
        "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến",
        "Chính phủ",
        "Phạm Minh Chính",
        "24/06/2022",
        "15/08/2022",
        "Còn hiệu lực",
        "Việc làm",
        f"(PDF, {len(PDF)}\xa0byte)",
        "Word (DOCX)",
        "Toàn văn: Nghị định 42-2022.pdf",
        "Phụ lục.docx",
    ):
        assert shown in page, shown
    assert 'aria-label="Đường dẫn"' in page and ">Văn bản</a>" in page


def test_relations_are_shown_both_ways(client, decree, library):
    page = text(client.get(f"/van-ban/{decree.slug}/"))
    assert "Văn bản này thay thế" in page and "05/2023/TT-BLĐTBXH" in page
    assert "Được hướng dẫn bởi" in page and "11/2023/TT-BLĐTBXH" in page
    other = text(client.get(f"/van-ban/{library['old_circular'].slug}/"))
    assert "Bị thay thế bởi" in other and "42/2022/NĐ-CP" in other


def test_relations_to_unpublished_documents_are_not_shown(client, decree, library):
    Document.objects.filter(pk=library["circular"].pk).update(status=Document.Status.DRAFT)
    page = text(client.get(f"/van-ban/{decree.slug}/"))
    assert "Được hướng dẫn bởi" not in page


def test_the_page_describes_the_document_as_schema_org_legislation(client, decree):
    page = text(client.get(f"/van-ban/{decree.slug}/"))
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(found.group(1))
    assert data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "42/2022/NĐ-CP"
    assert data["legislationType"] == "Nghị định"
    assert data["legislationDate"] == "2022-06-24"
    assert data["legislationDateOfApplicability"] == "2022-08-15"
    assert data["legislationPassedBy"]["name"] == "Chính phủ"
    assert data["legislationLegalForce"] == "https://schema.org/InForce"
    assert data["url"].endswith(f"/van-ban/{decree.slug}/")
    assert [item["encodingFormat"] for item in data["encoding"]] == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]


def test_json_ld_cannot_be_broken_out_of(client):
    document = make_document(summary="</script><script>alert(1)</script>")
    page = text(client.get(f"/van-ban/{document.slug}/"))
    assert "<script>alert(1)" not in page


def test_the_document_page_is_cached(client, decree):
    url = f"/van-ban/{decree.slug}/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_staff_preview_an_unpublished_document_and_the_public_gets_404(
    client, admin_client, make_user
):
    draft = make_document("7/2024/TT", status=Document.Status.DRAFT, files=[("a.pdf", PDF)])
    url = reverse("documents:document-preview", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.get(f"/van-ban/{draft.slug}/").status_code == 404
    stored = draft.files.get()
    assert client.get(stored.get_absolute_url()).status_code == 404
    preview = admin_client.get(url)
    assert preview.status_code == 200
    assert "Bản xem trước – văn bản này chưa hiển thị với bạn đọc (Bản nháp)." in text(preview)
    assert "no-cache" in preview["Cache-Control"] or "private" in preview["Cache-Control"]
    assert download(admin_client, stored.get_absolute_url()).status_code == 200
    reporter = make_user("reporter")
    client.force_login(reporter)
    assert client.get(url).status_code == 404


# -- files: downloads ---------------------------------------------------------------------


def download(client, url):
    """A file response, read to its end (which closes the file)."""
    response = client.get(url)
    response.body = b"".join(response.streaming_content) if response.streaming else b""
    return response


def test_a_file_downloads_under_its_vietnamese_name_as_an_attachment(client, decree):
    stored = decree.files.get(file_type="pdf")
    response = download(client, stored.get_absolute_url())
    assert response.status_code == 200
    assert response.body == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Nghi dinh 42-2022.pdf"; '
        f"filename*=UTF-8''{quote('Nghị định 42-2022.pdf', safe='')}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert stored.file.name.startswith("van-ban/2024/05/") and "Nghị" not in stored.file.name


def test_a_pdf_opens_in_the_browser_only_in_a_sandbox(client, decree):
    pdf = decree.files.get(file_type="pdf")
    response = download(client, pdf.get_view_url())
    assert response.status_code == 200 and response.body == PDF
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Disposition"].startswith('inline; filename="Nghi dinh 42-2022.pdf"')
    docx = decree.files.get(file_type="docx")
    assert client.get(docx.get_view_url()).status_code == 404
    page = text(client.get(f"/van-ban/{decree.slug}/"))
    assert pdf.get_view_url() in page and docx.get_view_url() not in page


def test_downloads_are_never_stored_in_the_page_cache(client, decree):
    url = decree.files.first().get_absolute_url()
    for _ in range(2):
        response = download(client, url)
        assert response.status_code == 200 and response.body
        assert response.get("X-Page-Cache") != "hit"


def test_a_file_missing_from_storage_is_a_404(client, decree):
    stored = decree.files.first()
    stored.file.storage.delete(stored.file.name)
    assert client.get(stored.get_absolute_url()).status_code == 404


def test_a_file_of_another_document_is_not_found_under_this_one(client, decree, library):
    stored = decree.files.first()
    url = reverse(
        "documents:file-download", kwargs={"slug": library["circular"].slug, "pk": stored.pk}
    )
    assert client.get(url).status_code == 404


def test_a_file_is_checked_on_every_save_not_only_in_forms(decree):
    with pytest.raises(ValidationError):
        DocumentFile.objects.create(document=decree, file=upload("trang.pdf", HTML))
    assert decree.files.count() == 2


# -- feed, sitemap, site search -----------------------------------------------------------


def test_the_feed_lists_newly_published_documents(client, library):
    make_document("8/2024/CT-TTg", type_name="Chỉ thị", body_name="Thủ tướng Chính phủ")
    response = client.get("/van-ban/rss/")
    assert response.status_code == 200
    items = re.findall(r"<item><title>(.*?)</title>", text(response))
    assert items[0] == "Chỉ thị 8/2024/CT-TTg"
    assert len(items) == 5


def test_documents_are_in_the_sitemap(client, library):
    sitemap = text(client.get("/sitemap.xml"))
    assert f"/van-ban/{library['decree'].slug}/</loc>" in sitemap
    assert "/van-ban/</loc>" in sitemap


def test_site_search_finds_documents_marked_as_documents(client, library):
    response = client.get("/tim-kiem/", {"q": "42/2022/NĐ-CP"})
    assert response.status_code == 200
    page = text(response)
    assert 'id="van-ban-tim-thay">Văn bản (1)</h2>' in page
    assert f'href="/van-ban/{library["decree"].slug}/"' in page
    gender = text(client.get("/tim-kiem/", {"q": "binh dang gioi"}))
    assert "Văn bản (2)" in gender


# -- admin and roles ----------------------------------------------------------------------


@pytest.fixture
def archivist(django_user_model):
    user = django_user_model.objects.create_user("vanthu", password="mat-khau-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Văn thư"))
    return user


def test_the_groups_hold_the_documents_permissions():
    archivists = set(
        Group.objects.get(name="Văn thư").permissions.values_list("codename", flat=True)
    )
    for model in ("document", "documentfile", "documentrelation", "documenttype"):
        for action in ("add", "change", "delete", "view"):
            assert f"{action}_{model}" in archivists
    assert (
        not Group.objects.get(name="Văn thư")
        .permissions.filter(content_type__app_label="news")
        .exists()
    )
    editors = Group.objects.get(name="Biên tập viên").permissions
    assert editors.filter(codename="change_document").exists()
    assert (
        not Group.objects.get(name="Phóng viên")
        .permissions.filter(content_type__app_label="documents")
        .exists()
    )


def test_an_archivist_manages_documents_and_nothing_of_the_news(client, archivist):
    client.force_login(archivist)
    assert client.get(reverse("admin:documents_document_changelist")).status_code == 200
    assert client.get(reverse("admin:documents_document_add")).status_code == 200
    assert client.get(reverse("admin:news_article_changelist")).status_code == 403
    assert client.get(reverse("admin:news_article_add")).status_code == 403
    index = text(client.get(reverse("admin:index")))
    assert "Văn bản" in index


def test_an_editor_manages_documents_too(client, make_user):
    client.force_login(make_user("editor"))
    assert client.get(reverse("admin:documents_document_changelist")).status_code == 200


def test_a_reporter_sees_none_of_the_documents(client, make_user):
    client.force_login(make_user("reporter"))
    assert client.get(reverse("admin:documents_document_changelist")).status_code == 403
    assert client.get(reverse("admin:documents_document_add")).status_code == 403


def form_data(document, **overrides):
    data = {
        "number": document.number,
        "slug": document.slug,
        "document_type": document.document_type_id,
        "issuing_body": document.issuing_body_id,
        "signer": document.signer,
        "summary": document.summary,
        "fields": [field.pk for field in document.fields.all()] if document.pk else [],
        "issued_on": document.issued_on.strftime("%d/%m/%Y"),
        "effective_on": "",
        "expires_on": "",
        "status": document.status,
        "published_at_0": "",
        "published_at_1": "",
        "loaded_version": document.version,
        "loaded_revision": "",
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
        "relations-TOTAL_FORMS": "0",
        "relations-INITIAL_FORMS": "0",
    }
    if document.published_at:
        local = timezone.localtime(document.published_at)
        data["published_at_0"] = local.strftime("%d/%m/%Y")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    data.update(overrides)
    return data


def test_an_archivist_adds_a_document_with_a_file_and_it_has_a_history(client, archivist):
    client.force_login(archivist)
    kind = DocumentType.objects.create(name="Thông tư")
    body = make_document().issuing_body
    new = Document(
        number="15/2024/TT-BLĐTBXH",
        document_type=kind,
        issuing_body=body,
        summary="Hướng dẫn mới",
        issued_on=day(-2),
        status="published",
    )
    data = form_data(
        new,
        slug="",
        loaded_version="",
        **{
            "files-TOTAL_FORMS": "1",
            "files-0-file": upload("Thông tư 15.pdf", PDF),
            "files-0-title": "Toàn văn",
            "files-0-position": "0",
            "files-0-original_name": "",
        },
    )
    response = client.post(reverse("admin:documents_document_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    document = Document.objects.get(number="15/2024/TT-BLĐTBXH")
    assert document.is_visible and document.created_by == archivist
    assert document.files.get().original_name == "Thông tư 15.pdf"
    history = client.get(reverse("admin:documents_document_history", args=[document.pk]))
    assert history.status_code == 200


def test_the_admin_refuses_a_web_page_named_pdf(client, archivist):
    client.force_login(archivist)
    document = make_document()
    data = form_data(
        document,
        **{
            "files-TOTAL_FORMS": "1",
            "files-0-file": upload("nghi-dinh.pdf", HTML),
            "files-0-position": "0",
        },
    )
    response = client.post(reverse("admin:documents_document_change", args=[document.pk]), data)
    assert response.status_code == 200
    assert "Nội dung tệp không phải là văn bản được phép." in text(response)
    assert not document.files.exists()


def test_an_edit_begun_from_an_older_version_is_refused(client, archivist):
    client.force_login(archivist)
    document = make_document()
    stale = document.version
    document.summary = "Trích yếu do người khác sửa"
    document.save()
    url = reverse("admin:documents_document_change", args=[document.pk])
    response = client.post(url, form_data(document, summary="Bản của tôi", loaded_version=stale))
    assert response.status_code == 200
    assert "CHƯA được lưu" in text(response)
    document.refresh_from_db()
    assert document.summary == "Trích yếu do người khác sửa"
    again = response.context["adminform"].form.data
    assert client.post(url, again).status_code == 302
    document.refresh_from_db()
    assert document.summary == "Bản của tôi"


def test_the_admin_links_the_preview_and_filters_by_force_and_year(client, archivist, library):
    client.force_login(archivist)
    decree = library["decree"]
    change = text(client.get(reverse("admin:documents_document_change", args=[decree.pk])))
    assert reverse("documents:document-preview", args=[decree.pk]) in change
    changelist = reverse("admin:documents_document_changelist")
    expired = client.get(changelist, {"hieu-luc": "het"})
    assert expired.status_code == 200
    assert list(expired.context["cl"].result_list) == [library["old_circular"]]
    assert client.get(changelist, {"nam": "2022"}).context["cl"].result_count == 1
    assert client.get(changelist, {"q": "42/2022"}).context["cl"].result_count == 1


def test_publishing_from_the_list_makes_a_document_public(client, archivist):
    client.force_login(archivist)
    draft = make_document("9/2024/TT", status=Document.Status.DRAFT)
    response = client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_visible
    assert client.get(f"/van-ban/{draft.slug}/").status_code == 200


def test_permissions_are_checked_for_models_not_in_the_groups(django_user_model):
    user = django_user_model.objects.create_user("khac", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    assert not user.has_perm("documents.change_document")
