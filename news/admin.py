import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion import create_revision, set_comment, set_user
from reversion.models import Version

from portal.admin_autocomplete import AutocompleteSelectMultiple
from portal.admin_history import GuardedHistoryMixin, GuardedVersionAdmin
from portal.lost_edits import LostEditGuardForm, local_stamp

from .editor import BodyEditorWidget
from .forms import BulkImageUploadForm
from .models import Article, Category, Image, RelatedArticle, Topic
from .permissions import can_change_article, can_change_image, can_publish
from .revisions import article_state, changed_fields
from .templatetags.news_tags import news_time

admin.site.site_header = _("Quản trị Cổng thông tin điện tử")
admin.site.site_title = _("Quản trị cổng thông tin")
admin.site.index_title = _("Quản lý nội dung")


def workflow_message(old_status, article):
    """What a save did to the article's public life, for the history; "" when nothing."""
    published = Article.Status.PUBLISHED
    if article.status == published and (old_status != published or article.is_scheduled):
        if article.is_scheduled:
            return _("Đã hẹn giờ xuất bản lúc %(time)s.") % {
                "time": local_stamp(article.published_at)
            }
        if old_status != published:
            return _("Đã xuất bản.")
    if old_status == published and article.status != published:
        return _("Đã gỡ xuống (chuyển về %(status)s).") % {"status": article.get_status_display()}
    if article.status == Article.Status.PENDING and old_status != Article.Status.PENDING:
        return _("Đã gửi duyệt.")
    return ""


@admin.register(Category)
class CategoryAdmin(GuardedVersionAdmin):
    list_display = ["name", "name_en", "slug", "parent", "position"]
    list_editable = ["position"]
    list_filter = ["parent"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Topic)
class TopicAdmin(GuardedVersionAdmin):
    list_display = ["name", "name_en", "slug", "is_event"]
    list_filter = ["is_event"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class MissingFileFilter(admin.SimpleListFilter):
    title = _("tệp ảnh")
    parameter_name = "tep"

    def lookups(self, request, model_admin):
        return [("thieu", _("Thiếu tệp ảnh")), ("co", _("Đã có tệp"))]

    def queryset(self, request, queryset):
        if self.value() == "thieu":
            return queryset.missing_file()
        if self.value() == "co":
            return queryset.exclude(pk__in=queryset.missing_file().values("pk"))
        return queryset


@admin.register(Image)
class ImageAdmin(GuardedHistoryMixin, admin.ModelAdmin):
    change_list_template = "admin/news/image/change_list.html"
    list_display = [
        "thumbnail",
        "caption",
        "original_filename",
        "alt_text",
        "width",
        "height",
        "uploaded_at",
    ]
    list_display_links = ["thumbnail", "caption"]
    list_filter = [MissingFileFilter]
    search_fields = ["caption", "original_filename", "alt_text", "credit"]
    date_hierarchy = "uploaded_at"
    fields = ["file", "caption", "alt_text", "credit", "original_filename", "used_in"]
    readonly_fields = ["original_filename", "used_in"]

    @admin.display(description=_("Ảnh"))
    def thumbnail(self, obj):
        if not obj.file:
            # Marked for the editors: it shows nowhere, and cannot be a featured image.
            return format_html(
                '<strong class="missing-file"><img src="{}" alt=""> {}</strong>',
                static("admin/img/icon-alert.svg"),
                _("Thiếu tệp ảnh"),
            )
        return format_html(
            '<img src="{}" alt="{}" width="96" loading="lazy">',
            obj.jpeg_320.url,
            obj.alt_text or obj.caption,
        )

    @admin.display(description=_("Dùng trong các bài"))
    def used_in(self, obj):
        if obj.pk is None:
            return "—"
        articles = Article.objects.using_image(obj).only("pk", "title")[:50]
        if not articles:
            return _("Chưa bài nào dùng ảnh này.")
        return format_html_join(
            "",
            '<p><a href="{}">{}</a></p>',
            ((reverse("admin:news_article_change", args=[a.pk]), a.title) for a in articles),
        )

    def has_change_permission(self, request, obj=None):
        return can_change_image(request.user, obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "featured_image":
            # The featured image's autocomplete offers only photos a card can show.
            queryset = queryset.with_file()
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "tai-nhieu/",
                self.admin_site.admin_view(self.bulk_upload_view),
                name="news_image_bulk_upload",
            )
        ] + super().get_urls()

    def bulk_upload_view(self, request):
        """Upload several photos at once, then add captions and alt text to each."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BulkImageUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            stored, reused, refused = form.save(uploaded_by=request.user)
            for image in stored:
                self.log_addition(request, image, [{"added": {}}])
            if stored:
                messages.success(
                    request,
                    _("Đã tải lên %(n)d ảnh. Hãy thêm chú thích và văn bản thay thế cho từng ảnh.")
                    % {"n": len(stored)},
                )
            for image in reused:
                messages.info(
                    request,
                    _("“%(name)s” đã có trong thư viện, dùng lại ảnh cũ.") % {"name": image},
                )
            for name, reason in refused:
                messages.error(
                    request,
                    _("“%(name)s” bị từ chối: %(reason)s") % {"name": name, "reason": reason},
                )
            if not refused:
                return redirect("admin:news_image_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Tải lên nhiều ảnh"),
            "form": form,
        }
        return TemplateResponse(request, "admin/news/image/bulk_upload.html", context)


def name_date_and_time_boxes(form):
    """Give the admin's date and time boxes an accessible name ("Hết hạn lúc – Ngày").

    Django prints "Ngày:" and "Giờ:" beside them as plain text, not as labels, so screen
    readers announced two unnamed boxes per field (axe-core: "label", critical).
    """
    for field in form.fields.values():
        if isinstance(field.widget, AdminSplitDateTime):
            date_box, time_box = field.widget.widgets
            label = capfirst(field.label)
            date_box.attrs["aria-label"] = f"{label} – {gettext('Date:').rstrip(':')}"
            time_box.attrs["aria-label"] = f"{label} – {gettext('Time:').rstrip(':')}"


class ChosenOrderAutocomplete(AutocompleteSelectMultiple):
    """The autocomplete box, its choices shown in the order chosen: the browser posts them in
    the order shown, and a new choice comes last."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        order = {str(item): place for place, item in enumerate(value)}
        for _group, options, _index in groups:
            options.sort(key=lambda option: order.get(str(option["value"]), len(order)))
        return groups


