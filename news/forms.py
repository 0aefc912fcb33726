from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .images import inspect_image
from .models import Image


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
