"""The library's filters, read from ``request.GET`` under their public names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LegalStatus

MAX_QUERY_LENGTH = 200


class DocumentFilterForm(forms.Form):
    """``?loai=``, ``?co-quan=``, ``?linh-vuc=`` (slugs), ``?nam=`` (year of issue),
    ``?hieu-luc=con|chua|het`` and ``?q=`` (words of the number or summary): all combine."""

    PARAMETERS = {
        "document_type": "loai",
        "issuing_body": "co-quan",
        "field": "linh-vuc",
        "year": "nam",
        "legal_status": "hieu-luc",
    }
    STATUS_CHOICES = [
        ("", _("Tất cả")),
        (LegalStatus.IN_FORCE.value, LegalStatus.IN_FORCE.label),
        (LegalStatus.NOT_YET.value, LegalStatus.NOT_YET.label),
        (LegalStatus.EXPIRED.value, LegalStatus.EXPIRED.label),
    ]

    q = forms.CharField(
        label=_("Số ký hiệu hoặc trích yếu"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": _("Từ khóa quá dài (tối đa %(limit_value)d ký tự).")},
    )
    document_type = forms.ChoiceField(
        label=_("Loại văn bản"),
        required=False,
        error_messages={
            "invalid_choice": _("Không có loại văn bản này. Hãy chọn trong danh sách.")
        },
    )
    issuing_body = forms.ChoiceField(
        label=_("Cơ quan ban hành"),
        required=False,
        error_messages={
            "invalid_choice": _("Không có cơ quan ban hành này. Hãy chọn trong danh sách.")
        },
    )
    field = forms.ChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        error_messages={"invalid_choice": _("Không có lĩnh vực này. Hãy chọn trong danh sách.")},
    )
    year = forms.IntegerField(
        label=_("Năm ban hành"),
        required=False,
        min_value=1945,
        max_value=2100,
        error_messages={
            "invalid": _("Năm ban hành phải là một số, ví dụ 2022."),
            "min_value": _("Năm ban hành phải từ 1945 đến 2100."),
            "max_value": _("Năm ban hành phải từ 1945 đến 2100."),
        },
    )
    legal_status = forms.ChoiceField(
        label=_("Hiệu lực"),
        required=False,
        choices=STATUS_CHOICES,
        error_messages={"invalid_choice": _("Hãy chọn một tình trạng hiệu lực trong danh sách.")},
    )

    def __init__(self, data, *, types, bodies, fields, years):
        """``types``, ``bodies``, ``fields``: the lookups a filter may name, in their order;
        ``years``: the years documents were issued in, newest first."""
        super().__init__(data)
        self.fields["document_type"].choices = [("", _("Tất cả"))] + [
            (item.slug, item.name) for item in types
        ]
        self.fields["issuing_body"].choices = [("", _("Tất cả"))] + [
            (item.slug, item.name) for item in bodies
        ]
        self.fields["field"].choices = [("", _("Tất cả"))] + [
            (item.slug, item.name) for item in fields
        ]
        self.years = years

    def add_prefix(self, field_name):
        """A field's parameter in the URL: Vietnamese, hyphenated."""
        return self.PARAMETERS.get(field_name, field_name)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    @property
    def is_filtered(self):
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("q", *self.PARAMETERS))
