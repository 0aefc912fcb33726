"""Pending counts into the database, in batches, with no cron: the counting request that the
store hands the batch (stores.py: the last was written BATCH_SECONDS ago) writes it.

Exactly once, whatever crashes where:

1. the store takes the pending counts aside as a batch with a token (atomic: a view counted
   meanwhile waits for the next batch);
2. one database transaction records the token (unique) and adds the counts to ReadCount;
3. the store forgets the batch.

A writer that dies before 2 commits leaves the batch in the store: the next writer finds it
and writes it. One that dies after 2 leaves it too: the next finds its token already recorded
and only forgets it. So a crash of a process loses nothing; losing the store itself (a Redis
restarted without persistence) loses only what was counted since the last batch, less than a
minute.
"""

import datetime
import logging
import time
import uuid
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from news.models import Article

from .models import ReadBatch, ReadCount
from .stores import read_store

logger = logging.getLogger("portal.readership")

# How long a batch's token is kept: far longer than any batch stays in the store.
KEEP_BATCH_TOKENS = datetime.timedelta(days=2)
# How long hourly counts are kept: the longest list (a month, views.PERIODS) and a day more.
KEEP_COUNTS = datetime.timedelta(days=31)


def write_batches(store=None, now=None):
    """Write what the store holds (a batch left over, then the pending counts) into ReadCount
    and tell the store when. True when written; on failure the store's claim ends by itself and
    a later request tries again."""
    store = store or read_store()
    now = time.time() if now is None else now
    try:
        while batch := store.take_batch(uuid.uuid4().hex):
            write_batch(batch.token, batch.counts)
            store.forget_batch(batch.token)
            if not batch.left_over:
                break
    except Exception:
        logger.exception("Could not write a batch of read counts; the next request will retry.")
        return False
    store.batch_written(now)
    return True


def write_batch(token, counts):
    """Add ``counts`` ({(article id, hour's Unix time): views}) to ReadCount, once: False when
    the batch ``token`` was written already. Articles deleted since are left out."""
    with transaction.atomic():
        if ReadBatch.objects.filter(token=token).exists():
            return False
        # Unique: two writers with the same batch cannot both commit it.
        ReadBatch.objects.create(token=token, reads=sum(counts.values()))
        languages = dict(
            Article.objects.filter(pk__in={article for article, _hour in counts}).values_list(
                "pk", "language"
            )
        )
        by_hour = defaultdict(dict)
        for (article, hour), views in counts.items():
            if article in languages:
                by_hour[hour][article] = views
        for hour, added in by_hour.items():
            started_at = datetime.datetime.fromtimestamp(hour, tz=datetime.timezone.utc)
            rows = list(
                ReadCount.objects.select_for_update().filter(
                    started_at=started_at, article_id__in=added
                )
            )
            for row in rows:
                row.reads += added.pop(row.article_id)
            ReadCount.objects.bulk_update(rows, ["reads"])
            ReadCount.objects.bulk_create(
                ReadCount(
                    article_id=article,
                    started_at=started_at,
                    language=languages[article],
                    reads=views,
                )
                for article, views in added.items()
            )
        now = timezone.now()
        ReadBatch.objects.filter(written_at__lt=now - KEEP_BATCH_TOKENS).delete()
        # Hours no list shows any more leave, a batch at a time; naming the languages lets the
        # delete walk the lists' index (language, hour) instead of the whole table.
        ReadCount.objects.filter(
            language__in=[code for code, _name in Article.Language.choices],
            started_at__lt=now - KEEP_COUNTS,
        ).delete()
    return True
