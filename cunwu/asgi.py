"""ASGI entry point; cunwu is served over WSGI (measured faster), this exists for tooling."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunwu.settings")
application = get_asgi_application()
