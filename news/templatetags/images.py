"""Responsive images: a <picture> with WebP and JPEG renditions, and article bodies rewritten to use
them when the page is rendered."""

import re

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from news.models import Image

register = template.Library()

# Bodies are stored sanitised (news/sanitize.py), so their <img> tags have a known, quoted shape.
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')

BODY_SIZES = "(max-width: 760px) 100vw, 720px"


def picture(image, alt, sizes, loading="lazy", css_class=""):
    """HTML for one library image: WebP for browsers that take it, JPEG otherwise."""
    if image is None or not image.file or not image.width:
        return ""
    jpeg = image.renditions("jpeg")
    fallback_url, fallback_width = jpeg[min(1, len(jpeg) - 1)]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}"'
        ' decoding="async"{}></picture>',
        image.srcset("webp"),
        sizes,
        fallback_url,
        image.srcset("jpeg"),
        sizes,
        fallback_width,
        image.height_for(fallback_width),
        alt or image.alt_text or image.caption,
        loading,
        mark_safe(f' class="{escape(css_class)}"') if css_class else "",  # noqa: S308
    )


@register.simple_tag
def responsive_image(image, sizes="100vw", alt="", loading="lazy", css_class=""):
    """{% responsive_image article.featured_image sizes="…" loading="eager" %}"""
    return picture(image, alt, sizes, loading, css_class)


def _media_name(src):
    prefix = settings.MEDIA_URL
    if src.startswith(prefix):
        return src[len(prefix) :]
    return None


@register.filter
def with_renditions(body, loading="lazy"):
    """An article body whose library images are served as renditions.

    Images are found by ``data-image-id`` (the importer) or by their media URL (the editor), in
    one query. An image recorded without its file yet shows nothing but its caption.
    """
    tags = [(match, dict(_ATTR.findall(match.group(0)))) for match in _IMG_TAG.finditer(body)]
    if not tags:
        return mark_safe(body)  # noqa: S308 - stored bodies are sanitised on save
    ids = {int(a["data-image-id"]) for _m, a in tags if a.get("data-image-id", "").isdigit()}
    names = {n for _m, a in tags if (n := _media_name(a.get("src", "")))}
    found = Image.objects.filter(pk__in=ids) | Image.objects.filter(file__in=names)
    by_id = {image.pk: image for image in found}
    by_name = {image.file.name: image for image in by_id.values() if image.file}

    parts, last = [], 0
    for match, attrs in tags:
        image_id = attrs.get("data-image-id", "")
        image = by_id.get(int(image_id)) if image_id.isdigit() else None
        image = image or by_name.get(_media_name(attrs.get("src", "")) or "")
        parts.append(body[last : match.start()])
        if image is None:
            parts.append(match.group(0) if attrs.get("src") else "")
        else:
            parts.append(picture(image, attrs.get("alt", ""), BODY_SIZES, loading))
        last = match.end()
    parts.append(body[last:])
    return mark_safe("".join(parts))  # noqa: S308 - built from sanitised HTML and escaped values
