from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from news.admin import local_stamp, name_date_and_time_boxes
from portal.admin_autocomplete import AutocompleteAdminMixin
from portal.admin_history import GuardedVersionAdmin

from .models import Album, AlbumPhoto, Publication, Video
from .permissions import can_change, can_publish
from .templatetags.gallery_tags import clock_duration


class PublicationAdminForm(forms.ModelForm):
    """An album's or a video's form, with the publishing rule checked on the server."""

    request = None  # set per request by PublicationAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_date_and_time_boxes(self)
        if "status" in self.fields and not can_publish(self.request.user, self._meta.model):
            allowed = {Publication.Status.DRAFT, Publication.Status.PENDING}
            status = self.fields["status"]
            status.choices = [(value, label) for value, label in status.choices if value in allowed]
            status.help_text = _("Phóng viên lưu bản nháp hoặc gửi duyệt; biên tập viên xuất bản.")

    def clean_status(self):
        status = self.cleaned_data["status"]
        was = self.instance.status if self.instance.pk else None
        published = Publication.Status.PUBLISHED
        touches_public = published in (status, was)
        if (
            touches_public
            and status != was
            and not can_publish(self.request.user, self._meta.model)
        ):
            raise ValidationError(_("Bạn không có quyền xuất bản hay gỡ xuống."), code="publish")
        return status


class PublicationAdmin(GuardedVersionAdmin):
    """What the album and video admins share: who may change and publish, who made what, and
    the public state in the list."""

    form = PublicationAdminForm
    list_filter = ["status"]
    search_fields = ["title", "description"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]
    history_fieldset = (
        _("Lịch sử"),
        {
            "fields": ["created_at", "created_by", "updated_at", "updated_by"],
            "classes": ["collapse"],
        },
    )
    publication_fieldset = (_("Xuất bản"), {"fields": ["status", "published_at"]})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # a fresh class per call, so this is per request
        return form

    def has_change_permission(self, request, obj=None):
        return can_change(request.user, self.model, obj)

    def may_restore(self, request, live, restored):
        published = Publication.Status.PUBLISHED
        touches_public = restored.status == published or (live and live.status == published)
        return can_publish(request.user, self.model) or not touches_public

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Xuất bản"), ordering="published_at")
    def published(self, obj):
        return local_stamp(obj.published_at) if obj.published_at else None

    @admin.display(description=_("Tình trạng"))
    def public_state(self, obj):
        if obj.status != Publication.Status.PUBLISHED:
            return obj.get_status_display()
        if obj.is_scheduled:
            return _("Đã lên lịch %(time)s") % {"time": local_stamp(obj.published_at)}
        return _("Đang hiển thị")


class AlbumPhotoFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        photos = [
            form.instance
            for form in self.forms
            if form.cleaned_data.get("image") and not form.cleaned_data.get("DELETE")
        ]
        chosen = [photo.image_id for photo in photos]
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_("Mỗi ảnh chỉ được có một lần trong album."))
        self.instance.check_publishable(photos)


class AlbumPhotoInline(AutocompleteAdminMixin, admin.TabularInline):
    model = AlbumPhoto
    formset = AlbumPhotoFormSet
    fields = ["thumbnail", "image", "caption", "position"]
    readonly_fields = ["thumbnail"]
    autocomplete_fields = ["image"]
    extra = 3

    @admin.display(description=_("Ảnh"))
    def thumbnail(self, obj):
        if obj is None or not obj.image_id or not obj.image.has_file:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="96" loading="lazy">',
            obj.image.jpeg_320.url,
            obj.alt_text,
        )

    # The album's rights decide: a reporter's own draft, an editor's any album.
    def has_add_permission(self, request, obj=None):
        return can_change(request.user, Album, obj)

    def has_change_permission(self, request, obj=None):
        return can_change(request.user, Album, obj)

    def has_delete_permission(self, request, obj=None):
        return can_change(request.user, Album, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("gallery.view_album")


@admin.register(Album)
class AlbumAdmin(PublicationAdmin):
    list_display = ["title", "photo_count", "public_state", "published"]
    autocomplete_fields = ["cover"]
    inlines = [AlbumPhotoInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "cover"]}),
        PublicationAdmin.publication_fieldset,
        PublicationAdmin.history_fieldset,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_total=Count("photos"))

    @admin.display(description=_("Số ảnh"), ordering="photo_total")
    def photo_count(self, obj):
        return obj.photo_total


@admin.register(Video)
class VideoAdmin(PublicationAdmin):
    list_display = ["title", "length", "public_state", "published"]
    search_fields = ["title", "description", "transcript"]
    autocomplete_fields = ["poster"]
    readonly_fields = [*PublicationAdmin.readonly_fields, "file_facts"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "file", "file_facts", "poster"]}),
        (
            _("Phụ đề và lời thoại"),
            {"fields": ["captions", "captions_label", "captions_language", "transcript"]},
        ),
        PublicationAdmin.publication_fieldset,
        PublicationAdmin.history_fieldset,
    ]

    @admin.display(description=_("Thời lượng"), ordering="duration")
    def length(self, obj):
        return clock_duration(obj.duration) or "—"

    @admin.display(description=_("Tệp đã lưu"))
    def file_facts(self, obj):
        if obj is None or not obj.file:
            return "—"
        facts = [obj.file_type.upper(), filesizeformat(obj.file_size or 0)]
        if obj.duration:
            facts.append(clock_duration(obj.duration))
        if obj.original_filename:
            facts.append(_("tên gốc: %(name)s") % {"name": obj.original_filename})
        return ", ".join(str(fact) for fact in facts)
