from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import ServiceFactory
from welfare.models import CorrectionSuggestion, SuggestionStatus, WelfareOrganisation


def suggest_url(organisation):
    return reverse("welfare:suggest", kwargs={"organisation_id": organisation.pk})


def answers_url(organisation):
    return reverse("welfare:suggestions", kwargs={"organisation_id": organisation.pk})


def test_teacher_suggests_a_correction_for_a_service(client, teacher, school, organisation):
    service = ServiceFactory(organisation=organisation)
    client.force_login(teacher)
    assert client.get(suggest_url(organisation)).status_code == 200
    response = client.post(
        suggest_url(organisation), {"service": service.pk, "message": "Het telefoonnummer klopt niet."}
    )
    assert response.status_code == 302
    suggestion = CorrectionSuggestion.objects.get()
    assert (suggestion.service, suggestion.school, suggestion.suggested_by) == (service, school, teacher)
    assert suggestion.status == SuggestionStatus.PENDING


def test_an_empty_suggestion_is_a_400(client, teacher, organisation):
    client.force_login(teacher)
    assert client.post(suggest_url(organisation), {"message": ""}).status_code == 400
    assert not CorrectionSuggestion.objects.exists()


def test_a_service_of_another_organisation_cannot_be_named(client, teacher, organisation, other_organisation):
    client.force_login(teacher)
    other = ServiceFactory(organisation=other_organisation)
    response = client.post(suggest_url(organisation), {"service": other.pk, "message": "x"})
    assert response.status_code == 400


def test_welfare_workers_and_officials_do_not_suggest(client, welfare_worker, local_official, organisation):
    for person in (welfare_worker, local_official):
        client.force_login(person)
        assert client.get(suggest_url(organisation)).status_code == 403


def test_the_organisation_accepts_and_the_school_hears_it_by_email(
    client, teacher, welfare_worker, organisation, django_capture_on_commit_callbacks
):
    suggestion = CorrectionSuggestion.objects.create(
        organisation=organisation, message="Adres verhuisd", suggested_by=teacher
    )
    client.force_login(welfare_worker)
    page = client.get(answers_url(organisation))
    assert "Adres verhuisd" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answers_url(organisation),
            {"suggestion": suggestion.pk, "decision": "accepted", "answer": "Dank je, aangepast."},
        )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == (SuggestionStatus.ACCEPTED, welfare_worker)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [teacher.email]
    assert "Dank je, aangepast." in mail.outbox[0].body


def test_only_editors_answer_suggestions(client, teacher, organisation, other_organisation, welfare_worker):
    suggestion = CorrectionSuggestion.objects.create(organisation=other_organisation, message="x", suggested_by=teacher)
    for person in (teacher, welfare_worker):
        client.force_login(person)
        assert client.get(answers_url(other_organisation)).status_code == 403
        client.post(answers_url(other_organisation), {"suggestion": suggestion.pk, "decision": "rejected"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


def test_a_suggestion_of_another_organisation_cannot_be_answered_here(
    client, teacher, welfare_worker, organisation, other_organisation
):
    theirs = CorrectionSuggestion.objects.create(organisation=other_organisation, message="x", suggested_by=teacher)
    client.force_login(welfare_worker)
    response = client.post(answers_url(organisation), {"suggestion": theirs.pk, "decision": "rejected"})
    assert response.status_code == 404


def test_editors_are_told_about_stale_entries_and_waiting_suggestions(
    client, welfare_worker, teacher, organisation, local_official, municipality
):
    old = timezone.localdate() - timedelta(days=400)
    WelfareOrganisation.objects.filter(pk=organisation.pk).update(checked_on=old)
    service = ServiceFactory(organisation=organisation, name="Verouderde dienst")
    type(service).objects.filter(pk=service.pk).update(checked_on=old)
    CorrectionSuggestion.objects.create(organisation=organisation, message="Nieuw adres", suggested_by=teacher)

    client.force_login(welfare_worker)
    home = client.get(organisation.get_absolute_url()).content.decode()
    assert "Verouderde dienst" in home
    assert "1 voorgestelde correctie wacht op een antwoord." in home

    client.force_login(local_official)
    municipal = client.get(municipality.get_absolute_url()).content.decode()
    assert organisation.name in municipal
    assert "Nieuw adres" in municipal
