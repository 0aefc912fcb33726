"""Small real files of each kind the document library takes, and hostile ones, built in memory:
shared by the documents' tests (and the drafts')."""

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

_END, _FREE, _FAT, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole_bytes(*stream_names):
    """A minimal OLE2 compound file (the container of Word and Excel 97–2003) whose directory
    holds empty streams with these names: "WordDocument" makes it a DOC, "Workbook" an XLS."""

    def entry(name, kind, right=_NONE, child=_NONE):
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, _NONE, right, child)
            + bytes(36)
            + struct.pack("<IQ", _END, 0)
        )

    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + bytes(16)
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<9I", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", 0, *([_FREE] * 108))
    )
    fat = struct.pack("<128I", _FAT, _END, *([_FREE] * 126))
    names = list(stream_names)[:3]
    entries = [entry("Root Entry", 5, child=1 if names else _NONE)]
    for index, name in enumerate(names, start=1):
        entries.append(entry(name, 2, right=index + 1 if index < len(names) else _NONE))
    entries += [entry("", 0)] * (4 - len(entries))
    return header + fat + b"".join(entries)


def zip_bytes(entries):
    """A ZIP of {name: bytes}; a "mimetype" entry is stored first and uncompressed, as ODF wants."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if "mimetype" in entries:
            archive.writestr("mimetype", entries["mimetype"], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != "mimetype":
                archive.writestr(name, data)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DOC = ole_bytes("WordDocument", "SummaryInformation")
XLS = ole_bytes("Workbook", "SummaryInformation")
PPT = ole_bytes("PowerPoint Document")
DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
)
ODS = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<o/>"}
)
DOCM = zip_bytes(
    {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document/>",
        "word/vbaProject.bin": b"macro",
    }
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)

SAMPLES = {
    "pdf": PDF,
    "doc": DOC,
    "docx": DOCX,
    "xls": XLS,
    "xlsx": XLSX,
    "odt": ODT,
    "ods": ODS,
}


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def make_document(
    number="42/2022/NĐ-CP",
    *,
    type_name="Nghị định",
    body_name="Chính phủ",
    field_names=(),
    files=(),
    **fields,
):
    """A published document (unless told otherwise), its type, body and fields made as needed;
    ``files``: [(name, bytes)]."""
    from django.utils import timezone

    from documents.models import (
        Document,
        DocumentField,
        DocumentFile,
        DocumentType,
        IssuingBody,
    )

    fields.setdefault("summary", f"Văn bản số {number}")
    fields.setdefault("issued_on", timezone.localdate() - timezone.timedelta(days=30))
    fields.setdefault("status", Document.Status.PUBLISHED)
    if fields["status"] == Document.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - timezone.timedelta(hours=1))
    document = Document.objects.create(
        number=number,
        document_type=DocumentType.objects.get_or_create(name=type_name)[0],
        issuing_body=IssuingBody.objects.get_or_create(name=body_name)[0],
        **fields,
    )
    document.fields.set([DocumentField.objects.get_or_create(name=n)[0] for n in field_names])
    for position, (name, data) in enumerate(files):
        DocumentFile.objects.create(document=document, file=upload(name, data), position=position)
    return document


def make_document_pages():
    """A small library, and {name: path} of each kind of its public pages in both languages
    (tests/public_pages.py)."""
    import datetime

    from django.urls import reverse
    from django.utils import translation

    from documents.models import DocumentRelation

    decree = make_document(
        "42/2022/NĐ-CP",
        summary="Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà "
        "nước trên môi trường mạng",
        signer="Phạm Minh Chính",
        issued_on=datetime.date(2022, 6, 24),
        effective_on=datetime.date(2022, 8, 15),
        field_names=["Công nghệ thông tin"],
        files=[("Nghị định 42-2022-NĐ-CP.pdf", PDF), ("Phụ lục.docx", DOCX)],
    )
    circular = make_document(
        "11/2023/TT-BLĐTBXH",
        type_name="Thông tư",
        body_name="Bộ Lao động – Thương binh và Xã hội",
        summary="Hướng dẫn thực hiện bình đẳng giới trong lao động",
        issued_on=datetime.date(2023, 3, 1),
        expires_on=datetime.date(2024, 1, 1),
        field_names=["Bình đẳng giới", "Lao động"],
    )
    DocumentRelation.objects.create(
        document=circular, target=decree, kind=DocumentRelation.Kind.GUIDES
    )
    pages = {
        "documents": reverse("documents:document-list"),
        "documents filtered": reverse("documents:document-list")
        + "?loai=thong-tu&co-quan=bo-lao-dong-thuong-binh-va-xa-hoi&linh-vuc=lao-dong&nam=2023"
        "&hieu-luc=het&q=binh+dang",
        "documents, nothing found": reverse("documents:document-list") + "?q=khong+co+van+ban",
        "document": decree.get_absolute_url(),
        "document expired": circular.get_absolute_url(),
    }
    with translation.override("en"):
        pages["documents, English"] = reverse("documents:document-list")
        pages["document, English"] = decree.get_absolute_url()
    return pages
