"""Formatting for the reader site: Vietnamese dates, image alt text, page links, JSON-LD."""

import json
import re

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from news.models import Image
from news.text import matched_spans

register = template.Library()

# Python's weekday(): Monday is 0. Written out so the page never depends on the server's locale.
WEEKDAYS = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ Nhật"),
)
WEEKDAYS_SHORT = (_("T2"), _("T3"), _("T4"), _("T5"), _("T6"), _("T7"), _("CN"))

# The escapes Django's json_script uses: nothing in the data can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _local(value):
    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def weekday_date(value):
    """A date as the day pages print it: "Thứ Năm, 17/10/2019"."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = _local(value)
    return f"{WEEKDAYS[value.weekday()]}, {value:%d/%m/%Y}"


@register.filter
def news_time(value, date_only=False):
    """A publication time as the source pages print it: "21:50 | 17/10/2019" (GMT+7).

    ``date_only`` (a page that printed only its date) gives the date alone: "13/09/2023".
    """
    if not value:
        return ""
    if date_only:
        return f"{_local(value):%d/%m/%Y}"
    return f"{_local(value):%H:%M | %d/%m/%Y}"


@register.filter
def html_datetime(value):
    """A moment for ``<time datetime>``: local time to the second, "2024-05-15T10:00:00+07:00".
    (Django's ``date:'c'`` keeps microseconds, and HTML allows at most milliseconds.)"""
    if not value:
        return ""
    return _local(value).replace(microsecond=0).isoformat()


@register.filter
def mark_words(value, words):
    """``value`` with the words that search matched (``words``: the query's folded words)
    wrapped in ``<mark>``, whatever their case and diacritics. Built from escaped pieces; without
    words, ``value`` is left to autoescaping."""
    spans = matched_spans(value, words) if isinstance(value, str) and words else []
    if not spans:
        return value
    parts, last = [], 0
    for start, end in spans:
        parts.append(conditional_escape(value[last:start]))
        parts.append(format_html("<mark>{}</mark>", value[start:end]))
        last = end
    parts.append(conditional_escape(value[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped above


@register.simple_tag
def image_alt(image, fallback=""):
    """An image's alternative text: its own, else its caption, else ``fallback`` (the title)."""
    return (image and (image.alt_text or image.caption)) or fallback


@register.inclusion_tag("news/includes/card.html")
def article_card(
    article,
    level=3,
    show_image=False,
    show_lead=False,
    show_section=False,
    lead=False,
    marked_words=None,
):
    """One article in a list, or (``lead``) the home page's lead story: news/includes/card.html.

    The template gets ``article`` itself, so a new field shows on cards by naming it there; what
    is read here is what every card prints, prepared once: lists render dozens of cards, and each
    look-up and filter in a template costs more than the same in Python.
    """
    image = article.card_image
    picture = ""
    if image is not None and (lead or show_image):
        sizes = LEAD_SIZES if lead else CARD_SIZES
        picture = responsive_image(
            image,
            image_alt(image, article.title),
            sizes,
            "lead-story__image" if lead else "card__image",
            not lead,
        )
    category = article.category
    text = article.lead if (lead or show_lead) else ""
    if text and not lead:
        text = Truncator(text).words(45, truncate=" …")
    title = article.title
    if marked_words:
        title, text = mark_words(title, marked_words), mark_words(text, marked_words)
    return {
        "article": article,
        "lead": lead,
        "heading": f"h{level}",
        "url": article.get_absolute_url(),
        "title": title,
        "text": text,
        "picture": picture,
        "moment": html_datetime(article.published_at),
        "shown_time": news_time(article.published_at, article.date_only),
        "section": category if (lead or show_section) else None,
    }


LEAD_SIZES = "(min-width: 72rem) 40rem, (min-width: 45em) 60vw, 100vw"
CARD_SIZES = "(min-width: 45em) 11rem, 7.5rem"


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL's query string with ``trang`` set to ``number`` (left out for page 1;
    ``number`` may be news.pagination.LAST_PAGE).

    Only the parameters the page read are kept (portal.caching.pages.ReadQueryDict): a link
    never carries a tracking parameter or anything else the page ignored.
    """
    query = context["request"].GET
    read = getattr(query, "read", None)
    params = query.copy()
    for name in list(params):
        if name == "trang" or (read is not None and name not in read):
            del params[name]
    if str(number) != "1":
        params["trang"] = number
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def responsive_image(image, alt, sizes="100vw", css_class="", lazy=True):
    """A <picture> of an Image's stored renditions: WebP where the browser takes it, else JPEG.

    Lists and phones never download the original, which may be many megabytes: ``sizes`` says
    how wide the picture is shown, and the browser picks the smallest copy that fits.
    """
    if not image or not image.file:
        return ""
    jpeg = image.renditions("jpeg")
    if not jpeg:  # no renditions (yet): the original alone
        return format_html(
            '<picture><img src="{}" alt="{}"{}{}{} decoding="async"></picture>',
            image.file.url,
            alt,
            _attribute("class", css_class),
            _size(image.width, image.height),
            _LAZY if lazy else "",
        )
    width = jpeg[-1][1]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" alt="{}"{} srcset="{}" sizes="{}"{}{} decoding="async"></picture>',
        image.srcset("webp"),
        sizes,
        jpeg[min(1, len(jpeg) - 1)][0],
        alt,
        _attribute("class", css_class),
        image.srcset("jpeg"),
        sizes,
        _size(width, image.height_for(width)),
        _LAZY if lazy else "",
    )


_LAZY = mark_safe(' loading="lazy"')


def _attribute(name, value):
    return format_html(' {}="{}"', name, value) if value else ""


def _size(width, height):
    return format_html(' width="{}" height="{}"', width, height) if width and height else ""


@register.filter
def elided_page_range(page_obj):
    """Page numbers around the current page, with Paginator.ELLIPSIS for the gaps.

    When the paginator stopped counting (WindowedPaginator), the range ends in an ellipsis
    instead of a "last page" that is not the last.
    """
    paginator = page_obj.paginator
    pages = list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))
    if getattr(paginator, "is_capped", False):
        pages = [p for p in pages if p == paginator.ELLIPSIS or p <= page_obj.number + 2]
        if pages[-1] != paginator.ELLIPSIS:
            pages.append(paginator.ELLIPSIS)
    return pages


@register.filter
def last_page(page_obj):
    """How a link names ``page_obj``'s last page: its number, or news.pagination.LAST_PAGE when
    the paginator stopped counting before it."""
    paginator = page_obj.paginator
    return getattr(paginator, "last_page", paginator.num_pages)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without its query string, but with ``trang`` past the first page."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page_obj = context.get("page_obj")
    if page_obj is not None and page_obj.number > 1:
        url += f"?trang={page_obj.number}"
    return url


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, site_name):
    """A schema.org NewsArticle for search engines, safe to place in a <script> element."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "inLanguage": article.language,
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "articleSection": article.category.display_name,
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": str(site_name),  # a lazy value from the site's identity
            "url": request.build_absolute_uri("/"),
        },
    }
    if article.published_at:
        data["datePublished"] = timezone.localtime(article.published_at).isoformat()
        data["dateModified"] = timezone.localtime(
            max(article.published_at, article.updated_at)  # a scheduled article was saved before
        ).isoformat()
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    image = article.featured_image
    if image and image.file:
        data["image"] = [request.build_absolute_uri(image.file.url)]
    # As django.utils.html.json_script does: with <, > and & escaped, no title can end the element.
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


# Article bodies: images swapped for their renditions when the page is rendered. Stored bodies are
# sanitised (news/sanitize.py), so their <img> tags have a known, double-quoted shape.
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
BODY_SIZES = "(min-width: 72rem) 48rem, 100vw"


def _media_name(src):
    prefix = settings.MEDIA_URL
    if src.startswith(prefix):
        return src[len(prefix) :]
    return None


@register.filter
def with_renditions(body, loading="lazy"):
    """An article body whose library images are served as renditions.

    Images are found by ``data-image-id`` (the importer) or by their media URL (the editor), in
    one query. A photo with no file (an image recorded without its file yet, or an <img> without
    an address) leaves no empty frame: its figure becomes its caption as a line of text, or
    nothing when it has none.
    """
    tags = [(match, dict(_ATTR.findall(match.group(0)))) for match in _IMG_TAG.finditer(body)]
    if not tags:
        return mark_safe(body)  # noqa: S308 - stored bodies are sanitised on save
    library_image, has_no_file = _library(tags)
    if any(has_no_file(attrs) for _m, attrs in tags):
        body = _without_empty_figures(body, has_no_file)
        tags = [(match, dict(_ATTR.findall(match.group(0)))) for match in _IMG_TAG.finditer(body)]

    parts, last = [], 0
    for match, attrs in tags:
        image = library_image(attrs)
        parts.append(body[last : match.start()])
        if image is None:
            parts.append(match.group(0) if attrs.get("src") else "")
        else:
            alt = attrs.get("alt") or image.alt_text or image.caption
            parts.append(responsive_image(image, alt, BODY_SIZES, lazy=loading == "lazy"))
        last = match.end()
    parts.append(body[last:])
    return mark_safe("".join(parts))  # noqa: S308 - built from sanitised HTML and escaped values


@register.filter
def without_missing_photos(body):
    """An article body whose figures without a photo file are their caption as text, or
    nothing (as with_renditions shows them), the images left as they are: for the copy a
    reader saves (article_download.html). One query, none for a body without images."""
    tags = [dict(_ATTR.findall(match.group(0))) for match in _IMG_TAG.finditer(body)]
    if tags:
        _library_image, has_no_file = _library([(None, attrs) for attrs in tags])
        if any(has_no_file(attrs) for attrs in tags):
            body = _without_empty_figures(body, has_no_file)
    return mark_safe(body)  # noqa: S308 - stored bodies are sanitised on save


def _library(tags):
    """For the <img> attributes in ``tags`` ([(match, attrs)]), in one query:
    ``library_image(attrs)``, the library's record of that image or None, and
    ``has_no_file(attrs)``, whether it has no photo to show."""
    ids = {int(a["data-image-id"]) for _m, a in tags if a.get("data-image-id", "").isdigit()}
    names = {n for _m, a in tags if (n := _media_name(a.get("src", "")))}
    found = Image.objects.filter(pk__in=ids) | Image.objects.filter(file__in=names)
    by_id = {image.pk: image for image in found}
    by_name = {image.file.name: image for image in by_id.values() if image.file}

    def library_image(attrs):
        image_id = attrs.get("data-image-id", "")
        image = by_id.get(int(image_id)) if image_id.isdigit() else None
        return image or by_name.get(_media_name(attrs.get("src", "")) or "")

    def has_no_file(attrs):
        image = library_image(attrs)
        return not image.file if image is not None else not attrs.get("src")

    return library_image, has_no_file


# A figure with no figure inside it, and its caption. CKEditor's image figures hold an <img>
# and a <figcaption> of inline text; a table's figure holds a <table>, and is left alone.
_INNERMOST_FIGURE = re.compile(r"<figure\b[^>]*>(?:(?!<figure\b|</figure>).)*</figure>", re.S)
_FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)


def _without_empty_figures(body, has_no_file):
    """``body`` with each figure whose photo has no file replaced by its caption, as the
    importer writes a caption printed without a photo (``<p class="caption">``), or removed."""

    def replace(match):
        figure = match.group(0)
        images = [dict(_ATTR.findall(img.group(0))) for img in _IMG_TAG.finditer(figure)]
        if "<table" in figure or not images or not all(has_no_file(a) for a in images):
            return figure
        caption = _FIGCAPTION.search(figure)
        if caption is None or not caption.group(1).strip():
            return ""
        return f'<p class="caption">{caption.group(1)}</p>'

    return _INNERMOST_FIGURE.sub(replace, body)
