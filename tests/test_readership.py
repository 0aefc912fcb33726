"""Most read (readership/): views counted from readers' browsers, exactly, into the shared store
with one atomic operation each, written to the database in batches with no cron, and listed on
/doc-nhieu/ and beside the home page and articles within 80 s, through the page cache."""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from news.models import Article
from portal.caching.store import generation
from readership import batches
from readership.counting import token_for
from readership.models import ReadBatch, ReadCount
from readership.stores import BATCH_SECONDS, read_store
from tests.reader import HIDDEN_STATES, NOW, hidden_fields, text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# A reader's Chrome on a desktop.
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@pytest.fixture(params=["embedded", "redis"])
def store(request, settings):
    """The shared store, empty: the embedded default's file, or Redis."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.caching.backends.PooledRedisCache",
                "LOCATION": request.getfixturevalue("redis_url"),
                "KEY_PREFIX": f"test-readership-{os.getpid()}",
            }
        }
    from django.core.cache import cache

    cache.clear()
    found = read_store()
    found.clear()
    yield found
    found.clear()
    cache.clear()


@pytest.fixture
def embedded_store():
    found = read_store()
    found.clear()
    yield found
    found.clear()


def beacon(client, article, reader="trinh-duyet-000001", address="203.0.113.5", **extra):
    """What static/js/site.js sends when a browser shows ``article``'s page."""
    extra.setdefault("HTTP_USER_AGENT", BROWSER)
    return client.post(
        reverse("readership:count"),
        {"bai": token_for(article.pk), "ban-doc": reader},
        REMOTE_ADDR=address,
        **extra,
    )


def reads_of(article):
    """The article's views written to the database, all periods together."""
    return ReadCount.objects.filter(article=article).aggregate(n=Sum("reads"))["n"] or 0


def panel(page):
    """The sidebar's most read list, or ""."""
    found = re.search(
        r'<section class="panel" aria-labelledby="doc-nhieu">.*?</section>', page, re.S
    )
    return found.group(0) if found else ""


def period(page, anchor):
    """One period's section of /doc-nhieu/."""
    found = re.search(
        rf'<section class="block" aria-labelledby="{anchor}">.*?</section>', page, re.S
    )
    assert found, anchor
    return found.group(0)


# -- counting ---------------------------------------------------------------------------------


def test_a_beacon_counts_a_view_of_the_article(client, store, make_article):
    article = make_article()

    response = beacon(client, article)

    assert response.status_code == 204
    assert response.content == b""
    batches.write_batches()
    assert reads_of(article) == 1


def test_three_browsers_behind_one_address_are_three_readers(client, store, make_article):
    article = make_article()
    for reader in ("trinh-duyet-may-1", "trinh-duyet-may-2", "trinh-duyet-may-3"):
        assert beacon(client, article, reader=reader, address="198.51.100.7").status_code == 204
    batches.write_batches()
    assert reads_of(article) == 3


def test_a_reload_within_an_hour_counts_once(client, store, make_article):
    article = make_article()
    other = make_article(title="Tin khác")
    with time_machine.travel(NOW, tick=False) as clock:
        beacon(client, article)
        clock.shift(timedelta(minutes=59))
        beacon(client, article)  # the same browser, reloading
        beacon(client, other)  # the same browser, another article: a view of its own
        batches.write_batches()
        assert (reads_of(article), reads_of(other)) == (1, 1)

        clock.shift(timedelta(minutes=2))  # an hour after the counted view: a new one
        beacon(client, article)
        batches.write_batches()
        assert reads_of(article) == 2


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/126.0.0.0 Safari/537.36",
        "python-requests/2.32.3",
        "curl/8.5.0",
        "",
    ],
)
def test_known_bots_are_not_counted(client, embedded_store, make_article, user_agent):
    article = make_article()
    assert beacon(client, article, HTTP_USER_AGENT=user_agent).status_code == 204
    batches.write_batches()
    assert reads_of(article) == 0


