"""The language versions of a page (hreflang and the language switch) and the about pages."""

import contextlib
import unicodedata
from typing import NamedTuple

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from agency.models import AgencyPage

register = template.Library()


class LanguageVersion(NamedTuple):
    code: str
    name: str  # in its own language: "Tiếng Việt", "English"
    url: str  # absolute
    is_current: bool
    is_default: bool  # settings.LANGUAGE_CODE, also announced as hreflang="x-default"
    is_equivalent: bool  # the same page in that language, not just that language's home page


def _paths_of_route(request):
    """{language: path} of the route this request matched, in every language it reverses in."""
    match = getattr(request, "resolver_match", None)
    paths = {}
    if match is None:
        return paths
    for code, _name in settings.LANGUAGES:
        # A route missing in that language leaves the page without a counterpart there.
        with translation.override(code), contextlib.suppress(NoReverseMatch):
            paths[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    return paths


def _absolute(request, path):
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:  # the 400 page for a Host that is not ours: no absolute links from it
        return path


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in every language, for ``<link rel="alternate" hreflang>`` and the switch.

    Views that know better (an article exists in one language only, an agency page in the
    languages it was written in) put ``language_versions`` ({code: path}) in the context. Other
    pages rendered by a view exist in every language at the translated address of their route.
    Pages without a view (the 404 page) have none: the switch leads to each language's home.
    """
    request = context["request"]
    paths = context.get("language_versions")
    if paths is None:
        paths = _paths_of_route(request) if "view" in context else {}
    current = translation.get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        path = paths.get(code)
        equivalent = path is not None
        if not equivalent:
            with translation.override(code):
                path = reverse("news:home")
        versions.append(
            LanguageVersion(
                code=code,
                # Django spells "Tiếng Việt" decomposed; pages are NFC throughout.
                name=unicodedata.normalize(
                    "NFC", translation.get_language_info(code)["name_local"]
                ),
                url=_absolute(request, path),
                is_current=code == current,
                is_default=code == settings.LANGUAGE_CODE,
                is_equivalent=equivalent,
            )
        )
    return versions


@register.simple_tag
def about_pages():
    """The agency's published pages in the active language, in order."""
    return list(AgencyPage.objects.published().in_language(translation.get_language()))
