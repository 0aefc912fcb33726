"""Search over Article.search_text, the folded (lower case, diacritic-free) title, lead and body.

The query is folded the same way, so "binh dang gioi", "Bình đẳng giới" and "BÌNH ĐẲNG GIỚI" are
the same search. Every word must occur (AND); title matches come first, then the newest (or, as
the reader chooses, the newest first).

Matches are found by a word index the database keeps beside the text, whatever writes it:

* PostgreSQL: a stored tsvector column with a GIN index (migration 0009);
* SQLite: an FTS5 table kept by triggers (migration 0010 made them; ensure_search_index() puts
  them back after every migrate). An SQLite built without FTS5 scans search_text with LIKE
  instead, and a word then matches anywhere in the text.

With an index, a query word matches the words it begins ("gio" finds "gioi"). Ranking looks at
the newest SEARCH_CANDIDATES matches only, found in one query, so a word in half the archive
costs what a rare one does; older matches of such a word are reached with more words.
"""

import functools
import re
import sqlite3
import sys

from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Case, IntegerField, Lookup, Q, Value, When
from django.db.models.functions import Length, Substr
from django.utils import translation

from portal.caching.fragments import fragment

from .models import Article, Topic
from .text import search_fold

MAX_QUERY_LENGTH = 200
# More words than this add nothing but cost; a 200-character query stays well below it anyway.
MAX_WORDS = 12
# Search ranks among this many of the newest matches (see the module docstring).
SEARCH_CANDIDATES = 500

