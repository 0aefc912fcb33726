import hashlib
import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from news.models import Article, Category, Image
from news.parser import ParseError, decode_page, parse_page
from news.text import vietnamese_slugify

DEFAULT_CATEGORY = "Tin tức"
# Files are committed in groups; each file still has its own savepoint, so a bad file
# leaves nothing behind while the good ones around it are kept.
BATCH_SIZE = 200
PROGRESS_THRESHOLD = 10
ANALYZE_AFTER = 500


@dataclass
class Outcome:
    key: str
    result: str  # created, updated, unchanged, failed
    error: str = ""
    undated: bool = False
    warnings: list = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Nhập các trang tin cũ (tệp .txt đã thu thập) thành bài viết. Nhận tệp hoặc thư mục "
        "(duyệt đệ quy *.txt). Chạy lại trên cùng tệp không tạo bản trùng; tệp đã đổi sẽ cập "
        "nhật bài của nó."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Tệp .txt hoặc thư mục.")
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
            help="Trạng thái của bài nhập (mặc định: published).",
        )
        parser.add_argument("--images", metavar="DIR", help="Thư mục chứa tệp ảnh, tìm theo tên.")
        parser.add_argument(
            "--encoding",
            help="Bảng mã của các tệp. Mặc định nhận UTF-8 (có hoặc không BOM) và UTF-16 có BOM.",
        )

    def handle(self, *args, **options):
        if options["json"] and not options["dry_run"]:
            raise CommandError("--json chỉ dùng cùng --dry-run.")
        self.verbosity = options["verbosity"]
        self.dry_run = options["dry_run"]
        self.as_json = options["json"]
        self.status = options["status"]
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
        """(key, path) pairs. The key is the path below the directory named, or the file name."""
        found = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                for file in sorted(path.rglob("*.txt")):
                    if file.is_file():
                        found.append((file.relative_to(path).as_posix(), file))
            elif path.is_file():
                found.append((path.name, path))
            else:
                raise CommandError(f"{raw}: không có tệp hoặc thư mục này.")
        if not found:
            raise CommandError("Không tìm thấy tệp .txt nào để nhập.")
        return found

    # -- import --------------------------------------------------------------------------

    def _import_batch(self, batch):
        parsed = []
        for key, path in batch:
            try:
                data = path.read_bytes()
                article = parse_page(decode_page(data, self.encoding))
            except (ParseError, OSError) as error:
                parsed.append((key, path, None, str(error)))
            else:
                parsed.append((key, path, article, hashlib.sha256(data).hexdigest()))

        if self.dry_run:
            return [self._report_dry(key, path, page, extra) for key, path, page, extra in parsed]

        existing = {
            a.import_key: a for a in Article.objects.filter(import_key__in=[k for k, *_ in parsed])
        }
        names = {fig.file for _k, _p, page, _e in parsed if page for fig in page.images}
        self.images = {}
        for image in Image.objects.filter(original_filename__in=names).order_by("pk"):
            self.images[image.original_filename] = image  # the newest wins
        outcomes = []
        with transaction.atomic():
            for key, path, page, extra in parsed:
                if page is None:
                    outcomes.append(self._fail(key, path, extra))
                    continue
                known_images = dict(self.images)
                try:
                    with transaction.atomic(), reversion.create_revision():
                        reversion.set_comment(f"Nhập từ tệp {key}")
                        outcomes.append(self._save(key, page, extra, existing.get(key)))
                except (ValidationError, DatabaseError, OSError, ValueError) as error:
                    self.images = known_images  # forget images rolled back with this file
                    message = "; ".join(getattr(error, "messages", None) or [str(error)])
                    outcomes.append(self._fail(key, path, message))
        return outcomes

    def _fail(self, key, path, reason):
        self.stderr.write(f"{path}: {reason}")
        return Outcome(key, "failed", error=reason)

    def _checksum(self, data_hash, page):
        present = [
            f"{fig.file}:{int(self._image_path(fig.file) is not None)}" for fig in page.images
        ]
        options = [self.status, str(self.fallback_category and self.fallback_category.pk)]
        return hashlib.sha256("|".join([data_hash, *options, *present]).encode()).hexdigest()

    def _save(self, key, page, data_hash, article):
        checksum = self._checksum(data_hash, page)
        if article is not None and article.import_checksum == checksum:
            return Outcome(key, "unchanged")
        created = article is None
        if created:
            article = Article(import_key=key)
        warnings = []
        published_at = as_datetime(page.published_at)
        article.title = page.title
        article.lead = page.lead
        article.category = self._category(page.category)
        article.author = page.author
        article.source = page.source
        article.published_at = published_at
        article.date_only = published_at is not None and not isinstance(page.published_at, datetime)
        article.status = self.status if published_at else Article.Status.DRAFT
        figures = {fig.file: self._image(fig, warnings) for fig in page.images}
        article.body = page.body_html(
            image_src=lambda fig: figures[fig.file].src,
            image_attrs=lambda fig: {"data-image-id": str(figures[fig.file].image.pk)},
        )
        if figures and article.featured_image_id is None:
            article.featured_image = next(iter(figures.values())).image
        article.import_checksum = checksum
        if not created:
            article.slug = ""  # the title may have changed; _free_slug keeps it if still free
        article.save()
        # The page's own update stamp, not the time of the import.
        Article.objects.filter(pk=article.pk).update(
            updated_at=as_datetime(page.updated_at) or published_at or article.created_at
        )
        for warning in warnings:
            self.stderr.write(f"{key}: {warning}")
        return Outcome(
            key,
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

    def _image_path(self, filename):
        if self.images_dir is None:
            return None
        candidate = self.images_dir / filename
        # Only a plain file directly in the folder: a name from a page must not walk elsewhere.
        if candidate.name == filename and candidate.is_file():
            return candidate
        return None

    def _image(self, figure, warnings):
        """The library Image for a figure: reused by file name, its file attached when found."""
        image = Image.objects.filter(original_filename=figure.file).order_by(
            "-pk"
        ).first() or Image(original_filename=figure.file, caption=figure.caption)
        if not image.caption:
            image.caption = figure.caption
        path = self._image_path(figure.file)
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

    def _report_dry(self, key, path, page, extra):
        if page is None:
            if self.as_json:
                self.stdout.write(
                    json.dumps(
                        {"file": str(path), "ok": False, "error": extra, "article": None},
                        ensure_ascii=False,
                    )
                )
            else:
                self.stderr.write(f"{path}: {extra}")
            return Outcome(key, "failed", error=extra)
        if self.as_json:
            self.stdout.write(json.dumps(self._as_json(path, page), ensure_ascii=False))
        elif self.verbosity > 1:
            self.stdout.write(f"{path}: {page.title}")
        return Outcome(key, "parsed", undated=page.published_at is None)

    def _as_json(self, path, page):
        return {
            "file": str(path),
            "ok": True,
            "error": None,
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
        counts = dict.fromkeys(("created", "updated", "unchanged", "failed", "parsed"), 0)
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
                f"không đổi {counts['unchanged']}, lỗi {counts['failed']}."
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


def as_datetime(value):
    """A parsed stamp as an aware datetime; a bare date becomes local midnight of that day."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time(0, 0)))
    raise ValueError(f"unexpected date value {value!r}")
