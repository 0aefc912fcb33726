"""History, revisions and recovery in the admin, checked like any other save.

django-reversion's ``VersionAdmin`` reverts a whole revision in the database *before* it asks
anything, takes any version id whatever model or object it belongs to, and keeps the result
whenever the form it then shows happens to save. Here, instead:

* a version is looked up among the versions of *this* object (this model, this primary key);
  anything else is a 404;
* the user must be allowed to change that object, and to publish when the model has a
  publishing right that the restore touches (``may_restore``); otherwise 403, before anything
  is read or written;
* showing a version writes nothing: its values fill the ordinary change form, in memory;
* restoring is posting that form. The live object is saved through it, so the permission
  checks, the sanitiser and the lost-edit guard apply as to any save, and the new revision
  says who restored which version.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion import set_comment
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from .admin_autocomplete import AutocompleteAdminMixin


class GuardedHistoryMixin(AutocompleteAdminMixin):
    """The history page of an object asks for the right to change that object. (Every admin
    of the portal has this mixin, and with it autocomplete boxes safe with any posted value.)"""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


class _KeepNothing(Exception):
    """Leaves a transaction that must not be kept, carrying the response to show."""

    def __init__(self, response):
        self.response = response


class GuardedVersionAdmin(GuardedHistoryMixin, VersionAdmin):
    """VersionAdmin whose revision and recover views are as safe as its change view."""

    def may_restore(self, request, live, restored):
        """Whether ``request.user`` may bring ``restored`` back over ``live`` (None when the
        object was deleted). Change rights are checked already; models with a publishing
        right add it here."""
        return True

    # -- looking versions up ---------------------------------------------------------------

    def _state_of(self, version):
        """The model instance a version holds, not saved anywhere; None if it cannot be read
        (the model's fields changed since)."""
        try:
            values = version.field_dict
        except RevertError:
            return None
        fields = self.model._meta.concrete_fields
        return self.model(**{f.attname: values[f.attname] for f in fields if f.attname in values})

    def _unreadable(self, request, version):
        messages.error(
            request,
            _("Không đọc được phiên bản này (cấu trúc dữ liệu đã thay đổi từ khi lưu nó)."),
        )
        opts = self.model._meta
        return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")

    def _templates(self, name):
        opts = self.model._meta
        return [
            f"reversion/{opts.app_label}/{opts.model_name}/{name}",
            f"reversion/{opts.app_label}/{name}",
            f"reversion/{name}",
        ]

    def _restore_note(self, version):
        revision = version.revision
        return _(
            "Đã khôi phục về phiên bản trước, được lưu lúc %(time)s (phiên bản số %(id)s, "
            "người lưu: %(author)s)."
        ) % {
            "time": timezone.localtime(revision.date_created).strftime("%H:%M %d/%m/%Y"),
            "id": version.pk,
            "author": revision.user.get_username() if revision.user else "—",
        }

    # -- views -----------------------------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        shown = getattr(request, "version_shown", None)
        if obj is not None and shown is not None and request.method == "GET":
            # The form shows the version's values; the object's bookkeeping (its version
            # counter for the lost-edit guard, its authorship) stays as it is now.
            for field in obj._meta.concrete_fields:
                if field.editable and not field.primary_key and field.attname in shown:
                    setattr(obj, field.attname, shown[field.attname])
        return obj

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """A past version of an object in its change form; saving the form restores it."""
        live = self.get_object(request, unquote(object_id))
        if live is None:
            raise Http404
        version = get_object_or_404(Version.objects.get_for_object(live), pk=version_id)
        restored = self._state_of(version)
        if restored is None:
            return self._unreadable(request, version)
        if not (
            self.has_change_permission(request, live) and self.may_restore(request, live, restored)
        ):
            raise PermissionDenied
        if "_saveasnew" in request.POST:
            raise PermissionDenied  # a restore brings this object back, not a copy of it
        context = {
            "title": _("Khôi phục phiên bản cũ: %(name)s") % {"name": version.object_repr},
            "revert": True,
            **(extra_context or {}),
        }
        request.version_shown = version.field_dict
        with self.create_revision(request):
            response = self.changeform_view(request, quote(str(live.pk)), request.path, context)
            if request.method == "POST" and response.status_code == 302:
                set_comment(self._restore_note(version))
        if response.status_code == 200:
            response.template_name = self._templates("revision_form.html")
        return response

    def changelist_view(self, request, extra_context=None):
        # reversion's list offers "recover deleted" on this flag: only to those who may.
        may_recover = self.has_change_permission(request) and self.has_delete_permission(request)
        context = {"has_change_permission": may_recover, **(extra_context or {})}
        return super().changelist_view(request, context)

    def recoverlist_view(self, request, extra_context=None):
        # Undoing a deletion is for those who may delete.
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted object's last version in its change form; saving the form brings it
        back under its old key, so its history goes on."""
        if not (self.has_add_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)
        restored = self._state_of(version)
        if restored is None:
            return self._unreadable(request, version)
        if not (
            self.has_change_permission(request, restored)
            and self.may_restore(request, None, restored)
        ):
            raise PermissionDenied
        if "_saveasnew" in request.POST:
            raise PermissionDenied
        if self.model._default_manager.filter(pk=restored.pk).exists():
            raise Http404  # brought back already
        context = {
            "title": _("Khôi phục đối tượng đã xóa: %(name)s") % {"name": version.object_repr},
            "recover": True,
            **(extra_context or {}),
        }
        # The form needs the object in the database: it is put back inside a transaction
        # that is kept only when the posted form saves.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                version.revert()
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(str(restored.pk)), request.path, context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        set_comment(self._restore_note(version))
                        return response
                response.template_name = self._templates("recover_form.html")
                response.render()
                raise _KeepNothing(response)
        except _KeepNothing as outcome:
            return outcome.response
