import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Serving needs DJANGO_SECRET_KEY, even in a process started from a command (portal/settings.py).
os.environ.pop("PORTAL_MANAGEMENT_COMMAND", None)

django_application = get_wsgi_application()

# Stored pages are answered before Django builds a request (portal/caching/pages.py).
from portal.caching.pages import PageCacheFront  # noqa: E402 - needs the settings set up above

application = PageCacheFront(django_application)
