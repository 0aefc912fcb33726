"""Legal documents (the library) and drafts for public comment.

The library's models are in this module; the drafts' live in documents/drafts.py and are
imported at the bottom, so Django finds them here.

A document's legal force (*hiệu lực*) is not stored: it follows from its dates and today's local
(GMT+7) date, in ``legal_status()`` for one document and in ``DocumentQuerySet.with_legal_status``
for a query, so it turns by itself at local midnight. ``next_visibility_change`` tells the page
cache when that next happens.
"""

import datetime
import time

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Min, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import EditorialRecord, free_slug
from news.text import clean_plain_text, search_fold, vietnamese_slugify

from .files import StoredFile


class LegalStatus(models.TextChoices):
    """A document's legal force. The values are the ``?hieu-luc=`` filter's."""

    IN_FORCE = "con", _("Còn hiệu lực")
    NOT_YET = "chua", _("Chưa có hiệu lực")
    EXPIRED = "het", _("Hết hiệu lực")
    PARTIAL = "mot-phan", _("Hết hiệu lực một phần")


# What schema.org's Legislation calls each status (legislationLegalForce).
SCHEMA_LEGAL_FORCE = {
    LegalStatus.IN_FORCE: "https://schema.org/InForce",
    LegalStatus.NOT_YET: "https://schema.org/NotInForce",
    LegalStatus.EXPIRED: "https://schema.org/NotInForce",
    LegalStatus.PARTIAL: "https://schema.org/PartiallyInForce",
}


# Addresses under /van-ban/ that are not documents.
RESERVED_SLUGS = {"rss"}


def local_today():
    """Today in GMT+7, whatever the server's clock zone."""
    return timezone.localdate(timezone.now(), timezone.get_default_timezone())


def legal_status(issued_on, effective_on, expires_on, partially_expired, today=None):
    """The rule, for one document: not yet in force before its effective date (its issue date
    when it has none), expired from its expiry date on, otherwise in force, or partly expired
    when an editor says so. ``DocumentQuerySet.status_condition`` is the same rule in SQL."""
    today = today or local_today()
    if expires_on is not None and expires_on <= today:
        return LegalStatus.EXPIRED
    start = effective_on or issued_on
    if start is not None and start > today:
        return LegalStatus.NOT_YET
    return LegalStatus.PARTIAL if partially_expired else LegalStatus.IN_FORCE


def normalise_number(number):
    """A number and symbol as search compares it: folded, no spaces ("42/2022/NĐ-CP" and
    "42/2022/nđ - cp" both give "42/2022/nd-cp")."""
    return search_fold(number).replace(" ", "")


class NamedLookup(models.Model):
    """A short list editors keep (document types, issuing bodies, fields): a name, a slug for
    the filters' URLs, and an order."""

    name = models.CharField(_("tên"), max_length=200, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, blank=True)
    position = models.PositiveIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ hơn đứng trước trong bộ lọc.")
    )

    default_slug = "muc"

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def normalize(self):
        self.name = clean_plain_text(self.name)
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


@reversion.register()
class DocumentType(NamedLookup):
    """*Loại văn bản*: Luật, Nghị định, Thông tư, Quyết định…"""

    default_slug = "loai"

    class Meta(NamedLookup.Meta):
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")


@reversion.register()
class IssuingBody(NamedLookup):
    """*Cơ quan ban hành*: Quốc hội, Chính phủ, Bộ Lao động – Thương binh và Xã hội…"""

    default_slug = "co-quan"

    class Meta(NamedLookup.Meta):
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")


@reversion.register()
class DocumentField(NamedLookup):
    """*Lĩnh vực*: Lao động, Việc làm, Bình đẳng giới…"""

    default_slug = "linh-vuc"

    class Meta(NamedLookup.Meta):
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")


