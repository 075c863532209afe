"""WSGI entry point of the trivial site: gunicorn bench.trivial.wsgi (from the project's root)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.trivial.settings"
application = get_wsgi_application()
