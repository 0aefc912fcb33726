"""The public's comment form, and the drafts' admin form with the lost-edit guard."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from news.text import clean_plain_text
from portal.lost_edits import LostEditGuardForm

from .drafts import COMMENT_MAX_LENGTH, DraftComment

# The hidden field bots fill: a person never sees it (drafts.css, aria-hidden, no tab stop).
HONEYPOT = "website"


class PlainTextField(forms.CharField):
    """Text as the model keeps it (NFC, no control characters), so the length checked is the
    length stored."""

    def to_python(self, value):
        return clean_plain_text(super().to_python(value))


class CommentForm(forms.ModelForm):
    """A reader's comment on a draft: ``name``, ``email``, ``organisation`` (optional) and
    ``content``; plus the honeypot."""

    name = PlainTextField(
        label=_("Họ và tên"),
        max_length=200,
        error_messages={
            "required": _("Hãy nhập họ và tên của bạn."),
            "max_length": _("Họ và tên dài tối đa %(limit_value)d ký tự."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=254,
        error_messages={
            "required": _("Hãy nhập địa chỉ thư điện tử để đơn vị soạn thảo có thể liên hệ."),
            "invalid": _("Địa chỉ thư điện tử chưa đúng. Ví dụ: ten@example.vn."),
            "max_length": _("Địa chỉ thư điện tử dài tối đa %(limit_value)d ký tự."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = PlainTextField(
        label=_("Cơ quan, tổ chức (không bắt buộc)"),
        max_length=300,
        required=False,
        error_messages={"max_length": _("Tên cơ quan, tổ chức dài tối đa %(limit_value)d ký tự.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    content = PlainTextField(
        label=_("Nội dung góp ý"),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "required": _("Hãy viết nội dung góp ý."),
            "max_length": _(
                "Nội dung góp ý dài tối đa %(limit_value)d ký tự; bạn đã viết %(show_value)d ký tự."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Tối đa 5.000 ký tự. Ý kiến được gửi đến đơn vị soạn thảo, không công khai."),
    )
    website = forms.CharField(
        label=_("Không điền vào ô này"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = DraftComment
        fields = ["name", "email", "organisation", "content"]

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.draft = draft

    @property
    def is_bot(self):
        """Whether the honeypot was filled: the reader is thanked, and nothing is stored."""
        return bool((self.data.get(HONEYPOT) or "").strip())


class DraftAdminForm(LostEditGuardForm):
    """The draft's form in the admin, with the lost-edit guard the library's documents have
    (portal.lost_edits)."""

    class Meta:
        # No model and no list of fields: DraftAdmin.fieldsets is the one list, and the admin
        # builds the form's class from it with Draft (ModelAdmin.get_form).
        widgets = {
            "body": CKEditor5Widget(config_name="default"),
            "response_body": CKEditor5Widget(config_name="default"),
        }
