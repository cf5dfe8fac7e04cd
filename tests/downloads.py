"""Reading the downloads back the way a spreadsheet program does."""

import csv
import io

from openpyxl import load_workbook

BOM = b"\xef\xbb\xbf"


def csv_rows(response, delimiter=";"):
    """A CSV download as a Dutch-language Excel reads it: UTF-8 after a byte-order mark, `;`
    between the fields (`,` for an English download)."""
    assert response.content.startswith(BOM), response.content[:10]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


def workbook(response):
    return load_workbook(io.BytesIO(response.content))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
