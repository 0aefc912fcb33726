from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from .models import Article, Category, Image

admin.site.site_header = _("Quản trị Cổng thông tin điện tử")
admin.site.site_title = _("Quản trị cổng thông tin")
admin.site.index_title = _("Quản lý nội dung")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "caption", "original_filename", "width", "height", "uploaded_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "original_filename", "alt_text", "credit"]
    date_hierarchy = "uploaded_at"
    fields = ["file", "caption", "alt_text", "credit", "original_filename"]
    readonly_fields = ["original_filename"]

    @admin.display(description=_("Ảnh"))
    def thumbnail(self, obj):
        if not obj.file:
            return _("(chưa có tệp)")
        return format_html(
            '<img src="{}" alt="{}" width="96" style="height:auto" loading="lazy">',
            obj.file.url,
            obj.alt_text or obj.caption,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "status", "published_at", "author", "visible_now"]
    list_filter = ["status", "category"]
    list_select_related = ["category", "category__parent"]
    date_hierarchy = "published_at"
    search_fields = ["title", "lead", "author"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "featured_image"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "lead", "body", "featured_image"]}),
        (_("Xuất bản"), {"fields": ["status", "published_at", "author", "source"]}),
        (
            _("Lịch sử"),
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = CKEditor5Widget(config_name="default")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("Đang hiển thị"), boolean=True)
    def visible_now(self, obj):
        return obj.is_visible

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
