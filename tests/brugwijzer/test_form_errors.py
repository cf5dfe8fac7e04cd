"""A form that fails says so the GOV.UK way, on every form page through one mechanism (base.html):
an error summary at the top ("Er is een probleem") that links to each field in error and is
focused on load, and a page title that starts with "Fout: "."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.brugwijzer import test_access_matrix as matrix
from tests.brugwijzer.test_form_input import allowed_actor

world = matrix.world


class Page(HTMLParser):
    """The title, the ids on the page, the fields marked invalid and the error summary's links."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.ids: dict[str, str] = {}  # id -> name of the field it belongs to ("" if none)
        self.invalid: set[str] = set()  # names of the fields marked aria-invalid
        self.summary: dict | None = None
        self.links: list[str] = []
        self._in_title = False
        self._summary_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        if attrs.get("id"):
            self.ids[attrs["id"]] = attrs.get("name") or ""
        if attrs.get("aria-invalid") == "true" and attrs.get("name"):
            self.invalid.add(attrs["name"])
        if tag == "div":
            if self._summary_depth:
                self._summary_depth += 1
            elif "error-summary" in (attrs.get("class") or "").split():
                self.summary = attrs
                self._summary_depth = 1
        if tag == "a" and self._summary_depth and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "div" and self._summary_depth:
            self._summary_depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def read(response) -> Page:
    page = Page()
    page.feed(response.content.decode())
    return page


def assert_summarised(response):
    assert response.status_code in {200, 400}, response.status_code
    page = read(response)
    assert page.title.strip().startswith("Fout: "), page.title
    assert page.summary is not None, "no error summary"
    assert page.summary.get("tabindex") == "-1" and "autofocus" in page.summary
    assert "Er is een probleem" in response.content.decode()
    for target in page.links:
        assert target in page.ids, f"the summary links to #{target}, which is not on the page"
    linked = {page.ids[target] for target in page.links}
    assert page.invalid <= linked, f"fields in error without a link: {page.invalid - linked}"
    return page


# A sample of form pages across the apps, each with what it refuses.
FORM_PAGES = {
    "referrals:new_signal": {},
    "referrals:new_family": {},
    "referrals:new_consent": {},
    "referrals:new_referral": {},
    "referrals:new_handover": {},
    "welfare:add_location": {},
    "welfare:edit_organisation": {"name": ""},
    "welfare:suggest": {},
    "schools:new_event": {},
    "network:networks": {},
    "reflection:new_round": {},
    "accounts:invite": {"email": "geen-adres"},
}


@pytest.mark.parametrize("name", list(FORM_PAGES))
def test_a_refused_form_gets_an_error_summary_and_a_title_that_says_so(client, world, name):
    url = matrix.url_for(name, world)
    client.force_login(allowed_actor(world, name))
    before = read(client.get(url))
    assert not before.title.startswith("Fout"), "an untouched form is no error"
    assert before.summary is None
    # A browser always sends the CSRF token, so an empty form still arrives as a non-empty POST.
    page = assert_summarised(client.post(url, {"csrfmiddlewaretoken": "x", **FORM_PAGES[name]}))
    assert page.links, "at least one field is named"


def test_a_refused_reflection_answer_gets_the_summary_instead_of_a_loose_alert(client, world):
    """The answer page renders its questions by hand, not with crispy: the summary still comes."""
    name = "reflection:answer"
    url = matrix.url_for(name, world)
    client.force_login(allowed_actor(world, name))
    radios = [n for i, n in read(client.get(url)).ids.items() if n and i.endswith("_0")]
    assert radios, "the first part has a question with options"
    page = assert_summarised(client.post(url, {"csrfmiddlewaretoken": "x", radios[0]: "99"}))
    assert page.invalid == {radios[0]}
    assert [page.ids[target] for target in page.links] == [radios[0]]


def test_a_failed_login_gets_the_summary(client, db):
    page = assert_summarised(client.post(reverse("accounts:login"), {"username": "", "password": ""}))
    assert {"id_username", "id_password"} <= set(page.links)


def test_the_summary_finds_forms_in_sections_and_formsets_and_names_each_once():
    from django import forms
    from django.template import Context

    from brugwijzer.templatetags.error_summary import problems_on_page

    class Note(forms.Form):
        text = forms.CharField(label="Notitie")
        kind = forms.ChoiceField(label="Soort", choices=[("a", "A")], widget=forms.RadioSelect)

    section = Note(data={}, prefix="s1")
    hours = forms.formset_factory(Note)(data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1"})
    problems = problems_on_page(Context({"blocks": [{"form": section}], "hours": hours, "again": section}))
    assert [p.target for p in problems] == ["id_s1-text", "id_s1-kind_0", "id_form-0-text", "id_form-0-kind_0"]
    assert problems[0].message == "Notitie: Dit veld is verplicht."
