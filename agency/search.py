"""The ministry's own pages in the reader's search (news.search finds the articles).

The pages are few (tens): news.search.matching_entries() keeps their words as a fragment per
language and finds a page as it finds an article, whatever the case and diacritics.
"""

from django.utils import translation
from django.utils.html import strip_tags

from news.search import folded_words, matching_entries

from .models import AgencyPage


def searchable_pages():
    """What search needs of each page readers may see in the active language, in menu order:
    {"title", "summary", "url", "words": its folded words}."""
    pages = AgencyPage.objects.published().in_language(translation.get_language())
    return [
        {
            "title": page.title,
            "summary": page.summary,
            "url": page.get_absolute_url(),
            "words": folded_words(f"{page.title} {page.summary} {strip_tags(page.body)}"),
        }
        for page in pages
    ]


def matching_pages(request, words, limit):
    """The first ``limit`` pages holding every one of the folded ``words``
    (news.search.marked_words()), in menu order, and how many there are."""
    return matching_entries(request, "agency-search-pages", searchable_pages, words, limit)
