from django.test import override_settings
from django.urls import reverse


def test_the_privacy_page_explains_in_plain_dutch_without_login(client, db):
    page = client.get(reverse("privacy"))
    assert page.status_code == 200
    text = page.content.decode()
    for topic in ("Wat we bewaren", "Waarom", "Wie ziet wat", "Hoe lang", "De rechten van de ouders"):
        assert topic in text


@override_settings(BRUGWIJZER_RETENTION_MONTHS=18)
def test_it_states_the_retention_this_installation_uses(client, db):
    assert "18 maanden" in client.get(reverse("privacy")).content.decode()


def test_it_is_in_english_for_those_who_chose_english(client, db):
    client.cookies["django_language"] = "en"
    assert "What we keep" in client.get(reverse("privacy")).content.decode()
