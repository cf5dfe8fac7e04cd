from django.db import transaction

from schools.models import (
    CalendarFeed,
    ClbAgreement,
    Collaboration,
    PartnerRelation,
    PartnerRelationChange,
    new_feed_token,
)


@transaction.atomic
def save_relation(*, relation: PartnerRelation, user, previous_status: str, collaborations=None) -> PartnerRelation:
    """Store a school's relation with an organisation and remember a change of status; with
    `collaborations` (kind → (intensity, since)), also the forms of collaboration it has."""
    relation.updated_by = user
    relation.save()
    if collaborations is not None:
        save_collaborations(relation=relation, chosen=collaborations)
    if relation.status != previous_status:
        PartnerRelationChange.objects.create(
            relation=relation, from_status=previous_status, to_status=relation.status, changed_by=user
        )
    return relation


def save_collaborations(*, relation: PartnerRelation, chosen: dict) -> None:
    """Keep exactly the forms of collaboration ticked, with their intensity and start."""
    relation.collaborations.exclude(kind__in=list(chosen)).delete()
    for kind, (intensity, since) in chosen.items():
        Collaboration.objects.update_or_create(
            relation=relation, kind=kind, defaults={"intensity": intensity, "since": since}
        )


@transaction.atomic
def save_clb_agreement(*, school, school_year: str, agreement: ClbAgreement, user) -> ClbAgreement:
    """Store the note as the next version of the school year's agreement with the school's CLB.
    The row lock on the school keeps two people saving at once from taking the same number."""
    type(school).objects.select_for_update().filter(pk=school.pk).first()
    last = ClbAgreement.objects.filter(school=school, school_year=school_year).order_by("-version").first()
    agreement.pk = None
    agreement.school, agreement.clb, agreement.school_year = school, school.clb, school_year
    agreement.version = (last.version + 1) if last else 1
    agreement.saved_by = user
    agreement.save()
    return agreement


def renew_calendar_feed(*, school, user) -> CalendarFeed:
    """Give the school's feed a new secret address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(school=school, defaults={"renewed_by": user})
    if not created:
        feed.token = new_feed_token()
        feed.renewed_by = user
        feed.save()
    return feed
