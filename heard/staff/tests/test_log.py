"""Logging feedback from the staff page: the minimum now, a duplicate warning, nothing half-written."""

import hashlib
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from heard.feedback import clock
from heard.feedback import services as s
from heard.feedback.models import Event, Feedback, Person, Point
from heard.feedback.services import PersonDetails

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), tick=False):
        yield


def minimum(service, **extra):
    data = {
        "kind": "complaint",
        "channel": "phone",
        "received_on_day": "9",
        "received_on_month": "3",
        "received_on_year": "2026",
        "service": service.pk,
        "summary": "Visits keep being cancelled",
        "idempotency_key": hashlib.md5(repr(sorted(extra.items())).encode()).hexdigest(),
    }
    data.update(extra)
    return data


def test_a_complaint_is_logged_with_the_minimum_and_goes_to_its_case_page(client, people, social_care):
    client.force_login(people["alice"])
    response = client.post(reverse("staff:log"), minimum(social_care))
    fb = Feedback.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/cases/{fb.reference}/"
    assert (fb.kind, fb.channel, fb.received_on, fb.service) == ("complaint", "phone", date(2026, 3, 9), social_care)
    assert Event.objects.filter(feedback=fb, action="logged", actor=people["alice"]).exists()
    assert clock.next_due_of(fb) == date(2026, 3, 12)  # acknowledge within 3 working days


def test_every_kind_and_optional_details_are_recorded(client, people, social_care, themes):
    client.force_login(people["alice"])
    client.post(
        reverse("staff:log"),
        minimum(
            social_care,
            complainant_name="Jo Bloggs",
            complainant_email="jo@example.com",
            complainant_role="parent_or_carer",
            child_name="Sam Bloggs",
            theme=themes["Quality of Service"].pk,
            points="Visits cancelled\n\nCalls not returned",
        ),
    )
    fb = Feedback.objects.get()
    assert fb.complainant.name == "Jo Bloggs" and fb.child.is_child and fb.theme.name == "Quality of Service"
    assert list(Point.objects.filter(feedback=fb).values_list("summary", flat=True)) == [
        "Visits cancelled",
        "Calls not returned",
    ]
    client.post(
        reverse("staff:log"), minimum(social_care, kind="mp_enquiry", channel="letter", enquiry_category="case_review")
    )
    assert Feedback.objects.get(kind="mp_enquiry").enquiry_category == "case_review"


def test_missing_and_wrong_answers_are_shown_next_to_their_fields_and_nothing_is_saved(client, people, social_care):
    client.force_login(people["alice"])
    response = client.post(
        reverse("staff:log"), {"received_on_day": "31", "received_on_month": "2", "received_on_year": "2026"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and Feedback.objects.count() == 0
    assert "There is a problem" in html
    for message in (
        "Select what kind of feedback it is",
        "Select how it reached us",
        "Date received must be a real date",
        "Select the service it is about",
        "Enter a summary of what it is about",
    ):
        assert message in html
    assert 'href="#id_received_on_day"' in html


def test_a_future_date_is_refused(client, people, social_care):
    client.force_login(people["alice"])
    response = client.post(reverse("staff:log"), minimum(social_care, received_on_day="11"))
    assert "Date received must be today or in the past" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_a_team_of_another_service_is_refused_by_the_rule_against_the_team_field(
    client, people, social_care, early_help
):
    from heard.organisation.models import Team

    team = Team.objects.create(service=early_help, name="Family Support")
    client.force_login(people["alice"])
    html = client.post(reverse("staff:log"), minimum(social_care, team=team.pk)).content.decode()
    assert "is not a team of Children" in html and "Rule: teams belong to services" in html
    assert Feedback.objects.count() == 0


def test_a_compliment_needs_its_source(client, people, social_care):
    client.force_login(people["alice"])
    html = client.post(reverse("staff:log"), minimum(social_care, kind="compliment")).content.decode()
    assert "Select who the compliment is from" in html and Feedback.objects.count() == 0


def test_the_same_person_with_an_open_case_about_the_same_service_gets_a_warning_first(client, people, social_care):
    first = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=social_care,
        complainant=PersonDetails("Jo Bloggs", email="jo@example.com"),
        today=date(2026, 3, 2),
    )
    client.force_login(people["alice"])
    data = minimum(social_care, complainant_name="JO BLOGGS")
    html = client.post(reverse("staff:log"), data).content.decode()
    assert "already has an open case about this service" in html and first.reference in html
    assert "Select the box to confirm this is new feedback" in html
    assert Feedback.objects.count() == 1
    response = client.post(reverse("staff:log"), {**data, "confirm_not_duplicate": "true"})
    assert response.status_code == 302 and Feedback.objects.count() == 2


def test_no_warning_for_a_closed_case_or_another_service(client, people, social_care, early_help):
    s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=early_help,
        complainant=PersonDetails("Jo Bloggs", email="jo@example.com"),
        today=date(2026, 3, 2),
    )
    client.force_login(people["alice"])
    response = client.post(
        reverse("staff:log"), minimum(social_care, complainant_email="jo@example.com", complainant_name="Jo Bloggs")
    )
    assert response.status_code == 302


def test_pressing_log_twice_makes_one_record(client, people, social_care):
    client.force_login(people["alice"])
    data = minimum(social_care)
    client.post(reverse("staff:log"), data)
    client.post(reverse("staff:log"), data)
    assert Feedback.objects.count() == 1 and Person.objects.count() == 0


def test_only_customer_relations_and_the_complaints_manager_may_log(client, people):
    for name, status in (("sam", 403), ("dina", 403), ("charlie", 403), ("mo", 200), ("alice", 200)):
        client.force_login(people[name])
        assert client.get(reverse("staff:log")).status_code == status, name


def test_a_malformed_idempotency_key_is_ignored_not_stored(client, people, social_care):
    client.force_login(people["alice"])
    response = client.post(reverse("staff:log"), {**minimum(social_care), "idempotency_key": "x" * 500})
    assert response.status_code == 302 and Feedback.objects.get().idempotency_key is None
