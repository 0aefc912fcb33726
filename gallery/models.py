"""Photo albums (*Album ảnh*) and videos for readers.

An album is an ordered list of photos from the editors' image library (news.Image, *Thư viện
ảnh*), each with its own caption. A video is a file editors upload (MP4 or WebM, checked by its
content), with a poster from the library and a WebVTT text track (Circular 32/2017/TT-BTTTT asks
for text alternatives). Both are published as articles are: ``published()`` is the one rule of
what readers see, and a scheduled one goes live by itself at its time.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import Article, EditorialRecord, Image, free_slug
from news.text import clean_plain_text, vietnamese_slugify

from .files import (
    MIME_TYPES,
    captions_upload_to,
    check_webvtt,
    inspect_video,
    video_upload_to,
)


class PublicationQuerySet(models.QuerySet):
    def published(self, at=None):
        """The single definition of what the public may see: published and due. Decided at
        query time, so a scheduled one goes live by itself at its time."""
        return self.filter(
            status=Publication.Status.PUBLISHED, published_at__lte=at or timezone.now()
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def next_visibility_change(self, now):
        """The nearest moment after ``now`` at which one of these goes live by itself: nothing
        cached outlives it (portal.caching.store). One query, along the publication index."""
        scheduled = self.filter(status=Publication.Status.PUBLISHED, published_at__gt=now)
        return scheduled.order_by("published_at").values_list("published_at", flat=True).first()


class Publication(EditorialRecord):
    """What albums and videos share: a title, an address, a description, and their public life
    (*Bản nháp* → *Chờ duyệt* → *Đã xuất bản*, as articles)."""

    Status = Article.Status  # the same public life as an article's, and the same words

    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=140,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tiêu đề."),
    )
    description = models.TextField(_("mô tả"), blank=True, help_text=_("Văn bản thuần."))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("thời điểm xuất bản"),
        null=True,
        blank=True,
        help_text=_("Giờ Việt Nam (GMT+7). Một thời điểm trong tương lai nghĩa là hẹn giờ."),
    )

    objects = PublicationQuerySet.as_manager()

    default_slug = "muc"

    class Meta:
        abstract = True
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "published_at"], name="%(class)s_status_pub_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="%(class)s_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_visible(self):
        """True when published() would show it now."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def normalize(self):
        """Tidy and fill the fields as the form's clean() and every save() both do: published
        without a time is published now; a blank slug becomes the title's, made free."""
        self.title = clean_plain_text(self.title)
        self.description = clean_plain_text(self.description)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.published_at is not None:
            self.published_at = self.published_at.replace(microsecond=0)
        if not self.slug:
            length = self._meta.get_field("slug").max_length
            self.slug = free_slug(
                type(self)._default_manager.exclude(pk=self.pk),
                vietnamese_slugify(self.title, length) or self.default_slug,
            )

    def clean(self):
        slug_typed = bool(self.slug)
        self.normalize()
        if not self.title:
            raise ValidationError({"title": _("Cần có tiêu đề.")})
        others = type(self)._default_manager.exclude(pk=self.pk)
        if slug_typed and others.filter(slug=self.slug).exists():
            raise ValidationError(
                {"slug": _("Đường dẫn này đã được dùng. Hãy chọn đường dẫn khác.")}
            )

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)


def _without_file(prefix=""):
    return Q(**{f"{prefix}file": ""}) | Q(**{f"{prefix}file__isnull": True})


class AlbumQuerySet(PublicationQuerySet):
    def listing(self):
        """What a list of albums shows, in one query: each album with its chosen cover,
        ``photo_count`` (the photos readers see) and ``first_image_id`` (the cover when none
        was chosen: gallery.selectors.with_covers)."""
        shown = AlbumPhoto.objects.shown().filter(album=OuterRef("pk"))
        count = shown.order_by().values("album").annotate(n=Count("pk")).values("n")
        return self.select_related("cover").annotate(
            photo_count=Coalesce(Subquery(count), 0),
            first_image_id=Subquery(shown.order_by("position", "pk").values("image")[:1]),
        )


