import time

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connections, models
from django.db.models import Count, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFit

from .images import clean_copy, file_sha256, image_upload_to, inspect_image
from .sanitize import body_images, sanitize_html
from .text import clean_plain_text, search_fold, vietnamese_slugify


class SanitizedHTMLField(models.TextField):
    """A TextField whose value is cleaned by the sanitiser whenever it is written to the database.

    Cleaning in pre_save updates the instance too; get_db_prep_save covers paths that skip
    pre_save, such as ``QuerySet.update()``.
    """

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        if isinstance(value, str):
            value = sanitize_html(value)
        return super().get_db_prep_save(value, connection)


@reversion.register()
class Category(models.Model):
    name = models.CharField(_("tên"), max_length=120)
    slug = models.SlugField(_("đường dẫn"), max_length=140, unique=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chuyên mục cha"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("mô tả"), blank=True)
    position = models.PositiveIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ hơn đứng trước trong trình đơn.")
    )

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="category_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    def normalize(self):
        """Tidy the fields as the form's clean() and every save() both do: the rule lives here."""
        self.name = clean_plain_text(self.name)
        if not self.slug:
            self.slug = free_slug(
                Category.objects.exclude(pk=self.pk),
                vietnamese_slugify(self.name, 140) or "chuyen-muc",
            )

    def clean(self):
        self.normalize()
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("Chuyên mục không thể là cha của chính nó.")})
            if self.parent.parent_id:
                raise ValidationError(
                    {"parent": _("Chỉ được lồng một cấp: chuyên mục cha phải là chuyên mục gốc.")}
                )
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("Chuyên mục này đã có chuyên mục con nên không thể làm con.")}
                )

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:category-detail", kwargs={"slug": self.slug})


RENDITION_WIDTHS = (320, 480, 640, 1024)


def _rendition(width, fmt):
    # Generated once, when the file is saved, and never looked up again (Optimistic strategy):
    # a page's image URLs cost no query and no storage round trip.
    return ImageSpecField(
        source="file",
        processors=[ResizeToFit(width=width, upscale=False)],
        format=fmt,
        options={"quality": 78, "optimize": True} if fmt == "JPEG" else {"quality": 75},
        cachefile_strategy="imagekit.cachefiles.strategies.Optimistic",
    )


def _rendition_url(image, width, fmt):
    """The URL of one stored rendition of ``image``.

    imagekit derives a rendition's name from the source file's name and a hash of the spec, which
    it computes by pickling the spec: costly on a page that lists many images. Both inputs are
    fixed for a given file name, so the name is kept per process, and so is the URL on the file
    system (MEDIA_URL joined to the name). Other storages are asked each time: a signed S3 URL
    must not be reused.
    """
    key = (image.file.name, width, fmt)
    found = _RENDITIONS.get(key)
    if found is None:
        if len(_RENDITIONS) >= _RENDITIONS_MAX:
            _RENDITIONS.clear()
        cachefile = image.rendition(width, fmt)
        storage, name = cachefile.storage, cachefile.name
        fixed_url = storage.url(name) if isinstance(storage, FileSystemStorage) else None
        found = _RENDITIONS[key] = (storage, name, fixed_url)
    storage, name, fixed_url = found
    return fixed_url or storage.url(name)


_RENDITIONS = {}
_RENDITIONS_MAX = 20_000


class ImageQuerySet(models.QuerySet):
    def duplicate_of(self, file, exclude_pk=None):
        """The library image with exactly these bytes, if there is one."""
        found = self.filter(sha256=file_sha256(file))
        if exclude_pk:
            found = found.exclude(pk=exclude_pk)
        return found.first()

    def missing_file(self):
        """Images recorded (by the importer) without their file yet."""
        return self.filter(Q(file="") | Q(file__isnull=True))


