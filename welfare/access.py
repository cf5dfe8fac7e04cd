"""Who may change which directory entry."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.access import accesses_with
from accounts.roles import Capability, TenantKind
from welfare.models import WelfareOrganisation


def can_edit(request, organisation: WelfareOrganisation) -> bool:
    """The organisation's own workers, and the curators of a municipality it serves."""
    if any(a.tenant.pk == organisation.pk for a in accesses_with(request, Capability.EDIT_OWN_ORGANISATION)):
        return True
    curated = {a.tenant.pk for a in accesses_with(request, Capability.CURATE_DIRECTORY, TenantKind.MUNICIPALITY)}
    return bool(curated) and organisation.municipalities.filter(pk__in=curated).exists()


def is_own_organisation(request, organisation: WelfareOrganisation) -> bool:
    """Members of the organisation itself (who may see its confidential addresses)."""
    return any(
        a.kind == TenantKind.ORGANISATION and a.tenant.pk == organisation.pk
        for a in accesses_with(request, Capability.VIEW_HOME)
    )


def get_organisation_for(request, organisation_id, write=False) -> WelfareOrganisation:
    organisation = get_object_or_404(WelfareOrganisation.objects.for_directory(), pk=organisation_id)
    if write and not can_edit(request, organisation):
        raise PermissionDenied
    return organisation
