from django.db import transaction

from schools.models import PartnerRelation, PartnerRelationChange


@transaction.atomic
def save_relation(*, relation: PartnerRelation, user, previous_status: str) -> PartnerRelation:
    """Store a school's relation with an organisation and remember a change of status."""
    relation.updated_by = user
    relation.save()
    if relation.status != previous_status:
        PartnerRelationChange.objects.create(
            relation=relation, from_status=previous_status, to_status=relation.status, changed_by=user
        )
    return relation
