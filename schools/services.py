from django.db import transaction

from schools.models import Collaboration, PartnerRelation, PartnerRelationChange


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
