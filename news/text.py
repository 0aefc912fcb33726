"""Text helpers shared by models, the importer and search."""

import functools
import html
import re
import unicodedata

from django.utils.text import slugify

# Letters that Unicode decomposition does not reduce to ASCII.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ø": "o", "Ø": "O"})


_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold_diacritics(text):
    """Vietnamese text without its marks: "Bình đẳng giới" -> "Binh dang gioi"."""
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS)))


def vietnamese_slugify(text, max_length=200):
    """A URL slug that transliterates Vietnamese, keeping đ as d (Django's slugify drops it)."""
    slug = slugify(fold_diacritics(text))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_plain_text(value):
    """NFC-normalised text without control characters, trimmed: for titles, leads, captions."""
    if not value:
        return ""
    return _CONTROL_CHARS.sub("", unicodedata.normalize("NFC", value)).strip()


_SPACES = re.compile(r"\s+")


def search_fold(text):
    """Text as search compares it: no diacritics, lower case, single spaces."""
    return _SPACES.sub(" ", fold_diacritics(html.unescape(text or "")).lower()).strip()


_WORD_RUN = re.compile(r"[^\W_]+")  # a word as the search indexes cut text: letters and digits


@functools.lru_cache(maxsize=4096)
def _fold_char(char):
    return fold_diacritics(char).lower()


def matched_spans(text, words):
    """Where ``text`` holds a word beginning with one of the folded ``words``, as search finds it
    (whatever the case and diacritics): [(start, end)] in ``text``, in order. Spans with only
    spaces between them are one: "Lao động" for the words [lao, dong]."""
    prefixes = tuple(word for word in words or () if word)
    if not text or not prefixes:
        return []
    folded, origin = [], []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    folded = "".join(folded)
    spans = []
    for match in _WORD_RUN.finditer(folded):
        if not match.group().startswith(prefixes):
            continue
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        while end < len(text) and not _fold_char(text[end]):  # a combining mark of the word
            end += 1
        if spans and not text[spans[-1][1] : start].strip():
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans
