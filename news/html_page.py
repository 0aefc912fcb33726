"""Turn saved HTML news pages into structured articles, by the text importer's rules.

A browser's "Save page as" leaves ``<stem>.html`` and a ``<stem>_files/`` folder with the
page's pictures. trafilatura finds the article among the menus, sidebars and footers and reads
the page's title; the page's own metadata (``og:``, ``article:published_time``, JSON-LD
``NewsArticle``) gives the title, times, author and address when it has them. The article's
lines are then read by ``news.parser.parse_page``, so dates, captions, bylines, credits and
sources follow the same Vietnamese rules as a text page. Figures are recognised in the markup
first (``<figure>``, a table holding a photo and its caption, an italic or "caption" paragraph
under a photo), so their captions stay with their pictures.

Pictures come only from files saved with the page, inside its folder; a remote address is never
fetched: the figure is left out and said so in ``skipped``. Like ``news.parser`` this module
knows nothing of Django.
"""

from __future__ import annotations

import codecs
import copy
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html
import trafilatura

from news.parser import (
    Figure,
    Paragraph,
    ParsedArticle,
    ParseError,
    Skipped,
    parse_date_line,
    parse_page,
)

__all__ = ["HtmlArticle", "decode_html", "parse_html_page"]


@dataclass
class HtmlArticle(ParsedArticle):
    """A ParsedArticle read from an HTML page.

    ``page_url`` is the page's own address (``<link rel="canonical">``, ``og:url`` or the
    browser's "saved from" note), which then says which page this is. ``image_files`` maps each
    figure's file name to the saved file it was read from.
    """

    page_url: str = ""
    image_files: dict[str, Path] = field(default_factory=dict)

    @property
    def source_url(self) -> str:
        return self.page_url or super().source_url


# --------------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------------

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_html(raw: bytes) -> str:
    """The page's text (NFC): by its BOM, else the charset its ``<meta>`` declares, else UTF-8.

    Raises ParseError for an empty or binary file and for bytes its charset cannot decode.
    """
    if not raw.strip():
        raise ParseError("tệp rỗng")
    codec = None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, codec = raw[len(bom) :], name
            break
    if codec is None:
        if b"\x00" in raw:
            raise ParseError("tệp nhị phân, không phải trang HTML (có byte NUL)")
        declared = _META_CHARSET_RE.search(raw[:4096])
        codec = "utf-8"
        if declared:
            try:
                codec = codecs.lookup(declared[1].decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                codec = "utf-8"
            if codec.startswith(("utf-16", "utf-32")):  # a page can't declare itself so in ASCII
                codec = "utf-8"
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as error:
        raise ParseError(
            f"không giải mã được theo {codec}: byte lỗi ở vị trí {error.start}"
        ) from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "<" not in text:
        raise ParseError("không phải trang HTML")
    return text


# --------------------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------------------

_ARTICLE_TYPES = frozenset(
    ("newsarticle", "article", "reportagenews", "blogposting", "analysisnewsarticle", "webpage")
)
_SECTION_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:cate|category|chuyen-?muc|section-name)(?:$|[\s_-])", re.I
)
_SAVED_FROM_RE = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)


@dataclass
class _Meta:
    title: str = ""
    headline: str = ""  # JSON-LD's, the most trusted
    description: str = ""
    published: datetime | date | None = None
    updated: datetime | date | None = None
    author: str = ""
    section: str = ""
    url: str = ""
    is_article: bool = False
    breadcrumb: str = ""  # the last section in the page's breadcrumb trail
    section_label: str = ""  # a short element classed as the article's section
    not_article: bool = False  # og:type or JSON-LD says it is a page of another kind


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def _stamp(value: object) -> datetime | date | None:
    """A metadata time (ISO 8601, or the forms Vietnamese sites print) read as the parser does."""
    text = _text(value)
    if not text:
        return None
    found = parse_date_line(text)
    return found.value if found is not None and not found.rest else None