def test_readers_browsers_are_counted_whatever_their_brand(client, embedded_store, make_article):
    article = make_article()
    for n, user_agent in enumerate(
        [
            BROWSER,
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "coc_coc_browser/118.0.0 Chrome/112.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0 Mobile Safari/537.36 Zalo android/12110801 ZaloTheme/light",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        ]
    ):
        beacon(client, article, reader=f"trinh-duyet-{n:06d}", HTTP_USER_AGENT=user_agent)
    batches.write_batches()
    assert reads_of(article) == 4


def test_beacons_the_sites_script_never_sends_are_refused(client, embedded_store, make_article):
    article = make_article()
    url = reverse("readership:count")
    token = token_for(article.pk)
    other_token = token_for(article.pk + 1)
    forged = f"{article.pk + 1}:{token.split(':', 1)[1]}"  # another id, this one's signature
    reader = "trinh-duyet-000001"
    ua = {"HTTP_USER_AGENT": BROWSER}

    assert client.get(url).status_code == 405
    assert client.post(url, {"bai": forged, "ban-doc": reader}, **ua).status_code == 400
    assert client.post(url, {"bai": str(article.pk), "ban-doc": reader}, **ua).status_code == 400
    assert client.post(url, {"bai": token, "ban-doc": "ngan"}, **ua).status_code == 400
    assert client.post(url, {"bai": token, "ban-doc": "<script>x"}, **ua).status_code == 400
    assert client.post(url, {"bai": token}, **ua).status_code == 400
    padded = {"bai": token, "ban-doc": reader, "them": "x" * 1000}
    assert client.post(url, padded, **ua).status_code == 400
    # Another site's page making its visitors' browsers count.
    cross = client.post(
        url, {"bai": token, "ban-doc": reader}, HTTP_ORIGIN="https://ke-gian.example", **ua
    )
    assert cross.status_code == 403
    fetch_site = client.post(
        url, {"bai": token, "ban-doc": reader}, HTTP_SEC_FETCH_SITE="cross-site", **ua
    )
    assert fetch_site.status_code == 403
    # The site's own page, as a browser sends it.
    own = client.post(
        url,
        {"bai": other_token, "ban-doc": reader},
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
        **ua,
    )
    assert own.status_code == 204

    batches.write_batches()
    # The one accepted names an article that does not exist: nothing is written for it.
    assert ReadCount.objects.count() == 0


def test_the_count_endpoint_is_never_cached(client, embedded_store, make_article):
    article = make_article()
    for _ in range(2):
        response = beacon(client, article)
        assert response.status_code == 204
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert "X-Page-Cache" not in response


def test_one_address_cannot_invent_readers_without_end(client, embedded_store, make_article):
    from readership.stores import MAX_READERS_PER_ADDRESS

    article = make_article()
    for n in range(MAX_READERS_PER_ADDRESS + 25):
        beacon(client, article, reader=f"nguoi-doc-gia-{n:06d}", address="192.0.2.9")
    beacon(client, article, reader="nguoi-doc-that-000001", address="192.0.2.10")
    batches.write_batches()
    assert reads_of(article) == MAX_READERS_PER_ADDRESS + 1


def test_counting_never_writes_to_the_articles_table_nor_makes_pages_stale(
    client, store, make_article
):
    article = make_article()
    updated_at = article.updated_at
    before = generation()
    with (
        time_machine.travel(NOW, tick=False) as clock,
        CaptureQueriesContext(connection) as queries,
    ):
        for n in range(5):
            beacon(client, article, reader=f"trinh-duyet-{n:06d}")
            clock.shift(timedelta(seconds=30))
        batches.write_batches()

    assert reads_of(article) == 5
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if re.match(r"\s*(INSERT|UPDATE|DELETE|REPLACE)", query["sql"], re.I)
    ]
    assert writes, "the batches were written"
    assert not [sql for sql in writes if "news_article" in sql], writes
    article.refresh_from_db()
    assert article.updated_at == updated_at
    assert generation() == before


# -- batches ----------------------------------------------------------------------------------


