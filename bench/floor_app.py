"""The floor for the load benchmark: bare Django returning a fixed page from memory.

BENCH_FLOOR_HTML=/path/to/page.html gunicorn bench.floor_app:application
"""

import os
from pathlib import Path

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-only",  # noqa: S106 - a throwaway process on loopback
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

PAGE = Path(os.environ["BENCH_FLOOR_HTML"]).read_bytes()


def page(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]
application = get_wsgi_application()
