import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Serving needs DJANGO_SECRET_KEY, even in a process started from a command (portal/settings.py).
os.environ.pop("PORTAL_MANAGEMENT_COMMAND", None)

application = get_asgi_application()
