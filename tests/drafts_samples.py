"""The drafts' public pages with real content on each, for the page checks every public page
goes through (tests/public_pages.py: axe, the Nu Html Checker, Lighthouse)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def make_draft_pages():
    """An open draft (its comment form), an upcoming one and a closed one with its response,
    and the list; ``{name: path}`` in both languages."""
    from documents.models import Draft, DraftFile, DraftResponseFile

    now = timezone.now().replace(microsecond=0)
    published = {"status": Draft.Status.PUBLISHED, "published_at": now - timedelta(days=40)}
    open_draft = Draft.objects.create(
        title="Dự thảo Nghị định quy định chi tiết một số điều của Luật Việc làm",
        slug="du-thao-luat-viec-lam",  # one of tests/fuzz_urls.py's slugs
        drafting_unit="Cục Việc làm",
        summary="Quy định chi tiết về bảo hiểm thất nghiệp và hỗ trợ tạo việc làm.",
        body="<h2>Chương I. Quy định chung</h2><p>Điều 1. Phạm vi điều chỉnh.</p>",
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=55),
        **published,
    )
    DraftFile.objects.create(
        draft=open_draft,
        file=SimpleUploadedFile("Dự thảo Nghị định.pdf", PDF, content_type="application/pdf"),
        title="Toàn văn dự thảo Nghị định",
    )
    Draft.objects.create(
        title="Dự thảo Thông tư hướng dẫn về an toàn, vệ sinh lao động",
        drafting_unit="Cục An toàn lao động",
        summary="Hướng dẫn huấn luyện an toàn, vệ sinh lao động.",
        opens_at=now + timedelta(days=3),
        closes_at=now + timedelta(days=63),
        **published,
    )
    closed = Draft.objects.create(
        title="Dự thảo Quyết định phê duyệt Đề án hỗ trợ người khuyết tật",
        drafting_unit="Cục Bảo trợ xã hội",
        summary="Đề án trợ giúp người khuyết tật giai đoạn 2026–2030.",
        body="<p>Điều 1. Phê duyệt Đề án.</p>",
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=10),
        response_body="<p>Cục Bảo trợ xã hội đã tiếp thu 12 ý kiến về Điều 1.</p>",
        **published,
    )
    DraftResponseFile.objects.create(
        draft=closed,
        file=SimpleUploadedFile("Báo cáo tiếp thu.pdf", PDF, content_type="application/pdf"),
    )
    pages = {}
    for language, suffix in (("vi", ""), ("en", ", English")):
        with translation.override(language):
            pages.update(
                {
                    f"drafts{suffix}": reverse("documents:draft-list"),
                    f"draft open{suffix}": reverse(
                        "documents:draft-detail", kwargs={"slug": open_draft.slug}
                    ),
                    f"draft closed{suffix}": reverse(
                        "documents:draft-detail", kwargs={"slug": closed.slug}
                    ),
                    f"draft thanks{suffix}": reverse(
                        "documents:draft-thanks", kwargs={"slug": open_draft.slug}
                    ),
                }
            )
    return pages
