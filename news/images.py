"""Checks and naming for uploaded images, shared by the admin, editor upload and importer."""

import hashlib
import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

# Pillow format name -> file extension used for the stored copy.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def inspect_image(file):
    """Validate an uploaded file as a real image and return (format, width, height).

    Raises ValidationError with a message an editor can act on: wrong type, too big, too many
    pixels (a decompression bomb), or not an image at all.
    """
    max_bytes = settings.PORTAL_IMAGE_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("Tệp quá lớn (%(size).1f MB). Dung lượng tối đa là %(max).0f MB.")
            % {"size": size / 1024 / 1024, "max": max_bytes / 1024 / 1024},
            code="too_large",
        )
    max_pixels = settings.PORTAL_IMAGE_MAX_PIXELS
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as img:
                fmt = img.format
                width, height = img.size
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _(
                            "Định dạng %(format)s không được phép. Chỉ nhận ảnh JPEG, PNG, WebP "
                            "hoặc GIF."
                        )
                        % {"format": fmt or "?"},
                        code="bad_format",
                    )
                if width * height > max_pixels:
                    raise ValidationError(
                        _("Ảnh có quá nhiều điểm ảnh (%(w)d × %(h)d).") % {"w": width, "h": height},
                        code="too_many_pixels",
                    )
                img.verify()
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(
            _("Ảnh có quá nhiều điểm ảnh và đã bị từ chối."), code="too_many_pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Tệp này không phải là ảnh hợp lệ. Chỉ nhận ảnh JPEG, PNG, WebP hoặc GIF."),
            code="not_an_image",
        ) from None
    finally:
        if position is not None:
            file.seek(position)
    return fmt, width, height


def file_sha256(file):
    """Hex SHA-256 of a file's bytes, leaving its position at the start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def image_upload_to(instance, filename):
    """A generated name in a dated folder; the uploader's name is kept only as data."""
    ext = ALLOWED_FORMATS.get(getattr(instance, "_detected_format", None), "")
    if not ext:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        if ext not in {"jpg", "jpeg", "png", "gif", "webp"}:
            ext = "bin"
    return timezone.localdate().strftime(f"images/%Y/%m/{uuid.uuid4().hex}.{ext}")


def clean_copy(file, fmt):
    """The picture re-encoded upright, without EXIF, GPS, XMP or comments.

    Applies the EXIF orientation first, so nothing depends on viewers honouring it. Keeps the
    colour profile (not personal) and every frame of an animation.
    """
    file.seek(0)
    with PILImage.open(file) as img:
        icc_profile = img.info.get("icc_profile")
        out = io.BytesIO()
        if getattr(img, "is_animated", False) and fmt in {"GIF", "WEBP"}:
            frames = [ImageOps.exif_transpose(frame.copy()) for frame in _frames(img)]
            frames[0].save(
                out,
                fmt,
                save_all=True,
                append_images=frames[1:],
                loop=img.info.get("loop", 0),
                duration=img.info.get("duration", 100),
            )
        else:
            upright = ImageOps.exif_transpose(img)
            options = {"icc_profile": icc_profile} if icc_profile else {}
            if fmt == "JPEG":
                if upright.mode not in {"RGB", "L", "CMYK"}:
                    upright = upright.convert("RGB")
                options.update(quality=90, optimize=True, progressive=True)
            elif fmt == "WEBP":
                options.update(quality=90)
            elif fmt == "PNG":
                options.update(optimize=True)
            upright.save(out, fmt, **options)
    file.seek(0)
    return ContentFile(out.getvalue())


def _frames(img):
    for index in range(getattr(img, "n_frames", 1)):
        img.seek(index)
        yield img
