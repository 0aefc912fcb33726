"""The files of legal documents (documents/files.py): only PDF, DOC, DOCX, XLS, XLSX, ODT and ODS,
told by their content, at most PORTAL_DOCUMENT_MAX_BYTES, stored under generated names and
downloaded under their original Vietnamese names."""

import io
import time
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError

from documents.files import content_disposition, inspect_document, validate_document_file
from tests.documents_samples import (
    DOC,
    DOCM,
    DOCX,
    EXE,
    HTML,
    PDF,
    PPT,
    SAMPLES,
    XLS,
    ole_bytes,
    upload,
    zip_bytes,
)


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_accepted_kind_is_told_by_its_content(code):
    assert (
        inspect_document(upload(f"van-ban.{code}", SAMPLES[code]), f"van-ban.{code}").code == code
    )


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_the_type_comes_from_the_content_when_the_name_has_no_extension(code):
    assert inspect_document(upload("tep-khong-duoi", SAMPLES[code]), "tep-khong-duoi").code == code


def refusal(name, data):
    with pytest.raises(ValidationError) as caught:
        validate_document_file(upload(name, data))
    return caught.value


def test_an_html_page_named_pdf_is_refused():
    error = refusal("nghi-dinh.pdf", HTML)
    assert error.code == "bad_type"
    assert (
        "Chỉ nhận tệp PDF, Word (DOC, DOCX), Excel (XLS, XLSX), ODT hoặc ODS." in error.messages[0]
    )


def test_a_program_named_docx_is_refused():
    assert refusal("quyet-dinh.docx", EXE).code == "bad_type"


def test_an_empty_file_is_refused():
    error = refusal("trong.pdf", b"")
    assert error.code == "empty" and error.messages == ["Tệp trống (0 byte)."]


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.PORTAL_DOCUMENT_MAX_BYTES = 1024

    class Unreadable(io.BytesIO):
        size = 5 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("read before its size was checked")

    with pytest.raises(ValidationError) as caught:
        inspect_document(Unreadable(PDF), "lon.pdf")
    assert caught.value.code == "too_large"
    assert "Tệp quá lớn (5,0\xa0MB). Dung lượng tối đa là 1,0\xa0KB." in caught.value.messages[0]


def test_the_default_limit_is_fifty_megabytes(settings):
    from portal import settings as portal_settings

    assert portal_settings.PORTAL_DOCUMENT_MAX_BYTES == 50 * 1024 * 1024


def test_an_excel_sheet_named_doc_is_refused_and_says_what_it_is():
    error = refusal("bao-cao.doc", XLS)
    assert error.code == "wrong_extension"
    assert error.messages == ["Tệp có đuôi .doc nhưng nội dung là Excel (XLS)."]


def test_a_pdf_named_docx_is_refused():
    assert refusal("thong-tu.docx", PDF).code == "wrong_extension"


def test_a_docx_saved_as_doc_is_taken_as_the_docx_it_is():
    assert inspect_document(upload("cong-van.doc", DOCX), "cong-van.doc").code == "docx"


def test_other_office_files_and_archives_are_refused():
    assert refusal("trinh-chieu.doc", PPT).code == "bad_type"
    assert refusal("nen.docx", zip_bytes({"a.txt": b"x"})).code == "bad_type"
    assert refusal("hong.xls", ole_bytes()[:700]).code == "bad_type"  # cut short
    assert refusal("la.odt", zip_bytes({"mimetype": b"application/zip"})).code == "bad_type"


def test_files_with_macros_are_refused():
    assert refusal("van-ban.docx", DOCM).code == "macro"
    assert refusal("van-ban.doc", ole_bytes("WordDocument", "Macros")).code == "macro"


def test_a_zip_bomb_is_judged_by_its_directory_without_being_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(256):  # 256 MB of zeros, a quarter of a megabyte compressed
                member.write(chunk)
    started = time.monotonic()
    assert inspect_document(upload("bom.docx", buffer.getvalue()), "bom.docx").code == "docx"
    assert time.monotonic() - started < 1


def test_a_doc_file_is_told_from_its_directory():
    assert inspect_document(upload("a.doc", DOC), "a.doc").label == "Word (DOC)"


def test_the_download_name_is_the_vietnamese_one_with_an_ascii_fallback():
    name = "Nghị định 42-2022 về cung cấp thông tin.pdf"
    header = content_disposition(name)
    assert header == (
        'attachment; filename="Nghi dinh 42-2022 ve cung cap thong tin.pdf"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    assert content_disposition('a"b\\c.pdf').startswith('attachment; filename="a_b_c.pdf"')
    assert content_disposition("plain.pdf", inline=True) == 'inline; filename="plain.pdf"'
