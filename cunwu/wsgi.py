"""WSGI entry point (served by granian in production and in `make run`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunwu.settings")
application = get_wsgi_application()

# Load the word segmenter's dictionary now (about a second), so no villager's request waits for it.
from cunwu.matching import segment  # noqa: E402 - needs Django's settings, configured just above

segment.initialize()
