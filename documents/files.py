"""The files of legal documents and drafts: what may be uploaded, how it is stored and served.

Shared by the library and the drafts for public comment (admin, importer, shell alike):

* ``inspect_document(file, name)`` tells the type from the content, never from the name, and
  refuses anything that is not PDF, DOC, DOCX, XLS, XLSX, ODT or ODS, is empty, or is larger
  than ``settings.PORTAL_DOCUMENT_MAX_BYTES``; ``validate_document_file(uploaded)`` is the same
  as a field validator.
* ``StoredFile`` is an abstract model (the file under a generated name, its original name,
  size and detected type) that runs that check on every save.
* ``download_response(request, file_field, original_name)`` streams a stored file as an
  attachment named as it was uploaded (RFC 5987), or a PDF inline in a sandbox.

The type comes from the bytes: ``%PDF-``; an OLE2 compound file (Word and Excel 97–2003) is read
with olefile, whose directory names the main stream ("WordDocument", "Workbook"); a ZIP (Office
Open XML, OpenDocument) is opened with zipfile, which reads only the central directory and the
tiny ``mimetype`` entry: nothing is decompressed, so a zip bomb costs nothing.
"""

import logging
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileType:
    """A kind of file the portal accepts, as detected from its content."""

    code: str  # what is stored in the database: "pdf", "docx", …
    extension: str
    content_type: str
    label: str  # shown to readers beside the size
    family: str  # files whose names may be swapped for one another (a .doc that is a DOCX)


FILE_TYPES = {
    file_type.code: file_type
    for file_type in (
        FileType("pdf", "pdf", "application/pdf", "PDF", "pdf"),
        FileType("doc", "doc", "application/msword", "Word (DOC)", "word"),
        FileType(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word (DOCX)",
            "word",
        ),
        FileType("xls", "xls", "application/vnd.ms-excel", "Excel (XLS)", "sheet"),
        FileType(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel (XLSX)",
            "sheet",
        ),
        FileType("odt", "odt", "application/vnd.oasis.opendocument.text", "ODT", "odt"),
        FileType("ods", "ods", "application/vnd.oasis.opendocument.spreadsheet", "ODS", "ods"),
    )
}
FILE_TYPE_CHOICES = [(code, file_type.label) for code, file_type in FILE_TYPES.items()]
ACCEPTED_EXTENSIONS = ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods"
# Extensions a word processor or a spreadsheet also writes, which are their families' too.
_EXTENSION_FAMILY = {
    **{file_type.extension: file_type.family for file_type in FILE_TYPES.values()},
    "rtf": "word",
}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# Macro projects: a portal never hands readers a file that runs code when opened.
_OOXML_MACROS = ("word/vbaProject.bin", "xl/vbaProject.bin")
_OLE_MACROS = ("Macros", "_VBA_PROJECT_CUR")


def _accepted_message():
    return gettext("Chỉ nhận tệp PDF, Word (DOC, DOCX), Excel (XLS, XLSX), ODT hoặc ODS.")


def detect_type(file):
    """The FileType of a file's content, or None when it is none of the accepted ones.

    Raises ValidationError for an accepted container that carries macros. Leaves the file's
    position at the start.
    """
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return FILE_TYPES["pdf"]
        if head == OLE_MAGIC:
            return _ole_type(file)
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(file)
        return None
    finally:
        file.seek(0)


def _ole_type(file):
    try:
        ole = olefile.OleFileIO(file)
    except Exception:  # noqa: BLE001 - any damage in a hostile file means "not a document"
        return None
    try:
        if any(ole.exists(name) for name in _OLE_MACROS):
            raise ValidationError(gettext("Tệp có chứa macro và không được nhận."), code="macro")
        if ole.exists("WordDocument"):
            return FILE_TYPES["doc"]
        if ole.exists("Workbook") or ole.exists("Book"):
            return FILE_TYPES["xls"]
        return None  # PowerPoint, an MSI installer, Outlook mail…
    finally:
        ole.close()


def _zip_type(file):
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 100:
                    return None
                code = _ODF_TYPES.get(archive.read(info).strip())
                return FILE_TYPES[code] if code else None
            if "[Content_Types].xml" not in names:
                return None
            if names.intersection(_OOXML_MACROS):
                raise ValidationError(
                    gettext("Tệp có chứa macro và không được nhận."), code="macro"
                )
            if "word/document.xml" in names:
                return FILE_TYPES["docx"]
            if "xl/workbook.xml" in names:
                return FILE_TYPES["xlsx"]
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    except NotImplementedError:  # a compression method zipfile does not know
        return None


