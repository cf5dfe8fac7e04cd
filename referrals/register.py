"""Who may open family data at a school, by function: the school's memberships crossed with the
capability table, for the director's access register (GDPR art. 30 and 32)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership
from accounts.roles import CAPABILITIES, FAMILY_DATA_CAPABILITIES, Capability, Role


@dataclass
class Holder:
    person: object
    role: Role
    since: date
    until: date | None
    has_app: bool
    capabilities: list[Capability]


def family_data_capabilities(role: Role) -> list[Capability]:
    return [c for c in Capability if c in FAMILY_DATA_CAPABILITIES and role in CAPABILITIES[c]]


def who_may_access(school) -> list[Holder]:
    """Every active membership of the school whose role opens family data, with whether the
    person has an authenticator app. One query, however many people."""
    roles = [role for role in Role if family_data_capabilities(role)]
    confirmed = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    memberships = (
        Membership.objects.active()
        .for_tenant(school)
        .filter(role__in=roles)
        .select_related("user")
        .annotate(has_app=Exists(confirmed))
        .order_by("role", "user__full_name", "user__email", "id")
    )
    order = {role: index for index, role in enumerate(Role)}
    holders = [
        Holder(m.user, Role(m.role), m.starts_on, m.ends_on, m.has_app, family_data_capabilities(Role(m.role)))
        for m in memberships
    ]
    return sorted(holders, key=lambda h: order[h.role])
