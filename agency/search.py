"""The ministry's own pages in the reader's search (news.search finds the articles).

The pages are few (tens), so their words are kept as a fragment per language, read in one query
when it is not stored, and matched here: a page is found when each query word begins one of its
words, as an article is (news.search), whatever the case and diacritics.
"""

import re

from django.utils import translation
from django.utils.html import strip_tags

from news.text import search_fold
from portal.caching.fragments import fragment

from .models import AgencyPage

_WORD_RUN = re.compile(r"[^\W_]+")  # a word as news.search's indexes cut text


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


def folded_words(text):
    """The words of ``text`` as the search matches them: folded (no case, no diacritics), cut
    as news.search's indexes cut text."""
    return frozenset(_WORD_RUN.findall(search_fold(text)))


def words_match(own_words, words):
    """Whether each of the query's folded ``words`` begins one of ``own_words``."""
    return all(any(own.startswith(word) for own in own_words) for word in words)


def matching_pages(request, words, limit):
    """The first ``limit`` pages holding every one of the folded ``words``
    (news.search.marked_words()), in menu order, and how many there are."""
    if not words:
        return [], 0
    found = [
        page
        for page in fragment(request, "agency-search-pages", searchable_pages)
        if words_match(page["words"], words)
    ]
    return found[:limit], len(found)
