"""CSV and XLSX downloads. Every text cell is made inert: a spreadsheet treats a cell that starts
with =, +, -, @ (or a tab or carriage return) as a formula, so such a cell gets a leading quote.

Both are written for the Excel our users have. A Belgian (Dutch-language) Excel opens a CSV with
`;` between the fields and a decimal comma, and reads it as UTF-8 only when the file starts with a
byte-order mark; without one every accent breaks and every line lands in a single column. An
English download keeps the `,` and the decimal point. An XLSX sheet gets a readable name within
Excel's 31 characters, columns wide enough for what they hold and a header row that stays in view."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from brugwijzer.downloads import content_disposition

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_LENGTH = 31  # Excel refuses longer sheet names
SHEET_TITLE_FORBIDDEN = "[]:*?/\\"
NARROWEST, WIDEST = 8, 60  # column widths in characters: a heading stays legible, a long text stops


def safe(value):
    if value is None or isinstance(value, int | float):
        return value
    value = str(value)  # translated labels arrive as lazy strings
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def _dutch() -> bool:
    return (get_language() or "").startswith("nl")


def _csv_cell(value):
    value = safe(value)
    if isinstance(value, float):
        # A decimal point in a Dutch CSV would be read as a thousands separator or as text.
        return number_format(value, use_l10n=True)
    return value


def csv_response(filename: str, rows: Iterable) -> HttpResponse:
    dutch = _dutch()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{filename}.csv")
    response.write("\ufeff")  # the byte-order mark that tells Excel this is UTF-8
    writer = csv.writer(response, delimiter=";" if dutch else ",")
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return response


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """The title as Excel allows it: without []:*?/\\, at most 31 characters (cut at a word with an
    ellipsis rather than in the middle of one) and unlike every title in `taken` (compared without
    case, as Excel does), a number added where two would be the same."""
    title = " ".join("".join(" " if c in SHEET_TITLE_FORBIDDEN else c for c in str(title)).split()).strip("'")
    title = title or "Brugwijzer"
    taken = {t.casefold() for t in taken}
    number = 1
    while True:
        suffix = "" if number == 1 else f" ({number})"
        room = SHEET_TITLE_LENGTH - len(suffix)
        candidate = title
        if len(candidate) > room:
            cut = candidate[: room - 1]
            if candidate[room - 1] != " " and " " in cut.strip():  # cut inside a word: drop it
                cut = cut.rsplit(" ", 1)[0]
            candidate = cut.rstrip(" ,.;:-") + "…"
        candidate += suffix
        if candidate.casefold() not in taken:
            return candidate
        number += 1


def _width(value) -> int:
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_workbook(sheets: Iterable[tuple[str, Iterable]]) -> bytes:
    """A workbook with one sheet per (title, rows); the first row of each is its header."""
    workbook = Workbook(write_only=True)
    taken = []
    for title, rows in sheets:
        if not taken:
            workbook.properties.title = str(title)  # the whole title, however long
        rows = [[safe(value) for value in row] for row in rows]
        name = sheet_title(title, taken)
        taken.append(name)
        sheet = workbook.create_sheet(title=name)
        # Widths and the frozen header are written before the first row in a write-only sheet.
        widths = {}
        columns = max((len(row) for row in rows), default=0)
        for row in rows:
            if columns > 1 and sum(value not in (None, "") for value in row) == 1 and row is not rows[0]:
                continue  # a note under the table (which days it covers) runs on over the empty cells
            for index, value in enumerate(row, start=1):
                widths[index] = max(widths.get(index, 0), _width(value))
        for index, width in widths.items():
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, NARROWEST), WIDEST)
        if rows:
            sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append(row)
    if not taken:
        workbook.create_sheet(title="Brugwijzer")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, title: str, rows: Iterable) -> HttpResponse:
    response = HttpResponse(xlsx_workbook([(title, rows)]), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"{filename}.xlsx")
    return response
