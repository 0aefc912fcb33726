"""A trigram index on Article.search_text, so search's substring lookups use an index.

PostgreSQL only (pg_trgm, gin_trgm_ops); on other databases this migration does nothing.
Creating the extension needs a role allowed to (the database owner on PostgreSQL 13+, for a
trusted extension such as pg_trgm).
"""

from django.db import migrations

INDEX_NAME = "article_search_text_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("news", "Article")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
