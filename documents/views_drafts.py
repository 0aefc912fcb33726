"""Drafts for public comment: the list, a draft with its comment form, the thank-you page, the
files, and the staff preview.

Every public page starts from ``Draft.objects.published()``. A draft's page is served to
readers from the page cache, the same copy for all of them, so it carries no CSRF token and
sets no cookie; the comment it posts is checked instead for what a token would prove (it
comes from this site's own page: Origin, else Referer, and Sec-Fetch-Site), and then by the
honeypot, the comment window and the hourly rate per address (comment_rate.py).
"""

import logging
from urllib.parse import urlsplit

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView

from . import comment_rate
from .drafts import Draft, DraftFile, DraftResponseFile, WindowState
from .forms_drafts import CommentForm

logger = logging.getLogger(__name__)

PAGE_SIZE = 20


def from_this_site(request):
    """Whether a post comes from this site's own page, as a browser says it: what a CSRF token
    would prove, for a page that cannot carry one. Every browser sends Origin with a POST;
    without it, the Referer must name this site. A post that names neither is refused."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site != "same-origin":
        return False
    own = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in own
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.netloc) and f"{referer.scheme}://{referer.netloc}" in own


def can_preview_drafts(user):
    """Staff who may change drafts see any of them, and their files, as readers will."""
    return bool(user.is_active and user.is_staff and user.has_perm("documents.change_draft"))


def client_address(request):
    """The reader's address as the sign-in lockouts see it (behind the proxy when
    DJANGO_BEHIND_PROXY is set)."""
    return get_client_ip_address(request) or "unknown"


class PublishedDraftMixin:
    """Every public page starts from get_queryset(): the published drafts."""

    model = Draft
    context_object_name = "draft"

    def get_queryset(self):
        return Draft.objects.published()


class DraftListView(PublishedDraftMixin, ListView):
    """/du-thao/: the published drafts, open ones first, each with its comment window."""

    template_name = "documents/drafts/draft_list.html"
    context_object_name = "drafts"
    paginate_by = PAGE_SIZE
    page_kwarg = "trang"

    def get_queryset(self):
        return super().get_queryset().listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_drafts_page=True, is_drafts_list=True, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class DraftDetailView(PublishedDraftMixin, DetailView):
    """A draft: its text and files, its comment window, and while the window is open the
    comment form, which posts here; once the window has closed, the drafting unit's
    response."""

    template_name = "documents/drafts/draft_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("files", "response_files")

    def get_context_data(self, **kwargs):
        draft = self.object
        if draft.is_open and "form" not in kwargs:
            kwargs["form"] = CommentForm(draft=draft)
        return super().get_context_data(is_drafts_page=True, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = draft = self.get_object()
        form = CommentForm(request.POST, draft=draft)
        if not from_this_site(request):
            return self.refuse(form, "other-site")
        window = draft.window_state
        if window != WindowState.OPEN:
            return self.refuse(form, "upcoming" if window == WindowState.UPCOMING else "closed")
        if form.is_bot:
            return redirect("documents:draft-thanks", slug=draft.slug)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            allowed = comment_rate.take_slot(client_address(request))
        except Exception as error:  # noqa: BLE001 - a cache outage must not lose a comment
            logger.warning("Comment rate not counted, the cache is unavailable: %s", error)
            allowed = True
        if not allowed:
            context = self.get_context_data(form=form, over_rate=settings.PORTAL_COMMENT_RATE)
            return self.render_to_response(context, status=429)
        form.save()
        return redirect("documents:draft-thanks", slug=draft.slug)

    def refuse(self, form, reason):
        """A clear page saying why the comment was not taken, with what the reader wrote, so
        nothing is lost. 403: the draft exists, but takes no comment now, or not this way."""
        context = {
            "draft": self.object,
            "reason": reason,
            "typed": form.data.get("content", ""),
            "is_drafts_page": True,
        }
        return TemplateResponse(
            self.request, "documents/drafts/comment_refused.html", context, status=403
        )


@method_decorator(never_cache, name="dispatch")
class DraftThanksView(PublishedDraftMixin, DetailView):
    """Where a comment leads: the thanks, never kept by any cache and never indexed."""

    template_name = "documents/drafts/draft_thanks.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_drafts_page=True, **kwargs)


class DraftFileView(View):
    """A file of a published draft, as an attachment under its original name; the response's
    files only once the window has closed. Staff who may preview drafts get any of them (their
    session keeps the answer out of the page cache, and a file is never stored there)."""

    model = DraftFile

    def get(self, request, slug, pk):
        previewing = can_preview_drafts(request.user)
        drafts = Draft.objects.all() if previewing else Draft.objects.published()
        draft = get_object_or_404(drafts, slug=slug)
        if self.model is DraftResponseFile and not (draft.shows_response or previewing):
            raise Http404("Báo cáo tiếp thu chưa được công bố.")
        stored = get_object_or_404(self.model, draft=draft, pk=pk)
        return stored.response(request)


@method_decorator(never_cache, name="dispatch")
class DraftPreviewView(DetailView):
    """Any draft, as the public will see it, for staff who may change drafts. Everyone else,
    the public included, gets a 404: a preview does not reveal that a draft exists."""

    model = Draft
    context_object_name = "draft"
    template_name = "documents/drafts/draft_detail.html"

    def get_queryset(self):
        return Draft.objects.prefetch_related("files", "response_files")

    def get_object(self, queryset=None):
        if not can_preview_drafts(self.request.user):
            raise Http404
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        draft = self.object
        if draft.is_open:
            kwargs["form"] = CommentForm(draft=draft)
        return super().get_context_data(is_preview=True, is_drafts_page=True, **kwargs)