class DocumentQuerySet(models.QuerySet):
    def published(self, at=None):
        """The single definition of what the public may see: published, and due."""
        at = at or timezone.now()
        return self.filter(status=Document.Status.PUBLISHED, published_at__lte=at)

    @staticmethod
    def status_condition(code, today):
        """The Q of documents whose legal force on ``today`` is ``code`` (a LegalStatus):
        legal_status() in SQL. "con" takes in the partly expired, which are still in force."""
        expired = Q(expires_on__lte=today)
        not_yet = Q(effective_on__gt=today) | Q(effective_on__isnull=True, issued_on__gt=today)
        if code == LegalStatus.EXPIRED:
            return expired
        if code == LegalStatus.NOT_YET:
            return not_yet & ~expired
        in_force = ~expired & ~not_yet
        if code == LegalStatus.PARTIAL:
            return in_force & Q(partially_expired=True)
        return in_force

    def in_legal_status(self, code, today=None):
        """Documents whose legal force is ``code`` on ``today`` (today's local date by
        default): the ``?hieu-luc=`` filter."""
        return self.filter(self.status_condition(code, today or local_today()))

    def issued_in(self, year):
        """Documents issued in ``year``: a range on the issue date, which the index serves."""
        return self.filter(
            issued_on__gte=datetime.date(year, 1, 1), issued_on__lte=datetime.date(year, 12, 31)
        )

    def matching(self, query):
        """Documents whose number or summary holds every word of ``query``, with or without
        diacritics, the one whose number is exactly ``query`` first, then the newest issued."""
        key = normalise_number(query)
        words = search_fold(query).replace("/", " ").replace("-", " ").split()
        found = self
        for word in words[:12]:
            found = found.filter(search_text__contains=word)
        exact = Case(When(number_key=key, then=Value(1)), default=Value(0))
        return found.alias(exact=exact).order_by("-exact", "-issued_on", "-pk")

    def newest(self):
        return self.order_by("-issued_on", "-pk")

    def listing(self):
        """What a list item shows, joined: the type and the issuing body."""
        return self.select_related("document_type", "issuing_body")

    def next_visibility_change(self, now):
        """The nearest moment after ``now`` at which what readers see changes by itself: a
        scheduled document going live, or, at a local midnight, a published document coming
        into force or expiring. Nothing cached outlives it (portal.caching.store). One query,
        whose answer the cache keeps until that moment or the next save."""
        zone = timezone.get_default_timezone()
        today = timezone.localdate(now, zone)
        found = self.filter(status=Document.Status.PUBLISHED).aggregate(
            publication=Min("published_at", filter=Q(published_at__gt=now)),
            effect=Min("effective_on", filter=Q(effective_on__gt=today)),
            issue=Min("issued_on", filter=Q(effective_on__isnull=True, issued_on__gt=today)),
            expiry=Min("expires_on", filter=Q(expires_on__gt=today)),
        )
        moments = [found["publication"]] + [
            timezone.make_aware(datetime.datetime.combine(day, datetime.time()), zone)
            for day in (found["effect"], found["issue"], found["expiry"])
            if day is not None
        ]
        return min((moment for moment in moments if moment and moment > now), default=None)


