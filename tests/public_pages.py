"""Every kind of public page, with real content on each: the one list the page checks share.

``make_public_pages()`` fills the database and returns ``{name: path}``. It is used by
tests/e2e/test_accessibility.py (axe-core), tests/test_html_validity.py (the Nu Html Checker),
tests/e2e/test_lighthouse.py and bench/lighthouse.py (Lighthouse), through the ``public_pages``
fixture of tests/conftest.py or directly.

A new kind of public page is added here once and is then checked by all of them: a function
that makes its content and returns its paths in both languages (as tests/gallery_samples.py's
``make_gallery_pages()`` does), called at the end of ``make_public_pages()``; and its name in
``LIGHTHOUSE_SAMPLE`` if it is a new kind of page rather than a variant. A page that answers
404 on purpose goes in ``NOT_FOUND``; one the browser saves instead of showing (an attachment)
in ``DOWNLOADS``; one that asks search engines not to index it in ``NOT_INDEXED``.
"""

import datetime
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image as PILImage

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"

# Pages that answer 404 on purpose: their page is checked, but not as a success.
NOT_FOUND = {"not found", "not found, English"}
# Pages the browser saves instead of showing: checked as HTML, never opened in a browser.
DOWNLOADS = {"article download"}
# Pages that ask search engines not to index them, on purpose (search results): Lighthouse's
# SEO audit "is-crawlable" fails there, and only that one may.
NOT_INDEXED = {
    "search",
    "search narrowed",
    "search, nothing found",
    "search, English",
    "documents filtered",
    "documents, nothing found",
    "draft thanks",
    "draft thanks, English",
}
# One page of each kind, for the Lighthouse test (tests/e2e/test_lighthouse.py), which takes
# about 11 s a page (keep it under 3 minutes); bench/lighthouse.py runs every page.
LIGHTHOUSE_SAMPLE = [
    "home",
    "section",
    "article",
    "day",
    "search",
    "most read",
    "topic",
    "about page",
    "home, English",
    "album",
    "video",
    "document",
    "draft open",
]


def browser_pages(pages):
    """The pages a browser opens and shows: all but the downloads."""
    return {name: path for name, path in pages.items() if name not in DOWNLOADS}