def _json_ld_articles(root: lxml.html.HtmlElement) -> list[dict]:
    found = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kinds = node.get("@type", "")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.casefold() in _ARTICLE_TYPES for k in kinds):
                found.append(node)
            walk(node.get("@graph", []))

    for script in root.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            walk(json.loads(script.text or ""))
        except ValueError:
            continue  # a broken block says nothing; the page's other metadata may
    # A NewsArticle before a generic WebPage.
    found.sort(key=lambda node: str(node.get("@type", "")).casefold() == "webpage")
    return found


def _person_name(value: object) -> str:
    """The name of a JSON-LD author that is a person (an organisation is the site, not a byline)."""
    if isinstance(value, list):
        names = [_person_name(item) for item in value]
        return ", ".join(name for name in names if name)
    if isinstance(value, dict):
        if str(value.get("@type", "Person")).casefold() != "person":
            return ""
        return _text(value.get("name", ""))
    return _text(value)


def _read_meta(root: lxml.html.HtmlElement, text: str) -> _Meta:
    meta = _Meta()
    tags: dict[str, str] = {}
    for tag in root.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").casefold()
        if key and key not in tags and tag.get("content"):
            tags[key] = " ".join(tag.get("content").split())
    meta.title = tags.get("og:title") or tags.get("twitter:title", "")
    meta.description = tags.get("og:description") or tags.get("description", "")
    meta.published = _stamp(tags.get("article:published_time") or tags.get("datepublished"))
    meta.updated = _stamp(tags.get("article:modified_time") or tags.get("datemodified"))
    meta.section = tags.get("article:section", "")
    meta.is_article = tags.get("og:type", "").casefold() == "article" or bool(meta.published)
    for node in _json_ld_articles(root):
        meta.is_article = meta.is_article or str(node.get("@type", "")).casefold() != "webpage"
        meta.headline = meta.headline or _text(node.get("headline", ""))
        meta.published = meta.published or _stamp(node.get("datePublished"))
        meta.updated = meta.updated or _stamp(node.get("dateModified"))
        meta.author = meta.author or _person_name(node.get("author"))
        meta.description = meta.description or _text(node.get("description", ""))
        section = node.get("articleSection")
        meta.section = meta.section or _text(section[0] if isinstance(section, list) else section)
        page = node.get("mainEntityOfPage")
        page = page.get("@id", "") if isinstance(page, dict) else page
        meta.url = meta.url or _text(node.get("url", "")) or _text(page or "")
    for trail in root.xpath(
        '//*[contains(translate(@class, "BREADCUM", "breadcum"), "breadcrumb")]'
    ):
        items = [
            _words(item.text_content())
            for item in trail.xpath(".//a | .//li[not(.//a)]")
            if _fold(item.text_content()) not in ("", "trang chủ", "home")
        ]
        if items:
            meta.breadcrumb = items[-1]
            break
    for label in root.xpath("//body//*[@class]"):
        if _SECTION_CLASS_RE.search(label.get("class")):
            words = _words(label.text_content())
            if words and len(words.split()) <= 5:
                meta.section_label = words
                break
    og_type = tags.get("og:type", "").casefold()
    meta.not_article = not meta.is_article and og_type in ("website", "profile", "book")
    canonical = root.xpath('//link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href')
    saved_from = _SAVED_FROM_RE.search(text[:2048])
    for address in (
        *canonical,
        tags.get("og:url", ""),
        meta.url,
        saved_from[1] if saved_from else "",
    ):
        if address.startswith(("http://", "https://")):
            meta.url = address.strip()
            break
    else:
        meta.url = ""
    return meta


# --------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------

_FIGURE_MARK = "htmlpagefig{}.jpg"
_TOKEN_RE = re.compile(r"^htmlpagefig(\d+)\.jpg$")
_CAPTION_CLASS_RE = re.compile(r"caption|desc|chu-?thich|chuthich|note|image|photo|expEdit", re.I)
_IMAGE_ATTRS = ("src", "data-src", "data-original", "data-lazy-src", "data-srcset", "srcset")
_CAPTION_MAX_WORDS = 60


@dataclass
class _Picture:
    sources: list[str]
    caption: str


def _words(text: str) -> str:
    return " ".join(text.split())


