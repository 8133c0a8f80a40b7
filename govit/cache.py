"""A Redis cache that turns an unreachable Redis into cache misses instead of errors.

The cache only holds what may be lost (API throttle and rate-limit counters, score-run progress), so a Redis
outage must not turn every request into a 500: a user's save never fails because Redis is
down (issue 4, "Reliability"). Reads return the default, writes report nothing stored, and a
warning is logged at most once a minute while the outage lasts.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60
_last_warning = [0.0]


def _tolerant(fallback):
    """Call the client method; on a connection failure log (rate-limited) and return fallback(*args)."""

    def wrap(method):
        @functools.wraps(method)
        def call(self, *args):
            try:
                return method(self, *args)
            except (RedisConnectionError, RedisTimeoutError) as exc:
                if time.monotonic() - _last_warning[0] > WARN_EVERY_SECONDS:
                    _last_warning[0] = time.monotonic()
                    log.warning("cache unreachable, serving misses: %s", exc)
                return fallback(*args)

        return call

    return wrap


def _nothing(*_args):
    return None


class TolerantRedisCacheClient(RedisCacheClient):
    get = _tolerant(lambda _key, default: default)(RedisCacheClient.get)
    get_many = _tolerant(lambda _keys: {})(RedisCacheClient.get_many)
    has_key = _tolerant(lambda _key: False)(RedisCacheClient.has_key)
    add = _tolerant(lambda *_args: False)(RedisCacheClient.add)
    set = _tolerant(_nothing)(RedisCacheClient.set)
    incr = _tolerant(_nothing)(RedisCacheClient.incr)  # a rate counter that cannot count lets the request through
    set_many = _tolerant(_nothing)(RedisCacheClient.set_many)
    touch = _tolerant(lambda *_args: False)(RedisCacheClient.touch)
    delete = _tolerant(lambda _key: False)(RedisCacheClient.delete)
    delete_many = _tolerant(_nothing)(RedisCacheClient.delete_many)


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
