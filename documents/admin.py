from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion import create_revision, set_comment, set_user

from portal.admin_autocomplete import AutocompleteAdminMixin
from portal.admin_history import GuardedVersionAdmin
from portal.lost_edits import LostEditGuardForm

from .files import ACCEPTED_EXTENSIONS
from .models import (
    Document,
    DocumentField,
    DocumentFile,
    DocumentRelation,
    DocumentType,
    IssuingBody,
    LegalStatus,
)


class NamedLookupAdmin(GuardedVersionAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(DocumentType, NamedLookupAdmin)
admin.site.register(IssuingBody, NamedLookupAdmin)
admin.site.register(DocumentField, NamedLookupAdmin)


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    extra = 1
    fields = ["file", "title", "original_name", "position", "file_type", "size"]
    readonly_fields = ["file_type", "size"]
    formfield_overrides = {
        models.FileField: {
            "widget": forms.ClearableFileInput(attrs={"accept": ACCEPTED_EXTENSIONS})
        }
    }


class DocumentRelationInline(AutocompleteAdminMixin, admin.TabularInline):
    model = DocumentRelation
    fk_name = "document"
    extra = 0
    fields = ["kind", "target"]
    autocomplete_fields = ["target"]
    verbose_name = _("văn bản mà văn bản này thay thế, sửa đổi hoặc hướng dẫn")
    verbose_name_plural = _("văn bản mà văn bản này thay thế, sửa đổi hoặc hướng dẫn")


class DocumentAdminForm(LostEditGuardForm):
    class Meta:
        # DocumentAdmin.fieldsets is the one list of fields (ModelAdmin.get_form builds it).
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class LegalStatusFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "hieu-luc"

    def lookups(self, request, model_admin):
        return LegalStatus.choices

    def queryset(self, request, queryset):
        if self.value() in LegalStatus.values:
            return queryset.in_legal_status(self.value())
        return queryset


class IssueYearFilter(admin.SimpleListFilter):
    title = _("năm ban hành")
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        years = Document.objects.dates("issued_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit() and 1 <= int(value) <= 9999:
            return queryset.issued_in(int(value))
        return queryset


@admin.register(Document)
class DocumentAdmin(GuardedVersionAdmin):
    form = DocumentAdminForm
    change_form_template = "admin/documents/document/change_form.html"
    inlines = [DocumentFileInline, DocumentRelationInline]
    list_display = [
        "number",
        "short_summary",
        "document_type",
        "issuing_body",
        "issued_on",
        "legal_force",
        "public_state",
    ]
    list_display_links = ["number", "short_summary"]
    list_filter = [
        "status",
        LegalStatusFilter,
        IssueYearFilter,
        "document_type",
        "issuing_body",
        "fields",
    ]
    list_select_related = ["document_type", "issuing_body"]
    date_hierarchy = "issued_on"
    search_fields = ["number", "summary", "signer"]
    autocomplete_fields = ["document_type", "issuing_body", "fields"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    actions = ["publish_selected", "unpublish_selected"]

    class Media:
        js = ["js/admin-autocomplete.js"]  # names the autocomplete boxes

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "slug",
                    "document_type",
                    "issuing_body",
                    "signer",
                    "summary",
                    "fields",
                    "loaded_version",
                    "loaded_revision",
                ]
            },
        ),
        (
            _("Hiệu lực"),
            {"fields": ["issued_on", "effective_on", "expires_on", "partially_expired"]},
        ),
        (_("Công bố"), {"fields": ["status", "published_at"]}),
        (
            _("Lịch sử"),
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]

    @admin.display(description=_("Trích yếu"))
    def short_summary(self, obj):
        return obj.short_summary

    @admin.display(description=_("Hiệu lực"))
    def legal_force(self, obj):
        return obj.legal_status_label

    @admin.display(description=_("Tình trạng"), ordering="status")
    def public_state(self, obj):
        if obj.status == Document.Status.PUBLISHED and not obj.is_visible:
            return _("Đã hẹn giờ công bố")
        return obj.get_status_display()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            "preview_url": reverse("documents:document-preview", args=[object_id])
            if str(object_id).isdigit()
            else None,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # -- actions: each one a revision and a history entry per document -------------------

    def _apply(self, request, queryset, change, allowed):
        done = 0
        with transaction.atomic(), create_revision():
            set_user(request.user)
            chosen = list(queryset.values_list("pk", flat=True))
            for document in Document.objects.filter(pk__in=chosen).select_for_update():
                if not allowed(document):
                    continue
                note = change(document)
                document.updated_by = request.user
                document.save()
                self.log_change(request, document, note)
                set_comment(note)
                done += 1
        return done

    @admin.action(description=_("Công bố các văn bản đã chọn"), permissions=["change"])
    def publish_selected(self, request, queryset):
        def change(document):
            document.status = Document.Status.PUBLISHED
            if document.published_at is None or document.published_at > timezone.now():
                document.published_at = timezone.now()
            return str(_("Đã công bố."))

        done = self._apply(request, queryset, change, lambda d: not d.is_visible)
        self.message_user(
            request,
            ngettext("Đã công bố %d văn bản.", "Đã công bố %d văn bản.", done) % done,
        )

    @admin.action(description=_("Gỡ xuống các văn bản đã chọn"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        def change(document):
            document.status = Document.Status.DRAFT
            return str(_("Đã gỡ xuống."))

        done = self._apply(
            request, queryset, change, lambda d: d.status == Document.Status.PUBLISHED
        )
        self.message_user(request, ngettext("Đã gỡ %d văn bản.", "Đã gỡ %d văn bản.", done) % done)


from documents import admin_drafts  # noqa: E402,F401
