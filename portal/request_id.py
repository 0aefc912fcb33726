"""A request id on every response and every log line, so a reader's report can be traced.

The id comes from the proxy's X-Request-ID when it looks like one, or is made here.
"""

import contextvars
import logging
import re
import uuid

_current = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


def request_id_from(given):
    """The proxy's id (the X-Request-ID it sent) when it looks like one, else a new one."""
    return given if _VALID.match(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record, for the formatter."""

    def filter(self, record):
        record.request_id = _current.get()
        return True


class OneLineFormatter(logging.Formatter):
    """One line per record: a traceback is folded onto its error's line."""

    def format(self, record):
        return super().format(record).replace("\n", " | ")
