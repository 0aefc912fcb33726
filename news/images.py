"""Checks and naming for uploaded images, shared by the admin, editor upload and importer."""

import hashlib
import io
import struct
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

# Pillow decodes every WebP through libwebp's animation decoder, which keeps two canvases of its
# own beside the frame Pillow copies out: a WebP takes twice the memory of a JPEG or PNG of the
# same size (bench/upload_memory.py), so its pixels count twice against the limit.
PIXEL_WEIGHT = {"WEBP": 2}
FORMAT_NAMES = {"WEBP": "WebP"}


def inspect_image(file):
    """Validate an uploaded file as a real image and return (format, width, height).

    Raises ValidationError with a message an editor can act on: wrong type, too big, too many
    pixels (a decompression bomb), or not an image at all. The pixel limit counts every frame of
    an animation: a small GIF may hold hundreds of full-size frames.
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
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _(
                            "Định dạng %(format)s không được phép. Chỉ nhận ảnh JPEG, PNG, WebP "
                            "hoặc GIF."
                        )
                        % {"format": fmt or "?"},
                        code="bad_format",
                    )
                width, height = _check_pixels(img, file, max_pixels)
                img.verify()
            # verify() checks the structure, not the pixels: a cut-off file passes it and only
            # fails when decoded. Decode the frame that would be stored, to refuse it here.
            file.seek(0)
            with PILImage.open(file) as img:
                img.load()
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


def _check_pixels(img, file, max_pixels):
    """Refuse an image whose frames hold more pixels than the limit; return its canvas size."""
    fmt, (width, height) = img.format, img.size
    limit = max_pixels // PIXEL_WEIGHT.get(fmt, 1)
    if width * height > limit:
        if limit < max_pixels:
            raise ValidationError(
                _(
                    "Ảnh %(format)s có quá nhiều điểm ảnh (%(w)d × %(h)d). Ảnh %(format)s chỉ "
                    "được tối đa %(max)s điểm ảnh; hãy lưu ảnh dưới dạng JPEG hoặc PNG."
                )
                % {
                    "format": FORMAT_NAMES.get(fmt, fmt),
                    "w": width,
                    "h": height,
                    "max": _grouped(limit),
                },
                code="too_many_pixels",
            )
        raise ValidationError(
            _("Ảnh có quá nhiều điểm ảnh (%(w)d × %(h)d).") % {"w": width, "h": height},
            code="too_many_pixels",
        )
    frames, width, height = _frames_and_canvas(img, file, limit)
    if frames * width * height > limit:
        # The count stops at the frame that crosses the limit: a file of a million tiny frames
        # is refused as fast as one of ten.
        raise ValidationError(
            _(
                "Ảnh động quá lớn: mỗi khung hình %(w)d × %(h)d điểm ảnh, %(frames)d khung hình "
                "đã vượt giới hạn %(max)s điểm ảnh. Hãy tải lên ảnh tĩnh."
            )
            % {"w": width, "h": height, "frames": frames, "max": _grouped(limit)},
            code="too_many_pixels",
        )
    return width, height


def _grouped(number):
    """60000000 as Vietnamese writes it: 60.000.000."""
    return f"{number:,}".replace(",", ".")


def _frames_and_canvas(img, file, max_pixels):
    """(frames, width, height) of an opened image, without decoding any frame.

    Pillow counts a GIF's frames by reading to the end of the file, seconds for 20 MB of tiny
    frames; walking the block structure here stops at the frame that crosses the limit.
    """
    if img.format == "GIF":
        file.seek(0)
        return gif_frames(file.read(), stop_above=max_pixels)
    return getattr(img, "n_frames", 1), *img.size


def gif_frames(data, stop_above=None):
    """The number of frames in GIF bytes and the canvas they are drawn on: (frames, w, h).

    Walks the block structure (extensions and image data are skipped sub-block by sub-block),
    decoding nothing. The canvas is the logical screen, grown to take in any frame that reaches
    past it, as a decoder grows it. Counting stops once frames × canvas exceeds ``stop_above``.
    """
    if len(data) < 13:
        return 0, 0, 0
    width, height = struct.unpack_from("<2H", data, 6)
    position = 13 + _colour_table_size(data[10])
    frames, end = 0, len(data)
    while position < end:
        introducer = data[position]
        if introducer == 0x3B:  # trailer
            break
        if introducer == 0x21:  # extension: a label, then sub-blocks
            position = _after_sub_blocks(data, position + 2)
        elif introducer == 0x2C and position + 10 <= end:  # image descriptor
            left, top, frame_width, frame_height, flags = struct.unpack_from(
                "<4HB", data, position + 1
            )
            width, height = max(width, left + frame_width), max(height, top + frame_height)
            # The descriptor, a local colour table, the LZW code size, then the data sub-blocks.
            position = _after_sub_blocks(data, position + 11 + _colour_table_size(flags))
            frames += 1
            if stop_above is not None and frames * width * height > stop_above:
                break
        else:  # a stray byte: decoders skip it, and so does this count
            position += 1
    return frames, width, height


def _colour_table_size(flags):
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _after_sub_blocks(data, position):
    end = len(data)
    while position < end and data[position]:
        position += data[position] + 1
    return position + 1


def file_sha256(file):
    """Hex SHA-256 of a file's bytes, leaving its position at the start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def media_name(src):
    """The storage name of a media URL as the editor writes it into a body ("/media/images/…"
    gives "images/…"), or None for any other address."""
    prefix = settings.MEDIA_URL
    if prefix and src.startswith(prefix):
        return src[len(prefix) :] or None
    return None


def image_upload_to(instance, filename):
    """A generated name in a dated folder; the uploader's name is kept only as data."""
    ext = ALLOWED_FORMATS.get(getattr(instance, "_detected_format", None), "")
    if not ext:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        if ext not in {"jpg", "jpeg", "png", "gif", "webp"}:
            ext = "bin"
    return timezone.localdate().strftime(f"images/%Y/%m/{uuid.uuid4().hex}.{ext}")


def clean_copy(file, fmt):
    """The picture re-encoded upright, keeping only its pixels and its colour profile.

    EXIF (GPS, camera), XMP, IPTC, JPEG and GIF comments and PNG text are left behind: Pillow
    writes some of them back from ``info`` when saving, so the picture's ``info`` is emptied and
    the colour profile is passed explicitly. The EXIF orientation is applied first, so nothing
    depends on viewers honouring it. Only the first frame of an animation is kept: a news photo
    does not move, and one frame bounds the memory a copy can take.
    """
    file.seek(0)
    with PILImage.open(file) as img:
        icc_profile = img.info.get("icc_profile")
        transparency = img.info.get("transparency")
        img.load()  # the first frame
        ImageOps.exif_transpose(img, in_place=True)
        picture = img
        if fmt == "JPEG" and picture.mode not in {"RGB", "L", "CMYK"}:
            picture = picture.convert("RGB")
        picture.info = {} if transparency is None else {"transparency": transparency}
        options = {"icc_profile": icc_profile} if icc_profile else {}
        if fmt == "JPEG":
            # Not progressive: a progressive JPEG makes every decoder (the eight renditions here,
            # a reader's browser) hold the coefficients of the whole picture, 3 bytes a pixel.
            options.update(quality=90, optimize=True)
        elif fmt == "WEBP":
            options.update(quality=90)
        elif fmt == "PNG":
            options.update(optimize=True)
        out = io.BytesIO()
        picture.save(out, fmt, **options)
    file.seek(0)
    return ContentFile(out.getvalue())
