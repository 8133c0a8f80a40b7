"""The WSGI application under the settings already configured (tests use it in-process)."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
