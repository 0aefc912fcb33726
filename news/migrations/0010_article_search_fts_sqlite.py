"""Full-text search on SQLite: an FTS5 index of search_text, kept by triggers.

``news_article_fts`` is an external-content FTS5 table over news_article.search_text (folded
title, lead and body). Triggers keep it in step on every INSERT, UPDATE and DELETE, whatever
writes the row (the admin, the importer's bulk writes, QuerySet.update). news.search uses it
when it is there. An SQLite built without FTS5 gets no table, and search keeps scanning
search_text with LIKE: slower on a large archive, the same results for whole words.

PostgreSQL has its own (migration 0009); other databases get nothing.
"""

from django.db import migrations
from django.db.utils import OperationalError

FTS_TABLE = "news_article_fts"

TRIGGERS = {
    "news_article_fts_insert": (
        "AFTER INSERT ON news_article BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "news_article_fts_delete": (
        "AFTER DELETE ON news_article BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "news_article_fts_update": (
        "AFTER UPDATE OF search_text ON news_article BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    try:
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "search_text, content='news_article', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 0')"
        )
    except OperationalError:  # this SQLite has no FTS5: search keeps using LIKE
        return
    for name, body in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    # Index what is already there.
    schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0009_article_search_vector"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
