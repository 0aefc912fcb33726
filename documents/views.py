"""The library's public pages, the staff preview and the file downloads.

Every public page starts from ``Document.objects.published()``; the legal force shown and
filtered is today's (GMT+7), and the page cache keeps no page past the next local midnight at
which a document's force changes (DocumentQuerySet.next_visibility_change).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from news.pagination import WindowedPaginationMixin
from portal.caching.fragments import fragment

from .forms import MAX_QUERY_LENGTH, DocumentFilterForm
from .models import Document, DocumentField, DocumentFile, DocumentType, IssuingBody
from .permissions import can_preview_documents

PAGE_SIZE = 20


def filter_choices():
    """The lookups and years the filters offer, as one value for the fragment cache."""
    published = Document.objects.published()
    return {
        "types": list(DocumentType.objects.only("pk", "name", "slug")),
        "bodies": list(IssuingBody.objects.only("pk", "name", "slug")),
        "fields": list(DocumentField.objects.only("pk", "name", "slug")),
        "years": [day.year for day in published.dates("issued_on", "year", order="DESC")],
    }


class DocumentListView(WindowedPaginationMixin, ListView):
    """/van-ban/: the published documents, newest issue date first, 20 a page, with filters
    that combine (DocumentFilterForm); a search puts the exact number first."""

    model = Document
    context_object_name = "documents"
    extra_context = {"is_documents_page": True}
    paginate_by = PAGE_SIZE
    page_kwarg = "trang"

    def get_queryset(self):
        choices = fragment(self.request, "document-filters", filter_choices)
        self.form = DocumentFilterForm(self.request.GET, **choices)
        self.problem = None
        documents = Document.objects.published().listing()
        if not self.form.is_valid():
            self.problem = "filters"
            return documents.none()
        data = self.form.cleaned_data
        ids = {
            name: {item.slug: item.pk for item in choices[key]}
            for name, key in (
                ("document_type", "types"),
                ("issuing_body", "bodies"),
                ("field", "fields"),
            )
        }
        if data["document_type"]:
            documents = documents.filter(document_type=ids["document_type"][data["document_type"]])
        if data["issuing_body"]:
            documents = documents.filter(issuing_body=ids["issuing_body"][data["issuing_body"]])
        if data["field"]:
            documents = documents.filter(fields=ids["field"][data["field"]])
        if data["year"]:
            documents = documents.issued_in(data["year"])
        if data["legal_status"]:
            documents = documents.in_legal_status(data["legal_status"])
        if data["q"]:
            return documents.matching(data["q"])
        return documents.newest()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.problem:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            problem=self.problem,
            max_query_length=MAX_QUERY_LENGTH,
            is_documents_list=True,
            **kwargs,
        )


class DocumentPageMixin:
    model = Document
    context_object_name = "document"
    template_name = "documents/document_detail.html"
    extra_context = {"is_documents_page": True}

    def get_context_data(self, **kwargs):
        document = self.object
        outgoing, incoming = document.relations_shown()
        return super().get_context_data(
            files=list(document.files.all()),
            document_fields=list(document.fields.all()),
            outgoing=outgoing,
            incoming=incoming,
            **kwargs,
        )


class DocumentDetailView(DocumentPageMixin, DetailView):
    """/van-ban/<slug>/: everything about one document, its files, and the documents it
    replaces, amends or guides, and those that do so to it."""

    def get_queryset(self):
        return Document.objects.published().listing()


@method_decorator(never_cache, name="dispatch")
class DocumentPreviewView(DocumentPageMixin, DetailView):
    """Any document, as the public will see it, for staff who may change documents; everyone
    else gets a 404: a preview does not reveal that a draft exists."""

    def get_queryset(self):
        if not can_preview_documents(self.request.user):
            raise Http404
        return Document.objects.listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)


class DocumentFileView(View):
    """One file of a published document, as an attachment under its original name; with
    ``inline``, a PDF shown by the browser in a sandbox. Staff who may preview documents get
    the files of unpublished ones too. Streamed: the page cache never stores it."""

    inline = False

    def get(self, request, slug, pk):
        stored = get_object_or_404(
            DocumentFile.objects.select_related("document"), pk=pk, document__slug=slug
        )
        if not stored.document.is_visible and not can_preview_documents(request.user):
            raise Http404
        if self.inline and not stored.is_pdf:
            raise Http404
        return stored.response(request, inline=self.inline)
