"""Checks and names for the files editors upload with a video: the video itself (MP4 or WebM)
and its text track (WebVTT).

A file is judged by its content, never by its name or the type the browser claims: an MP4 is a
chain of ISO boxes that starts with ``ftyp`` (a video brand, not a still HEIF or AVIF picture)
and holds a ``moov``; a WebM is an EBML document whose DocType is ``webm``. Only the boxes' and
elements' headers are read, with seeks, so checking a 500 MB file reads a few kilobytes.
"""

import datetime
import struct
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _


class VideoInfo(NamedTuple):
    kind: str  # "mp4" or "webm": the stored file's extension
    duration: datetime.timedelta | None  # when the file says it


MIME_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
# Brands of the ISO base media file format that browsers play in <video>.
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"mmp4",
    b"dash",
    b"msnv",
    b"f4v ",
}
# The same box format holds still pictures (HEIC, AVIF): not videos.
STILL_IMAGE_BRANDS = {b"mif1", b"msf1", b"heic", b"heix", b"hevc", b"avif", b"avis", b"miaf"}
# A WebVTT file larger than this is not a text track.
CAPTIONS_MAX_BYTES = 2 * 1024 * 1024
# How far the checks walk before giving up on a file: real files need a handful of steps.
MAX_STEPS = 4096


class _Broken(Exception):
    """The file ends, or its structure contradicts itself, where a header should be."""


