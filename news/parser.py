"""Turn plain-text scrapes of old news pages into structured articles.

The ministry's old news survives only as text dumps of whole web pages: navigation, the article,
then sidebars and footers, from several sites and CMSs. This module is deliberately free of Django
so it can be tested and run on thousands of files quickly; ``import_articles`` does the saving.

The parser works on lines. Each non-blank line is classified once (boilerplate, image file, date
stamp, byline, section header, keyword list, ...), then the page is read in three zones: the
header (everything before the first real paragraph or picture: headline, section, date), the
article, and the tail (page furniture from the first end marker or sidebar teaser on). Text that
is not clearly boilerplate ends up in the article or in ``ParsedArticle.skipped`` with a reason.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

__all__ = [
    "LOCAL_TZ",
    "DateLine",
    "Figure",
    "Paragraph",
    "ParseError",
    "ParsedArticle",
    "Skipped",
    "decode_page",
    "is_boilerplate",
    "parse_date_line",
    "parse_page",
]

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class ParseError(ValueError):
    """A page that cannot be turned into an article; the message is a short one-line reason."""


# --------------------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """A picture in the body. ``file`` is None for a caption printed without its image file name.

    ``file`` is the bare file name even when the page printed a path or URL (that line is kept
    in ``skipped`` as "image path"). A caption may hold several printed lines (a caption and
    its photo credit) joined by "\\n".
    """

    file: str | None
    caption: str


@dataclass
class Paragraph:
    text: str


@dataclass
class Skipped:
    """Page text kept out of the article, with a short reason such as "sidebar teaser"."""

    text: str
    why: str


@dataclass
class ParsedArticle:
    """One article read from a page.

    ``published_at`` is the stamp printed next to the headline (the line after it, else the one
    before it): an aware datetime in Asia/Ho_Chi_Minh when it has a time, a ``date`` when not.
    Only when the page prints no such stamp does a byline's time at the end of the article
    ("Thu Hà 14:25, 21/03/2024") stand in; otherwise it is None. Update stamps ("Cập nhật ...")
    only ever give ``updated_at``, and only when they have a time.

    ``lead`` is the first paragraph; ``blocks`` is everything else in page order (a picture
    printed above the lead comes first). ``source`` is the name from a "Nguồn: X" or "Theo X"
    line, without the label; ``source_url`` is the web address in it, if any. ``skipped`` holds
    page text kept out of the article with a reason: navigation, sidebar teaser, related
    link(s), comments, keywords, page footer, page furniture, date stamp, update stamp, byline,
    dateline, image path, invalid date, stray number.
    """

    title: str
    published_at: datetime | date | None
    updated_at: datetime | None
    category: str | None
    author: str
    lead: str
    blocks: list[Paragraph | Figure]
    skipped: list[Skipped]
    source: str = ""

    @property
    def source_url(self) -> str:
        """The web address printed in the source line ("Nguồn: https://…"), as printed, or ""."""
        match = _URL_RE.search(self.source)
        return match[0].rstrip(".,;:!?") if match else ""

    @property
    def images(self) -> list[Figure]:
        """The figures that have an image file, in body order."""
        return [block for block in self.blocks if isinstance(block, Figure) and block.file]

    def body_html(
        self,
        image_src: Callable[[Figure], str] | None = None,
        image_attrs: Callable[[Figure], dict[str, str]] | None = None,
    ) -> str:
        """Render the blocks (not the lead) as HTML, one element per line, all text escaped.

        A paragraph becomes ``<p>``. A figure with a file becomes CKEditor 5's image markup,
        ``<figure class="image"><img src alt><figcaption>...</figcaption></figure>``, where
        ``image_src(fig)`` gives the src (default: the file name as printed); an empty caption
        gives no figcaption. A caption printed without any file would be a figure without an
        image, so it becomes ``<p class="caption">``. Line breaks in a caption become ``<br>``.
        ``image_attrs(fig)`` may add attributes to the ``<img>`` (escaped here).
        """
        parts = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                parts.append(f"<p>{_escape_text(block.text)}</p>")
            elif block.file is None:
                parts.append(f'<p class="caption">{_escape_caption(block.caption)}</p>')
            else:
                src = image_src(block) if image_src else block.file
                alt = html.escape(" ".join(block.caption.split()), quote=True)
                caption = (
                    f"<figcaption>{_escape_caption(block.caption)}</figcaption>"
                    if block.caption
                    else ""
                )
                extra = "".join(
                    f' {name}="{html.escape(value, quote=True)}"'
                    for name, value in (image_attrs(block) if image_attrs else {}).items()
                )
                parts.append(
                    f'<figure class="image"><img src="{html.escape(src, quote=True)}" alt="{alt}"'
                    f"{extra}>{caption}</figure>"
                )
        return "\n".join(parts)


_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False)


def _escape_caption(caption: str) -> str:
    return "<br>".join(_escape_text(line) for line in caption.split("\n"))


# --------------------------------------------------------------------------------------------------
# Decoding and normalising
# --------------------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never belong in a page's text (tab and newlines are handled separately).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LINE_BREAK_RE = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_BINARY_CONTROL_SHARE = 0.1


def decode_page(data: bytes, encoding: str | None = None) -> str:
    """Decode a scraped page's bytes to normalised text (NFC, LF line ends, no BOM).

    Without ``encoding`` the bytes must be UTF-8 (with or without BOM) or UTF-16/UTF-32 with a
    BOM. With ``encoding`` that codec is used. Raises ParseError for empty or whitespace-only data,
    binary data (NUL bytes outside UTF-16/32, or many control characters), undecodable bytes and
    unknown codecs.
    """
    if not data.strip():
        raise ParseError("tệp rỗng")
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ParseError(f"không biết bảng mã {encoding!r}") from None
        if b"\x00" in data and not codec.startswith(("utf-16", "utf-32")):
            raise ParseError("tệp nhị phân, không phải văn bản (có byte NUL)")
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            reason = f"không giải mã được theo {encoding}: byte lỗi ở vị trí {exc.start}"
            raise ParseError(reason) from None
        except LookupError:  # a bytes-to-bytes codec such as "base64"
            raise ParseError(
                f"không biết bảng mã {encoding!r} (không phải bảng mã văn bản)"
            ) from None
    else:
        text = _decode_detected(data)
    if "\x00" in text or len(_BINARY_CONTROL_RE.findall(text)) > _BINARY_CONTROL_SHARE * len(text):
        raise ParseError("tệp nhị phân, không phải văn bản (nhiều ký tự điều khiển)")
    text = _CONTROL_RE.sub("", _normalise_text(text))
    if not text.strip():
        raise ParseError("tệp rỗng")
    return text


def _decode_detected(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ParseError(f"dữ liệu {codec} sai sau BOM, ở byte {exc.start}") from None
    if b"\x00" in data:
        raise ParseError("tệp nhị phân, không phải văn bản (có byte NUL)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"không phải UTF-8 (byte 0x{data[exc.start]:02x} ở vị trí {exc.start}); "
            "hãy chỉ rõ --encoding"
        ) from None


def _normalise_text(text: str) -> str:
    text = _LINE_BREAK_RE.sub("\n", text).replace("\ufeff", "")
    return unicodedata.normalize("NFC", text)


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _clean_line(line: str) -> str:
    return line.strip().strip(_INVISIBLE).strip()


# --------------------------------------------------------------------------------------------------
# Date stamps
# --------------------------------------------------------------------------------------------------


class DateLine(NamedTuple):
    """What ``parse_date_line`` found in a line.

    ``rest`` is the text left once the date, time, zone, weekday and labels are taken out: "" for
    a plain stamp, a name for a byline such as "Thu Hà 14:25, 21/03/2024".
    """

    value: datetime | date
    is_update: bool
    rest: str
    has_time: bool


_I = re.IGNORECASE
_UPDATE_LABEL_RE = re.compile(
    r"^(?:ngày\s+cập\s+nhật|cập\s+nhật(?:\s+lần\s+cuối)?(?:\s+(?:lúc|ngày|vào))?|last\s+updated"
    r"|updated(?:\s+(?:on|at))?|modified)\s*:?\s*",
    _I,
)
_PUBLISHED_LABEL_RE = re.compile(
    r"^(?:ngày\s+(?:đăng(?:\s+tin)?|xuất\s+bản|viết)|đăng\s+(?:ngày|lúc|vào)|thời\s+gian(?:\s+đăng)?"
    r"|xuất\s+bản|đăng(?!\s+bởi)|published(?:\s+(?:on|at))?|posted(?:\s+(?:on|at))?|date)(?!\w)\s*:?\s*",
    _I,
)
_VIEWS_FRAGMENT_RE = re.compile(
    r"(?:số\s+)?(?:lượt\s+(?:xem|đọc|truy\s+cập)|đã\s+xem|views?|lần\s+xem)\s*:?\s*\d[\d.,]*"
    r"|\d[\d.,]*\s*(?:lượt\s+(?:xem|đọc)|views?|lần\s+xem)",
    _I,
)
_ISO_RE = re.compile(
    r"(?<![\d/.\-])(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?(?![\d:])"
)
_DMY_RE = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d/.])"
)
_VN_LONG_DATE_RE = re.compile(
    r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s*(?:năm\s+)?(\d{4})(?!\d)", _I
)
# English-language sites: "March 05, 2024", "5 March 2024", "Mar. 5, 2024".
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAME = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_EN_DATE_RE = re.compile(
    rf"(?<!\w){_MONTH_NAME}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})(?!\d)"
    rf"|(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME}\s*,?\s+(\d{{4}})(?!\d)",
    _I,
)
_TZ_RE = re.compile(
    r"\(?\s*(?:GMT|UTC)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)?|\(?\bICT\b\)?", _I
)
_BARE_OFFSET_RE = re.compile(r"(?<=[\d\s])([+-])(\d{2}):?(\d{2})\s*$")
_TIME_RE = re.compile(
    r"(?<![\d+:])(?:(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?:\s*:\s*(\d{2}))?(?:\s*phút)?"
    r"|(\d{1,2})\s*(?:h|giờ)(?!\w))"
    r"(?:\s*(am|pm|a\.m\.|p\.m\.|sa|ch)(?!\w))?(?!\d)",
    _I,
)
_WEEKDAY_RE = re.compile(
    # No English abbreviations: "Thu" is also a Vietnamese given name, as in "Thu Hà 14:25".
    r"(?<!\w)(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s*nhật|cn|t[2-7]|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday)(?!\w)",
    _I,
)
_DATE_FILLER_RE = re.compile(r"(?<!\w)(?:ngày|lúc|vào|hồi|at|on)(?!\w)", _I)
_SEPARATORS = " \t,|-–—:/()[].·•"
_HAS_ALNUM_RE = re.compile(r"[^\W_]")
_MAX_DATE_LINE = 120


def parse_date_line(line: str) -> DateLine | None:
    """Read a line that is essentially a date/time stamp (or a byline with one); None otherwise.

    Understands dd/mm/yyyy (also with "-" or "."), "ngày 17 tháng 10 năm 2019", ISO 8601 with
    or without offset, times "21:50", "21h50", "03:10 PM", weekdays, "(GMT+7)" and labels such
    as "Ngày đăng:" or "Cập nhật lúc" (an update stamp). A time makes the value an aware datetime
    in Asia/Ho_Chi_Minh (converted from any printed offset); a bare date stays a date. Impossible
    dates give None. The caller decides what a non-empty ``rest`` means; long lines never parse.
    """
    if len(line) > _MAX_DATE_LINE or not any(ch.isdigit() for ch in line):
        return None
    text = line
    is_update = False
    label = _UPDATE_LABEL_RE.match(text)
    if label:
        is_update = True
    else:
        label = _PUBLISHED_LABEL_RE.match(text)
    if label:
        text = text[label.end() :]
    text = _VIEWS_FRAGMENT_RE.sub(" ", text)

    offset: timedelta | None = None
    time_parts: tuple[int, int, int] | None = None
    iso = _ISO_RE.search(text)
    if iso:
        year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
        if iso[4] is not None:
            time_parts = (int(iso[4]), int(iso[5]), int(iso[6] or 0))
            offset = _iso_offset(iso[7])
        text = text[: iso.start()] + " " + text[iso.end() :]
    else:
        found = _DMY_RE.search(text)
        if found:
            day, month, year = int(found[1]), int(found[3]), int(found[4])
        else:
            found = _VN_LONG_DATE_RE.search(text)
            if found:
                day, month, year = int(found[1]), int(found[2]), int(found[3])
            else:
                found = _EN_DATE_RE.search(text)
                if not found:
                    return None
                if found[1]:
                    month, day, year = (
                        _MONTHS.index(found[1].lower()) + 1,
                        int(found[2]),
                        int(found[3]),
                    )
                else:
                    day, month, year = (
                        int(found[4]),
                        _MONTHS.index(found[5].lower()) + 1,
                        int(found[6]),
                    )
        if year < 100:
            year += 2000
        text = text[: found.start()] + " " + text[found.end() :]
    if not 1900 <= year <= 2100:
        return None

    tz = _TZ_RE.search(text)
    if tz:
        if tz[2] is not None and offset is None:
            sign = -1 if tz[1] == "-" else 1
            offset = sign * timedelta(hours=int(tz[2]), minutes=int(tz[3] or 0))
        text = text[: tz.start()] + " " + text[tz.end() :]
    if time_parts is None:
        clocks = list(_TIME_RE.finditer(text))
        # A clock with minutes is the stamp's; an hour alone may be a programme's name.
        clock = next((c for c in clocks if c[1] is not None), clocks[0] if clocks else None)
        if clock:
            time_parts = _clock_parts(clock)
            if time_parts is None:
                return None
            text = text[: clock.start()] + " " + text[clock.end() :]
            bare = _BARE_OFFSET_RE.search(text)
            if bare and offset is None:
                sign = -1 if bare[1] == "-" else 1
                offset = sign * timedelta(hours=int(bare[2]), minutes=int(bare[3]))
                text = text[: bare.start()]

    try:
        if time_parts is None:
            value: datetime | date = date(year, month, day)
        else:
            naive = datetime(year, month, day, *time_parts)
            if offset is None:
                value = naive.replace(tzinfo=LOCAL_TZ)
            else:
                value = naive.replace(tzinfo=timezone(offset)).astimezone(LOCAL_TZ)
    except ValueError:
        return None

    text = _DATE_FILLER_RE.sub(" ", _WEEKDAY_RE.sub(" ", text))
    rest = text.strip(_SEPARATORS)
    if not _HAS_ALNUM_RE.search(rest):
        rest = ""
    return DateLine(value, is_update, " ".join(rest.split()), time_parts is not None)


def _iso_offset(text: str | None) -> timedelta | None:
    if not text:
        return None
    if text == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))


def _clock_parts(match: re.Match[str]) -> tuple[int, int, int] | None:
    if match[1] is not None:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    else:
        hour, minute, second = int(match[4]), 0, 0
    marker = (match[5] or "").lower().replace(".", "")
    if marker in ("am", "sa"):
        if not 1 <= hour <= 12:
            return None
        hour %= 12
    elif marker in ("pm", "ch"):
        # Some sites print "15:10 PM"; a 24-hour value with PM is still unambiguous.
        if hour == 0 or hour > 23:
            return None
        if hour < 12:
            hour += 12
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


# --------------------------------------------------------------------------------------------------
# Line classification
# --------------------------------------------------------------------------------------------------

_DROP = "drop"  # boilerplate: UI labels, share widgets, view counters, punctuation
_TEXT = "text"
_IMAGE = "image"
_STAMP = "stamp"  # a publication-looking date/time stamp alone on its line
_UPDATE = "update"  # a "Cập nhật ..." stamp
_BYLINE = "byline"  # a name (or "Đăng bởi: ...") with a date stamp
_CAPS = "caps"  # a short all-capitals line (a section header, or a sidebar teaser's section)
_MARKER = "marker"  # start of page furniture
_KEYWORDS = "keywords"
_RELATED = "related"  # "Xem thêm: ..." link inside the article
_LISTED = "listed"  # a headline with a date in brackets, as in "Các tin khác" lists
_NUMBER = "number"  # digits and separators only: counters, pagers, unparseable dates
_NAV = "nav"  # breadcrumbs and menu bars on one line
_CATEGORY = "category"  # "Chuyên mục: Xã hội"
_DATELINE = "dateline"  # "HÀ NỘI (VOV) -" or "Nghệ An, 12/6/2023" alone: neither lead nor body


def _phrase_set(text: str) -> frozenset[str]:
    return frozenset(phrase.strip() for phrase in text.split("|"))


_BOILERPLATE = _phrase_set(
    """
    skip ribbon commands|skip to main content|skip navigation|skip to content|sign in|sign out
    |log in|login|turn on more accessible mode|turn off more accessible mode|site actions|browse
    |page|navigate up|search this site|edit page|xem|xem tiếp|xem chi tiết|chi tiết
    |đọc tiếp|trang chủ|home|menu|tìm kiếm|search|đăng nhập|đăng ký|đăng xuất|liên hệ
    |sơ đồ cổng|sơ đồ trang|sơ đồ site|sitemap|english|tiếng việt|vietnamese|rss|in|bản in
    |in bài|in bài viết|in trang|print|gửi email|gửi bài viết|gửi cho bạn bè|gửi|email|e-mail
    |chia sẻ|chia sẻ bài viết|share|facebook|zalo|twitter|linkedin|tweet|like|thích|lưu
    |lưu bài viết|lưu tin|copy link|sao chép liên kết|cỡ chữ|nghe bài viết|nghe đọc bài|nghe
    |đọc bài|tải về|tải xuống|download|quay lại|trở về|trở lại|back|đóng|close|góp ý|phản hồi
    |trang trước|trang sau|trang tiếp|tiếp|trước|next|previous|top|lượt xem|a a a|a- a a+
    |a+ a a-|a- a+|a+ a-
    """
)
# Widget words that may be strung together on one line ("Chia sẻ | Facebook | Zalo | In bài viết").
_WIDGET_WORDS = (
    r"chia\s+sẻ|facebook|zalo|twitter|linkedin|telegram|messenger|tweet|like|share|print|e-?mail"
    r"|gửi\s+email|gửi\s+bài(?:\s+viết)?|in\s+bài(?:\s+viết)?|in\s+trang|bản\s+in|lưu(?:\s+bài)?"
    r"|thích|bình\s+luận|copy\s+link|sao\s+chép\s+liên\s+kết|cỡ\s+chữ|a[+\-]?|\(?\d+\)?|in|gửi"
)
# "Theo dõi Báo X trên Google News", "Đăng ký nhận bản tin": subscribe prompts.
_SUBSCRIBE_RE = re.compile(
    r"^(?:theo\s+dõi|follow|đăng\s+ký(?:\s+nhận)?|nhận|subscribe)(?!\w).{0,80}"
    r"(?:google\s+news|zalo|facebook|youtube|tiktok|bản\s+tin|newsletter|kênh|channel)\W*$",
    _I,
)
# A figure label printed without its caption ("Ảnh 1"), the photo itself lost in the scrape.
_FIGURE_LABEL_RE = re.compile(r"^(?:ảnh|hình|photo)\s*\d{1,2}\s*:?$", _I)
# A dateline alone on its line: "HÀ NỘI (VOV) -", "(Dân sinh) -", "TTO -", "HÀ NỘI —".
_DATELINE_ONLY_RE = re.compile(
    r"^(?P<place>[^\W\d_][\w.+]*(?:\s+[^\W\d_][\w.+]*){0,3})?\s*"
    r"(?:\((?P<agency>[^()]{2,30})\))?\s*[-–—]+$"
)
# A place and a date alone on a line: "Nghệ An, 12/6/2023", "Hà Nội, ngày 5 tháng 3 năm 2024".
_PLACE_DATE_RE = re.compile(r"^([^\W\d_][^\d,()]{1,40}),\s*(?:ngày\s+)?\d", _I)
# What a channel or outlet line names beside its stamp: a site ("VTV.vn"), a channel ("VTV1"),
# an agency in brackets ("(TTXVN)").
_CHANNEL_TOKEN_RE = re.compile(
    r"(?<![\w.])(?:[\w-]+\.(?i:vn|com|net|org)|[A-ZĐ]{2,6}\d{1,2}|\([A-ZĐ]{2,}[\w.+/\-]*\))(?![\w.])"
)
_ERROR_PAGE_RE = re.compile(
    r"^(?:lỗi\s*)?404\b|không\s+tìm\s+thấy\s+trang|trang\s+(?:bạn\s+)?(?:yêu\s+cầu|tìm(?:\s+kiếm)?)"
    r"\s+không\s+tồn\s+tại|page\s+not\s+found|^not\s+found$",
    _I,
)
_IN_WORD_RE = re.compile(r"(?<!\w)in(?!\w)", _I)
_WIDGET_LINE_RE = re.compile(
    rf"^(?:{_WIDGET_WORDS})(?:[\s|,/·•:\-–]+(?:{_WIDGET_WORDS}))*[\s|,/·•:\-–]*$", _I
)
# Lines that end the article, mapped to the reason given to the furniture after them.
_MARKERS = {
    **dict.fromkeys(
        (
            "xem tin theo ngày",
            "quay trở lại đầu trang",
            "trở lại đầu trang",
            "về đầu trang",
            "lên đầu trang",
            "trở về đầu trang",
            "đầu trang",
            "back to top",
        ),
        "page furniture",
    ),
    **dict.fromkeys(
        (
            "tin liên quan",
            "tin bài liên quan",
            "các tin liên quan",
            "bài viết liên quan",
            "bài liên quan",
            "tin cùng chuyên mục",
            "bài cùng chuyên mục",
            "tin cùng chủ đề",
            "các tin khác",
            "tin khác",
            "các bài khác",
            "bài khác",
            "tin đã đưa",
            "các tin đã đưa",
            "tin mới hơn",
            "tin cũ hơn",
            "các tin mới hơn",
            "các tin cũ hơn",
            "tin mới",
            "tin mới nhất",
            "tin mới cập nhật",
            "tin đọc nhiều",
            "đọc nhiều nhất",
            "tin xem nhiều",
            "xem nhiều",
            "tin nổi bật",
            "tin tiêu điểm",
            "có thể bạn quan tâm",
            "bạn có thể quan tâm",
            "xem tin khác",
            "related news",
            "related articles",
            "other news",
            "most read",
            "xem thêm",
            "đọc thêm",
            "tin xem thêm",
            "video khác",
            "read more",
            "more news",
            "related",
            "related stories",
        ),
        "related links",
    ),
    **dict.fromkeys(
        (
            "bình luận",
            "ý kiến",
            "ý kiến bạn đọc",
            "gửi ý kiến",
            "gửi bình luận",
            "ý kiến của bạn",
            "viết bình luận",
            "comments",
        ),
        "comments",
    ),
    **dict.fromkeys(("từ khóa", "từ khoá", "tags", "tag", "keywords", "chủ đề"), "keywords"),
}
_FOOTER_RE = re.compile(
    r"^(?:bản\s+quyền|©|copyright|\(c\)\s*\d{4}|cơ\s+quan\s+chủ\s+quản|chịu\s+trách\s+nhiệm"
    r"|giấy\s+phép\s+(?:số|thiết\s+lập|hoạt\s+động)|ghi\s+rõ\s+nguồn|tổng\s+biên\s+tập\s*:"
    r"|trưởng\s+ban\s+biên\s+tập)",
    _I,
)
_KEY_TRIM = " :.-–|»«>›"
_COUNT_SUFFIX_RE = re.compile(r"\s*\(\d+\)$")
_PUNCT_ONLY_RE = re.compile(r"^[\W_]+$")
_IMAGE_RE = re.compile(
    r"^(?:[a-z][a-z0-9+.\-]*://\S*/|\S*[/\\])?[^/\\]{1,150}?\.(?:jpe?g|png|gif|webp)(?:\?\S*)?$", _I
)
_NUMBER_RE = re.compile(r"^[\d\s/.\-:|,+()]+$")
_DATE_SHAPE_RE = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}|\d{1,2}:\d{2}")
_KEYWORDS_RE = re.compile(r"^(?:từ\s+kh(?:óa|oá)|tags?|keywords?|chủ\s+đề|thẻ)\s*:\s*\S", _I)
_RELATED_RE = re.compile(r"^(?:xem\s+thêm|đọc\s+thêm|xem\s+tiếp|>>|»)\s*[:>»\-–]?\s*\S", _I)
_CATEGORY_RE = re.compile(
    r"^(?:chuyên\s+mục|danh\s+mục|chuyên\s+trang|category|section)\s*:\s*(.{2,60})$", _I
)
_NAV_PREFIX_RE = re.compile(r"^(?:bạn\s+đang\s+ở|vị\s+trí|you\s+are\s+here)\s*:", _I)
_NAV_SEPARATOR_RE = re.compile(r"\s(?:»|›|>|\||/|»)\s")
_BREADCRUMB_RE = re.compile(r"\s[›»]\s")
# An outlet's tag opening a lead: "(Dân trí) - ", "TTO - ", "VOV.VN - ", "HÀ NỘI (VOV) - ".
_LEAD_DATELINE_RE = re.compile(
    r"^(?:\([^()]{2,30}\)|[A-ZĐ][A-ZĐ.]{1,11}(?:\.[A-Za-z]{2,3})?"
    r"|[^\W\d_][^\W\d_.]*(?:\s+[^\W\d_]+){0,3}\s*\([^()]{2,20}\))\s*[-–—]\s+\S"
)
_NAV_HOME_RE = re.compile(r"^(?:trang\s+chủ|home)\s*(?:»|›|>|\||/)", _I)
_LISTED_RE = re.compile(r"^(.{8,250}?)\s*[(\[]([^()\[\]]{6,40})[)\]]$")


@dataclass(slots=True)
class _Line:
    text: str
    kind: str
    stamp: DateLine | None = None
    info: str = ""  # an end marker's reason, a category or breadcrumb item, a byline's name


def is_boilerplate(line: str) -> bool:
    """True for a line the parser drops outright: UI labels, share widgets, view counters, stray
    punctuation. Such lines carry no article text; everything else is kept in the article or
    in ``ParsedArticle.skipped``.
    """
    classified = _classify(_clean_line(unicodedata.normalize("NFC", line)))
    return classified.kind == _DROP or _is_marker_label(classified)


def _is_marker_label(line: _Line) -> bool:
    """An end marker that is only a label ("Tin liên quan", "Bình luận (0)"); dropped."""
    return line.kind == _MARKER and _key(line.text) in _MARKERS


def _key(text: str) -> str:
    return _COUNT_SUFFIX_RE.sub("", " ".join(text.casefold().split()).strip(_KEY_TRIM))


def _classify(text: str) -> _Line:
    if not text or _PUNCT_ONLY_RE.match(text):
        return _Line(text, _DROP)
    # A "Xem" link glued onto the next element by the scraper, as in "XemXÃ HỘI".
    if text.startswith("Xem") and len(text) > 4 and text[3].isupper() and text[4:5].isalpha():
        text = text[3:]
    key = _key(text)
    if key in _MARKERS:
        return _Line(text, _MARKER, info=_MARKERS[key])
    if key in _BOILERPLATE or not key:
        return _Line(text, _DROP)
    if _FOOTER_RE.match(text):
        return _Line(text, _MARKER, info="page footer")
    short = len(text) <= _MAX_DATE_LINE
    if short:
        without_views = _VIEWS_FRAGMENT_RE.sub(" ", text)
        if without_views != text:
            rest = without_views.strip(_SEPARATORS)
            if not rest or _is_widget(rest):
                return _Line(text, _DROP)
        if _is_widget(text) or _SUBSCRIBE_RE.match(text) or _FIGURE_LABEL_RE.match(text):
            return _Line(text, _DROP)
        if _is_dateline_only(text):
            return _Line(text, _DATELINE)
    if len(text.split()) <= 6 and _IMAGE_RE.match(text):
        return _Line(text, _IMAGE)
    if _KEYWORDS_RE.match(text):
        return _Line(text, _KEYWORDS)
    if _RELATED_RE.match(text):
        return _Line(text, _RELATED)
    category = _CATEGORY_RE.match(text)
    if category:
        return _Line(text, _CATEGORY, info=category[1].strip())
    if short and any(ch.isdigit() for ch in text):
        stamp = parse_date_line(text)
        if stamp is not None:
            if not stamp.rest or _classify(stamp.rest).kind == _DROP or _is_channel(stamp.rest):
                return _Line(text, _UPDATE if stamp.is_update else _STAMP, stamp)
            name = _author_from(stamp.rest)
            place = _PLACE_DATE_RE.match(text)
            if place and not stamp.has_time and place[1].strip() == stamp.rest:
                return _Line(text, _DATELINE, stamp)
            if name and (stamp.has_time or name != stamp.rest):
                return _Line(text, _BYLINE, stamp, info=name)
            if _AUTHOR_LABEL_RE.match(stamp.rest):
                # "Đăng bởi: Quản trị viên - 17/10/2019": a poster account, not a person's byline.
                return _Line(text, _BYLINE, stamp)
        letters = sum(ch.isalpha() for ch in text)
        if _NUMBER_RE.match(text) or (letters <= 3 and _DATE_SHAPE_RE.search(text)):
            return _Line(text, _NUMBER)
    if _is_nav_line(text):
        return _Line(text, _NAV, info=_last_nav_item(text))
    if text.endswith((")", "]")):
        listed = _LISTED_RE.match(text)
        if listed and not _ends_sentence(listed[1]):
            stamp = parse_date_line(listed[2])
            if stamp is not None and not stamp.rest:
                return _Line(text, _LISTED, stamp)
    if _is_caps_header(text):
        return _Line(text, _CAPS)
    return _Line(text, _TEXT)


def _is_widget(text: str) -> bool:
    if _WIDGET_LINE_RE.match(text) is None or not any(ch.isalpha() for ch in text):
        return False
    # "In" (print) is a widget beside others, but "In 2019" is text.
    return not (_IN_WORD_RE.search(text) and any(ch.isdigit() for ch in text))


def _is_dateline_only(text: str) -> bool:
    """A place in capitals, an agency in brackets or an outlet's tag, then a dash, and nothing
    else: the opening of the lead, cut off from it by the scraper."""
    match = _DATELINE_ONLY_RE.match(text)
    if not match or not (match["place"] or match["agency"]):
        return False
    place = match["place"] or ""
    return bool(match["agency"]) or (place.upper() == place and len(place) >= 2) or "." in place


def _is_channel(rest: str) -> bool:
    """The words beside a stamp name a channel or outlet ("VTV.vn", "VTV1 | Thời sự 19h")."""
    return _word_count(rest) <= 8 and _CHANNEL_TOKEN_RE.search(rest) is not None


def _is_nav_line(text: str) -> bool:
    if _NAV_PREFIX_RE.match(text) or _NAV_HOME_RE.match(text):
        return True
    if len(text) > 200:
        return False
    # "›" and "»" only ever separate breadcrumbs; "|", "/" and ">" need two to tell.
    return len(_NAV_SEPARATOR_RE.findall(text)) >= 2 or _BREADCRUMB_RE.search(text) is not None


def _last_nav_item(text: str) -> str:
    items = [item.strip(_KEY_TRIM + " ") for item in re.split(r"\s*(?:»|›|>|\||/)\s*", text)]
    items = [item for item in items if item and _key(item) not in _BOILERPLATE]
    return items[-1] if items else ""


def _is_caps_header(text: str) -> bool:
    if len(text) > 40 or len(text.split()) > 5 or text.upper() != text or text.lower() == text:
        return False
    return sum(ch.isalpha() for ch in text) >= 2


# --------------------------------------------------------------------------------------------------
# Text shape helpers
# --------------------------------------------------------------------------------------------------

_CLOSERS = "\"'”’»)]\u00a0 "
_SENTENCE_END = ".…:;"
_BODY_MIN_WORDS = 6
_BODY_MIN_CHARS = 250
_CAPTION_MAX_WORDS = 45
_CAPTION_MAX_CHARS = 350
_CAPTION_SENTENCE_MAX_WORDS = 30  # a one-sentence caption ending in a full stop
_INNER_SENTENCE_RE = re.compile(r"[.!?…]\s+(\w)")


def _word_count(text: str) -> int:
    return len(text.split())


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_body_like(text: str) -> bool:
    """A line that reads as running text rather than a headline, label or caption."""
    if len(text) >= _BODY_MIN_CHARS:
        return True
    return _word_count(text) >= _BODY_MIN_WORDS and _ends_sentence(text)


def _is_sentence(text: str) -> bool:
    """Text that ends as a sentence does; an article has at least one."""
    return _ends_sentence(text) or text.rstrip(_CLOSERS).endswith(("!", "?"))


def _is_headline_like(text: str) -> bool:
    return 3 <= _word_count(text) <= 30 and not _ends_sentence(text)


def _is_single_sentence(text: str) -> bool:
    return not any(match[1].isupper() for match in _INNER_SENTENCE_RE.finditer(text.rstrip(". ")))


_AUTHOR_LABEL_RE = re.compile(
    r"^(?:tác\s+giả|người\s+viết|phóng\s+viên|thực\s+hiện|bài(?:\s+và\s+ảnh|\s*,\s*ảnh)?"
    r"|tin(?:\s+và\s+ảnh|\s*,\s*ảnh)?|ảnh\s+và\s+bài|đăng\s+bởi|người\s+đăng|by|posted\s+by)"
    r"\s*:\s*"
    r"|^by\s+(?=[^\W\d_])",  # English sites: "By Thu Hằng"
    _I,
)
# The outlet after a byline's name: "Phạm Hùng/VOV.VN", "Hoàng Linh/VOV-Miền Trung",
# "Thu Hằng (TTXVN/Vietnam+)", or alone in brackets: "(TTXVN/Vietnam+)".
_OUTLET = r"[A-ZĐ]{2,}[\w.+\-]*(?:/[\w.+\-]+)*"
_SLASH_OUTLET_RE = re.compile(rf"^(.+?)\s*/\s*({_OUTLET}(?:[\s\-][^\W\d_][\w.+]*){{0,3}})$")
_BRACKET_OUTLET_RE = re.compile(rf"^(.*?)\s*\(({_OUTLET})\)$")
# An office credited at the end of an article ("Vụ Bình đẳng giới", "Nhóm phóng viên").
_OFFICE_BYLINE_RE = re.compile(
    r"^(?:vụ|cục|tổng\s+cục|sở|phòng|ban|văn\s+phòng|trung\s+tâm|viện|nhóm|ủy\s+ban|ubnd|hội"
    r"|liên\s+đoàn|công\s+đoàn|thanh\s+tra|bệnh\s+viện|trường|bộ)\s+\S",
    _I,
)
_OFFICE_BYLINE_MAX_WORDS = 8
_NAME_SUFFIX_RE = re.compile(r"\s*\([^()]{1,40}\)$")
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|&|/|\s-\s|\s–\s|\svà\s)\s*")
_NAME_CHARS = frozenset(".'-’")


def _author_from(text: str) -> str | None:
    """The author named by a byline-like line ("Thái Bình", "Tác giả: Thu Hà", "PV"), or None.

    An outlet after the name ("Minh Anh/VOV.VN") is not part of it; an outlet alone in
    brackets ("(TTXVN/Vietnam+)") is the credit itself.
    """
    label = _AUTHOR_LABEL_RE.match(text)
    value = text[label.end() :].strip() if label else text
    name, outlet = _split_outlet(value)
    if outlet and not name:
        return outlet
    return name if name and _looks_like_name(name) else None


def _split_outlet(text: str) -> tuple[str, str]:
    """A byline's name and the outlet printed after it ("" when none)."""
    for pattern in (_SLASH_OUTLET_RE, _BRACKET_OUTLET_RE):
        match = pattern.match(text)
        if match and (not match[1] or _looks_like_name(match[1])):
            return match[1], match[2]
    return text, ""