@reversion.register(follow=["files", "relations"])
class Document(EditorialRecord):
    """A legal or administrative document of the ministry's library (Decree 42/2022/NĐ-CP,
    Art. 6): its number, type, issuing body, dates, fields, summary and files."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã công bố")

    number = models.CharField(_("số ký hiệu"), max_length=100, help_text=_("Ví dụ: 42/2022/NĐ-CP."))
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ số ký hiệu."),
    )
    document_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("loại văn bản"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issuing_body = models.ForeignKey(
        IssuingBody,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    effective_on = models.DateField(
        _("ngày có hiệu lực"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu văn bản có hiệu lực từ ngày ban hành."),
    )
    expires_on = models.DateField(
        _("ngày hết hiệu lực"),
        null=True,
        blank=True,
        help_text=_("Tùy chọn. Từ ngày này văn bản hết hiệu lực."),
    )
    partially_expired = models.BooleanField(
        _("hết hiệu lực một phần"),
        default=False,
        help_text=_("Đánh dấu khi một số điều, khoản của văn bản đã hết hiệu lực."),
    )
    fields = models.ManyToManyField(
        DocumentField, verbose_name=_("lĩnh vực"), blank=True, related_name="documents"
    )
    summary = models.TextField(_("trích yếu"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("thời điểm công bố"),
        null=True,
        blank=True,
        help_text=_(
            "Giờ Việt Nam (GMT+7). Để trống thì công bố ngay khi lưu ở trạng thái đã công bố."
        ),
    )
    related = models.ManyToManyField(
        "self",
        verbose_name=_("văn bản liên quan"),
        through="DocumentRelation",
        through_fields=("document", "target"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    # Changed on every save; an edit begun from an older value is refused (no lost edits).
    version = models.PositiveBigIntegerField(_("phiên bản"), default=0, editable=False)
    # The number folded (search and the exact-number match), and number and summary folded.
    number_key = models.CharField(max_length=100, editable=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False)
    # The version the register's import left, and a checksum of what it imported: when
    # ``version`` has moved on since, an editor changed the document and imports leave it be
    # (import_documents).
    imported_version = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    import_checksum = models.CharField(max_length=64, blank=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "issued_on"], name="document_status_issued_idx"),
            models.Index(fields=["status", "published_at"], name="document_status_pub_idx"),
            models.Index(fields=["effective_on"], name="document_effective_idx"),
            models.Index(fields=["expires_on"], name="document_expires_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "number_key"], name="document_number_unique_per_body"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="document_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(effective_on__gte=F("issued_on")),
                name="document_effective_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(expires_on__gt=F("issued_on"))
                & (Q(effective_on__isnull=True) | Q(expires_on__gt=F("effective_on"))),
                name="document_expires_after_effect",
            ),
            models.CheckConstraint(condition=~Q(number=""), name="document_has_number"),
        ]

    def __str__(self):
        return f"{self.number} – {self.short_summary}"

    @property
    def short_summary(self):
        text = " ".join(self.summary.split())
        return text if len(text) <= 90 else text[:89].rsplit(" ", 1)[0] + "…"

    @property
    def title(self):
        """How a list, a feed or a search result names the document: "Nghị định 42/2022/NĐ-CP"."""
        return f"{self.document_type.name} {self.number}"

    @property
    def legal_status(self):
        return legal_status(
            self.issued_on, self.effective_on, self.expires_on, self.partially_expired
        )

    @property
    def legal_status_label(self):
        return LegalStatus(self.legal_status).label

    @property
    def is_visible(self):
        """True when published() would show this document now."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def normalize(self):
        """Tidy and fill the fields as the form's clean() and every save() both do."""
        self.number = clean_plain_text(self.number)
        self.number = " ".join(self.number.split())
        self.summary = clean_plain_text(self.summary)
        self.signer = clean_plain_text(self.signer)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.published_at is not None:
            self.published_at = self.published_at.replace(microsecond=0)
        self.number_key = normalise_number(self.number)[:100]
        self.search_text = search_fold(f"{self.number} {self.summary}")
        if not self.slug:
            # "42/2022/NĐ-CP" gives "42-2022-nd-cp".
            base = vietnamese_slugify(self.number.replace("/", "-"), 180) or "van-ban"
            if base in RESERVED_SLUGS:
                base = f"van-ban-{base}"
            self.slug = free_slug(Document.objects.exclude(pk=self.pk), base)

    def clean(self):
        slug_typed = bool(self.slug)
        self.normalize()
        errors = {}
        if not self.number:
            errors["number"] = _("Văn bản cần có số ký hiệu.")
        if self.issued_on and self.effective_on and self.effective_on < self.issued_on:
            errors["effective_on"] = _("Ngày có hiệu lực không thể trước ngày ban hành.")
        start = self.effective_on or self.issued_on
        if self.expires_on and start and self.expires_on <= start:
            errors["expires_on"] = _("Ngày hết hiệu lực phải sau ngày có hiệu lực.")
        if self.issuing_body_id and self.number_key:
            twin = Document.objects.filter(
                issuing_body_id=self.issuing_body_id, number_key=self.number_key
            ).exclude(pk=self.pk)
            if twin.exists():
                errors["number"] = _("Cơ quan này đã có văn bản số %(number)s.") % {
                    "number": self.number
                }
        if slug_typed and Document.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
            errors["slug"] = _("Đã có văn bản khác dùng đường dẫn này.")
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("Đường dẫn này dành cho trang khác của thư viện văn bản.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.normalize()
        self.version = max(self.version + 1, time.time_ns() // 1000)
        super().save(*args, **kwargs)

    def relations_shown(self):
        """What the page shows of this document's relations, to published documents only:
        ([(label, [document…])] of those it replaces, amends or guides, and [(label, […])] of
        those that do so to it), each list in the order of its kind. Two queries."""
        public = Document.objects.published()
        outgoing = DocumentRelation.objects.filter(document=self, target__in=public)
        incoming = DocumentRelation.objects.filter(target=self, document__in=public)
        return (
            _grouped(outgoing.select_related("target__document_type"), "target", True),
            _grouped(incoming.select_related("document__document_type"), "document", False),
        )

    def get_absolute_url(self):
        if not self.is_visible and self.pk:
            return reverse("documents:document-preview", kwargs={"pk": self.pk})
        return reverse("documents:document-detail", kwargs={"slug": self.slug})

    def get_public_url(self):
        return reverse("documents:document-detail", kwargs={"slug": self.slug})


@reversion.register()
class DocumentFile(StoredFile):
    """A file of a document: the full text, an annex, a form."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="files"
    )
    title = models.CharField(
        _("mô tả"),
        max_length=200,
        blank=True,
        help_text=_("Tùy chọn, ví dụ: Toàn văn, Phụ lục I."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title or self.original_name or self.file.name

    def get_absolute_url(self):
        return reverse(
            "documents:file-download", kwargs={"slug": self.document.slug, "pk": self.pk}
        )

    def get_view_url(self):
        return reverse("documents:file-view", kwargs={"slug": self.document.slug, "pk": self.pk})


def _grouped(relations, side, outgoing):
    """[(label, [document…])] by kind, in the kinds' order, newest issued first in each."""
    groups = {}
    for relation in relations:
        groups.setdefault(relation.kind, []).append(getattr(relation, side))
    labels = DocumentRelation.OUTGOING if outgoing else DocumentRelation.INCOMING
    return [
        (labels[kind], sorted(groups[kind], key=lambda d: (d.issued_on, d.pk), reverse=True))
        for kind in DocumentRelation.Kind.values
        if kind in groups
    ]


@reversion.register()
class DocumentRelation(models.Model):
    """One document replacing, amending or guiding another; shown on both."""

    class Kind(models.TextChoices):
        REPLACES = "thay-the", _("thay thế")
        AMENDS = "sua-doi", _("sửa đổi, bổ sung")
        GUIDES = "huong-dan", _("hướng dẫn")

    # What each kind says on the document itself, and on the other one.
    OUTGOING = {
        Kind.REPLACES: _("Văn bản này thay thế"),
        Kind.AMENDS: _("Văn bản này sửa đổi, bổ sung"),
        Kind.GUIDES: _("Văn bản này hướng dẫn"),
    }
    INCOMING = {
        Kind.REPLACES: _("Bị thay thế bởi"),
        Kind.AMENDS: _("Được sửa đổi, bổ sung bởi"),
        Kind.GUIDES: _("Được hướng dẫn bởi"),
    }

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="relations"
    )
    kind = models.CharField(_("quan hệ"), max_length=16, choices=Kind.choices)
    target = models.ForeignKey(
        Document,
        verbose_name=_("văn bản được nhắc đến"),
        on_delete=models.CASCADE,
        related_name="relations_in",
    )

    class Meta:
        verbose_name = _("văn bản liên quan")
        verbose_name_plural = _("văn bản liên quan")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "target", "kind"], name="document_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(target=F("document")), name="document_relation_not_itself"
            ),
        ]

    def __str__(self):
        return f"{self.document_id} {self.kind} {self.target_id}"

    def clean(self):
        if self.document_id and self.document_id == self.target_id:
            raise ValidationError({"target": _("Văn bản không thể liên quan đến chính nó.")})


from documents.drafts import *  # noqa: E402,F403  (the drafts' models)
