"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_asgi_application()

# As in portal/wsgi.py: no start with a public secret and DEBUG off.
from portal.checks import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()
