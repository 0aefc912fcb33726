import datetime
import time

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connections, models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFit

from .images import clean_copy, file_sha256, image_upload_to, inspect_image, media_name
from .permissions import can_change_image
from .sanitize import body_figures, body_images, sanitize_html
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


def in_page_language(vietnamese, english):
    """``english`` on the English side of the site (/en/) when an editor gave it, else
    ``vietnamese``: for names kept in Vietnamese with an optional English version."""
    if english and translation.get_language() != settings.LANGUAGE_CODE:
        return english
    return vietnamese


class NamedInTwoLanguages:
    """For a model with ``name``, ``name_en`` and ``slug`` (a section, a topic): the name readers
    see, and one tidying rule that the form's clean() and every save() both follow. A name with
    no letter or digit gets ``default_slug``."""

    default_slug = ""
    url_name = ""  # the view of its page, given the slug

    @property
    def display_name(self):
        """The name readers see: the English one on the English side when there is one."""
        return in_page_language(self.name, self.name_en)

    def normalize(self):
        """Tidy the fields as the form's clean() and every save() both do: the rule lives here."""
        self.name = clean_plain_text(self.name)
        self.name_en = clean_plain_text(self.name_en)
        if not self.slug:
            length = self._meta.get_field("slug").max_length
            self.slug = free_slug(
                type(self)._default_manager.exclude(pk=self.pk),
                vietnamese_slugify(self.name, length) or self.default_slug,
            )

    def clean(self):
        self.normalize()

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # Lists link to the same few sections dozens of times: reversed once per instance and
        # address (language, slug, script prefix).
        key = (translation.get_language(), self.slug, get_script_prefix())
        urls = self.__dict__.setdefault("_urls", {})
        if key not in urls:
            urls[key] = reverse(self.url_name, kwargs={"slug": self.slug})
        return urls[key]


@reversion.register()
class Category(NamedInTwoLanguages, models.Model):
    url_name = "news:category-detail"

    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(
        _("tên tiếng Anh"),
        max_length=120,
        blank=True,
        help_text=_(
            "Tùy chọn. Tên hiện ở phần tiếng Anh (/en/); để trống thì dùng tên tiếng Việt."
        ),
    )
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

    default_slug = "chuyen-muc"

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    def clean(self):
        super().clean()
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


class TopicQuerySet(models.QuerySet):
    def events(self):
        """Topics the editors marked as events (*Sự kiện*), the newest first: the home page
        shows them."""
        return self.filter(is_event=True).order_by("-pk")

    def with_news(self, articles):
        """Those of these topics that have any of ``articles`` (``published()`` on one side of
        the site), in one query whatever the archive's size: for each topic, a look-up that
        starts from the topic's own articles and stops at the first shown.

        Not Exists(): PostgreSQL turns an EXISTS into a join, which, when a few topics hold
        many articles, reads the whole article table. Nor the topic's newest article: ordered
        by publication, the look-up walks the archive's index back to it (to the end for a
        topic without news)."""
        first = articles.in_topic(OuterRef("pk")).order_by().values("pk")[:1]
        return self.alias(first_news=Subquery(first)).filter(first_news__isnull=False)


