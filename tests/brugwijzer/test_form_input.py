"""Robust input: every form of the app gets generated input (Hypothesis) from a person allowed to
use it. Whatever arrives, the answer is never a 500, and a refused submission writes nothing.

The objects and the cast are the access matrix's; the fields are read from the page itself (every
input, select and textarea, with the options a select offers), so a field added to a form is fuzzed
without touching this file. POST-only endpoints name their fields here.
"""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referrals.models import AccessLogEntry
from tests.brugwijzer import test_access_matrix as matrix

world = matrix.world

# Every page with a form that writes, and the POST-only endpoints behind buttons.
FORMS = [
    "referrals:new_signal",
    "referrals:signal",
    "referrals:new_family",
    "referrals:edit_family",
    "referrals:erase_family",
    "referrals:new_consent",
    "referrals:withdraw_consent",
    "referrals:new_referral",
    "referrals:referral",
    "referrals:edit_referral",
    "referrals:incoming_referral",
    "referrals:new_consultation",
    "referrals:consultation",
    "referrals:edit_consultation",
    "referrals:bridge_share",
    "referrals:bridge_end_share",
    "referrals:bridge_case",
    "referrals:new_handover",
    "referrals:handover",
    "welfare:edit_organisation",
    "welfare:add_service",
    "welfare:edit_service",
    "welfare:add_location",
    "welfare:edit_location",
    "welfare:suggest",
    "welfare:suggestions",
    "schools:relation",
    "schools:focus",
    "schools:clb_agreement",
    "schools:clb_school_agreement",
    "schools:new_event",
    "schools:event",
    "schools:event_attendance",
    "schools:delete_event",
    "schools:renew_feed",
    "schools:new_training",
    "schools:training",
    "reflection:new_round",
    "reflection:answer",
    "reflection:hand_in",
    "reflection:add_question",
    "reflection:team",
    "reflection:advance",
    "reflection:actions",
    "reflection:parent_codes",
    "network:networks",
    "network:network",
    "network:meeting",
    "network:action_status",
    "network:signals",
    "network:signal_agenda",
    "network:signal_decide",
    "network:engagements",
    "network:engagement",
    "accounts:invite",
]
# Fields of endpoints that have no page of their own.
POST_ONLY = {
    "referrals:withdraw_consent": ["method"],
    "referrals:bridge_end_share": [],
    "schools:focus": ["focus_needs"],
    "schools:event_attendance": ["held_on", "attendees"],
    "schools:delete_event": [],
    "schools:renew_feed": [],
    "reflection:hand_in": [],
    "reflection:add_question": ["section", "label", "kind", "options"],
    "reflection:advance": ["to"],
    "network:action_status": ["status", "next"],
    "network:signal_agenda": ["meeting"],
}
# The access register is written by looking at a page, refused form or not.
NOT_COUNTED = {AccessLogEntry}
ODD = ["", " ", "0", "-1", "1e9", "2026-02-30", "31/12/2026", "9" * 40, "x" * 3000, "<script>", "' OR 1=1 --", "\x00"]


