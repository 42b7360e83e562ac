"""heard remind: before a deadline, when it is missed, when it moved; the digest; idempotent."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heard.feedback import clock
from heard.feedback import services as fs
from heard.letters.models import Reminder
from heard.letters.reminders import run_reminders
from heard.letters.tests import states
from heard.organisation.models import NonWorkingDay
from heard.outbox.models import Email

pytestmark = pytest.mark.django_db
SAM, MO = "sam@example.gov.uk", "mo@example.gov.uk"


def emails(to, kind=None):
    qs = Email.objects.filter(to=to)
    if kind:
        qs = qs.filter(template=f"reminder:{kind}")
    return list(qs.order_by("id"))


def test_the_assignee_hears_two_working_days_before_a_deadline_once(people, social_care):
    fb = states.received(people, social_care)  # acknowledge due Thu 5 Mar 2026; stage 1 Mon 16 Mar
    run_reminders(today=date(2026, 3, 2))  # 3 working days ahead: too early
    assert emails(SAM) == []
    run_reminders(today=date(2026, 3, 3))
    (email,) = emails(SAM, "due_soon")
    assert email.subject == f"Due Thursday 5 March 2026: {fb.reference} acknowledge the complaint"
    assert "Jo" not in email.subject + email.body  # the case by reference only
    # Safe to run repeatedly: the same day, and the next day, nothing new for the same due date.
    run_reminders(today=date(2026, 3, 3))
    run_reminders(today=date(2026, 3, 4))
    assert len(emails(SAM, "due_soon")) == 1


def test_a_run_missed_on_the_day_still_warns_before_the_deadline(people, social_care):
    states.received(people, social_care)
    run_reminders(today=date(2026, 3, 4))  # cron did not run on Tuesday: 1 working day to go
    assert len(emails(SAM, "due_soon")) == 1


def test_the_assignee_hears_when_a_deadline_is_missed_once(people, social_care):
    fb = states.received(people, social_care)
    run_reminders(today=date(2026, 3, 6))
    run_reminders(today=date(2026, 3, 9))
    (email,) = emails(SAM, "missed")
    assert email.subject == f"Deadline missed: {fb.reference} acknowledge the complaint"
    assert "was Thursday 5 March 2026" in email.body


def test_a_met_deadline_gets_no_reminder(people, social_care):
    states.acknowledged(people, social_care)  # acknowledged on Tue 3 Mar
    run_reminders(today=date(2026, 3, 6))
    assert emails(SAM, "missed") == []


def test_an_unassigned_case_is_not_forgotten_the_complaints_manager_hears(people, social_care):
    fs.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=social_care,
        today=date(2026, 3, 2),
    )
    run_reminders(today=date(2026, 3, 3))
    assert len(emails(MO, "due_soon")) == 1


def test_the_complaints_manager_gets_one_daily_digest_of_what_is_due_and_overdue(people, social_care):
    a = states.received(people, social_care)
    b = states.acknowledged(people, social_care)
    run_reminders(today=date(2026, 3, 12))
    run_reminders(today=date(2026, 3, 12))
    (digest,) = emails(MO, "digest")
    assert digest.subject == "Complaints due and overdue: 1 overdue, 2 due soon"
    assert f"{a.reference}: Acknowledge the complaint, Thursday 5 March 2026; Sam Singh" in digest.body
    assert f"{b.reference}: Respond at stage 1 (local resolution), Monday 16 March 2026" in digest.body
    run_reminders(today=date(2026, 3, 13))
    assert len(emails(MO, "digest")) == 2  # one a day


def test_no_digest_on_a_weekend_or_bank_holiday(people, social_care):
    states.received(people, social_care)
    run_reminders(today=date(2026, 3, 7))  # Saturday: the missed acknowledgement is still told to Sam
    assert emails(MO, "digest") == [] and len(emails(SAM, "missed")) == 1
    run_reminders(today=date(2026, 4, 3))  # Good Friday
    assert emails(MO, "digest") == []


def test_people_are_told_when_an_added_closure_day_moves_their_deadline(people, social_care):
    fb = states.acknowledged(people, social_care)  # stage 1 due Mon 16 Mar 2026
    run_reminders(today=date(2026, 3, 4))  # Heard sees the deadline as it stands
    fs.add_non_working_day(actor=people["ada"], day=date(2026, 3, 13), name="Office move", kind="closure")
    run_reminders(today=date(2026, 3, 5))
    (email,) = emails(SAM, "moved")
    assert email.subject == f"Deadline moved: {fb.reference} respond at stage 1 (local resolution)"
    assert "It was Monday 16 March 2026. It is now Tuesday 17 March 2026." in email.body
    assert "Fri 13 Mar 2026 (Office move, council closure day)" in email.body
    digest = emails(MO, "digest")[-1]
    assert "Deadlines that moved (1)" in digest.body and "was Monday 16 March 2026" in digest.body
    run_reminders(today=date(2026, 3, 5))
    run_reminders(today=date(2026, 3, 6))
    assert len(emails(SAM, "moved")) == 1


def test_a_bank_holiday_added_outside_heards_services_is_noticed_too(people, social_care):
    # However the day arrives (the admin, an import, a script), the next run compares and tells.
    states.acknowledged(people, social_care)
    run_reminders(today=date(2026, 3, 4))
    NonWorkingDay.objects.create(date=date(2026, 3, 12), name="State funeral", kind="bank_holiday")
    clock.recompute_open_deadlines(affected=date(2026, 3, 12))
    run_reminders(today=date(2026, 3, 5))
    assert len(emails(SAM, "moved")) == 1


def test_an_extension_tells_the_assignee_the_new_date_and_why(people, social_care):
    states.acknowledged(people, social_care)
    run_reminders(today=date(2026, 3, 4))
    fb = states.Feedback.objects.get()
    fs.extend(
        actor=people["mo"],
        feedback=fb,
        step="stage1_response",
        to_working_days=20,
        reason="Complex",
        on=date(2026, 3, 5),
    )
    run_reminders(today=date(2026, 3, 5))
    (email,) = emails(SAM, "moved")
    assert "It is now Monday 30 March 2026" in email.body and "extended to 20 working days (Complex)" in email.body


def test_ombudsman_enquiry_deadlines_are_included(people, social_care):
    fb = states.ombudsman(people, social_care)  # the Ombudsman wants a reply by Mon 31 Aug 2026
    run_reminders(today=date(2026, 8, 27))
    (soon,) = emails(SAM, "ombudsman_due_soon")
    assert soon.subject == f"Ombudsman deadline Monday 31 August 2026: {fb.reference}"
    assert (
        "Answer the Ombudsman (initial request for information), Monday 31 August 2026" in emails(MO, "digest")[-1].body
    )
    run_reminders(today=date(2026, 9, 1))
    run_reminders(today=date(2026, 9, 2))
    assert len(emails(SAM, "ombudsman_missed")) == 1
    fs.answer_ombudsman_enquiry(actor=people["mo"], enquiry=fb.ombudsman.enquiries.get(), answered_on=date(2026, 9, 2))
    run_reminders(today=date(2026, 9, 3))
    assert len(emails(SAM, "ombudsman_missed")) == 1


def test_panel_dates_are_included(people, social_care):
    fb = states.panel_arranged(people, social_care)  # the panel meets Wed 10 Jun 2026
    run_reminders(today=date(2026, 6, 1))
    assert emails(SAM, "panel_soon") == []
    assert f"{fb.reference}: Review panel meets, Wednesday 10 June 2026" in emails(MO, "digest")[-1].body
    run_reminders(today=date(2026, 6, 8))
    (email,) = emails(SAM, "panel_soon")
    assert "Town Hall, Committee Room 2" in email.body


def test_every_reminder_is_recorded_with_its_email(people, social_care):
    states.received(people, social_care)
    run_reminders(today=date(2026, 3, 6))
    assert Reminder.objects.count() == Email.objects.count() > 0
    assert all(r.email_id for r in Reminder.objects.all())


def test_remind_command_runs_for_a_given_day_and_is_safe_to_repeat(people, social_care):
    states.received(people, social_care)
    out = io.StringIO()
    call_command("remind", "--today", "2026-03-06", stdout=out)
    assert "Fri 06 Mar 2026" in out.getvalue() and "deadline missed: 1" in out.getvalue()
    out = io.StringIO()
    call_command("remind", "--today", "2026-03-06", stdout=out)
    assert "none new" in out.getvalue()
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("remind", "--today", "6/3/2026")


def test_a_run_costs_the_same_queries_however_many_deadlines_are_overdue(people, social_care):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_second_run(n):
        for _ in range(n):
            states.received(people, social_care)
        run_reminders(today=date(2026, 3, 20))
        with CaptureQueriesContext(connection) as ctx:
            run_reminders(today=date(2026, 3, 20))  # nothing new to send
        return len(ctx.captured_queries)

    one = queries_for_second_run(1)
    assert queries_for_second_run(6) == one
