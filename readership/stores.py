"""The shared store of pending counts: every process of the site counts a view into it with one
atomic operation, and the one request that claims a batch moves the counts out (batches.py).

Two kinds, chosen by the site's cache (read_store()):

* RedisStore when the cache is Redis: each operation is one Lua script, atomic on the server
  and one round trip.
* FileStore otherwise (the embedded default): a small SQLite file beside the site's data
  (settings.PORTAL_READS_FILE); each operation is one transaction, and SQLite's write lock
  makes it atomic across every process on the machine. Django's file cache cannot count: its
  incr() is a read and then a write, and two processes counting at once lose a view.

The rules are the same in both, and are kept whole inside the one operation:

* a reader's view of an article counts once in SEEN_SECONDS (a reload within the hour is the
  same view);
* at most MAX_READERS_PER_ADDRESS readers count from one address, for one article, in one
  hour: three browsers behind an office's address are three readers, a script inventing
  readers is not a thousand;
* the operation says whether this request should write a batch: the last one was written
  BATCH_SECONDS ago or more, counts are waiting, and no other request holds the batch (a claim
  lasts CLAIM_SECONDS, so a writer that dies is replaced).

Every moment is the application's clock (time.time()) in milliseconds, handed to the store, so
the rules hold whichever server counts. The store's own expiry (Redis TTLs) only clears away
what the rules no longer read.
"""

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings

SEEN_SECONDS = 3600
MAX_READERS_PER_ADDRESS = 200
BATCH_SECONDS = 50
CLAIM_SECONDS = 30
HOUR = 3600


def hour_of(now):
    """The Unix time (seconds) at which the hour holding ``now`` started."""
    return int(now) // HOUR * HOUR


def _ms(now):
    return int(now * 1000)


class Batch:
    """Counts taken out of the store to be written: ``token`` names them (the database records
    it with them), ``counts`` is {(article id, hour's Unix time): views}; ``left_over`` says
    they were taken before, by a request that did not get to forget them."""

    def __init__(self, token, counts, left_over):
        self.token = token
        self.counts = counts
        self.left_over = left_over

    def __bool__(self):
        return self.token is not None


NO_BATCH = Batch(None, {}, False)


# -- Redis ------------------------------------------------------------------------------------

_COUNT = """
local now = tonumber(ARGV[1])
local counted = 0
if tonumber(redis.call('GET', KEYS[1]) or '0') <= now then
  redis.call('SET', KEYS[1], string.format('%d', now + tonumber(ARGV[2])), 'EX', ARGV[3])
  local readers = redis.call('INCR', KEYS[2])
  if readers == 1 then
    redis.call('EXPIRE', KEYS[2], 2 * 3600)
  end
  if readers <= tonumber(ARGV[4]) then
    redis.call('HINCRBY', KEYS[3], ARGV[5], 1)
    counted = 1
  end
end
local claimed = 0
if now - tonumber(redis.call('GET', KEYS[5]) or '0') >= tonumber(ARGV[6])
    and tonumber(redis.call('GET', KEYS[6]) or '0') <= now
    and redis.call('EXISTS', KEYS[3], KEYS[4]) > 0 then
  redis.call('SET', KEYS[6], string.format('%d', now + tonumber(ARGV[7])), 'EX', 3600)
  claimed = 1
end
return {counted, claimed}
"""

_TAKE = """
if redis.call('EXISTS', KEYS[2]) == 1 then
  local token = redis.call('GET', KEYS[3])
  if not token then
    token = ARGV[1]
    redis.call('SET', KEYS[3], token)
  end
  return {token, 1, redis.call('HGETALL', KEYS[2])}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'', 0, {}}
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SET', KEYS[3], ARGV[1])
return {ARGV[1], 0, redis.call('HGETALL', KEYS[2])}
"""

_FORGET = """
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[1], KEYS[2])
end
return 0
"""

_WRITTEN = """
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 0
"""


