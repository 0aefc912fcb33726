"""The rich-text editor's image upload: CKEditor 5 posts here instead of the package's own view."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import EditorImageUploadForm


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
