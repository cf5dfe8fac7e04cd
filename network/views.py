from django.shortcuts import render

from accounts.access import tenant_view
from accounts.models import Membership
from accounts.roles import Capability, TenantKind
from welfare.models import CorrectionSuggestion, WelfareOrganisation


def _curation(municipality):
    """What the municipality's curators should look at in the directory."""
    organisations = WelfareOrganisation.objects.serving(municipality)
    return {
        "curator": True,
        "stale_organisations": organisations.stale().order_by("name", "id"),
        "pending_suggestions": CorrectionSuggestion.objects.pending()
        .filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name", "created_at"),
    }


@tenant_view(Capability.VIEW_HOME, TenantKind.MUNICIPALITY)
def home(request, access):
    municipality = access.tenant
    return render(
        request,
        "network/home.html",
        {
            "access": access,
            "municipality": municipality,
            "schools": municipality.schools.order_by("name", "id"),
            "organisations": municipality.welfare_organisations.select_related("organisation_type").order_by(
                "name", "id"
            ),
            "team": Membership.objects.active().for_tenant(municipality).role_counts(),
            "can_manage_team": access.can(Capability.MANAGE_TEAM),
            **(_curation(municipality) if access.can(Capability.CURATE_DIRECTORY) else {}),
        },
    )
