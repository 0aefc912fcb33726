"""The ministry's own pages: its identity, introduction, organisation, leaders and agency links.

Texts readers see in both languages are stored twice, ``<name>_vi`` and ``<name>_en``. A
``Localized`` attribute reads the one of the page being served; where an editor left the English
empty, English pages show the Vietnamese rather than nothing.
"""

import re
from urllib.parse import urlsplit

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from news.models import Image, SanitizedHTMLField
from news.text import clean_plain_text, vietnamese_slugify

# The one identity row. A CheckConstraint holds every other primary key out of the table.
SITE_IDENTITY_PK = 1

# Fixed pages under /gioi-thieu/ that no editable page may shadow.
RESERVED_SLUGS = {"tiep-can", "accessibility"}


class Localized:
    """The ``<name>_<language>`` field for the active language, falling back to the default."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        default = getattr(instance, f"{self.name}_{settings.LANGUAGE_CODE}")
        language = translation.get_language() or settings.LANGUAGE_CODE
        return getattr(instance, f"{self.name}_{language}", None) or default


# One telephone number as editors write it: "024 3826 9534", "(024) 38.269.534", "+84 24 3826 9534".
PHONE_NUMBER = re.compile(r"\+?[0-9 .()-]+")


def tel_uri(number):
    """The ``tel:`` address of one telephone number as written, or "" when the text is not one
    (several numbers, words): that text is shown as it is, without a link."""
    digits = re.sub(r"[^0-9]", "", number)
    if not PHONE_NUMBER.fullmatch(number) or not 3 <= len(digits) <= 15:
        return ""
    return "tel:" + ("+" if number.startswith("+") else "") + digits


def validate_phone_number(value):
    if not tel_uri(value):
        raise ValidationError(
            _(
                "Nhập một số điện thoại: chữ số, có thể kèm dấu cách, dấu chấm, dấu gạch ngang, "
                "dấu ngoặc và dấu + ở đầu."
            ),
            code="invalid_phone_number",
        )


def _clean_texts(instance, names):
    for name in names:
        setattr(instance, name, clean_plain_text(getattr(instance, name)))


@reversion.register()
class SiteIdentity(models.Model):
    """Who runs the portal, as the header and footer of every page say it (Decree 42/2022)."""

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=SITE_IDENTITY_PK, editable=False
    )
    name_vi = models.CharField(_("tên cơ quan (tiếng Việt)"), max_length=200)
    name_en = models.CharField(_("tên cơ quan (tiếng Anh)"), max_length=200, blank=True)
    logo = models.ForeignKey(
        Image,
        verbose_name=_("biểu trưng (logo)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Một ảnh trong thư viện ảnh; văn bản thay thế của ảnh là tên cơ quan."),
    )
    governing_body_vi = models.CharField(
        _("cơ quan chủ quản (tiếng Việt)"), max_length=200, blank=True
    )
    governing_body_en = models.CharField(
        _("cơ quan chủ quản (tiếng Anh)"), max_length=200, blank=True
    )
    responsible_person_vi = models.CharField(
        _("chịu trách nhiệm chính (tiếng Việt)"),
        max_length=200,
        blank=True,
        help_text=_("Họ tên và chức vụ, ví dụ: Nguyễn Văn A, Giám đốc Trung tâm Thông tin."),
    )
    responsible_person_en = models.CharField(
        _("chịu trách nhiệm chính (tiếng Anh)"), max_length=200, blank=True
    )
    licence_vi = models.CharField(
        _("giấy phép (tiếng Việt)"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Giấy phép số …/GP-TTĐT do Bộ Thông tin và Truyền thông cấp ngày …"),
    )
    licence_en = models.CharField(_("giấy phép (tiếng Anh)"), max_length=300, blank=True)
    address_vi = models.CharField(_("địa chỉ (tiếng Việt)"), max_length=300, blank=True)
    address_en = models.CharField(_("địa chỉ (tiếng Anh)"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=100, blank=True)
    hotline = models.CharField(
        _("đường dây nóng"),
        max_length=30,
        blank=True,
        validators=[validate_phone_number],
        help_text=_("Một số điện thoại, hiện ở đầu và cuối mỗi trang. Ví dụ: 1900 1234."),
    )
    fax = models.CharField(_("fax"), max_length=100, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    working_hours_vi = models.CharField(_("giờ làm việc (tiếng Việt)"), max_length=300, blank=True)
    working_hours_en = models.CharField(_("giờ làm việc (tiếng Anh)"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    name = Localized()
    governing_body = Localized()
    responsible_person = Localized()
    licence = Localized()
    address = Localized()
    working_hours = Localized()

    TEXT_FIELDS = [
        "name_vi",
        "name_en",
        "governing_body_vi",
        "governing_body_en",
        "responsible_person_vi",
        "responsible_person_en",
        "licence_vi",
        "licence_en",
        "address_vi",
        "address_en",
        "phone",
        "hotline",
        "fax",
        "working_hours_vi",
        "working_hours_en",
    ]

    class Meta:
        verbose_name = _("thông tin chung của cổng")
        verbose_name_plural = _("thông tin chung của cổng")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=SITE_IDENTITY_PK), name="siteidentity_single_row"
            ),
        ]

    def __str__(self):
        return self.name_vi or str(_("Thông tin chung của cổng"))

    @property
    def phone_uri(self):
        return tel_uri(self.phone)

    @property
    def hotline_uri(self):
        return tel_uri(self.hotline)

    def normalize(self):
        """Tidy the fields as the form's clean() and every save() both do: the rule lives here."""
        _clean_texts(self, self.TEXT_FIELDS)

    def clean(self):
        self.normalize()

    def save(self, *args, **kwargs):
        self.pk = SITE_IDENTITY_PK
        self.normalize()
        super().save(*args, **kwargs)


