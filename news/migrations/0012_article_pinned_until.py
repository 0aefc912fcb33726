"""The lead story is the editors' choice, and a body photo stands in for a missing featured image.

Article.pinned_until: while it lies ahead, the article is in the home page's featured block;
pinned_at (when the pin was last set or changed) orders that block. Article.body_image: the
body's first photo with its file, found on save, so cards show it without a query of their own;
filled here for the articles already written.

All three columns are nullable with no default, so SQLite adds them with ALTER TABLE ADD COLUMN:
the table is not rebuilt and the FTS5 triggers of 0010 stay.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

from news.images import media_name
from news.sanitize import body_images

BATCH = 500


def first_body_images(apps, schema_editor):
    """Article.refresh_derived_fields' body_image for every article with a picture in its body,
    a batch of articles and one query for their images at a time."""
    Article = apps.get_model("news", "Article")
    Image = apps.get_model("news", "Image")
    with_pictures = Article.objects.filter(body__contains="<img").order_by("pk")
    after = 0
    while True:
        batch = list(with_pictures.filter(pk__gt=after).only("pk", "body")[:BATCH])
        if not batch:
            return
        after = batch[-1].pk
        tags = {article.pk: body_images(article.body) for article in batch}
        ids, names = set(), set()
        for found in tags.values():
            ids |= {int(a["data-image-id"]) for a in found if a.get("data-image-id", "").isdigit()}
            names |= {n for a in found if (n := media_name(a.get("src") or ""))}
        images = Image.objects.exclude(Q(file="") | Q(file__isnull=True)).filter(
            Q(pk__in=ids) | Q(file__in=names)
        )
        by_id = {image.pk: image for image in images}
        by_name = {image.file.name: image for image in by_id.values()}
        for article in batch:
            article.body_image = None
            for attrs in tags[article.pk]:
                image_id = attrs.get("data-image-id", "")
                image = by_id.get(int(image_id)) if image_id.isdigit() else None
                image = image or by_name.get(media_name(attrs.get("src") or "") or "")
                if image is not None:
                    article.body_image = image
                    break
        Article.objects.bulk_update(batch, ["body_image"])


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0011_article_imported_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='body_image',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='news.image', verbose_name='ảnh đầu tiên trong nội dung'),
        ),
        migrations.AddField(
            model_name='article',
            name='pinned_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='ghim lúc'),
        ),
        migrations.AddField(
            model_name='article',
            name='pinned_until',
            field=models.DateTimeField(blank=True, help_text='Tùy chọn. Đến thời điểm này, bài nằm trong khối tin nổi bật của trang chủ; bài được ghim gần đây nhất là tin chính. Đặt hoặc đổi thời điểm này là ghim lại bài lên đầu. Giờ Việt Nam (GMT+7).', null=True, verbose_name='ghim lên đầu trang chủ đến'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['pinned_until'], name='article_pinned_idx'),
        ),
        migrations.RunPython(first_body_images, migrations.RunPython.noop, elidable=True),
    ]
