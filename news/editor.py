"""The rich-text editor (CKEditor 5): its widget with the portal's tools beside it, the image
upload it posts to instead of the package's own view, and the library it inserts photos from."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ckeditor_5.widgets import CKEditor5Widget

from .forms import EditorImageUploadForm
from .models import Image

LIBRARY_PAGE_SIZE = 24


class BodyEditorWidget(CKEditor5Widget):
    """CKEditor 5 as django-ckeditor-5 draws it, followed by the portal's tools: the place
    where upload errors are shown (never an alert box), and the "Chèn ảnh từ thư viện" panel.

    static/js/editor.js does the work in the page; static/js/ckeditor5-vi.js, loaded after the
    package's Vietnamese translation, puts a few of the editor's labels in plainer words.
    """

    tools_template_name = "admin/news/article/body_editor_tools.html"

    class Media:
        # One list with the package's files, not an extension of them: Django keeps the order
        # within a list only, and the labels must be set after the package's translation.
        extend = False
        css = {"all": [*CKEditor5Widget.Media.css["all"], "css/editor.css"]}
        js = [*CKEditor5Widget.Media.js, "js/ckeditor5-vi.js", "js/editor.js"]

    def render(self, name, value, attrs=None, renderer=None):
        editor = super().render(name, value, attrs, renderer)
        tools = render_to_string(
            self.tools_template_name,
            {
                "editor_id": attrs["id"],
                "upload_url": reverse("news:editor-image-upload"),
                "library_url": reverse("news:editor-image-library"),
            },
        )
        # One box for both, so that the admin's row lays them out as it laid out the editor.
        return mark_safe(f'<div class="body-editor">{editor}{tools}</div>')  # noqa: S308


def _error(message, status):
    # The shape CKEditor's upload adapter shows to the editor.
    return JsonResponse({"error": {"message": message}}, status=status)


@require_POST
def editor_image_upload(request):
    """Store an image uploaded from the editor in the library and return its URL.

    Staff with permission to add images only; CSRF protection comes from the middleware (this
    view is not exempt), and the file is checked by the same rules as every other upload.
    """
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return _error(_("Bạn cần đăng nhập bằng tài khoản biên tập để tải ảnh lên."), 403)
    if not user.has_perm("news.add_image"):
        return _error(_("Bạn không có quyền tải ảnh lên thư viện."), 403)
    form = EditorImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _error(" ".join(form.errors.get("upload", [])) or _("Không nhận được tệp ảnh."), 400)
    try:
        image = form.save(uploaded_by=user)
    except ValidationError as error:
        return _error(" ".join(error.messages), 400)
    return JsonResponse({"url": image.file.url, "imageId": image.pk})


@never_cache
@require_GET
def editor_image_library(request):
    """The library's photos for the editor's "Chèn ảnh từ thư viện" panel, as JSON, newest first.

    Staff who may see the library only (as its admin pages). Only photos whose file is there:
    one without a file would be an empty frame. ``q`` searches captions, alternative text,
    file names and credits; ``trang`` is the page, of LIBRARY_PAGE_SIZE photos.
    """
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return _error(_("Bạn cần đăng nhập bằng tài khoản biên tập để xem thư viện ảnh."), 403)
    if not (user.has_perm("news.view_image") or user.has_perm("news.change_image")):
        return _error(_("Bạn không có quyền xem thư viện ảnh."), 403)
    page = request.GET.get("trang", "1")
    page = int(page) if page.isdigit() and int(page) > 0 else 1
    images = Image.objects.with_file().matching(request.GET.get("q", "")[:200])
    start = (page - 1) * LIBRARY_PAGE_SIZE
    found = list(images[start : start + LIBRARY_PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [_library_item(image) for image in found[:LIBRARY_PAGE_SIZE]],
            "more": len(found) > LIBRARY_PAGE_SIZE,
            "page": page,
        }
    )


def _library_item(image):
    renditions = image.renditions("jpeg")
    return {
        "id": image.pk,
        "src": image.file.url,
        "thumbnail": renditions[0][0] if renditions else image.file.url,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "name": str(image),
        "width": image.width,
        "height": image.height,
    }
