"""Test settings: real PostgreSQL and Redis when DATABASE_URL / REDIS_URL are given (as bin/test does)."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "10000/minute", "user": "100000/minute"}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["feeds"] = "100000/minute"  # noqa: F405
AXES_ENABLED = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic needed
WHITENOISE_USE_FINDERS = True
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"] = "100000/minute"  # noqa: F405 - /api/v1/public/