class Image(models.Model):
    """A photo in the media library. One image may illustrate many articles."""

    file = models.ImageField(
        _("tệp ảnh"),
        upload_to=image_upload_to,
        width_field="width",
        height_field="height",
        blank=True,
        max_length=255,
        help_text=_("JPEG, PNG, WebP hoặc GIF."),
    )
    caption = models.CharField(_("chú thích"), max_length=500, blank=True)
    alt_text = models.CharField(
        _("văn bản thay thế"),
        max_length=300,
        blank=True,
        help_text=_("Mô tả ngắn nội dung ảnh cho người khiếm thị."),
    )
    credit = models.CharField(
        _("nguồn ảnh"), max_length=200, blank=True, help_text=_("Ví dụ: Ảnh: Thái Bình")
    )
    width = models.PositiveIntegerField(_("chiều rộng"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("chiều cao"), null=True, blank=True, editable=False)
    original_filename = models.CharField(
        _("tên tệp gốc"), max_length=255, blank=True, db_index=True
    )
    sha256 = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now, editable=False)

    webp_320, jpeg_320 = _rendition(320, "WEBP"), _rendition(320, "JPEG")
    webp_480, jpeg_480 = _rendition(480, "WEBP"), _rendition(480, "JPEG")
    webp_640, jpeg_640 = _rendition(640, "WEBP"), _rendition(640, "JPEG")
    webp_1024, jpeg_1024 = _rendition(1024, "WEBP"), _rendition(1024, "JPEG")

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("thư viện ảnh")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"], condition=~Q(sha256=""), name="image_unique_content"
            ),
        ]

    def __str__(self):
        return self.caption or self.original_filename or _("Ảnh #%(pk)s") % {"pk": self.pk}

    @property
    def has_file(self):
        return bool(self.file)

    def normalize(self):
        """Tidy the fields as the form's clean() and every save() both do: the rule lives here."""
        self.caption = clean_plain_text(self.caption)
        self.alt_text = clean_plain_text(self.alt_text)
        self.credit = clean_plain_text(self.credit)

    def clean(self):
        self.normalize()
        upload = self.file.file if self.file and not self.file._committed else None
        if upload is not None:
            try:
                inspect_image(upload)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None
            duplicate = Image.objects.duplicate_of(upload, exclude_pk=self.pk)
            if duplicate is not None:
                raise ValidationError(
                    {
                        "file": _("Ảnh này đã có trong thư viện: “%(image)s” (số %(pk)s).")
                        % {"image": duplicate, "pk": duplicate.pk}
                    },
                    code="duplicate",
                )

    def save(self, *args, **kwargs):
        self.normalize()
        if self.file and not self.file._committed:
            # Every path (admin, editor upload, importer, shell) is checked, not only forms,
            # and only a clean, upright copy without personal metadata is ever stored.
            upload = self.file.file
            fmt, _w, _h = inspect_image(upload)
            if not self.original_filename:
                self.original_filename = clean_plain_text(self.file.name.rsplit("/", 1)[-1])[:255]
            self.sha256 = file_sha256(upload)
            self._detected_format = fmt
            self.file = ContentFile(clean_copy(upload, fmt).read(), name=self.original_filename)
        super().save(*args, **kwargs)

    def renditions(self, fmt="jpeg"):
        """[(url, width)] of the stored copies in "webp" or "jpeg", none wider than the original."""
        if not self.file or not self.width:
            return []
        memo = self.__dict__.setdefault("_rendition_memo", {})
        if fmt not in memo:
            memo[fmt] = self._renditions(fmt)
        return memo[fmt]

    def _renditions(self, fmt):
        found, seen = [], set()
        for width in RENDITION_WIDTHS:
            actual = min(width, self.width)
            if actual not in seen:  # a 500 px original has a 320 and a 500, not two 500s
                seen.add(actual)
                found.append((_rendition_url(self, width, fmt), actual))
        return found

    def srcset(self, fmt="jpeg"):
        return ", ".join(f"{url} {width}w" for url, width in self.renditions(fmt))

    def rendition(self, width, fmt="jpeg"):
        """The stored copy at one of RENDITION_WIDTHS, in "webp" or "jpeg"."""
        return getattr(self, f"{fmt}_{width}")

    def height_for(self, width):
        if not self.width or not self.height:
            return None
        width = min(width, self.width)
        return round(self.height * width / self.width)


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """The single definition of what the public may see: published, due, and not expired.

        Decided at query time, so a scheduled article goes live by itself at its time.
        """
        at = at or timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=at),
            status=Article.Status.PUBLISHED,
            published_at__lte=at,
        )

    def next_visibility_change(self, now):
        """The nearest moment after ``now`` at which published() changes by itself: a
        scheduled article going live, or a live one expiring. Nothing cached outlives it
        (portal.caching.store). One query; each subquery walks an index from ``now`` on."""
        published = self.filter(status=Article.Status.PUBLISHED)
        publication = published.filter(published_at__gt=now).order_by("published_at")
        expiry = published.filter(expires_at__gt=now).order_by("expires_at")
        rows = self.any_of(publication.values("pk")[:1], expiry.values("pk")[:1]).values_list(
            "published_at", "expires_at"
        )
        moments = [moment for row in rows for moment in row if moment and moment > now]
        return min(moments, default=None)

    def in_category(self, category):
        """Articles of a section and of its subcategories.

        The section's ids come from a small subquery, so the filter is ``category_id IN (...)``
        on the article table's own index rather than a join.
        """
        key = getattr(category, "pk", category)  # a Category, an id, or an OuterRef
        if isinstance(key, OuterRef):
            # The ids subquery sits one level further in: reach past it to the caller's query.
            key = OuterRef(key)
        ids = Category.objects.filter(Q(pk=key) | Q(parent=key)).values("pk")
        return self.filter(category_id__in=ids)

    def in_categories(self, ids):
        """Articles in any of these categories: in_category() when the ids are already known
        (news.context_processors.CategoryTree.ids_under), without the subquery. A plain list is
        much cheaper to build and compile, and the index serves it the same way."""
        return self.filter(category_id__in=list(ids))

    def in_language(self, code):
        """Articles written in ``code`` ("vi" or "en"): each side of the site lists only its own."""
        return self.filter(language=code)

    def using_image(self, image):
        """Articles that show an image, as their featured image or inside their body."""
        condition = Q(featured_image=image)
        if image.file:
            condition |= Q(body__contains=image.file.name)
        return self.filter(condition)

    def any_of(self, *subqueries):
        """Rows whose pk is in any of a few small ``qs.values("pk")[:n]`` subqueries, in one query.

        Each subquery walks an index and stops at its LIMIT. PostgreSQL gets them as one
        UNION ALL (an OR of IN-subqueries would make it scan the whole table); SQLite, which
        allows no LIMIT inside a compound query, gets the OR, which it plans well.
        """
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            first, *rest = subqueries
            return self.filter(pk__in=first.union(*rest, all=True) if rest else first)
        condition = Q()
        for subquery in subqueries:
            condition |= Q(pk__in=subquery)
        return self.filter(condition)

    def newest_in_each(self, groups, count):
        """The newest ``count`` of these articles in each group of category ids (a section and
        its subcategories: news.context_processors.CategoryTree.ids_under), newest first, in one
        query whatever the groups.

        Each group's own small subquery (ORDER BY ... LIMIT) walks the publication index, so the
        cost does not grow with the archive; outside, the rows are read by primary key only.
        """
        newest = self.order_by("-published_at", "-pk").values("pk")
        subqueries = [newest.in_categories(ids)[:count] for ids in groups]
        if not subqueries:
            return self.none()
        return Article.objects.any_of(*subqueries).order_by("-published_at", "-pk")

    def section_neighbours(self, article, count):
        """Around ``article`` in its category (and its subcategories), in one query, newest
        first: the newest ``count`` of these articles but the article itself, and the nearest
        one published before it and after it (at the same moment, the one created before or
        after). An article without a publication time has no neighbours.

        The newest ``count`` rows of the result are the category's newest, since anything
        outside them is older; news.selectors.related_and_neighbours tells them apart.
        """
        same_section = self.in_category(article.category).exclude(pk=article.pk)
        wanted = [same_section.order_by("-published_at", "-pk").values("pk")[:count]]
        at = article.published_at
        if at is not None:
            older = Q(published_at__lt=at) | Q(published_at=at, pk__lt=article.pk)
            newer = Q(published_at__gt=at) | Q(published_at=at, pk__gt=article.pk)
            # The plain bound beside the OR is what lets the index walk start at the article
            # instead of at today: without it, an old article's neighbour costs a long scan.
            previous = same_section.filter(older, published_at__lte=at)
            following = same_section.filter(newer, published_at__gte=at)
            wanted += [
                previous.order_by("-published_at", "-pk").values("pk")[:1],
                following.order_by("published_at", "pk").values("pk")[:1],
            ]
        # Only primary-key look-ups outside: each subquery walks the publication index.
        return Article.objects.any_of(*wanted).order_by("-published_at", "-pk")

    def nearest_before(self, moment):
        """The last of these articles published before ``moment``, as a one-row queryset (a
        subquery for any_of): the index walk starts at ``moment`` and stops at the first row."""
        return self.filter(published_at__lt=moment).order_by("-published_at")[:1]

    def first_from(self, moment):
        """The first of these articles published at or after ``moment``, as a one-row queryset
        (a subquery for any_of)."""
        return self.filter(published_at__gte=moment).order_by("published_at")[:1]

    def counts_by(self, period):
        """{start of each ``period`` (TruncDate, TruncMonth, TruncYear: in the current time
        zone, GMT+7): how many of these articles were published in it}, in one grouped query."""
        rows = (
            self.select_related(None)
            .annotate(start=period("published_at"))
            .values("start")
            .annotate(count=Count("pk"))
            .order_by("start")
        )
        return {row["start"]: row["count"] for row in rows}

    def listing(self):
        """with_related(), without the long text columns that list items never show."""
        return self.with_related().defer("body", "search_text", "import_checksum")

    def cards(self):
        """listing() without the categories: for a page that already holds the category tree
        (news.context_processors.CategoryTree.attach gives each article its category from it),
        two joins and two model instances fewer per row."""
        return self.select_related("featured_image").defer("body", "search_text", "import_checksum")

    def with_related(self):
        """Join what list items and article pages show, so a page's query count stays fixed."""
        return self.select_related("category", "category__parent", "featured_image")


