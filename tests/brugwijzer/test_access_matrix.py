"""The access matrix, generated: every URL pattern of the project, every role, and objects that
belong to one school, organisation and municipality (A), with the same roles also held in another
school, organisation and municipality (B).

Every URL must be classified in RULES. For every actor the capability table does not allow, every
method answers 403 or 404 (405 only where the other method already refused). For every URL one
allowed actor gets through, so a broken fixture cannot make the matrix pass by refusing everyone.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.roles import ROLE_TENANT, Capability, Role, TenantKind, role_can
from network.models import EngagementDeclaration, Meeting, Network, NetworkAction, PolicySignal, SignalKind
from places.models import Region
from referrals.models import (
    BridgeEmployment,
    BridgeShare,
    BridgeVisit,
    CaseMeetingType,
    Channel,
    Consent,
    Consultation,
    ConsultationAgreement,
    ConsultationParticipant,
    DataItem,
    Family,
    Referral,
    SchoolHandover,
    Signal,
    State,
)
from reflection.models import ParentQuestionnaire, ParentSurvey, Participant, Phase, QuestionnaireVersion, Round
from schools.models import EventKind, ProfessionalisationFormat, Repeat, SchoolEvent, Training
from schools.years import end_of_school_year
from tests.brugwijzer.test_login_required import PUBLIC, named_patterns
from tests.factories import LocationFactory, ServiceFactory, UserFactory, member
from welfare.models import NeedCategory, OrganisationType

C = Capability
SCHOOL, ORGANISATION, MUNICIPALITY = TenantKind.SCHOOL, TenantKind.ORGANISATION, TenantKind.MUNICIPALITY
AUTH = "any signed-in user"
ADMIN = "staff only (Django admin)"
PUBLIC_BY_TOKEN = "no login: the unguessable token in the URL is the key (listed in test_login_required.PUBLIC)"
EDITOR = "editors of the organisation's entry: its own workers, or curators of a municipality it serves"

# url name → who may use it: (capability, kind of tenant the URL names), ("member", capability)
# for pages any membership with the capability opens, AUTH, EDITOR, or PUBLIC (listed in
# test_login_required.PUBLIC). A tenant given as kind/tenant_id is tried as school A.
RULES = {
    "home": AUTH,
    "accounts:logout": AUTH,
    "accounts:password_change": AUTH,
    "accounts:password_change_done": AUTH,
    "accounts:switch_context": AUTH,
    # One's own second factor: the code step, the security page, setting up or removing the app.
    "accounts:mfa_verify": AUTH,
    "accounts:security": AUTH,
    "accounts:mfa_setup": AUTH,
    "accounts:mfa_remove": AUTH,
    "accounts:recovery_codes": AUTH,
    "accounts:team": (C.VIEW_TEAM, None),
    "accounts:invite": (C.MANAGE_TEAM, None),
    "accounts:revoke_invitation": (C.MANAGE_TEAM, None),
    "accounts:end_membership": (C.MANAGE_TEAM, None),
    "schools:home": (C.VIEW_HOME, SCHOOL),
    "schools:map": (C.VIEW_MAP, SCHOOL),
    "schools:focus": (C.EDIT_MAP, SCHOOL),
    "schools:relation": (C.VIEW_MAP, SCHOOL),
    "schools:clb_agreement": (C.VIEW_CLB_AGREEMENT, SCHOOL),
    "schools:engagements": (C.VIEW_HOME, SCHOOL),
    "schools:clb_schools": (C.VIEW_CLB_AGREEMENT, ORGANISATION),
    # The school calendar: everyone of the school reads it, the care team plans it, the director
    # renews the feed's address (the feed itself, schools:calendar_feed, is PUBLIC: its token is the key).
    "schools:calendar": (C.VIEW_HOME, SCHOOL),
    "schools:new_event": (C.PLAN_CALENDAR, SCHOOL),
    "schools:event": (C.VIEW_HOME, SCHOOL),
    "schools:event_attendance": (C.PLAN_CALENDAR, SCHOOL),
    "schools:delete_event": (C.PLAN_CALENDAR, SCHOOL),
    "schools:renew_feed": (C.RENEW_CALENDAR_FEED, SCHOOL),
    "schools:new_training": (C.PLAN_CALENDAR, SCHOOL),
    "schools:training": (C.VIEW_HOME, SCHOOL),
    "schools:calendar_feed": PUBLIC_BY_TOKEN,
    "schools:clb_school_agreement": (C.VIEW_CLB_AGREEMENT, ORGANISATION),
    "referrals:signals": (C.VIEW_SIGNAL_OVERVIEW, SCHOOL),
    "referrals:new_signal": (C.LOG_SIGNAL, SCHOOL),
    "referrals:signal": (C.LOG_SIGNAL, SCHOOL),
    "referrals:refer_signal": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:families": (C.VIEW_FAMILIES, SCHOOL),
    "referrals:new_family": (C.VIEW_FAMILIES, SCHOOL),
    "referrals:family": (C.VIEW_FAMILIES, SCHOOL),
    "referrals:edit_family": (C.VIEW_FAMILIES, SCHOOL),
    "referrals:family_export": (C.EXPORT_FAMILY, SCHOOL),
    "referrals:erase_family": (C.ERASE_FAMILY, SCHOOL),
    "referrals:access_register": (C.VIEW_ACCESS_REGISTER, SCHOOL),
    "referrals:access_log": (C.VIEW_ACCESS_REGISTER, SCHOOL),
    "referrals:new_consent": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:consent_sheet": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:withdraw_consent": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:new_referral": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:referrals": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:referral": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:edit_referral": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:followups": ("member", C.MANAGE_REFERRALS),
    "referrals:new_consultation": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:consultation": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:edit_consultation": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:joined_consultations": (C.JOIN_CONSULTATIONS, ORGANISATION),
    "referrals:joined_consultation": (C.JOIN_CONSULTATIONS, ORGANISATION),
    "referrals:incoming": (C.ANSWER_REFERRALS, ORGANISATION),
    "referrals:incoming_referral": (C.ANSWER_REFERRALS, ORGANISATION),
    # Bridge figures (issue #9, part 5).
    "referrals:bridge_share": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:bridge_end_share": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:bridge_caseload": ("member", C.FOLLOW_BRIDGE_CASELOAD),
    "referrals:bridge_case": ("member", C.FOLLOW_BRIDGE_CASELOAD),
    "referrals:bridge_workload": (C.VIEW_BRIDGE_WORKLOAD, ORGANISATION),
    # Changing school (issue #9, part 8).
    "referrals:new_handover": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:handovers": (C.MANAGE_REFERRALS, SCHOOL),
    "referrals:handover": (C.MANAGE_REFERRALS, SCHOOL),
    "welfare:home": (C.VIEW_HOME, ORGANISATION),
    "welfare:directory": ("member", C.VIEW_DIRECTORY),
    "welfare:organisation": ("member", C.VIEW_DIRECTORY),
    "welfare:edit_organisation": EDITOR,
    "welfare:add_service": EDITOR,
    "welfare:edit_service": EDITOR,
    "welfare:add_location": EDITOR,
    "welfare:edit_location": EDITOR,
    "welfare:suggestions": EDITOR,
    "welfare:import": ("member", C.CURATE_DIRECTORY),
    "welfare:suggest": ("member", C.SUGGEST_CORRECTION),
    "reflection:rounds": (C.VIEW_HOME, None),
    "reflection:new_round": (C.RUN_REFLECTION, None),
    "reflection:compare": (C.VIEW_HOME, None),
    "reflection:round": (C.VIEW_HOME, None),
    "reflection:answer": (C.VIEW_HOME, None),
    "reflection:hand_in": (C.VIEW_HOME, None),
    "reflection:add_question": (C.RUN_REFLECTION, None),
    "reflection:team": (C.VIEW_HOME, None),
    "reflection:report": (C.VIEW_HOME, None),
    "reflection:export": (C.VIEW_HOME, None),
    "reflection:advance": (C.RUN_REFLECTION, None),
    "reflection:apply_map": (C.RUN_REFLECTION, None),
    "reflection:actions": (C.VIEW_HOME, None),
    "reflection:parent_surveys": (C.VIEW_HOME, SCHOOL),
    "reflection:parent_survey": (C.VIEW_HOME, SCHOOL),
    "reflection:parent_codes": (C.RUN_REFLECTION, SCHOOL),
    "network:home": (C.VIEW_HOME, MUNICIPALITY),
    "network:dashboard": (C.VIEW_DASHBOARD, MUNICIPALITY),
    "network:export": (C.VIEW_DASHBOARD, MUNICIPALITY),
    "network:region_dashboard": (C.VIEW_DASHBOARD, MUNICIPALITY),
    "network:region_export": (C.VIEW_DASHBOARD, MUNICIPALITY),
    "network:networks": (C.RUN_NETWORK, MUNICIPALITY),
    "network:network": (C.RUN_NETWORK, MUNICIPALITY),
    "network:meeting": (C.RUN_NETWORK, MUNICIPALITY),
    "network:action_status": (C.RUN_NETWORK, MUNICIPALITY),
    "network:signals": (C.RUN_NETWORK, MUNICIPALITY),
    "network:signal_agenda": (C.RUN_NETWORK, MUNICIPALITY),
    "network:signal_decide": (C.RUN_NETWORK, MUNICIPALITY),
    "network:engagements": (C.RUN_NETWORK, MUNICIPALITY),
    "network:engagement": (C.RUN_NETWORK, MUNICIPALITY),
}

PATTERNS = dict(named_patterns())
CHECKED = sorted(name for name in PATTERNS if name not in PUBLIC and not name.startswith("admin:"))


def test_every_url_is_classified():
    assert [name for name, rule in RULES.items() if rule == PUBLIC_BY_TOKEN and name not in PUBLIC] == []
    unclassified = [name for name in CHECKED if name not in RULES]
    assert unclassified == [], "Add these URLs to RULES in tests/brugwijzer/test_access_matrix.py"
    assert [name for name in RULES if name not in PATTERNS] == [], "RULES names URLs that no longer exist"


@pytest.fixture
def world(school, other_school, organisation, other_organisation, municipality, other_municipality, settings):
    """The cast (every role in A and in B) and one object of every kind that belongs to A."""
    # Forty users per test: a fast hasher here; the real one (Argon2) is tested with the logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    home = {SCHOOL: school, ORGANISATION: organisation, MUNICIPALITY: municipality}
    away = {SCHOOL: other_school, ORGANISATION: other_organisation, MUNICIPALITY: other_municipality}
    actors = []
    for role in Role:
        kind = ROLE_TENANT[role]
        actors.append(("A", role, member(role, home[kind], full_name=f"{role.label} A")))
        actors.append(("B", role, member(role, away[kind], full_name=f"{role.label} B")))
    staff = UserFactory(is_staff=True, is_superuser=True)
    users = {(side, role): user for side, role, user in actors}
    coordinator = users["A", Role.CARE_COORDINATOR]
    director = users["A", Role.DIRECTOR]
    official = users["A", Role.LOCAL_OFFICIAL]
    need = NeedCategory.objects.get(code="material_admin")
    today = timezone.localdate()
    # Organisation A is also school A's CLB, so the agreement note has both sides.
    organisation.organisation_type = OrganisationType.objects.get(slug="clb")
    organisation.save()
    school.clb = organisation
    school.save()

    signal = Signal.objects.create(
        school=school,
        need=need,
        channel=Channel.PARENT_REQUEST,
        school_year=f"{today.year}-{today.year + 1}",
        reported_by=users["A", Role.TEACHER],
    )
    family = Family.objects.create(school=school, reference="M-1", guardian_name="Matrix Ouder")
    consent = Consent.objects.create(
        family=family,
        given_by="moeder",
        method="conversation",
        recorded_by=coordinator,
        data_items=[DataItem.CONTACT_DETAILS, DataItem.NEED],
        valid_until=end_of_school_year(today),
    )
    consent.organisations.add(organisation)
    consent.needs.add(need)
    referral = Referral.objects.create(
        school=school,
        family=family,
        need=need,
        organisation=organisation,
        reference_person=coordinator,
        state=State.SENT,
        consent=consent,
    )
    consultation = Consultation.objects.create(
        school=school,
        family=family,
        kind=CaseMeetingType.CARE_MEETING,
        held_on=today + timedelta(days=3),
        notes="Matrixnotitie",
        organised_by=coordinator,
    )
    outside = ConsultationParticipant.objects.create(
        consultation=consultation,
        organisation=organisation,
        worker=users["A", Role.WELFARE_WORKER],
        role="maatschappelijk werker",
        consent=consent,
    )
    ConsultationAgreement.objects.create(consultation=consultation, what="Afspraak", owner=outside)
    # Bridge figure A works for organisation A, which the consent names: school A shared the family.
    bridge_figure = users["A", Role.BRIDGE_FIGURE]
    BridgeEmployment.objects.create(user=bridge_figure, organisation=organisation)
    bridge_share = BridgeShare.objects.create(
        family=family, bridge_figure=bridge_figure, service=organisation, consent=consent, shared_by=coordinator
    )
    BridgeVisit.objects.create(share=bridge_share, purpose="Huisbezoek", recorded_by=bridge_figure)
    # School A hands family M-1 over to school B; it waits for B.
    handover = SchoolHandover.objects.create(
        family=family,
        from_school=school,
        to_school=other_school,
        summary="Samenvatting",
        given_by="moeder",
        consent_method="conversation",
        created_by=coordinator,
    )
    invitation = Invitation(email="nieuw@example.org", role=Role.TEACHER, invited_by=director, token_hash="x" * 64)
    invitation.expires_at = timezone.now() + timedelta(days=7)
    invitation.set_tenant(school)
    invitation.save()
    teacher_membership = users["A", Role.TEACHER].memberships.get()
    service = ServiceFactory(organisation=organisation)
    location = LocationFactory(organisation=organisation, municipality=municipality)

    version = QuestionnaireVersion.objects.for_audience("school").first()
    round_ = Round(version=version, title="Matrixronde", ends_on=today + timedelta(days=14), started_by=director)
    round_.set_tenant(school)
    round_.save()
    for (side, _role), user in users.items():
        if side == "A" and user.memberships.filter(school=school).exists():
            Participant.objects.create(round=round_, user=user)
    # Results, reports and change over time are only open once the team has talked: a finished round.
    finished = Round(
        version=version, title="Afgerond", ends_on=today, started_by=director, phase=Phase.CLOSED, anonymous=False
    )
    finished.set_tenant(school)
    finished.save()
    for participant in round_.participants.all():
        Participant.objects.create(round=finished, user=participant.user, submitted_at=timezone.now())
    survey = ParentSurvey.objects.create(
        school=school,
        questionnaire=ParentQuestionnaire.objects.first(),
        title="Ouderbevraging",
        closes_on=today + timedelta(days=14),
        started_by=director,
    )

    region = Region.objects.create(name="Matrixregio")
    region.municipalities.add(municipality)
    network = Network.objects.create(municipality=municipality, name="Matrixnetwerk", coordinator=official)
    meeting = Meeting.objects.create(network=network, held_on=today + timedelta(days=7))
    action = NetworkAction.objects.create(network=network, decided_at=meeting, what="Iets", due_on=today)
    engagement = EngagementDeclaration.objects.create(
        municipality=municipality, school=school, school_year="2026-2027", title="Engagement", created_by=official
    )
    policy_signal = PolicySignal.objects.create(
        municipality=municipality, need=need, kind=SignalKind.NO_OFFER, school_year="2026-2027", proposed_by=official
    )
    parent_cafe = SchoolEvent.objects.create(
        school=school,
        kind=EventKind.PARENT_CAFE,
        organisation=organisation,
        starts_on=today - timedelta(days=28),
        start_time="13:30",
        end_time="15:00",
        repeat=Repeat.WEEKLY,
        ends_on=today + timedelta(days=28),
    )
    training = Training.objects.create(
        school=school,
        provider=organisation,
        theme=need,
        format=ProfessionalisationFormat.ONE_OFF,
        held_on=today,
        participants=12,
    )

    kwargs = {
        "school_id": school.public_id,
        "event_id": parent_cafe.public_id,
        "training_id": training.public_id,
        "organisation_id": organisation.pk,
        "municipality_id": municipality.public_id,
        "kind": "school",
        "tenant_id": school.public_id,
        "family_id": family.pk,
        "consent_id": consent.pk,
        "referral_id": referral.pk,
        "consultation_id": consultation.pk,
        "share_id": bridge_share.pk,
        "handover_id": handover.pk,
        "invitation_id": invitation.public_id,
        "membership_id": teacher_membership.pk,
        "service_id": service.pk,
        "location_id": location.pk,
        "round_id": round_.pk,
        "section_slug": version.sections.order_by("order").first().slug,
        "questionnaire": version.questionnaire.slug,
        "survey_id": survey.pk,
        "region_id": region.public_id,
        "network_id": network.public_id,
        "meeting_id": meeting.public_id,
        "action_id": action.pk,
        "engagement_id": engagement.public_id,
        "slug": "signals-need",
        "fmt": "csv",
    }
    # Two URL keywords mean different objects per app.
    per_app = {("referrals", "signal_id"): signal.pk, ("network", "signal_id"): policy_signal.public_id}
    per_url = {
        name: {"round_id": finished.pk} for name in ("reflection:export", "reflection:report", "reflection:team")
    }
    # A region's downloads hold no counts about families: ask for one it does have.
    per_url["network:region_export"] = {"slug": "schools"}
    return {"actors": actors, "staff": staff, "kwargs": kwargs, "per_app": per_app, "per_url": per_url}


def allowed(rule, side, role) -> bool:
    if rule == AUTH:
        return True
    if rule == EDITOR:
        return side == "A" and (role_can(role, C.EDIT_OWN_ORGANISATION) or role_can(role, C.CURATE_DIRECTORY))
    if rule[0] == "member":
        return role_can(role, rule[1])
    capability, kind = rule
    kind = kind or SCHOOL
    return side == "A" and ROLE_TENANT[role] == kind and role_can(role, capability)


def url_for(name, world):
    pattern = PATTERNS[name]
    app = name.split(":")[0]
    kwargs = {}
    for key in pattern.pattern.converters:
        kwargs[key] = (
            world["per_url"].get(name, {}).get(key, world["per_app"].get((app, key), world["kwargs"].get(key)))
        )
    return reverse(name, kwargs=kwargs)


def answers(client, url):
    return client.get(url).status_code, client.post(url).status_code


@pytest.mark.parametrize("name", [name for name in CHECKED if name in RULES])
def test_what_the_capability_table_does_not_allow_is_refused(client, world, name):
    rule = RULES[name]
    url = url_for(name, world)
    let_in = None
    kind = None if rule in (AUTH, EDITOR) or rule[0] == "member" else (rule[1] or SCHOOL)
    for side, role, user in world["actors"]:
        if side == "B" and ROLE_TENANT[role] != kind and rule != EDITOR:
            continue  # other kinds of tenant are already tried on side A
        client.force_login(user)
        got, posted = answers(client, url)
        if allowed(rule, side, role):
            if let_in is None and (got not in {403, 404, 405} or posted not in {403, 404, 405}):
                let_in = (side, role)
            continue
        refused = {403, 404}
        assert got in refused | {405} and posted in refused | {405}, f"{role} of {side} on {url}: {got}/{posted}"
        assert got in refused or posted in refused, f"{role} of {side} on {url}: {got}/{posted}"
    if rule != AUTH:
        assert let_in is not None, f"nobody got through on {url}: check the matrix's objects"


def test_the_admin_site_is_for_staff_only(client, world):
    # Signed in but not staff: refused at once. (A redirect to the login page would send a
    # signed-in person straight back here, for ever.)
    urls = [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:app_list", args=["audit"]),
    ]
    for _side, _role, user in world["actors"]:
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, f"{user} on {url}: {response.status_code}"
            assert "Je rol laat dit niet toe" in response.content.decode()
    client.logout()
    for url in urls:
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
        assert response.status_code == 200
    client.force_login(world["staff"])
    for url in urls:
        assert client.get(url).status_code == 200