def photo_upload(name, size=(1200, 800)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (90, 120, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def local(*when):
    return timezone.make_aware(datetime.datetime(*when))


def make_public_pages():
    """Fill the database with the ministry's seed pages, its own pages and a few articles in
    both languages, and return ``{name: path}`` of every kind of public page."""
    from news.models import Article, Category, Image, Topic
    from news.views import PAGE_SIZE
    from readership.models import ReadCount
    from tests.documents_samples import make_document_pages
    from tests.drafts_samples import make_draft_pages
    from tests.gallery_samples import make_gallery_pages

    call_command("loaddata", "portal", verbosity=0)
    society, _created = Category.objects.get_or_create(slug="xa-hoi", defaults={"name": "Xã hội"})
    Category.objects.filter(pk=society.pk).update(name_en="Society")
    labour = Category.objects.create(name="Lao động", name_en="Labour", slug="lao-dong")
    call_command("import_articles", str(SEEDS), stdout=io.StringIO(), stderr=io.StringIO())

    photo = Image.objects.create(
        file=photo_upload("tap-huan.jpg"),
        alt_text="Học viên lớp tập huấn",
        caption="Lớp tập huấn tại Phú Yên",
    )
    article = Article.objects.create(
        title="Tập huấn kỹ năng hỗ trợ nạn nhân bạo lực trên cơ sở giới",
        category=society,
        status=Article.Status.PUBLISHED,
        published_at=local(2023, 9, 14, 9, 30),
        lead="Lớp tập huấn dành cho cán bộ làm công tác xã hội tại Phú Yên.",
        featured_image=photo,
        author="Thái Bình",
        body=(
            f"<p>Lớp học có <strong>120</strong> học viên.</p><figure class='image'>"
            f"<img src='{photo.file.url}' alt='{photo.alt_text}'>"
            f"<figcaption>{photo.caption}</figcaption></figure>"
            "<figure class='table'><table><thead><tr><th>Tỉnh</th><th>Học viên</th></tr>"
            "</thead><tbody><tr><td>Phú Yên</td><td>120</td></tr></tbody></table></figure>"
        ),
    )
    event = Topic.objects.create(
        name="Tháng hành động vì bình đẳng giới",
        name_en="Action Month for Gender Equality",
        is_event=True,
    )
    article.topics.add(event)
    english = Article.objects.create(
        title="Training on support for victims of gender-based violence",
        category=society,
        status=Article.Status.PUBLISHED,
        language=Article.Language.EN,
        published_at=local(2023, 9, 14, 10, 0),
        lead="A course for social workers in Phu Yen.",
        body="<p>The course has <strong>120</strong> participants.</p>",
    )
    english.topics.add(event)
    # A section with more than one page of news.
    for number in range(PAGE_SIZE + 3):
        Article.objects.create(
            title=f"Tin lao động việc làm số {number + 1}",
            category=labour,
            status=Article.Status.PUBLISHED,
            published_at=local(2023, 8, 1 + number, 8, 0),
            lead="Tình hình lao động, việc làm trong tháng.",
            body="<p>Nội dung tin lao động.</p>",
        )
    # Read, for the most read lists.
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    ReadCount.objects.create(article=article, started_at=hour, language="vi", reads=12)
    ReadCount.objects.create(article=english, started_at=hour, language="en", reads=5)

    day = timezone.localdate(article.published_at)
    date = {"year": day.year, "month": day.month, "day": day.day}
    search = reverse("news:search")
    pages = {
        "home": reverse("news:home"),
        "section": society.get_absolute_url(),
        "section page 2": labour.get_absolute_url() + "?trang=2",
        "topic": event.get_absolute_url(),
        "article": article.get_absolute_url(),
        "article download": reverse("news:article-download", kwargs={**date, "slug": article.slug}),
        "day": reverse("news:archive-day", kwargs=date),
        "month": reverse("news:archive-month", kwargs={"year": day.year, "month": day.month}),
        "year": reverse("news:archive-year", kwargs={"year": day.year}),
        "day picker": reverse("news:archive"),
        "search": search + "?q=tap+huan",
        "search narrowed": search
        + "?q=tap+huan&chuyen-muc=xa-hoi&tu-ngay=01/09/2023&den-ngay=30/09/2023&sap-xep=moi-nhat",
        "search, nothing found": search + "?q=khong+co+tin+nao+nhu+the",
        "most read": reverse("readership:most-read"),
        "about": reverse("agency:page-list"),
        "about page": reverse("agency:page-detail", kwargs={"slug": "chuc-nang-nhiem-vu"}),
        "organisation": reverse("agency:page-detail", kwargs={"slug": "co-cau-to-chuc"}),
        "leaders": reverse("agency:page-detail", kwargs={"slug": "lanh-dao-bo"}),
        "contact": reverse("agency:page-detail", kwargs={"slug": "lien-he"}),
        "accessibility statement": reverse("agency:accessibility"),
        "not found": "/khong-co-trang-nay/",
    }
    with translation.override("en"):
        english_day = timezone.localdate(english.published_at)
        pages.update(
            {
                "home, English": reverse("news:home"),
                "section, English": society.get_absolute_url(),
                "topic, English": event.get_absolute_url(),
                "article, English": english.get_absolute_url(),
                "day, English": reverse(
                    "news:archive-day",
                    kwargs={
                        "year": english_day.year,
                        "month": english_day.month,
                        "day": english_day.day,
                    },
                ),
                "day picker, English": reverse("news:archive"),
                "search, English": reverse("news:search") + "?q=training",
                "most read, English": reverse("readership:most-read"),
                "about, English": reverse("agency:page-list"),
                "contact, English": reverse("agency:page-detail", kwargs={"slug": "contact"}),
                "accessibility statement, English": reverse("agency:accessibility"),
                "not found, English": "/en/no-such-page/",
            }
        )
    pages.update(make_gallery_pages())  # albums and videos, both languages
    pages.update(make_document_pages())  # the library of legal documents, both languages
    pages.update(make_draft_pages())  # drafts for public comment, both languages
    return pages
