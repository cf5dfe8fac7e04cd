from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from referrals.models import Consent, DataItem, Family, Referral, State
from schools.years import end_of_school_year
from welfare.models import NeedCategory


def family_with_referral(school, organisation, person, reference, state, months_ago):
    need = NeedCategory.objects.get(code="material_admin")
    family = Family.objects.create(school=school, reference=reference, guardian_name="Naam", phone="0470")
    consent = Consent.objects.create(
        family=family,
        given_by="Moeder Naam",
        method="paper",
        recorded_by=person,
        data_items=[DataItem.NEED],
        valid_until=end_of_school_year(timezone.localdate()),
    )
    referral = Referral.objects.create(
        school=school,
        family=family,
        need=need,
        organisation=organisation,
        reference_person=person,
        state=state,
        consent=consent,
        note="Notitie",
        outcome="got_help" if state == State.CLOSED else "",
    )
    moment = timezone.now() - timedelta(days=31 * months_ago)
    Referral.objects.filter(pk=referral.pk).update(updated_at=moment)
    Family.objects.filter(pk=family.pk).update(updated_at=moment)
    return family


def test_retention_removes_exactly_the_expired_details_and_keeps_the_statistics(school, organisation, coordinator):
    old = family_with_referral(school, organisation, coordinator, "OLD", State.CLOSED, 13)
    recent = family_with_referral(school, organisation, coordinator, "RECENT", State.CLOSED, 2)
    still_open = family_with_referral(school, organisation, coordinator, "OPEN", State.IN_CONTACT, 20)
    call_command("purge_family_details", stdout=StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert (old.guardian_name, old.phone, old.details_removed_on) == ("", "", timezone.localdate())
    assert old.referrals.get().note == ""
    assert old.consents.get().given_by == "—"
    assert old.referrals.get().state == State.CLOSED  # the statistics stay
    assert old.reference == "OLD"
    assert recent.guardian_name == "Naam"
    assert still_open.guardian_name == "Naam"


def test_running_retention_twice_changes_nothing_more(school, organisation, coordinator):
    family_with_referral(school, organisation, coordinator, "OLD", State.CLOSED, 13)
    call_command("purge_family_details", stdout=StringIO())
    before = list(Family.objects.values_list("reference", "guardian_name", "details_removed_on", "updated_at"))
    out = StringIO()
    call_command("purge_family_details", stdout=out)
    assert "0 families'" in out.getvalue()
    assert list(Family.objects.values_list("reference", "guardian_name", "details_removed_on", "updated_at")) == before


def test_dry_run_changes_nothing(school, organisation, coordinator):
    family = family_with_referral(school, organisation, coordinator, "OLD", State.CLOSED, 13)
    out = StringIO()
    call_command("purge_family_details", "--dry-run", stdout=out)
    assert "1 family's" in out.getvalue()
    family.refresh_from_db()
    assert family.guardian_name == "Naam"
