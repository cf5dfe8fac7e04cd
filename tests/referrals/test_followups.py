from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from referrals.models import Consent, DataItem, Family, Referral, State
from schools.years import end_of_school_year
from welfare.models import NeedCategory

FOLLOWUPS = reverse("referrals:followups")


@pytest.fixture
def make_referral(school, organisation, coordinator):
    need = NeedCategory.objects.get(code="material_admin")

    def make(reference, state=State.IN_CONTACT, follow_up=None, person=None, **fields):
        family = Family.objects.create(school=school, reference=reference, guardian_name="Geheime Naam")
        consent = Consent.objects.create(
            family=family,
            given_by="moeder",
            method="paper",
            recorded_by=coordinator,
            data_items=[DataItem.NEED],
            valid_until=end_of_school_year(timezone.localdate()),
        )
        return Referral.objects.create(
            school=school,
            family=family,
            need=need,
            organisation=organisation,
            reference_person=person or coordinator,
            state=state,
            consent=consent,
            next_follow_up=follow_up,
            **fields,
        )

    return make


def test_my_follow_ups_groups_overdue_today_and_later(client, coordinator, director, make_referral):
    today = timezone.localdate()
    make_referral("F-1", follow_up=today - timedelta(days=3))
    make_referral("F-2", follow_up=today)
    make_referral("F-3", follow_up=today + timedelta(days=7))
    make_referral("F-4", state=State.CLOSED, follow_up=today)
    make_referral("F-5", follow_up=today, person=director)
    client.force_login(coordinator)
    groups = client.get(FOLLOWUPS).context["groups"]
    assert [r.family.reference for r in groups["overdue"]] == ["F-1"]
    assert [r.family.reference for r in groups["today"]] == ["F-2"]
    assert [r.family.reference for r in groups["later"]] == ["F-3"]


def test_follow_ups_are_for_the_care_team(client, teacher, welfare_worker):
    for person in (teacher, welfare_worker):
        client.force_login(person)
        assert client.get(FOLLOWUPS).status_code == 403


def test_follow_ups_page_query_count_is_constant(client, coordinator, make_referral, django_assert_num_queries):
    client.force_login(coordinator)
    make_referral("F-1", follow_up=timezone.localdate())
    client.get(FOLLOWUPS)
    with django_assert_num_queries(5):  # +1: django-otp loads the session's verified device
        client.get(FOLLOWUPS)
    for index in range(5):
        make_referral(f"G-{index}", follow_up=timezone.localdate())
    with django_assert_num_queries(5):  # +1: django-otp loads the session's verified device
        client.get(FOLLOWUPS)


def test_planning_the_next_follow_up(client, coordinator, make_referral):
    referral = make_referral("F-1")
    client.force_login(coordinator)
    day = timezone.localdate() + timedelta(days=10)
    client.post(referral.get_absolute_url(), {"follow_up": "1", "next_follow_up": day.isoformat()})
    referral.refresh_from_db()
    assert referral.next_follow_up == day
    client.post(referral.get_absolute_url(), {"follow_up": "1", "next_follow_up": "2001-01-01"})
    referral.refresh_from_db()
    assert referral.next_follow_up == day


def test_the_daily_command_reminds_once_without_family_details(coordinator, make_referral):
    today = timezone.localdate()
    make_referral("F-1", follow_up=today - timedelta(days=1))
    make_referral("F-2", follow_up=today)
    make_referral("F-3", follow_up=today + timedelta(days=1))
    call_command("referral_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert "2" in message.subject
    for detail in ("Geheime Naam", "F-1", "F-2"):
        assert detail not in message.body and detail not in message.subject
    call_command("referral_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_the_daily_command_expires_referrals_nobody_reacted_to(make_referral):
    stale = make_referral("F-1", state=State.SENT)
    fresh = make_referral("F-2", state=State.SENT)
    Referral.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=60))
    call_command("referral_reminders", stdout=StringIO())
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.state, fresh.state) == (State.EXPIRED, State.SENT)
    assert stale.events.get().side == "system"