def _extension(name):
    base = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def inspect_document(file, name=None):
    """Check an uploaded file and return its FileType; raise ValidationError otherwise.

    The size is checked before a byte is read. The name only counts where it contradicts the
    content across kinds (a PDF named .docx, an Excel sheet named .doc): a .doc that is really a
    DOCX is taken as the DOCX it is.
    """
    max_bytes = settings.PORTAL_DOCUMENT_MAX_BYTES
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if not size:
        raise ValidationError(gettext("Tệp trống (0 byte)."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            gettext("Tệp quá lớn (%(size)s). Dung lượng tối đa là %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    file_type = detect_type(file)
    if file_type is None:
        raise ValidationError(
            gettext("Nội dung tệp không phải là văn bản được phép. %(accepted)s")
            % {"accepted": _accepted_message()},
            code="bad_type",
        )
    family = _EXTENSION_FAMILY.get(_extension(name))
    if family is not None and family != file_type.family:
        raise ValidationError(
            gettext("Tệp có đuôi .%(extension)s nhưng nội dung là %(type)s.")
            % {"extension": _extension(name), "type": file_type.label},
            code="wrong_extension",
        )
    return file_type


def validate_document_file(uploaded):
    """A field validator: ``inspect_document`` on an uploaded file (a FieldFile or an
    UploadedFile), by its own name."""
    inspect_document(getattr(uploaded, "file", None) or uploaded, getattr(uploaded, "name", None))


@deconstructible
class GeneratedName:
    """``upload_to`` for document files: ``<folder>/<yyyy>/<mm>/<random>.<detected extension>``.

    The uploader's name is kept only as data (``StoredFile.original_name``), never on disk.
    """

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        file_type = FILE_TYPES.get(getattr(instance, "file_type", ""))
        extension = file_type.extension if file_type else "bin"
        month = timezone.localdate().strftime("%Y/%m")
        return f"{self.folder}/{month}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, GeneratedName) and other.folder == self.folder


def clean_file_name(name):
    """The last part of an uploaded file's name, without control characters, at most 255."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return unicodedata.normalize("NFC", base)[-255:]


class StoredFile(models.Model):
    """A file of a document or a draft, checked by content on every save (admin, importer,
    shell), stored under a generated name and served under its original one.

    Files go under "van-ban/"; a subclass may redeclare ``file`` with another
    ``GeneratedName(folder)``. The detected type, the size and the original name are filled in
    by ``save()``.
    """

    file = models.FileField(
        _("tệp"),
        upload_to=GeneratedName("van-ban"),
        max_length=255,
        help_text=_("PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS."),
    )
    original_name = models.CharField(
        _("tên tệp gốc"),
        max_length=255,
        blank=True,
        help_text=_("Tên người đọc nhận được khi tải về; để trống để giữ tên tệp tải lên."),
    )
    file_type = models.CharField(
        _("định dạng"), max_length=8, choices=FILE_TYPE_CHOICES, editable=False
    )
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0, editable=False)

    class Meta:
        abstract = True

    def _pending_upload(self):
        return self.file.file if self.file and not self.file._committed else None

    def clean(self):
        super().clean()
        upload = self._pending_upload()
        if upload is not None:
            try:
                inspect_document(upload, self.file.name)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None
        if not self.file:
            raise ValidationError({"file": gettext("Hãy chọn một tệp.")}, code="required")

    def save(self, *args, **kwargs):
        upload = self._pending_upload()
        if upload is not None:
            # Every path is checked, not only forms: the name on disk comes from the type found.
            name = clean_file_name(self.file.name)
            file_type = inspect_document(upload, name)
            self.file_type = file_type.code
            self.size = upload.size
            stem = name.rsplit(".", 1)[0] if "." in name else name
            self.original_name = clean_file_name(self.original_name) or (
                f"{stem or 'tep'}.{file_type.extension}"
            )
        else:
            self.original_name = clean_file_name(self.original_name)
        super().save(*args, **kwargs)

    @property
    def type_info(self):
        return FILE_TYPES.get(self.file_type)

    @property
    def type_label(self):
        file_type = self.type_info
        return file_type.label if file_type else ""

    @property
    def is_pdf(self):
        return self.file_type == "pdf"

    @property
    def download_name(self):
        """The original name, with the detected type's extension."""
        file_type = self.type_info
        name = self.original_name or "tep"
        if file_type and _extension(name) != file_type.extension:
            name = f"{name.rsplit('.', 1)[0] if '.' in name else name}.{file_type.extension}"
        return name

    def response(self, request, inline=False):
        return download_response(
            request,
            self.file,
            self.download_name,
            content_type=self.type_info.content_type if self.type_info else None,
            inline=inline and self.is_pdf,
        )


def ascii_file_name(name):
    """An ASCII stand-in for a Vietnamese file name, for clients without RFC 5987:
    "Quyết định số 1.pdf" gives "Quyet dinh so 1.pdf"."""
    folded = name.replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    kept = "".join(ch if ch.isalnum() or ch in " .-_()" else "_" for ch in folded).strip()
    return kept or "tep"


def content_disposition(name, inline=False):
    """``attachment; filename="ascii"; filename*=UTF-8''<percent-encoded>`` (RFC 6266/5987)."""
    disposition = "inline" if inline else "attachment"
    fallback = ascii_file_name(name)
    if fallback == name:
        return f'{disposition}; filename="{fallback}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_response(request, file_field, original_name, *, content_type=None, inline=False):
    """Stream a stored file to the reader (a 404 when it is missing from storage).

    Always an attachment named ``original_name``, with ``nosniff``; ``inline=True`` (for a PDF)
    lets the browser show it, but only in a sandbox: no script, no form, no same origin. The
    response streams, so the page cache never stores it.
    """
    try:
        handle = file_field.storage.open(file_field.name, "rb")
    except (FileNotFoundError, OSError, ValueError):
        logger.warning("Document file missing from storage: %s", file_field.name)
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(original_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    if inline:
        response["Content-Security-Policy"] = "sandbox"
    return response
