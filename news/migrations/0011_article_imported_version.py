"""Article.imported_version: the version an import left, so a later import can tell whether
anyone has edited the article since (and then leaves it alone).

Nullable with no default, so SQLite adds it with ALTER TABLE ADD COLUMN: the table is not
rebuilt and the FTS5 triggers of 0010 stay. NULL marks articles imported before this change.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0010_article_search_fts_sqlite'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='imported_version',
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
    ]
