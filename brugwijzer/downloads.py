"""The Content-Disposition of every download, whatever the data the file is named after holds."""

import re
import unicodedata
from urllib.parse import quote

from django.utils.http import content_disposition_header

from brugwijzer.text import one_line

_NOT_PLAIN = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A plain ASCII `filename` every client reads, and the real name in UTF-8 as `filename*`
    (RFC 6266) for those that read it. A line break in a family's reference would otherwise make
    the header invalid (an error page instead of the download), and a quote would end the name
    early and let the data choose the rest of the header."""
    name = one_line(filename).replace("/", "-").replace("\\", "-")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = _NOT_PLAIN.sub("-", ascii_name).strip("-.") or "download"
    header = content_disposition_header(as_attachment=not inline, filename=plain)
    return f"{header}; filename*=UTF-8''{quote(name, safe='')}"
