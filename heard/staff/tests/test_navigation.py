"""The staff navigation offers each role the places it may go, and only those; every staff page a role may
open without a case in its address is in the navigation or linked from a page that is.

(Pages about one case are reached from the case page; their access is the permission matrix's business.)
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from heard.staff.tests.test_permission_matrix import AS, routes, world  # noqa: F401 (world: a fixture)
from heard.testing.fixtures import PASSWORD

pytestmark = pytest.mark.django_db

ALL = ["Work queue", "Log feedback", "Search", "Letters to approve", "Reports", "Letter templates", "Audit"]
NAVIGATION = {
    "customer_relations": ["Work queue", "Log feedback", "Search", "Lessons learnt"],
    "complaints_manager": ALL,
    "service_manager": ["Work queue", "Search", "Letters to approve"],
    "investigating_officer": ["Work queue", "Search"],
    "independent_person": ["Work queue", "Search"],
    "panel_member": ["Work queue", "Search"],
    "director": ["Work queue", "Search", "Letters to approve", "Reports"],
    "administrator": ["Letter templates"],
    "no role": [],
    "service manager of another service": ["Work queue", "Search", "Letters to approve"],
}


class Links(HTMLParser):
    """Every link and form action on a page, and the staff navigation's links with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: set[str] = set()
        self.navigation: list[tuple[str, str, bool]] = []
        self._in_nav = False
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ul" and a.get("id") == "staff-navigation":
            self._in_nav = True
        if tag == "a" and a.get("href"):
            self.targets.add(a["href"].split("#")[0].split("?")[0])
            if self._in_nav:
                self._link = [a["href"], "", a.get("aria-current") == "page"]
        if tag == "form":
            self.targets.add(a.get("action", ""))

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.navigation.append((self._link[0], " ".join(self._link[1].split()), self._link[2]))
            self._link = None
        if tag == "ul" and self._in_nav:
            self._in_nav = False


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


def first_page(client, user) -> str:
    """A staff page this user may open: the work queue, else the first place their navigation offers,
    else changing their password (any signed-in user)."""
    for url in (reverse("staff:home"), reverse("letters:templates")):
        response = client.get(url)
        if response.status_code == 200:
            return response.content.decode()
    return client.get(reverse("staff:password_change")).content.decode()


@pytest.mark.parametrize("who", list(NAVIGATION))
def test_the_navigation_offers_each_role_its_places_and_each_opens(client, people, who):
    client.force_login(people[AS[who]])
    navigation = parse(first_page(client, people[AS[who]])).navigation
    assert [text for _, text, _ in navigation] == NAVIGATION[who]
    for href, text, _ in navigation:
        assert client.get(href, follow=True).status_code == 200, text  # "Lessons learnt" goes on to this year


def test_the_letter_template_editor_is_in_the_navigation_of_those_who_may_edit_templates_alone(client, people):
    editors = {who for who, items in NAVIGATION.items() if "Letter templates" in items}
    assert editors == {"complaints_manager", "administrator"}
    for who in NAVIGATION:
        client.force_login(people[AS[who]])
        assert client.get(reverse("letters:templates")).status_code == (200 if who in editors else 403), who


def test_the_current_section_is_marked_in_the_navigation(client, people):
    client.force_login(people["mo"])
    for url, section in (
        (reverse("letters:template_edit", args=["thanks"]), "Letter templates"),
        (reverse("letters:for_approval"), "Letters to approve"),
        (reverse("reports:index"), "Reports"),
        (reverse("staff:search"), "Search"),
    ):
        current = [text for _, text, active in parse(client.get(url).content.decode()).navigation if active]
        assert current == [section], url


@pytest.mark.parametrize("who", [who for who in AS if AS[who]])
def test_every_staff_page_without_a_case_that_a_role_may_open_is_linked(client, people, world, who):  # noqa: F811
    """From the navigation, the footer, or a page in the navigation (one click further)."""
    user = people[AS[who]]
    client.force_login(user)
    first = parse(first_page(client, user))
    reachable = set(first.targets)
    for href, _, _ in first.navigation:
        reachable |= parse(client.get(href).content.decode()).targets
    missing = []
    for route in routes("staff/"):
        if route.kwargs or route.name in ("staff:login", "staff:logout"):
            continue
        url = reverse(route.name)
        if client.get(url).status_code == 200 and url not in reachable:
            missing.append(route.name)
    assert not missing, f"{who} may open these pages but nothing links to them: {missing}"


def test_every_signed_in_user_finds_how_to_change_their_password(client, people):
    for name in ("alice", "ada", "charlie"):
        client.force_login(people[name])
        assert reverse("staff:password_change") in parse(first_page(client, people[name])).targets, name


def test_the_administrator_signs_in_to_the_admin_which_links_to_the_letter_templates(client, people):
    response = client.post(reverse("staff:login"), {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    html = unescape(client.get(response.url).content.decode())
    assert re.search(rf'<a href="{reverse("letters:templates")}">Letter templates</a>', html)
    client.logout()  # everyone else still starts at the work queue
    assert client.post(reverse("staff:login"), {"username": "alice", "password": PASSWORD}).url == reverse("staff:home")
