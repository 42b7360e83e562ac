"""Records for report tests, made directly (fast, and exactly the state wanted). The lifecycle through the
real services is covered in test_tables_via_services.py."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from heard.feedback.models import (
    Deadline,
    Feedback,
    InformalResolution,
    OmbudsmanCase,
    OmbudsmanEnquiry,
    OmbudsmanRecommendation,
    Stage,
)

_numbers = itertools.count(1)


def _reference() -> str:
    return f"T-{next(_numbers):07d}"


def complaint(
    service,
    received_on: date,
    *,
    theme=None,
    outcome: str = "",
    responded_on: date | None = None,
    due_on: date | None = None,
    status: str | None = None,
    role: str = "parent_or_carer",
    procedure: str = "statutory",
    summary: str = "",
) -> Feedback:
    """A stage 1 complaint. outcome "" is still open; due_on defaults to received + 14 days."""
    if status is None:
        status = {"": "open", "withdrawn": "withdrawn"}.get(outcome, "closed")
    fb = Feedback.objects.create(
        reference=_reference(),
        kind="complaint",
        procedure=procedure,
        channel="email",
        received_on=received_on,
        status=status,
        stage=1,
        service=service,
        theme=theme,
        complainant_role=role,
        summary=summary,
    )
    if outcome and responded_on is None:
        responded_on = received_on + timedelta(days=7)
    Stage.objects.create(feedback=fb, number=1, requested_on=received_on, outcome=outcome, responded_on=responded_on)
    due = due_on or received_on + timedelta(days=14)
    Deadline.objects.create(
        feedback=fb,
        procedure=procedure,
        step="stage1_response",
        stage=1,
        starts_on=received_on,
        working_days=10,
        rule_working_days=10,
        due_on=due,
        original_due_on=due,
        met_on=responded_on,
        cancelled=outcome == "withdrawn",
        citation="test",
    )
    return fb


def escalation(fb: Feedback, number: int, requested_on: date, outcome: str = "") -> Stage:
    return Stage.objects.create(feedback=fb, number=number, requested_on=requested_on, outcome=outcome)


def other(
    kind: str,
    service,
    received_on: date,
    *,
    source: str = "",
    category: str = "",
    responded_on: date | None = None,
    due_on: date | None = None,
    original_due_on: date | None = None,
    selected: bool = False,
    summary: str = "",
) -> Feedback:
    fb = Feedback.objects.create(
        reference=_reference(),
        kind=kind,
        procedure=kind,
        channel="email",
        received_on=received_on,
        status="closed" if responded_on else "open",
        service=service,
        compliment_source=source,
        enquiry_category=category,
        responded_on=responded_on,
        selected_for_report=selected,
        summary=summary,
    )
    if kind in ("mp_enquiry", "councillor_enquiry"):
        due = due_on or received_on + timedelta(days=7)
        Deadline.objects.create(
            feedback=fb,
            procedure=kind,
            step="enquiry_response",
            starts_on=received_on,
            working_days=5,
            rule_working_days=5,
            due_on=due,
            original_due_on=original_due_on or due,
            met_on=responded_on,
            citation="test",
        )
    return fb


def ombudsman(fb: Feedback, referred_on: date, *, decision: str = "", decided_on: date | None = None) -> OmbudsmanCase:
    return OmbudsmanCase.objects.create(feedback=fb, referred_on=referred_on, decision=decision, decided_on=decided_on)


def ombudsman_enquiry(case, kind: str, received_on: date, due_on: date, answered_on: date | None):
    return OmbudsmanEnquiry.objects.create(
        case=case, kind=kind, received_on=received_on, due_on=due_on, answered_on=answered_on
    )


def recommendation(case, due_on: date, complied_on: date | None):
    return OmbudsmanRecommendation.objects.create(case=case, text="Apologise", due_on=due_on, complied_on=complied_on)


def informal(
    service, received_on: date, *, recorded_by, next_day: bool = False, summary: str = "Rang back"
) -> InformalResolution:
    """A concern resolved informally within 24 hours (ADR 0010): counted, never a complaint."""
    return InformalResolution.objects.create(
        received_on=received_on,
        resolved_on=received_on + timedelta(days=1 if next_day else 0),
        service=service,
        channel="phone",
        summary=summary,
        recorded_by=recorded_by,
    )
