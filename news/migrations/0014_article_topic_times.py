"""Article.topics goes through a model of its own, ArticleTopic, whose rows keep the article's
publication time beside the topic, indexed together: a topic's page then reads its newest tags
first instead of every article of the topic (at a million articles on PostgreSQL, 96 ms a page
before; bench/RESULTS.md).

The table stays the one Django made for the field in 0013 (news_article_topics, with its
columns, indexes and unique constraint): the model is declared over it in the state only, then
the new column is added, filled from the articles, and indexed. Nothing here touches
news_article, so SQLite keeps its search triggers.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_publication_times(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    ArticleTopic = apps.get_model("news", "ArticleTopic")
    moment = Article.objects.filter(pk=OuterRef("article_id")).values("published_at")[:1]
    ArticleTopic.objects.update(published_at=Subquery(moment))


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0013_topics'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ArticleTopic',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='topic_tags', to='news.article', verbose_name='bài viết')),
                        ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='news.topic', verbose_name='chủ đề')),
                    ],
                    options={
                        'verbose_name': 'chủ đề của bài',
                        'verbose_name_plural': 'chủ đề của bài',
                        'db_table': 'news_article_topics',
                        'unique_together': {('article', 'topic')},
                    },
                ),
                migrations.AlterField(
                    model_name='article',
                    name='topics',
                    field=models.ManyToManyField(blank=True, help_text='Tùy chọn. Bài được liệt kê trong trang của từng chủ đề đã chọn.', related_name='articles', through='news.ArticleTopic', to='news.topic', verbose_name='chủ đề'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='articletopic',
            name='published_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_publication_times, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='articletopic',
            index=models.Index(fields=['topic', 'published_at', 'article'], name='article_topic_newest'),
        ),
    ]
