"""The Flemish school year, which runs from 1 September to 31 August.

The school calendar belongs to schools, so every app that counts or dates things by school year
(signals, consent, dashboards, engagements) asks here.
"""

from datetime import date


def school_year_of(day: date) -> str:
    """The school year a day falls in: 2026-09-01 → '2026-2027'."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def end_of_school_year(day: date) -> date:
    """The last day (31 August) of the school year a day falls in."""
    start = int(school_year_of(day)[:4])
    return date(start + 1, 8, 31)
