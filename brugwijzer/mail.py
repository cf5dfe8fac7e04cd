"""Notification mails: a subject on one line whatever the names in it hold, sent once the change
that caused it is committed, and a mail that cannot be sent never undoes, breaks or hides it.

A name with a line break (stored before the forms refused it, or imported) would make the subject
an invalid header: the send raises after the change is committed, so the person saw an error for a
change that was made, and the mail was lost. Failures are logged at ERROR, without the address
(logs carry no personal data); a caller that can keep a mail to send again passes `keep`."""

import logging
from collections.abc import Callable

from django.core.mail import send_mail
from django.db import transaction

from brugwijzer.text import one_line

logger = logging.getLogger(__name__)

# keep(subject=, body=, to=, what=) stores the mail to send again and returns an id for the log.
Keep = Callable[..., object]


def deliver(*, subject: str, body: str, to: str, what: str, keep: Keep | None = None) -> bool:
    """Send one mail now. `what` names it in the log (a template and an id, never a name)."""
    subject = one_line(subject)
    try:
        send_mail(subject, body, None, [to])
    except Exception:
        if keep is None:
            logger.exception("Mail %s could not be sent and is lost.", what)
            return False
        try:
            kept = keep(subject=subject, body=body, to=to, what=what)
        except Exception:
            logger.exception("Mail %s could not be sent, nor kept to send again: it is lost.", what)
        else:
            logger.exception("Mail %s could not be sent; kept as unsent mail %s to send again.", what, kept)
        return False
    return True


def send_after_commit(*, subject: str, body: str, to: str, what: str, keep: Keep | None = None) -> None:
    transaction.on_commit(lambda: deliver(subject=subject, body=body, to=to, what=what, keep=keep))