def validate_link_url(value):
    """An http(s) address, or a path on this site ("/gioi-thieu/")."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


@reversion.register()
class AgencyLink(models.Model):
    """A link to another agency's portal, in the footer of every page ("Liên kết website")."""

    # The links belong to the portal whose identity this is; through it the footer reads both
    # in one query (agency.frame).
    site = models.ForeignKey(
        SiteIdentity,
        on_delete=models.CASCADE,
        default=SITE_IDENTITY_PK,
        editable=False,
        related_name="links",
    )
    name_vi = models.CharField(_("tên (tiếng Việt)"), max_length=200)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=200, blank=True)
    url = models.CharField(
        _("địa chỉ"),
        max_length=500,
        validators=[validate_link_url],
        help_text=_("Ví dụ: https://chinhphu.vn, hoặc một trang của cổng này: /gioi-thieu/."),
    )
    position = models.PositiveIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ hơn đứng trước.")
    )

    name = Localized()

    class Meta:
        verbose_name = _("liên kết website")
        verbose_name_plural = _("liên kết website")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name_vi

    @property
    def is_external(self):
        return bool(urlsplit(self.url).netloc)

    def normalize(self):
        """Tidy the fields as the form's clean() and every save() both do: the rule lives here."""
        _clean_texts(self, ["name_vi", "name_en", "url"])

    def clean(self):
        self.normalize()

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)


class AgencyPageQuerySet(models.QuerySet):
    def published(self):
        """The pages readers may see."""
        return self.filter(is_published=True)

    def in_language(self, code):
        """Pages that have a version in ``code``: all in Vietnamese; in English, those with an
        English title and address."""
        if code == settings.LANGUAGE_CODE:
            return self
        return self.exclude(Q(**{f"title_{code}": ""}) | Q(**{f"slug_{code}": ""}))


