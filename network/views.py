from django.shortcuts import render

from accounts.access import tenant_view
from accounts.models import Membership
from accounts.roles import Capability, TenantKind


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
        },
    )
