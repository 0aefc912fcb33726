from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .images import inspect_image
from .models import Image

# Years outside this range are refused (and 404 in a URL): far enough for any archive, and clear
# of the calendar's ends (year 1 and 9999), where computing the next or previous day overflows.
MIN_YEAR, MAX_YEAR = 1900, 2999


class DayField(forms.DateField):
    """A day typed as Vietnamese readers write it, dd/mm/yyyy, whatever the browser's language.

    The page shows a text box (an <input type=date> shows the browser's own format, 09/13/2023
    in an English one); a phone's number pad may have no "/", so dots, dashes, spaces or no
    separator are taken too. yyyy-mm-dd is what older links and the old date box sent.
    """

    input_formats = ["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %m %Y", "%d%m%Y", "%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ. Hãy chọn một ngày có thật, ví dụ 17/10/2019."),
    }

    def __init__(self, **kwargs):
        super().__init__(input_formats=self.input_formats, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Chỉ xem được tin từ năm %(min)s đến năm %(max)s."),
                code="year",
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )


class DayPickerForm(forms.Form):
    """The "Xem tin theo ngày" box: ``?ngay=dd/mm/yyyy``."""

    ngay = DayField(
        label=_("Xem tin theo ngày"),
        error_messages={"required": _("Hãy chọn một ngày để xem tin.")},
    )


class ArticleSearchForm(forms.Form):
    """The search page's words and filters, read from ``request.GET`` under their public names:
    ``q``, ``chuyen-muc`` (a section's slug), ``tu-ngay`` and ``den-ngay`` (dd/mm/yyyy, local
    days, both included) and ``sap-xep`` (``phu-hop`` or ``moi-nhat``)."""

    RELEVANCE, NEWEST = "phu-hop", "moi-nhat"
    PARAMETERS = {
        "section": "chuyen-muc",
        "since": "tu-ngay",
        "until": "den-ngay",
        "order": "sap-xep",
    }

    q = forms.CharField(label=_("Từ khóa"), required=False)
    section = forms.ChoiceField(
        label=pgettext_lazy("a search filter", "Chuyên mục"),
        required=False,
        error_messages={"invalid_choice": _("Không có chuyên mục này. Hãy chọn trong danh sách.")},
    )
    since = DayField(label=_("Từ ngày"), required=False)
    until = DayField(label=_("Đến ngày"), required=False)
    order = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[(RELEVANCE, _("Phù hợp nhất")), (NEWEST, _("Mới nhất"))],
        error_messages={"invalid_choice": _("Hãy chọn “Phù hợp nhất” hoặc “Mới nhất”.")},
    )

    def __init__(self, data, *, categories):
        """``categories``: those a search may be narrowed to, in menu order (with_children())."""
        super().__init__(data)
        self.fields["section"].choices = [("", _("Tất cả chuyên mục"))] + [
            (category.slug, category.name) for category in categories
        ]

    def add_prefix(self, field_name):
        """A field's parameter in the URL: Vietnamese, hyphenated."""
        return self.PARAMETERS.get(field_name, field_name)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("“Đến ngày” phải trùng hoặc sau “Từ ngày”."))
        if not data.get("order"):
            data["order"] = self.RELEVANCE
        return data

    @property
    def is_narrowed(self):
        """Whether the reader narrowed the search to a section or to days."""
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("section") or data.get("since") or data.get("until"))


class EditorImageUploadForm(forms.Form):
    """The single file CKEditor's upload adapter sends, under the name ``upload``."""

    upload = forms.FileField(
        error_messages={"required": _("Không nhận được tệp ảnh."), "empty": _("Tệp ảnh rỗng.")}
    )

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            inspect_image(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return upload

    def save(self, uploaded_by):
        """The stored Image: the library's own copy when these exact bytes are there already."""
        upload = self.cleaned_data["upload"]
        duplicate = Image.objects.duplicate_of(upload)
        if duplicate is not None:
            return duplicate
        # Assigned, not saved to storage yet: Image.save() checks the bytes before they are stored.
        image = Image(file=upload, original_filename=upload.name[:255], uploaded_by=uploaded_by)
        image.save()
        return image


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(file, initial) for file in files if file]


class BulkImageUploadForm(forms.Form):
    """Several photos at once, sharing a credit; captions and alt text are added after."""

    files = MultipleImageField(
        label=_("Các tệp ảnh"),
        help_text=_("Chọn một hoặc nhiều ảnh JPEG, PNG, WebP hoặc GIF."),
        error_messages={"required": _("Hãy chọn ít nhất một tệp ảnh.")},
    )
    credit = forms.CharField(
        label=_("Nguồn ảnh"), max_length=200, required=False, help_text=_("Ví dụ: Ảnh: Thái Bình")
    )

    def save(self, uploaded_by):
        """Store each file; returns (stored, reused, refused) lists."""
        stored, reused, refused = [], [], []
        for upload in self.cleaned_data["files"]:
            try:
                inspect_image(upload)
            except ValidationError as error:
                refused.append((upload.name, " ".join(error.messages)))
                continue
            duplicate = Image.objects.duplicate_of(upload)
            if duplicate is not None:
                reused.append(duplicate)
                continue
            image = Image(
                file=upload,
                original_filename=upload.name[:255],
                credit=self.cleaned_data["credit"],
                uploaded_by=uploaded_by,
            )
            image.save()
            stored.append(image)
        return stored, reused, refused