class ChosenOrderField(forms.ModelMultipleChoiceField):
    """The chosen objects as a list, in the order the form posted them."""

    def clean(self, value):
        found = {str(obj.pk): obj for obj in super().clean(value)}
        return [found[key] for key in dict.fromkeys(map(str, value or [])) if key in found]


class ArticleAdminForm(LostEditGuardForm):
    """The article form, with the publishing rule and the lost-edit guard checked on the server;
    a refused edit shows what changed word by word (news.revisions)."""

    # Article.related, in the editors' order (a field of its own: the admin leaves out
    # many-to-many fields that go through a model). ArticleAdmin.save_related saves it.
    related_articles = ChosenOrderField(
        label=_("Tin liên quan"),
        queryset=Article.objects.all(),
        required=False,
        widget=ChosenOrderAutocomplete(Article._meta.get_field("related"), admin.site),
        help_text=_(
            "Tùy chọn. Mục “Tin liên quan” của bài hiện các bài này (khi đã xuất bản), theo "
            "thứ tự đã chọn; để trống thì hiện tin mới nhất cùng chuyên mục."
        ),
    )

    # Article.topics: a field of its own for the same reason (its tags keep the article's
    # publication time, ArticleTopic). ArticleAdmin.save_related saves it.
    article_topics = forms.ModelMultipleChoiceField(
        label=_("Chủ đề"),
        queryset=Topic.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("topics"), admin.site),
        help_text=Article._meta.get_field("topics").help_text,
    )

    request = None  # set per request by ArticleAdmin.get_form

    class Meta:
        # No model and no list of fields: ArticleAdmin.fieldsets is the one list, and the admin
        # builds the form's class from it with Article (ModelAdmin.get_form).
        widgets = {"body": BodyEditorWidget(config_name="default")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            # A form posted without it (a script, an old tab) keeps the model's default: Vietnamese.
            self.fields["language"].required = False
        name_date_and_time_boxes(self)
        user = self.request.user
        if "status" in self.fields and not can_publish(user):
            allowed = {Article.Status.DRAFT, Article.Status.PENDING}
            self.fields["status"].choices = [
                (value, label) for value, label in self.fields["status"].choices if value in allowed
            ]
            self.fields["status"].help_text = _(
                "Phóng viên lưu bản nháp hoặc gửi duyệt; biên tập viên xuất bản."
            )
        if self.instance.pk:
            self.fields["article_topics"].initial = list(
                self.instance.topics.values_list("pk", flat=True)
            )
            self.fields["related_articles"].initial = list(
                RelatedArticle.objects.filter(article=self.instance).values_list(
                    "related", flat=True
                )
            )

    def _submitted_state(self):
        submitted = {}
        for name, value in self.cleaned_data.items():
            if name in self.fields and name not in self.declared_fields:
                field = Article._meta.get_field(name)
                submitted[field.attname] = getattr(value, "pk", value)
        return submitted

    def clean_related_articles(self):
        chosen = self.cleaned_data["related_articles"]
        if self.instance.pk and any(article.pk == self.instance.pk for article in chosen):
            raise ValidationError(_("Một bài không thể là tin liên quan của chính nó."))
        return chosen

    def clean_status(self):
        status = self.cleaned_data["status"]
        was = self.instance.status if self.instance.pk else None
        touches_public = status == Article.Status.PUBLISHED or was == Article.Status.PUBLISHED
        if touches_public and status != was and not can_publish(self.request.user):
            raise ValidationError(_("Bạn không có quyền xuất bản hay gỡ bài."), code="publish")
        return status

    def describe_changes(self, current):
        started_from = Version.objects.filter(pk=self.cleaned_data.get("loaded_revision")).first()
        if started_from is not None:
            before, heading = started_from.field_dict, _("Những phần họ đã thay đổi")
        else:
            # No revision to start from (saved outside the admin): compare with this form.
            before = {**article_state(current), **self._submitted_state()}
            heading = _("Những phần khác với bản của bạn")
        return {"heading": heading, "changes": changed_fields(before, article_state(current))}

    def conflict_message(self, current):
        return _(
            "Bài viết này đã được %(user)s lưu lúc %(time)s, sau khi bạn mở nó. Bản của bạn "
            "CHƯA được lưu và vẫn còn nguyên trong biểu mẫu. Xem những thay đổi bên dưới; "
            "bấm Lưu lần nữa nếu bạn vẫn muốn ghi đè."
        ) % {
            "user": current.updated_by or _("người khác"),
            "time": local_stamp(current.updated_at),
        }


class VisibilityFilter(admin.SimpleListFilter):
    title = _("tình trạng hiển thị")
    parameter_name = "hien-thi"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Đang hiển thị")),
            ("scheduled", _("Đã lên lịch")),
            ("expired", _("Đã hết hạn")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(status=Article.Status.PUBLISHED, expires_at__lte=now)
        return queryset


@admin.register(Article)
class ArticleAdmin(GuardedVersionAdmin):
    form = ArticleAdminForm
    change_list_template = "admin/news/article/change_list.html"
    change_form_template = "admin/news/article/change_form.html"
    object_history_template = "admin/news/article/object_history.html"
    # Five columns that fit beside the filters at 1366 px: the state says the status too.
    list_display = ["title", "category", "public_state", "published", "author"]
    list_filter = ["status", VisibilityFilter, "category", "language"]
    list_select_related = ["category", "category__parent"]
    date_hierarchy = "published_at"
    search_fields = ["title", "lead", "author"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "featured_image"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    actions = ["submit_for_review", "publish_selected", "unpublish_selected"]

    class Media:
        css = {"all": ["css/admin.css"]}  # the list's column widths
        js = ["js/admin-autocomplete.js"]  # names the topics' and related articles' boxes

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "category",
                    "language",
                    "lead",
                    "body",
                    "featured_image",
                    "loaded_version",
                    "loaded_revision",
                ]
            },
        ),
        (_("Chủ đề và tin liên quan"), {"fields": ["article_topics", "related_articles"]}),
        (
            _("Xuất bản"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "date_only",
                    "expires_at",
                    "pinned_until",
                    "author",
                    "source",
                ]
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # a fresh class per call, so this is per request
        return form

    def has_change_permission(self, request, obj=None):
        return can_change_article(request.user, obj)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not can_publish(request.user):
            # Pinning picks the home page's lead story: shown, never taken from the form.
            readonly = [*readonly, "pinned_until"]
        return readonly

    def may_restore(self, request, live, restored):
        published = Article.Status.PUBLISHED
        touches_public = restored.status == published or (live and live.status == published)
        return can_publish(request.user) or not touches_public

    @admin.display(description=_("Xuất bản"), ordering="published_at")
    def published(self, obj):
        # As the article prints it: a date-only article shows no "00:00".
        return news_time(obj.published_at, obj.date_only) or None

    @admin.display(description=_("Tình trạng"))
    def public_state(self, obj):
        if obj.status != Article.Status.PUBLISHED:
            return obj.get_status_display()
        if obj.is_scheduled:
            return _("Đã lên lịch %(time)s") % {"time": local_stamp(obj.published_at)}
        if obj.is_expired:
            return _("Đã hết hạn")
        return _("Đang hiển thị")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.topics.set(form.cleaned_data["article_topics"])
        form.instance.choose_related(form.cleaned_data["related_articles"])

    def construct_change_message(self, request, form, formsets, add=False):
        standard = super().construct_change_message(request, form, formsets, add)
        note = workflow_message(form.initial.get("status") if not add else None, form.instance)
        if not note:
            return standard
        text = LogEntry(change_message=json.dumps(standard)).get_change_message()
        return f"{note} {text}".strip()

    # -- actions: each one a revision and a history entry per article -------------------

    def _apply(self, request, queryset, change, allowed):
        done = 0
        with transaction.atomic(), create_revision():
            set_user(request.user)
            chosen = list(queryset.values_list("pk", flat=True))
            for article in Article.objects.filter(pk__in=chosen).select_for_update():
                old_status = article.status
                if not allowed(article):
                    continue
                change(article)
                article.updated_by = request.user
                try:
                    article.full_clean()
                except ValidationError as error:
                    messages.error(request, f"{article}: {' '.join(error.messages)}")
                    continue
                article.save()
                note = workflow_message(old_status, article)
                self.log_change(request, article, note)
                set_comment(note)
                done += 1
        return done

    @admin.action(description=_("Gửi duyệt các bài đã chọn"))
    def submit_for_review(self, request, queryset):
        def allowed(article):
            return article.status == Article.Status.DRAFT and can_change_article(
                request.user, article
            )

        def change(article):
            article.status = Article.Status.PENDING

        done = self._apply(request, queryset, change, allowed)
        self.message_user(
            request, ngettext("Đã gửi duyệt %d bài.", "Đã gửi duyệt %d bài.", done) % done
        )

    @admin.action(description=_("Xuất bản các bài đã chọn"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied

        def change(article):
            article.status = Article.Status.PUBLISHED
            if article.published_at is None:
                article.published_at = timezone.now()

        done = self._apply(
            request, queryset, change, lambda a: a.status != Article.Status.PUBLISHED
        )
        self.message_user(
            request, ngettext("Đã xuất bản %d bài.", "Đã xuất bản %d bài.", done) % done
        )

    @admin.action(description=_("Gỡ xuống các bài đã chọn"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied

        def change(article):
            article.status = Article.Status.DRAFT

        done = self._apply(
            request, queryset, change, lambda a: a.status == Article.Status.PUBLISHED
        )
        self.message_user(request, ngettext("Đã gỡ %d bài.", "Đã gỡ %d bài.", done) % done)

    # -- views ---------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "pending_count": Article.objects.filter(status=Article.Status.PENDING).count()
            if can_publish(request.user)
            else None,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            "preview_url": reverse("news:article-preview", args=[object_id])
            if str(object_id).isdigit()
            else None,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        # Reversion lists revisions by URL only; the compare form needs each version's id.
        for action in getattr(response, "context_data", {}).get("action_list", []):
            action["version_id"] = action["url"].rstrip("/").rsplit("/", 1)[-1]
        return response

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="news_article_compare",
            )
        ]
        return urls + super().get_urls()

    def compare_view(self, request, object_id):
        """Two revisions of one article side by side, field by field."""
        article = get_object_or_404(Article, pk=object_id if object_id.isdigit() else None)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        try:
            ids = sorted(int(v) for v in request.GET.getlist("v"))[:2]
        except ValueError:
            ids = []
        chosen = list(versions.filter(pk__in=ids).order_by("pk"))
        if len(chosen) != 2:
            messages.error(request, _("Hãy chọn đúng hai phiên bản để so sánh."))
            older = newer = None
            changes = []
        else:
            older, newer = chosen
            changes = changed_fields(older.field_dict, newer.field_dict)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": _("So sánh hai phiên bản: %(title)s") % {"title": article.title},
            "older": older,
            "newer": newer,
            "changes": changes,
        }
        return TemplateResponse(request, "admin/news/article/compare.html", context)
