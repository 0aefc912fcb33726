"""Drafts for public comment (*Dự thảo lấy ý kiến*): a draft's text and files, its comment
window, the public's comments, and the drafting unit's response.

What readers see is decided here: ``DraftQuerySet.published()`` (public once published), the
window's state from the clock (``window_state``, and ``listing()``'s order: open ones first),
and the response (*Báo cáo tiếp thu, giải trình*), shown only once the window has closed. The
cache turns the pages by itself at each of those moments (``next_visibility_change``).

Comments are the public's input: plain text, never shown on a public page, and no page is
made stale by one (portal.caching.invalidation.NOT_SHOWN_TO_READERS).
"""

import time

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Case, F, Min, Q, Value, When
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import EditorialRecord, SanitizedHTMLField, free_slug
from news.text import clean_plain_text, vietnamese_slugify

from .files import GeneratedName, StoredFile

__all__ = [
    "COMMENT_MAX_LENGTH",
    "Draft",
    "DraftComment",
    "DraftFile",
    "DraftQuerySet",
    "DraftResponseFile",
    "WindowState",
]

COMMENT_MAX_LENGTH = 5000


class WindowState(models.IntegerChoices):
    """Where a draft's comment window stands; the number is the list's order (open first)."""

    OPEN = 0, _("Đang lấy ý kiến")
    UPCOMING = 1, _("Sắp lấy ý kiến")
    CLOSED = 2, _("Đã hết hạn lấy ý kiến")


class DraftQuerySet(models.QuerySet):
    def published(self, at=None):
        """The single definition of what the public may see: published, and due."""
        at = at or timezone.now()
        return self.filter(status=Draft.Status.PUBLISHED, published_at__lte=at)

    def with_window_state(self, at=None):
        """Each draft with ``window`` (a WindowState) at ``at`` (now by default), worked out by
        the database."""
        at = at or timezone.now()
        return self.annotate(
            window=Case(
                When(opens_at__gt=at, then=Value(WindowState.UPCOMING)),
                When(closes_at__gt=at, then=Value(WindowState.OPEN)),
                default=Value(WindowState.CLOSED),
                output_field=models.IntegerField(),
            )
        )

    def listing(self, at=None):
        """The list's order: open drafts first, the one closing soonest first; then upcoming
        ones, the one opening soonest first; then closed ones, the most recently closed first."""
        at = at or timezone.now()
        soonest = Case(
            When(window=WindowState.OPEN, then=F("closes_at")),
            When(window=WindowState.UPCOMING, then=F("opens_at")),
            default=None,
            output_field=models.DateTimeField(),
        )
        return (
            self.with_window_state(at)
            .alias(soonest=soonest)
            .order_by("window", F("soonest").asc(nulls_last=True), "-closes_at", "-pk")
            .defer("body", "response_body")
        )

    def next_visibility_change(self, now):
        """The nearest moment after ``now`` at which what readers see of drafts changes by
        itself: a draft going live, a comment window opening (the form appears) or closing
        (the form goes, the response appears). Nothing cached outlives it
        (portal.caching.store). One query."""
        found = self.filter(status=Draft.Status.PUBLISHED).aggregate(
            publication=Min("published_at", filter=Q(published_at__gt=now)),
            opening=Min("opens_at", filter=Q(opens_at__gt=now)),
            closing=Min("closes_at", filter=Q(closes_at__gt=now)),
        )
        return min((moment for moment in found.values() if moment), default=None)


