"""The calendar and rule book checked once per unit of work, and the open statuses in one place."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heard.feedback import clock
from heard.feedback.models import Feedback
from heard.organisation.models import NonWorkingDay

pytestmark = pytest.mark.django_db

DAY = date(2031, 3, 12)  # a Wednesday


def test_outside_a_unit_of_work_every_call_checks_for_a_new_day():
    clock.working_calendar()
    with CaptureQueriesContext(connection) as read:
        clock.working_calendar()
        clock.working_calendar()
    assert len(read.captured_queries) == 2


def test_within_one_the_calendar_is_checked_once_and_a_day_added_meanwhile_is_seen():
    clock.working_calendar(), clock.rulebook()  # built and cached for the process: only checks are left
    with clock.checked_once():
        with CaptureQueriesContext(connection) as read:
            before = clock.working_calendar()
            assert clock.working_calendar() is before
            clock.rulebook()
            clock.rulebook()
        assert len(read.captured_queries) == 2  # one check each for the calendar and the rule book
        assert before.is_working_day(DAY)
        NonWorkingDay.objects.create(
            date=DAY, name="A newly announced bank holiday", kind=NonWorkingDay.Kind.BANK_HOLIDAY
        )
        assert not clock.working_calendar().is_working_day(DAY)


def test_a_web_request_is_one_unit_of_work(client, people):
    client.force_login(people["alice"])
    client.get("/staff/")
    assert getattr(clock._request, "memo", None) is None  # dropped when the request finished


def test_the_partial_index_on_open_cases_covers_exactly_the_open_statuses():
    index = next(i for i in Feedback._meta.indexes if i.name == "open_feedback")
    ((lookup, statuses),) = index.condition.children
    assert lookup == "status__in" and set(statuses) == set(Feedback.OPEN_STATUSES)
    assert {Feedback.Status.CLOSED, Feedback.Status.WITHDRAWN, Feedback.Status.DECLINED}.isdisjoint(statuses)
