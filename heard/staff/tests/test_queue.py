"""The work queue: what needs doing now, each deadline with its date and its reasoning."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.services import PersonDetails
from heard.staff import queries

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), tick=False):
        yield


def log(people, service, received, kind="complaint", **kw):
    return s.log_feedback(
        actor=people["alice"],
        kind=kind,
        channel="email",
        received_on=received,
        service=service,
        summary="Visits cancelled",
        complainant=PersonDetails("Jo Bloggs"),
        today=TODAY,
        **kw,
    )


def refs(section):
    return [row.case.reference for row in section.rows]


def sections(queue):
    return {s.key: s for s in queue.sections}


def test_a_complaint_past_its_acknowledgement_date_is_overdue(people, social_care):
    late = log(people, social_care, date(2026, 3, 2))  # acknowledge by Thu 5 Mar
    fresh = log(people, social_care, date(2026, 3, 10))  # acknowledge by Fri 13 Mar
    q = sections(queries.work_queue(people["alice"], TODAY))
    assert refs(q["overdue"]) == [late.reference]
    assert refs(q["due_soon"]) == [fresh.reference]
    assert set(refs(q["awaiting_acknowledgement"])) == {late.reference, fresh.reference}
    assert set(refs(q["awaiting_allocation"])) == {late.reference, fresh.reference}


def test_due_within_3_working_days_counts_working_days_not_calendar_days(people, social_care):
    # Fri 13 Mar + 3 working days = Wed 18 Mar: a compliment received Fri 13 Mar is due Wed 18 Mar.
    queue = queries.work_queue(people["alice"], date(2026, 3, 13))
    assert queue.due_soon_until == date(2026, 3, 18)


def test_my_cases_are_the_cases_given_to_me(people, social_care):
    fb = log(people, social_care, date(2026, 3, 9))
    s.allocate(actor=people["alice"], feedback=fb, assignee=people["sam"])
    assert refs(sections(queries.work_queue(people["sam"], TODAY))["mine"]) == [fb.reference]
    assert refs(sections(queries.work_queue(people["alice"], TODAY))["mine"]) == []
    assert fb.reference not in refs(sections(queries.work_queue(people["alice"], TODAY))["awaiting_allocation"])


def test_a_service_manager_sees_only_their_services_cases_in_the_queue(people, social_care, early_help):
    mine = log(people, social_care, date(2026, 3, 9))
    log(people, early_help, date(2026, 3, 9))
    queue = queries.work_queue(people["sam"], TODAY)
    assert queue.open_total == 1
    assert refs(sections(queue)["awaiting_acknowledgement"]) == [mine.reference]


def test_counts_by_kind_and_stage(people, social_care):
    log(people, social_care, date(2026, 3, 9))
    log(people, social_care, date(2026, 3, 9))
    log(people, social_care, date(2026, 3, 9), kind="compliment", compliment_source="external")
    queue = queries.work_queue(people["alice"], TODAY)
    assert {r["kind"]: r["n"] for r in queue.by_kind} == {"complaint": 2, "compliment": 1}
    assert queue.by_stage == [{"stage": 1, "n": 2}]


def test_filters_narrow_every_section(people, social_care, early_help):
    a = log(people, social_care, date(2026, 3, 9))
    log(people, early_help, date(2026, 3, 9))
    log(people, social_care, date(2026, 3, 9), kind="mp_enquiry", enquiry_category="information")
    queue = queries.work_queue(people["alice"], TODAY, queries.QueueFilters(service=social_care, kind="complaint"))
    assert queue.open_total == 1 and refs(sections(queue)["awaiting_acknowledgement"]) == [a.reference]


def test_the_queue_page_shows_each_deadline_and_how_it_was_worked_out(client, people, social_care):
    fb = log(people, social_care, date(2026, 3, 9))
    client.force_login(people["alice"])
    html = client.get(reverse("staff:home")).content.decode()
    assert fb.reference in html
    # Received Mon 9 Mar; acknowledge within 3 working days → Thu 12 Mar, explained with its rule.
    assert "Thu 12 Mar 2026" in html
    assert "How was this worked out?" in html and "<details" in html
    assert "received Mon 9 Mar 2026; 3 working days → due Thu 12 Mar 2026" in html
    assert "Rule: Council standard" in html


def test_the_queue_filters_are_a_get_form_that_works_without_javascript(client, people, social_care, early_help):
    a = log(people, social_care, date(2026, 3, 9))
    b = log(people, early_help, date(2026, 3, 9))
    client.force_login(people["alice"])
    html = client.get(reverse("staff:home"), {"service": early_help.pk}).content.decode()
    assert b.reference in html and a.reference not in html


def test_long_sections_are_paginated(client, people, social_care):
    made = [log(people, social_care, date(2026, 3, 9)) for _ in range(queries.SECTION_PAGE_SIZE + 2)]
    client.force_login(people["alice"])
    first = client.get(reverse("staff:home")).content.decode()
    second = client.get(reverse("staff:home"), {"due_soon_page": 2}).content.decode()
    assert "Page 1 of 2" in first
    on_second = [
        fb.reference for fb in made if f">{fb.reference}<" in second.split('id="due_soon"')[1].split("</section>")[0]
    ]
    assert len(on_second) == 2


def test_the_queue_costs_the_same_number_of_queries_with_5_or_50_cases(
    client, people, social_care, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["sam"])
    counts = []
    for total in (5, 50):
        while len(list(s for s in queries.visible_feedback(people["sam"]))) < total:
            fb = log(people, social_care, date(2026, 3, 2 + len(counts)))
            s.allocate(actor=people["alice"], feedback=fb, assignee=people["sam"])
        client.get(reverse("staff:home"))  # warm the per-process calendar and rule book caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("staff:home")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_num_queries(counts[0]):
        client.get(reverse("staff:home"))


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("staff:login"))
