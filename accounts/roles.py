"""Roles, the kind of tenant each belongs to, and the capability table.

This module is the single source of truth for who may do what. `docs/permissions.md` is
generated from it (`python manage.py permissions_table`) and a test keeps the two equal.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TenantKind(models.TextChoices):
    SCHOOL = "school", _("School")
    ORGANISATION = "organisation", _("Welfare organisation")
    MUNICIPALITY = "municipality", _("Municipality")


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
    TEACHER = "teacher", _("Teacher")
    ADMIN_STAFF = "admin_staff", _("Administrative staff")
    BRIDGE_FIGURE = "bridge_figure", _("Bridge figure")
    CLB_WORKER = "clb_worker", _("CLB worker")
    WELFARE_WORKER = "welfare_worker", _("Welfare worker")
    WELFARE_INTAKE = "welfare_intake", _("Intake coordinator")
    LOCAL_OFFICIAL = "local_official", _("Local-government official")


# Which tenant a membership with this role points at. Bridge figures and CLB workers serve
# schools, so their memberships are school memberships (one per school they serve).
ROLE_TENANT = {
    Role.DIRECTOR: TenantKind.SCHOOL,
    Role.CARE_COORDINATOR: TenantKind.SCHOOL,
    Role.TEACHER: TenantKind.SCHOOL,
    Role.ADMIN_STAFF: TenantKind.SCHOOL,
    Role.BRIDGE_FIGURE: TenantKind.SCHOOL,
    Role.CLB_WORKER: TenantKind.SCHOOL,
    Role.WELFARE_WORKER: TenantKind.ORGANISATION,
    Role.WELFARE_INTAKE: TenantKind.ORGANISATION,
    Role.LOCAL_OFFICIAL: TenantKind.MUNICIPALITY,
}


def roles_for(kind: TenantKind) -> list[Role]:
    return [role for role, role_kind in ROLE_TENANT.items() if role_kind == kind]


class Capability(models.TextChoices):
    VIEW_HOME = "view_home", _("See the home page of the school, organisation or municipality")
    VIEW_TEAM = "view_team", _("See who else works in it")
    MANAGE_TEAM = "manage_team", _("Invite people, revoke invitations, end memberships")
    VIEW_DIRECTORY = "view_directory", _("Search the shared directory of organisations and services")
    EDIT_OWN_ORGANISATION = "edit_own_organisation", _("Edit the organisation's own directory entries")
    CURATE_DIRECTORY = "curate_directory", _("Edit the directory entries serving the municipality")
    SUGGEST_CORRECTION = "suggest_correction", _("Suggest a correction to a directory entry")
    LOG_SIGNAL = "log_signal", _("Log a signal: a need the school noticed or was told about")
    VIEW_SIGNAL_OVERVIEW = "view_signal_overview", _("See the school's signals counted per need and school year")
    VIEW_SIGNALS = "view_signals", _("Read and change every signal of the school, notes included")
    VIEW_FAMILIES = "view_families", _("See and keep the school's family records, contact details included")
    MANAGE_REFERRALS = "manage_referrals", _("Record consent and run the school's referrals")
    BE_REFERENCE_PERSON = "be_reference_person", _("Be named as a family's reference person on a referral")
    ANSWER_REFERRALS = "answer_referrals", _("Receive the organisation's referrals and answer them")
    JOIN_CONSULTATIONS = (
        "join_consultations",
        _("Take part in a school's case consultations: the practical details and the agreements for you"),
    )
    VIEW_MAP = "view_map", _("See the school's Ken je buurt map, its relations and notes")
    EDIT_MAP = "edit_map", _("Change the school's relations with organisations")
    EXPORT_FAMILY = "export_family", _("Produce everything held about one family, for the parents")
    ERASE_FAMILY = "erase_family", _("Erase one family's personal details everywhere, at the parents' request")
    VIEW_ACCESS_REGISTER = "view_access_register", _("See who may open family data and who opened which record")
    RUN_REFLECTION = "run_reflection", _("Start and lead reflection rounds, write the team's conclusions and actions")
    VIEW_CLB_AGREEMENT = "view_clb_agreement", _("Read the agreement note between the school and its CLB")
    EDIT_CLB_AGREEMENT = (
        "edit_clb_agreement",
        _("Write a new version of the agreement note between a school and its CLB"),
    )
    PLAN_CALENDAR = (
        "plan_calendar",
        _("Put partners' presence, preventive activities and trainings on the school calendar"),
    )
    RENEW_CALENDAR_FEED = "renew_calendar_feed", _("Make a new address for the school's calendar feed")
    VIEW_DASHBOARD = "view_dashboard", _("See the network's counts across schools, never a family")
    RUN_NETWORK = "run_network", _("Lead local networks: meetings, agendas, actions and signals to policy")
    FOLLOW_BRIDGE_CASELOAD = (
        "follow_bridge_caseload",
        _("Follow the families schools shared under consent, with one's own home visits and accompaniments"),
    )
    VIEW_BRIDGE_WORKLOAD = (
        "view_bridge_workload",
        _("See the workload of the organisation's bridge figures per school and month, never a family"),
    )


# Role by capability. Anything not listed is denied. Platform administrators are not a role
# here: they are Django staff users who work in the admin site and see no tenant's pages.
CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.VIEW_HOME: frozenset(Role),
    Capability.VIEW_TEAM: frozenset(Role),
    Capability.MANAGE_TEAM: frozenset({Role.DIRECTOR, Role.WELFARE_INTAKE, Role.LOCAL_OFFICIAL}),
    Capability.VIEW_DIRECTORY: frozenset(Role),
    Capability.EDIT_OWN_ORGANISATION: frozenset({Role.WELFARE_WORKER, Role.WELFARE_INTAKE}),
    Capability.CURATE_DIRECTORY: frozenset({Role.LOCAL_OFFICIAL}),
    Capability.SUGGEST_CORRECTION: frozenset(roles_for(TenantKind.SCHOOL)),
    Capability.LOG_SIGNAL: frozenset(roles_for(TenantKind.SCHOOL)),
    Capability.VIEW_SIGNAL_OVERVIEW: frozenset(roles_for(TenantKind.SCHOOL)),
    Capability.VIEW_SIGNALS: frozenset({Role.DIRECTOR, Role.CARE_COORDINATOR}),
    Capability.VIEW_FAMILIES: frozenset({Role.DIRECTOR, Role.CARE_COORDINATOR}),
    Capability.MANAGE_REFERRALS: frozenset({Role.DIRECTOR, Role.CARE_COORDINATOR}),
    Capability.BE_REFERENCE_PERSON: frozenset({Role.DIRECTOR, Role.CARE_COORDINATOR, Role.BRIDGE_FIGURE}),
    Capability.ANSWER_REFERRALS: frozenset({Role.WELFARE_WORKER, Role.WELFARE_INTAKE}),
    Capability.JOIN_CONSULTATIONS: frozenset({Role.WELFARE_WORKER, Role.WELFARE_INTAKE}),
    Capability.VIEW_MAP: frozenset(roles_for(TenantKind.SCHOOL)),
    Capability.EDIT_MAP: frozenset({Role.DIRECTOR, Role.CARE_COORDINATOR, Role.BRIDGE_FIGURE}),
    Capability.EXPORT_FAMILY: frozenset({Role.DIRECTOR}),
    Capability.ERASE_FAMILY: frozenset({Role.DIRECTOR}),
    Capability.VIEW_ACCESS_REGISTER: frozenset({Role.DIRECTOR}),
    Capability.RUN_REFLECTION: frozenset({Role.DIRECTOR, Role.WELFARE_INTAKE, Role.LOCAL_OFFICIAL}),
    # The school's side and the CLB's side (workers of the CLB organisation) alike.
    Capability.VIEW_CLB_AGREEMENT: frozenset({*roles_for(TenantKind.SCHOOL), Role.WELFARE_WORKER, Role.WELFARE_INTAKE}),
    Capability.EDIT_CLB_AGREEMENT: frozenset({Role.DIRECTOR, Role.CARE_COORDINATOR, Role.WELFARE_INTAKE}),
    # The school keeps its own calendar: its feed is public to whoever has the address, so only
    # the school's care team writes in it (partners tell them their dates).
    Capability.PLAN_CALENDAR: frozenset({Role.DIRECTOR, Role.CARE_COORDINATOR, Role.BRIDGE_FIGURE}),
    Capability.RENEW_CALENDAR_FEED: frozenset({Role.DIRECTOR}),
    Capability.VIEW_DASHBOARD: frozenset({Role.LOCAL_OFFICIAL}),
    Capability.RUN_NETWORK: frozenset({Role.LOCAL_OFFICIAL}),
    Capability.FOLLOW_BRIDGE_CASELOAD: frozenset({Role.BRIDGE_FIGURE}),
    # The coordinator of a bridge-figure service is its intake coordinator (see referrals.BridgeEmployment).
    Capability.VIEW_BRIDGE_WORKLOAD: frozenset({Role.WELFARE_INTAKE}),
}


def role_can(role: Role, capability: Capability) -> bool:
    return role in CAPABILITIES[capability]


# The capabilities that put a family's data in front of someone: its record and contact details,
# its consent and referrals, the signal notes, or being the person named on its referral. Whoever
# holds a role with one of them logs in with a second factor (see `roles_requiring_mfa`).
FAMILY_DATA_CAPABILITIES = frozenset(
    {
        Capability.VIEW_SIGNALS,
        Capability.VIEW_FAMILIES,
        Capability.MANAGE_REFERRALS,
        Capability.BE_REFERENCE_PERSON,
        Capability.ANSWER_REFERRALS,
        Capability.JOIN_CONSULTATIONS,
        Capability.EXPORT_FAMILY,
        Capability.ERASE_FAMILY,
        Capability.VIEW_ACCESS_REGISTER,
        Capability.FOLLOW_BRIDGE_CASELOAD,
    }
)


# Roles that handle family data by their function even where Brugwijzer gives them no screen on it
# yet: the school's CLB worker takes up every concern about a child's safety.
FAMILY_DATA_BY_FUNCTION = frozenset({Role.CLB_WORKER})


def roles_requiring_mfa() -> frozenset[Role]:
    """The roles that log in with a second factor: those with a capability on family data, and
    those whose function is about families (FAMILY_DATA_BY_FUNCTION).

    Derived from the capability table, so a role that gains such a capability gains the
    requirement with it. Platform administrators need it too (`User.needs_second_factor`).
    """
    by_capability = {role for capability in FAMILY_DATA_CAPABILITIES for role in CAPABILITIES[capability]}
    return frozenset(by_capability | FAMILY_DATA_BY_FUNCTION)


# What each role works with in Brugwijzer, shown on the home page of its context.
ROLE_TASKS: dict[Role, str] = {
    Role.DIRECTOR: _(
        "You steer the school's collaboration with welfare partners: you invite the team, run the reflection "
        "rounds and decide which partners the school works with."
    ),
    Role.CARE_COORDINATOR: _(
        "You receive what teachers and parents signal, refer families warmly to the right partner with the "
        "parents' consent, and follow up until help has arrived."
    ),
    Role.TEACHER: _(
        "You notice what a child or family needs and pass it to the care team. You see that a family is "
        "supported, never its finances or case details."
    ),
    Role.ADMIN_STAFF: _(
        "You handle school bills and payment arrangements discreetly, so teachers never have to talk about money."
    ),
    Role.BRIDGE_FIGURE: _(
        "You build trust between parents, the school and welfare partners, and go along with families. Your "
        "own notes stay with your service."
    ),
    Role.CLB_WORKER: _(
        "You are the school's CLB contact: you take up learning and well-being questions and every concern "
        "about a child's safety."
    ),
    Role.WELFARE_WORKER: _(
        "You receive referrals from schools, let them know how things stand without breaking professional "
        "secrecy, and keep your organisation's offer up to date."
    ),
    Role.WELFARE_INTAKE: _(
        "You receive the referrals that schools send your organisation, assign them to colleagues and manage "
        "who of your organisation works in Brugwijzer."
    ),
    Role.LOCAL_OFFICIAL: _(
        "You see the network of schools and partners in your municipality as counts that never identify a "
        "family, and run network meetings that turn needs into policy."
    ),
}
