"""Build a benchmark dataset: N articles of realistic Vietnamese news over 15 years.

Run inside Django (bench/load_bench.py calls build()). Text is recombined from the seed pages'
sentences, so titles, leads and bodies read like the ministry's news and search has real words
to find. Articles go in with bulk_create, after the same derived fields and sanitising that
save() would apply; no revisions are written, since no editor made them.
"""

import io
import random
import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image as PILImage

from news.models import Article, Category, Image, Topic
from news.parser import Paragraph, decode_page, parse_page
from news.text import vietnamese_slugify
from readership.models import ReadCount

# The GIN index on Article.search_vector (news/migrations/0009).
WORD_INDEX = "article_search_vector_idx"
SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SECTIONS = {
    "Xã hội": ["Bình đẳng giới", "Trẻ em", "Giảm nghèo"],
    "Lao động": ["Việc làm", "Tiền lương", "An toàn lao động"],
    "Người có công": [],
    "Giáo dục nghề nghiệp": [],
    "Hợp tác quốc tế": [],
}
PLACES = ["Hà Nội", "Phú Yên", "Đà Nẵng", "Cần Thơ", "Thái Bình", "Nghệ An", "Lào Cai", "Huế"]
TOPICS = [
    "bình đẳng giới",
    "an sinh xã hội",
    "giảm nghèo bền vững",
    "việc làm cho thanh niên",
    "bảo hiểm thất nghiệp",
    "người có công với cách mạng",
    "bảo vệ trẻ em",
    "an toàn lao động",
    "giáo dục nghề nghiệp",
    "tiền lương tối thiểu",
    "phòng, chống bạo lực gia đình",
]
OPENINGS = [
    "Tập huấn nghiệp vụ công tác",
    "Hội nghị tổng kết công tác",
    "Ký kết chương trình phối hợp về",
    "Đẩy mạnh triển khai chính sách",
    "Kiểm tra việc thực hiện",
    "Hội thảo khoa học về",
    "Nâng cao hiệu quả",
    "Tọa đàm chia sẻ kinh nghiệm về",
]
AUTHORS = ["Thái Bình", "Thu Hà", "Minh Anh", "Quang Huy", "Ngọc Lan", "Hải Yến", ""]


def _sentences():
    found = []
    for seed in sorted(SEEDS.glob("*.txt")):
        page = parse_page(decode_page(seed.read_bytes()))
        texts = [page.lead] + [b.text for b in page.blocks if isinstance(b, Paragraph)]
        for text in texts:
            found.extend(s.strip() for s in re.split(r"(?<=[.;])\s+", text) if len(s) > 40)
    return found


def _categories():
    made = []
    for position, (name, children) in enumerate(SECTIONS.items()):
        parent, _ = Category.objects.get_or_create(
            slug=vietnamese_slugify(name), defaults={"name": name, "position": position}
        )
        made.append(parent)
        for child_name in children:
            child, _ = Category.objects.get_or_create(
                slug=vietnamese_slugify(child_name),
                defaults={"name": child_name, "parent": parent},
            )
            made.append(child)
    return made


def _images(rng, count=24):
    images = list(Image.objects.exclude(file="")[:count])
    while len(images) < count:
        buffer = io.BytesIO()
        color = tuple(rng.randrange(256) for _ in range(3))
        picture = PILImage.effect_noise((1600, 1067), 60).convert("RGB")
        PILImage.blend(picture, PILImage.new("RGB", picture.size, color), 0.6).save(
            buffer, "JPEG", quality=85
        )
        image = Image(
            file=SimpleUploadedFile(f"anh-{len(images)}.jpg", buffer.getvalue()),
            caption=f"Quang cảnh hội nghị tại {rng.choice(PLACES)}",
            alt_text="Các đại biểu dự hội nghị",
        )
        image.save()
        images.append(image)
    return images


