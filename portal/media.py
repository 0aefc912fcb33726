"""Uploaded media served by Django itself, for ``make run`` (debug on, no proxy in front).

Django's own ``django.views.static.serve`` answers every request with the whole file. A
browser's video player asks for parts of the file (``Range: bytes=…``) to read its index and to
seek, and Safari plays nothing from a server that does not answer them. This view is that one,
plus single byte ranges: ``206 Partial Content`` with ``Content-Range``, ``416`` for a range past
the end. In production the proxy (nginx) or S3 serves media, and both do ranges already.
"""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.http import parse_http_date_safe
from django.views.static import serve as whole_file

# One range: "bytes=0-499", "bytes=500-" or "bytes=-500" (the last 500 bytes).
SINGLE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 64 * 1024


def serve(request, path, document_root=None, show_indexes=False):
    response = whole_file(request, path, document_root, show_indexes)
    if not isinstance(response, FileResponse):
        return response  # a 304, or a directory index
    response["Accept-Ranges"] = "bytes"
    asked = request.headers.get("Range")
    # GZipMiddleware would compress a part, whose Content-Range names the file's own bytes: a
    # request that accepts gzip gets the whole file, as a server may answer any range request.
    # Browsers' players ask for the file's own bytes (Accept-Encoding: identity).
    if not asked or re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
        return response
    if not _if_range_holds(request, response):
        return response
    size = int(response["Content-Length"])
    span = _span(asked, size)
    if span is None:
        return response  # several ranges, or not a byte range: the whole file
    if span is False:
        response.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    start, end = span
    source = response.file_to_stream
    source.seek(start)
    partial = StreamingHttpResponse(
        _read(source, end - start + 1), status=206, content_type=response["Content-Type"]
    )
    partial["Content-Length"] = str(end - start + 1)
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    for header in ("Accept-Ranges", "Last-Modified"):
        if header in response:
            partial[header] = response[header]
    return partial


def _if_range_holds(request, response):
    """Whether a range is to be honoured: no If-Range, or one naming the file's date."""
    condition = request.headers.get("If-Range")
    if not condition:
        return True
    asked = parse_http_date_safe(condition)
    stored = parse_http_date_safe(response.get("Last-Modified", ""))
    return asked is not None and asked == stored


def _span(header, size):
    """(first, last) byte of one satisfiable range; False when it cannot be satisfied; None
    when the header is not one byte range (answered with the whole file)."""
    match = SINGLE_RANGE.fullmatch(header.strip())
    if match is None or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        count = int(last)
        if count == 0 or size == 0:
            return False
        return max(0, size - count), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # not a valid range: ignored, as RFC 9110 asks
    if start >= size:
        return False
    return start, end


def _read(source, remaining):
    """The next ``remaining`` bytes of ``source``, in chunks; the file is closed at the end,
    or when the response is closed before it."""
    try:
        while remaining > 0:
            chunk = source.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        source.close()