def _office_byline(text: str) -> str | None:
    """An office credited as the author ("Vụ Bình đẳng giới"): short, no digits, no full stop."""
    if not _OFFICE_BYLINE_RE.match(text) or _word_count(text) > _OFFICE_BYLINE_MAX_WORDS:
        return None
    if any(ch.isdigit() for ch in text) or text.rstrip()[-1] in _SENTENCE_END + "!?,":
        return None
    return text


def _looks_like_name(text: str) -> bool:
    core = _NAME_SUFFIX_RE.sub("", text).strip()
    if not core or len(core) > 60 or core[-1] in ",;:!?":
        return False
    total = 0
    for part in _NAME_SPLIT_RE.split(core):
        words = part.split()
        if not 1 <= len(words) <= 5:
            return False
        for word in words:
            letters = [ch for ch in word if ch.isalpha()]
            if not letters or not letters[0].isupper():
                return False
            if any(not (ch.isalpha() or ch in _NAME_CHARS) for ch in word):
                return False
        total += len(words)
    # A final full stop is only an initial's ("Minh A."), not the end of a sentence.
    if core.endswith(".") and len(core.split()[-1].rstrip(".")) > 2:
        return False
    return total <= 10


_SOURCE_RE = re.compile(r"^\(?\s*(?:nguồn(?:\s+tin)?|source)\s*:\s*(.+?)\s*\)?$", _I)
_THEO_RE = re.compile(r"^\(?Theo\s+(.{2,80}?)\)?$")