def inspect_video(file):
    """Check an uploaded file is an MP4 or a WebM video within the size limit, and return its
    VideoInfo. Raises ValidationError with a message an editor can act on."""
    size = _size(file)
    limit = settings.PORTAL_VIDEO_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("Tệp video quá lớn (%(size)s). Dung lượng tối đa là %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit)},
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        start = file.read(16)
        if start[4:8] == b"ftyp":
            return VideoInfo("mp4", _mp4_duration(file, size))
        if start[:4] == b"\x1a\x45\xdf\xa3":
            return VideoInfo("webm", _webm_duration(file, size))
    except _Broken:
        raise ValidationError(
            _(
                "Tệp video bị hỏng hoặc chưa tải lên hết: cấu trúc của tệp không đầy đủ. Hãy "
                "xuất lại video rồi tải lên lần nữa."
            ),
            code="broken",
        ) from None
    except _NotAVideo:
        pass
    finally:
        if position is not None:
            file.seek(position)
    raise ValidationError(
        _(
            "Tệp này không phải là video MP4 hoặc WebM (tệp được kiểm tra theo nội dung, không "
            "theo tên). Hãy chọn một video MP4 hoặc WebM."
        ),
        code="not_a_video",
    )


class _NotAVideo(Exception):
    """The file is well formed, but not a video a browser plays (a HEIC picture, a Matroska)."""


def _size(file):
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    return size


# -- MP4 (ISO base media file format) ---------------------------------------------------------


def _boxes(file, start, end):
    """(type, payload start, box end) of each box from ``start`` to ``end``."""
    position, steps = start, 0
    while position + 8 <= end:
        steps += 1
        if steps > MAX_STEPS:
            raise _Broken
        file.seek(position)
        header = file.read(8)
        if len(header) < 8:
            raise _Broken
        size, kind = struct.unpack(">I4s", header)
        header_size = 8
        if size == 1:  # a 64-bit size follows
            large = file.read(8)
            if len(large) < 8:
                raise _Broken
            size, header_size = struct.unpack(">Q", large)[0], 16
        elif size == 0:  # to the end of the file
            size = end - position
        if size < header_size or position + size > end:
            raise _Broken
        yield kind, position + header_size, position + size
        position += size


def _mp4_duration(file, size):
    boxes = _boxes(file, 0, size)
    _kind, start, end = next(boxes, (None, 0, 0))
    file.seek(start)
    data = file.read(min(end - start, 256))
    # The major brand, a minor version, then the compatible brands.
    brands = {data[:4]} | {data[i : i + 4] for i in range(8, len(data) - 3, 4)}
    if not brands & MP4_BRANDS or brands & STILL_IMAGE_BRANDS:
        raise _NotAVideo
    movie = None
    for kind, start, end in boxes:
        if kind == b"moov":
            movie = (start, end)
    if movie is None:
        raise _Broken  # no movie header: cut off before it, or not a playable file
    for kind, start, _end in _boxes(file, *movie):
        if kind == b"mvhd":
            file.seek(start)
            version = file.read(1)
            if version == b"\x01":
                file.seek(start + 20)
                timescale, duration = struct.unpack(">IQ", _exactly(file, 12))
            else:
                file.seek(start + 12)
                timescale, duration = struct.unpack(">II", _exactly(file, 8))
            return _seconds(duration / timescale) if timescale else None
    return None


def _exactly(file, count):
    data = file.read(count)
    if len(data) < count:
        raise _Broken
    return data


def _seconds(value):
    if not 0 < value < 100 * 24 * 3600:
        return None
    return datetime.timedelta(seconds=round(value))


# -- WebM (EBML) --------------------------------------------------------------------------------

EBML_HEADER = 0x1A45DFA3
DOC_TYPE = 0x4282
SEGMENT = 0x18538067
INFO = 0x1549A966
TIMECODE_SCALE = 0x2AD7B1
DURATION = 0x4489
CLUSTER = 0x1F43B675


def _vint(file, keep_marker):
    """One EBML variable-size integer: (value, is the reserved "unknown size")."""
    first = file.read(1)
    if not first:
        raise _Broken
    byte, length, mask = first[0], 1, 0x80
    while length <= 8 and not byte & mask:
        mask >>= 1
        length += 1
    if length > 8:
        raise _Broken
    value = byte if keep_marker else byte & (mask - 1)
    for extra in _exactly(file, length - 1):
        value = (value << 8) | extra
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, unknown


def _elements(file, start, end):
    """(id, data start, data end) of each element from ``start`` to ``end``; an element of
    unknown size (a live stream's cluster) ends the walk."""
    position, steps = start, 0
    while position < end:
        steps += 1
        if steps > MAX_STEPS:
            raise _Broken
        file.seek(position)
        element, _unknown = _vint(file, keep_marker=True)
        size, unknown = _vint(file, keep_marker=False)
        data = file.tell()
        if unknown:
            yield element, data, end
            return
        if data + size > end:
            raise _Broken
        yield element, data, data + size
        position = data + size


def _webm_duration(file, size):
    elements = _elements(file, 0, size)
    element, start, end = next(elements, (None, 0, 0))
    if element != EBML_HEADER:
        raise _NotAVideo
    doc_type = None
    for child, child_start, child_end in _elements(file, start, end):
        if child == DOC_TYPE:
            file.seek(child_start)
            doc_type = file.read(min(child_end - child_start, 32)).rstrip(b"\x00")
    if doc_type != b"webm":
        raise _NotAVideo  # Matroska (.mkv) and other EBML documents
    for element, start, end in elements:
        if element == SEGMENT:
            return _webm_segment_duration(file, start, end)
    raise _Broken


def _webm_segment_duration(file, start, end):
    for element, info_start, info_end in _elements(file, start, end):
        if element == CLUSTER:
            return None  # the information comes before the first cluster, or not at all
        if element != INFO:
            continue
        scale, duration = 1_000_000, None
        for child, child_start, child_end in _elements(file, info_start, info_end):
            file.seek(child_start)
            data = _exactly(file, min(child_end - child_start, 8))
            if child == TIMECODE_SCALE and data:
                scale = int.from_bytes(data, "big")
            elif child == DURATION and len(data) in (4, 8):
                duration = struct.unpack(">f" if len(data) == 4 else ">d", data)[0]
        return _seconds(duration * scale / 1e9) if duration else None
    return None


# -- WebVTT ------------------------------------------------------------------------------------


def check_webvtt(file):
    """Check an uploaded text track is a WebVTT file: UTF-8 text that starts with "WEBVTT".
    Raises ValidationError with a message an editor can act on."""
    size = _size(file)
    if size > CAPTIONS_MAX_BYTES:
        raise ValidationError(
            _("Tệp phụ đề quá lớn (%(size)s). Dung lượng tối đa là %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(CAPTIONS_MAX_BYTES)},
            code="too_large",
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            _("Tệp phụ đề phải là văn bản mã hóa UTF-8 (định dạng WebVTT)."), code="not_utf8"
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.startswith("WEBVTT") or text[6:7] not in ("", " ", "\t", "\n", "\r"):
        raise ValidationError(
            _(
                "Tệp phụ đề phải ở định dạng WebVTT: dòng đầu tiên của tệp là “WEBVTT”. Tệp SRT "
                "có thể chuyển sang WebVTT bằng các công cụ chuyển phụ đề."
            ),
            code="not_webvtt",
        )


# -- names ---------------------------------------------------------------------------------


def video_upload_to(instance, filename):
    """A generated name in a dated folder, with the extension of what the file is; the
    uploader's name is kept only as data."""
    ext = getattr(instance, "file_type", "") or "bin"
    return timezone.localdate().strftime(f"videos/%Y/%m/{uuid.uuid4().hex}.{ext}")


def captions_upload_to(instance, filename):
    return timezone.localdate().strftime(f"videos/%Y/%m/{uuid.uuid4().hex}.vtt")
