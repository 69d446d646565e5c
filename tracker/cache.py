"""A Redis cache that misses while Redis is down, instead of turning every page into a 500.

The cache only ever holds copies (rendered pages, throttle counts); the database
is the truth. So when Redis is unreachable a read is a miss, a write is
dropped, and the error is logged once per call; pages render from the database.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _fallback(method, value):
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as exc:
            log.warning("Cache unreachable, %s skipped: %s", method.__name__, exc)
            return value(args) if callable(value) else value

    call.__name__ = method.__name__
    return call


class ResilientRedisCacheClient(RedisCacheClient):
    # What each operation answers while Redis is away: a miss, or "not stored".
    get = _fallback(RedisCacheClient.get, lambda args: args[1])  # the caller's default
    get_many = _fallback(RedisCacheClient.get_many, lambda args: {})
    has_key = _fallback(RedisCacheClient.has_key, False)
    add = _fallback(RedisCacheClient.add, False)
    set = _fallback(RedisCacheClient.set, None)
    set_many = _fallback(RedisCacheClient.set_many, None)
    touch = _fallback(RedisCacheClient.touch, False)
    delete = _fallback(RedisCacheClient.delete, False)
    delete_many = _fallback(RedisCacheClient.delete_many, None)
    clear = _fallback(RedisCacheClient.clear, False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient


def shared_redis():
    """The raw Redis client behind the default cache, or None when the cache is not Redis.

    For values every process must agree on (the latest revision): a local-memory
    cache is per process, so it never holds them.
    """
    from django.core.cache import caches

    cache = caches["default"]  # the backend itself: django.core.cache.cache is a proxy
    if not isinstance(cache, RedisCache):
        return None
    # Kept on the backend (one per thread): building a redis-py client costs a millisecond.
    client = getattr(cache, "_shared_client", None)
    if client is None:
        client = cache._shared_client = cache._cache.get_client(write=True)
    return client
