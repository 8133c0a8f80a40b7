"""Production settings, loaded as production loads them (a fresh process): HTTPS-only cookies, HSTS,
referrer policy, API throttling on Redis, and `check --deploy` with nothing to report."""

import json
import subprocess
import sys

import pytest
import yaml
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string

from tests.conftest import ROOT
from tests.security.conftest import production_environment

# Services the settings name but these tests never reach.
SERVICES = {"DATABASE_URL": "postgres://govit@127.0.0.1:5432/govit", "REDIS_URL": "redis://127.0.0.1:6379/0"}
READ = """
import json, django
from django.conf import settings
django.setup()
names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
         "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_REFERRER_POLICY",
         "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
         "TRUSTED_PROXY_COUNT", "CACHES", "REST_FRAMEWORK", "DATABASES", "AXES_FAILURE_LIMIT",
         "SECURE_PROXY_SSL_HEADER"]
print(json.dumps({n: getattr(settings, n) for n in names}, default=str))
"""


def run(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    """`env` overrides the production environment; None removes a variable."""
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=production_environment(**SERVICES, **env),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def prod() -> dict:
    done = run("-c", READ)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_cookies_https_and_headers(prod):
    assert prod["DEBUG"] is False
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"] and prod["SESSION_COOKIE_HTTPONLY"]
    assert prod["SECURE_SSL_REDIRECT"] and prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert prod["SECURE_REFERRER_POLICY"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
    assert prod["SECURE_CONTENT_TYPE_NOSNIFF"] and prod["X_FRAME_OPTIONS"] == "DENY"


def test_sessions_and_sign_in_limits(prod):
    assert prod["SESSION_EXPIRE_AT_BROWSER_CLOSE"] and prod["SESSION_COOKIE_AGE"] <= 8 * 3600
    assert 3 <= prod["AXES_FAILURE_LIMIT"] <= 10


def test_api_throttling_counts_in_redis_and_believes_no_forwarded_header_by_default(prod):
    api = prod["REST_FRAMEWORK"]
    assert {"rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"} <= set(
        api["DEFAULT_THROTTLE_CLASSES"])
    assert set(api["DEFAULT_THROTTLE_RATES"]) >= {"anon", "user"}
    assert issubclass(import_string(prod["CACHES"]["default"]["BACKEND"]), RedisCache)
    assert prod["TRUSTED_PROXY_COUNT"] == 0 and api["NUM_PROXIES"] == 0
    assert prod["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True


def test_trusted_proxies_come_from_the_environment():
    done = run("-c", READ, TRUSTED_PROXY_COUNT="1")
    settings = json.loads(done.stdout.strip().splitlines()[-1])
    assert settings["TRUSTED_PROXY_COUNT"] == 1 and settings["REST_FRAMEWORK"]["NUM_PROXIES"] == 1
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_forwarded_proto_is_not_believed_without_a_trusted_proxy(prod):
    # Reached directly, a client could send X-Forwarded-Proto: https and pass as a secure request.
    assert prod["SECURE_PROXY_SSL_HEADER"] is None


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_publishes_only_the_tls_proxy_in_front_of_web(compose):
    services = compose["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    proxy = services["proxy"]
    assert {p.split(":")[0] for p in proxy["ports"]} >= {"80", "443"}
    assert "web" in proxy["depends_on"]
    assert any(v.startswith("./deploy/Caddyfile:") for v in proxy["volumes"])
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy" in caddyfile and "web 8000" in caddyfile


def test_compose_tells_web_alone_that_one_proxy_is_trusted(compose):
    services = compose["services"]
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert services["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "govit.settings.prod"
    assert all("TRUSTED_PROXY_COUNT" not in s.get("environment", {}) for n, s in services.items() if n != "web")


def test_check_deploy_is_clean():
    done = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_a_secret_key():
    done = run("-c", READ, SECRET_KEY=None)
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr
