"""Small factories for the drafts' tests (tests/test_drafts*.py); the clock is frozen at NOW."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Draft

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 5, 15, 10, 0, tzinfo=VN)
# What a browser sends with a form posted from the site's own page.
SAME_SITE = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def build_draft(**fields):
    """A published draft whose window is open at NOW unless told otherwise."""
    fields.setdefault("title", "Dự thảo Nghị định quy định chi tiết Luật Việc làm")
    fields.setdefault("drafting_unit", "Vụ Pháp chế")
    fields.setdefault("summary", "Quy định chi tiết một số điều của Luật Việc làm.")
    fields.setdefault("body", "<p>Điều 1. Phạm vi điều chỉnh.</p>")
    fields.setdefault("opens_at", NOW - timedelta(days=3))
    fields.setdefault("closes_at", NOW + timedelta(days=30))
    fields.setdefault("status", Draft.Status.PUBLISHED)
    if fields["status"] == Draft.Status.PUBLISHED:
        fields.setdefault("published_at", NOW - timedelta(days=3))
    return Draft.objects.create(**fields)


def pdf_upload(name="Dự thảo Nghị định.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def comment_data(**overrides):
    data = {
        "name": "Nguyễn Văn An",
        "email": "an@example.vn",
        "organisation": "Sở Lao động – Thương binh và Xã hội Phú Yên",
        "content": "Đề nghị làm rõ khái niệm người lao động tự do tại Điều 3.",
        "website": "",
    }
    data.update(overrides)
    return data
