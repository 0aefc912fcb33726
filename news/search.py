"""Search over Article.search_text, the folded (lower case, diacritic-free) title, lead and body.

The query is folded the same way, so "binh dang gioi", "Bình đẳng giới" and "BÌNH ĐẲNG GIỚI" are
the same search. Every word must occur (AND); title matches come first, then the newest.

* PostgreSQL: full-text search on word vectors the database keeps beside the text (migration
  0009: ``search_vector``, ``title_vector``, each with a GIN index). A query word matches the
  words it begins ("gio" finds "gioi"). Ranking looks at the newest SEARCH_CANDIDATES matches
  only, so a word found in half the archive costs the same as a rare one; older matches of
  such a word are reached by searching with more words.
* Elsewhere (SQLite): a word matches anywhere in the text (LIKE), with no index. Fine for a
  small site; the ministry's production database is PostgreSQL.
"""

import re

from django.db import connections
from django.db.models import Case, IntegerField, Lookup, Q, Value, When
from django.db.models.functions import Length, Substr

from .models import Article
from .text import search_fold

MAX_QUERY_LENGTH = 200
# More words than this add nothing but cost; a 200-character query stays well below it anyway.
MAX_WORDS = 12
# PostgreSQL ranks among this many of the newest matches (see the module docstring).
SEARCH_CANDIDATES = 500

_WORD = re.compile(r"\w+")
# What the PostgreSQL 'simple' parser keeps of a folded word: letters and digits.
_LEXEME = re.compile(r"[^\W_]+")


def search_words(query):
    """The distinct folded words of a query, in order: "Bình đẳng, giới!" -> [binh, dang, gioi]."""
    words = []
    for word in _WORD.findall(search_fold(query)):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


class _VectorMatch(Lookup):
    """``search_text__<lookup>="binh:* & dang:*"``: the row's stored word vector (a column of
    the same table, see migration 0009) matches the tsquery. PostgreSQL only."""

    vector_column = None
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(self.lhs.alias)
        rhs, params = self.process_rhs(compiler, connection)
        column = connection.ops.quote_name(self.vector_column)
        return f"{alias}.{column} @@ to_tsquery('simple', {rhs})", params


class SearchVectorMatch(_VectorMatch):
    lookup_name = "words_match"
    vector_column = "search_vector"


class TitleVectorMatch(_VectorMatch):
    lookup_name = "title_words_match"
    vector_column = "title_vector"


# On Article.search_text alone: no other text field has these columns beside it.
for _lookup in (SearchVectorMatch, TitleVectorMatch):
    Article._meta.get_field("search_text").register_lookup(_lookup)


def _tsquery(words):
    """Every word as a prefix, all required: "binh:* & dang:*". Only letters and digits reach
    the query syntax, so no input can change its meaning."""
    lexemes = []
    for word in words:
        for lexeme in _LEXEME.findall(word):
            if lexeme not in lexemes:
                lexemes.append(lexeme)
    return " & ".join(f"{lexeme}:*" for lexeme in lexemes)


def search_articles(queryset, words):
    """``queryset`` narrowed to articles containing every word, title matches first, then newest."""
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, words)
    return _search_like(queryset, words)


def _search_postgresql(queryset, words):
    query = _tsquery(words)
    if not query:
        return queryset.none()
    # The newest matches first, by the publication index or the GIN index, whichever the
    # planner finds cheaper for these words; then ranked among themselves.
    candidates = (
        queryset.filter(search_text__words_match=query)
        .order_by("-published_at", "-pk")
        .values("pk")[:SEARCH_CANDIDATES]
    )
    return (
        queryset.model.objects.filter(pk__in=candidates)
        .listing()
        .alias(
            title_match=Case(
                When(Q(search_text__title_words_match=query), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-title_match", "-published_at", "-pk")
    )


def _search_like(queryset, words):
    """search_text begins with the folded title. Folding keeps the length of Vietnamese text
    (each precomposed letter folds to one letter, đ to d), so its first Length(title) characters
    are the folded title: that is what the title ranking looks in, with no extra column."""
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
