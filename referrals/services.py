from django.db import transaction

from audit.models import Action
from audit.services import record
from referrals.models import Signal, school_year_of


@transaction.atomic
def save_signal(*, request, signal: Signal, school=None) -> Signal:
    """Log a new signal for `school`, or store changes to an existing one; both are audited."""
    new = signal._state.adding
    if new:
        signal.school = school
        signal.reported_by = request.user
    signal.school_year = school_year_of(signal.received_on)
    signal.save()
    record(
        action=Action.SIGNAL_LOGGED if new else Action.SIGNAL_CHANGED,
        request=request,
        obj=signal,
        tenant=signal.school,
        need=signal.need.code,
    )
    return signal
