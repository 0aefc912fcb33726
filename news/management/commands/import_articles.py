import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import reversion
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from news.html_page import parse_html_page
from news.models import Article, Category, Image
from news.parser import LOCAL_TZ, ParseError, decode_page, parse_page
from news.text import search_fold, vietnamese_slugify

DEFAULT_CATEGORY = "Tin tức"
# Files are committed in groups; each file still has its own savepoint, so a bad file
# leaves nothing behind while the good ones around it are kept.
BATCH_SIZE = 200
PROGRESS_THRESHOLD = 10
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
ANALYZE_AFTER = 500
KEY_LENGTH = Article._meta.get_field("import_key").max_length
# Query parameters that say how a reader arrived, not which page it is.
TRACKING_PARAM = re.compile(r"utm_\w*|fbclid|gclid|dclid|msclkid|zarsrc|_ga|mc_[ce]id", re.I)
EDITED = "bài đã được sửa sau lần nhập trước (bài số {pk}); không ghi đè"


@dataclass
class Outcome:
    name: str
    result: str  # created, updated, unchanged, skipped, failed (parsed in a dry run)
    reason: str = ""
    undated: bool = False
    warnings: list = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Nhập các trang tin cũ (tệp .txt đã thu thập, hoặc trang .html/.htm đã lưu từ trình "
        "duyệt, ảnh lấy từ thư mục <tên>_files/ lưu cùng trang, không tải từ mạng) thành bài "
        "viết. Nhận tệp hoặc thư mục (duyệt đệ quy *.txt, *.html, *.htm). Mỗi trang được "
        "nhận ra theo địa chỉ nguồn in trên trang (trang .html: địa chỉ của chính nó), nếu "
        "không có thì theo tiêu đề, thời điểm xuất bản và nguồn, không theo tên tệp: nhập lại, "
        "nhập bản sao hay nhập từ thư mục khác không tạo bản trùng; trang đã đổi sẽ cập nhật bài "
        "của nó. Bài đã được sửa sau lần nhập trước thì bỏ qua, không ghi đè; trạng thái của bài "
        "đã có chỉ đổi khi có --update-status."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="Tệp .txt, .html hoặc thư mục."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ phân tích và báo cáo; không ghi gì."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Cùng --dry-run: in mỗi tệp một đối tượng JSON trên một dòng.",
        )
        parser.add_argument(
            "--category", metavar="SLUG", help="Chuyên mục cho các trang không in chuyên mục."
        )
        parser.add_argument(
            "--status",
            choices=[Article.Status.DRAFT, Article.Status.PUBLISHED],
            default=Article.Status.PUBLISHED,
            help="Trạng thái của bài mới nhập (mặc định: published). Bài đã có giữ trạng thái "
            "của nó, trừ khi có --update-status.",
        )
        parser.add_argument(
            "--update-status",
            action="store_true",
            help="Đặt cả trạng thái của các bài đã có theo --status (trừ bài đã được sửa sau "
            "lần nhập trước).",
        )
        parser.add_argument("--images", metavar="DIR", help="Thư mục chứa tệp ảnh, tìm theo tên.")
        parser.add_argument(
            "--encoding",
            help="Bảng mã của các tệp .txt. Mặc định nhận UTF-8 (có hoặc không BOM) và UTF-16 có "
            "BOM. Trang .html dùng bảng mã khai báo trong thẻ <meta> của nó.",
        )

    def handle(self, *args, **options):
        if options["json"] and not options["dry_run"]:
            raise CommandError("--json chỉ dùng cùng --dry-run.")
        self.verbosity = options["verbosity"]
        self.dry_run = options["dry_run"]
        self.as_json = options["json"]
        self.status = options["status"]
        self.update_status = options["update_status"]
        self.encoding = options["encoding"]
        if self.encoding:
            try:
                "".encode(self.encoding)
            except LookupError:
                raise CommandError(f"Không biết bảng mã {self.encoding!r}.") from None
        self.images_dir = self._images_dir(options["images"])
        self.fallback_category = self._fallback_category(options["category"])
        self.categories = {}
        files = self._collect(options["paths"])
        self.seen = {}  # page key -> the file that stood for it in this run
        self.legacy = None if self.dry_run else LegacyArticles.load()
        outcomes = []
        show_progress = len(files) > PROGRESS_THRESHOLD and self.verbosity > 0
        for start in range(0, len(files), BATCH_SIZE):
            batch = files[start : start + BATCH_SIZE]
            outcomes.extend(self._import_batch(batch))
            if show_progress:
                self._progress(len(outcomes), len(files))
        if show_progress:
            sys.stderr.write("\n")
        written = sum(o.result in ("created", "updated") for o in outcomes)
        if written >= ANALYZE_AFTER and connection.vendor == "sqlite":
            # SQLite keeps no statistics by itself; without them it picks poor plans for the
            # public pages once the archive is large. (PostgreSQL's autovacuum does this.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return self._summarise(outcomes)

    # -- input ---------------------------------------------------------------------------

    def _images_dir(self, value):
        if not value:
            return None
        path = Path(value)
        if not path.is_dir():
            raise CommandError(f"--images: không có thư mục {value}.")
        return path

    def _fallback_category(self, slug):
        if slug is None:
            return None
        try:
            return Category.objects.get(slug=slug)
        except Category.DoesNotExist:
            raise CommandError(f"--category: không có chuyên mục với slug {slug!r}.") from None

    def _collect(self, paths):
        """(name, path) pairs. The name, for messages and revision comments, is the path below
        the directory named, or the file name; it is not what the page is known by."""
        found = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                for file in sorted(path.rglob("*")):
                    if is_page_file(file) and not in_saved_files_folder(file, path):
                        found.append((file.relative_to(path).as_posix(), file))
            elif path.is_file():
                found.append((path.name, path))
            else:
                raise CommandError(f"{raw}: không có tệp hoặc thư mục này.")
        if not found:
            raise CommandError("Không tìm thấy tệp .txt hay .html nào để nhập.")
        return found

    # -- import --------------------------------------------------------------------------

    def _import_batch(self, batch):
        parsed = []
        for name, path in batch:
            try:
                page = self._parse(path)
            except (ParseError, OSError) as error:
                parsed.append((name, path, None, str(error)))
            else:
                parsed.append((name, path, page, page_key(page)))

        if self.dry_run:
            return [self._report_dry(name, path, page, extra) for name, path, page, extra in parsed]

        existing = {
            a.import_key: a
            for a in Article.objects.filter(
                import_key__in=[k for _n, _p, page, k in parsed if page]
            )
        }
        names = {fig.file for _n, _p, page, _k in parsed if page for fig in page.images}
        self.images = {}
        for image in Image.objects.filter(original_filename__in=names).order_by("pk"):
            self.images[image.original_filename] = image  # the newest wins
        outcomes = []
        with transaction.atomic():
            for name, path, page, key in parsed:
                if page is None:
                    outcomes.append(self._fail(name, path, key))
                    continue
                if key in self.seen:
                    why = f"cùng một trang với {self.seen[key]}, đã xét ở trên"
                    outcomes.append(self._skip(name, path, why))
                    continue
                known_images = dict(self.images)
                try:
                    with transaction.atomic(), reversion.create_revision():
                        reversion.set_comment(f"Nhập từ tệp {name}")
                        article = existing.get(key) or self.legacy.take(name, page)
                        outcome = self._save(name, path, page, key, article)
                except (ValidationError, DatabaseError, OSError, ValueError) as error:
                    self.images = known_images  # forget images rolled back with this file
                    message = "; ".join(getattr(error, "messages", None) or [str(error)])
                    outcome = self._fail(name, path, message)
                else:
                    self.seen[key] = path
                outcomes.append(outcome)
        return outcomes

    def _parse(self, path):
        if path.suffix.lower() in HTML_SUFFIXES:
            # Pictures only from files saved with the page, in its folder; never the network.
            return parse_html_page(path.read_bytes(), base_dir=path.parent)
        return parse_page(decode_page(path.read_bytes(), self.encoding))

    def _fail(self, name, path, reason):
        self.stderr.write(f"{path}: {reason}")
        return Outcome(name, "failed", reason=reason)

    def _skip(self, name, path, reason):
        if self.verbosity > 0:
            self.stdout.write(self.style.WARNING(f"{path}: bỏ qua: {reason}."))
        return Outcome(name, "skipped", reason=reason)

    def _checksum(self, page):
        """A digest of what the page says, so a file saved again unchanged (other line ends,
        a blank line more) is unchanged; and of which image files can be attached."""
        present = [
            f"{fig.file}:{int(self._image_present(fig.file, saved_file(page, fig)))}"
            for fig in page.images
        ]
        category = page.category or (
            f"#{self.fallback_category.pk}" if self.fallback_category else DEFAULT_CATEGORY
        )
        parts = [
            page.title,
            page.lead,
            page.body_html(),
            page.author,
            page.source,
            local_iso(page.published_at),
            local_iso(page.updated_at),
            category,
            *present,
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def _save(self, name, path, page, key, article):
        checksum = self._checksum(page)
        created = article is None
        published_at = as_datetime(page.published_at)
        wanted_status = self.status if published_at else Article.Status.DRAFT
        if not created:
            if edited_since_import(article):
                return self._skip(name, path, EDITED.format(pk=article.pk))
            status_change = self.update_status and article.status != wanted_status
            if (
                article.import_key == key
                and article.import_checksum == checksum
                and not status_change
            ):
                return Outcome(name, "unchanged")
            # Saved by someone since it was read at the start of the batch?
            locked = Article.objects.select_for_update().filter(pk=article.pk)
            if locked.values_list("version", flat=True).first() != article.version:
                return self._skip(name, path, EDITED.format(pk=article.pk))
        else:
            article = Article()
        warnings = []
        article.import_key = key
        article.title = page.title
        article.lead = page.lead
        article.category = self._category(page.category)
        article.author = page.author
        article.source = page.source
        if created or self.update_status:
            article.status = wanted_status
        if published_at is not None or article.status != Article.Status.PUBLISHED:
            article.published_at = published_at
            article.date_only = published_at is not None and not isinstance(
                page.published_at, datetime
            )
        # else: a published article whose page no longer prints its date keeps its time.
        figures = {
            fig.file: self._image(fig, warnings, saved_file(page, fig)) for fig in page.images
        }
        article.body = page.body_html(
            image_src=lambda fig: figures[fig.file].src,
            image_attrs=lambda fig: {"data-image-id": str(figures[fig.file].image.pk)},
        )
        if figures and article.featured_image_id is None:
            article.featured_image = next(iter(figures.values())).image
        article.import_checksum = checksum
        if not created:
            article.slug = ""  # the title may have changed; free_slug keeps it if still free
        article.save()
        # The page's own update stamp, not the time of the import; and the version this import
        # left, to tell later whether anyone has edited the article since.
        article.imported_version = article.version
        Article.objects.filter(pk=article.pk).update(
            updated_at=as_datetime(page.updated_at) or article.published_at or article.created_at,
            imported_version=article.imported_version,
        )
        for warning in warnings:
            self.stderr.write(f"{name}: {warning}")
        return Outcome(
            name,
            "created" if created else "updated",
            undated=published_at is None,
            warnings=warnings,
        )

    def _category(self, name):
        if not name:
            if self.fallback_category is not None:
                return self.fallback_category
            name = DEFAULT_CATEGORY
        slug = vietnamese_slugify(name, 140)
        if slug not in self.categories:
            category = Category.objects.filter(slug=slug).first()
            if category is None:
                category = Category.objects.filter(name__iexact=name).first()
            if category is None:
                category = Category.objects.create(name=name, slug=slug)
            self.categories[slug] = category
        return self.categories[slug]

    def _image_present(self, filename, saved=None):
        """True when the picture's file was saved with the page, is in --images or is already
        in the library."""
        if saved is not None:
            return True
        known = self.images.get(filename)
        return self._image_path(filename) is not None or bool(known and known.file)

    def _image_path(self, filename):
        if self.images_dir is None:
            return None
        candidate = self.images_dir / filename
        # Only a plain file directly in the folder: a name from a page must not walk elsewhere.
        if candidate.name == filename and candidate.is_file():
            return candidate
        return None

    def _image(self, figure, warnings, saved=None):
        """The library Image for a figure: reused by file name, its file attached when found.
        ``saved`` is the file an HTML page was saved with: a library photo of the same name
        stands for it only when it has the same bytes (saved pages reuse names like 1.jpg)."""
        image = Image.objects.filter(original_filename=figure.file).order_by("-pk").first()
        if saved is not None and image is not None and image.file:
            with saved.open("rb") as handle:
                same_bytes = Image.objects.duplicate_of(handle)
            if same_bytes is not None:
                self.images[figure.file] = same_bytes
                return ImageRef(same_bytes)
            image = None
        if image is None:
            # The body shows the caption as the photo's alternative text (ParsedArticle.body_html):
            # the library gets it now rather than from the article's save, one write later.
            alt_limit = Image._meta.get_field("alt_text").max_length
            image = Image(
                original_filename=figure.file,
                caption=figure.caption,
                alt_text=" ".join(figure.caption.split())[:alt_limit],
            )
        if not image.caption:
            image.caption = figure.caption
        path = saved or self._image_path(figure.file)
        if path is not None and not image.file:
            with path.open("rb") as handle:
                same_bytes = Image.objects.duplicate_of(handle)
                if same_bytes is not None:  # the library has this photo already: reuse it
                    self.images[figure.file] = same_bytes
                    return ImageRef(same_bytes)
                image.file = File(handle, name=figure.file)
                try:
                    with transaction.atomic():
                        image.save()
                except ValidationError as error:
                    image.file = None
                    warnings.append(f"ảnh {figure.file} bị từ chối: {' '.join(error.messages)}")
        if path is None and self.images_dir is not None and not image.file:
            warnings.append(f"không tìm thấy tệp ảnh {figure.file}; đã ghi nhận ảnh còn thiếu tệp")
        if image.pk is None:
            image.save()
        self.images[figure.file] = image
        return ImageRef(image)

    # -- output --------------------------------------------------------------------------

    def _report_dry(self, name, path, page, extra):
        if page is None:
            if self.as_json:
                self.stdout.write(
                    json.dumps(
                        {
                            "file": str(path),
                            "ok": False,
                            "error": extra,
                            "key": None,
                            "article": None,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                self.stderr.write(f"{path}: {extra}")
            return Outcome(name, "failed", reason=extra)
        if self.as_json:
            self.stdout.write(json.dumps(self._as_json(path, page, extra), ensure_ascii=False))
        elif self.verbosity > 1:
            self.stdout.write(f"{path}: {page.title}")
        return Outcome(name, "parsed", undated=page.published_at is None)

    def _as_json(self, path, page, key):
        return {
            "file": str(path),
            "ok": True,
            "error": None,
            "key": key,
            "article": {
                "title": page.title,
                "published_at": page.published_at.isoformat() if page.published_at else None,
                "updated_at": page.updated_at.isoformat() if page.updated_at else None,
                "category": page.category
                or (self.fallback_category.name if self.fallback_category else DEFAULT_CATEGORY),
                "author": page.author,
                "lead": page.lead,
                "body_html": page.body_html(),
                "images": [{"file": fig.file, "caption": fig.caption} for fig in page.images],
                "skipped": [{"text": s.text, "why": s.why} for s in page.skipped],
            },
        }

    def _progress(self, done, total):
        width = 30
        filled = width * done // total
        bar = "#" * filled + "." * (width - filled)
        end = "\r" if sys.stderr.isatty() else "\n"
        sys.stderr.write(f"[{bar}] {done}/{total}{end}")
        sys.stderr.flush()

    def _summarise(self, outcomes):
        counts = dict.fromkeys(
            ("created", "updated", "unchanged", "skipped", "failed", "parsed"), 0
        )
        for outcome in outcomes:
            counts[outcome.result] += 1
        undated = sum(1 for o in outcomes if o.undated)
        if self.dry_run:
            line = (
                f"Chạy thử, không ghi gì: phân tích được {counts['parsed']}, "
                f"lỗi {counts['failed']}."
            )
        else:
            line = (
                f"Đã tạo {counts['created']}, cập nhật {counts['updated']}, "
                f"không đổi {counts['unchanged']}, bỏ qua {counts['skipped']}, "
                f"lỗi {counts['failed']}."
            )
        if undated:
            line += f" {undated} trang không in ngày xuất bản: nhập thành bản nháp, chưa có giờ."
        out = self.stderr if self.as_json else self.stdout
        style = self.style.ERROR if counts["failed"] else self.style.SUCCESS
        out.write(style(line))
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} tệp không nhập được.", returncode=1)


@dataclass
class ImageRef:
    image: Image

    @property
    def src(self):
        return self.image.file.url if self.image.file else ""


def is_page_file(path):
    return path.is_file() and path.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES


def in_saved_files_folder(file, top):
    """True for a file inside the "<stem>_files/" folder a browser saved beside "<stem>.html"
    (frames and scripts saved there are parts of that page, not pages of their own)."""
    for folder in file.relative_to(top).parents:
        if folder.name.endswith("_files"):
            stem = (top / folder).parent / folder.name.removesuffix("_files")
            if any(stem.with_name(stem.name + suffix).is_file() for suffix in HTML_SUFFIXES):
                return True
    return False


def saved_file(page, figure):
    """The file an HTML page's figure was read from, or None (text pages, missing files)."""
    return getattr(page, "image_files", {}).get(figure.file)


def page_key(page):
    """What a page is, whatever its file is called or wherever it lies: the address of its
    source when the page prints one ("Nguồn: https://…"), otherwise a fingerprint of its title,
    publication time and source site (and, for a page without a date, its lead too, since a
    title alone such as "Thông báo" names many pages)."""
    address = canonical_url(page.source_url)
    if address:
        if len(address) > KEY_LENGTH:
            return "url:" + hashlib.sha256(address.encode()).hexdigest()
        return address
    parts = [search_fold(page.title), local_iso(page.published_at), source_site(page.source)]
    if page.published_at is None:
        parts.append(search_fold(page.lead))
    return "fp:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def canonical_url(address):
    """One spelling of a page's address: https, host in lower case without "www.", no default
    port, fragment, trailing slash or tracking parameters, the query sorted. "" for an address
    that names a whole site (its home page), which says nothing about which page this is."""
    if not address:
        return ""
    if address[:4].lower() == "www.":
        address = "https://" + address
    try:
        parts = urlsplit(address)
        host, port = (parts.hostname or "").removeprefix("www."), parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not host:
        return ""
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/-._~!$&'()*+,;=:@").rstrip("/")
    params = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(sorted((k, v) for k, v in params if not TRACKING_PARAM.fullmatch(k)))
    if not path and not query:
        return ""
    return urlunsplit(("https", netloc, path, query, ""))


def source_site(name):
    """A source as the fingerprint compares it: "Báo Chính phủ" and "bao chinh phu" alike, and
    a site's address by its host."""
    site = search_fold(name)
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", site).rstrip("/")


def local_iso(value):
    """A parsed stamp in ISO form, in the pages' own time zone; a bare date stays a date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).isoformat()
    return value.isoformat()


def edited_since_import(article):
    """True when someone saved the article after the import that last wrote it."""
    if article.imported_version is not None:
        return article.version != article.imported_version
    # Imported before versions were recorded: the import set updated_at to the page's own
    # (older) stamp, while any later save set it to the time of that save.
    return article.updated_at > article.created_at


class LegacyArticles:
    """Articles imported before pages were known by what they are: their key is the file's path
    below the folder named. A page takes one over when it is that page: the same title and time,
    or the same file (one path the tail of the other) with the same title or the same time."""

    def __init__(self, rows):
        self.by_file, self.by_time = {}, {}
        for row in rows:
            self.by_file.setdefault(row.import_key.rsplit("/", 1)[-1], []).append(row)
            self.by_time.setdefault(row.published_at, []).append(row)

    @classmethod
    def load(cls):
        rows = Article.objects.filter(imported_version=None).exclude(import_key=None)
        return cls(rows.only("pk", "import_key", "title", "published_at"))

    def take(self, name, page):
        """The Article this page is, which no later page can then take; or None."""
        if not self.by_file:
            return None
        title, published_at = search_fold(page.title), as_datetime(page.published_at)
        same_file = [
            row
            for row in self.by_file.get(name.rsplit("/", 1)[-1], [])
            if row.import_key == name
            or row.import_key.endswith("/" + name)
            or name.endswith("/" + row.import_key)
        ]
        same_time = self.by_time.get(published_at, []) if published_at else []
        for row in [*same_file, *same_time]:
            same_title = search_fold(row.title) == title
            at_same_time = row.published_at == published_at
            if (same_title and at_same_time) or (row in same_file and (same_title or at_same_time)):
                self.by_file[row.import_key.rsplit("/", 1)[-1]].remove(row)
                self.by_time[row.published_at].remove(row)
                return Article.objects.get(pk=row.pk)
        return None


def as_datetime(value):
    """A parsed stamp as an aware datetime; a bare date becomes local midnight of that day."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time(0, 0)))
    raise ValueError(f"unexpected date value {value!r}")
