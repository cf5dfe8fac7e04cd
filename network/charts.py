"""Server-rendered charts and downloads for the dashboard tables. A chart draws only what the
table shows: a hidden count gets no bar, only its label, so its length cannot give it away."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from network.stats import Table

BAR_AREA = 300  # width in SVG units of the longest bar
ROW = 22


def bars(table: Table) -> dict:
    """One bar per shown cell, columns side by side within each row."""
    shown = [cell.value for column in table.columns for cell in column.cells if cell.visible]
    longest = max(shown, default=0) or 1
    per_row = len(table.columns)
    rows = []
    for i, (label, cells) in enumerate(table.body):
        top = i * (per_row * ROW + 10)
        rows.append(
            {
                "label": label,
                "y": top,
                "text_y": top + 15,
                "bars": [
                    {
                        "series": index,
                        "y": top + index * ROW,
                        "text_y": top + index * ROW + 15,
                        "width": round(BAR_AREA * cell.value / longest) if cell.visible else 0,
                        "text": cell.text,
                        "text_x": 8 + (round(BAR_AREA * cell.value / longest) if cell.visible else 0),
                    }
                    for index, (cell, _share) in enumerate(cells)
                ],
            }
        )
    return {
        "rows": rows,
        "height": len(rows) * (per_row * ROW + 10) + 10,
        "series": [column.heading for column in table.columns],
    }


def export_rows(table: Table, counted_until: date | None = None):
    """The table as it is shown on the page: the same texts, "< k" and the hidden mark included,
    and for counts about families the last day they cover."""
    header = [table.row_heading]
    for column in table.columns:
        header.append(column.heading)
        if column.shares:
            header.append(_("%(heading)s (%%)") % {"heading": column.heading})
    yield header
    for label, cells in table.body:
        row = [label]
        for (cell, share), column in zip(cells, table.columns, strict=True):
            row.append(cell.value if cell.visible else cell.text)
            if column.shares:
                row.append("" if share is None else share)
        yield row
    if table.has_total:
        row = [_("Total")]
        for column in table.columns:
            total = column.total
            row.append("" if total is None else (total.value if total.visible else total.text))
            if column.shares:
                row.append("")
        yield row
    if table.family_data and counted_until is not None:
        yield [_("Counted up to and including %(day)s") % {"day": date_format(counted_until, "j F Y")}]
