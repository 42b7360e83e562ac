"""Triage on one page: every decision recorded with its reason, all or nothing."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.models import Event, Feedback, Triage
from heard.feedback.services import PersonDetails

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def case(people, social_care):
    return s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 9),
        service=social_care,
        summary="Visits cancelled",
        complainant=PersonDetails("Jo Bloggs"),
        today=date(2026, 3, 9),
    )


def url(fb):
    return reverse("staff:triage", args=[fb.reference])


def answers(fb, **extra):
    data = {
        "expected_version": fb.version,
        "complainant_role": "parent_or_carer",
        "exclusion": "none",
        "procedure": "statutory",
        "procedure_reason": "About a child in need",
        "safeguarding": "no",
        "advocacy_offered": "no",
    }
    data.update(extra)
    return data


def test_the_page_asks_every_triage_decision(client, people, case):
    client.force_login(people["alice"])
    html = client.get(url(case)).content.decode()
    for question in (
        "Who is complaining, and in what capacity?",
        "sufficient interest",
        "Does the child agree to this person acting for them?",
        "When did they learn of the matter?",
        "Is it outside the complaints procedure?",
        "where was the person sent instead?",
        "Which procedure applies?",
        "Does it show that a child may be at risk of harm?",
        "Was an independent advocate offered?",
    ):
        assert question in html, question


def test_decisions_are_recorded_with_their_reasons_and_the_case_page_follows(client, people, case):
    client.force_login(people["alice"])
    response = client.post(url(case), answers(case))
    assert response.status_code == 302 and response.url == f"/staff/cases/{case.reference}/"
    triage = Triage.objects.get(feedback=case)
    assert triage.procedure_reason == "About a child in need" and triage.decided_by == people["alice"]


def test_a_representative_without_the_childs_consent_is_refused_next_to_the_consent_field(client, people, case):
    client.force_login(people["alice"])
    html = client.post(
        url(case), answers(case, complainant_role="representative", child_consent="not_asked")
    ).content.decode()
    assert "Record that the child agrees" in html
    assert 'href="#id_child_consent"' in html
    assert "Rule: a representative acts with the child" in html
    assert not Triage.objects.exists()


def test_a_safeguarding_concern_is_flagged_and_referred_with_the_triage(client, people, case):
    client.force_login(people["alice"])
    client.post(
        url(case),
        answers(
            case,
            safeguarding="yes",
            safeguarding_referred_to="Children's Front Door",
            safeguarding_referred_on_day="10",
            safeguarding_referred_on_month="3",
            safeguarding_referred_on_year="2026",
            safeguarding_reason="Mentions bruising",
            advocacy_offered="yes",
            advocacy_offered_on_day="10",
            advocacy_offered_on_month="3",
            advocacy_offered_on_year="2026",
            advocacy_wanted="yes",
            advocate="Children's Advocacy Service",
            advocacy_referred_on_day="10",
            advocacy_referred_on_month="3",
            advocacy_referred_on_year="2026",
        ),
    )
    fb = Feedback.objects.get(pk=case.pk)
    assert fb.safeguarding and fb.safeguarding_referred_to == "Children's Front Door"
    assert fb.advocacy_wanted is True and fb.advocate == "Children's Advocacy Service"
    assert set(Event.objects.filter(feedback=fb).values_list("action", flat=True)) >= {
        "triaged",
        "safeguarding_flagged",
        "advocacy_recorded",
    }


def test_a_refused_safeguarding_referral_leaves_the_triage_unwritten_too(client, people, case):
    client.force_login(people["alice"])
    html = client.post(
        url(case),
        answers(
            case,
            safeguarding="yes",
            safeguarding_referred_on_day="10",
            safeguarding_referred_on_month="3",
            safeguarding_referred_on_year="2026",
            safeguarding_reason="Mentions bruising",
        ),
    ).content.decode()
    assert "Say who the concern was referred to" in html and 'href="#id_safeguarding_referred_to"' in html
    assert not Triage.objects.exists()
    fb = Feedback.objects.get(pk=case.pk)
    assert not fb.safeguarding and fb.version == case.version
    assert not Event.objects.filter(feedback=fb, action="triaged").exists()


def test_a_late_complaint_needs_a_reason_to_be_accepted(client, people, case):
    client.force_login(people["alice"])
    late = {"learned_of_matter_on_day": "1", "learned_of_matter_on_month": "1", "learned_of_matter_on_year": "2025"}
    html = client.post(url(case), answers(case, **late)).content.decode()
    assert "more than 12 months after they learned of the matter" in html
    assert "Rule: time limit: 12 months" in html
    response = client.post(
        url(case), answers(case, **late, late_reason="vulnerability", late_reason_detail="In hospital for a year")
    )
    assert response.status_code == 302
    assert Triage.objects.get().late_reason == "vulnerability"


def test_an_excluded_matter_is_declined_with_where_the_person_was_sent(client, people, case):
    client.force_login(people["alice"])
    client.post(
        url(case),
        answers(case, exclusion="court", sent_to="The court: seek legal advice", procedure_reason="About a s.7 report"),
    )
    fb = Feedback.objects.get(pk=case.pk)
    assert fb.status == "declined" and fb.triage.sent_to == "The court: seek legal advice"


def test_someone_changing_the_case_meanwhile_gets_a_clear_message_and_nothing_is_overwritten(client, people, case):
    client.force_login(people["alice"])
    stale = answers(case)
    s.acknowledge(actor=people["mo"], feedback=case, on=date(2026, 3, 10), today=date(2026, 3, 10))
    response = client.post(url(case), stale)
    assert response.status_code == 409
    assert "changed while you were editing" in response.content.decode()
    assert not Triage.objects.exists()


def test_missing_answers_are_listed_in_the_error_summary(client, people, case):
    client.force_login(people["alice"])
    html = client.post(url(case), {"expected_version": case.version}).content.decode()
    for message in (
        "Select who is complaining",
        "Select which procedure applies",
        "Enter the reason for the decision",
        "Select whether a child may be at risk of harm",
        "Select whether an advocate was offered",
    ):
        assert message in html


def test_only_the_procedure_runners_may_triage(client, people, case):
    client.force_login(people["sam"])
    assert client.get(url(case)).status_code == 403
    client.force_login(people["erin"])
    assert client.get(url(case)).status_code == 404


def test_follow_up_questions_sit_beneath_their_answer_and_are_never_hidden(client, people, case):
    client.force_login(people["alice"])
    html = client.get(url(case)).content.decode()
    # Shown with or without JavaScript: nothing required is hidden, and no aria-expanded on radios.
    assert 'aria-labelledby="id_safeguarding-follow-up"' in html and 'id="id_safeguarding_referred_to"' in html
    assert 'aria-labelledby="id_advocacy_offered-follow-up"' in html and 'id="id_advocate"' in html
    assert "govuk-radios__conditional--hidden" not in html and "aria-expanded" not in html
