"""Text that must stay on one line: single-line form fields, download file names, mail headers.

One definition of what does not belong there, used by the form fields (`brugwijzer.forms`), the
downloads (`brugwijzer.downloads`) and every mail subject (`brugwijzer.mail`)."""

import re

# C0 and C1 control characters and DEL (a line break breaks a mail or HTTP header, an escape
# sequence rewrites a terminal), the Unicode line and paragraph separators, and the bidirectional
# embedding, override and isolate marks, which make text read in another order than it is stored
# ("gezin-\u202enosj.exe" reads as "gezin-exe.json").
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_SPACE = re.compile("(?:[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\\s)+")


def has_control_characters(text: str) -> bool:
    return CONTROL.search(text) is not None


def one_line(text: str) -> str:
    """The text on one line: each run of control characters and white space becomes one space."""
    return _CONTROL_OR_SPACE.sub(" ", str(text)).strip()