@reversion.register(follow=["files", "response_files"])
class Draft(EditorialRecord):
    """A draft legal document put out for the public's comments, with its comment window."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chưa xuất bản")
        PUBLISHED = "published", _("Đã xuất bản")

    title = models.CharField(_("tên dự thảo"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Trang hiện ở /du-thao/<đường dẫn>/. Để trống để tạo từ tên dự thảo."),
    )
    drafting_unit = models.CharField(
        _("đơn vị soạn thảo"),
        max_length=300,
        help_text=_("Ví dụ: Vụ Pháp chế."),
    )
    summary = models.TextField(
        _("tóm tắt"),
        blank=True,
        help_text=_("Văn bản thuần, hiện trong danh sách và đầu trang dự thảo."),
    )
    body = SanitizedHTMLField(_("nội dung dự thảo"), blank=True)
    opens_at = models.DateTimeField(_("bắt đầu lấy ý kiến"), help_text=_("Giờ Việt Nam (GMT+7)."))
    closes_at = models.DateTimeField(
        _("hết hạn lấy ý kiến"),
        help_text=_("Giờ Việt Nam (GMT+7). Sau thời điểm này biểu mẫu góp ý không còn hiện."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("thời điểm xuất bản"),
        null=True,
        blank=True,
        help_text=_(
            "Giờ Việt Nam (GMT+7). Để trống khi xuất bản là xuất bản ngay; một thời điểm trong "
            "tương lai nghĩa là hẹn giờ."
        ),
    )
    response_body = SanitizedHTMLField(
        _("báo cáo tiếp thu, giải trình"),
        blank=True,
        help_text=_(
            "Phần trả lời của đơn vị soạn thảo. Chỉ hiện với bạn đọc sau khi hết hạn lấy ý kiến."
        ),
    )
    # Changed on every save; an edit begun from an older value is refused (no lost edits).
    version = models.PositiveBigIntegerField(_("phiên bản"), default=0, editable=False)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("dự thảo")
        verbose_name_plural = _("dự thảo lấy ý kiến")
        ordering = ["-opens_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="draft_status_pub_idx"),
            models.Index(fields=["closes_at"], name="draft_closes_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="draft_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="draft_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def window_at(self, at=None):
        """The WindowState at ``at`` (now by default): the rule with_window_state() follows."""
        at = at or timezone.now()
        if self.opens_at > at:
            return WindowState.UPCOMING
        if self.closes_at > at:
            return WindowState.OPEN
        return WindowState.CLOSED

    @property
    def window_state(self):
        """The WindowState now; a listing()'s rows carry it from the database."""
        known = self.__dict__.get("window")
        return WindowState(known) if known is not None else self.window_at()

    @property
    def is_open(self):
        return self.window_state == WindowState.OPEN

    @property
    def is_closed(self):
        return self.window_state == WindowState.CLOSED

    @property
    def is_visible(self):
        """True when published() would show this draft now."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def shows_response(self):
        """The response is the public's once the window has closed."""
        return self.is_closed

    def normalize(self):
        """Tidy and fill the fields as the form's clean() and every save() both do: the rule
        lives here. A published draft without a time is published now; a blank slug becomes
        the title's, made free."""
        self.title = clean_plain_text(self.title)
        self.drafting_unit = clean_plain_text(self.drafting_unit)
        self.summary = clean_plain_text(self.summary)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        for name in ("published_at", "opens_at", "closes_at"):
            moment = getattr(self, name)
            if moment is not None:
                # To the second, as editors give it: <time datetime> allows no microseconds.
                setattr(self, name, moment.replace(microsecond=0))
        if not self.slug:
            self.slug = free_slug(
                Draft.objects.exclude(pk=self.pk), vietnamese_slugify(self.title) or "du-thao"
            )

    def clean(self):
        slug_typed = bool(self.slug)
        self.normalize()
        if not self.title:
            raise ValidationError({"title": _("Dự thảo cần có tên.")})
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("Thời điểm hết hạn phải sau thời điểm bắt đầu lấy ý kiến.")}
            )
        if slug_typed and Draft.objects.exclude(pk=self.pk).filter(slug=self.slug).exists():
            raise ValidationError({"slug": _("Đã có dự thảo khác dùng đường dẫn này.")})

    def save(self, *args, **kwargs):
        self.normalize()
        self.version = max(self.version + 1, time.time_ns() // 1000)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if not self.is_visible:
            return reverse("documents:draft-preview", kwargs={"pk": self.pk})
        return reverse("documents:draft-detail", kwargs={"slug": self.slug})


class DraftFileBase(StoredFile):
    """A file of a draft, checked, named and served as the library's files are
    (documents.files)."""

    title = models.CharField(
        _("tên hiển thị"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Dự thảo Nghị định, Tờ trình. Để trống thì hiện tên tệp."),
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title or self.download_name

    def save(self, *args, **kwargs):
        self.title = clean_plain_text(self.title)
        super().save(*args, **kwargs)


@reversion.register()
class DraftFile(DraftFileBase):
    """The draft's own text as files (the draft, its statement of reasons, …)."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("dự thảo"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(
        _("tệp"),
        upload_to=GeneratedName("du-thao"),
        max_length=255,
        help_text=_("PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS."),
    )

    class Meta(DraftFileBase.Meta):
        verbose_name = _("tệp dự thảo")
        verbose_name_plural = _("tệp dự thảo")

    def get_absolute_url(self):
        return reverse("documents:draft-file", kwargs={"slug": self.draft.slug, "pk": self.pk})


@reversion.register()
class DraftResponseFile(DraftFileBase):
    """A file of the drafting unit's response, public once the window has closed."""

    draft = models.ForeignKey(
        Draft,
        verbose_name=_("dự thảo"),
        on_delete=models.CASCADE,
        related_name="response_files",
    )
    file = models.FileField(
        _("tệp"),
        upload_to=GeneratedName("du-thao/tiep-thu"),
        max_length=255,
        help_text=_("PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS."),
    )

    class Meta(DraftFileBase.Meta):
        verbose_name = _("tệp báo cáo tiếp thu, giải trình")
        verbose_name_plural = _("tệp báo cáo tiếp thu, giải trình")

    def get_absolute_url(self):
        return reverse(
            "documents:draft-response-file", kwargs={"slug": self.draft.slug, "pk": self.pk}
        )


class DraftComment(models.Model):
    """One comment from the public on a draft: plain text, read by the drafting unit, never
    public."""

    class Status(models.TextChoices):
        NEW = "new", _("Chưa đọc")
        READ = "read", _("Đã đọc")
        ACCEPTED = "accepted", _("Đã tiếp thu")

    # Comments are a record of the consultation: a draft that has them is not deleted.
    draft = models.ForeignKey(
        Draft, verbose_name=_("dự thảo"), on_delete=models.PROTECT, related_name="comments"
    )
    name = models.CharField(_("họ và tên"), max_length=200)
    email = models.EmailField(_("thư điện tử"), max_length=254)
    organisation = models.CharField(_("cơ quan, tổ chức"), max_length=300, blank=True)
    content = models.TextField(
        _("nội dung góp ý"), validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, editable=False)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    reviewed_at = models.DateTimeField(_("xem lúc"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = _("ý kiến góp ý dự thảo")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["draft", "submitted_at"], name="draftcomment_draft_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("content"), COMMENT_MAX_LENGTH),
                name="draftcomment_content_length",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.draft}"

    def normalize(self):
        """Plain text, NFC, without control characters: the rule for every path in."""
        self.name = clean_plain_text(self.name)
        self.email = clean_plain_text(self.email)
        self.organisation = clean_plain_text(self.organisation)
        self.content = clean_plain_text(self.content)

    def clean(self):
        self.normalize()

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)