def _is_caps_byline(name: str) -> bool:
    """A byline printed in capitals: a name ("THÁI BÌNH") or an agency ("PV", "TTXVN"), not a
    one-word label such as "VIDEO"."""
    return len(name.split()) >= 2 or _is_acronym(name)


def _source_from(text: str) -> str | None:
    """The source named by a "Nguồn: X" or "Theo X" line at the end of an article, or None."""
    match = _SOURCE_RE.match(text)
    if match:
        return match[1]
    match = _THEO_RE.match(text)
    if match:
        value = match[1]
        words = _word_count(value)
        if "," not in value and words <= 10 and (not value.endswith(".") or words <= 4):
            return value
    return None


_CAPTION_START_RE = re.compile(
    r"^(?:\(?ảnh(?:\s*:|\s+minh\s+h|\s+tư\s+liệu)|toàn\s+cảnh|quang\s+cảnh|hình\s+ảnh"
    r"|các\s+đại\s+biểu|đại\s+biểu|lễ\s+ký\s+kết|một\s+góc)",
    _I,
)
_CAPTION_MARK_RE = re.compile(
    r"\(\s*(?:ảnh|photo)\s*(?::|minh\s+h)|\b(?:ảnh|photo)\s*:\s*\S[^.]{0,60}\.?$", _I
)
# Figure labels ("Ảnh 1: ...", "Hình 2. ...") and English agency credits ("VNA/VNS Photo Minh").
_NUMBERED_CAPTION_RE = re.compile(r"^(?:ảnh|hình|photo)\s*\d{1,2}\s*[:.\-–]\s*\S", _I)
_AGENCY_PHOTO_RE = re.compile(r"\b[A-Z]{2,}(?:/[A-Z]{2,})?\s+Photo(?:\s+[^\W\d_][\w.]*){0,4}\.?$")
_CREDIT_RE = re.compile(r"^\(?\s*ảnh\s*:", _I)
_CAPTION_VERB_RE = re.compile(
    r"\s(?:phát\s+biểu|chụp\s+ảnh|trao\s+(?:tặng|quà|giấy|bằng|quyết\s+định|huân|kỷ\s+niệm)"
    r"|tặng\s+quà|thăm\s+hỏi|ký\s+kết)",
    _I,
)


