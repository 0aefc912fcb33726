"""Full-text search on PostgreSQL: the words of the folded text, kept by the database.

``search_vector`` is a stored generated column outside the Django model (only PostgreSQL has
it; SQLite has its own index, migration 0010): the words of search_text (folded title, lead and
body). PostgreSQL computes it on every INSERT and UPDATE, whatever writes the row (the admin,
the importer's bulk writes, QuerySet.update), so it can never disagree with the text. A GIN
index on it serves news.search. The trigram index of migration 0004 served the LIKE search that
this replaces on PostgreSQL; it is dropped, since every write paid for it.
"""

from django.db import migrations

# PostgreSQL's parser reads "<...>" as markup and skips what a <script> pair encloses; the
# folded text is plain text (a title may well say "<script>"), so those characters are spaces.
_TEXT = "translate(coalesce(search_text, ''), '<>&', '   ')"
COLUMNS = {"search_vector": f"to_tsvector('simple'::regconfig, {_TEXT})"}
TRIGRAM_INDEX = "article_search_text_trgm_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("news", "Article")._meta.db_table)
    for column, expression in COLUMNS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS article_{column}_idx ON {table} USING gin ({column})"
        )
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("news", "Article")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON {table} "
        "USING gin (search_text gin_trgm_ops)"
    )
    for column in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0008_article_date_only"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
