from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from portal.admin_history import GuardedVersionAdmin

from .models import (
    SITE_IDENTITY_PK,
    AgencyLink,
    AgencyPage,
    Leader,
    OrganisationUnit,
    SiteIdentity,
)


@admin.register(SiteIdentity)
class SiteIdentityAdmin(GuardedVersionAdmin):
    """The one identity record: changed, never added twice nor deleted."""

    autocomplete_fields = ["logo"]
    fieldsets = [
        (_("Tên cơ quan"), {"fields": ["name_vi", "name_en", "logo"]}),
        (
            _("Thông tin bắt buộc trên cổng (Nghị định 42/2022/NĐ-CP)"),
            {
                "fields": [
                    "governing_body_vi",
                    "governing_body_en",
                    "responsible_person_vi",
                    "responsible_person_en",
                    "licence_vi",
                    "licence_en",
                ]
            },
        ),
        (
            _("Liên hệ"),
            {
                "fields": [
                    "address_vi",
                    "address_en",
                    "phone",
                    "hotline",
                    "fax",
                    "email",
                    "working_hours_vi",
                    "working_hours_en",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # A list of one is noise: go straight to the record, or to adding it the first time.
        if SiteIdentity.objects.filter(pk=SITE_IDENTITY_PK).exists():
            return redirect(reverse("admin:agency_siteidentity_change", args=[SITE_IDENTITY_PK]))
        return redirect(reverse("admin:agency_siteidentity_add"))


@admin.register(AgencyLink)
class AgencyLinkAdmin(GuardedVersionAdmin):
    list_display = ["name_vi", "name_en", "url", "position"]
    list_editable = ["position"]
    search_fields = ["name_vi", "name_en", "url"]
    fields = ["name_vi", "name_en", "url", "position"]


class AgencyPageAdminForm(forms.ModelForm):
    class Meta:
        # No model and no list of fields: AgencyPageAdmin.fieldsets is the one list, and the
        # admin builds the form's class from it with AgencyPage (ModelAdmin.get_form).
        widgets = {
            "body_vi": CKEditor5Widget(config_name="default"),
            "body_en": CKEditor5Widget(config_name="default"),
        }


@admin.register(AgencyPage)
class AgencyPageAdmin(GuardedVersionAdmin):
    form = AgencyPageAdminForm
    list_display = ["title_vi", "title_en", "slug_vi", "block", "is_published", "position"]
    list_editable = ["position", "is_published"]
    list_filter = ["is_published", "block"]
    search_fields = ["title_vi", "title_en", "slug_vi", "slug_en"]
    prepopulated_fields = {"slug_vi": ["title_vi"], "slug_en": ["title_en"]}
    readonly_fields = ["updated_at"]
    fieldsets = [
        (_("Tiếng Việt"), {"fields": ["title_vi", "slug_vi", "summary_vi", "body_vi"]}),
        (_("Tiếng Anh"), {"fields": ["title_en", "slug_en", "summary_en", "body_en"]}),
        (_("Hiển thị"), {"fields": ["block", "position", "is_published", "updated_at"]}),
    ]


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(GuardedVersionAdmin):
    list_display = ["name_vi", "name_en", "parent", "head", "phone", "email", "position"]
    list_editable = ["position"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    search_fields = ["name_vi", "name_en", "head"]
    autocomplete_fields = ["parent"]
    fields = ["name_vi", "name_en", "parent", "head", "phone", "email", "position"]


@admin.register(Leader)
class LeaderAdmin(GuardedVersionAdmin):
    list_display = ["name", "title_vi", "title_en", "has_photo", "position"]
    list_editable = ["position"]
    list_select_related = ["photo"]
    search_fields = ["name", "title_vi", "title_en"]
    autocomplete_fields = ["photo"]
    fields = ["name", "title_vi", "title_en", "photo", "position"]

    @admin.display(description=_("có ảnh"), boolean=True)
    def has_photo(self, obj):
        return bool(obj.photo_id and obj.photo.file)
