from django.shortcuts import render

from accounts.access import tenant_view
from accounts.models import Membership
from accounts.roles import Capability, TenantKind


@tenant_view(Capability.VIEW_HOME, TenantKind.SCHOOL)
def home(request, access):
    school = access.tenant
    return render(
        request,
        "schools/home.html",
        {
            "access": access,
            "school": school,
            "team": Membership.objects.active().for_tenant(school).role_counts(),
            "can_manage_team": access.can(Capability.MANAGE_TEAM),
        },
    )