def _is_short_caption(text: str) -> bool:
    return _word_count(text) <= _CAPTION_MAX_WORDS and len(text) <= _CAPTION_MAX_CHARS


def _is_image_caption(text: str) -> bool:
    """Whether the line after an image file describes it, rather than being the next paragraph."""
    if not _is_short_caption(text):
        return False
    if not _is_body_like(text) or _is_explicit_caption(text) or _CAPTION_START_RE.match(text):
        return True
    return _is_single_sentence(text) and _word_count(text) <= _CAPTION_SENTENCE_MAX_WORDS


def _is_explicit_caption(text: str) -> bool:
    """A line that says it describes a photo ("Ảnh: ...", "(Ảnh minh họa)", "... (Ảnh: PV)")."""
    if not _is_short_caption(text):
        return False
    return bool(
        _CREDIT_RE.match(text)
        or _CAPTION_MARK_RE.search(text)
        or _NUMBERED_CAPTION_RE.match(text)
        or _AGENCY_PHOTO_RE.search(text)
        or text.casefold().startswith(("ảnh minh", "(ảnh"))
    )


def _is_caption_after_lead(text: str) -> bool:
    """A short line right after the lead that describes the opening photo, as many CMSs print it."""
    if not _is_short_caption(text) or not _is_single_sentence(text):
        return False
    if _CAPTION_START_RE.match(text) or _CAPTION_MARK_RE.search(text):
        return True
    return not _ends_sentence(text) and (
        _word_count(text) >= _BODY_MIN_WORDS or _CAPTION_VERB_RE.search(text) is not None
    )