def build(count, seed=2026, batch_size=5000, progress=print):
    """Add articles until there are ``count``; returns the number added."""
    rng = random.Random(seed)
    existing = Article.objects.count()
    if existing >= count:
        add_topics_and_reads(rng, progress)
        return 0
    sentences = _sentences()
    categories = _categories()
    images = _images(rng)
    start = timezone.make_aware(datetime(2011, 1, 1, 6, 0))
    span = (timezone.now() - timedelta(days=1) - start).total_seconds()
    added = 0
    with _word_index_built_after(count - existing):
        for first in range(existing, count, batch_size):
            added += _add_batch(
                rng, sentences, categories, images, start, span, first, batch_size, count
            )
            progress(f"  {existing + added:,} / {count:,} articles")
    add_topics_and_reads(rng, progress)
    return added


def add_topics_and_reads(rng, progress=print, tagged=0.05, articles_read_per_hour=100):
    """Topics (a third of them events) on ``tagged`` of the articles, and a month of hourly
    read counts over the newest articles, as the topic, most-read and home pages meet them.
    Does nothing when the topics are there already."""
    if Topic.objects.exists():
        return
    topics = [
        Topic(name=name[:1].upper() + name[1:], is_event=n % 3 == 0)
        for n, name in enumerate(TOPICS)
    ]
    for topic in topics:
        topic.save()
    through = Article.topics.through
    ids = list(Article.objects.values_list("pk", flat=True))
    chosen = rng.sample(ids, int(len(ids) * tagged))
    for first in range(0, len(chosen), 10_000):
        rows = [
            through(article_id=pk, topic_id=rng.choice(topics).pk)
            for pk in chosen[first : first + 10_000]
        ]
        through.objects.bulk_create(rows, ignore_conflicts=True)
    through.objects.copy_publication_times()  # bulk_create sends no signal
    progress(f"  {len(topics)} topics on {len(chosen):,} articles")
    newest = list(Article.objects.order_by("-published_at").values_list("pk", flat=True)[:3000])
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    counts = []
    for back in range(31 * 24):
        started_at = hour - timedelta(hours=back)
        for pk in rng.sample(newest, articles_read_per_hour):
            counts.append(
                ReadCount(
                    article_id=pk, started_at=started_at, language="vi", reads=rng.randint(1, 9)
                )
            )
    ReadCount.objects.bulk_create(counts, batch_size=10_000, ignore_conflicts=True)
    progress(f"  {len(counts):,} hourly read counts")


@contextmanager
def _word_index_built_after(adding):
    """On PostgreSQL, a big load builds the word index (migration 0009) once, at the end.

    Kept up row by row, that GIN index made loading a million articles take hours; built once
    afterwards it takes minutes. An interrupted load still ends with the index back.
    """
    if connection.vendor != "postgresql" or adding < 50_000:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [WORD_INDEX])
        row = cursor.fetchone()
        if row is None:
            yield
            return
        cursor.execute(f"DROP INDEX {WORD_INDEX}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(row[0])


def _add_batch(rng, sentences, categories, images, start, span, first, batch_size, count):
    batch = []
    for n in range(first, min(first + batch_size, count)):
        title = f"{rng.choice(OPENINGS)} {rng.choice(TOPICS)} tại {rng.choice(PLACES)} ({n})"
        paragraphs = [" ".join(rng.sample(sentences, 3)) for _ in range(rng.randint(4, 8))]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        article = Article(
            title=title,
            slug=vietnamese_slugify(title),
            lead=" ".join(rng.sample(sentences, 2)),
            body=body,
            category=rng.choice(categories),
            author=rng.choice(AUTHORS),
            status=Article.Status.PUBLISHED,
            published_at=start + timedelta(seconds=rng.random() * span),
            featured_image=rng.choice(images) if rng.random() < 0.7 else None,
        )
        article.refresh_derived_fields()
        article.version = 1
        batch.append(article)
    with transaction.atomic():
        Article.objects.bulk_create(batch)
    return len(batch)
