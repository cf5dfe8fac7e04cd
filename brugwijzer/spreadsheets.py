"""CSV and XLSX downloads. Every text cell is made inert: a spreadsheet treats a cell that starts
with =, +, -, @ (or a tab or carriage return) as a formula, so such a cell gets a leading quote."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from brugwijzer.downloads import content_disposition

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value):
    if value is None or isinstance(value, int | float):
        return value
    value = str(value)  # translated labels arrive as lazy strings
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(filename: str, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{filename}.csv")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([safe(value) for value in row])
    return response


def xlsx_response(filename: str, title: str, rows) -> HttpResponse:
    workbook = Workbook(write_only=True)
    # Sheet titles are at most 31 characters and may not hold []:*?/\
    sheet = workbook.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31] or "Brugwijzer")
    for row in rows:
        sheet.append([safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"{filename}.xlsx")
    return response