# --------------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------------

_PROPER_NOUNS = ("Việt Nam", "Hà Nội", "Hồ Chí Minh", "Đảng", "Nhà nước", "Quốc hội", "Chính phủ")
_PROPER_NOUN_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(name.lower()) for name in _PROPER_NOUNS) + r")(?!\w)"
)
_PROPER_NOUN_BY_LOWER = {name.lower(): name for name in _PROPER_NOUNS}
# Capitalised words kept in capitals in section names (those without any vowel, like "BHXH",
# are recognised as acronyms anyway).
_ACRONYMS = frozenset(
    ("ASEAN", "ILO", "WHO", "UNICEF", "UNDP", "UNFPA", "IOM", "APEC", "ODA", "EU", "UN", "OECD")
    + ("WTO", "FTA", "CPTPP", "EVFTA", "GDP", "HIV", "AIDS", "LGBT", "AI", "IT", "KOICA", "JICA")
    + ("USAID", "UBND", "HĐND", "TP")
)
_VOWELS = frozenset("aeiouy")


def _category_name(text: str) -> str:
    """Sentence-case an all-capitals section name ("XÃ HỘI" -> "Xã hội"); others stay as printed."""
    text = " ".join(text.strip(_KEY_TRIM + " ").split())
    if text.upper() != text:
        return text
    words = [word if _is_acronym(word) else word.lower() for word in text.split()]
    result = _PROPER_NOUN_RE.sub(lambda m: _PROPER_NOUN_BY_LOWER[m[1]], " ".join(words))
    for index, char in enumerate(result):
        if char.isalpha():
            result = result[:index] + char.upper() + result[index + 1 :]
            break
    return unicodedata.normalize("NFC", result)


