"""The ministry's own pages, the accessibility statement, the reader's display choices, and the
favicon."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from portal.caching.fragments import fragment

from .frame import site_frame
from .icons import favicon
from .models import AgencyPage, Leader, OrganisationUnit
from .preferences import (
    CONTRAST_CLASSES,
    CONTRAST_COOKIE,
    COOKIE_MAX_AGE,
    NORMAL,
    TEXT_SIZE_CLASSES,
    TEXT_SIZE_COOKIE,
)


def every_language(url_name, **kwargs):
    """{language: path} of a page that exists in every language."""
    versions = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            versions[code] = reverse(url_name, kwargs=kwargs)
    return versions


class AgencyPageMixin:
    model = AgencyPage
    extra_context = {"is_about_page": True}

    def get_queryset(self):
        return AgencyPage.objects.published().in_language(translation.get_language())


class AgencyPageListView(AgencyPageMixin, ListView):
    """/gioi-thieu/ (/en/about/): the agency's pages in order, then the accessibility statement."""

    context_object_name = "pages"


class AgencyPageDetailView(AgencyPageMixin, DetailView):
    """One page, with the block it asks for: the organisation tree, the leaders or the contacts."""

    context_object_name = "page"

    def get_slug_field(self):
        return f"slug_{translation.get_language()}"

    def get_context_data(self, **kwargs):
        page = self.object
        context = super().get_context_data(**kwargs)
        if page.block == AgencyPage.Block.ORGANISATION:
            context["units"] = OrganisationUnit.objects.as_tree()
        elif page.block == AgencyPage.Block.LEADERS:
            context["leaders"] = list(Leader.objects.select_related("photo"))
        elif page.block == AgencyPage.Block.CONTACT:
            context["identity"] = site_frame(self.request).identity
        context["language_versions"] = {
            code: page.get_absolute_url(code)
            for code, _name in settings.LANGUAGES
            if page.has_language(code)
        }
        return context


class AccessibilityStatementView(TemplateView):
    """What the portal does for readers with disabilities, and how to reach the ministry."""

    template_name = "agency/accessibility.html"
    extra_context = {"is_about_page": True, "is_accessibility_page": True}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            identity=site_frame(self.request).identity,
            language_versions=every_language("agency:accessibility"),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class ReaderPreferencesView(View):
    """Set the display choices from the query (?tuong-phan=cao, ?co-chu=lon) and go back.

    Plain links reach it, so the controls work without JavaScript. ``next`` is followed only when
    it stays on this site; otherwise the reader goes to the home page.
    """

    choices = ((CONTRAST_COOKIE, CONTRAST_CLASSES), (TEXT_SIZE_COOKIE, TEXT_SIZE_CLASSES))

    def get(self, request):
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("news:home")
        response = redirect(target)
        for cookie, values in self.choices:
            value = request.GET.get(cookie)
            if value in values:
                response.set_cookie(
                    cookie,
                    value,
                    max_age=COOKIE_MAX_AGE,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            elif value == NORMAL:
                response.delete_cookie(cookie, samesite="Lax")
        response["X-Robots-Tag"] = "noindex"
        return response


class FaviconView(View):
    """/favicon.ico: the agency's logo (Thông tin chung của cổng) as an icon, or the default emblem.

    Browsers ask for it on every page they open: it is made once per change of the site and
    kept by browsers for a day (they ask again with its ETag, and get a 304).
    """

    max_age = 24 * 60 * 60

    def get(self, request):
        logo = site_frame(request).identity.logo
        icon = fragment(request, "favicon", lambda: favicon(logo), logo, per_language=False)
        response = HttpResponse(icon, content_type="image/x-icon")
        patch_cache_control(response, public=True, max_age=self.max_age)
        return response