class RedisStore:
    """Pending counts in the site's Redis, under the cache's key prefix. The hash ``pending``
    holds "article:hour" -> views; a batch is taken by renaming it to ``moving``."""

    def __init__(self, client, prefix):
        self.client = client
        self.prefix = f"{prefix}:readership:" if prefix else "readership:"
        self._count = client.register_script(_COUNT)
        self._take = client.register_script(_TAKE)
        self._forget = client.register_script(_FORGET)
        self._written = client.register_script(_WRITTEN)

    def _key(self, *parts):
        return self.prefix + ":".join(str(part) for part in parts)

    def count(self, article, reader, address, now):
        """Count ``reader``'s view of ``article`` at ``now``: (counted, claimed a batch)."""
        hour = hour_of(now)
        counted, claimed = self._count(
            keys=[
                self._key("seen", article, reader),
                self._key("address", hour, article, address),
                self._key("pending"),
                self._key("moving"),
                self._key("written"),
                self._key("claim"),
            ],
            args=[
                _ms(now),
                SEEN_SECONDS * 1000,
                SEEN_SECONDS + 60,
                MAX_READERS_PER_ADDRESS,
                f"{article}:{hour}",
                BATCH_SECONDS * 1000,
                CLAIM_SECONDS * 1000,
            ],
        )
        return bool(counted), bool(claimed)

    def take_batch(self, token):
        """The batch left over by a writer that died, else every pending count as a new batch
        named ``token`` (NO_BATCH when nothing waits)."""
        taken, left_over, pairs = self._take(
            keys=[self._key("pending"), self._key("moving"), self._key("moving-token")],
            args=[token],
        )
        if not taken:
            return NO_BATCH
        counts = {}
        for field, views in zip(pairs[::2], pairs[1::2], strict=True):
            article, hour = field.decode().split(":")
            counts[int(article), int(hour)] = int(views)
        return Batch(taken.decode(), counts, bool(left_over))

    def forget_batch(self, token):
        self._forget(keys=[self._key("moving"), self._key("moving-token")], args=[token])

    def batch_written(self, now):
        self._written(keys=[self._key("written"), self._key("claim")], args=[_ms(now)])

    def clear(self):
        for key in self.client.scan_iter(match=self.prefix + "*", count=1000):
            self.client.delete(key)