def _is_acronym(word: str) -> bool:
    letters = "".join(ch for ch in word if ch.isalnum())
    if not letters:
        return False
    if letters in _ACRONYMS or any(ch.isdigit() for ch in letters):
        return True
    base = unicodedata.normalize("NFD", letters.lower())
    return not any(ch in _VOWELS for ch in base)


# --------------------------------------------------------------------------------------------------
# Page parsing
# --------------------------------------------------------------------------------------------------

# Headline scoring: words count up to a cap (past it, length says little), plus bonuses for the
# places headlines sit: just before their date (the usual layout), just after it, or just before
# the article text.
_TITLE_WORDS_CAP = 12
_TITLE_BEFORE_DATE_BONUS = 10
_TITLE_AFTER_DATE_BONUS = 6
_TITLE_BEFORE_BODY_BONUS = 3
_FALLBACK_TITLE_MAX_WORDS = 30
_AUTHOR_SCAN_LINES = 6
_LIST_PAGE_TEASERS = 2
# End markers that can only come after an article (unlike "Bình luận (0)" in a share bar).
_FURNITURE_REASONS = frozenset(("page furniture", "related links", "page footer"))
_SKIP_REASON = {
    _TEXT: "navigation",
    _CAPS: "navigation",
    _NAV: "navigation",
    _CATEGORY: "navigation",
    _STAMP: "date stamp",
    _UPDATE: "update stamp",
    _KEYWORDS: "keywords",
    _RELATED: "related link",
    _LISTED: "related links",
    _DATELINE: "dateline",
}


def parse_page(text: str) -> ParsedArticle:
    """Parse one page's text (as from ``decode_page``) into a ParsedArticle.

    Raises ParseError when no headline can be found or the page stops right after it.
    """
    lines = [_classify(line) for line in map(_clean_line, _normalise_text(text).split("\n"))]
    lines = [line for line in lines if line.kind != _DROP]
    if not lines:
        raise ParseError("không tìm thấy tiêu đề (trang chỉ có phần điều hướng)")
    return _PageReader(lines).read()


