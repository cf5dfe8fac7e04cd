"""Paging as a person pages: start on a filtered list, press "Volgende" until it is gone, and check
that every item of the filtered list was seen exactly once and that the filter stayed set.

The links are followed as a browser resolves them (relative to the page's own address), so a
malformed link such as `??page=2` shows up as a page that never changes or a filter that is lost."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Signal
from schools.years import school_year_of
from tests.factories import ServiceFactory
from welfare.models import NeedCategory


class _Links(HTMLParser):
    """The pagination's links by their visible text."""

    def __init__(self):
        super().__init__()
        self.links: dict[str, str] = {}
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.setdefault("".join(self._text).strip(), self._href)
            self._href = None


def walk_pages(client, url: str, limit: int = 20) -> list[tuple[str, str]]:
    """Every page from `url` on, following "Volgende"; (address, html) per page."""
    pages = []
    while url and len(pages) < limit:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        pages.append((url, html))
        parser = _Links()
        parser.feed(html)
        following = parser.links.get("Volgende")
        if following is not None:
            assert not urlsplit(following).query.startswith("?"), f"malformed link {following!r}"
            following = urljoin(url, following)
        url = following
    assert len(pages) < limit, "the pages never end"
    return pages


def test_the_directory_pages_through_every_service_of_a_filter_once(client, teacher):
    health = NeedCategory.objects.get(code="hygiene_health")
    wanted = {ServiceFactory(name=f"Tandarts {n:02}", needs=[health]).name for n in range(45)}
    for n in range(30):  # another need: must never appear while the filter is set
        ServiceFactory(name=f"Schoolkosten {n:02}")
    client.force_login(teacher)

    pages = walk_pages(client, f"{reverse('welfare:directory')}?need={health.pk}")

    seen = [name for _, html in pages for name in re.findall(r"(?:Tandarts|Schoolkosten) \d\d", html)]
    assert len(pages) == 3  # 45 services, 20 to a page
    assert sorted(seen) == sorted(wanted)  # each exactly once, none of the other need
    for url, html in pages:
        assert parse_qs(urlsplit(url).query)["need"] == [str(health.pk)]
        assert re.search(rf'<option value="{health.pk}" selected>', html), "the filter form forgot the need"
    previous = _Links()
    previous.feed(pages[-1][1])
    back = urljoin(pages[-1][0], previous.links["Vorige"])
    assert client.get(back).content.decode().count("Tandarts") == pages[1][1].count("Tandarts")


def test_the_signals_list_pages_forward_with_its_filter(client, school, coordinator):
    today = timezone.localdate()
    need = NeedCategory.objects.get(code="material_admin")
    other = NeedCategory.objects.get(code="hygiene_health")
    for n in range(30):
        for category in (need, other):
            Signal.objects.create(
                school=school,
                need=category,
                channel="staff_observation",
                received_on=today - timedelta(days=n),
                school_year=school_year_of(today - timedelta(days=n)),
                note=f"{category.code}-{n:02}",
            )
    client.force_login(coordinator)
    start = reverse("referrals:signals", kwargs={"school_id": school.public_id})

    pages = walk_pages(client, f"{start}?need={need.pk}")

    notes = [note for _, html in pages for note in re.findall(r"(?:material_admin|hygiene_health)-\d\d", html)]
    assert len(pages) == 2  # 30 signals, 25 to a page
    assert sorted(notes) == sorted(f"material_admin-{n:02}" for n in range(30))


@pytest.mark.parametrize("page", ["0", "-1", "999", "twee", "1e9"])
def test_a_page_number_out_of_range_shows_a_page_rather_than_an_error(client, teacher, page):
    ServiceFactory.create_batch(3)
    client.force_login(teacher)
    assert client.get(reverse("welfare:directory"), {"page": page}).status_code == 200
