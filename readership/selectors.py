"""The most read lists, from the counts written in batches (models.ReadCount)."""

from django.db.models import Sum

from .models import ReadCount


def most_read(articles, language, since, count):
    """The ``count`` most read of ``articles`` (a queryset from Article.objects.published(),
    in ``language``) in the hours after ``since``, most read first, each with ``reads``: its
    views in that time.

    The side's counts of the period are added up first, from their index alone, most read
    first; then the articles are read by primary key, the most read first, until ``count`` of
    them are among ``articles``. Joining the other way round would walk every published
    article of the archive. Two queries; more only when the most read are mostly articles
    that ``articles`` leaves out, unpublished since (each further look reads four times as
    many)."""
    totals = (
        ReadCount.objects.filter(language=language, started_at__gt=since)
        .values_list("article")
        .annotate(total=Sum("reads"))
        .order_by("-total", "-article")
    )
    found, start, size = [], 0, count * 5
    while len(found) < count:
        chunk = dict(totals[start : start + size])
        shown = articles.in_bulk(list(chunk)) if chunk else {}
        for pk, total in chunk.items():
            if pk in shown and len(found) < count:
                shown[pk].reads = total
                found.append(shown[pk])
        if len(chunk) < size:
            break
        start, size = start + size, size * 4
    return found