@reversion.register(follow=["photos"])
class Album(Publication):
    """An album of photos from the image library, in the editors' order."""

    cover = models.ForeignKey(
        Image,
        verbose_name=_("ảnh bìa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Tùy chọn. Để trống thì ảnh đầu tiên của album làm ảnh bìa."),
    )

    objects = AlbumQuerySet.as_manager()

    default_slug = "album"

    class Meta(Publication.Meta):
        verbose_name = _("album ảnh")
        verbose_name_plural = _("album ảnh")
        permissions = [("publish_album", _("Có thể xuất bản, gỡ và hẹn giờ album ảnh"))]

    def clean(self):
        super().clean()
        if self.cover_id and not self.cover.has_file:
            raise ValidationError(
                {
                    "cover": _("Ảnh “%(image)s” chưa có tệp ảnh nên không thể làm ảnh bìa.")
                    % {"image": self.cover}
                }
            )

    @property
    def cover_image(self):
        """The picture lists show: the chosen cover, else the first photo (the lists attach it,
        gallery.selectors.with_covers); never one without its file."""
        for image in (self.cover, self.__dict__.get("first_image")):
            if image is not None and image.has_file:
                return image
        return None

    def check_publishable(self, photos):
        """Refuse to publish an album that readers could not use: without a photo, or with a
        photo that says nothing to a blind reader (no alternative text and no caption, Circular
        32/2017/TT-BTTTT). ``photos``: the AlbumPhotos it is to have, saved or not."""
        if self.status != self.Status.PUBLISHED:
            return
        if not photos:
            raise ValidationError(_("Album cần có ít nhất một ảnh trước khi xuất bản."))
        silent = [str(photo.image) for photo in photos if not photo.alt_text]
        if silent:
            raise ValidationError(
                _(
                    "Chưa thể xuất bản: ảnh sau cần văn bản thay thế trong thư viện ảnh hoặc chú "
                    "thích trong album: %(images)s."
                )
                % {"images": ", ".join(silent)},
                code="alt_text",
            )

    def get_absolute_url(self):
        return reverse("gallery:album-detail", kwargs={"slug": self.slug})

    def photo_url(self, number):
        return reverse("gallery:album-photo", kwargs={"slug": self.slug, "number": number})


class AlbumPhotoQuerySet(models.QuerySet):
    def shown(self):
        """The photos a page can show: those whose library image has its file."""
        return self.exclude(_without_file("image__"))


@reversion.register()
class AlbumPhoto(models.Model):
    """One photo of an album, at its place, with its caption in this album."""

    album = models.ForeignKey(
        Album, verbose_name=_("album"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ForeignKey(
        Image, verbose_name=_("ảnh"), on_delete=models.PROTECT, related_name="+"
    )
    caption = models.CharField(
        _("chú thích"),
        max_length=500,
        blank=True,
        help_text=_("Để trống để dùng chú thích của ảnh trong thư viện ảnh."),
    )
    position = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ hơn đứng trước.")
    )

    objects = AlbumPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("ảnh trong album")
        verbose_name_plural = _("ảnh trong album")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["album", "image"], name="album_photo_unique"),
        ]
        indexes = [models.Index(fields=["album", "position"], name="album_photo_order_idx")]

    def __str__(self):
        return self.shown_caption or str(self.image)

    @property
    def shown_caption(self):
        """The caption readers see: this album's, else the library's."""
        return self.caption or self.image.caption

    @property
    def alt_text(self):
        """What a blind reader hears for the photo: the library's description, else the
        caption."""
        return self.image.alt_text or self.shown_caption

    def clean(self):
        self.caption = clean_plain_text(self.caption)
        if self.image_id and not self.image.has_file:
            raise ValidationError(
                {
                    "image": _("Ảnh “%(image)s” chưa có tệp ảnh trong thư viện ảnh.")
                    % {"image": self.image}
                }
            )

    def save(self, *args, **kwargs):
        self.caption = clean_plain_text(self.caption)
        super().save(*args, **kwargs)


