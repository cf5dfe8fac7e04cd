"""Every download's file name is safe whatever the data it is named after holds: a plain ASCII
`filename` for every client and the real name as `filename*` (RFC 6266)."""

import json
import re

import pytest
from django.urls import reverse

from brugwijzer.downloads import content_disposition
from brugwijzer.spreadsheets import csv_response, xlsx_response
from referrals.models import Family

QUOTED = re.compile(r'^attachment; filename="([A-Za-z0-9._-]+)"; filename\*=UTF-8\'\'([A-Za-z0-9%._~-]+)$')


def parts(header: str) -> tuple[str, str]:
    match = QUOTED.match(header)
    assert match, header
    return match.group(1), match.group(2)


def test_the_parents_export_of_a_reference_with_a_line_break_and_a_quote_downloads(client, school, director):
    # Stored directly: the form refuses such a reference now, but older rows may hold one.
    family = Family.objects.create(school=school, reference='G-1\n"; filename="evil.exe')
    client.force_login(director)
    url = reverse("referrals:family_export", kwargs={"school_id": school.public_id, "family_id": family.pk})
    response = client.get(url + "?format=json")
    assert response.status_code == 200
    assert json.loads(response.content)["family"]["reference"] == family.reference
    fallback, encoded = parts(response["Content-Disposition"])
    assert fallback.startswith("gezin-G-1-") and fallback.endswith(".json")
    assert "%22" in encoded and "%0A" not in encoded


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("gezin-G-1.json", "gezin-G-1.json"),
        ("reflectie-Zeppelin école.csv", "reflectie-Zeppelin-ecole.csv"),
        ('a"b\r\nc\x1bd\u2028e.csv', "a-b-c-d-e.csv"),
        ("../../etc/passwd", "etc-passwd"),
        ("\u202egnp.exe", "gnp.exe"),
        ("日本", "download"),
    ],
)
def test_the_header_holds_an_ascii_name_and_the_real_one(name, fallback):
    assert parts(content_disposition(name))[0] == fallback


def test_inline_downloads_say_so():
    assert content_disposition("schoolkalender.ics", inline=True).startswith('inline; filename="schoolkalender.ics"')


def test_spreadsheet_downloads_take_any_name():
    for response in (
        csv_response('De "Zeppelin"\n', [["a"]]),
        xlsx_response('De "Zeppelin"\n', "t", [["a"]]),
    ):
        fallback, _encoded = parts(response["Content-Disposition"])
        assert fallback.startswith("De-Zeppelin")


def test_long_sheet_titles_are_cut_between_words_and_never_clash():
    from brugwijzer.spreadsheets import sheet_title

    long = "Doorverwijzingen dit schooljaar geweigerd omdat de hulp er niet was"
    first = sheet_title(long)
    second = sheet_title(long, taken=[first])
    assert len(first) <= 31 and first.endswith("…")
    assert long.startswith(first[:-1]) and long[len(first) - 1] == " "
    assert len(second) <= 31 and second.casefold() != first.casefold()
    assert sheet_title("Signalen: per [nood]/maand?") == "Signalen per nood maand"


def test_a_dutch_csv_writes_decimals_with_a_comma_and_an_english_one_with_a_point():
    import csv
    import io

    from django.utils import translation

    for language, delimiter, decimal in (("nl-be", ";", "12,5"), ("en", ",", "12.5")):
        with translation.override(language):
            content = csv_response("x", [["a", 12.5, 3]]).content
        assert content.startswith(b"\xef\xbb\xbf")
        assert next(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter)) == ["a", decimal, "3"]