# The SQLite word index: an external-content FTS5 table over news_article.search_text, and the
# triggers that keep it in step on every INSERT, UPDATE and DELETE, whatever writes the row (the
# admin, the importer's bulk writes, QuerySet.update). Migration 0010 first made them with this
# SQL; from then on this is their definition, and ensure_search_index() applies it. SQLite keeps
# each statement as written, which is how ensure_search_index() tells a stale one.
FTS_TABLE = "news_article_fts"
SEARCH_INDEX_MIGRATION = ("news", "0010_article_search_fts_sqlite")
_FTS_SQL = {
    FTS_TABLE: (
        "CREATE VIRTUAL TABLE news_article_fts USING fts5(search_text, content='news_article', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
    ),
    "news_article_fts_insert": (
        "CREATE TRIGGER news_article_fts_insert AFTER INSERT ON news_article BEGIN "
        "INSERT INTO news_article_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "news_article_fts_delete": (
        "CREATE TRIGGER news_article_fts_delete AFTER DELETE ON news_article BEGIN "
        "INSERT INTO news_article_fts(news_article_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "news_article_fts_update": (
        "CREATE TRIGGER news_article_fts_update AFTER UPDATE OF search_text ON news_article "
        "BEGIN INSERT INTO news_article_fts(news_article_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO news_article_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}

_WORD = re.compile(r"\w+")
# What the word indexes keep of a folded word: letters and digits.
_LEXEME = re.compile(r"[^\W_]+")


def search_words(query):
    """The distinct folded words of a query, in order: "Bình đẳng, giới!" -> [binh, dang, gioi]."""
    words = []
    for word in _WORD.findall(search_fold(query)):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


class _WordIndexMatch(Lookup):
    """``search_text__<lookup>=query``: the row matches ``query`` in a word index the database
    keeps beside the text. The lookup only supplies the row's table alias to the SQL."""

    prepare_rhs = False
    template = None

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(self.lhs.alias)
        rhs, params = self.process_rhs(compiler, connection)
        return self.template.format(alias=alias, query=rhs), params


class SearchVectorMatch(_WordIndexMatch):
    """PostgreSQL: the row's stored word vector (migration 0009) matches a tsquery."""

    lookup_name = "words_match"
    template = "{alias}.\"search_vector\" @@ to_tsquery('simple', {query})"


class FtsMatch(_WordIndexMatch):
    """SQLite: the row is among the FTS5 index's matches (see ensure_search_index). The unary +
    keeps SQLite walking the publication index, newest first, and stopping at the LIMIT, instead
    of fetching and sorting every match of a common word."""

    lookup_name = "fts_match"
    template = (
        '+{alias}."id" IN (SELECT rowid FROM news_article_fts WHERE news_article_fts MATCH {query})'
    )


# On Article.search_text alone: no other text field has these indexes beside it.
for _lookup in (SearchVectorMatch, FtsMatch):
    Article._meta.get_field("search_text").register_lookup(_lookup)


def _lexemes(words):
    """The letters-and-digits runs of the folded words, as the word indexes cut text."""
    lexemes = []
    for word in words:
        for lexeme in _LEXEME.findall(word):
            if lexeme not in lexemes:
                lexemes.append(lexeme)
    return lexemes


def matching(queryset, words):
    """``queryset`` narrowed to the articles holding every word, by the database's word index.

    Only letters and digits reach the index's query syntax, so no input can change its meaning.
    """
    lexemes = _lexemes(words)
    if not lexemes:
        return queryset.none()
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        # Every word as a prefix, all required: "binh:* & dang:*".
        return queryset.filter(search_text__words_match=" & ".join(f"{w}:*" for w in lexemes))
    if connection.vendor == "sqlite" and _sqlite_has_fts5():
        # The same in FTS5 syntax: "binh"* AND "dang"*.
        return queryset.filter(search_text__fts_match=" AND ".join(f'"{w}"*' for w in lexemes))
    condition = Q()
    for word in words:  # no word index: a word is found anywhere in the text
        condition &= Q(search_text__contains=word)
    return queryset.filter(condition)


def newest_matches(queryset, words):
    """The pks of the newest SEARCH_CANDIDATES articles of ``queryset`` holding every word, in
    one query. The publication index or the word index serves it, whichever the planner finds
    cheaper for these words: a word found in half the archive costs what a rare one does."""
    if not words:
        return []
    found = matching(queryset, words).order_by("-published_at", "-pk")
    return list(found.values_list("pk", flat=True)[:SEARCH_CANDIDATES])


def ranked(model, pks, words, newest_first=False):
    """The articles ``pks``, title matches first, then the newest; or, ``newest_first``, the
    newest first.

    search_text begins with the folded title. Folding keeps the length of Vietnamese text (each
    precomposed letter folds to one letter, đ to d), so its first Length(title) characters are
    the folded title: that is what the title ranking looks in, with no extra column. Among a
    few hundred rows, a substring test costs nothing. Plain SQL on both databases, whichever
    word index (or none) found the rows.
    """
    articles = model.objects.filter(pk__in=pks).listing()
    if newest_first:
        return articles.order_by("-published_at", "-pk")
    in_title = Q()
    for word in words:
        in_title &= Q(folded_title__contains=word)
    return (
        articles.alias(folded_title=Substr("search_text", 1, Length("title")))
        .alias(
            title_match=Case(
                When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-title_match", "-published_at", "-pk")
    )


def search_articles(queryset, words, newest_first=False):
    """``queryset`` narrowed to the newest articles containing every word, title matches first
    (or, ``newest_first``, the newest first).

    Returns (articles, how many of them, whether more matched than SEARCH_CANDIDATES).
    """
    pks = newest_matches(queryset, words)
    if not pks:
        return queryset.none(), 0, False
    articles = ranked(queryset.model, pks, words, newest_first)
    return articles, len(pks), len(pks) >= SEARCH_CANDIDATES


def marked_words(words):
    """What a result shows marked of the query ``words`` (search_words()): the runs of letters
    and digits the word indexes match, as news.text.matched_spans() takes them."""
    return _lexemes(words)


def folded_words(text):
    """The words of ``text`` as the search matches them: folded (no case, no diacritics), cut
    as the word indexes cut text."""
    return frozenset(_LEXEME.findall(search_fold(text)))


def matching_entries(request, name, load, words, limit):
    """Search in a short list (tens or hundreds: the ministry's pages, the topics) that
    ``load()`` makes, each entry a dict with its ``"words"`` (folded_words()): the list is kept
    as a fragment ``name`` per language, read in one query when it is not stored, and an entry
    is found when each of the query's folded ``words`` (marked_words()) begins one of its
    words, as an article is. The first ``limit`` found, in the list's order, and how many."""
    if not words:
        return [], 0
    found = [
        entry
        for entry in fragment(request, name, load)
        if all(any(own.startswith(word) for own in entry["words"]) for word in words)
    ]
    return found[:limit], len(found)


def searchable_topics():
    """The topics with news on this side of the site, by name, as matching_entries() takes
    them: {"name", "description", "url", "words"}."""
    published = Article.objects.published().in_language(translation.get_language())
    return [
        {
            "name": topic.display_name,
            "description": topic.description,
            "url": topic.get_absolute_url(),
            "words": folded_words(f"{topic.name} {topic.name_en} {topic.description}"),
        }
        for topic in Topic.objects.with_news(published).order_by("name", "pk")
    ]


def matching_topics(request, words, limit):
    """The first ``limit`` topics with news holding every one of the folded ``words``, and how
    many there are (a topic's page lists its news)."""
    return matching_entries(request, "search-topics", searchable_topics, words, limit)


def ensure_search_index(connection):
    """Make the SQLite word index whole: its FTS5 table and triggers as _FTS_SQL has them.

    SQLite's schema editor rebuilds news_article for most field changes, and dropping the old
    table drops its triggers with it: articles saved afterwards would never be found. What is
    missing, or differs from _FTS_SQL, is recreated, and then the index is rebuilt from the
    articles. Returns the names of what was recreated (none when all was in place).
    """
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('news_article', %s)",
            [FTS_TABLE],
        )
        found = dict(cursor.fetchall())
        remade = [name for name, sql in _FTS_SQL.items() if found.get(name) != sql]
        for name in remade:  # the table comes first
            if name in found:
                kind = "TABLE" if name == FTS_TABLE else "TRIGGER"
                cursor.execute(f"DROP {kind} {connection.ops.quote_name(name)}")
            cursor.execute(_FTS_SQL[name])
        if remade:
            cursor.execute("INSERT INTO news_article_fts(news_article_fts) VALUES ('rebuild')")
    return remade


def repair_search_index(sender, using, verbosity=1, **kwargs):
    """post_migrate: ensure_search_index() wherever migration 0010 is applied on an SQLite with
    FTS5; a migration that rebuilt news_article cannot leave search blind to new articles."""
    connection = connections[using]
    if connection.vendor != "sqlite" or not _sqlite_has_fts5():
        return
    if SEARCH_INDEX_MIGRATION not in MigrationRecorder(connection).applied_migrations():
        return  # not made yet, or unapplied on purpose
    remade = ensure_search_index(connection)
    if remade and verbosity >= 1:
        kwargs.get("stdout", sys.stdout).write(
            f"Search index: recreated {', '.join(remade)}; rebuilt from the articles.\n"
        )


@functools.cache
def _sqlite_has_fts5():
    """Whether this SQLite has FTS5, and so the word index (see ensure_search_index).

    Asked of the SQLite library itself, once per process, so a page costs no extra query.
    """
    probe = sqlite3.connect(":memory:")
    try:
        return ("ENABLE_FTS5",) in probe.execute("PRAGMA compile_options").fetchall()
    finally:
        probe.close()
