"""A draft's comments as a spreadsheet for the drafting unit: CSV and XLSX, one file per draft.

The comments are the public's text, so every cell is made harmless for a spreadsheet: one that
begins as a formula would (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
leading apostrophe, so ``=HYPERLINK(…)`` is shown as text and never run (CSV injection). In the
XLSX file every cell is also written as a string, never as a formula.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .files import content_disposition

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A cell's text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def headings():
    return [
        _("STT"),
        _("Gửi lúc (GMT+7)"),
        _("Họ và tên"),
        _("Thư điện tử"),
        _("Cơ quan, tổ chức"),
        _("Nội dung góp ý"),
        _("Tình trạng"),
    ]


def comment_rows(draft):
    """Each comment on ``draft`` as a row of text, the oldest first, neutralised."""
    comments = draft.comments.order_by("submitted_at", "pk")
    for number, comment in enumerate(comments.iterator(), start=1):
        local = timezone.localtime(comment.submitted_at, timezone.get_default_timezone())
        yield [
            str(number),
            f"{local:%H:%M %d/%m/%Y}",
            *(
                neutralise(value)
                for value in (
                    comment.name,
                    comment.email,
                    comment.organisation,
                    comment.content,
                    comment.get_status_display(),
                )
            ),
        ]


def file_name(draft, extension):
    return f"y-kien-{draft.slug}.{extension}"


def csv_response(draft):
    """The comments as CSV in UTF-8 with a byte order mark, which Excel needs to read
    Vietnamese."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headings())
    writer.writerows(comment_rows(draft))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, file_name(draft, "csv"))


def xlsx_response(draft):
    """The comments as an Excel workbook (openpyxl, written row by row), every cell a
    string."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Ý kiến góp ý")[:31])
    sheet.append(headings())
    for row in comment_rows(draft):
        sheet.append([_string_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    return _attachment(response, file_name(draft, "xlsx"))


def _string_cell(sheet, value):
    # Always a string: openpyxl takes a value beginning with "=" as a formula, and "#N/A" as an
    # error. Control characters, which XML cannot hold, are dropped (the model's save() drops
    # them already; a row written some other way must not break the export).
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def _attachment(response, name):
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