class _PageReader:
    """One page's parse; the state the zones share lives here rather than in long signatures."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.used: set[int] = set()
        self.skipped: dict[int, Skipped] = {}
        self.published: datetime | date | None = None
        self.late_published: datetime | date | None = None  # from a byline after the article
        self.updated: datetime | None = None
        self.category: str | None = None
        self.author = ""
        self.source = ""

    def read(self) -> ParsedArticle:
        lines = self.lines
        header_end = next(
            (
                i
                for i, line in enumerate(lines)
                if line.kind == _IMAGE or (line.kind == _TEXT and _is_body_like(line.text))
            ),
            len(lines),
        )
        title_index = self._choose_title(header_end)
        if title_index is None:
            raise ParseError("không tìm thấy tiêu đề")
        if _ERROR_PAGE_RE.search(lines[title_index].text):
            raise ParseError("trang báo lỗi (không tìm thấy trang), không phải bài viết")
        self.used.add(title_index)
        self._read_header(title_index, header_end)

        body_start = next(
            (
                i
                for i in range(title_index + 1, len(lines))
                if i not in self.used
                and (
                    lines[i].kind in (_TEXT, _IMAGE, _CAPS, _LISTED)
                    or (lines[i].kind == _MARKER and lines[i].info in _FURNITURE_REASONS)
                )
            ),
            None,
        )
        if body_start is None or lines[body_start].kind == _MARKER:
            raise ParseError("trang bị cắt cụt: không có nội dung sau tiêu đề")
        tail_start, tail_reason = self._find_tail(body_start)
        self._read_signature(body_start, tail_start)
        blocks = self._read_body(title_index + 1, tail_start)
        self._read_tail(tail_start, tail_reason)

        lead = ""
        for index, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                lead = block.text
                del blocks[index]
                self._caption_after_lead(blocks, index)
                break
        if not lead and not blocks:
            raise ParseError("trang bị cắt cụt: không có nội dung sau tiêu đề")
        texts = [lead, *(block.text for block in blocks if isinstance(block, Paragraph))]
        if not any(_is_sentence(text) for text in texts) and not any(
            isinstance(block, Figure) and block.file for block in blocks
        ):
            raise ParseError("không có câu văn nào: trang danh mục, không phải bài viết")
        if tail_reason == "sidebar teaser" and not blocks:
            teasers = sum(line.kind == _STAMP for line in lines[tail_start:])
            if teasers >= _LIST_PAGE_TEASERS:
                # One paragraph under the headline, then more headlines with their dates and
                # summaries, and no end marker between: a list of stories, not a story.
                raise ParseError(
                    "trang danh sách tin (tiêu đề, ngày, tóm tắt), không phải bài viết"
                )
        published = self.published if self.published is not None else self.late_published
        return ParsedArticle(
            title=lines[title_index].text,
            published_at=published,
            updated_at=self.updated,
            category=self.category,
            author=self.author,
            lead=lead,
            blocks=blocks,
            skipped=[self.skipped[i] for i in sorted(self.skipped)],
            source=self.source,
        )

    # -- header ------------------------------------------------------------------------------

    def _choose_title(self, header_end: int) -> int | None:
        lines = self.lines
        # The site's name and menus come before its breadcrumbs: a line above a menu or
        # breadcrumb line is the site header, not the headline, unless its date is beside it.
        last_nav = max((i for i in range(header_end) if lines[i].kind == _NAV), default=-1)
        candidates = [
            i
            for i in range(header_end)
            if lines[i].kind == _TEXT
            and not _LEAD_DATELINE_RE.match(lines[i].text)
            and (i > last_nav or self._beside_stamp(i))
        ]
        if candidates and all(_author_from(lines[i].text) for i in candidates):
            # Only a byline above the text: the headline itself was lost.
            return None
        if not candidates:
            # Some CMSs print the headline in capitals; a short capitals line is a section name.
            candidates = [
                i
                for i in range(header_end)
                if lines[i].kind == _CAPS and _word_count(lines[i].text) >= 4
            ]
        if not candidates:
            ending = lines[header_end] if header_end < len(lines) else None
            if ending and ending.kind == _TEXT and not _LEAD_DATELINE_RE.match(ending.text):
                has_more = any(line.kind in (_TEXT, _IMAGE) for line in lines[header_end + 1 :])
                if has_more and _word_count(lines[header_end].text) <= _FALLBACK_TITLE_MAX_WORDS:
                    return header_end
            return None

        def score(i: int) -> tuple[int, int]:
            value = min(_word_count(lines[i].text), _TITLE_WORDS_CAP)
            if _author_from(lines[i].text):
                # A byline such as "Nguyễn Minh" sits next to the date too, but is no headline.
                return value, i
            if i + 1 < len(lines) and lines[i + 1].kind in (_STAMP, _BYLINE):
                value += _TITLE_BEFORE_DATE_BONUS
            elif i > 0 and lines[i - 1].kind in (_STAMP, _BYLINE):
                value += _TITLE_AFTER_DATE_BONUS
            if i + 1 == header_end:
                value += _TITLE_BEFORE_BODY_BONUS
            return value, i

        return max(candidates, key=score)

    def _beside_stamp(self, index: int) -> bool:
        return any(
            0 <= j < len(self.lines) and self.lines[j].kind in (_STAMP, _BYLINE)
            for j in (index - 1, index + 1)
        )

    def _read_header(self, title_index: int, header_end: int) -> None:
        lines = self.lines
        self._take_publication_stamp(title_index, header_end)
        for i in range(title_index + 1, header_end):
            line = lines[i]
            if i in self.used:
                continue
            if line.kind == _BYLINE:
                self._take_byline(i, near_title=True)
            elif line.kind == _TEXT and not self.author:
                name = _author_from(line.text)
                has_body = any(lines[j].kind in (_TEXT, _IMAGE) for j in range(i + 1, len(lines)))
                if name and has_body:
                    self.author = name
                    self.used.add(i)

        before = [i for i in range(title_index) if lines[i].kind == _CAPS]
        after = [i for i in range(title_index + 1, header_end) if lines[i].kind == _CAPS]
        if before or after:
            chosen = before[-1] if before else after[0]
            self.category = _category_name(lines[chosen].text)
            self.used.add(chosen)
        for i in range(header_end):
            line = lines[i]
            if i in self.used:
                continue
            if line.kind == _UPDATE and self._take_update(line):
                self.used.add(i)
            elif line.kind == _CATEGORY and self.category is None:
                self.category = _category_name(line.info)
                self.used.add(i)
        if self.category is None:
            title_key = _key(lines[title_index].text)
            for i in range(title_index):
                if lines[i].kind == _NAV and lines[i].info and _key(lines[i].info) != title_key:
                    self.category = _category_name(lines[i].info)
        # Everything before the headline that was not used is the site's navigation, and so is a
        # second section line between the headline and the article.
        for i in range(title_index):
            if i not in self.used and not _is_marker_label(lines[i]):
                self._skip(i, _SKIP_REASON.get(lines[i].kind, "navigation"))
        for i in after:
            if i not in self.used:
                self._skip(i, "navigation")

    def _take_publication_stamp(self, title_index: int, header_end: int) -> None:
        """Use the date stamp printed right after the headline, else the one right before it."""
        lines = self.lines
        passable = {_UPDATE, _CAPS}
        j = title_index + 1
        names_passed = 0
        while j < len(lines):
            kind = lines[j].kind
            if kind in (_STAMP, _BYLINE):
                self._use_stamp(j)
                return
            if kind in passable:
                j += 1
            elif kind == _TEXT and names_passed == 0 and _author_from(lines[j].text):
                names_passed += 1
                j += 1
            else:
                break
        j = title_index - 1
        while j >= 0 and lines[j].kind in passable:
            j -= 1
        if j >= 0 and lines[j].kind == _STAMP:
            self._use_stamp(j)

    def _use_stamp(self, index: int) -> None:
        line = self.lines[index]
        self.published = line.stamp.value
        if line.kind == _BYLINE:
            self._take_byline(index, near_title=True)
        self.used.add(index)

    def _take_byline(self, index: int, near_title: bool) -> None:
        """Read a byline: its name becomes the author unless one is known (then, like a poster
        account line, the line is kept in skipped); its time is the publication time when printed
        by the headline, and only a fallback for pages without their own date otherwise."""
        line = self.lines[index]
        if line.info and not self.author:
            self.author = line.info
        else:
            self.skipped[index] = Skipped(line.text, "byline")
        if near_title:
            self.published = self.published or line.stamp.value
        else:
            self.late_published = self.late_published or line.stamp.value
        self.used.add(index)

    # -- end of article ----------------------------------------------------------------------

    def _find_tail(self, body_start: int) -> tuple[int, str]:
        """Where page furniture starts (an end marker, a sidebar teaser, a list of headlines),
        and the reason to give the lines from there on."""
        lines = self.lines
        for i in range(body_start + 1, len(lines)):
            kind = lines[i].kind
            if kind == _MARKER:
                return i, lines[i].info
            if kind == _CAPS and self._kind_at(i + 1) == _STAMP:
                return i, "sidebar teaser"
            if kind == _LISTED and self._kind_at(i + 1) == _LISTED:
                return i, "related links"
            if kind == _STAMP:
                start = self._teaser_start(i, body_start)
                if start is not None:
                    return start, "sidebar teaser"
        return len(lines), "page furniture"

    def _teaser_start(self, index: int, body_start: int) -> int | None:
        """Decide whether a lone date stamp inside the article opens a teaser of another story."""
        lines = self.lines
        previous = index - 1
        later = lines[index + 1 :]
        if not any(line.kind == _TEXT for line in later):
            return None
        previous_text = lines[previous].text if previous > body_start else ""
        if previous_text and _author_from(previous_text):
            return None
        headline_before = bool(previous_text) and lines[previous].kind == _TEXT
        headline_before = headline_before and _is_headline_like(previous_text)
        if headline_before:
            return previous
        if any(line.kind in (_STAMP, _MARKER) for line in later):
            return index
        return None

    def _kind_at(self, index: int) -> str | None:
        return self.lines[index].kind if index < len(self.lines) else None

    def _read_signature(self, body_start: int, tail_start: int) -> None:
        """Take the author, source and byline stamp printed at the end of the article."""
        lines = self.lines
        i = tail_start - 1
        scanned = 0
        while i >= body_start and scanned < _AUTHOR_SCAN_LINES:
            line = lines[i]
            scanned += 1
            if i in self.used or line.kind in (_KEYWORDS, _NUMBER, _RELATED):
                i -= 1
                continue
            if line.kind == _BYLINE:
                self._take_byline(i, near_title=False)
            elif line.kind == _STAMP:
                self.late_published = self.late_published or line.stamp.value
            elif line.kind == _UPDATE:
                if not self._take_update(line):
                    break
            elif line.kind in (_TEXT, _CAPS):
                source = _source_from(line.text)
                name = None if source else _author_from(line.text)
                if name and line.kind == _CAPS and not _is_caps_byline(name):
                    name = None
                if not source and not name and line.kind == _TEXT:
                    name = _office_byline(line.text)
                if source and not self.source:
                    self.source = source
                elif name and not self.author:
                    self.author = name
                    outlet = _split_outlet(line.text)
                    if outlet[0] and outlet[1] and not self.source:
                        self.source = outlet[1]
                else:
                    break
            else:
                break
            self.used.add(i)
            i -= 1

    # -- article body ------------------------------------------------------------------------

    def _read_body(self, start: int, end: int) -> list[Paragraph | Figure]:
        lines = self.lines
        blocks: list[Paragraph | Figure] = []
        last_caption_line = -1
        i = start
        while i < end:
            line = lines[i]
            if i in self.used:
                i += 1
                continue
            kind = line.kind
            if kind == _IMAGE:
                caption = ""
                following = i + 1
                if following < end and following not in self.used:
                    candidate = lines[following]
                    if candidate.kind in (_TEXT, _CAPS) and _is_image_caption(candidate.text):
                        caption = candidate.text
                        self.used.add(following)
                        last_caption_line = following
                file_name = _image_file_name(line.text)
                if file_name != line.text:
                    self.skipped[i] = Skipped(line.text, "image path")
                blocks.append(Figure(file_name, caption))
            elif kind in (_TEXT, _CAPS, _LISTED):
                text = line.text
                previous = blocks[-1] if blocks else None
                if (
                    isinstance(previous, Figure)
                    and last_caption_line == i - 1
                    and _CREDIT_RE.match(text)
                    and _word_count(text) <= 10
                ):
                    previous.caption = f"{previous.caption}\n{text}" if previous.caption else text
                elif kind == _TEXT and _is_explicit_caption(text):
                    blocks.append(Figure(None, text))
                    last_caption_line = i
                elif isinstance(previous, Paragraph) and _continues(previous.text, text):
                    joiner = "" if text[0] in ",;.:)!?…" else " "
                    previous.text = f"{previous.text}{joiner}{text}"
                else:
                    blocks.append(Paragraph(text))
            elif kind == _STAMP:
                # A stamp printed just after the lead is still the page's own date.
                if self.published is None and len(blocks) == 1:
                    self.published = line.stamp.value
                else:
                    self._skip(i, "date stamp")
            elif kind == _UPDATE:
                if not self._take_update(line):
                    self._skip(i, "update stamp")
            elif kind == _DATELINE:
                # "Nghệ An, 12/6/2023" opening the text dates the page when nothing else does
                # (at the end, as under an official letter, it dates the letter, not the page).
                if line.stamp is not None and self.published is None and not blocks:
                    self.published = line.stamp.value
                self._skip(i, "dateline")
            elif kind == _BYLINE:
                self._take_byline(i, near_title=False)
            elif kind == _CATEGORY and self.category is None:
                self.category = _category_name(line.info)
            elif kind == _NUMBER:
                looks_like_date = _DATE_SHAPE_RE.search(line.text) is not None
                self._skip(i, "invalid date" if looks_like_date else "stray number")
            elif kind == _MARKER and _is_marker_label(line):
                pass  # e.g. "Bình luận (0)" in a share bar under the headline
            else:
                self._skip(i, _SKIP_REASON.get(kind, "page furniture"))
            i += 1
        return blocks

    def _caption_after_lead(self, blocks: list[Paragraph | Figure], index: int) -> None:
        """Turn the block after the lead (now at ``index``) into a caption if it reads as one."""
        if index + 1 >= len(blocks):
            return
        block = blocks[index]
        has_body_after = any(isinstance(later, Paragraph) for later in blocks[index + 1 :])
        if isinstance(block, Paragraph) and has_body_after and _is_caption_after_lead(block.text):
            blocks[index] = Figure(None, block.text)

    # -- page furniture ----------------------------------------------------------------------

    def _read_tail(self, tail_start: int, why: str) -> None:
        lines = self.lines
        for i in range(tail_start, len(lines)):
            line = lines[i]
            if line.kind == _MARKER:
                why = line.info
                if not _is_marker_label(line):
                    self._skip(i, why)
                continue
            opens_teaser = line.kind == _CAPS and self._kind_at(i + 1) == _STAMP
            if opens_teaser or (line.kind == _STAMP and why == "page furniture"):
                why = "sidebar teaser"
            if line.kind == _KEYWORDS:
                self._skip(i, "keywords")
            elif line.kind == _UPDATE:
                self._skip(i, "update stamp")
            else:
                self._skip(i, why)

    def _take_update(self, line: _Line) -> bool:
        """Use the first "Cập nhật" stamp with a time as updated_at; False when not used."""
        if self.updated is None and isinstance(line.stamp.value, datetime):
            self.updated = line.stamp.value
            return True
        return False

    def _skip(self, index: int, why: str) -> None:
        self.used.add(index)
        self.skipped[index] = Skipped(self.lines[index].text, why)


def _image_file_name(printed: str) -> str:
    """The file name of an image line that may be a path or URL ("/Lists/1/a.jpg?w=600")."""
    path = printed.split("?", 1)[0].split("#", 1)[0]
    return re.split(r"[/\\]", path)[-1]


_LIST_MARKER_RE = re.compile(r"^\w[.)]\s")


def _continues(previous: str, text: str) -> bool:
    """True when a line is the rest of the previous paragraph, cut by the scraper at a link."""
    if _ends_sentence(previous) or previous.rstrip(_CLOSERS).endswith(("!", "?")):
        return False
    first = text[0]
    if first in ",;)…":
        return True
    return first.isalpha() and first.islower() and not _LIST_MARKER_RE.match(text)
