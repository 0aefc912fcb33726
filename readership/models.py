from django.db import models
from django.utils.translation import gettext_lazy as _

from news.models import Article


class ReadCount(models.Model):
    """How many readers' views an article had in one hour, written in batches (batches.py)."""

    # No index of its own: an index led by the article would lure SQLite's planner away from
    # the hour index for the lists' GROUP BY (selectors.most_read). Deleting an article, which
    # is rare, scans the counts instead.
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="read_counts",
        verbose_name=_("bài viết"),
        db_index=False,
    )
    started_at = models.DateTimeField(_("giờ bắt đầu"))  # on the hour, in UTC
    # The article's, when the batch was written: each side of the site adds up its own counts
    # without reading the articles (selectors.most_read).
    language = models.CharField(_("ngôn ngữ"), max_length=2, choices=Article.Language.choices)
    reads = models.PositiveIntegerField(_("lượt đọc"), default=0)

    class Meta:
        verbose_name = _("lượt đọc trong giờ")
        verbose_name_plural = _("lượt đọc theo giờ")
        constraints = [
            models.UniqueConstraint(
                fields=["started_at", "article"], name="readership_one_count_per_article_hour"
            ),
        ]
        # The lists add up a side's last day, week or month of counts: a range of hours, read
        # from the index alone.
        indexes = [
            models.Index(
                fields=["language", "started_at", "article", "reads"],
                name="readership_language_hour",
            )
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.started_at:%Y-%m-%d %H:00}: {self.reads}"


class ReadBatch(models.Model):
    """One batch of counts moved from the shared store into ReadCount. Its token is written in
    the same transaction as its counts, so a batch left in the store by a crash is written once
    and only once."""

    token = models.CharField(max_length=32, unique=True)
    reads = models.PositiveIntegerField(default=0)
    written_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("đợt ghi lượt đọc")
        verbose_name_plural = _("đợt ghi lượt đọc")

    def __str__(self):
        return self.token
