"""portal.caching.backends: reads on each thread's own connection give what Django's gives."""

import multiprocessing
import os
import socket
import threading
import time

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from portal.caching.backends import PooledRedisCache
from tests.test_cache import _closed_port


def _caches(url, prefix):
    params = {"KEY_PREFIX": prefix}
    return PooledRedisCache(url, dict(params)), RedisCache(url, dict(params))


@pytest.fixture
def pair(redis_url):
    ours, django = _caches(redis_url, f"test-backend-{os.getpid()}")
    yield ours, django
    django.clear()


def _own_connection_id(cache):
    client = cache._cache
    connection = client._own_connection(client._get_connection_pool_index(False))
    connection.send_command("CLIENT", "ID")
    return connection.read_response()


def test_reads_give_what_djangos_backend_gives(pair):
    ours, django = pair
    values = {"page": (7, 200, [("Content-Type", "text/html")], b"\x1f\x8b" * 900), "n": 42}
    django.set_many({**values, "text": "Tin mới nhất"})
    assert ours.get("page") == values["page"]
    assert ours.get("n") == 42
    assert ours.get("text") == "Tin mới nhất"
    assert ours.get("missing") is None
    assert ours.get("missing", "mặc định") == "mặc định"
    assert ours.get_many(["page", "missing", "n"]) == {"page": values["page"], "n": 42}
    assert ours.get_many([]) == {}
    # Writes still go through the pool, and the two agree both ways.
    ours.set("written", {"a": 1})
    assert django.get("written") == {"a": 1} == ours.get("written")


def test_a_connection_the_server_closed_is_replaced_without_an_error(pair, redis_url):
    ours, django = pair
    django.set("key", "giá trị")
    first = _own_connection_id(ours)
    # What a Redis restart, or its idle timeout, does to a worker's connection.
    assert redis.Redis.from_url(redis_url).client_kill_filter(_id=first) == 1
    assert ours.get("key") == "giá trị"
    assert ours.get_many(["key"]) == {"key": "giá trị"}
    assert _own_connection_id(ours) != first


def test_each_thread_reads_on_its_own_connection(pair):
    ours, django = pair
    django.set_many({f"thread-{n}": n for n in range(8)})
    wrong, ids = [], set()

    def reader(n):
        for _ in range(200):
            # Answers read off a connection another thread also writes to would get mixed up.
            if ours.get_many([f"thread-{n}"]) != {f"thread-{n}": n} or ours.get(f"thread-{n}") != n:
                wrong.append(n)
        ids.add(_own_connection_id(ours))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert len(ids) == 8


def _child_reads(cache, queue):
    queue.put((cache.get("key"), _own_connection_id(cache)))


def test_a_forked_worker_never_uses_its_parents_connection(pair):
    ours, django = pair
    django.set("key", "trước khi tách tiến trình")
    parent = _own_connection_id(ours)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child_reads, args=(ours, queue))
    child.start()
    value, child_connection = queue.get(timeout=30)
    child.join(timeout=30)
    assert value == "trước khi tách tiến trình"
    assert child_connection != parent
    # The parent's connection still answers its own reads.
    assert ours.get("key") == "trước khi tách tiến trình"
    assert _own_connection_id(ours) == parent


def test_reads_go_to_a_read_server_and_writes_to_the_first(redis_url):
    """Several LOCATIONs: Django writes to the first and reads from the others."""
    primary, replica = redis_url, redis_url.rsplit("/", 1)[0] + "/14"
    prefix = f"test-replica-{os.getpid()}"
    ours = PooledRedisCache([primary, replica], {"KEY_PREFIX": prefix})
    on_replica = RedisCache(replica, {"KEY_PREFIX": prefix})
    try:
        ours.set("key", "trên máy chính")
        on_replica.set("key", "trên máy đọc")
        assert ours.get("key") == "trên máy đọc"
        assert ours.get_many(["key"]) == {"key": "trên máy đọc"}
    finally:
        ours.delete("key")
        on_replica.delete("key")


def test_a_server_that_is_down_fails_the_read():
    ours = PooledRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})
    with pytest.raises(redis.exceptions.ConnectionError):
        ours.get("key")
    with pytest.raises(redis.exceptions.ConnectionError):
        ours.get_many(["key"])


def test_a_redis_that_stops_answering_costs_a_read_its_timeout_not_a_worker():
    from tests.test_settings import settings_under

    options = settings_under(
        DJANGO_DEBUG="1", CACHE_URL="redis://127.0.0.1:6379/3", PORTAL_CACHE_TIMEOUT_MS="300"
    )["CACHE_OPTIONS"]
    assert options == {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}
    with socket.socket() as silent:
        # The kernel accepts the connection; nothing ever answers on it.
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        ours = PooledRedisCache(
            f"redis://127.0.0.1:{silent.getsockname()[1]}/0", {"OPTIONS": options}
        )
        failures = []

        def read():
            try:
                ours.get("key")
            except redis.exceptions.TimeoutError as error:
                failures.append(error)

        reader = threading.Thread(target=read, daemon=True)
        started = time.monotonic()
        reader.start()
        reader.join(timeout=10)
        assert not reader.is_alive(), "the read waited past its timeout"
        assert len(failures) == 1
        assert time.monotonic() - started < 2


def test_threads_own_connections_leave_the_pools_limit_to_writes(redis_url):
    prefix = f"test-limit-{os.getpid()}"
    ours = PooledRedisCache(redis_url, {"KEY_PREFIX": prefix, "OPTIONS": {"max_connections": 2}})
    ours.set("key", "giá trị")
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(ours.get("key"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert answers == ["giá trị"] * 4
        ours.set("key", "vẫn ghi được")  # the pool still has its connections for writes
        assert ours.get("key") == "vẫn ghi được"
    finally:
        ours.delete("key")