class Fields(HTMLParser):
    """Names of the inputs, selects and textareas on a page, with the values a select offers."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag in {"input", "textarea", "select"} and name and name != "csrfmiddlewaretoken":
            values = self.fields.setdefault(name, [])
            if attrs.get("value") is not None and attrs.get("type") in {"radio", "checkbox", "hidden", "submit"}:
                values.append(attrs["value"])
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and attrs.get("value") is not None:
            self.fields[self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def fields_of(client, url, name):
    if name in POST_ONLY:
        return {field: [] for field in POST_ONLY[name]}
    page = client.get(url)
    assert page.status_code == 200, f"{name}: {page.status_code}"
    parser = Fields()
    parser.feed(page.content.decode())
    return parser.fields


def counts():
    return {
        model: model.objects.count()
        for label in ("places", "accounts", "audit", "network", "referrals", "reflection", "schools", "welfare")
        for model in apps.get_app_config(label).get_models()
        if model not in NOT_COUNTED
    }


def allowed_actor(world, name):
    rule = matrix.RULES[name]
    return next(user for side, role, user in world["actors"] if matrix.allowed(rule, side, role))


def value_for(options):
    text = st.one_of(st.text(max_size=200), st.sampled_from(ODD), st.dates().map(lambda day: day.isoformat()))
    return st.one_of(st.sampled_from(options), text) if options else text


@pytest.mark.parametrize("name", FORMS)
def test_generated_input_never_crashes_and_a_refused_form_writes_nothing(client, world, name):
    assert name in matrix.RULES, "FORMS names a URL the access matrix does not know"
    url = matrix.url_for(name, world)
    client.force_login(allowed_actor(world, name))
    fields = fields_of(client, url, name)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(data=st.fixed_dictionaries({}, optional={field: value_for(options) for field, options in fields.items()}))
    def submit(data):
        before = counts()
        response = client.post(url, data)
        assert response.status_code != 500, f"{name} answered 500 to {data!r}"
        if response.status_code not in {301, 302, 303}:
            changed = {model.__name__ for model, n in counts().items() if before[model] != n}
            assert not changed, f"{name} answered {response.status_code} but wrote {changed} for {data!r}"

    submit()


@pytest.mark.parametrize("key", ["9223372036854775808", "-9223372036854775809", "9" * 40])
def test_a_key_too_large_for_the_database_is_an_invalid_choice_not_a_crash(db, key):
    from django.core.exceptions import ValidationError

    from brugwijzer.forms import ModelMultipleChoiceField
    from welfare.models import NeedCategory

    field = ModelMultipleChoiceField(queryset=NeedCategory.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([key])
    assert refused.value.code == "invalid_pk_value"
    need = NeedCategory.objects.first()
    assert list(field.clean([str(need.pk)])) == [need]


# The forms of logging in and of one's own account, and the parents' survey, which has no login.
# A refused submission writes nothing but the audit line a failed attempt is meant to leave.
def _lockouts_forgotten():
    from axes.utils import reset

    reset()


def _fuzz(client, url, fields, *, may_record=frozenset(), before_each=None, accepted=None):
    from audit.models import AuditEvent

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(data=st.fixed_dictionaries({}, optional={field: value_for(options) for field, options in fields.items()}))
    def submit(data):
        if before_each:
            before_each()
        before = counts()
        last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.post(url, data)
        assert response.status_code != 500, f"{url} answered 500 to {data!r}"
        if response.status_code in {301, 302, 303} or (accepted and accepted(response)):
            return
        changed = {model for model, n in counts().items() if before[model] != n}
        recorded = set(AuditEvent.objects.filter(pk__gt=last_event).values_list("action", flat=True))
        assert changed <= {AuditEvent} and recorded <= may_record, (
            f"{url} answered {response.status_code} but wrote {changed} ({recorded}) for {data!r}"
        )

    submit()


def _actor(world, role):
    return next(user for side, actor_role, user in world["actors"] if side == "A" and actor_role == role)


def test_generated_input_to_the_login_form_never_crashes(client, world):
    from audit.models import Action

    url = matrix.reverse("accounts:login")
    fields = fields_of(client, url, "accounts:login")
    assert {"username", "password"} <= fields.keys()
    _fuzz(
        client,
        url,
        fields,
        may_record={Action.LOGIN_FAILED, Action.LOGIN_LOCKED_OUT},
        before_each=_lockouts_forgotten,
    )


def test_generated_input_to_the_password_reset_form_never_crashes(client, world):
    url = matrix.reverse("accounts:password_reset")
    _fuzz(client, url, fields_of(client, url, "accounts:password_reset"))


def test_generated_input_to_the_password_change_form_never_crashes(client, world):
    client.force_login(_actor(world, matrix.Role.CARE_COORDINATOR))
    url = matrix.reverse("accounts:password_change")
    fields = fields_of(client, url, "accounts:password_change")
    assert {"old_password", "new_password1", "new_password2"} <= fields.keys()
    _fuzz(client, url, fields)


def test_generated_input_to_the_code_step_never_crashes(client, world, unverified_login):
    from audit.models import Action

    coordinator = _actor(world, matrix.Role.CARE_COORDINATOR)
    client.force_login(coordinator)  # sets up the app
    client.logout()
    unverified_login(client, coordinator)
    url = matrix.reverse("accounts:mfa_verify")
    fields = fields_of(client, url, "accounts:mfa_verify")
    assert "code" in fields
    _fuzz(client, url, fields, may_record={Action.MFA_FAILED})


def test_generated_input_to_setting_up_an_app_never_crashes(client, world):
    client.force_login(_actor(world, matrix.Role.TEACHER))  # needs no second factor, has no app yet
    url = matrix.reverse("accounts:mfa_setup")
    fields = fields_of(client, url, "accounts:mfa_setup")
    assert "code" in fields
    _fuzz(client, url, fields)


@pytest.mark.parametrize("name", ["accounts:mfa_remove", "accounts:recovery_codes"])
def test_generated_input_to_removing_the_app_or_new_recovery_codes_never_crashes(client, world, name):
    client.force_login(_actor(world, matrix.Role.CARE_COORDINATOR))
    fields = fields_of(client, matrix.reverse("accounts:security"), "accounts:security")
    assert "password" in fields
    _fuzz(client, matrix.reverse(name), fields)


def test_generated_input_to_the_parents_survey_never_crashes_and_only_an_accepted_answer_is_kept(client, world):
    from reflection import parents
    from reflection.models import ParentResponse, ParentSurvey

    survey = ParentSurvey.objects.get(title="Ouderbevraging")
    entry = matrix.reverse("reflection:parent_entry")

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(typed=value_for([]))
    def type_a_code(typed):
        # The entry page takes the code typed on paper as a query string.
        assert client.get(entry, {"code": typed}).status_code in {200, 302, 404}

    type_a_code()

    code = parents.make_codes(survey, 1)[0]
    url = matrix.reverse("reflection:parent_answer", kwargs={"code": code.code, "language": "nl"})
    fields = fields_of(client, url, "reflection:parent_answer")
    assert fields, "the survey page shows no questions"
    responses = ParentResponse.objects.filter(survey=survey)

    def thanked(response):
        # An accepted answer writes one response and uses the code; after that the code is refused.
        code.refresh_from_db()
        assert response.status_code == 200 and code.used and responses.count() == 1
        return True

    def accepted(response):
        return response.status_code == 200 and responses.exists() and thanked(response)

    _fuzz(client, url, fields, accepted=accepted)
