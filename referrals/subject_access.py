"""Everything Brugwijzer holds about one family, for the parents' right of access (GDPR art. 15)."""

from django.db.models import Prefetch, Q

from referrals.models import AccessLogEntry, BridgeVisit, Family, SchoolHandover


def _handovers_of(family: Family) -> Q:
    """Hand-overs of this family to a new school, and the one that brought it here."""
    return Q(family=family) | Q(new_family=family)


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
    # What the school knows of the bridge figure's work: the shares it made, and the contacts the
    # parents agreed it may know of. The bridge figure's own notes are kept by their service
    # (privacy rule 15); the parents ask the service for those.
    shares = family.bridge_shares.select_related("bridge_figure", "service").prefetch_related(
        Prefetch("visits", queryset=BridgeVisit.objects.filter(shared_with_school=True).order_by("on", "id"))
    )
    handovers = SchoolHandover.objects.filter(_handovers_of(family)).select_related("from_school", "to_school")
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
        "bridge_figure": [
            {
                "bridge_figure": str(share.bridge_figure),
                "service": share.service.name,
                "shared_on": share.shared_at.isoformat(),
                "ended_on": share.ended_at.isoformat() if share.ended_at else None,
                "note": share.note,
                "contacts_the_school_may_know_of": [
                    {
                        "date": visit.on.isoformat(),
                        "kind": visit.get_kind_display(),
                        "next_step_on": visit.next_step_on.isoformat() if visit.next_step_on else None,
                    }
                    for visit in share.visits.all()
                ],
            }
            for share in shares
        ],
        "changing_school": [
            {
                "direction": "to" if handover.family_id == family.pk else "from",
                "school": (handover.to_school if handover.family_id == family.pk else handover.from_school).name,
                "state": handover.get_state_display(),
                "handed_over_on": handover.created_at.isoformat(),
                "consent_given_by": handover.given_by,
                "summary": handover.summary,
                "open_referrals": handover.open_referrals,
            }
            for handover in handovers
        ],
        "looked_at_by": [
            {"at": entry.at.isoformat(), "who": str(entry.user), "action": entry.get_action_display()}
            for entry in access
        ],
    }