# -- SQLite, the embedded default -------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, until INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS address (
    hour INTEGER NOT NULL, key TEXT NOT NULL, readers INTEGER NOT NULL, PRIMARY KEY (hour, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending (
    article INTEGER NOT NULL, hour INTEGER NOT NULL, views INTEGER NOT NULL,
    PRIMARY KEY (article, hour)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS moving (
    token TEXT NOT NULL, article INTEGER NOT NULL, hour INTEGER NOT NULL, views INTEGER NOT NULL,
    PRIMARY KEY (token, article, hour)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
"""


class FileStore:
    """Pending counts in a SQLite file that every process of the site opens. Each operation is
    one ``BEGIN IMMEDIATE`` transaction: processes take turns at the file's write lock, so an
    upsert (``views = views + 1``) never loses a view. WAL without a sync on every commit: a
    view costs well under a millisecond, and only a power cut (not a crashed process) can lose
    the last moments."""

    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()

    def _connection(self):
        local = self._local
        if getattr(local, "pid", None) != os.getpid():  # a new thread, or a forked process
            local.pid, local.connection = os.getpid(), None
        if local.connection is None:
            local.connection = self._connect()
        return local.connection

    def _connect(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(5):
            connection = sqlite3.connect(self.path, timeout=20, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.executescript(_SCHEMA)
                return connection
            except sqlite3.OperationalError:
                # Processes opening a new file at once may find it locked while one of them
                # turns WAL on; the mode is kept in the file, so the next try goes through.
                connection.close()
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    @contextmanager
    def _transaction(self):
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def count(self, article, reader, address, now):
        """Count ``reader``'s view of ``article`` at ``now``: (counted, claimed a batch)."""
        hour, now_ms = hour_of(now), _ms(now)
        counted = False
        with self._transaction() as db:
            fresh = db.execute(
                "INSERT INTO seen (key, until) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                "SET until = excluded.until WHERE seen.until <= ?",
                (f"{article}:{reader}", now_ms + SEEN_SECONDS * 1000, now_ms),
            ).rowcount
            if fresh:
                (readers,) = db.execute(
                    "INSERT INTO address (hour, key, readers) VALUES (?, ?, 1) "
                    "ON CONFLICT (hour, key) DO UPDATE SET readers = readers + 1 "
                    "RETURNING readers",
                    (hour, f"{article}:{address}"),
                ).fetchone()
                if readers <= MAX_READERS_PER_ADDRESS:
                    db.execute(
                        "INSERT INTO pending (article, hour, views) VALUES (?, ?, 1) "
                        "ON CONFLICT (article, hour) DO UPDATE SET views = views + 1",
                        (article, hour),
                    )
                    counted = True
            claimed = self._claim(db, now_ms)
        return counted, claimed

    def _claim(self, db, now_ms):
        state = dict(db.execute("SELECT name, value FROM state"))
        if now_ms - state.get("written", 0) < BATCH_SECONDS * 1000:
            return False
        if state.get("claim", 0) > now_ms:
            return False
        waiting = db.execute(
            "SELECT EXISTS (SELECT 1 FROM pending) OR EXISTS (SELECT 1 FROM moving)"
        ).fetchone()[0]
        if not waiting:
            return False
        self._set(db, "claim", now_ms + CLAIM_SECONDS * 1000)
        return True

    @staticmethod
    def _set(db, name, value):
        db.execute(
            "INSERT INTO state (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    def take_batch(self, token):
        """The batch left over by a writer that died, else every pending count as a new batch
        named ``token`` (NO_BATCH when nothing waits). Clears away the readers and addresses
        the rules no longer read."""
        now = time.time()
        with self._transaction() as db:
            row = db.execute("SELECT token FROM moving LIMIT 1").fetchone()
            left_over = row is not None
            if left_over:
                token = row[0]
            else:
                db.execute(
                    "INSERT INTO moving (token, article, hour, views) "
                    "SELECT ?, article, hour, views FROM pending",
                    (token,),
                )
                db.execute("DELETE FROM pending")
                db.execute("DELETE FROM seen WHERE until <= ?", (_ms(now),))
                db.execute("DELETE FROM address WHERE hour < ?", (hour_of(now),))
            rows = db.execute(
                "SELECT article, hour, views FROM moving WHERE token = ?", (token,)
            ).fetchall()
        if not rows:
            return NO_BATCH
        return Batch(token, {(article, hour): views for article, hour, views in rows}, left_over)

    def forget_batch(self, token):
        with self._transaction() as db:
            db.execute("DELETE FROM moving WHERE token = ?", (token,))

    def batch_written(self, now):
        with self._transaction() as db:
            self._set(db, "written", _ms(now))
            db.execute("DELETE FROM state WHERE name = 'claim'")

    def clear(self):
        with self._transaction() as db:
            for table in ("seen", "address", "pending", "moving", "state"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names


# -- the site's store -------------------------------------------------------------------------

_stores = {}
_stores_lock = threading.Lock()


def read_store():
    """The store for the site's cache: Redis when the cache is Redis, the file otherwise. One
    per configuration and process (a test that changes the settings gets its own)."""
    config = settings.CACHES[settings.PORTAL_PAGE_CACHE_ALIAS]
    if config["BACKEND"].endswith("RedisCache"):
        location = config["LOCATION"]
        # Writes go to the first server, as Django's RedisCache sends them.
        server = (location.split(",") if isinstance(location, str) else location)[0]
        options = {
            name: value
            for name, value in config.get("OPTIONS", {}).items()
            if name not in ("pool_class", "parser_class", "serializer")
        }
        prefix = config.get("KEY_PREFIX", "")
        key = ("redis", server, prefix, repr(sorted(options.items())))

        def make():
            return RedisStore(redis.Redis.from_url(server, **options), prefix)
    else:
        path = settings.PORTAL_READS_FILE
        key = ("file", str(path))

        def make():
            return FileStore(path)

    with _stores_lock:
        if key not in _stores:
            _stores[key] = make()
        return _stores[key]
