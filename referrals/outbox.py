"""Notifications about referrals, consultations and follow-ups, with a second chance: a mail that
cannot be sent is kept (`UnsentMail`) and the daily `referral_reminders` sends it again, for a
week, so a state change is never silently left untold."""

import logging

from django.core.mail import send_mail

from brugwijzer.mail import deliver, send_after_commit
from referrals.models import UnsentMail

logger = logging.getLogger("brugwijzer.mail")

# Daily tries before a kept mail is given up (and the failure logged once more).
MAX_ATTEMPTS = 7


def keep(*, subject: str, body: str, to: str, what: str) -> int:
    return UnsentMail.objects.create(
        to=to, subject=subject[: UnsentMail._meta.get_field("subject").max_length], body=body, what=what[:100]
    ).pk


def notify(*, subject: str, body: str, to: str, what: str) -> None:
    """Send once the transaction is committed; kept to send again if that fails."""
    send_after_commit(subject=subject, body=body, to=to, what=what, keep=keep)


def send_now(*, subject: str, body: str, to: str, what: str) -> bool:
    """Send at once (outside a transaction, as the daily command does); kept if that fails."""
    return deliver(subject=subject, body=body, to=to, what=what, keep=keep)


def send_kept() -> tuple[int, int]:
    """Try every kept mail again. Returns (sent, still unsent)."""
    sent = failed = 0
    for unsent in UnsentMail.objects.all():
        try:
            send_mail(unsent.subject, unsent.body, None, [unsent.to])
        except Exception:
            unsent.attempts += 1
            if unsent.attempts > MAX_ATTEMPTS:
                logger.exception("Unsent mail %s (%s) given up after %s tries.", unsent.pk, unsent.what, MAX_ATTEMPTS)
                unsent.delete()
            else:
                logger.exception("Unsent mail %s (%s) could not be sent again; kept.", unsent.pk, unsent.what)
                unsent.save(update_fields=["attempts"])
            failed += 1
        else:
            unsent.delete()
            sent += 1
    return sent, failed