def _element_text(element: lxml.html.HtmlElement) -> str:
    """An element's text with line breaks between its block children and at ``<br>``."""
    return "\n".join(_lines(element))


def _img_sources(img: lxml.html.HtmlElement) -> list[str]:
    sources = []
    for name in _IMAGE_ATTRS:
        value = (img.get(name) or "").strip()
        if name.endswith("srcset"):
            value = value.split(",")[0].strip().split(" ")[0]
        if value and value not in sources:
            sources.append(value)
    return sources


def _is_italic_only(element: lxml.html.HtmlElement) -> bool:
    """A paragraph whose whole text is in italics, as many CMSs print a caption."""
    text = _words(element.text_content())
    if not text:
        return False
    italic = "".join(
        node.text_content() for node in element.iter("em", "i") if node.getparent() is not None
    )
    style = (element.get("style") or "").replace(" ", "").casefold()
    return len(_words(italic)) >= len(text) - 2 or "font-style:italic" in style


def _caption_after(block: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element right after a photo's block that is its caption, if there is one."""
    following = block.getnext()
    if following is None or following.tag not in ("p", "div", "span", "em", "i", "figcaption"):
        return None
    text = _words(following.text_content())
    if not text or len(text.split()) > _CAPTION_MAX_WORDS or following.find(".//img") is not None:
        return None
    if _CAPTION_CLASS_RE.search(following.get("class") or "") or _is_italic_only(following):
        return following
    return None


def _photo_block(img: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The largest element around a photo that holds nothing else (no text, no other photo)."""
    block = img
    parent = img.getparent()
    while (
        parent is not None
        and parent.tag in ("p", "div", "a", "span", "center", "strong", "b", "picture", "td")
        and not _words(parent.text_content())
        and len(parent.findall(".//img")) == 1
    ):
        block, parent = parent, parent.getparent()
    return block


def _replace(old: lxml.html.HtmlElement, index: int) -> None:
    """Put a placeholder paragraph holding an ``<img>`` with the figure's token where it was."""
    holder = lxml.html.Element("p")
    lxml.etree.SubElement(holder, "img", src=_FIGURE_MARK.format(index))
    holder.tail = old.tail
    old.getparent().replace(old, holder)


def _mark_figures(root: lxml.html.HtmlElement) -> list[_Picture]:
    """Find the photos and their captions in the markup, and leave a token in each one's place."""
    pictures: list[_Picture] = []
    body = root.find("body")
    if body is None:
        return pictures

    def take(element: lxml.html.HtmlElement, img: lxml.html.HtmlElement, caption: str) -> None:
        pictures.append(_Picture(_img_sources(img), caption))
        _replace(element, len(pictures) - 1)

    for figure in list(body.iter("figure")):
        img = figure.find(".//img")
        if img is None or figure.getparent() is None:
            continue
        caption_node = figure.find(".//figcaption")
        if caption_node is None:
            caption_node = next(
                (n for n in figure.iter() if _CAPTION_CLASS_RE.search(n.get("class") or "")),
                None,
            )
        caption = _element_text(caption_node) if caption_node is not None else ""
        take(figure, img, caption)
    for table in list(body.iter("table")):
        images = table.findall(".//img")
        text = _words(table.text_content())
        if (
            len(images) == 1
            and len(text.split()) <= _CAPTION_MAX_WORDS
            and table.getparent() is not None
        ):
            cells = [c for c in table.iter("td", "th", "caption") if _words(c.text_content())]
            caption = "\n".join(_element_text(c) for c in cells if c.find(".//td") is None)
            take(table, images[0], caption)
    for img in list(body.iter("img")):
        if _TOKEN_RE.match(img.get("src") or "") or img.getparent() is None:
            continue
        block = _photo_block(img)
        caption_node = _caption_after(block) if block is not img else None
        caption = ""
        if caption_node is not None:
            caption = _element_text(caption_node)
            caption_node.drop_tree()
        if block is img:  # a photo inside a line of text: keep the text, put the photo after it
            pictures.append(_Picture(_img_sources(img), ""))
            img.set("src", _FIGURE_MARK.format(len(pictures) - 1))
        else:
            take(block, img, caption)
    return pictures


@dataclass
class _Resolved:
    name: str | None
    path: Path | None
    skipped: Skipped | None


def _resolve(picture: _Picture, base_dir: Path | None) -> _Resolved:
    """Where a picture's file is: a file saved with the page, inside its folder (any of the
    image's addresses may name it: a lazy-loaded photo's saved file is often in data-src), or
    nowhere. Addresses of other sites, root paths and file: URLs are never read."""
    remote = missing = ""
    root = base_dir.resolve() if base_dir is not None else None
    for source in picture.sources:
        if source.startswith("data:"):
            continue
        parts = urlsplit(source)
        if parts.scheme or parts.netloc or source.startswith("/"):
            remote = remote or source
            continue
        relative = unquote(parts.path)
        if not relative.replace("\\", "/").rsplit("/", 1)[-1]:
            continue
        if root is not None:
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return _Resolved(candidate.name, candidate, None)
        missing = missing or source
    if missing:
        name = unquote(urlsplit(missing).path).replace("\\", "/").rsplit("/", 1)[-1]
        return _Resolved(name, None, Skipped(missing, "image file not saved with the page"))
    if remote:
        return _Resolved(None, None, Skipped(remote, "remote image, not fetched"))
    shown = picture.sources[0][:60] + "…" if picture.sources else ""
    return _Resolved(None, None, Skipped(shown, "embedded image (data: URI), not imported"))


# --------------------------------------------------------------------------------------------------
# Lines of text
# --------------------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "head",
        "iframe",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "object",
        "embed",
        "canvas",
        "map",
    ]
)