@reversion.register()
class Topic(NamedInTwoLanguages, models.Model):
    """A subject articles of any section are tagged with (*Chủ đề*). Some are events
    (*Sự kiện*), which the home page shows."""

    url_name = "news:topic-detail"

    name = models.CharField(_("tên"), max_length=160)
    name_en = models.CharField(
        _("tên tiếng Anh"),
        max_length=160,
        blank=True,
        help_text=_(
            "Tùy chọn. Tên hiện ở phần tiếng Anh (/en/); để trống thì dùng tên tiếng Việt."
        ),
    )
    slug = models.SlugField(_("đường dẫn"), max_length=180, unique=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    is_event = models.BooleanField(
        _("là sự kiện"),
        default=False,
        help_text=_("Sự kiện được giới thiệu trên trang chủ khi đã có tin."),
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("chủ đề")
        verbose_name_plural = _("chủ đề")
        ordering = ["name", "pk"]

    default_slug = "chu-de"

    def __str__(self):
        return self.name


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

    def with_file(self):
        """Images whose file is there: the ones a page can show."""
        return self.exclude(Q(file="") | Q(file__isnull=True))

    def matching(self, text):
        """Images whose caption, alternative text, file name or credit holds every word of
        ``text``, as the library's search box finds them."""
        found = self
        for word in text.split():
            found = found.filter(
                Q(caption__icontains=word)
                | Q(alt_text__icontains=word)
                | Q(original_filename__icontains=word)
                | Q(credit__icontains=word)
            )
        return found

    def shown_in(self, html):
        """Which of these images each picture of ``html`` (an article body) is, found as the page
        finds them (news_tags.with_renditions): by ``data-image-id`` (the importer) or by their
        media URL (the editor). One query; none for a body without pictures."""
        return ShownImages.read(self, body_images(html))

    def described_in(self, html, shown=None):
        """[(image, alt, caption)] for each of these images that ``html`` (an article body) shows
        with alternative text or a caption typed beside it; the first text given for a photo
        wins. ``shown``: what ``shown_in(html)`` found already, narrowed by the caller to the
        images it means (ShownImages.among), instead of asking again. One query, or none."""
        figures = [
            (attrs, " ".join((attrs.get("alt") or "").split()), caption)
            for attrs, caption in body_figures(html)
        ]
        figures = [figure for figure in figures if figure[1] or figure[2]]
        if not figures:
            return []
        if shown is None:
            shown = ShownImages.read(self, [attrs for attrs, *_ in figures])
        described = {}
        for attrs, alt, caption in figures:
            image = shown.image_of(attrs)
            if image is not None:
                _image, known_alt, known_caption = described.get(image.pk, (image, "", ""))
                described[image.pk] = (image, known_alt or alt, known_caption or caption)
        return list(described.values())

    def first_shown_in(self, html, shown=None):
        """The first of these images that ``html`` (an article body) shows and whose file is
        there, or None. ``shown``: what ``shown_in(html)`` found already. One query, or none."""
        if shown is None:
            shown = self.with_file().shown_in(html)
        else:
            shown = shown.among(lambda image: image.has_file)
        return next(filter(None, map(shown.image_of, shown.tags)), None)


class ShownImages:
    """The library images a body's pictures are (ImageQuerySet.shown_in), read in one query."""

    def __init__(self, tags, found):
        self.tags, self.found = tags, found
        self.by_id = {image.pk: image for image in found}
        self.by_name = {image.file.name: image for image in found if image.file}

    @classmethod
    def read(cls, images, tags):
        """Those of ``images`` (a queryset) that the pictures ``tags`` name."""
        ids = [int(a["data-image-id"]) for a in tags if a.get("data-image-id", "").isdigit()]
        names = [name for a in tags if (name := media_name(a.get("src") or ""))]
        found = list(images.filter(Q(pk__in=ids) | Q(file__in=names))) if ids or names else []
        return cls(tags, found)

    def among(self, keep):
        """The same pictures, narrowed to the images for which ``keep(image)`` is true: no
        query."""
        return ShownImages(self.tags, [image for image in self.found if keep(image)])

    def image_of(self, attrs):
        image_id = attrs.get("data-image-id", "")
        image = self.by_id.get(int(image_id)) if image_id.isdigit() else None
        return image or self.by_name.get(media_name(attrs.get("src") or "") or "")


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


class EditorialRecord(models.Model):
    """Who made a record that editors write (an article, a document, a draft, an album), who
    changed it last, and when."""

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

    class Meta:
        abstract = True


# The most recently pinned first: pinned_at is set whenever an editor sets or changes a pin.
PINNED_ORDER = (F("pinned_at").desc(nulls_last=True), "-pinned_until", "-pk")


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

    def pinned(self, at=None):
        """Articles the editors have pinned to the top of the home page, at ``at`` (now by
        default): their pin ends after it. The most recently pinned come first (``pinned_at``,
        set when the pin is set or changed). What the public sees of them is still published()'s
        to say: chain the two."""
        at = at or timezone.now()
        return self.filter(pinned_until__gt=at).order_by(*PINNED_ORDER)

    def front_page(self, latest, pinned):
        """The home page's rows in one query: the newest ``latest`` of these articles and the
        ``pinned`` most recently pinned of them (pinned()), newest first. Each subquery walks an
        index (publication, pin end); news.selectors.home_articles tells the two apart."""
        newest = self.order_by("-published_at", "-pk").values("pk")[:latest]
        chosen = self.pinned().values("pk")[:pinned]
        return Article.objects.any_of(newest, chosen).order_by("-published_at", "-pk")

    def next_visibility_change(self, now):
        """The nearest moment after ``now`` at which what readers see changes by itself: a
        scheduled article going live, a live one expiring, or a pin on the home page ending.
        Nothing cached outlives it (portal.caching.store). One query; each subquery walks an
        index from ``now`` on."""
        published = self.filter(status=Article.Status.PUBLISHED)
        publication = published.filter(published_at__gt=now).order_by("published_at")
        expiry = published.filter(expires_at__gt=now).order_by("expires_at")
        unpinning = published.filter(pinned_until__gt=now).order_by("pinned_until")
        rows = self.any_of(
            publication.values("pk")[:1], expiry.values("pk")[:1], unpinning.values("pk")[:1]
        ).values_list("published_at", "expires_at", "pinned_until")
        # Every moment read is one at which its own article changes, so the least of them,
        # which includes each kind's nearest, is the nearest change.
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

    def in_topic(self, topic):
        """Articles tagged with ``topic`` (a Topic, an id, or an OuterRef)."""
        return self.filter(topics=topic)

    def newest_in_topic(self, topic):
        """A topic's page: these articles tagged with ``topic``, newest first. The order is the
        tags' own copy of the publication time (ArticleTopic), so the database walks the topic's
        (topic, time) index from its newest tag and stops once the page is full, whatever the
        topic's or the archive's size."""
        return self.filter(topic_tags__topic=topic).order_by(
            "-topic_tags__published_at", "-topic_tags__article_id"
        )

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

    def around(self, article, count, category_ids=None):
        """What the article page shows around ``article``, from these articles, in one query,
        newest first:

        - the first ``count`` of those editors chose as related to it (Article.related), each
          with ``chosen_position``, its place in their list (None on every other row);
        - in its category (and its subcategories): the newest ``count`` but the article itself,
          and the nearest one published before it and after it (at the same moment, the one
          created before or after). An article without a publication time has no neighbours.

        Of the rows in its category, the newest ``count`` are the category's newest, since
        anything else is older; news.selectors.related_and_neighbours tells the rows apart.
        ``category_ids``: the category's and its subcategories' when the caller knows them
        (news.context_processors.CategoryTree.ids_under), which spares a subquery in each of
        three subqueries.
        """
        chosen = self.filter(chosen_as_related__article=article.pk).order_by(
            "chosen_as_related__position", "chosen_as_related__pk"
        )
        if category_ids is None:
            same_section = self.in_category(article.category)
        else:
            same_section = self.in_categories(category_ids)
        same_section = same_section.exclude(pk=article.pk)
        wanted = [
            chosen.values("pk")[:count],
            same_section.order_by("-published_at", "-pk").values("pk")[:count],
        ]
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
        position = RelatedArticle.objects.filter(article=article.pk, related=OuterRef("pk"))
        # Only primary-key look-ups outside: each subquery walks an index.
        return (
            Article.objects.any_of(*wanted)
            .annotate(chosen_position=Subquery(position.values("position")[:1]))
            .order_by("-published_at", "-pk")
        )

    def on_days(self, first=None, last=None):
        """Articles published on the local (GMT+7) days ``first`` to ``last``, both included;
        either may be None for no bound. Bounded by the days' local midnights, so the
        publication index serves it."""
        zone = timezone.get_default_timezone()
        articles = self
        if first is not None:
            start = datetime.datetime.combine(first, datetime.time.min)
            articles = articles.filter(published_at__gte=timezone.make_aware(start, zone))
        if last is not None:
            end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
            articles = articles.filter(published_at__lt=timezone.make_aware(end, zone))
        return articles

    def newest_in_category(self, category):
        """The newest of these articles in ``category`` itself (an id or an OuterRef), as a
        one-row queryset: for a subquery per category. Each walk stays in the category's part
        of the (category, publication) index and stops at its first row, even for a category
        with nothing published.

        SQLite walks it for ``category_id = X``. PostgreSQL plans a correlated subquery for an
        average category and, with ``=``, walks the site's newest articles instead (all of
        them, for an empty category); so it gets the category as a range of one value, which
        it does not see as one value, and an order starting with it, which only that index
        gives. (SQLite, given the range, would sort.)"""
        key = getattr(category, "pk", category)
        if connections[self.db].vendor == "postgresql":
            found = self.filter(category_id__gte=key, category_id__lte=key)
            return found.order_by("-category_id", "-published_at")[:1]
        return self.filter(category_id=key).order_by("-published_at")[:1]

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
        return self.select_related("featured_image", "body_image").defer(
            "body", "search_text", "import_checksum"
        )

    def with_related(self):
        """Join what list items and article pages show, so a page's query count stays fixed:
        the categories, and both pictures a card may show (Article.card_image)."""
        return self.select_related("category", "category__parent", "featured_image", "body_image")


# A revision holds the article's topics through its tags (a many-to-many field with a model of
# its own is not in the article's own record).
@reversion.register(follow=["topic_tags"])
class Article(EditorialRecord):
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
    pinned_until = models.DateTimeField(
        _("ghim lên đầu trang chủ đến"),
        null=True,
        blank=True,
        help_text=_(
            "Tùy chọn. Đến thời điểm này, bài nằm trong khối tin nổi bật của trang chủ; bài được "
            "ghim gần đây nhất là tin chính. Đặt hoặc đổi thời điểm này là ghim lại bài lên đầu. "
            "Giờ Việt Nam (GMT+7)."
        ),
    )
    # When the pin was last set or changed: the featured block's order (PINNED_ORDER).
    pinned_at = models.DateTimeField(_("ghim lúc"), null=True, blank=True, editable=False)
    # Changed on every save; an edit begun from an older value is refused (no lost edits).
    # It only ever grows, even when an old revision is restored with its old value.
    version = models.PositiveBigIntegerField(_("phiên bản"), default=0, editable=False)
    # The local (GMT+7) day of publication, kept so the database can hold slugs unique per day.
    published_date = models.DateField(_("ngày xuất bản"), null=True, blank=True, editable=False)
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("chủ đề"),
        through="ArticleTopic",
        blank=True,
        related_name="articles",
        help_text=_("Tùy chọn. Bài được liệt kê trong trang của từng chủ đề đã chọn."),
    )
    # Chosen by editors, in their order (choose_related); the page falls back to the section.
    related = models.ManyToManyField(
        "self",
        verbose_name=_("tin liên quan"),
        through="RelatedArticle",
        through_fields=("article", "related"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    # The body's first photo with its file: what cards show when there is no featured image.
    body_image = models.ForeignKey(
        Image,
        verbose_name=_("ảnh đầu tiên trong nội dung"),
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
            models.Index(fields=["pinned_until"], name="article_pinned_idx"),
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

    # The pin as it was read from the database (from_db): a pin set or changed since is a new
    # pin. UNREAD when pinned_until was deferred; None for an article not read from it.
    _loaded_pin = None

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._loaded_pin = article.__dict__.get("pinned_until", UNREAD)
        return article

    @property
    def card_image(self):
        """The picture a card and the home page's lead story show: the featured image, or when
        there is none the body's first photo; never one whose file is missing."""
        for image in (self.featured_image, self.body_image):
            if image is not None and image.has_file:
                return image
        return None

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
        if self.published_at is not None:
            # To the second, as editors give it: HTML's <time datetime> allows no microseconds.
            self.published_at = self.published_at.replace(microsecond=0)
        self.published_date = local_date(self.published_at)
        if not self.slug:
            self.slug = free_slug(self._same_day(), vietnamese_slugify(self.title) or "bai-viet")

    def clean(self):
        slug_typed = bool(self.slug)
        self.normalize()
        if not self.title:
            raise ValidationError({"title": _("Bài viết cần có tiêu đề.")})
        if self._featured_image_chosen_without_file():
            raise ValidationError(
                {
                    "featured_image": _(
                        "Ảnh “%(image)s” chưa có tệp ảnh trong thư viện nên không thể làm ảnh "
                        "đại diện. Hãy chọn ảnh khác, hoặc tải tệp lên cho ảnh này trong thư "
                        "viện ảnh trước."
                    )
                    % {"image": self.featured_image}
                }
            )
        if self.status == self.Status.PUBLISHED:
            self._check_alt_text()
        if self.expires_at and self.published_at and self.expires_at <= self.published_at:
            raise ValidationError(
                {"expires_at": _("Thời điểm hết hạn phải sau thời điểm xuất bản.")}
            )
        if self.pinned_until and self._pin_changed():
            if self.pinned_until <= timezone.now():
                raise ValidationError(
                    {"pinned_until": _("Thời điểm hết ghim phải ở trong tương lai.")}
                )
            if self.published_at and self.pinned_until <= self.published_at:
                raise ValidationError(
                    {"pinned_until": _("Thời điểm hết ghim phải sau thời điểm xuất bản.")}
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
        shown = self.refresh_derived_fields()
        if self.pinned_until is None:
            self.pinned_at = None
        elif self.pinned_at is None or self._pin_changed():
            self.pinned_at = timezone.now()
        self.version = max(self.version + 1, time.time_ns() // 1000)
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            self.topic_tags.exclude(published_at=self.published_at).copy_publication_times()
        self.describe_library_photos(shown)
        self._loaded_pin = self.pinned_until

    def _pin_changed(self):
        """Whether pinned_until was set or changed since the article was read (to the second,
        as the admin's form shows it)."""
        loaded, now = self._loaded_pin, self.pinned_until
        if loaded is UNREAD:
            return False
        if loaded is None or now is None:
            return loaded is not now
        return loaded.replace(microsecond=0) != now.replace(microsecond=0)

    def _same_day(self):
        """The other articles whose slugs this one's must differ from: those of its day (an
        article without a day has none)."""
        if self.published_date is None:
            return Article.objects.none()
        return Article.objects.filter(published_date=self.published_date).exclude(pk=self.pk)

    def _check_alt_text(self):
        """Every picture a reader sees needs alternative text (Circular 32/2017/TT-BTTTT)."""
        missing = []
        featured = self.featured_image if self.featured_image_id else None
        # The alt text typed for the photo in the body is the library's on save.
        if featured and not featured.alt_text and not self._body_alt_text_of(featured):
            missing.append(str(featured))
        for attrs in body_images(self.body):
            if not (attrs.get("alt") or "").strip():
                missing.append(attrs.get("src", "").rsplit("/", 1)[-1] or _("ảnh trong bài"))
        if missing:
            raise ValidationError(
                _("Chưa thể xuất bản: ảnh sau cần văn bản thay thế (mô tả ảnh): %(images)s.")
                % {"images": ", ".join(missing)},
                code="alt_text",
            )

    def _featured_image_chosen_without_file(self):
        """Whether the featured image is one the library has no file for, newly chosen: a card
        cannot show it. An article that has had it since before (an import) may keep it."""
        if not self.featured_image_id or self.featured_image.has_file:
            return False
        stored = Article.objects.filter(pk=self.pk).values_list("featured_image_id", flat=True)
        return self.pk is None or stored.first() != self.featured_image_id

    def _body_alt_text_of(self, image):
        """The alternative text the body gives ``image``, or ""."""
        described = Image.objects.filter(pk=image.pk).described_in(self.body)
        return described[0][1] if described else ""

    def describe_library_photos(self, shown):
        """Give the library photos the body shows the alternative text and caption typed beside
        them in the editor, where the library has none: a photo is described once, and may then
        be a featured image. Text the library has is never replaced, and a photo the user who
        saves may not change (news.permissions.can_change_image) is left as it is. save() calls
        it with the body's photos as refresh_derived_fields() read them (``shown``): no query
        of its own."""
        lacking = shown.among(lambda image: not image.alt_text or not image.caption)
        for image, alt, caption in Image.objects.described_in(self.body, lacking):
            if self.updated_by_id and not can_change_image(self.updated_by, image):
                continue
            fields = []
            for name, typed in (("alt_text", alt), ("caption", caption)):
                if typed and not getattr(image, name):
                    limit = Image._meta.get_field(name).max_length
                    setattr(image, name, clean_plain_text(typed)[:limit])
                    fields.append(name)
            if fields:
                image.save(update_fields=fields)

    def choose_related(self, articles):
        """Make ``articles`` the ones "Tin liên quan" shows under this article, in this order
        (itself and repeats left out). In one transaction: readers see the list before or after."""
        chosen = list(dict.fromkeys(article.pk for article in articles if article.pk != self.pk))
        with transaction.atomic():
            self.related.clear()
            for position, pk in enumerate(chosen):
                self.related.add(pk, through_defaults={"position": position})

    def refresh_derived_fields(self):
        """Fill the fields computed from others. save() calls it; so must bulk writers. Finding
        the body's first photo costs a query when the body has pictures; the photos read
        (ImageQuerySet.shown_in) are returned for describe_library_photos()."""
        body = sanitize_html(self.body)
        self.published_date = local_date(self.published_at)
        self.search_text = search_fold("\n".join([self.title, self.lead, strip_tags(body)]))
        shown = Image.objects.shown_in(body)
        self.body_image = Image.objects.first_shown_in(body, shown)
        return shown

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


UNREAD = object()


class ArticleTopicQuerySet(models.QuerySet):
    def copy_publication_times(self):
        """Set each of these tags' publication time to its article's, in one UPDATE."""
        moment = Article.objects.filter(pk=OuterRef("article_id")).values("published_at")[:1]
        return self.update(published_at=Subquery(moment))


@reversion.register()
class ArticleTopic(models.Model):
    """An article tagged with a topic (Article.topics). It keeps a copy of the article's
    publication time, indexed with the topic, so a topic's page reads its newest tags first
    (ArticleQuerySet.newest_in_topic). The copy is kept by Article.save() and, for tags added
    or restored without it, by news.signals."""

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="topic_tags"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("chủ đề"), on_delete=models.CASCADE, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleTopicQuerySet.as_manager()

    class Meta:
        # The table Django made for the field before it had this model (migration 0014).
        db_table = "news_article_topics"
        verbose_name = _("chủ đề của bài")
        verbose_name_plural = _("chủ đề của bài")
        # unique_together rather than a UniqueConstraint: it is the constraint the table already
        # has, under the name Django gave it then.
        unique_together = [("article", "topic")]
        indexes = [
            models.Index(fields=["topic", "published_at", "article"], name="article_topic_newest")
        ]

    def __str__(self):
        return f"{self.article_id} → {self.topic_id}"


@receiver(m2m_changed, sender=ArticleTopic)
def copy_publication_times_to_new_tags(sender, instance, action, reverse, pk_set, **kwargs):
    """Tags added through Article.topics or Topic.articles (the admin's form, an import) get
    their article's publication time."""
    if action != "post_add" or not pk_set:
        return
    if reverse:  # topic.articles.add(...)
        added = ArticleTopic.objects.filter(topic=instance, article__in=pk_set)
    else:
        added = ArticleTopic.objects.filter(article=instance, topic__in=pk_set)
    added.copy_publication_times()


@receiver(post_save, sender=ArticleTopic)
def copy_publication_time_to_saved_tag(sender, instance, **kwargs):
    """A tag saved on its own (a revision restored, a script) gets its article's time too."""
    ArticleTopic.objects.filter(pk=instance.pk).copy_publication_times()


class RelatedArticle(models.Model):
    """An article editors chose to show under another's "Tin liên quan", at its place in their
    list (Article.choose_related)."""

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="+"
    )
    related = models.ForeignKey(
        Article,
        verbose_name=_("bài liên quan"),
        on_delete=models.CASCADE,
        related_name="chosen_as_related",
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tin liên quan")
        verbose_name_plural = _("tin liên quan")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_article_unique"),
            models.CheckConstraint(
                condition=~Q(related=F("article")), name="related_article_not_itself"
            ),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.related_id}"


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
