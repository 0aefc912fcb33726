"""Durations as readers and machines read them, and a video's description for search engines."""

import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As news_tags.article_json_ld and Django's json_script escape: nothing can close the element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _parts(value):
    seconds = int(value.total_seconds())
    return seconds // 3600, seconds % 3600 // 60, seconds % 60


@register.filter
def clock_duration(value):
    """A duration as players print it: "3:05", "1:02:03"; "" for none."""
    if not value:
        return ""
    hours, minutes, seconds = _parts(value)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


@register.filter
def iso_duration(value):
    """A duration for ``<time datetime>`` and schema.org: "PT3M5S"; "" for none."""
    if not value:
        return ""
    hours, minutes, seconds = _parts(value)
    return (
        "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{seconds}S"
    )


@register.simple_tag(takes_context=True)
def video_json_ld(context, video):
    """A schema.org VideoObject, safe to place in a <script> element."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": video.title,
        "description": video.description or video.title,
        "uploadDate": timezone.localtime(video.published_at).isoformat(),
        "contentUrl": request.build_absolute_uri(video.file.url),
        "encodingFormat": video.mime_type,
    }
    if video.poster_url:
        data["thumbnailUrl"] = [request.build_absolute_uri(video.poster_url)]
    if video.duration:
        data["duration"] = iso_duration(video.duration)
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
