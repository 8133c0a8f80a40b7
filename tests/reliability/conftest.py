"""Fault tests with a real worker and beat on a private Redis that the test may stop and start again.

The shared Redis of the machine is never touched: each test starts its own `redis-server` on a free
port, and this process (web views, API, enqueueing) and the worker and beat subprocesses all use it
for the broker and the cache, as one deployment with one REDIS_URL would.
"""

import pytest

from tests.values.conftest import agencies, framework, period  # noqa: F401 - shared fixtures

from .faults import RedisServer


@pytest.fixture
def private_redis(settings):
    """A private Redis, and this process pointed at it (broker and cache)."""
    from govit.celery import app

    server = RedisServer()
    server.start()
    settings.REDIS_URL = server.url
    settings.CACHES = {"default": {"BACKEND": "govit.cache.TolerantRedisCache", "LOCATION": server.url}}
    broker = app.conf.broker_url
    app.conf.broker_url = server.url
    yield server
    app.conf.broker_url = broker
    server.stop()
