"""Search over Article.search_text, the folded (lower case, diacritic-free) title, lead and body.

The query is folded the same way, so "binh dang gioi", "Bình đẳng giới" and "BÌNH ĐẲNG GIỚI" are
the same search. Each word must occur (AND). On PostgreSQL a trigram GIN index on search_text
(migration 0002) serves these substring lookups; elsewhere they scan, which is fine for SQLite.
"""

import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length, Substr

from .text import search_fold

MAX_QUERY_LENGTH = 200
# More words than this add nothing but cost; a 200-character query stays well below it anyway.
MAX_WORDS = 12

_WORD = re.compile(r"\w+")


def search_words(query):
    """The distinct folded words of a query, in order: "Bình đẳng, giới!" -> [binh, dang, gioi]."""
    words = []
    for word in _WORD.findall(search_fold(query)):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_articles(queryset, words):
    """``queryset`` narrowed to articles containing every word, title matches first, then newest.

    search_text begins with the folded title. Folding keeps the length of Vietnamese text (each
    precomposed letter folds to one letter, đ to d), so its first Length(title) characters are the
    folded title: that is what the title ranking looks in, with no extra column.
    """
    if not words:
        return queryset.none()
    in_text = Q()
    in_title = Q()
    for word in words:
        in_text &= Q(search_text__contains=word)
        in_title &= Q(folded_title__contains=word)
    return (
        queryset.filter(in_text)
        .alias(folded_title=Substr("search_text", 1, Length("title")))
        .annotate(
            title_match=Case(
                When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-title_match", "-published_at", "-pk")
    )
