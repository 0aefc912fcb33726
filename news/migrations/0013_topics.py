"""Topics (Chủ đề), some of them events (Sự kiện); related articles chosen by editors, in their
order; an optional English name for each section.

Nothing here rebuilds news_article on SQLite, so the FTS5 triggers of 0010 stay: both
many-to-many fields live in tables of their own. Article.related goes through RelatedArticle,
created here, so adding the field changes the state only; as a plain AddField, SQLite's schema
editor would copy the whole article table for a field that has no column. Category.name_en is
not nullable, so SQLite copies news_category, a table of a few dozen rows.

The newsroom's roles (0003) get topics: reporters tag articles with them, editors also make,
rename and remove them.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TOPIC_PERMISSIONS = {
    "Phóng viên": ["view_topic"],
    "Biên tập viên": ["add_topic", "change_topic", "delete_topic", "view_topic"],
}


def grant_topic_permissions(apps, schema_editor):
    # Permissions are normally made after all migrations; make news' own now (as 0003 does).
    news_config = apps.get_app_config("news")
    news_config.models_module = True
    try:
        create_permissions(news_config, apps=apps, verbosity=0)
    finally:
        news_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in TOPIC_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="news", codename__in=codenames)
            )


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0012_article_pinned_until'),
    ]

    operations = [
        migrations.CreateModel(
            name='Topic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=160, verbose_name='tên')),
                ('name_en', models.CharField(blank=True, help_text='Tùy chọn. Tên hiện ở phần tiếng Anh (/en/); để trống thì dùng tên tiếng Việt.', max_length=160, verbose_name='tên tiếng Anh')),
                ('slug', models.SlugField(blank=True, max_length=180, unique=True, verbose_name='đường dẫn')),
                ('description', models.TextField(blank=True, verbose_name='mô tả')),
                ('is_event', models.BooleanField(default=False, help_text='Sự kiện được giới thiệu trên trang chủ khi đã có tin.', verbose_name='là sự kiện')),
            ],
            options={
                'verbose_name': 'chủ đề',
                'verbose_name_plural': 'chủ đề',
                'ordering': ['name', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='topics',
            field=models.ManyToManyField(blank=True, help_text='Tùy chọn. Bài được liệt kê trong trang của từng chủ đề đã chọn.', related_name='articles', to='news.topic', verbose_name='chủ đề'),
        ),
        migrations.CreateModel(
            name='RelatedArticle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='news.article', verbose_name='bài viết')),
                ('related', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chosen_as_related', to='news.article', verbose_name='bài liên quan')),
            ],
            options={
                'verbose_name': 'tin liên quan',
                'verbose_name_plural': 'tin liên quan',
                'ordering': ['position', 'pk'],
                'constraints': [
                    models.UniqueConstraint(fields=('article', 'related'), name='related_article_unique'),
                    models.CheckConstraint(condition=models.Q(('related', models.F('article')), _negated=True), name='related_article_not_itself'),
                ],
            },
        ),
        # The through table above is the field's whole presence in the database.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='article',
                    name='related',
                    field=models.ManyToManyField(blank=True, related_name='+', through='news.RelatedArticle', through_fields=('article', 'related'), to='news.article', verbose_name='tin liên quan'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='category',
            name='name_en',
            field=models.CharField(blank=True, help_text='Tùy chọn. Tên hiện ở phần tiếng Anh (/en/); để trống thì dùng tên tiếng Việt.', max_length=120, verbose_name='tên tiếng Anh'),
        ),
        migrations.RunPython(grant_topic_permissions, migrations.RunPython.noop),
    ]
