from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import accesses_for, active_access
from accounts.roles import Capability, TenantKind


def _main_nav(access):
    """The main menu for the place the user works in now: only what their roles there allow."""
    items = [(_("Home"), access.tenant.get_absolute_url())]
    if access.kind == TenantKind.SCHOOL and access.can(Capability.VIEW_SIGNAL_OVERVIEW):
        items.append((_("Signals"), reverse("referrals:signals", kwargs={"school_id": access.tenant.public_id})))
    if access.kind == TenantKind.SCHOOL and access.can(Capability.VIEW_FAMILIES):
        items.append((_("Families"), reverse("referrals:families", kwargs={"school_id": access.tenant.public_id})))
    if access.kind == TenantKind.SCHOOL and access.can(Capability.MANAGE_REFERRALS):
        items.append((_("Referrals"), reverse("referrals:referrals", kwargs={"school_id": access.tenant.public_id})))
        items.append((_("My follow-ups"), reverse("referrals:followups")))
    if access.kind == TenantKind.ORGANISATION and access.can(Capability.ANSWER_REFERRALS):
        items.append(
            (_("Referrals"), reverse("referrals:incoming", kwargs={"organisation_id": access.tenant.public_id}))
        )
    if access.kind == TenantKind.ORGANISATION and access.can(Capability.JOIN_CONSULTATIONS):
        items.append(
            (
                _("Consultations"),
                reverse("referrals:joined_consultations", kwargs={"organisation_id": access.tenant.public_id}),
            )
        )
    if access.kind == TenantKind.SCHOOL and access.can(Capability.FOLLOW_BRIDGE_CASELOAD):
        items.append((_("My families"), reverse("referrals:bridge_caseload")))
    if (
        access.kind == TenantKind.ORGANISATION
        and access.can(Capability.VIEW_BRIDGE_WORKLOAD)
        and access.tenant.organisation_type.slug == "bridge_figure_service"
    ):
        items.append(
            (
                _("Bridge figures"),
                reverse("referrals:bridge_workload", kwargs={"organisation_id": access.tenant.public_id}),
            )
        )
    if access.kind == TenantKind.SCHOOL and access.can(Capability.VIEW_MAP):
        items.append((_("Ken je buurt"), reverse("schools:map", kwargs={"school_id": access.tenant.public_id})))
    if access.can(Capability.VIEW_DIRECTORY):
        items.append((_("Social map"), reverse("welfare:directory")))
    if access.kind == TenantKind.MUNICIPALITY and access.can(Capability.VIEW_DASHBOARD):
        dashboard = reverse("network:dashboard", kwargs={"municipality_id": access.tenant.public_id})
        items.append((_("Dashboard"), dashboard))
    if access.kind == TenantKind.MUNICIPALITY and access.can(Capability.RUN_NETWORK):
        items.append((_("Networks"), reverse("network:networks", kwargs={"municipality_id": access.tenant.public_id})))
    items.append(
        (
            _("Reflection"),
            reverse("reflection:rounds", kwargs={"kind": access.kind, "tenant_id": access.tenant.public_id}),
        )
    )
    if access.can(Capability.VIEW_TEAM):
        items.append(
            (_("Team"), reverse("accounts:team", kwargs={"kind": access.kind, "tenant_id": access.tenant.public_id}))
        )
    return items


def active_context(request):
    """The header: every tenant the user works in, the active one, and its menu."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    if getattr(request, "second_factor_pending", False):
        return {"second_factor_pending": True}  # no places, no menu before the code is given
    access = active_access(request)
    return {
        "accesses": accesses_for(request),
        "active_access": access,
        "main_nav": _main_nav(access) if access else [],
    }
