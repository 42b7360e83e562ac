"""Deny by default: who sees which case."""

from datetime import date

import pytest

from heard.feedback import services as s
from heard.staff.access import can, visible_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(people, social_care, early_help):
    a = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=social_care,
        today=date(2026, 3, 2),
    )
    b = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=early_help,
        today=date(2026, 3, 2),
    )
    return a, b


def test_customer_relations_manager_and_director_see_every_case(people, cases):
    for name in ("alice", "mo", "dina"):
        assert set(visible_feedback(people[name])) == set(cases)


def test_a_service_manager_sees_only_their_services_cases(people, cases):
    assert list(visible_feedback(people["sam"])) == [cases[0]]
    assert list(visible_feedback(people["erin"])) == [cases[1]]


def test_no_role_administrator_and_unappointed_independent_people_see_nothing(people, cases):
    for name in ("charlie", "ada", "pat", "quinn", "ian"):
        assert not visible_feedback(people[name]).exists()
        assert not can(people[name], "view", cases[0])


def test_an_independent_person_sees_the_case_they_were_appointed_to(people, cases):
    fb = cases[0]
    s.add_point(actor=people["alice"], feedback=fb, summary="Visits cancelled")
    s.respond(
        actor=people["sam"],
        feedback=fb,
        on=date(2026, 3, 9),
        today=date(2026, 3, 9),
        findings={1: s.FindingInput("not_upheld")},
    )
    s.escalate_to_stage_2(
        actor=None, feedback=fb, requested_on=date(2026, 3, 10), reason="unhappy", today=date(2026, 3, 10)
    )
    s.appoint_independent_person(actor=people["mo"], feedback=fb, person=people["pat"])
    assert list(visible_feedback(people["pat"])) == [fb]
    assert can(people["pat"], "view", fb) and not can(people["pat"], "respond", fb)


def test_unknown_actions_are_denied(people, cases):
    assert not can(people["mo"], "delete_everything", cases[0])
    assert not can(people["mo"], "delete_everything")
