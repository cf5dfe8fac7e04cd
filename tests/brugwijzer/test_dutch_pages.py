"""The Dutch interface is Dutch: no English default of Django, django-filter or crispy-forms, no
stored code where a label belongs, no "(en)" plurals and no "u" where Brugwijzer says "je"."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from referrals.models import Alert, Consent, DataItem, Referral
from tests.brugwijzer import test_access_matrix as matrix
from tests.brugwijzer.test_form_input import allowed_actor

world = matrix.world

ENGLISH_DEFAULTS = ["Select an option", "---------", "Unknown", "Yes", "No"]
RAW_CODE = re.compile(r"^[a-z]+(?:_[a-z]+)+$")  # to_explore, none_yet, parent_request …
POOR_PLURAL = re.compile(r"\w\((?:en|s|n)\)")


class Texts(HTMLParser):
    """The visible text nodes and the radio buttons of a page."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.radios: list[dict] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style"}:
            self._skip += 1
        if tag == "input" and attrs.get("type") == "radio":
            self.radios.append(attrs)
        if tag == "option":
            self.texts.append("")  # an option's label is its own text node

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def texts_of(response) -> Texts:
    parsed = Texts()
    parsed.feed(response.content.decode())
    return parsed


# Key pages: the forms of every app, lists with filters, the map and the team view.
KEY_PAGES = [
    "referrals:new_signal",
    "referrals:signals",
    "referrals:new_family",
    "referrals:edit_family",
    "referrals:new_consent",
    "referrals:new_referral",
    "referrals:incoming_referral",
    "referrals:new_consultation",
    "referrals:bridge_share",
    "referrals:new_handover",
    "referrals:access_register",
    "welfare:directory",
    "welfare:add_location",
    "welfare:edit_organisation",
    "schools:map",
    "schools:relation",
    "schools:new_event",
    "schools:new_training",
    "reflection:new_round",
    "reflection:answer",
    "reflection:team",
    "reflection:actions",
    "network:dashboard",
    "network:networks",
    "network:meeting",
    "network:signals",
    "network:engagements",
    "accounts:team",
    "accounts:invite",
    "accounts:password_change",
]


@pytest.mark.parametrize("name", KEY_PAGES)
def test_a_dutch_page_holds_no_english_default_raw_code_or_poor_plural(client, world, name):
    assert name in matrix.RULES
    client.force_login(allowed_actor(world, name))
    response = client.get(matrix.url_for(name, world))
    assert response.status_code == 200
    texts = texts_of(response).texts
    for default in ENGLISH_DEFAULTS:
        assert not [text for text in texts if default in text and (len(default) > 3 or text == default)], default
    assert [text for text in texts if RAW_CODE.match(text)] == []
    assert [text for text in texts if POOR_PLURAL.search(text)] == []
    words = {word for text in texts for word in re.findall(r"\w+", text)}
    assert not words & {"u", "U", "uw", "Uw"}, "Brugwijzer says je, not u"


def the_parents_allow_alerts():
    Consent.objects.update(data_items=[DataItem.CONTACT_DETAILS, DataItem.NEED, DataItem.ALERTS])


def test_a_required_choice_shown_as_radio_buttons_comes_with_nothing_checked(client, world):
    """The alert a welfare worker raises has no default: no empty "Select an option" button, and no
    answer picked for them."""
    the_parents_allow_alerts()
    name = "referrals:incoming_referral"
    client.force_login(allowed_actor(world, name))
    radios = [r for r in texts_of(client.get(matrix.url_for(name, world))).radios if r.get("name") == "kind"]
    assert radios, "the page offers the alert"
    assert [r for r in radios if r.get("value") == ""] == []
    assert [r for r in radios if "checked" in r] == []


def test_the_radio_buttons_still_refuse_an_empty_answer(client, world):
    the_parents_allow_alerts()
    name = "referrals:incoming_referral"
    client.force_login(allowed_actor(world, name))
    url = matrix.url_for(name, world)
    response = client.post(url, {"kind": "", "note": "Graag bellen."})
    assert response.status_code == 400
    assert not Alert.objects.exists()


def test_withdrawing_a_consent_counts_the_stopped_referrals_in_proper_dutch(client, world):
    name = "referrals:withdraw_consent"
    client.force_login(allowed_actor(world, name))
    referral = Referral.objects.get()
    response = client.post(matrix.url_for(name, world), {"method": "conversation"}, follow=True)
    text = response.content.decode()
    assert "1 doorverwijzing is stopgezet" in text, referral
    assert "(en)" not in text


def test_the_password_rules_say_je(client, world):
    name = "accounts:password_change"
    client.force_login(allowed_actor(world, name))
    page = client.get(reverse(name)).content.decode()
    assert "Je wachtwoord moet minstens" in page
    assert "Uw wachtwoord" not in page
