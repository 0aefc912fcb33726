"""A public model as a newcomer would add one: no cache code at all."""

from django.db import models
from django.utils import timezone


class NoticeQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(visible_from__lte=timezone.now())


def next_visibility_change(queryset, now):
    """The next notice to appear: nothing cached may outlive it. A scheduled model declares
    this as a method of its queryset; the tests that need it attach it (it costs each page
    that misses the cache one query, which the other tests' query budgets do not count)."""
    upcoming = queryset.filter(visible_from__gt=now).order_by("visible_from")
    return upcoming.values_list("visible_from", flat=True).first()


class Notice(models.Model):
    title = models.CharField(max_length=200)
    visible_from = models.DateTimeField(default=timezone.now)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        app_label = "caching_app"
        ordering = ["-visible_from"]

    def __str__(self):
        return self.title
