from datetime import date

import pytest

from schools.years import end_of_school_year, school_year_of


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2026, 9, 1), date(2027, 8, 31)),
        (date(2027, 8, 31), date(2027, 8, 31)),
        (date(2027, 1, 15), date(2027, 8, 31)),
    ],
)
def test_a_school_year_ends_on_the_last_day_of_august(day, last):
    assert end_of_school_year(day) == last
    assert school_year_of(last) == school_year_of(day)