@reversion.register()
class Video(Publication):
    """A video editors uploaded, played by the browser's own player, with its text track."""

    class CaptionsLanguage(models.TextChoices):
        VI = "vi", _("Tiếng Việt")
        EN = "en", _("Tiếng Anh")

    file = models.FileField(
        _("tệp video"),
        upload_to=video_upload_to,
        max_length=255,
        help_text=_("MP4 hoặc WebM. Tệp được kiểm tra theo nội dung, không theo tên."),
    )
    poster = models.ForeignKey(
        Image,
        verbose_name=_("ảnh đại diện"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Ảnh trong thư viện ảnh, hiện trước khi video được phát."),
    )
    captions = models.FileField(
        _("phụ đề (WebVTT)"),
        upload_to=captions_upload_to,
        max_length=255,
        help_text=_(
            "Bắt buộc: tệp WebVTT (.vtt) ghi lời thoại và âm thanh của video, cho người khiếm "
            "thính và khi không bật được tiếng."
        ),
    )
    captions_label = models.CharField(
        _("tên phụ đề"),
        max_length=100,
        default="Tiếng Việt",
        help_text=_("Tên hiện trong trình đơn phụ đề của trình phát."),
    )
    captions_language = models.CharField(
        _("ngôn ngữ phụ đề"),
        max_length=8,
        choices=CaptionsLanguage.choices,
        default=CaptionsLanguage.VI,
    )
    transcript = models.TextField(
        _("lời thoại và mô tả"),
        blank=True,
        help_text=_(
            "Tùy chọn. Văn bản thuần, hiện dưới video: lời thoại và những gì hình ảnh cho thấy, "
            "cho người không xem hoặc không nghe được video."
        ),
    )
    file_type = models.CharField(_("định dạng"), max_length=8, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("dung lượng"), null=True, editable=False)
    duration = models.DurationField(_("thời lượng"), null=True, blank=True, editable=False)
    original_filename = models.CharField(
        _("tên tệp gốc"), max_length=255, blank=True, editable=False
    )

    default_slug = "video"

    class Meta(Publication.Meta):
        verbose_name = _("video")
        verbose_name_plural = _("video")
        permissions = [("publish_video", _("Có thể xuất bản, gỡ và hẹn giờ video"))]

    def normalize(self):
        super().normalize()
        self.captions_label = clean_plain_text(self.captions_label)
        self.transcript = clean_plain_text(self.transcript)

    def clean(self):
        super().clean()
        errors = {}
        for name, check in (("file", inspect_video), ("captions", check_webvtt)):
            upload = self._new_upload(name)
            if upload is not None:
                try:
                    check(upload)
                except ValidationError as error:
                    errors[name] = error.messages
        if self.poster_id and not self.poster.has_file:
            errors["poster"] = [
                _("Ảnh “%(image)s” chưa có tệp ảnh nên không thể làm ảnh đại diện.")
                % {"image": self.poster}
            ]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Every path (admin, shell, a script) is checked, not only forms.
        upload = self._new_upload("file")
        if upload is not None:
            info = inspect_video(upload)
            self.file_type, self.duration = info.kind, info.duration
            self.file_size = upload.size
            self.original_filename = clean_plain_text(upload.name.rsplit("/", 1)[-1])[:255]
        captions = self._new_upload("captions")
        if captions is not None:
            check_webvtt(captions)
        super().save(*args, **kwargs)

    def _new_upload(self, name):
        field = getattr(self, name)
        return field.file if field and not field._committed else None

    @property
    def mime_type(self):
        return MIME_TYPES.get(self.file_type, "")

    @property
    def poster_url(self):
        """The poster's largest stored copy (1024 px at most): never the original."""
        image = self.poster
        if image is None or not image.has_file:
            return ""
        copies = image.renditions("jpeg")
        return copies[-1][0] if copies else image.file.url

    def get_absolute_url(self):
        return reverse("gallery:video-detail", kwargs={"slug": self.slug})
