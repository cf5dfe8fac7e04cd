"""Bridge figures (issue #9, part 5): one caseload across schools, only what schools shared under
consent; home visits that stay with the bridge-figure service; the coordinator's counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from audit.models import Action, AuditEvent
from referrals.models import (
    AccessLogEntry,
    BridgeEmployment,
    BridgeShare,
    BridgeVisit,
    Consent,
    DataItem,
    Family,
    VisitKind,
)
from referrals.services import remove_personal_details
from schools.years import end_of_school_year
from tests.factories import OrganisationFactory, SchoolFactory, member
from welfare.models import OrganisationType

CASELOAD = reverse("referrals:bridge_caseload")
SECRET_NOTE = "Moeder vertelde over schulden bij de huisbaas"


@pytest.fixture
def service(municipality):
    return OrganisationFactory(
        name="Brugfigurenwerking Test",
        organisation_type=OrganisationType.objects.get(slug="bridge_figure_service"),
        municipalities=[municipality],
    )


@pytest.fixture
def school_b(municipality):
    return SchoolFactory(name="Basisschool De Brug", municipality=municipality)


@pytest.fixture
def school_c(municipality):
    return SchoolFactory(name="Basisschool De Overzet", municipality=municipality)


def employ(user, service):
    BridgeEmployment.objects.create(user=user, organisation=service)
    return user


@pytest.fixture
def bridge_figure(school, school_b, service):
    """Serves school A and school B for the service."""
    person = member(Role.BRIDGE_FIGURE, school, full_name="Bo Brugfiguur")
    Membership.objects.create(user=person, role=Role.BRIDGE_FIGURE, school=school_b)
    return employ(person, service)


@pytest.fixture
def bridge_figure_c(school_c, service):
    return employ(member(Role.BRIDGE_FIGURE, school_c, full_name="Cor Brugfiguur"), service)


@pytest.fixture
def service_coordinator(service):
    return member(Role.WELFARE_INTAKE, service, full_name="Sien Coördinatie")


def make_family(school, reference, **details):
    return Family.objects.create(school=school, reference=reference, guardian_name="Geheime Ouder", **details)


def give_consent(family, recorded_by, *organisations, items=(DataItem.CONTACT_DETAILS, DataItem.NEED), **fields):
    consent = Consent.objects.create(
        family=family,
        given_by="moeder",
        method="conversation",
        recorded_by=recorded_by,
        data_items=list(items),
        valid_until=fields.pop("valid_until", end_of_school_year(timezone.localdate())),
        **fields,
    )
    consent.organisations.add(*organisations)
    return consent


def share(family, figure, service, consent, by):
    return BridgeShare.objects.create(
        family=family, bridge_figure=figure, service=service, consent=consent, shared_by=by
    )


def share_url(family):
    return reverse("referrals:bridge_share", kwargs={"school_id": family.school.public_id, "family_id": family.pk})


def case_url(found):
    return reverse("referrals:bridge_case", kwargs={"share_id": found.pk})


def references(client):
    return [s.family.reference for s in client.get(CASELOAD).context["shares"]]


# --- Sharing under consent, and losing it --------------------------------------------------------


def test_a_bridge_figure_sees_a_family_only_after_the_school_shared_it_under_consent(
    client, school, coordinator, bridge_figure, service, organisation
):
    family = make_family(school, "G-1")
    client.force_login(bridge_figure)
    assert references(client) == []

    # A consent for another organisation does not cover the bridge figure: a clear form error.
    give_consent(family, coordinator, organisation)
    client.force_login(coordinator)
    response = client.post(share_url(family), {"bridge_figure": bridge_figure.pk})
    assert response.status_code == 400
    [error] = response.context["form"].errors["bridge_figure"]
    assert "Brugfigurenwerking Test" in error
    assert not BridgeShare.objects.exists()

    give_consent(family, coordinator, service)
    response = client.post(share_url(family), {"bridge_figure": bridge_figure.pk, "note": "Hulp bij schooltoeslag"})
    assert response.status_code == 302
    made = BridgeShare.objects.get()
    assert (made.family, made.bridge_figure, made.service, made.shared_by) == (
        family,
        bridge_figure,
        service,
        coordinator,
    )
    assert AuditEvent.objects.filter(action=Action.BRIDGE_SHARED, object_id=str(made.pk)).exists()

    client.force_login(bridge_figure)
    assert references(client) == ["G-1"]
    assert client.get(case_url(made)).status_code == 200


def test_withdrawing_the_consent_takes_the_family_out_of_the_caseload_at_once(
    client, school, coordinator, bridge_figure, service
):
    family = make_family(school, "G-1")
    consent = give_consent(family, coordinator, service)
    made = share(family, bridge_figure, service, consent, coordinator)
    client.force_login(coordinator)
    withdraw = reverse(
        "referrals:withdraw_consent",
        kwargs={"school_id": school.public_id, "family_id": family.pk, "consent_id": consent.pk},
    )
    assert client.post(withdraw, {"method": "conversation"}).status_code == 302

    client.force_login(bridge_figure)
    assert references(client) == []
    assert client.get(case_url(made)).status_code == 404
    assert client.post(case_url(made), {"kind": VisitKind.HOME_VISIT, "on": timezone.localdate()}).status_code == 404
    assert not BridgeVisit.objects.exists()


def test_an_expired_consent_or_a_stopped_share_ends_the_bridge_figures_view(
    client, school, coordinator, bridge_figure, service
):
    expired = make_family(school, "G-1")
    old = give_consent(expired, coordinator, service)
    share(expired, bridge_figure, service, old, coordinator)
    Consent.objects.filter(pk=old.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    stopped = make_family(school, "G-2")
    made = share(stopped, bridge_figure, service, give_consent(stopped, coordinator, service), coordinator)
    client.force_login(coordinator)
    end = reverse(
        "referrals:bridge_end_share",
        kwargs={"school_id": school.public_id, "family_id": stopped.pk, "share_id": made.pk},
    )
    assert client.post(end).status_code == 302
    made.refresh_from_db()
    assert made.ended_by == coordinator

    client.force_login(bridge_figure)
    assert references(client) == []


def test_a_renewed_consent_shares_again_and_keeps_the_earlier_contacts(
    client, school, coordinator, bridge_figure, service
):
    family = make_family(school, "G-1")
    old = give_consent(family, coordinator, service)
    first = share(family, bridge_figure, service, old, coordinator)
    BridgeVisit.objects.create(share=first, purpose="Eerste huisbezoek", recorded_by=bridge_figure)
    Consent.objects.filter(pk=old.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    give_consent(family, coordinator, service)
    client.force_login(coordinator)
    assert client.post(share_url(family), {"bridge_figure": bridge_figure.pk}).status_code == 302
    first.refresh_from_db()
    assert first.ended_at is not None
    renewed = BridgeShare.objects.open().get()
    client.force_login(bridge_figure)
    assert "Eerste huisbezoek" in client.get(case_url(renewed)).content.decode()


def test_a_family_already_shared_is_not_shared_twice(client, school, coordinator, bridge_figure, service):
    family = make_family(school, "G-1")
    share(family, bridge_figure, service, give_consent(family, coordinator, service), coordinator)
    client.force_login(coordinator)
    response = client.post(share_url(family), {"bridge_figure": bridge_figure.pk})
    assert response.status_code == 400
    assert BridgeShare.objects.count() == 1


def test_only_bridge_figures_of_the_school_with_a_service_can_be_chosen(
    client, school, coordinator, bridge_figure, bridge_figure_c, service
):
    family = make_family(school, "G-1")
    give_consent(family, coordinator, service)
    client.force_login(coordinator)
    offered = client.get(share_url(family)).context["form"].fields["bridge_figure"].queryset
    assert list(offered) == [bridge_figure]
    assert client.post(share_url(family), {"bridge_figure": bridge_figure_c.pk}).status_code == 400
    assert not BridgeShare.objects.exists()


# --- One caseload across schools ------------------------------------------------------------------


def test_one_list_across_the_schools_a_bridge_figure_serves_and_none_for_another_school(
    client, school, school_b, coordinator, bridge_figure, bridge_figure_c, service
):
    director_b = member(Role.DIRECTOR, school_b)
    at_a, at_b = make_family(school, "A-1"), make_family(school_b, "B-1")
    share_a = share(at_a, bridge_figure, service, give_consent(at_a, coordinator, service), coordinator)
    share(at_b, bridge_figure, service, give_consent(at_b, director_b, service), director_b)

    client.force_login(bridge_figure)
    assert sorted(references(client)) == ["A-1", "B-1"]

    client.force_login(bridge_figure_c)
    assert references(client) == []
    assert client.get(case_url(share_a)).status_code == 404


def test_a_bridge_figure_who_stops_serving_the_school_loses_its_families(
    client, school, coordinator, bridge_figure, service
):
    family = make_family(school, "A-1")
    share(family, bridge_figure, service, give_consent(family, coordinator, service), coordinator)
    Membership.objects.filter(user=bridge_figure, school=school).update(ends_on=timezone.localdate())
    client.force_login(bridge_figure)
    assert references(client) == []


# --- What the bridge figure sees, and what the school does not -------------------------------------


def test_the_case_page_shows_only_what_the_consent_allows_and_logs_contact_details(
    client, school, coordinator, bridge_figure, service
):
    with_details = make_family(school, "A-1", phone="0470 11 22 33")
    made = share(with_details, bridge_figure, service, give_consent(with_details, coordinator, service), coordinator)
    without = make_family(school, "A-2", phone="0470 99 88 77")
    bare = share(without, bridge_figure, service, give_consent(without, coordinator, service, items=()), coordinator)
    client.force_login(bridge_figure)

    assert "0470 11 22 33" in client.get(case_url(made)).content.decode()
    assert AccessLogEntry.objects.filter(user=bridge_figure, family=with_details).count() == 1
    assert "0470 99 88 77" not in client.get(case_url(bare)).content.decode()
    assert not AccessLogEntry.objects.filter(family=without).exists()


def test_a_bridge_figure_records_a_home_visit_and_an_accompaniment(client, school, coordinator, bridge_figure, service):
    family = make_family(school, "A-1")
    made = share(family, bridge_figure, service, give_consent(family, coordinator, service), coordinator)
    client.force_login(bridge_figure)
    today = timezone.localdate()
    visit = {"kind": VisitKind.HOME_VISIT, "on": today, "purpose": SECRET_NOTE, "next_step_on": today + timedelta(7)}
    assert client.post(case_url(made), visit).status_code == 302
    refused = {"kind": VisitKind.ACCOMPANIMENT, "on": today, "destination": ""}
    assert client.post(case_url(made), refused).status_code == 400
    future = {"kind": VisitKind.HOME_VISIT, "on": today + timedelta(days=1)}
    assert client.post(case_url(made), future).status_code == 400
    along = {"kind": VisitKind.ACCOMPANIMENT, "on": today, "destination": "OCMW-loket"}
    assert client.post(case_url(made), along).status_code == 302
    assert BridgeVisit.objects.filter(share=made, recorded_by=bridge_figure).count() == 2
    event = AuditEvent.objects.get(action=Action.BRIDGE_VISIT_RECORDED, details__kind=VisitKind.HOME_VISIT)
    assert SECRET_NOTE not in str(event.details)

    listed = client.get(CASELOAD).context["shares"][0]
    assert (listed.contacts, listed.last_contact, listed.next_step_on) == (2, today, today + timedelta(7))


def test_school_staff_do_not_see_the_bridge_figures_visit_notes(
    client, school, coordinator, director, teacher, bridge_figure, service
):
    family = make_family(school, "A-1")
    made = share(family, bridge_figure, service, give_consent(family, coordinator, service), coordinator)
    today = timezone.localdate()
    BridgeVisit.objects.create(share=made, on=today - timedelta(days=3), purpose=SECRET_NOTE, recorded_by=bridge_figure)
    BridgeVisit.objects.create(
        share=made,
        on=today,
        purpose="Nog een geheim gesprek",
        follow_up="Geheime opvolging",
        next_step="Geheime volgende stap",
        next_step_on=today + timedelta(days=14),
        shared_with_school=True,
        recorded_by=bridge_figure,
    )
    page = reverse("referrals:family", kwargs={"school_id": school.public_id, "family_id": family.pk})
    for person in (coordinator, director):
        client.force_login(person)
        html = client.get(page).content.decode()
        for secret in (SECRET_NOTE, "Nog een geheim gesprek", "Geheime opvolging", "Geheime volgende stap"):
            assert secret not in html
        # The agreed item: that the contact took place and the date of the next step.
        [shown] = client.get(page).context["bridge_shares"]
        assert [(v.on, v.next_step_on) for v in shown.agreed_visits] == [(today, today + timedelta(days=14))]
    client.force_login(teacher)
    assert client.get(page).status_code == 403
    assert client.get(case_url(made)).status_code == 403


def test_the_school_sees_whether_a_share_still_holds(client, school, coordinator, bridge_figure, service):
    family = make_family(school, "A-1")
    consent = give_consent(family, coordinator, service)
    share(family, bridge_figure, service, consent, coordinator)
    page = reverse("referrals:family", kwargs={"school_id": school.public_id, "family_id": family.pk})
    client.force_login(coordinator)
    assert client.get(page).context["bridge_shares"][0].is_live
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now(), withdrawn_by=coordinator)
    assert not client.get(page).context["bridge_shares"][0].is_live


def test_bridge_figures_do_not_decide_on_referrals_or_consent(client, school, bridge_figure, coordinator, service):
    """Rule 16: a bridge figure runs no referral, records no consent and shares nothing onwards."""
    family = make_family(school, "A-1")
    client.force_login(bridge_figure)
    for name in ("referrals:new_referral", "referrals:new_consent", "referrals:bridge_share"):
        url = reverse(name, kwargs={"school_id": school.public_id, "family_id": family.pk})
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403


def test_the_retention_purge_clears_what_bridge_figures_and_the_school_wrote(
    school, coordinator, bridge_figure, service
):
    family = make_family(school, "A-1")
    made = share(family, bridge_figure, service, give_consent(family, coordinator, service), coordinator)
    BridgeShare.objects.filter(pk=made.pk).update(note="Schulden")
    BridgeVisit.objects.create(share=made, purpose=SECRET_NOTE, follow_up="x", next_step="y", recorded_by=bridge_figure)
    remove_personal_details(family)
    made.refresh_from_db()
    visit = BridgeVisit.objects.get()
    assert (made.note, visit.purpose, visit.follow_up, visit.next_step) == ("", "", "", "")


# --- Every new page: anonymous, stranger, wrong role, allowed ----------------------------------------


@pytest.fixture
def shared(school, coordinator, bridge_figure, service):
    family = make_family(school, "A-1")
    return share(family, bridge_figure, service, give_consent(family, coordinator, service), coordinator)


def school_urls(found):
    family = found.family
    ids = {"school_id": family.school.public_id, "family_id": family.pk}
    return [
        reverse("referrals:bridge_share", kwargs=ids),
        reverse("referrals:bridge_end_share", kwargs={**ids, "share_id": found.pk}),
    ]


def test_anonymous_visitors_are_sent_to_login(client, shared, service):
    urls = [*school_urls(shared), CASELOAD, case_url(shared)]
    urls.append(reverse("referrals:bridge_workload", kwargs={"organisation_id": service.pk}))
    for url in urls:
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))


def test_the_school_side_refuses_strangers_and_wrong_roles(client, shared, stranger, teacher, bridge_figure):
    for person, status in ((stranger, 404), (teacher, 403), (bridge_figure, 403)):
        client.force_login(person)
        for url in school_urls(shared):
            assert client.post(url, {"bridge_figure": bridge_figure.pk}).status_code == status
    shared.refresh_from_db()
    assert shared.ended_at is None
    assert BridgeShare.objects.count() == 1


def test_the_bridge_side_refuses_other_bridge_figures_and_other_roles(
    client, shared, bridge_figure_c, coordinator, welfare_worker, service_coordinator
):
    today = timezone.localdate()
    for person, status in (
        (bridge_figure_c, 404),
        (coordinator, 403),
        (welfare_worker, 403),
        (service_coordinator, 403),
    ):
        client.force_login(person)
        assert client.get(case_url(shared)).status_code == status
        assert client.post(case_url(shared), {"kind": VisitKind.HOME_VISIT, "on": today}).status_code == status
        if status == 403:
            assert client.get(CASELOAD).status_code == 403
    assert not BridgeVisit.objects.exists()


def test_the_workload_page_is_for_the_services_intake_coordinator(
    client, service, service_coordinator, intake_coordinator, welfare_worker, bridge_figure, shared
):
    url = reverse("referrals:bridge_workload", kwargs={"organisation_id": service.pk})
    client.force_login(service_coordinator)
    assert client.get(url).status_code == 200
    for person, status in ((intake_coordinator, 404), (welfare_worker, 404), (bridge_figure, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status
    worker_here = member(Role.WELFARE_WORKER, service)
    client.force_login(worker_here)
    assert client.get(url).status_code == 403


# --- The coordinator's counts -------------------------------------------------------------------------


def test_the_workload_shows_counts_per_school_and_month_with_small_cells_suppressed(
    client, school, school_b, coordinator, bridge_figure, service, service_coordinator
):
    director_b = member(Role.DIRECTOR, school_b)
    today = timezone.localdate()
    for index in range(6):
        family = make_family(school, f"A-{index}")
        made = share(family, bridge_figure, service, give_consent(family, coordinator, service), coordinator)
        BridgeVisit.objects.create(share=made, on=today, purpose=SECRET_NOTE, recorded_by=bridge_figure)
    family_b = make_family(school_b, "B-1")
    share(family_b, bridge_figure, service, give_consent(family_b, director_b, service), director_b)
    client.force_login(service_coordinator)
    response = client.get(reverse("referrals:bridge_workload", kwargs={"organisation_id": service.pk}))
    workload = response.context["workload"]
    per_school = {str(s): cell.text for s, cell in workload["schools"]}
    # School B's one family is hidden as "< 5", and so is A's six (else the total 7 would give B away).
    assert per_school == {"Basisschool De Brug": "< 5", "Basisschool Het Anker": "×"}
    assert workload["schools_total"].text == "7"
    assert workload["months"][-1][1].text == "6"
    html = response.content.decode()
    for secret in ("A-0", "B-1", SECRET_NOTE, "Geheime Ouder"):
        assert secret not in html


# --- Query counts -----------------------------------------------------------------------------------


def test_the_caseload_query_count_is_constant(
    client, school, school_b, coordinator, bridge_figure, service, django_assert_num_queries
):
    def add(at, reference):
        family = make_family(at, reference)
        made = share(family, bridge_figure, service, give_consent(family, coordinator, service), coordinator)
        BridgeVisit.objects.create(share=made, next_step_on=timezone.localdate(), recorded_by=bridge_figure)

    client.force_login(bridge_figure)
    add(school, "A-0")
    client.get(CASELOAD)
    with django_assert_num_queries(5):  # session, user, verified device, memberships, the caseload
        client.get(CASELOAD)
    for index in range(4):
        add(school if index % 2 else school_b, f"X-{index}")
    with django_assert_num_queries(5):
        response = client.get(CASELOAD)
    assert len(response.context["shares"]) == 5


def test_the_workload_query_count_is_constant(
    client, school, coordinator, bridge_figure, service, service_coordinator, django_assert_num_queries
):
    def add(reference):
        family = make_family(school, reference)
        made = share(family, bridge_figure, service, give_consent(family, coordinator, service), coordinator)
        BridgeVisit.objects.create(share=made, recorded_by=bridge_figure)

    url = reverse("referrals:bridge_workload", kwargs={"organisation_id": service.pk})
    client.force_login(service_coordinator)
    add("A-0")
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url)
    for index in range(4):
        add(f"X-{index}")
        employ(member(Role.BRIDGE_FIGURE, school), service)
    with django_assert_num_queries(9):
        client.get(url)


def test_the_family_page_query_count_is_constant_in_bridge_shares(
    client, school, coordinator, bridge_figure, service, django_assert_num_queries
):
    family = make_family(school, "A-1")
    consent = give_consent(family, coordinator, service)
    page = reverse("referrals:family", kwargs={"school_id": school.public_id, "family_id": family.pk})

    def add():
        figure = employ(member(Role.BRIDGE_FIGURE, school), service)
        made = share(family, figure, service, consent, coordinator)
        BridgeVisit.objects.create(share=made, shared_with_school=True, recorded_by=figure)

    client.force_login(coordinator)
    add()
    client.get(page)
    # 14 as in the consultations test, and one for the visits of the shares (Django skips it when
    # there are no shares)
    with django_assert_num_queries(15):
        client.get(page)
    for _index in range(3):
        add()
    with django_assert_num_queries(15):
        client.get(page)


def test_the_demo_has_a_bridge_figure_of_two_schools_with_a_shared_family_and_a_home_visit(client, db):
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User

    call_command("seed_demo", stdout=StringIO())
    figure = User.objects.get(email="brugfiguur@brugwaarde.example")
    assert figure.memberships.filter(role=Role.BRIDGE_FIGURE).count() == 2
    client.force_login(figure)
    [listed] = client.get(CASELOAD).context["shares"]
    assert listed.contacts == 1
    assert listed.visits.get().kind == VisitKind.HOME_VISIT
    client.force_login(User.objects.get(email="coordinatie@brugfiguren-brugwaarde.example"))
    url = reverse("referrals:bridge_workload", kwargs={"organisation_id": listed.service.pk})
    assert client.get(url).status_code == 200


def test_the_workload_of_an_organisation_without_bridge_figures_says_so(client, intake_coordinator, organisation):
    client.force_login(intake_coordinator)
    response = client.get(reverse("referrals:bridge_workload", kwargs={"organisation_id": organisation.pk}))
    assert response.status_code == 200
    assert response.context["workload"]["figures"] == []