@reversion.register()
class AgencyPage(models.Model):
    """One of the ministry's own pages (functions, organisation, leaders, contacts…)."""

    class Block(models.TextChoices):
        NONE = "", _("Không có")
        ORGANISATION = "organisation", _("Sơ đồ tổ chức (các đơn vị)")
        LEADERS = "leaders", _("Lãnh đạo (tên, chức vụ, ảnh)")
        CONTACT = "contact", _("Thông tin liên hệ của cơ quan")

    title_vi = models.CharField(_("tiêu đề (tiếng Việt)"), max_length=200)
    slug_vi = models.SlugField(
        _("đường dẫn (tiếng Việt)"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Trang hiện ở /gioi-thieu/<đường dẫn>/. Để trống để tạo từ tiêu đề."),
    )
    summary_vi = models.TextField(
        _("tóm tắt (tiếng Việt)"), blank=True, help_text=_("Một hai câu, hiện trong danh sách.")
    )
    body_vi = SanitizedHTMLField(_("nội dung (tiếng Việt)"), blank=True)
    title_en = models.CharField(
        _("tiêu đề (tiếng Anh)"),
        max_length=200,
        blank=True,
        help_text=_("Để trống nếu trang không có bản tiếng Anh."),
    )
    slug_en = models.SlugField(
        _("đường dẫn (tiếng Anh)"),
        max_length=120,
        blank=True,
        help_text=_("Trang tiếng Anh hiện ở /en/about/<đường dẫn>/, ví dụ: functions."),
    )
    summary_en = models.TextField(_("tóm tắt (tiếng Anh)"), blank=True)
    body_en = SanitizedHTMLField(_("nội dung (tiếng Anh)"), blank=True)
    block = models.CharField(
        _("phần kèm theo"),
        max_length=20,
        choices=Block.choices,
        blank=True,
        help_text=_("Hiện dưới nội dung trang, lấy từ dữ liệu nhập trong quản trị."),
    )
    position = models.PositiveIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ hơn đứng trước.")
    )
    is_published = models.BooleanField(_("hiển thị công khai"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    title = Localized()
    summary = Localized()
    body = Localized()

    objects = AgencyPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("trang giới thiệu")
        verbose_name_plural = _("trang giới thiệu")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug_en"], condition=~Q(slug_en=""), name="agencypage_slug_en_unique"
            ),
        ]

    def __str__(self):
        return self.title_vi

    def has_language(self, code):
        return code == settings.LANGUAGE_CODE or bool(
            getattr(self, f"title_{code}", "") and getattr(self, f"slug_{code}", "")
        )

    def normalize(self):
        """Tidy the fields as the form's clean() and every save() both do: the rule lives here."""
        _clean_texts(self, ["title_vi", "title_en", "summary_vi", "summary_en"])
        if not self.slug_vi:
            self.slug_vi = vietnamese_slugify(self.title_vi, 120) or "trang"
        if self.title_en and not self.slug_en:
            self.slug_en = vietnamese_slugify(self.title_en, 120)

    def clean(self):
        self.normalize()
        errors = {}
        for field in ("slug_vi", "slug_en"):
            if getattr(self, field) in RESERVED_SLUGS:
                errors[field] = _(
                    "Đường dẫn này dành cho trang có sẵn của cổng; hãy chọn tên khác."
                )
        if self.title_en and not self.slug_en:  # normalize() found no letter or digit in it
            errors["slug_en"] = _("Trang có tiêu đề tiếng Anh cần đường dẫn tiếng Anh.")
        if (
            self.slug_en
            and AgencyPage.objects.filter(slug_en=self.slug_en).exclude(pk=self.pk).exists()
        ):
            errors["slug_en"] = _("Đã có trang khác dùng đường dẫn tiếng Anh này.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def get_absolute_url(self, language=None):
        """This page's address in ``language`` (by default the active one, else Vietnamese)."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        if not self.has_language(language):
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            return reverse("agency:page-detail", kwargs={"slug": getattr(self, f"slug_{language}")})


class OrganisationUnitQuerySet(models.QuerySet):
    def as_tree(self):
        """The top-level units, each with ``subunits`` filled in down the tree, in one query."""
        units = list(self.order_by("position", "name_vi", "pk"))
        by_pk = {unit.pk: unit for unit in units}
        for unit in units:
            unit.subunits = []
        roots = []
        for unit in units:
            parent = by_pk.get(unit.parent_id)
            (parent.subunits if parent is not None else roots).append(unit)
        return roots


@reversion.register()
class OrganisationUnit(models.Model):
    """A unit of the ministry's organisation (Vụ, Cục, Văn phòng…), as a tree."""

    name_vi = models.CharField(_("tên (tiếng Việt)"), max_length=200)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    head = models.CharField(
        _("người đứng đầu"),
        max_length=200,
        blank=True,
        help_text=_("Họ tên, có thể kèm chức vụ."),
    )
    phone = models.CharField(_("điện thoại"), max_length=100, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    position = models.PositiveIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ hơn đứng trước trong cùng cấp.")
    )

    name = Localized()

    objects = OrganisationUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("cơ cấu tổ chức")
        ordering = ["position", "name_vi", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="organisationunit_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name_vi

    def normalize(self):
        """Tidy the fields as the form's clean() and every save() both do: the rule lives here."""
        _clean_texts(self, ["name_vi", "name_en", "head", "phone"])

    def clean(self):
        self.normalize()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("Một đơn vị không thể nằm dưới chính nó hay đơn vị con của nó.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)


@reversion.register()
class Leader(models.Model):
    """A member of the ministry's leadership, shown with a photo from the library."""

    name = models.CharField(_("họ và tên"), max_length=200)
    title_vi = models.CharField(_("chức vụ (tiếng Việt)"), max_length=200)
    title_en = models.CharField(_("chức vụ (tiếng Anh)"), max_length=200, blank=True)
    photo = models.ForeignKey(
        Image,
        verbose_name=_("ảnh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ hơn đứng trước.")
    )

    title = Localized()

    class Meta:
        verbose_name = _("lãnh đạo")
        verbose_name_plural = _("lãnh đạo")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name} – {self.title_vi}"

    def normalize(self):
        """Tidy the fields as the form's clean() and every save() both do: the rule lives here."""
        _clean_texts(self, ["name", "title_vi", "title_en"])

    def clean(self):
        self.normalize()

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)
