"""The library in the reader's search (/tim-kiem/, news.search finds the articles): documents
whose number or summary holds every word, with or without diacritics, the exact number first,
marked as documents on the page."""

from django.db.models import Count, Window

from .forms import MAX_QUERY_LENGTH
from .models import Document

SEARCH_DOCUMENTS = 5  # shown above the news a search found


def matching_documents(query, limit=SEARCH_DOCUMENTS):
    """The first ``limit`` published documents matching ``query`` (DocumentQuerySet.matching)
    and how many match, in one query."""
    if not query.strip() or len(query) > MAX_QUERY_LENGTH:
        return [], 0
    found = (
        Document.objects.published()
        .matching(query)
        .listing()
        .annotate(match_count=Window(Count("pk")))[:limit]
    )
    documents = list(found)
    return documents, documents[0].match_count if documents else 0
