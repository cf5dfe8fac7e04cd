"""Everything Brugwijzer holds about one family, for the parents' right of access (GDPR art. 15)."""

from referrals.models import AccessLogEntry, Family


def everything_about(family: Family) -> dict:
    """A complete, plain structure: the record, consents, referrals with their history and alerts,
    consultations with their notes, and who looked at the family's details. Queries are a fixed
    handful, however much there is."""
    consents = family.consents.prefetch_related("organisations", "needs").select_related("recorded_by")
    referrals = family.referrals.select_related("organisation", "service", "need", "reference_person").prefetch_related(
        "events__by", "alerts"
    )
    consultations = family.consultations.select_related("organised_by").prefetch_related(
        "participants__organisation", "participants__worker", "agreements__owner__organisation"
    )
    access = AccessLogEntry.objects.filter(family=family).select_related("user").order_by("at")
    return {
        "family": {
            "reference": family.reference,
            "school": family.school.name,
            "language": str(family.language or ""),
            "interpreter_needed": family.interpreter_needed,
            "guardian_name": family.guardian_name,
            "phone": family.phone,
            "email": family.email,
            "child_first_name": family.child_first_name,
            "child_class": family.child_class,
            "created": family.created_at.isoformat(),
            "details_removed_on": family.details_removed_on.isoformat() if family.details_removed_on else None,
        },
        "consents": [
            {
                "given_by": c.given_by,
                "child_agreed": c.child_agreed,
                "method": c.get_method_display(),
                "explanation": f"{c.get_explanation_language_display()} {c.explanation_version}",
                "organisations": [o.name for o in c.organisations.all()],
                "needs": [str(n) for n in c.needs.all()],
                "data_items": c.data_items,
                "valid_until": c.valid_until.isoformat(),
                "recorded_by": str(c.recorded_by),
                "recorded_at": c.recorded_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in consents
        ],
        "referrals": [
            {
                "organisation": r.organisation.name,
                "service": str(r.service or ""),
                "need": str(r.need),
                "how_warm": r.get_intensity_display(),
                "state": r.get_state_display(),
                "reference_person": str(r.reference_person),
                "note": r.note,
                "handover": r.handover_on.isoformat() if r.handover_on else None,
                "outcome": r.get_outcome_display(),
                "safety_concern": r.concern,
                "legal_ground": r.get_legal_ground_display(),
                "history": [
                    {"at": e.at.isoformat(), "to": e.get_to_state_display(), "by": str(e.by or "")}
                    for e in r.events.all()
                ],
                "alerts": [
                    {"at": a.raised_at.isoformat(), "kind": a.get_kind_display(), "note": a.note}
                    for a in r.alerts.all()
                ],
            }
            for r in referrals
        ],
        # The school's own record of its consultations: everything, the care team's notes included.
        "consultations": [
            {
                "kind": c.get_kind_display(),
                "date": c.held_on.isoformat(),
                "time": c.starts_at.isoformat(timespec="minutes") if c.starts_at else None,
                "place": c.place,
                "parents_present": c.parents_present,
                "contact_at_school": str(c.organised_by),
                "participants": [
                    {
                        "organisation": p.organisation.name if p.organisation else family.school.name,
                        "role": p.role,
                        "person": str(p.worker or ""),
                        "mediator": p.mediator,
                    }
                    for p in c.participants.all()
                ],
                "agreements": [
                    {
                        "what": a.what,
                        "who": a.owner.organisation.name if a.owner and a.owner.organisation else family.school.name,
                        "by": a.due_on.isoformat() if a.due_on else None,
                        "done_on": a.done_on.isoformat() if a.done_on else None,
                    }
                    for a in c.agreements.all()
                ],
                "notes": c.notes,
                "next_consultation": c.next_on.isoformat() if c.next_on else None,
            }
            for c in consultations
        ],
        "looked_at_by": [
            {"at": entry.at.isoformat(), "who": str(entry.user), "action": entry.get_action_display()}
            for entry in access
        ],
    }
