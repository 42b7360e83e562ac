"""Stored deadlines agree with the rules, and move when the calendar changes."""

from datetime import date

import pytest

from heard.feedback import clock
from heard.feedback import services as s
from heard.feedback.models import Deadline, Event
from heard.feedback.services import PersonDetails, RuleViolation

pytestmark = pytest.mark.django_db


def complaint(people, service, received):
    return s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="phone",
        received_on=received,
        service=service,
        complainant=PersonDetails("A Parent"),
        points=["p"],
        today=date(2030, 1, 1),
    )


def test_stored_deadlines_equal_a_recomputation_from_the_rules(people, social_care):
    for day in range(1, 28):
        complaint(people, social_care, date(2026, 2, day))
    fb = complaint(people, social_care, date(2026, 3, 2))
    s.extend(
        actor=people["mo"],
        feedback=fb,
        step="stage1_response",
        to_working_days=20,
        reason="complex",
        on=date(2026, 3, 3),
    )
    assert clock.recompute_open_deadlines() == 0
    for d in Deadline.objects.select_related("feedback"):
        assert d.due_on == clock.deadline_due(d, d.feedback)


def test_adding_a_bank_holiday_moves_every_open_deadline_it_spans_and_no_other(people, social_care):
    spans = complaint(people, social_care, date(2026, 6, 1))  # stage 1 due Mon 15 Jun
    before = complaint(people, social_care, date(2026, 5, 4))  # a bank holiday: counts from Tue 5 May
    after = complaint(people, social_care, date(2026, 6, 15))  # received after it
    moved = s.add_non_working_day(actor=people["ada"], day=date(2026, 6, 8), name="Royal Wedding", kind="bank_holiday")
    # Only the stage 1 clock of the complaint received on 1 June runs over 8 June; its acknowledgement was
    # due on 4 June, before the new day.
    assert moved == 1
    sr = Deadline.objects.get(feedback=spans, step="stage1_response")
    assert sr.due_on == date(2026, 6, 16)
    assert Deadline.objects.get(feedback=before, step="stage1_response").due_on == date(2026, 5, 19)
    assert Deadline.objects.get(feedback=after, step="stage1_response").due_on == date(2026, 6, 29)
    assert Event.objects.filter(action="calendar_changed").count() == 1
    spans.refresh_from_db()
    assert clock.next_due_of(spans) == date(2026, 6, 4)  # the acknowledgement, unmoved


def test_a_met_deadline_does_not_move(people, social_care):
    fb = complaint(people, social_care, date(2026, 6, 1))
    s.acknowledge(actor=people["alice"], feedback=fb, on=date(2026, 6, 2), today=date(2026, 6, 2))
    s.respond(
        actor=people["sam"],
        feedback=fb,
        on=date(2026, 6, 5),
        today=date(2026, 6, 5),
        findings={1: s.FindingInput("upheld")},
    )
    s.add_non_working_day(actor=None, day=date(2026, 6, 3), name="Closure", kind="closure")
    assert Deadline.objects.get(feedback=fb, step="stage1_response").due_on == date(2026, 6, 15)


def test_a_day_that_is_already_a_holiday_cannot_be_added(people):
    with pytest.raises(RuleViolation, match="already not a working day"):
        s.add_non_working_day(actor=None, day=date(2026, 12, 25), name="Christmas", kind="closure")


def test_a_complaint_about_several_services_has_one_lead(people, social_care, early_help):
    fb = complaint(people, social_care, date(2026, 6, 1))
    with pytest.raises(RuleViolation, match="lead service"):
        s.set_services(actor=people["alice"], feedback=fb, lead=early_help, others=[early_help])
    s.set_services(actor=people["alice"], feedback=fb, lead=early_help, others=[social_care])
    fb.refresh_from_db()
    assert fb.service == early_help and list(fb.other_services.all()) == [social_care]


def test_when_a_procedures_counting_rule_changed_each_case_moves_by_the_rule_in_force_at_receipt(
    people, social_care, monkeypatch
):
    """Recompute groups clocks by shape and leaves the receipt date out only when a procedure's counting rule
    never changed; here it changed (from 1 June 2026 the day of receipt is day 1), so both rules apply."""
    from dataclasses import replace

    from heard.procedure.rules import RuleBook

    book = clock.rulebook()
    statutory = book.get("statutory")
    last = statutory.versions[-1]
    changed = replace(last, effective_from=date(2026, 6, 1), counting=replace(last.counting, receipt_day_counts_as=1))
    patched = RuleBook(
        [
            replace(statutory, versions=(*statutory.versions, changed)),
            *(p for p in book.procedures() if p.name != "statutory"),
        ]
    )
    monkeypatch.setattr(clock, "rulebook", lambda: patched)
    old_rule = complaint(people, social_care, date(2026, 5, 29))  # received under the old counting
    new_rule = complaint(people, social_care, date(2026, 6, 2))  # under the new one
    due = {fb: Deadline.objects.get(feedback=fb, step="stage1_response").due_on for fb in (old_rule, new_rule)}
    assert due == {old_rule: date(2026, 6, 12), new_rule: date(2026, 6, 15)}
    s.add_non_working_day(actor=people["ada"], day=date(2026, 6, 10), name="A new holiday", kind="bank_holiday")
    for d in Deadline.objects.select_related("feedback"):
        assert d.due_on == clock.deadline_due(d, d.feedback), d
    moved = {fb: Deadline.objects.get(feedback=fb, step="stage1_response").due_on for fb in (old_rule, new_rule)}
    assert moved == {old_rule: date(2026, 6, 15), new_rule: date(2026, 6, 16)}
    assert clock.recompute_open_deadlines() == 0
