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
        upload = self.cleaned_data["upload"]
        # Assigned, not saved to storage yet: Image.save() checks the bytes before they are stored.
        image = Image(file=upload, original_filename=upload.name[:255], uploaded_by=uploaded_by)
        image.save()
        return image