@reversion.register()
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã xuất bản")

    class Language(models.TextChoices):
        VI = "vi", _("Tiếng Việt")
        EN = "en", _("Tiếng Anh")

    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tiêu đề."),
    )
    lead = models.TextField(
        _("sapo"), blank=True, help_text=_("Đoạn mở đầu, văn bản thuần, in đậm trên bài.")
    )
    body = SanitizedHTMLField(_("nội dung"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("chuyên mục"), on_delete=models.PROTECT, related_name="articles"
    )
    author = models.CharField(
        _("tác giả"),
        max_length=200,
        blank=True,
        help_text=_("Bút danh như in trên bài, ví dụ: Thái Bình."),
    )
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    # English articles are listed on the English side (/en/) only, Vietnamese ones on the rest.
    language = models.CharField(
        _("ngôn ngữ"),
        max_length=8,
        choices=Language.choices,
        default=Language.VI,
        help_text=_("Bài tiếng Anh chỉ hiện ở phần tiếng Anh của cổng (/en/)."),
    )
    featured_image = models.ForeignKey(
        Image,
        verbose_name=_("ảnh đại diện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="featured_in",
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("thời điểm xuất bản"),
        null=True,
        blank=True,
        help_text=_("Giờ Việt Nam (GMT+7). Một thời điểm trong tương lai nghĩa là hẹn giờ."),
    )
    date_only = models.BooleanField(
        _("chỉ có ngày"),
        default=False,
        help_text=_("Nguồn chỉ ghi ngày, không ghi giờ (bài nhập từ trang cũ): bài chỉ in ngày."),
    )
    expires_at = models.DateTimeField(
        _("hết hạn lúc"),
        null=True,
        blank=True,
        help_text=_("Tùy chọn. Sau thời điểm này bài không còn hiển thị với bạn đọc."),
    )
    # Changed on every save; an edit begun from an older value is refused (no lost edits).
    # It only ever grows, even when an old revision is restored with its old value.
    version = models.PositiveBigIntegerField(_("phiên bản"), default=0, editable=False)
    # The local (GMT+7) day of publication, kept so the database can hold slugs unique per day.
    published_date = models.DateField(_("ngày xuất bản"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa cuối"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Title, lead and body text folded to lower case without diacritics, for search on any database.
    search_text = models.TextField(blank=True, editable=False)
    # Which page an imported article is (its source address or a fingerprint, see
    # import_articles), a checksum of what was imported, and the version the import left:
    # when ``version`` has moved on since, someone edited the article and imports leave it be.
    import_key = models.CharField(max_length=255, null=True, blank=True, editable=False)
    import_checksum = models.CharField(max_length=64, blank=True, editable=False)
    imported_version = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        permissions = [("publish_article", _("Có thể xuất bản, gỡ và hẹn giờ bài viết"))]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_status_pub_idx"),
            models.Index(fields=["category", "published_at"], name="article_category_pub_idx"),
            models.Index(fields=["expires_at"], name="article_expires_idx"),
            models.Index(
                fields=["language", "status", "published_at"], name="article_language_pub_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["published_date", "slug"], name="article_slug_unique_per_day"
            ),
            models.UniqueConstraint(fields=["import_key"], name="article_import_key_unique"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=models.F("published_at")),
                name="article_expires_after_publication",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_visible(self):
        """True when published() would show this article now."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def normalize(self):
        """Tidy and fill the fields as the form's clean() and every save() both do: the rule
        lives here. A published article without a time is published now; a blank slug becomes
        the title's, made free on its day."""
        self.title = clean_plain_text(self.title)
        self.lead = clean_plain_text(self.lead)
        self.author = clean_plain_text(self.author)
        self.source = clean_plain_text(self.source)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.published_date = local_date(self.published_at)
        if not self.slug:
            self.slug = free_slug(self._same_day(), vietnamese_slugify(self.title) or "bai-viet")

    def clean(self):
        slug_typed = bool(self.slug)
        self.normalize()
        if not self.title:
            raise ValidationError({"title": _("Bài viết cần có tiêu đề.")})
        if self.status == self.Status.PUBLISHED:
            self._check_alt_text()
        if self.expires_at and self.published_at and self.expires_at <= self.published_at:
            raise ValidationError(
                {"expires_at": _("Thời điểm hết hạn phải sau thời điểm xuất bản.")}
            )
        if slug_typed and self._same_day().filter(slug=self.slug).exists():
            raise ValidationError(
                {
                    "slug": _("Đã có bài khác cùng đường dẫn này trong ngày %(day)s.")
                    % {"day": self.published_date.strftime("%d/%m/%Y")}
                }
            )

    def save(self, *args, **kwargs):
        self.normalize()
        self.refresh_derived_fields()
        self.version = max(self.version + 1, time.time_ns() // 1000)
        super().save(*args, **kwargs)

    def _same_day(self):
        """The other articles whose slugs this one's must differ from: those of its day (an
        article without a day has none)."""
        if self.published_date is None:
            return Article.objects.none()
        return Article.objects.filter(published_date=self.published_date).exclude(pk=self.pk)

    def _check_alt_text(self):
        """Every picture a reader sees needs alternative text (Circular 32/2017/TT-BTTTT)."""
        missing = []
        if self.featured_image_id and not self.featured_image.alt_text:
            missing.append(str(self.featured_image))
        for attrs in body_images(self.body):
            if not (attrs.get("alt") or "").strip():
                missing.append(attrs.get("src", "").rsplit("/", 1)[-1] or _("ảnh trong bài"))
        if missing:
            raise ValidationError(
                _("Chưa thể xuất bản: ảnh sau cần văn bản thay thế (mô tả ảnh): %(images)s.")
                % {"images": ", ".join(missing)},
                code="alt_text",
            )

    def refresh_derived_fields(self):
        """Fill the fields computed from others. save() calls it; so must bulk writers."""
        self.published_date = local_date(self.published_at)
        self.search_text = search_fold(
            "\n".join([self.title, self.lead, strip_tags(sanitize_html(self.body))])
        )

    def get_absolute_url(self):
        # On its own side of the site, whatever language the page that links to it is in.
        language = self.language or settings.LANGUAGE_CODE
        if translation.get_language() == language:  # the usual case, and a list asks often
            return self._reverse_url()
        with translation.override(language):
            return self._reverse_url()

    def _reverse_url(self):
        if self.published_at is None:
            return reverse("news:article-preview", kwargs={"pk": self.pk})
        local = timezone.localtime(self.published_at, timezone.get_default_timezone())
        return reverse(
            "news:article-detail",
            kwargs={"year": local.year, "month": local.month, "day": local.day, "slug": self.slug},
        )


def local_date(value):
    """The GMT+7 calendar day of an aware datetime: the day its URL and day page carry."""
    if value is None:
        return None
    return timezone.localdate(value, timezone.get_default_timezone())


def free_slug(others, base):
    """``base``, or ``base-2``, ``base-3``…: the first that no row of ``others`` has as its slug,
    cut to fit the slug field. ``others`` is the scope of uniqueness, without the row itself:
    ``Category.objects.exclude(pk=…)``, the other articles of one day. One query.
    """
    max_length = others.model._meta.get_field("slug").max_length
    # A suffix may cut the end off a long base: fetch whatever shares what any cut leaves.
    stem = base[: max_length - 10]
    taken = set(others.filter(slug__startswith=stem).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug
