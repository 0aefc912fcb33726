"""The one HTML sanitiser: every rich-text field passes through it on its way to the database.

The allowlist matches the editor's toolbar (settings.CKEDITOR_5_CONFIGS): paragraphs, headings,
bold, italic, links, lists, block quotes, tables and captioned images. Anything else (scripts,
styles, frames, SVG, event handlers, javascript: URLs) is removed.
"""

import functools
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "colgroup",
    "col",
}

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "data-image-id"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "ol": {"start", "reversed"},
}

ALLOWED_CLASSES = {
    "figure": {"image", "table", "image-style-side", "image_resized"},
    "p": {"caption"},
}

# Content of these is dropped with the tag, not kept as text.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "template",
    "noscript",
    "textarea",
    "select",
    "button",
    "form",
    "title",
}

URL_SCHEMES = {"http", "https", "mailto", "tel"}


# One save sanitises and reads the same body several times (the field, the derived fields,
# the photos it describes): each of these pure functions keeps its last few answers.
_REMEMBERED = 16


def sanitize_html(html):
    """Return ``html`` reduced to the editor's allowlist. Safe to call twice."""
    if not html:
        return ""
    return _sanitized(html)


@functools.lru_cache(maxsize=_REMEMBERED)
def _sanitized(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


class _ImageCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def body_images(html):
    """The attributes of every <img> in an HTML fragment, in order."""
    return [dict(attrs) for attrs in _body_images(html or "")]


@functools.lru_cache(maxsize=_REMEMBERED)
def _body_images(html):
    collector = _ImageCollector()
    collector.feed(html)
    collector.close()
    return tuple(collector.images)


class _FigureCollector(HTMLParser):
    """Every <img> with the text of the caption of the image figure it stands in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []  # [attrs, caption]
        self._figures = []  # open <figure>s: {"images": [...], "caption": [...] or None}
        self._caption_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "figure":
            classes = (dict(attrs).get("class") or "").split()
            self._figures.append({"images": [], "caption": [], "table": "table" in classes})
        elif tag == "img":
            entry = [dict(attrs), ""]
            self.found.append(entry)
            if self._figures and not self._figures[-1]["table"]:
                self._figures[-1]["images"].append(entry)
        elif tag == "figcaption" and self._figures:
            self._caption_depth += 1
        elif tag == "br" and self._caption_depth:
            self._figures[-1]["caption"].append(" ")

    def handle_endtag(self, tag):
        if tag == "figcaption" and self._caption_depth:
            self._caption_depth -= 1
        elif tag == "figure" and self._figures:
            figure = self._figures.pop()
            caption = " ".join("".join(figure["caption"]).split())
            for entry in figure["images"]:
                entry[1] = caption

    def handle_data(self, data):
        if self._caption_depth and self._figures:
            self._figures[-1]["caption"].append(data)


def body_figures(html):
    """(attributes, caption) of every <img> in an HTML fragment, in order: the caption is the
    plain text of the <figcaption> of the image figure it stands in, or ""."""
    return [(dict(attrs), caption) for attrs, caption in _body_figures(html or "")]


@functools.lru_cache(maxsize=_REMEMBERED)
def _body_figures(html):
    collector = _FigureCollector()
    collector.feed(html)
    collector.close()
    return tuple((attrs, caption) for attrs, caption in collector.found)