def _lines(element: lxml.html.HtmlElement) -> list[str]:
    """The element's text as a reader sees it: one line per block, ``<br>`` breaking a line."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _words("".join(current))
        if text:
            lines.append(text)
        current.clear()

    def walk(node: lxml.html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:
            return
        block = tag in _BLOCK_TAGS
        if block or tag == "br":
            flush()
        if tag == "img" and _TOKEN_RE.match(node.get("src") or ""):
            flush()
            lines.append(node.get("src"))
        if node.text and tag != "br":
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(element)
    flush()
    return lines


def _body_lines(body: lxml.etree._Element, pictures: list[_Picture]) -> list[str]:
    """Lines of trafilatura's article: paragraphs, headings, list items, rows, and each figure's
    mark followed by its caption on one line, as a text page prints a photo."""
    lines: list[str] = []

    def walk(node: lxml.etree._Element, current: list[str]) -> None:
        for child in node:
            tag = child.tag
            if tag == "graphic":
                _flush(current, lines)
                mark = child.get("src") or ""
                lines.append(mark)
                number = _TOKEN_RE.match(mark)
                if number and pictures[int(number[1])].caption:
                    lines.append(_words(pictures[int(number[1])].caption))
            elif tag in ("p", "head", "item", "quote", "list", "table", "row", "cell"):
                # Old portals lay whole pages out in tables: a cell is a block, not a value.
                _flush(current, lines)
                if child.text:
                    current.append(child.text)
                walk(child, current)
                _flush(current, lines)
            elif tag == "lb":
                _flush(current, lines)
            else:
                if child.text:
                    current.append(child.text)
                walk(child, current)
            if child.tail:
                current.append(child.tail)

    walk(body, [])
    return [line for line in lines if line]


def _flush(current: list[str], lines: list[str]) -> None:
    text = _words("".join(current))
    current.clear()
    if text:
        lines.append(text)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .:-–|")


# --------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------

_HEADER_LINES = 8
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_RUNNING_TEXT_WORDS = 20  # lines of the page read before the article: kicker, headline, date, lead
_TITLE_SEPARATORS_RE = re.compile(r"\s+[-–|»:]\s+")


def parse_html_page(raw: bytes, base_dir: Path | None = None) -> HtmlArticle:
    """Parse a saved HTML page into an HtmlArticle.

    ``base_dir`` is the folder the page lies in; pictures are taken only from files inside it
    (the ``<stem>_files/`` folder a browser writes, or another path relative to the page).
    Raises ParseError, with a one-line reason, for a page that is not an article.
    """
    text = decode_html(raw)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION_RE.sub("", text, count=1))
        meta = _read_meta(root, text)
        pictures = _mark_figures(root)
        extracted = trafilatura.bare_extraction(
            copy.deepcopy(root),
            include_images=True,
            include_comments=False,
            include_tables=True,
            include_links=False,
            with_metadata=False,  # read below from the page itself, with times and zones
        )
    except (lxml.etree.LxmlError, ValueError, TypeError, RecursionError) as error:
        reason = " ".join(str(error).split())[:120] or type(error).__name__
        raise ParseError(f"không đọc được trang HTML: {reason}") from None
    if extracted is None or extracted.body is None:
        raise ParseError("không phải trang bài viết: không tìm thấy nội dung bài")
    content = _body_lines(extracted.body, pictures)
    if not any(not _TOKEN_RE.match(line) for line in content):
        raise ParseError("không phải trang bài viết: không tìm thấy nội dung bài")

    page = _lines(root.find("body") if root.find("body") is not None else root)
    title = _choose_title(meta, page)
    header, content = _header(page, content, title)
    stamp = meta.published
    lines = header
    if title and _fold(title) not in {_fold(line) for line in header}:
        lines = [title, *header]
    if isinstance(stamp, datetime) and not any(parse_date_line(line) for line in header[:4]):
        lines.insert(lines.index(title) + 1 if title in lines else 0, stamp.isoformat())
    lines.extend(content)
    article = parse_page("\n".join(lines))
    if title and _fold(article.title) != _fold(title):
        # The text rules chose another line; the metadata's headline is the page's own word.
        article.title = title
    if not _is_article(article, meta):
        raise ParseError("không phải trang bài viết: chỉ có danh sách tin hoặc phần điều hướng")
    return _finish(article, meta, pictures, base_dir)


def _choose_title(meta: _Meta, page: list[str]) -> str:
    """The headline: JSON-LD's, else og:title's, without a " - Site name" tail the page's own
    heading lacks; "" when the page has no metadata (the text rules then choose)."""
    folded = {_fold(line) for line in page}
    for candidate in (meta.headline, meta.title):
        if not candidate:
            continue
        if _fold(candidate) not in folded:
            for separator in reversed(list(_TITLE_SEPARATORS_RE.finditer(candidate))):
                if _fold(candidate[: separator.start()]) in folded:
                    return candidate[: separator.start()]
        return candidate
    # Without metadata the text rules choose: trafilatura's guess is often the site's name.
    return ""


def _header(page: list[str], content: list[str], title: str) -> tuple[list[str], list[str]]:
    """The page's lines before the article that belong to it (kicker, headline, date, byline,
    lead), and the article's lines. The article starts where trafilatura's first text does."""
    if title:
        # trafilatura often keeps the headline as the article's first line.
        for k, line in enumerate(content[:_HEADER_LINES]):
            if _fold(line) == _fold(title):
                content = content[k + 1 :]
                break
    start = None
    folded = [_fold(line) for line in page]
    for line in content[:_HEADER_LINES]:
        if _TOKEN_RE.match(line) or not _fold(line):
            continue
        wanted = _fold(line)
        start = next((i for i, text in enumerate(folded) if text == wanted), None)
        if start is None:
            start = next((i for i, text in enumerate(folded) if text.startswith(wanted[:60])), None)
        if start is not None:
            break
    if start is None:
        return [], content
    header_from = max(0, start - _HEADER_LINES)
    if title:
        matches = [i for i in range(start) if _fold(page[i]) == _fold(title)]
        if matches:
            # The headline and what is printed between it and the article; a date printed
            # just above the headline too.
            header_from = matches[-1]
            if header_from > 0 and parse_date_line(page[header_from - 1]):
                header_from -= 1
    header = [line for line in page[header_from:start] if not _TOKEN_RE.match(line)]
    # A photo printed above the headline (a logo, a banner) is not the article's.
    above = {line for line in page[:header_from] if _TOKEN_RE.match(line)}
    content = [line for line in content if line not in above]
    return header, content


def _is_article(article: ParsedArticle, meta: _Meta) -> bool:
    """False for a list of headlines (a section's front page): no metadata says article,
    nothing reads as running text, and either the metadata says another kind of page or there
    is no date."""
    if meta.is_article:
        return True
    if article.published_at is not None and not meta.not_article:
        return True
    paragraphs = [article.lead] + [b.text for b in article.blocks if isinstance(b, Paragraph)]
    return any(_is_running_text(text) for text in paragraphs)


def _is_running_text(text: str) -> bool:
    """Sentences, not a run of headlines and dates glued together."""
    return len(text.split()) >= _RUNNING_TEXT_WORDS and text.rstrip("”\"' )").endswith(
        (".", "!", "?", "…")
    )


def _finish(
    article: ParsedArticle, meta: _Meta, pictures: list[_Picture], base_dir: Path | None
) -> HtmlArticle:
    skipped = list(article.skipped)
    files: dict[str, Path] = {}
    blocks: list[Paragraph | Figure] = []
    lead = article.lead
    for block in article.blocks:
        token = _TOKEN_RE.match(block.file or "") if isinstance(block, Figure) else None
        if token is None:
            if (
                isinstance(block, Paragraph | Figure)
                and blocks
                and _is_caption_of(blocks[-1], block)
            ):
                continue  # the structural caption the text rules also read as text
            blocks.append(block)
            continue
        picture = pictures[int(token[1])]
        caption = _join_caption(picture.caption, block.caption)
        found = _resolve(picture, base_dir)
        if found.skipped is not None:
            skipped.append(found.skipped)
        if found.name is None:
            if caption:
                blocks.append(Figure(None, caption))
            continue
        name = found.name
        if found.path is not None:
            stem, dot, suffix = name.rpartition(".")
            n = 2
            while name in files and files[name] != found.path:
                name = f"{stem}-{n}{dot}{suffix}"
                n += 1
            files[name] = found.path
        blocks.append(_StructuralFigure(name, caption, picture.caption))
    if lead and _TOKEN_RE.match(lead):
        lead = ""
    published = _best_stamp(meta.published, article.published_at)
    updated = meta.updated if isinstance(meta.updated, datetime) else article.updated_at
    return HtmlArticle(
        title=article.title,
        published_at=published,
        updated_at=updated,
        category=(
            article.category
            or meta.section
            or _section(meta.breadcrumb, article.title)
            or _section(meta.section_label, article.title)
        ),
        author=meta.author or article.author,
        lead=lead,
        blocks=[Figure(b.file, b.caption) if isinstance(b, Figure) else b for b in blocks],
        skipped=skipped,
        source=article.source,
        page_url=meta.url,
        image_files=files,
    )


def _section(breadcrumb: str, title: str) -> str | None:
    """A breadcrumb's last item as the section, unless it is the headline itself."""
    if not breadcrumb or _fold(breadcrumb) == _fold(title) or len(breadcrumb.split()) > 8:
        return None
    return breadcrumb


@dataclass
class _StructuralFigure(Figure):
    printed: str = ""  # the caption read from the markup, which the text may repeat


def _is_caption_of(previous: Paragraph | Figure, block: Paragraph | Figure) -> bool:
    if not isinstance(previous, _StructuralFigure) or not previous.printed:
        return False
    text = block.text if isinstance(block, Paragraph) else block.caption
    return isinstance(block, Paragraph | Figure) and _fold(text) in (
        _fold(previous.printed),
        _fold(previous.caption),
    )


def _join_caption(printed: str, read: str) -> str:
    """The markup's caption, with a credit line the text rules joined to it kept."""
    printed = "\n".join(line for line in printed.split("\n") if line.strip())
    if not printed:
        return read
    if read and _fold(read).startswith(_fold(printed)):
        return read
    return printed


def _best_stamp(
    from_meta: datetime | date | None, printed: datetime | date | None
) -> datetime | date | None:
    """A time from the metadata, else the printed one; a bare date only when neither has a time."""
    for value in (from_meta, printed):
        if isinstance(value, datetime):
            return value
    return from_meta or printed