def test_a_batch_is_written_without_cron_and_shows_within_80_seconds_through_the_page_cache(
    client, embedded_store, make_article
):
    # The embedded default's cache follows the test's clock; Redis expires keys by its own, so
    # on Redis the same is seen only in real time (the batch itself: the crash tests below).
    with time_machine.travel(NOW, tick=False) as clock:
        read = make_article(title="Tin được nhiều người đọc")
        later = make_article(title="Tin đọc sau")
        most_read = reverse("readership:most-read")
        beacon(client, read, reader="nguoi-doc-dau-tien")  # the first batch, at once
        assert reads_of(read) == 1

        clock.shift(timedelta(seconds=10))
        for n in range(3):
            beacon(client, read, reader=f"nguoi-doc-{n:06d}")
        assert reads_of(read) == 1  # waiting for the next batch

        # Readers' pages are stored now, with the list as it stands.
        clock.shift(timedelta(seconds=BATCH_SECONDS - 11))
        for url in ("/", most_read, later.get_absolute_url()):
            client.get(url)
            assert client.get(url)["X-Page-Cache"] == "hit", url

        clock.shift(timedelta(seconds=2))  # the last batch is BATCH_SECONDS old
        beacon(client, later, reader="nguoi-doc-cuoi-cung")  # writes the batch: no cron
        assert (reads_of(read), reads_of(later)) == (4, 1)
        written = time.time()

        home = client.get("/")
        assert home["X-Page-Cache"] == "hit"  # the page cache still has the page from before
        assert "Tin đọc sau" not in panel(text(home))

        clock.move_to(NOW + timedelta(seconds=written - NOW.timestamp() + 80))
        for url in ("/", later.get_absolute_url()):
            shown = panel(text(client.get(url)))
            assert "Tin được nhiều người đọc" in shown and "Tin đọc sau" in shown, url
        page = text(client.get(most_read))
        assert "4 lượt đọc" in period(page, "trong-ngay")
        assert "Tin đọc sau" in period(page, "trong-ngay")
        # Stored again, for the next minute.
        assert client.get(most_read)["X-Page-Cache"] == "hit"


def test_a_writer_that_dies_before_committing_loses_nothing(
    client, store, make_article, monkeypatch
):
    article = make_article()
    with time_machine.travel(NOW, tick=False) as clock:
        beacon(client, article, reader="nguoi-doc-000000")  # first batch
        for n in range(1, 4):
            beacon(client, article, reader=f"nguoi-doc-{n:06d}")

        def crash(*args, **kwargs):
            raise RuntimeError("the worker was killed")

        clock.shift(timedelta(seconds=BATCH_SECONDS))
        with monkeypatch.context() as patch:
            patch.setattr(ReadCount.objects, "bulk_update", crash)
            beacon(client, article, reader="nguoi-doc-000004")  # claims the batch and dies
        assert reads_of(article) == 1

        clock.shift(timedelta(seconds=31))  # its claim has ended
        beacon(client, article, reader="nguoi-doc-000005")
        assert reads_of(article) == 6


def test_a_writer_that_dies_after_committing_counts_nothing_twice(
    client, store, make_article, monkeypatch
):
    article = make_article()
    with time_machine.travel(NOW, tick=False) as clock:
        beacon(client, article, reader="nguoi-doc-000000")
        for n in range(1, 4):
            beacon(client, article, reader=f"nguoi-doc-{n:06d}")

        clock.shift(timedelta(seconds=BATCH_SECONDS))
        with monkeypatch.context() as patch:
            patch.setattr(type(store), "forget_batch", lambda self, token: 1 / 0)
            beacon(client, article, reader="nguoi-doc-000004")  # written, never forgotten
        assert reads_of(article) == 5

        clock.shift(timedelta(seconds=31))
        beacon(client, article, reader="nguoi-doc-000005")
        assert reads_of(article) == 6
        assert ReadBatch.objects.count() == 3


