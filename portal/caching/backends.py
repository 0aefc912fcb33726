"""Django's RedisCache, with leaner reads.

Django's backend builds a new redis-py client object for every cache call; on a cached page hit
that construction costs more than the network round trip. The pools, and so the connections,
are Django's own; only the client object is kept.

Reads (``get``, ``get_many``: every page-cache lookup and every fragment) go
further: each thread keeps one connection of its own, made with the pool's settings (address,
database, password, TLS, timeouts, health checks), and sends the command on it directly.
Checking a connection out of the pool and back costs a lock, a probe of the socket (two extra
system calls) and redis-py's per-command bookkeeping: 25-35 µs per read, a quarter
of what a whole page-cache hit costs (bench/RESULTS.md). A connection is never shared between
threads or carried across a fork. The pool's probe exists to catch a connection the server
has closed; here such a read fails on its first try and is sent once more on a new connection,
which is safe because reads change nothing. Writes go through the pool as before.
"""

import os
import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError


class PooledRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._own = threading.local()

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._pool(index))
        return client

    def _pool(self, index):
        # Django's _get_connection_pool() picks a read server again at random; this takes the
        # one already picked, so a client or connection is kept under the server it talks to.
        if index not in self._pools:
            self._pools[index] = self._pool_class.from_url(
                self._servers[index], **self._pool_options
            )
        return self._pools[index]

    def _own_connection(self, index):
        """This thread's connection to server ``index``, made after the last fork."""
        connections = getattr(self._own, "connections", None)
        pid = os.getpid()
        if connections is None or self._own.pid != pid:
            # A new thread, or a child process: connections made before the fork belong to
            # the parent and are never used (nor closed) here.
            connections = self._own.connections = {}
            self._own.pid = pid
        connection = connections.get(index)
        if connection is None:
            # Made with the pool's settings but not counted in its max_connections: it is
            # never checked out of, nor returned to, the pool.
            pool = self._pool(index)
            connection = connections[index] = pool.connection_class(**pool.connection_kwargs)
        return connection

    def _read(self, *command):
        index = self._get_connection_pool_index(False)
        connection = self._own_connection(index)
        for attempt in (1, 2):
            try:
                connection.send_command(*command)
                return connection.read_response()
            except RedisConnectionError:
                # redis-py has closed the socket; the next send opens a new one. A server that
                # is down fails the second try too, and the caller serves uncached.
                connection.disconnect()
                if attempt == 2:
                    raise
            except BaseException:
                # A timeout, or an interruption between sending and reading: whatever is left
                # unread on this socket must never be taken for the answer to the next read.
                connection.disconnect()
                raise

    def get(self, key, default):
        value = self._read("GET", key)
        return default if value is None else self._serializer.loads(value)

    def get_many(self, keys):
        keys = list(keys)
        if not keys:
            return {}
        values = self._read("MGET", *keys)
        return {
            key: self._serializer.loads(value)
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }


class PooledRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledRedisCacheClient
