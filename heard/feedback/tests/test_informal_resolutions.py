"""A concern put right within 24 hours at first contact is counted, not logged as a formal complaint
(Blackpool procedure 11.1; ADR 0010): its own record, never a Feedback row, refused when it took longer."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from heard.feedback import services as s
from heard.feedback.models import Event, Feedback, InformalResolution
from heard.feedback.services import RuleViolation
from heard.organisation.models import Team
from heard.staff import access

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


def record(people, social_care, **overrides):
    kwargs = dict(
        actor=people["alice"],
        received_on=date(2026, 3, 9),
        resolved_on=date(2026, 3, 10),
        service=social_care,
        channel="phone",
        summary="Contact visit moved without notice: the social worker rang back and rebooked it.",
        today=TODAY,
    )
    return s.record_informal_resolution(**{**kwargs, **overrides})


def counts():
    return InformalResolution.objects.count(), Event.objects.count(), Feedback.objects.count()


def refused(people, social_care, fragment, **overrides) -> RuleViolation:
    """Refused with a message containing `fragment`, and nothing written."""
    before = counts()
    with pytest.raises(RuleViolation) as info:
        record(people, social_care, **overrides)
    assert fragment in info.value.message, info.value.message
    assert counts() == before
    return info.value


def test_recording_one_writes_the_record_and_an_event_but_no_case(people, social_care, duty_team, themes):
    resolution = record(
        people,
        social_care,
        team=duty_team,
        theme=themes["Lack of Communication"],
        summary="  Missed call-back: rang the same afternoon.\n",
    )
    resolution.refresh_from_db()
    assert resolution.summary == "Missed call-back: rang the same afternoon."
    assert (resolution.received_on, resolution.resolved_on) == (date(2026, 3, 9), date(2026, 3, 10))
    assert resolution.team == duty_team and resolution.recorded_by == people["alice"]
    assert not Feedback.objects.exists()  # not a complaint, nor feedback of any kind
    event = Event.objects.get(action="informal_resolution_recorded")
    assert event.feedback is None and event.person is None and event.actor == people["alice"]
    assert event.data == {
        "informal_resolution": resolution.pk,
        "received_on": "2026-03-09",
        "resolved_on": "2026-03-10",
        "service": social_care.name,
        "channel": "phone",
    }
    assert "Missed call-back" not in event.summary + event.reason  # the internal note stays on the record


def test_put_right_on_the_day_of_first_contact_counts_too(people, social_care):
    record(people, social_care, received_on=TODAY, resolved_on=TODAY)
    assert InformalResolution.objects.count() == 1


def test_put_right_more_than_a_day_after_first_contact_is_a_complaint(people, social_care):
    error = refused(
        people, social_care, "Log it as a complaint instead", received_on=date(2026, 3, 6), resolved_on=date(2026, 3, 9)
    )  # Friday to Monday: more than 24 hours
    assert error.field == "resolved_on" and "within 24 hours" in error.rule


@pytest.mark.parametrize(
    "overrides, fragment, field",
    [
        (
            {"received_on": date(2026, 3, 11), "resolved_on": date(2026, 3, 11)},
            "cannot be in the future",
            "received_on",
        ),
        ({"received_on": TODAY, "resolved_on": date(2026, 3, 11)}, "cannot be in the future", "resolved_on"),
        (
            {"received_on": date(2026, 3, 10), "resolved_on": date(2026, 3, 9)},
            "cannot be before first contact",
            "resolved_on",
        ),
        ({"summary": "  \n "}, "Enter what was put right", "summary"),
        ({"summary": "x" * 501}, "500 characters or fewer", "summary"),
        ({"channel": "carrier pigeon"}, "Select how the concern reached us", "channel"),
        ({"channel": "imported"}, "Select how the concern reached us", "channel"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_written(people, social_care, overrides, fragment, field):
    assert refused(people, social_care, fragment, **overrides).field == field


def test_a_team_of_another_service_is_refused(people, social_care, early_help):
    team = Team.objects.create(service=early_help, name="Families in Need")
    assert refused(people, social_care, "is not a team of", team=team).field == "team"


@pytest.mark.parametrize("name", ["sam", "erin", "ian", "pat", "quinn", "dina", "ada", "charlie"])
def test_only_the_roles_that_log_feedback_record_one(people, social_care, name):
    refused(people, social_care, "Only customer relations or the complaints manager", actor=people[name])


def test_the_system_cannot_record_one(people, social_care):
    refused(people, social_care, "Only customer relations", actor=None)


def test_the_roles_are_the_ones_the_staff_pages_allow():
    assert access.GLOBAL_ACTIONS["log"] == s.INFORMAL_RESOLUTION_RECORDERS


def test_the_same_submission_twice_is_one_record(people, social_care):
    first = record(people, social_care, idempotency_key="a" * 32)
    again = record(people, social_care, idempotency_key="a" * 32, summary="Something else")
    assert again.pk == first.pk and again.duplicate_submission
    assert InformalResolution.objects.count() == 1 and Event.objects.count() == 1


def test_the_database_refuses_a_resolution_before_first_contact(people, social_care):
    with pytest.raises(IntegrityError), transaction.atomic():
        InformalResolution.objects.create(
            received_on=TODAY,
            resolved_on=date(2026, 3, 9),
            service=social_care,
            channel="phone",
            summary="x",
            recorded_by=people["alice"],
        )