def test_losing_the_store_loses_at_most_the_last_minute(client, store, make_article):
    article = make_article()
    seen_at = []
    with time_machine.travel(NOW, tick=False) as clock:
        for n in range(60):  # a view every 5 s for five minutes, nothing else
            beacon(client, article, reader=f"nguoi-doc-{n:06d}")
            seen_at.append(time.time())
            clock.shift(timedelta(seconds=5))
        crash = time.time()
        store.clear()  # Redis restarted without persistence, or the file lost

    written = reads_of(article)
    older_than_a_minute = sum(1 for moment in seen_at if moment <= crash - 60)
    assert older_than_a_minute <= written <= len(seen_at)
    assert ReadBatch.objects.count() >= 5


def _database_url():
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


BEACONS_IN_A_PROCESS = """
import sys, time
import django
django.setup()
from django.test import Client
from readership.counting import token_for

process, beacons, start = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
articles = [int(pk) for pk in sys.argv[4].split(",")]
client = Client()
time.sleep(max(0, start - time.time()))  # every process at once
for n in range(beacons):
    response = client.post(
        "/doc-nhieu/dem/",
        {"bai": token_for(articles[n % len(articles)]), "ban-doc": f"tien-trinh-{process}-{n:06d}"},
        REMOTE_ADDR=f"10.{process}.{n // 200}.{n % 200}",
        HTTP_USER_AGENT=sys.argv[5],
    )
    assert response.status_code == 204, response.status_code
"""


