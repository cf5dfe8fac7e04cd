"""Who may change which directory entry."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.access import accesses_with
from accounts.roles import Capability, TenantKind
from welfare.models import Location, WelfareOrganisation


def can_edit(request, organisation: WelfareOrganisation) -> bool:
    """The organisation's own workers, and the curators of a municipality it serves."""
    if any(a.tenant.pk == organisation.pk for a in accesses_with(request, Capability.EDIT_OWN_ORGANISATION)):
        return True
    curated = {a.tenant.pk for a in accesses_with(request, Capability.CURATE_DIRECTORY, TenantKind.MUNICIPALITY)}
    return bool(curated) and organisation.municipalities.filter(pk__in=curated).exists()


def is_own_organisation(request, organisation: WelfareOrganisation) -> bool:
    """Members of the organisation itself: the only people who read, change or publish its
    confidential locations (a shelter's address, name, access and opening hours). Nobody else
    does, not even the curators who may edit the rest of its entry."""
    return any(
        a.kind == TenantKind.ORGANISATION and a.tenant.pk == organisation.pk
        for a in accesses_with(request, Capability.VIEW_HOME)
    )


def get_organisation_for(request, organisation_id, write=False) -> WelfareOrganisation:
    organisation = get_object_or_404(WelfareOrganisation.objects.for_directory(), pk=organisation_id)
    if write and not can_edit(request, organisation):
        raise PermissionDenied
    return organisation


def get_location_for(request, organisation: WelfareOrganisation, location_id) -> Location:
    """A location of an organisation the user may edit (from `get_organisation_for(..., write=True)`).

    A confidential location is its organisation's own: a curator gets 403, so its edit page can
    neither show the address nor take it (or the confidential mark) away.
    """
    location = get_object_or_404(organisation.locations, pk=location_id)
    if location.is_confidential and not is_own_organisation(request, organisation):
        raise PermissionDenied
    return location
