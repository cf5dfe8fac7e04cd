from django.shortcuts import render

from accounts.access import tenant_view
from accounts.models import Membership
from accounts.roles import Capability, TenantKind


@tenant_view(Capability.VIEW_HOME, TenantKind.ORGANISATION)
def home(request, access):
    organisation = access.tenant
    return render(
        request,
        "welfare/home.html",
        {
            "access": access,
            "organisation": organisation,
            "municipalities": organisation.municipalities.order_by("name"),
            "team": Membership.objects.active().for_tenant(organisation).role_counts(),
            "can_manage_team": access.can(Capability.MANAGE_TEAM),
        },
    )