@pytest.mark.slow  # starts four processes
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["embedded", "redis"])
def test_counts_are_exact_across_processes(kind, request, settings, make_article):
    processes, beacons = 4, 300
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": _database_url(),  # batches are written into this test's database
    }
    if kind == "redis":
        prefix = f"test-readership-processes-{os.getpid()}"
        url = request.getfixturevalue("redis_url")
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.caching.backends.PooledRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
            }
        }
        env.update(CACHE_URL=url, DJANGO_CACHE_PREFIX=prefix)
    store = read_store()
    store.clear()
    articles = [make_article(title=f"Tin số {n}") for n in range(3)]
    ids = ",".join(str(article.pk) for article in articles)
    start = time.time() + 4
    running = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                BEACONS_IN_A_PROCESS,
                str(p),
                str(beacons),
                str(start),
                ids,
                BROWSER,
            ],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in range(processes)
    ]
    for process in running:
        _out, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors

    batches.write_batches()
    # Every beacon of every process, none lost and none twice.
    assert [reads_of(article) for article in articles] == [processes * beacons // 3] * 3
    assert ReadBatch.objects.exists()
    store.clear()


# -- the lists --------------------------------------------------------------------------------


def counted(article, views, ago):
    """``views`` of ``article``, written in the hour ``ago`` before NOW."""
    hour = (NOW - ago).astimezone(NOW.tzinfo).replace(minute=0, second=0, microsecond=0)
    ReadCount.objects.create(
        article=article, started_at=hour, language=article.language, reads=views
    )


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_a_batch_lets_counts_older_than_the_longest_list_go(frozen, embedded_store, make_article):
    from readership.batches import write_batch

    article = make_article(title="Tin cũ và mới")
    counted(article, 5, timedelta(days=32))
    counted(article, 7, timedelta(days=29))
    hour = int(NOW.replace(minute=0, second=0, microsecond=0).timestamp())
    assert write_batch("lo-moi", {(article.pk, hour): 1})
    kept = sorted(ReadCount.objects.filter(article=article).values_list("reads", flat=True))
    assert kept == [1, 7]  # a month's list still adds up what it shows


def test_most_read_lists_the_last_day_week_and_month(client, frozen, make_article):
    today = make_article(title="Tin đọc nhiều hôm nay")
    this_week = make_article(title="Tin đọc nhiều tuần này")
    this_month = make_article(title="Tin đọc nhiều tháng này")
    long_ago = make_article(title="Tin đọc nhiều từ lâu")
    counted(today, 5, timedelta(hours=2))
    counted(today, 1, timedelta(days=2))
    counted(this_week, 40, timedelta(days=3))
    counted(this_month, 90, timedelta(days=20))
    counted(long_ago, 500, timedelta(days=40))

    page = text(client.get(reverse("readership:most-read")))

    day, week, month = (period(page, a) for a in ("trong-ngay", "trong-tuan", "trong-thang"))
    assert "Tin đọc nhiều hôm nay" in day and "5 lượt đọc" in day
    assert "tuần này" not in day and "tháng này" not in day
    # Most read first: this week's 40, then today's 5 + 1.
    assert week.index("tuần này") < week.index("hôm nay") and "6 lượt đọc" in week
    assert "tháng này" not in week
    assert month.index("tháng này") < month.index("tuần này") < month.index("hôm nay")
    assert "từ lâu" not in page
    # The periods are sections with headings, and a list of links to them.
    for anchor in ("trong-ngay", "trong-tuan", "trong-thang"):
        assert f'<a href="#{anchor}">' in page
        assert f'<h2 class="block__title" id="{anchor}">' in page


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_most_read_never_shows_articles_readers_may_not_see(client, frozen, make_article, state):
    shown = make_article(title="Tin đã đăng")
    hidden = make_article(title="Tin chưa được công bố", **hidden_fields(state))
    counted(shown, 1, timedelta(hours=1))
    counted(hidden, 100, timedelta(hours=1))

    for url in ("/", shown.get_absolute_url(), reverse("readership:most-read")):
        page = text(client.get(url))
        assert "Tin đã đăng" in page
        assert "Tin chưa được công bố" not in page, url


def test_the_short_list_is_on_the_home_and_article_pages(client, frozen, make_article):
    articles = [make_article(title=f"Tin đọc nhiều số {n}") for n in range(7)]
    for n, article in enumerate(articles):
        counted(article, 100 - n, timedelta(hours=1))

    for url in ("/", articles[0].get_absolute_url()):
        shown = panel(text(client.get(url)))
        assert [f"Tin đọc nhiều số {n}" in shown for n in range(7)] == [True] * 5 + [False] * 2
        assert reverse("readership:most-read") in shown
    # Nothing read yet: no empty panel.
    ReadCount.objects.all().delete()
    from django.core.cache import cache

    cache.clear()
    assert panel(text(client.get("/"))) == ""


def test_most_read_says_so_when_nothing_was_read(client, frozen, make_article):
    make_article()
    page = text(client.get(reverse("readership:most-read")))
    assert page.count("Chưa có số liệu lượt đọc trong khoảng thời gian này.") == 3


def test_the_english_side_lists_english_articles(client, frozen, make_article):
    vietnamese = make_article(title="Tin tiếng Việt")
    english = make_article(title="News in English", language=Article.Language.EN)
    counted(vietnamese, 9, timedelta(hours=1))
    counted(english, 3, timedelta(hours=1))

    with translation.override("en"):
        english_page = text(client.get(reverse("readership:most-read")))
    with translation.override("vi"):
        vietnamese_page = text(client.get(reverse("readership:most-read")))

    assert "News in English" in english_page and "Tin tiếng Việt" not in english_page
    assert "Tin tiếng Việt" in vietnamese_page and "News in English" not in vietnamese_page


def test_the_beacon_is_on_public_article_pages_only(client, staff_client, frozen, make_article):
    article = make_article()
    page = text(client.get(article.get_absolute_url()))
    assert f'data-article="{token_for(article.pk)}"' in page
    assert f'data-url="{reverse("readership:count")}"' in page
    preview = text(staff_client.get(reverse("news:article-preview", args=[article.pk])))
    assert "js-read-counter" not in preview


def test_most_read_queries_stay_the_same_as_the_archive_grows(
    client, frozen, make_article, django_assert_max_num_queries, schedule_queries
):
    from django.core.cache import cache

    url = reverse("readership:most-read")
    made, counts = 0, []
    for more in (3, 30):
        for _ in range(more):
            made += 1
            article = make_article(title=f"Tin số {made}")
            counted(article, made, timedelta(hours=made % 48 + 1))
        cache.clear()
        # The frame's (identity, next change, sections), and two for each period: its counts
        # added up, then its articles.
        with django_assert_max_num_queries(8 + schedule_queries) as captured:
            page = text(client.get(url))
        assert f"Tin số {made}" in page
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    # Stored: the next reader's page costs no query.
    with django_assert_max_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"
