"""WSGI entry point (gunicorn portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# gunicorn runs no system check: a worker that cannot load the application
# stops the server, naming the secret (portal/checks.py).
from portal.checks import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()
