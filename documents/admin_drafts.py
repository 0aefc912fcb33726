"""The drafts for public comment in the admin: the drafts with their files and response, and the
public's comments, which editors read, mark and export (CSV, XLSX), but never rewrite.

Who may do what is Django's model permissions, given to the groups *Văn thư* and *Biên tập
viên* by migration (documents/migrations): both manage drafts and read and mark comments;
reporters see none of it; only superusers delete a comment.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin_history import GuardedVersionAdmin
from portal.lost_edits import local_stamp

from . import comment_export
from .drafts import Draft, DraftComment, DraftFile, DraftResponseFile, WindowState
from .files import ACCEPTED_EXTENSIONS
from .forms_drafts import DraftAdminForm

COMMENTS_PERMISSION = "documents.view_draftcomment"


class DraftFileInlineBase(admin.TabularInline):
    extra = 0
    fields = ["file", "title", "original_name", "position", "file_type", "size"]
    readonly_fields = ["file_type", "size"]
    formfield_overrides = {
        models.FileField: {
            "widget": forms.ClearableFileInput(attrs={"accept": ACCEPTED_EXTENSIONS})
        }
    }


class DraftFileInline(DraftFileInlineBase):
    model = DraftFile


class DraftResponseFileInline(DraftFileInlineBase):
    model = DraftResponseFile


class WindowFilter(admin.SimpleListFilter):
    title = _("thời gian lấy ý kiến")
    parameter_name = "lay-y-kien"

    def lookups(self, request, model_admin):
        return [
            ("dang", WindowState.OPEN.label),
            ("sap", WindowState.UPCOMING.label),
            ("het", WindowState.CLOSED.label),
        ]

    def queryset(self, request, queryset):
        chosen = {"dang": WindowState.OPEN, "sap": WindowState.UPCOMING, "het": WindowState.CLOSED}
        if self.value() in chosen:
            return queryset.with_window_state().filter(window=chosen[self.value()])
        return queryset


@admin.register(Draft)
class DraftAdmin(GuardedVersionAdmin):
    form = DraftAdminForm
    inlines = [DraftFileInline, DraftResponseFileInline]
    list_display = ["title", "drafting_unit", "window", "public_state", "comments"]
    list_filter = ["status", WindowFilter]
    date_hierarchy = "opens_at"
    search_fields = ["title", "drafting_unit", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "drafting_unit",
                    "summary",
                    "body",
                    "loaded_version",
                    "loaded_revision",
                ]
            },
        ),
        (_("Thời gian lấy ý kiến"), {"fields": ["opens_at", "closes_at"]}),
        (_("Xuất bản"), {"fields": ["status", "published_at"]}),
        (
            _("Báo cáo tiếp thu, giải trình"),
            {
                "fields": ["response_body"],
                "description": _(
                    "Hiện trên trang dự thảo sau khi hết hạn lấy ý kiến, cùng các tệp báo cáo "
                    "bên dưới."
                ),
            },
        ),
        (
            _("Lịch sử"),
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comment_total=Count("comments"))

    @admin.display(description=_("Thời gian lấy ý kiến"), ordering="opens_at")
    def window(self, obj):
        return format_html(
            "{}<br>{} – {}",
            obj.window_state.label,
            local_stamp(obj.opens_at),
            local_stamp(obj.closes_at),
        )

    @admin.display(description=_("Tình trạng"), ordering="status")
    def public_state(self, obj):
        if obj.status == Draft.Status.PUBLISHED and not obj.is_visible:
            return _("Đã hẹn giờ %(time)s") % {"time": local_stamp(obj.published_at)}
        return obj.get_status_display()

    @admin.display(description=_("Ý kiến"), ordering="comment_total")
    def comments(self, obj):
        total = obj.comment_total
        if not total:
            return "0"
        url = reverse("admin:documents_draftcomment_changelist") + f"?draft__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, total)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {**(extra_context or {})}
        if str(object_id).isdigit():
            context["preview_url"] = reverse("documents:draft-preview", args=[object_id])
            if request.user.has_perm(COMMENTS_PERMISSION):
                context["comments_url"] = (
                    reverse("admin:documents_draftcomment_changelist")
                    + f"?draft__id__exact={object_id}"
                )
                context["export_csv_url"] = reverse(
                    "admin:documents_draft_comments_csv", args=[object_id]
                )
                context["export_xlsx_url"] = reverse(
                    "admin:documents_draft_comments_xlsx", args=[object_id]
                )
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        export = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/y-kien.csv",
                export(self.export_comments),
                {"kind": "csv"},
                name="documents_draft_comments_csv",
            ),
            path(
                "<int:object_id>/y-kien.xlsx",
                export(self.export_comments),
                {"kind": "xlsx"},
                name="documents_draft_comments_xlsx",
            ),
            *super().get_urls(),
        ]

    def export_comments(self, request, object_id, kind):
        """One draft's comments as a file: for those who may read comments."""
        if not request.user.has_perm(COMMENTS_PERMISSION):
            raise PermissionDenied
        draft = get_object_or_404(Draft, pk=object_id)
        if kind == "xlsx":
            return comment_export.xlsx_response(draft)
        return comment_export.csv_response(draft)


@admin.register(DraftComment)
class DraftCommentAdmin(admin.ModelAdmin):
    """The public's comments: read and marked, never written or rewritten here; deleted only
    by a superuser."""

    list_display = ["submitted", "name", "email", "organisation", "excerpt", "draft", "status"]
    list_display_links = ["submitted", "name"]
    list_filter = ["status", "draft"]
    list_select_related = ["draft"]
    date_hierarchy = "submitted_at"
    search_fields = ["name", "email", "organisation", "content", "draft__title"]
    fields = [
        "draft",
        "submitted_at",
        "name",
        "email",
        "organisation",
        "content",
        "status",
        "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = [
        "draft",
        "submitted_at",
        "name",
        "email",
        "organisation",
        "content",
        "reviewed_by",
        "reviewed_at",
    ]
    actions = ["mark_read", "mark_accepted", "mark_unread"]

    @admin.display(description=_("Gửi lúc"), ordering="submitted_at")
    def submitted(self, obj):
        return local_stamp(obj.submitted_at)

    @admin.display(description=_("Nội dung góp ý"))
    def excerpt(self, obj):
        return Truncator(obj.content).chars(120)

    def has_add_permission(self, request):
        return False  # comments come from the public's form only

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.reviewed_by = request.user
            obj.reviewed_at = timezone.now()
        super().save_model(request, obj, form, change)

    def _mark(self, request, queryset, status):
        done = queryset.exclude(status=status).update(
            status=status, reviewed_by=request.user, reviewed_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "Đã đánh dấu %(count)d ý kiến là “%(status)s”.",
                "Đã đánh dấu %(count)d ý kiến là “%(status)s”.",
                done,
            )
            % {"count": done, "status": DraftComment.Status(status).label},
        )

    @admin.action(description=_("Đánh dấu đã đọc"), permissions=["change"])
    def mark_read(self, request, queryset):
        self._mark(request, queryset, DraftComment.Status.READ)

    @admin.action(description=_("Đánh dấu đã tiếp thu"), permissions=["change"])
    def mark_accepted(self, request, queryset):
        self._mark(request, queryset, DraftComment.Status.ACCEPTED)

    @admin.action(description=_("Đánh dấu chưa đọc"), permissions=["change"])
    def mark_unread(self, request, queryset):
        self._mark(request, queryset, DraftComment.Status.NEW)
