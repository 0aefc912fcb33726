"""The lost-edit guard of the admin's forms (articles, documents, drafts): for a model with a
``version`` that every save changes, and ``updated_by`` / ``updated_at`` (news.models.
EditorialRecord). An edit begun from an older version is refused with a form error that names
who saved in between and what they changed, and keeps what was typed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.errors import RevertError
from reversion.models import Version


def local_stamp(value):
    """ "21:50 | 17/10/2019 (GMT+7)", the way the portal prints times."""
    local = timezone.localtime(value, timezone.get_default_timezone())
    return f"{local:%H:%M} | {local:%d/%m/%Y} (GMT+7)"


class LostEditGuardForm(forms.ModelForm):
    """A ModelForm that refuses to save over a newer version of its object.

    The admin's fieldsets must list ``loaded_version`` and ``loaded_revision`` (hidden).
    """

    loaded_version = forms.IntegerField(
        label=_("Phiên bản lúc mở"), widget=forms.HiddenInput, required=False
    )
    loaded_revision = forms.IntegerField(
        label=_("Bản lưu lúc mở"), widget=forms.HiddenInput, required=False
    )

    conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            self.fields["loaded_revision"].initial = self._latest_revision_id()

    def _latest_revision_id(self):
        return (
            Version.objects.get_for_object(self.instance)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_for_lost_edit(cleaned.get("loaded_version"))
        return cleaned

    def _changed_labels(self, current):
        """The names of the fields saved in between, when the revision the edit began from is
        known; else those where the saved object differs from this form."""
        revision = self.cleaned_data.get("loaded_revision")
        started_from = Version.objects.get_for_object(current).filter(pk=revision).first()
        try:
            before = started_from.field_dict if started_from is not None else None
        except RevertError:
            before = None
        labels = []
        for field in current._meta.concrete_fields:
            if not field.editable or field.primary_key:
                continue
            now = getattr(current, field.attname)
            if before is not None:
                differs = field.attname in before and before[field.attname] != now
            elif field.name in self.cleaned_data:
                submitted = self.cleaned_data[field.name]
                differs = getattr(submitted, "pk", submitted) != now
            else:
                differs = False
            if differs:
                labels.append(str(field.verbose_name))
        return labels

    def describe_changes(self, current):
        """What the notice says changed since this edit began: ``{"changes": [...]}``, the
        names of the fields (a form may say more: news.admin.ArticleAdminForm)."""
        return {"changes": self._changed_labels(current)}

    def conflict_message(self, current):
        return gettext(
            "%(object)s đã được %(user)s lưu lúc %(time)s, sau khi bạn mở nó. Bản của bạn "
            "CHƯA được lưu và vẫn còn nguyên trong biểu mẫu. Xem những phần đã thay đổi ở "
            "trên; bấm Lưu lần nữa nếu bạn vẫn muốn ghi đè."
        ) % {
            "object": str(type(current)._meta.verbose_name).capitalize(),
            "user": current.updated_by or gettext("người khác"),
            "time": local_stamp(current.updated_at),
        }

    def _check_for_lost_edit(self, loaded_version):
        # Inside the admin's transaction: the row stays locked until this save commits.
        model = type(self.instance)
        current = model._default_manager.select_for_update().get(pk=self.instance.pk)
        if loaded_version == current.version:
            return
        self.conflict = {
            "by": current.updated_by,
            "at": current.updated_at,
            **self.describe_changes(current),
        }
        # Point the re-shown form at the newest version: saving again is a deliberate choice.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current.version
        self.data[self.add_prefix("loaded_revision")] = self._latest_revision_id() or ""
        raise ValidationError(self.conflict_message(current), code="conflict")
