"""Every change to a case, one function per caseworker action.

Each function is keyword-only, takes the acting user (None only for the public and the system), runs in
one transaction, writes an Event, and raises RuleViolation naming the rule when the procedure forbids
the change, in which case nothing is written. Views, the CLI, the import and the admin all call these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from heard.accounts.models import User
from heard.feedback import clock
from heard.feedback.models import (
    Deadline,
    Event,
    Extension,
    Feedback,
    Finding,
    InformalResolution,
    LessonLearnt,
    OmbudsmanCase,
    OmbudsmanEnquiry,
    OmbudsmanRecommendation,
    Outcome,
    PanelMember,
    Person,
    Point,
    PointFinding,
    ReferenceCounter,
    Remedy,
    Restriction,
    ReviewPanel,
    Stage,
    Suspension,
    Triage,
)
from heard.organisation.models import Service, Team, Theme

Kind = Feedback.Kind
Status = Feedback.Status
Role = Feedback.Role


class RuleViolation(Exception):
    """The procedure forbids this. `rule` names the rule (and its source) so staff can be shown why;
    `field` names the form field it concerns, if any."""

    def __init__(self, message: str, *, rule: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.field = field

    def __str__(self) -> str:
        return f"{self.message} ({self.rule})"


class StaleRecord(RuleViolation):
    def __init__(self, reference: str):
        super().__init__(
            f"Case {reference} changed while you were editing. Nothing was saved: reload the page to see "
            "the latest version, then make your change again.",
            rule="optimistic locking: changes are made to the latest version only",
        )


@dataclass(frozen=True)
class PersonDetails:
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    preferred_contact: str = Person.Contact.EMAIL
    is_child: bool = False


@dataclass(frozen=True)
class FindingInput:
    finding: str
    reason: str = ""


@dataclass(frozen=True)
class RemedyInput:
    kind: str
    description: str = ""
    amount: Decimal | None = None


# Procedure packs by kind of feedback; complaints are statutory until triage says otherwise.
PROCEDURE_FOR_KIND = {
    Kind.COMPLIMENT: "compliment",
    Kind.COMMENT: "comment",
    Kind.MP_ENQUIRY: "mp_enquiry",
    Kind.COUNCILLOR_ENQUIRY: "councillor_enquiry",
}
COMPLAINT_PROCEDURES = ("statutory", "corporate", "corporate_three_stage")
TWELVE_MONTHS_RULE = "time limit: 12 months from learning of the matter (reg 9, SI 2006/1738)"


# ---------------------------------------------------------------------------------------------- helpers


# The demo builds years of history in one run and says what "now" and "today" are for each action it
# takes (simulated_time); everything else runs in real time.
_simulated: ContextVar[tuple[Callable[[], datetime], Callable[[], date]] | None] = ContextVar(
    "heard_simulated_time", default=None
)


@contextmanager
def simulated_time(now: Callable[[], datetime], today: Callable[[], date]) -> Iterator[None]:
    token = _simulated.set((now, today))
    try:
        yield
    finally:
        _simulated.reset(token)


def _now() -> datetime:
    simulated = _simulated.get()
    return simulated[0]() if simulated else timezone.now()


def _today(on: date | None) -> date:
    if on:
        return on
    simulated = _simulated.get()
    return simulated[1]() if simulated else timezone.localdate()


def _event(
    feedback: Feedback | None,
    actor: User | None,
    action: str,
    summary: str,
    *,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
    person: Person | None = None,
) -> Event:
    return Event.objects.create(
        feedback=feedback,
        person=person,
        actor=actor,
        at=_now(),
        action=action,
        summary=summary[:300],
        data=_jsonable(data or {}),
        reason=reason,
    )


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, date):
            out[k] = v.isoformat()
        elif isinstance(v, Decimal) or hasattr(v, "pk"):
            out[k] = str(v)
        elif isinstance(v, Mapping):
            out[k] = _jsonable(v)
        else:
            out[k] = v
    return out


def _lock(feedback: Feedback, expected_version: int | None) -> Feedback:
    """Re-read the case under a row lock and refuse if someone changed it since the form was shown."""
    locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleRecord(locked.reference)
    return locked


def _save(feedback: Feedback, *fields: str) -> None:
    feedback.version += 1
    feedback.save(update_fields=[*fields, "version", "updated_at"])


def _refuse(message: str, rule: str, field: str | None = None) -> RuleViolation:
    return RuleViolation(message, rule=rule, field=field)


def _require(condition: bool, message: str, rule: str, field: str | None = None) -> None:
    if not condition:
        raise _refuse(message, rule, field)


def _not_before(on: date, earlier: date | None, what: str, field: str) -> None:
    if earlier is not None and on < earlier:
        raise _refuse(f"The date cannot be before {what} ({earlier:%d %B %Y}).", "dates in order", field)


def _not_future(on: date, today: date, field: str) -> None:
    if on > today:
        raise _refuse("The date cannot be in the future.", "dates in order", field)


def _require_reason(reason: str, rule: str, field: str = "reason") -> None:
    if not reason or not reason.strip():
        raise _refuse("Give the reason: it is recorded on the case.", rule, field)


def _current_stage(feedback: Feedback) -> Stage:
    return Stage.objects.get(feedback=feedback, number=feedback.stage)


def _start_clocks(feedback: Feedback, event: str, on: date) -> list[Deadline]:
    return [clock.start_clock(feedback, step, on) for step in clock.steps_started_by(feedback, event)]


def _meet(feedback: Feedback, steps: Iterable[str], on: date) -> None:
    Deadline.objects.filter(feedback=feedback, step__in=list(steps), met_on__isnull=True, cancelled=False).update(
        met_on=on
    )


def _cancel_open_clocks(feedback: Feedback) -> None:
    Deadline.objects.filter(feedback=feedback, met_on__isnull=True, cancelled=False).update(cancelled=True)


def _require_open_complaint(feedback: Feedback) -> None:
    _require(feedback.is_complaint, "Only a complaint has stages.", "complaints only")
    _require(
        feedback.status not in (Status.CLOSED, Status.WITHDRAWN, Status.DECLINED),
        f"Case {feedback.reference} is {feedback.get_status_display().lower()}.",
        "closed cases cannot change",
    )
    _require(
        feedback.status != Status.SUSPENDED,
        "The complaint is suspended: resume it first.",
        "a suspended complaint's clocks are stopped (reg 9)",
    )


def next_reference(*, year: int, prefix: str | None = None) -> str:
    """CS-2026-00042: unique under concurrent creation (the counter row is locked until commit)."""
    prefix = prefix or settings.HEARD_REFERENCE_PREFIX
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # another transaction created it first; lock it below
        counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return f"{prefix}-{year}-{counter.last_number:05d}"


def _person(details: PersonDetails | None) -> Person | None:
    if details is None or not details.name.strip():
        return None
    return Person.objects.create(
        name=details.name.strip(),
        email=details.email.strip(),
        phone=details.phone.strip(),
        address=details.address.strip(),
        preferred_contact=details.preferred_contact,
        is_child=details.is_child,
    )


# --------------------------------------------------------------------------------------------- logging


@transaction.atomic
def log_feedback(
    *,
    actor: User | None,
    kind: str,
    channel: str,
    received_on: date,
    service: Service,
    summary: str = "",
    desired_outcome: str = "",
    complainant: PersonDetails | None = None,
    complainant_role: str = "",
    child: PersonDetails | None = None,
    team: Team | None = None,
    theme: Theme | None = None,
    procedure: str | None = None,
    compliment_source: str = "",
    enquiry_category: str = "",
    adjustments: str = "",
    advocacy_wanted: bool | None = None,
    child_consent: str = "",
    matter_date: date | None = None,
    late_explanation: str = "",
    points: Sequence[str] = (),
    idempotency_key: str | None = None,
    reference: str | None = None,
    today: date | None = None,
) -> Feedback:
    """Log feedback of any kind from any channel: the minimum now, the rest later. Starts its clocks.
    With an idempotency key, a repeated submission returns the first record (marked duplicate_submission)."""
    arguments = dict(locals())  # every argument, passed on unchanged
    if not idempotency_key:
        return _log_feedback(**arguments)
    existing = Feedback.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        try:
            # A concurrent submission with the same key may commit first: the unique index makes this
            # insert wait for it and then fail, and the loser returns the winner's record.
            with transaction.atomic():
                return _log_feedback(**arguments)
        except IntegrityError:
            existing = Feedback.objects.filter(idempotency_key=idempotency_key).first()
            if existing is None:
                raise
    existing.duplicate_submission = True  # type: ignore[attr-defined]
    return existing


def _log_feedback(
    *,
    actor,
    kind,
    channel,
    received_on,
    service,
    summary,
    desired_outcome,
    complainant,
    complainant_role,
    child,
    team,
    theme,
    procedure,
    compliment_source,
    enquiry_category,
    adjustments,
    advocacy_wanted,
    child_consent,
    matter_date,
    late_explanation,
    points,
    idempotency_key,
    reference,
    today,
) -> Feedback:
    today = _today(today)
    _require(kind in Kind.values, f"Unknown kind of feedback {kind!r}.", "feedback kinds", "kind")
    _require(channel in Feedback.Channel.values, f"Unknown channel {channel!r}.", "channels", "channel")
    _not_future(received_on, today, "received_on")
    if matter_date is not None:
        _require(
            matter_date <= received_on,
            "When it happened cannot be after the date received.",
            "dates in order",
            "matter_date",
        )
    if child_consent:
        _require(
            child_consent in Feedback.Consent.values, f"Unknown consent {child_consent!r}.", "consent", "child_consent"
        )
    if kind == Kind.COMPLAINT:
        procedure = procedure or "statutory"
        _require(
            procedure in COMPLAINT_PROCEDURES, f"Unknown complaints procedure {procedure!r}.", "procedures", "procedure"
        )
    else:
        procedure = PROCEDURE_FOR_KIND[Kind(kind)]
    if team is not None:
        _require(
            team.service_id == service.pk,
            f"{team.name} is not a team of {service.name}.",
            "teams belong to services",
            "team",
        )
    feedback = Feedback.objects.create(
        reference=reference or next_reference(year=today.year),
        kind=kind,
        procedure=procedure,
        channel=channel,
        received_on=received_on,
        status=Status.RECEIVED,
        stage=1 if kind == Kind.COMPLAINT else None,
        service=service,
        team=team,
        theme=theme,
        summary=summary,
        desired_outcome=desired_outcome,
        adjustments=adjustments,
        complainant=_person(complainant),
        complainant_role=complainant_role,
        child=_person(child),
        child_consent=child_consent or (Feedback.Consent.NOT_ASKED if complainant_role == Role.REPRESENTATIVE else ""),
        matter_date=matter_date,
        late_explanation=late_explanation,
        compliment_source=compliment_source,
        enquiry_category=enquiry_category,
        advocacy_wanted=advocacy_wanted,
        idempotency_key=idempotency_key,
    )
    if kind == Kind.COMPLAINT:
        Stage.objects.create(feedback=feedback, number=1, requested_on=received_on)
        for number, text in enumerate((p for p in points if p.strip()), start=1):
            Point.objects.create(feedback=feedback, number=number, summary=text.strip(), added_at_stage=1)
    _start_clocks(feedback, "receipt", received_on)
    _event(
        feedback,
        actor,
        "logged",
        f"{feedback.get_kind_display()} logged ({feedback.get_channel_display()})",
        data={"received_on": received_on, "service": service.name, "procedure": procedure},
    )
    return feedback


# ---------------------------------------------------------------------------------------------- triage


@transaction.atomic
def triage(
    *,
    actor: User,
    feedback: Feedback,
    complainant_role: str,
    procedure: str,
    procedure_reason: str,
    learned_of_matter_on: date | None = None,
    late_reason: str = "",
    late_reason_detail: str = "",
    sufficient_interest: bool | None = None,
    sufficient_interest_reason: str = "",
    child_consent: str = "",
    exclusion: str = "",
    sent_to: str = "",
    on: date | None = None,
    expected_version: int | None = None,
) -> Feedback:
    """Decide who is complaining and whether, and under which procedure, the complaint is considered."""
    feedback = _lock(feedback, expected_version)
    on = _today(on)
    _require_open_complaint(feedback)
    _require(
        feedback.stage == 1
        and not Stage.objects.filter(feedback=feedback, number=1, responded_on__isnull=False).exists(),
        "Triage happens before the stage 1 response.",
        "triage at stage 1",
    )
    _require(complainant_role in Role.values, "Select who is complaining.", "who may complain", "complainant_role")
    _require(
        procedure in COMPLAINT_PROCEDURES, f"Unknown complaints procedure {procedure!r}.", "procedures", "procedure"
    )
    _require_reason(procedure_reason, "statutory or corporate: the decision is recorded", "procedure_reason")
    statutory = procedure == "statutory"
    if statutory:
        _require(
            complainant_role != Role.ORGANISATION,
            "Organisations cannot use the statutory procedure.",
            "who may complain: organisations are excluded (reg 10, SI 2006/1738)",
            "complainant_role",
        )
        if complainant_role == Role.OTHER:
            _require(
                sufficient_interest is True,
                "Someone outside the listed groups may use the statutory procedure only if the council "
                "decides they have sufficient interest in the child's welfare.",
                "sufficient interest (reg 10(1)(e)(ii)... s.26(3)(e) Children Act 1989)",
                "sufficient_interest",
            )
            _require_reason(
                sufficient_interest_reason,
                "sufficient interest: the decision is recorded",
                "sufficient_interest_reason",
            )
    if complainant_role == Role.REPRESENTATIVE:
        _require(
            child_consent in (Feedback.Consent.GIVEN, Feedback.Consent.NOT_POSSIBLE),
            "Record that the child agrees to this person acting for them, or why it is not possible to ask."
            if child_consent in ("", Feedback.Consent.NOT_ASKED)
            else "The child does not agree to this person acting for them.",
            "a representative acts with the child's consent where it can be asked (reg 10(2))",
            "child_consent",
        )
    if learned_of_matter_on is not None:
        _require(
            learned_of_matter_on <= feedback.received_on,
            "The date they learned of the matter cannot be after the complaint was received.",
            "dates in order",
            "learned_of_matter_on",
        )
        limit = _add_months(learned_of_matter_on, 12)
        if feedback.received_on > limit:
            _require(
                late_reason in Triage.LateReason.values,
                f"The complaint was made more than 12 months after they learned of the matter "
                f"({learned_of_matter_on:%d %B %Y}). Choose the reason for accepting it late, or decline it.",
                TWELVE_MONTHS_RULE,
                "late_reason",
            )
            _require_reason(late_reason_detail, TWELVE_MONTHS_RULE, "late_reason_detail")
    if exclusion:
        _require(exclusion in Triage.Exclusion.values, f"Unknown exclusion {exclusion!r}.", "exclusions", "exclusion")
        _require(
            bool(sent_to.strip()),
            "Say where the person was sent instead.",
            "matters outside the procedure are sent to the right route (reg 8)",
            "sent_to",
        )

    before = {"procedure": feedback.procedure, "role": feedback.complainant_role, "status": feedback.status}
    Triage.objects.update_or_create(
        feedback=feedback,
        defaults={
            "decided_by": actor,
            "decided_on": on,
            "sufficient_interest": sufficient_interest,
            "sufficient_interest_reason": sufficient_interest_reason,
            "learned_of_matter_on": learned_of_matter_on,
            "late_reason": late_reason,
            "late_reason_detail": late_reason_detail,
            "exclusion": exclusion,
            "sent_to": sent_to,
            "procedure_reason": procedure_reason,
        },
    )
    feedback.complainant_role = complainant_role
    if child_consent:
        feedback.child_consent = child_consent
    if procedure != feedback.procedure:
        # A change of procedure restarts the stage 1 clocks under the new rules, from the same receipt.
        Deadline.objects.filter(feedback=feedback, met_on__isnull=True, cancelled=False).update(cancelled=True)
        feedback.procedure = procedure
        _start_clocks(feedback, "receipt", feedback.received_on)
        if feedback.acknowledged_on:
            _start_clocks(feedback, "acknowledgement", feedback.acknowledged_on)
            _meet(feedback, _acknowledge_steps(1), feedback.acknowledged_on)
    if exclusion:
        feedback.status = Status.DECLINED
        feedback.closed_on = on
        _cancel_open_clocks(feedback)
    _save(feedback, "complainant_role", "child_consent", "procedure", "status", "closed_on")
    _event(
        feedback,
        actor,
        "triaged",
        f"Triage: {'not considered, sent to ' + sent_to if exclusion else procedure + ' procedure'}",
        data={
            "before": before,
            "after": {
                "procedure": procedure,
                "role": complainant_role,
                "status": feedback.status,
                "exclusion": exclusion,
            },
        },
        reason=procedure_reason,
    )
    return feedback


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def flag_safeguarding(
    *,
    actor: User,
    feedback: Feedback,
    referred_to: str,
    referred_on: date,
    reason: str,
    expected_version: int | None = None,
) -> Feedback:
    """The child's safety comes first: flag the case and record the referral made at once."""
    feedback = _lock(feedback, expected_version)
    _require(bool(referred_to.strip()), "Say who the concern was referred to.", "safeguarding referral", "referred_to")
    _require_reason(reason, "safeguarding: the concern is recorded")
    _not_before(referred_on, feedback.received_on, "the date received", "referred_on")
    feedback.safeguarding = True
    feedback.safeguarding_referred_on = referred_on
    feedback.safeguarding_referred_to = referred_to.strip()
    _save(feedback, "safeguarding", "safeguarding_referred_on", "safeguarding_referred_to")
    _event(feedback, actor, "safeguarding_flagged", f"Safeguarding concern referred to {referred_to}", reason=reason)
    return feedback


@transaction.atomic
def record_advocacy(
    *,
    actor: User,
    feedback: Feedback,
    offered_on: date,
    wanted: bool | None,
    referred_on: date | None = None,
    advocate: str = "",
    expected_version: int | None = None,
) -> Feedback:
    """s.26A Children Act 1989: children and young people who complain are offered an advocate."""
    feedback = _lock(feedback, expected_version)
    _not_before(offered_on, feedback.received_on, "the date received", "offered_on")
    if referred_on is not None:
        _require(
            wanted is True,
            "A referral is made only when the person wants an advocate.",
            "advocacy by consent",
            "referred_on",
        )
        _not_before(referred_on, offered_on, "the offer", "referred_on")
    feedback.advocacy_offered_on = offered_on
    feedback.advocacy_wanted = wanted
    feedback.advocacy_referred_on = referred_on
    feedback.advocate = advocate.strip()
    _save(feedback, "advocacy_offered_on", "advocacy_wanted", "advocacy_referred_on", "advocate")
    _event(
        feedback,
        actor,
        "advocacy_recorded",
        "Advocacy offered" + (f"; referred to {advocate}" if referred_on else ""),
        data={"wanted": wanted},
    )
    return feedback


# ------------------------------------------------------------------------------------- stage 1 and on


def _acknowledge_steps(stage: int) -> list[str]:
    return ["acknowledge", f"stage{stage}_acknowledge"]


@transaction.atomic
def acknowledge(
    *, actor: User, feedback: Feedback, on: date, expected_version: int | None = None, today: date | None = None
) -> Feedback:
    """Acknowledge the complaint at its current stage (3 working days at stage 1, statutory)."""
    feedback = _lock(feedback, expected_version)
    _require_open_complaint(feedback)
    stage = _current_stage(feedback)
    _require(
        stage.acknowledged_on is None,
        f"Stage {stage.number} was already acknowledged on {stage.acknowledged_on:%d %B %Y}."
        if stage.acknowledged_on
        else "",
        "acknowledge once",
    )
    _not_before(on, stage.requested_on, "the date received", "on")
    _not_future(on, _today(today), "on")
    stage.acknowledged_on = on
    stage.save(update_fields=["acknowledged_on"])
    _meet(feedback, _acknowledge_steps(stage.number), on)
    _start_clocks(feedback, "acknowledgement" if stage.number == 1 else f"stage{stage.number}_acknowledgement", on)
    if stage.number == 1:
        feedback.acknowledged_on = on
    feedback.status = Status.OPEN
    _save(feedback, "acknowledged_on", "status")
    _event(feedback, actor, "acknowledged", f"Stage {stage.number} acknowledged", data={"on": on})
    return feedback


@transaction.atomic
def allocate(*, actor: User, feedback: Feedback, assignee: User, expected_version: int | None = None) -> Feedback:
    """Give the case to the person who will respond at its current stage."""
    feedback = _lock(feedback, expected_version)
    _require(feedback.is_open, f"Case {feedback.reference} is closed.", "closed cases cannot change")
    _require(
        assignee.is_active and assignee.role not in ("", User.Role.INDEPENDENT_PERSON, User.Role.PANEL_MEMBER),
        f"{assignee} cannot be given cases.",
        "cases go to council staff",
        "assignee",
    )
    _require(
        not feedback.involved_staff.filter(pk=assignee.pk).exists(),
        f"{assignee} is involved in the matter complained about and cannot respond to it.",
        "the person responding was not involved in the matter (Getting the Best from Complaints 3.5)",
        "assignee",
    )
    if feedback.is_complaint:
        stage = _current_stage(feedback)
        if stage.number >= 2 and feedback.procedure.startswith("corporate"):
            first = Stage.objects.get(feedback=feedback, number=1)
            _require(
                first.handler_id != assignee.pk,
                f"{assignee} handled stage 1; stage {stage.number} must be handled by someone else.",
                "the stage 2 handler is not the stage 1 handler (Complaint Handling Code 6.x)",
                "assignee",
            )
        stage.handler = assignee
        stage.save(update_fields=["handler"])
    before = str(feedback.assignee) if feedback.assignee_id else ""
    feedback.assignee = assignee
    _save(feedback, "assignee")
    _event(feedback, actor, "allocated", f"Allocated to {assignee}", data={"before": before, "after": str(assignee)})
    return feedback


@transaction.atomic
def set_services(
    *,
    actor: User,
    feedback: Feedback,
    lead: Service,
    others: Sequence[Service] = (),
    expected_version: int | None = None,
) -> Feedback:
    """A complaint about more than one service gets one reply, coordinated by the lead service
    (Blackpool procedure 14.1)."""
    feedback = _lock(feedback, expected_version)
    _require(feedback.is_open, f"Case {feedback.reference} is closed.", "closed cases cannot change")
    _require(
        lead not in others,
        "The lead service is not also one of the other services.",
        "one lead service coordinates a single reply",
        "others",
    )
    before = {"lead": str(feedback.service), "others": sorted(str(o) for o in feedback.other_services.all())}
    feedback.service = lead
    feedback.other_services.set(others)
    _save(feedback, "service")
    _event(
        feedback,
        actor,
        "services_set",
        f"Lead service: {lead}",
        data={"before": before, "after": {"lead": str(lead), "others": sorted(str(o) for o in others)}},
    )
    return feedback


@transaction.atomic
def record_involved_staff(*, actor: User, feedback: Feedback, staff: Sequence[User]) -> Feedback:
    """Name the staff the complaint is about: they may not investigate or respond to it."""
    feedback = _lock(feedback, None)
    feedback.involved_staff.add(*staff)
    _save(feedback)
    _event(
        feedback,
        actor,
        "involved_staff_recorded",
        "Staff involved in the matter recorded",
        data={"staff": [str(s) for s in staff]},
    )
    return feedback


@transaction.atomic
def extend(
    *,
    actor: User,
    feedback: Feedback,
    step: str,
    to_working_days: int,
    reason: str,
    on: date,
    expected_version: int | None = None,
) -> Deadline:
    """Extend a clock up to the rule's ceiling, with a reason (reg 14(3): complex cases, 20 at stage 1;
    reg 17: up to 65 at stage 2)."""
    feedback = _lock(feedback, expected_version)
    if feedback.is_complaint:
        _require_open_complaint(feedback)
    deadline = Deadline.objects.filter(feedback=feedback, step=step, met_on__isnull=True, cancelled=False).first()
    _require(
        deadline is not None,
        f"There is no open {step.replace('_', ' ')} deadline to extend.",
        "only an open deadline can be extended",
        "step",
    )
    assert deadline is not None
    rule = clock.rule_for(feedback, step)
    _require(
        rule.extension_ceiling is not None,
        f"'{rule.title}' cannot be extended.",
        f"{rule.title}: no extension ({rule.citation})",
        "to_working_days",
    )
    assert rule.extension_ceiling is not None
    _require(
        to_working_days > deadline.working_days,
        f"An extension must be longer than the {deadline.working_days} working days already allowed.",
        "extensions lengthen the clock",
        "to_working_days",
    )
    _require(
        to_working_days <= rule.extension_ceiling,
        f"'{rule.title}' can be extended to at most {rule.extension_ceiling} working days, not {to_working_days}.",
        f"extension ceiling {rule.extension_ceiling} working days ({rule.citation})",
        "to_working_days",
    )
    _require_reason(reason, "an extension needs written reasons")
    before = deadline.due_on
    from_days = deadline.working_days
    deadline.working_days = to_working_days
    deadline.due_on = clock.deadline_due(deadline, feedback)
    deadline.save(update_fields=["working_days", "due_on"])
    Extension.objects.create(
        deadline=deadline,
        from_working_days=from_days,
        to_working_days=to_working_days,
        new_due_on=deadline.due_on,
        reason=reason,
        extended_by=actor,
        extended_on=on,
    )
    _save(feedback)
    _event(
        feedback,
        actor,
        "extended",
        f"{rule.title} extended to {to_working_days} working days, due {deadline.due_on:%d %B %Y}",
        data={"step": step, "before": before, "after": deadline.due_on},
        reason=reason,
    )
    return deadline


@transaction.atomic
def record_interim_update(*, actor: User, feedback: Feedback, on: date, message: str) -> Feedback:
    """An interim letter: the new date and why (reg 14(3))."""
    feedback = _lock(feedback, None)
    _require_reason(message, "an interim update says why", "message")
    _save(feedback)
    _event(feedback, actor, "interim_update_sent", "Interim update sent", data={"on": on}, reason=message)
    return feedback


@transaction.atomic
def add_point(*, actor: User, feedback: Feedback, summary: str, expected_version: int | None = None) -> Point:
    feedback = _lock(feedback, expected_version)
    _require_open_complaint(feedback)
    _require(bool(summary.strip()), "Enter the point of complaint.", "points of complaint", "summary")
    stage = _current_stage(feedback)
    _require(
        stage.responded_on is None,
        f"Stage {stage.number} has been responded to.",
        "points are added before the response",
    )
    _require(
        not (stage.number == 2 and stage.statement_agreed_on),
        "The statement of complaint is agreed: its points are fixed.",
        "stage 2 investigates the agreed statement of complaint (reg 17)",
    )
    number = (feedback.points.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    point = Point.objects.create(feedback=feedback, number=number, summary=summary.strip(), added_at_stage=stage.number)
    _save(feedback)
    _event(feedback, actor, "point_added", f"Point {number} added", data={"summary": summary[:200]})
    return point


def derive_outcome(findings: Iterable[str]) -> str:
    """The complaint's outcome follows from its points: all upheld → upheld; any upheld or partially
    upheld → partially upheld; otherwise not upheld."""
    found = [f for f in findings if f != Finding.NOT_INVESTIGATED]
    if found and all(f == Finding.UPHELD for f in found):
        return Outcome.UPHELD
    if any(f in (Finding.UPHELD, Finding.PARTIALLY_UPHELD) for f in found):
        return Outcome.PARTIALLY_UPHELD
    return Outcome.NOT_UPHELD


@transaction.atomic
def respond(
    *,
    actor: User,
    feedback: Feedback,
    on: date,
    findings: Mapping[int, FindingInput],
    response: str = "",
    remedies: Sequence[RemedyInput] = (),
    adjudicating_officer: User | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> Stage:
    """Respond at stage 1 or 2 with a finding on every point; the stage outcome follows from them.
    At stage 2 the adjudicating officer's decision on the investigation is the response."""
    feedback = _lock(feedback, expected_version)
    _require_open_complaint(feedback)
    stage = _current_stage(feedback)
    _require(
        stage.number in (1, 2) or feedback.procedure == "corporate_three_stage",
        "At stage 3 the director responds to the review panel's report.",
        "stage 3 ends with the director's response (reg 21)",
    )
    _require(stage.responded_on is None, f"Stage {stage.number} was already responded to.", "respond once")
    _not_before(on, stage.requested_on, f"the stage {stage.number} request", "on")
    _not_future(on, _today(today), "on")
    statutory = feedback.procedure == "statutory"
    if stage.number == 2 and statutory:
        _require(
            stage.statement_agreed_on is not None,
            "The statement of complaint has not been agreed with the complainant.",
            "stage 2 investigates the agreed statement of complaint (reg 17)",
        )
        _require(
            stage.investigating_officer_id is not None,
            "Appoint the investigating officer first.",
            "stage 2 is investigated by an investigating officer (reg 17)",
        )
        _require(
            stage.independent_person_id is not None,
            "Appoint the independent person first.",
            "stage 2 needs an independent person (reg 17(2))",
        )
        _require(
            adjudicating_officer is not None,
            "Name the adjudicating officer who decided.",
            "a senior manager adjudicates on the stage 2 reports (Getting the Best from Complaints 3.6)",
            "adjudicating_officer",
        )
        assert adjudicating_officer is not None
        _require(
            adjudicating_officer.pk not in (stage.investigating_officer_id, stage.independent_person_id),
            "The adjudicating officer cannot be the investigating officer or the independent person.",
            "the adjudicating officer is separate from the investigation",
            "adjudicating_officer",
        )
    points = list(feedback.points.all())
    if stage.number == 2 and any(p.added_at_stage == 2 for p in points):
        # Stage 2 investigates the agreed statement of complaint: its points, not stage 1's list.
        points = [p for p in points if p.added_at_stage == 2]
    _require(
        bool(points),
        "Record the points of complaint before responding.",
        "a finding on each point of complaint",
        "findings",
    )
    missing = [p.number for p in points if p.number not in findings]
    _require(
        not missing,
        f"Give a finding for point{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))}.",
        "a finding on each point of complaint",
        "findings",
    )
    for p in points:
        f = findings[p.number]
        _require(
            f.finding in Finding.values, f"Unknown finding {f.finding!r} for point {p.number}.", "findings", "findings"
        )
        if f.finding == Finding.NOT_INVESTIGATED:
            _require(
                bool(f.reason.strip()),
                f"Point {p.number} was not investigated: give the reason.",
                "a point not investigated has a reason",
                "findings",
            )
    for p in points:
        PointFinding.objects.update_or_create(
            point=p,
            stage=stage.number,
            defaults={"finding": findings[p.number].finding, "reason": findings[p.number].reason},
        )
    for r in remedies:
        _require(r.kind in Remedy.Kind.values, f"Unknown remedy {r.kind!r}.", "remedies", "remedies")
        _require(
            r.kind != Remedy.Kind.FINANCIAL or (r.amount is not None and r.amount > 0),
            "A financial remedy needs its amount.",
            "remedies",
            "remedies",
        )
        Remedy.objects.create(
            feedback=feedback, stage=stage.number, kind=r.kind, description=r.description, amount=r.amount
        )
    stage.outcome = derive_outcome(findings[p.number].finding for p in points)
    stage.responded_on = on
    stage.response = response
    if adjudicating_officer is not None:
        stage.adjudicating_officer = adjudicating_officer
    stage.save(update_fields=["outcome", "responded_on", "response", "adjudicating_officer"])
    _meet(feedback, [f"stage{stage.number}_response", *_acknowledge_steps(stage.number)], on)
    _start_clocks(feedback, f"stage{stage.number}_response", on)
    feedback.status = Status.RESPONDED
    _save(feedback, "status")
    _event(
        feedback,
        actor,
        "responded",
        f"Stage {stage.number} response: {stage.get_outcome_display()}",
        data={
            "stage": stage.number,
            "outcome": stage.outcome,
            "findings": {str(k): v.finding for k, v in findings.items()},
        },
    )
    return stage


@transaction.atomic
def withdraw(
    *, actor: User | None, feedback: Feedback, on: date, reason: str, expected_version: int | None = None
) -> Feedback:
    """A complaint withdrawn before its response is recorded as withdrawn."""
    feedback = _lock(feedback, expected_version)
    _require(
        feedback.is_open,
        f"Case {feedback.reference} is already {feedback.get_status_display().lower()}.",
        "only an open case can be withdrawn",
    )
    _require_reason(reason, "a withdrawal is recorded with its reason")
    _not_before(on, feedback.received_on, "the date received", "on")
    if feedback.is_complaint:
        stage = _current_stage(feedback)
        if stage.responded_on is None:
            stage.outcome = Outcome.WITHDRAWN
            stage.responded_on = on
            stage.save(update_fields=["outcome", "responded_on"])
    _cancel_open_clocks(feedback)
    feedback.status = Status.WITHDRAWN
    feedback.closed_on = on
    _save(feedback, "status", "closed_on")
    _event(feedback, actor, "withdrawn", "Withdrawn", reason=reason, data={"on": on})
    return feedback


def _escalate(
    feedback: Feedback, to_stage: int, requested_on: date, reason: str, late_request_decision: str, today: date | None
) -> Stage:
    _require_open_complaint(feedback)
    previous = _current_stage(feedback)
    stages = clock.rulebook().get(feedback.procedure).in_force_on(feedback.received_on).stages
    _require(
        to_stage <= stages,
        f"The {feedback.procedure} procedure has {stages} stages.",
        f"{feedback.procedure} procedure stages",
    )
    _require(previous.number == to_stage - 1, f"The complaint is at stage {previous.number}.", "stages follow in order")
    _require(
        previous.responded_on is not None and previous.outcome != Outcome.WITHDRAWN,
        f"Stage {previous.number} has not been responded to yet.",
        f"stage {to_stage} follows the stage {previous.number} response",
    )
    assert previous.responded_on is not None
    _not_before(requested_on, previous.responded_on, f"the stage {previous.number} response", "requested_on")
    _not_future(requested_on, _today(today), "requested_on")
    _require_reason(reason, f"a stage {to_stage} request says why the person is still unhappy")
    window = Deadline.objects.filter(feedback=feedback, step=f"stage{to_stage}_request_window", window=True).first()
    if window is not None and requested_on > window.due_on:
        rule = clock.rule_for(feedback, window.step)
        if rule.advisory:
            _require(
                bool(late_request_decision.strip()),
                f"The request came after the {rule.working_days} working days to ask (by "
                f"{window.due_on:%d %B %Y}). Record the decision to accept it late.",
                f"{rule.title} ({rule.citation})",
                "late_request_decision",
            )
        else:
            raise _refuse(
                f"The request came after the {rule.working_days} working days to ask (by {window.due_on:%d %B %Y}).",
                f"{rule.title} ({rule.citation})",
                "requested_on",
            )
    _meet(feedback, [f"stage{to_stage}_request_window"], requested_on)
    stage = Stage.objects.create(
        feedback=feedback,
        number=to_stage,
        requested_on=requested_on,
        request_reason=reason,
        late_request_decision=late_request_decision,
    )
    feedback.stage = to_stage
    feedback.status = Status.OPEN
    _start_clocks(feedback, f"stage{to_stage}_request", requested_on)
    return stage


@transaction.atomic
def escalate_to_stage_2(
    *,
    actor: User | None,
    feedback: Feedback,
    requested_on: date,
    reason: str,
    late_request_decision: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> Stage:
    """The complainant asks for stage 2 (within 20 working days of the stage 1 response)."""
    feedback = _lock(feedback, expected_version)
    stage = _escalate(feedback, 2, requested_on, reason, late_request_decision, today)
    _save(feedback, "stage", "status")
    _event(feedback, actor, "escalated", "Escalated to stage 2", reason=reason, data={"requested_on": requested_on})
    return stage


@transaction.atomic
def agree_statement_of_complaint(
    *,
    actor: User,
    feedback: Feedback,
    agreed_on: date,
    statement: str,
    points: Sequence[str] = (),
    expected_version: int | None = None,
    today: date | None = None,
) -> Stage:
    """The complainant agrees the written statement of complaint; the 25 working days of stage 2 start
    (reg 17(1))."""
    feedback = _lock(feedback, expected_version)
    _require_open_complaint(feedback)
    stage = _current_stage(feedback)
    _require(
        stage.number == 2 and feedback.procedure == "statutory",
        "A statement of complaint is agreed at stage 2 of the statutory procedure.",
        "statement of complaint (reg 17)",
    )
    _require(
        stage.statement_agreed_on is None, "The statement of complaint was already agreed.", "agree the statement once"
    )
    _not_before(agreed_on, stage.requested_on, "the stage 2 request", "agreed_on")
    _not_future(agreed_on, _today(today), "agreed_on")
    _require(bool(statement.strip()), "Enter the statement of complaint.", "statement of complaint", "statement")
    numbered = [p.strip() for p in points if p.strip()]
    if numbered:
        # The agreed statement is the list of points stage 2 investigates.
        feedback.points.filter(findings__isnull=True).delete()
        start = feedback.points.order_by("-number").values_list("number", flat=True).first() or 0
        for i, text in enumerate(numbered, start=start + 1):
            Point.objects.create(feedback=feedback, number=i, summary=text, added_at_stage=2)
    _require(
        feedback.points.exists(),
        "The statement of complaint needs at least one point.",
        "statement of complaint",
        "points",
    )
    stage.statement_agreed_on = agreed_on
    stage.statement_of_complaint = statement.strip()
    stage.save(update_fields=["statement_agreed_on", "statement_of_complaint"])
    _meet(feedback, ["stage2_acknowledge"], agreed_on)
    _start_clocks(feedback, "statement_agreed", agreed_on)
    _save(feedback)
    _event(
        feedback,
        actor,
        "statement_agreed",
        "Statement of complaint agreed; stage 2 clock started",
        data={"agreed_on": agreed_on, "points": len(numbered)},
    )
    return stage


@transaction.atomic
def appoint_investigating_officer(
    *, actor: User, feedback: Feedback, officer: User, expected_version: int | None = None
) -> Stage:
    feedback = _lock(feedback, expected_version)
    _require_open_complaint(feedback)
    stage = _current_stage(feedback)
    _require(stage.number == 2, "An investigating officer is appointed at stage 2.", "stage 2 investigation")
    _require(
        not feedback.involved_staff.filter(pk=officer.pk).exists(),
        f"{officer} is involved in the matter complained about.",
        "an investigating officer is never someone involved in the matter",
        "officer",
    )
    if officer.service_id is not None and officer.relationship_to_council != User.Relationship.EXTERNAL:
        _require(
            officer.service_id != feedback.service_id,
            f"{officer} works in {feedback.service}, the service complained about.",
            "at stage 2 the investigating officer is outside the line management of the service "
            "(Getting the Best from Complaints 3.4)",
            "officer",
        )
    _require(
        stage.independent_person_id != officer.pk,
        f"{officer} is the independent person.",
        "the investigating officer and the independent person are different people",
        "officer",
    )
    stage.investigating_officer = officer
    stage.save(update_fields=["investigating_officer"])
    _save(feedback)
    _event(feedback, actor, "investigating_officer_appointed", f"Investigating officer: {officer}")
    return stage


@transaction.atomic
def appoint_independent_person(
    *, actor: User, feedback: Feedback, person: User, expected_version: int | None = None
) -> Stage:
    feedback = _lock(feedback, expected_version)
    _require_open_complaint(feedback)
    stage = _current_stage(feedback)
    _require(
        stage.number == 2 and feedback.procedure == "statutory",
        "An independent person is appointed at stage 2 of the statutory procedure.",
        "reg 17(2)",
    )
    _require(
        person.is_independent,
        f"{person} is not independent: an independent person is neither a member nor an officer of the "
        "council, nor the spouse or partner of one.",
        "independent person (reg 2, SI 2006/1738)",
        "person",
    )
    _require(
        stage.investigating_officer_id != person.pk,
        f"{person} is the investigating officer.",
        "the investigating officer and the independent person are different people",
        "person",
    )
    stage.independent_person = person
    stage.save(update_fields=["independent_person"])
    _save(feedback)
    _event(feedback, actor, "independent_person_appointed", f"Independent person: {person}")
    return stage


@transaction.atomic
def escalate_to_stage_3(
    *,
    actor: User | None,
    feedback: Feedback,
    requested_on: date,
    reason: str,
    late_request_decision: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> Stage:
    """The complainant asks for a review panel (within 20 working days of the stage 2 response)."""
    feedback = _lock(feedback, expected_version)
    stage = _escalate(feedback, 3, requested_on, reason, late_request_decision, today)
    if feedback.procedure == "statutory":
        ReviewPanel.objects.create(feedback=feedback)
    _save(feedback, "stage", "status")
    _event(
        feedback,
        actor,
        "escalated",
        "Escalated to stage 3 (review panel)",
        reason=reason,
        data={"requested_on": requested_on},
    )
    return stage


def _require_stage_3(feedback: Feedback) -> ReviewPanel:
    _require_open_complaint(feedback)
    _require(
        feedback.stage == 3 and feedback.procedure == "statutory",
        "A review panel sits at stage 3 of the statutory procedure.",
        "review panel (reg 19)",
    )
    return ReviewPanel.objects.get(feedback=feedback)


@transaction.atomic
def appoint_panel_member(
    *, actor: User, feedback: Feedback, person: User, chair: bool, on: date, expected_version: int | None = None
) -> PanelMember:
    """reg 19: three independent people, the chair appointed first; the stage 2 independent person may
    not sit on the panel."""
    feedback = _lock(feedback, expected_version)
    _require_stage_3(feedback)
    members = list(PanelMember.objects.filter(feedback=feedback))
    _require(len(members) < 3, "The panel already has three members.", "a review panel of three (reg 19(2))")
    _require(
        person.is_independent,
        f"{person} is not independent: panel members are neither members nor "
        "officers of the council, nor the spouse or partner of one.",
        "review panel independence (reg 19(2))",
        "person",
    )
    stage2 = Stage.objects.get(feedback=feedback, number=2)
    _require(
        stage2.independent_person_id != person.pk,
        f"{person} was the independent person at stage 2 and may not sit on the panel.",
        "the stage 2 independent person may not sit on the panel (reg 19(3))",
        "person",
    )
    _require(
        not any(m.person_id == person.pk for m in members),
        f"{person} is already on the panel.",
        "a person sits once",
        "person",
    )
    has_chair = any(m.is_chair for m in members)
    if chair:
        _require(not has_chair, "The panel already has a chair.", "one chair", "chair")
    else:
        _require(has_chair, "Appoint the chair first.", "the chair is appointed first (reg 19(2))", "chair")
    member = PanelMember.objects.create(feedback=feedback, person=person, is_chair=chair, appointed_on=on)
    _save(feedback)
    _event(feedback, actor, "panel_member_appointed", f"{'Chair' if chair else 'Panel member'}: {person}")
    return member


@transaction.atomic
def arrange_panel_meeting(
    *,
    actor: User,
    feedback: Feedback,
    meeting_on: date,
    notified_on: date,
    venue: str = "",
    late_reason: str = "",
    expected_version: int | None = None,
) -> ReviewPanel:
    """The panel meets within 30 working days of the request; the complainant is told the date at least
    10 working days before."""
    feedback = _lock(feedback, expected_version)
    panel = _require_stage_3(feedback)
    members = PanelMember.objects.filter(feedback=feedback)
    _require(
        members.count() == 3 and members.filter(is_chair=True).exists(),
        "Appoint all three panel members, chair first, before arranging the meeting.",
        "a review panel of three (reg 19(2))",
    )
    stage = _current_stage(feedback)
    _not_before(notified_on, stage.requested_on, "the stage 3 request", "notified_on")
    calendar = clock.working_calendar()
    notice = clock.rule_for(feedback, "panel_notice")
    _require(
        calendar.working_days_between(notified_on, meeting_on) >= notice.working_days,
        f"The complainant must be told the date at least {notice.working_days} working days before the "
        f"meeting; {notified_on:%d %B %Y} to {meeting_on:%d %B %Y} is "
        f"{calendar.working_days_between(notified_on, meeting_on)}.",
        f"{notice.title} ({notice.citation})",
        "notified_on",
    )
    deadline = Deadline.objects.filter(feedback=feedback, step="panel_meeting").first()
    if deadline is not None and meeting_on > deadline.due_on:
        rule = clock.rule_for(feedback, "panel_meeting")
        _require(
            bool(late_reason.strip()),
            f"The panel must meet by {deadline.due_on:%d %B %Y} ({rule.working_days} working days from the "
            "request). Record why it cannot.",
            f"{rule.title} ({rule.citation})",
            "late_reason",
        )
    panel.meeting_on = meeting_on
    panel.complainant_notified_on = notified_on
    panel.venue = venue
    panel.late_meeting_reason = late_reason
    panel.save(update_fields=["meeting_on", "complainant_notified_on", "venue", "late_meeting_reason"])
    _save(feedback)
    _event(
        feedback,
        actor,
        "panel_arranged",
        f"Review panel arranged for {meeting_on:%d %B %Y}",
        data={"meeting_on": meeting_on, "notified_on": notified_on},
        reason=late_reason,
    )
    return panel


@transaction.atomic
def record_panel_report(
    *,
    actor: User,
    feedback: Feedback,
    received_on: date,
    recommendations: str,
    expected_version: int | None = None,
) -> ReviewPanel:
    """The panel met and reported (within 5 working days, reg 20); the director's 15 working days start."""
    feedback = _lock(feedback, expected_version)
    panel = _require_stage_3(feedback)
    _require(panel.meeting_on is not None, "Arrange the panel meeting first.", "the panel meets, then reports")
    assert panel.meeting_on is not None
    _require(panel.report_received_on is None, "The panel's report was already recorded.", "report once")
    _not_before(received_on, panel.meeting_on, "the panel meeting", "received_on")
    _require(
        bool(recommendations.strip()), "Enter the panel's recommendations.", "panel report (reg 20)", "recommendations"
    )
    _meet(feedback, ["panel_meeting", "stage3_acknowledge"], panel.meeting_on)
    _start_clocks(feedback, "panel_meeting", panel.meeting_on)
    _meet(feedback, ["panel_report"], received_on)
    _start_clocks(feedback, "panel_report", received_on)
    panel.report_received_on = received_on
    panel.recommendations = recommendations
    panel.save(update_fields=["report_received_on", "recommendations"])
    _save(feedback)
    _event(feedback, actor, "panel_report_received", "Review panel report received", data={"received_on": received_on})
    return panel


@transaction.atomic
def record_director_response(
    *,
    actor: User,
    feedback: Feedback,
    on: date,
    agrees: bool,
    response: str,
    expected_version: int | None = None,
) -> ReviewPanel:
    """reg 21: the council's response to the panel, from the director, within 15 working days."""
    feedback = _lock(feedback, expected_version)
    panel = _require_stage_3(feedback)
    _require(
        panel.report_received_on is not None,
        "Record the panel's report first.",
        "the director responds to the panel's report (reg 21)",
    )
    assert panel.report_received_on is not None
    _not_before(on, panel.report_received_on, "the panel's report", "on")
    _require(bool(response.strip()), "Enter the director's response.", "director's response (reg 21)", "response")
    panel.director_responded_on = on
    panel.director_agrees = agrees
    panel.director_response = response
    panel.save(update_fields=["director_responded_on", "director_agrees", "director_response"])
    stage = _current_stage(feedback)
    stage.responded_on = on
    stage.response = response
    stage.save(update_fields=["responded_on", "response"])
    _meet(feedback, ["director_response"], on)
    feedback.status = Status.RESPONDED
    _save(feedback, "status")
    _event(
        feedback,
        actor,
        "director_responded",
        f"Director's response: {'agrees with' if agrees else 'does not accept all of'} the panel's recommendations",
    )
    return panel


# -------------------------------------------------------------------------- suspension and closing


@transaction.atomic
def suspend(
    *, actor: User, feedback: Feedback, on: date, reason: str, detail: str, expected_version: int | None = None
) -> Suspension:
    """Concurrent proceedings: the complaints manager may suspend; the clocks stop."""
    feedback = _lock(feedback, expected_version)
    _require_open_complaint(feedback)
    _require(
        reason in Suspension.Reason.values,
        "Select the concurrent proceedings.",
        "suspension for concurrent proceedings",
        "reason",
    )
    _require_reason(detail, "suspension for concurrent proceedings", "detail")
    _not_before(on, feedback.received_on, "the date received", "on")
    suspension = Suspension.objects.create(feedback=feedback, reason=reason, detail=detail, started_on=on)
    Deadline.objects.filter(feedback=feedback, met_on__isnull=True, cancelled=False).update(paused_since=on)
    feedback.status = Status.SUSPENDED
    _save(feedback, "status")
    _event(feedback, actor, "suspended", f"Suspended: {suspension.get_reason_display()}", reason=detail)
    return suspension


@transaction.atomic
def resume(*, actor: User, feedback: Feedback, on: date, expected_version: int | None = None) -> Feedback:
    """The clocks restart: every open deadline moves by the working days spent suspended."""
    feedback = _lock(feedback, expected_version)
    _require(feedback.status == Status.SUSPENDED, "The complaint is not suspended.", "resume a suspension")
    suspension = feedback.suspensions.filter(ended_on__isnull=True).get()
    _not_before(on, suspension.started_on, "the suspension", "on")
    suspension.ended_on = on
    suspension.save(update_fields=["ended_on"])
    calendar = clock.working_calendar()
    for deadline in Deadline.objects.filter(feedback=feedback, paused_since__isnull=False):
        deadline.paused_days += calendar.working_days_between(deadline.paused_since, on)
        deadline.paused_since = None
        deadline.due_on = clock.deadline_due(deadline, feedback)
        deadline.save(update_fields=["paused_days", "paused_since", "due_on"])
    responded = Stage.objects.filter(feedback=feedback, number=feedback.stage, responded_on__isnull=False).exists()
    feedback.status = Status.RESPONDED if responded else (Status.OPEN if feedback.acknowledged_on else Status.RECEIVED)
    _save(feedback, "status")
    _event(feedback, actor, "resumed", "Resumed; deadlines moved by the time suspended", data={"on": on})
    return feedback


@transaction.atomic
def close(*, actor: User, feedback: Feedback, on: date, expected_version: int | None = None) -> Feedback:
    feedback = _lock(feedback, expected_version)
    _require(
        feedback.is_open, f"Case {feedback.reference} is already {feedback.get_status_display().lower()}.", "close once"
    )
    if feedback.is_complaint:
        stage = _current_stage(feedback)
        _require(
            stage.responded_on is not None,
            f"Stage {stage.number} has not been responded to.",
            "a complaint closes after its response (or withdrawal)",
        )
    else:
        _require(
            feedback.responded_on is not None,
            "Record that it was answered or passed to the service first.",
            "feedback is answered, then closed",
        )
    _not_before(on, feedback.received_on, "the date received", "on")
    Deadline.objects.filter(feedback=feedback, window=True, met_on__isnull=True).update(cancelled=True)
    feedback.status = Status.CLOSED
    feedback.closed_on = on
    _save(feedback, "status", "closed_on")
    _event(feedback, actor, "closed", "Closed", data={"on": on})
    return feedback


# -------------------------------------------------- compliments, comments and enquiries


@transaction.atomic
def pass_to_service(*, actor: User, feedback: Feedback, on: date, expected_version: int | None = None) -> Feedback:
    """Compliments and comments go to the service within 3 working days."""
    feedback = _lock(feedback, expected_version)
    _require(
        feedback.kind in (Kind.COMPLIMENT, Kind.COMMENT),
        "Only compliments and comments are passed on.",
        "compliments and comments are passed to the service",
    )
    _require(feedback.responded_on is None, "It was already passed to the service.", "pass on once")
    _not_before(on, feedback.received_on, "the date received", "on")
    feedback.responded_on = on
    feedback.status = Status.CLOSED
    feedback.closed_on = on
    _meet(feedback, ["pass_to_service"], on)
    _save(feedback, "responded_on", "status", "closed_on")
    _event(feedback, actor, "passed_to_service", f"Passed to {feedback.service}", data={"on": on})
    return feedback


@transaction.atomic
def respond_to_enquiry(
    *, actor: User, feedback: Feedback, on: date, response: str = "", expected_version: int | None = None
) -> Feedback:
    """MP enquiries: 5 working days; councillor enquiries: 10 (5 before April 2018)."""
    feedback = _lock(feedback, expected_version)
    _require(feedback.is_enquiry, "Only an enquiry is answered this way.", "enquiries")
    _require(feedback.responded_on is None, "The enquiry was already answered.", "answer once")
    _not_before(on, feedback.received_on, "the date received", "on")
    feedback.responded_on = on
    feedback.status = Status.CLOSED
    feedback.closed_on = on
    _meet(feedback, ["enquiry_response"], on)
    _save(feedback, "responded_on", "status", "closed_on")
    _event(feedback, actor, "enquiry_answered", "Enquiry answered", data={"on": on}, reason=response)
    return feedback


@transaction.atomic
def link(*, actor: User, feedback: Feedback, other: Feedback) -> None:
    """Link an enquiry to a complaint (or any two records) without counting either twice."""
    _require(feedback.pk != other.pk, "A record cannot be linked to itself.", "links", "other")
    feedback.linked.add(other)
    _event(feedback, actor, "linked", f"Linked to {other.reference}")
    _event(other, actor, "linked", f"Linked to {feedback.reference}")


@transaction.atomic
def add_note(*, actor: User, feedback: Feedback, text: str) -> Event:
    _require(bool(text.strip()), "Enter the note.", "notes", "text")
    return _event(feedback, actor, "note_added", "Internal note", reason=text.strip())


# --------------------------------------------------------------------------------- the Ombudsman


@transaction.atomic
def refer_to_ombudsman(
    *, actor: User, feedback: Feedback, referred_on: date, their_reference: str = ""
) -> OmbudsmanCase:
    feedback = _lock(feedback, None)
    _require(feedback.is_complaint, "Only a complaint goes to the Ombudsman.", "Ombudsman")
    _require(not OmbudsmanCase.objects.filter(feedback=feedback).exists(), "It was already referred.", "refer once")
    _not_before(referred_on, feedback.received_on, "the date received", "referred_on")
    case = OmbudsmanCase.objects.create(feedback=feedback, referred_on=referred_on, their_reference=their_reference)
    _save(feedback)
    _event(
        feedback,
        actor,
        "ombudsman_referred",
        "Referred to the Local Government and Social Care Ombudsman",
        data={"referred_on": referred_on},
    )
    return case


@transaction.atomic
def record_ombudsman_enquiry(
    *, actor: User, feedback: Feedback, kind: str, received_on: date, due_on: date
) -> OmbudsmanEnquiry:
    case = OmbudsmanCase.objects.select_for_update().get(feedback=feedback)
    _require(kind in OmbudsmanEnquiry.Kind.values, "Select the kind of enquiry.", "Ombudsman enquiries", "kind")
    _not_before(received_on, case.referred_on, "the referral", "received_on")
    _require(
        due_on >= received_on,
        "The Ombudsman's deadline cannot be before the enquiry arrived.",
        "dates in order",
        "due_on",
    )
    enquiry = OmbudsmanEnquiry.objects.create(case=case, kind=kind, received_on=received_on, due_on=due_on)
    if kind == OmbudsmanEnquiry.Kind.DRAFT_DECISION:
        case.draft_decision_on = received_on
        case.save(update_fields=["draft_decision_on"])
    _event(feedback, actor, "ombudsman_enquiry", f"Ombudsman: {enquiry.get_kind_display()}, due {due_on:%d %B %Y}")
    return enquiry


@transaction.atomic
def answer_ombudsman_enquiry(*, actor: User, enquiry: OmbudsmanEnquiry, answered_on: date) -> OmbudsmanEnquiry:
    enquiry = OmbudsmanEnquiry.objects.select_for_update().select_related("case__feedback").get(pk=enquiry.pk)
    _require(enquiry.answered_on is None, "That enquiry was already answered.", "answer once")
    _not_before(answered_on, enquiry.received_on, "the enquiry", "answered_on")
    enquiry.answered_on = answered_on
    enquiry.save(update_fields=["answered_on"])
    _event(
        enquiry.case.feedback,
        actor,
        "ombudsman_enquiry_answered",
        f"Ombudsman enquiry answered ({'on time' if answered_on <= enquiry.due_on else 'late'})",
    )
    return enquiry


@transaction.atomic
def record_ombudsman_decision(*, actor: User, feedback: Feedback, decision: str, decided_on: date) -> OmbudsmanCase:
    case = OmbudsmanCase.objects.select_for_update().get(feedback=feedback)
    _require(
        decision in OmbudsmanCase.Decision.values, "Select the Ombudsman's decision.", "Ombudsman decisions", "decision"
    )
    _not_before(decided_on, case.referred_on, "the referral", "decided_on")
    case.decision = decision
    case.decided_on = decided_on
    case.save(update_fields=["decision", "decided_on"])
    _event(feedback, actor, "ombudsman_decided", f"Ombudsman's final decision: {case.get_decision_display()}")
    return case


@transaction.atomic
def add_ombudsman_recommendation(
    *, actor: User, feedback: Feedback, text: str, due_on: date
) -> OmbudsmanRecommendation:
    case = OmbudsmanCase.objects.get(feedback=feedback)
    _require(bool(text.strip()), "Enter the recommendation.", "Ombudsman recommendations", "text")
    rec = OmbudsmanRecommendation.objects.create(case=case, text=text.strip(), due_on=due_on)
    _event(feedback, actor, "ombudsman_recommendation", f"Ombudsman recommendation due {due_on:%d %B %Y}")
    return rec


@transaction.atomic
def record_compliance(
    *, actor: User, recommendation: OmbudsmanRecommendation, complied_on: date
) -> OmbudsmanRecommendation:
    _require(recommendation.complied_on is None, "Compliance was already recorded.", "record once")
    recommendation.complied_on = complied_on
    recommendation.save(update_fields=["complied_on"])
    _event(recommendation.case.feedback, actor, "ombudsman_complied", "Complied with an Ombudsman recommendation")
    return recommendation


# ------------------------------------------------------------------------ remedies and learning


@transaction.atomic
def complete_remedy(*, actor: User, remedy: Remedy, on: date) -> Remedy:
    _require(remedy.completed_on is None, "That remedy was already completed.", "complete once")
    remedy.completed_on = on
    remedy.save(update_fields=["completed_on"])
    _event(remedy.feedback, actor, "remedy_completed", f"Remedy completed: {remedy.get_kind_display()}")
    return remedy


@transaction.atomic
def record_lesson(
    *, actor: User, feedback: Feedback, action: str, owner: User, due_on: date, on: date | None = None
) -> LessonLearnt:
    on = _today(on)
    _require(bool(action.strip()), "Enter the action to be taken.", "lessons learnt", "action")
    _require(due_on >= on, "The due date cannot be in the past.", "dates in order", "due_on")
    lesson = LessonLearnt.objects.create(
        feedback=feedback, action=action.strip(), owner=owner, due_on=due_on, recorded_on=on
    )
    _event(feedback, actor, "lesson_recorded", f"Lesson learnt: owner {owner}, due {due_on:%d %B %Y}")
    return lesson


@transaction.atomic
def complete_lesson(*, actor: User, lesson: LessonLearnt, on: date) -> LessonLearnt:
    _require(lesson.completed_on is None, "That action was already completed.", "complete once")
    _not_before(on, lesson.recorded_on, "the day it was recorded", "on")
    lesson.completed_on = on
    lesson.save(update_fields=["completed_on"])
    _event(lesson.feedback, actor, "lesson_completed", "Lesson learnt completed")
    return lesson


# The annual report publishes a lesson learnt only in wording approved for it (issue #5: no personal data in
# any output). Approving is for the people who run the procedure; keep in step with heard.staff.access
# ("publish_lessons"), which a test checks.
LESSON_PUBLISHERS = frozenset({User.Role.CUSTOMER_RELATIONS, User.Role.COMPLAINTS_MANAGER})
MAX_LESSON_REPORT_TEXT = 500
PUBLISH_RULE = "no personal data in the annual report: a lesson is published only in wording approved for it"
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE = re.compile(r"(?:\d[\s-]?){9,}")


def _may_publish_lessons(actor: User | None) -> None:
    _require(
        actor is not None and actor.role in LESSON_PUBLISHERS,
        "Only customer relations or the complaints manager approve a lesson's wording for the annual report.",
        PUBLISH_RULE,
    )


# Capitalised words in names that are not names (titles, "The Fostering Network"): never refused alone.
_NOT_NAMES = frozenset(
    {
        "The",
        "And",
        "Of",
        "For",
        "To",
        "In",
        "On",
        "At",
        "By",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Sir",
        "Dame",
        "Rev",
        "Prof",
    }
)


def _names_on_case(feedback: Feedback, lesson: LessonLearnt) -> tuple[list[str], list[str]]:
    """The names of the people on the case (complainant, child, the lesson's owner, the case's handler and
    the staff involved): whole, and their capitalised parts. Words the published wording must not contain."""
    names = [p.name for p in (feedback.complainant, feedback.child) if p is not None]
    staff = User.objects.filter(Q(pk__in={lesson.owner_id, feedback.assignee_id} - {None}) | Q(involved_in=feedback))
    names += [u.get_full_name() for u in staff.distinct()]
    whole = [" ".join(name.split()) for name in names if name.strip()]
    parts = [
        part
        for name in whole
        for part in re.split(r"[\s,()]+", name)
        if len(part) >= 2 and part[0].isupper() and part.capitalize() not in _NOT_NAMES
    ]
    return list(dict.fromkeys(whole)), list(dict.fromkeys(parts))


def _require_nothing_identifying(feedback: Feedback, lesson: LessonLearnt, text: str) -> None:
    """A safety net under the person's judgement, not a substitute for it: refuse wording that contains
    the case's reference, a name from the case (a whole name in any case; a part of one as a whole word,
    as written or capitalised, so "Young" is refused but "young people" is not), an email address or a
    phone number."""

    def refuse(what: str) -> RuleViolation:
        return _refuse(f"Write it without {what}: the annual report is published.", PUBLISH_RULE, "report_text")

    def contains(word: str, flags: int = 0) -> bool:
        return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags) is not None

    if contains(feedback.reference, re.IGNORECASE):
        raise refuse("the case's reference")
    whole, parts = _names_on_case(feedback, lesson)
    for name in whole:
        if contains(name, re.IGNORECASE):
            raise refuse(f"“{name}”, a name from this case")
    for part in parts:
        for form in dict.fromkeys((part, part.capitalize())):
            if contains(form):
                raise refuse(f"“{form}”, a name from this case")
    if _EMAIL.search(text):
        raise refuse("an email address")
    if _PHONE.search(text):
        raise refuse("a phone number")


def _locked_lesson(lesson: LessonLearnt, expected_version: int | None) -> tuple[Feedback, LessonLearnt]:
    """Lock the case (optimistic locking on its version, as every change to a case) and then the lesson."""
    feedback = _lock(Feedback(pk=lesson.feedback_id), expected_version)
    return feedback, LessonLearnt.objects.select_for_update().get(pk=lesson.pk, feedback=feedback)


@transaction.atomic
def approve_lesson_for_report(
    *, actor: User, lesson: LessonLearnt, text: str, expected_version: int | None = None
) -> LessonLearnt:
    """Approve the wording the annual report will publish for this lesson learnt (or change it). The
    caseworker's own wording (`action`) stays as it is, internal; only this sentence is published."""
    _may_publish_lessons(actor)
    feedback, lesson = _locked_lesson(lesson, expected_version)
    text = " ".join((text or "").split())
    _require(bool(text), "Enter the wording for the annual report.", PUBLISH_RULE, "report_text")
    _require(
        len(text) <= MAX_LESSON_REPORT_TEXT,
        f"The wording for the annual report must be {MAX_LESSON_REPORT_TEXT} characters or fewer.",
        PUBLISH_RULE,
        "report_text",
    )
    _require_nothing_identifying(feedback, lesson, text)
    _require(
        not (lesson.in_report and lesson.report_text == text),
        "Nothing changed: that wording is already approved for the annual report.",
        "record a change once",
        "report_text",
    )
    changed = lesson.in_report
    lesson.report_text = text
    lesson.report_approved_by = actor
    lesson.report_approved_at = _now()
    lesson.save(update_fields=["report_text", "report_approved_by", "report_approved_at"])
    _save(feedback)
    # The wording approved is kept in the event (internal): the audit shows exactly what was published.
    _event(
        feedback,
        actor,
        "lesson_report_text_approved",
        f"Lesson learnt: {'new ' if changed else ''}wording approved for the annual report",
        data={"lesson": lesson.pk, "replaced": changed},
        reason=text,
    )
    return lesson


@transaction.atomic
def withdraw_lesson_from_report(
    *, actor: User, lesson: LessonLearnt, expected_version: int | None = None
) -> LessonLearnt:
    """Take a lesson learnt out of the annual report: its approved wording is cleared (the event that
    approved it keeps it), and the report no longer shows it."""
    _may_publish_lessons(actor)
    feedback, lesson = _locked_lesson(lesson, expected_version)
    _require(lesson.in_report, "That lesson learnt is not in the annual report.", "record a change once", "lesson")
    lesson.report_text = ""
    lesson.report_approved_by = None
    lesson.report_approved_at = None
    lesson.save(update_fields=["report_text", "report_approved_by", "report_approved_at"])
    _save(feedback)
    _event(
        feedback,
        actor,
        "lesson_report_text_withdrawn",
        "Lesson learnt: taken out of the annual report",
        data={"lesson": lesson.pk},
    )
    return lesson


# ------------------------------------------------------------------------------------ restrictions


@transaction.atomic
def apply_restriction(
    *,
    actor: User,
    person: Person,
    terms: str,
    reason: str,
    warned_on: date,
    approved_by: User,
    starts_on: date,
    review_on: date,
) -> Restriction:
    """Unreasonable behaviour: approved by a director, notified beforehand, reviewed on a date."""
    _require(
        approved_by.role == User.Role.DIRECTOR,
        f"{approved_by} is not a director.",
        "restrictions are approved by a service director (unreasonable behaviour policy)",
        "approved_by",
    )
    _require(bool(terms.strip()), "Say what the restriction is.", "restrictions", "terms")
    _require_reason(reason, "restrictions are recorded with their reason")
    _require(
        warned_on < starts_on,
        "The person must be told before the restriction starts.",
        "the person is warned before a restriction applies (Blackpool 13.02)",
        "warned_on",
    )
    _require(
        review_on > starts_on, "The review date must be after the start.", "restrictions are reviewed", "review_on"
    )
    restriction = Restriction.objects.create(
        person=person,
        terms=terms.strip(),
        reason=reason,
        warned_on=warned_on,
        approved_by=approved_by,
        starts_on=starts_on,
        review_on=review_on,
    )
    _event(
        None,
        actor,
        "restriction_applied",
        f"Contact restricted until review on {review_on:%d %B %Y}",
        person=person,
        reason=reason,
    )
    return restriction


@transaction.atomic
def lift_restriction(*, actor: User, restriction: Restriction, on: date, reason: str) -> Restriction:
    _require(restriction.lifted_on is None, "The restriction was already lifted.", "lift once")
    _require_reason(reason, "lifting a restriction is recorded with its reason")
    restriction.lifted_on = on
    restriction.save(update_fields=["lifted_on"])
    _event(None, actor, "restriction_lifted", "Restriction lifted", person=restriction.person, reason=reason)
    return restriction


def restrictions_in_force(person: Person, on: date) -> list[Restriction]:
    return list(person.restrictions.filter(starts_on__lte=on, lifted_on__isnull=True))


# ----------------------------------------------------------------------------- informal resolutions

# Recording one is logging feedback: the same roles (heard.staff.access "log"), which a test checks.
INFORMAL_RESOLUTION_RECORDERS = frozenset({User.Role.CUSTOMER_RELATIONS, User.Role.COMPLAINTS_MANAGER})
MAX_INFORMAL_SUMMARY = 500
INFORMAL_RULE = (
    "informal resolution: a concern put right within 24 hours of first contact is counted, not "
    "logged as a formal complaint (Blackpool procedure 11.1)"
)


@transaction.atomic
def record_informal_resolution(
    *,
    actor: User | None,
    received_on: date,
    resolved_on: date,
    service: Service,
    team: Team | None = None,
    theme: Theme | None = None,
    channel: str,
    summary: str,
    idempotency_key: str | None = None,
    today: date | None = None,
) -> InformalResolution:
    """Record a concern put right within 24 hours at first contact. It is counted in the annual report and is
    not a complaint: no reference, no person, no clock (ADR 0010). Later than the day after first contact, it
    is a complaint and is logged as one. With an idempotency key, a repeated submission returns the first
    record (marked duplicate_submission)."""
    today = _today(today)
    _require(
        actor is not None and actor.role in INFORMAL_RESOLUTION_RECORDERS,
        "Only customer relations or the complaints manager record a concern resolved informally.",
        "who may log feedback (heard.staff.access: log)",
    )
    if idempotency_key:
        existing = InformalResolution.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            existing.duplicate_submission = True  # type: ignore[attr-defined]
            return existing
    _require(
        channel in Feedback.Channel.values and channel != Feedback.Channel.IMPORTED,
        "Select how the concern reached us.",
        "channels",
        "channel",
    )
    _not_future(received_on, today, "received_on")
    _not_future(resolved_on, today, "resolved_on")
    _not_before(resolved_on, received_on, "first contact", "resolved_on")
    _require(
        (resolved_on - received_on).days <= 1,
        f"It was put right {(resolved_on - received_on).days} days after first contact "
        f"({received_on.day} {received_on:%B %Y}): "
        "an informal resolution is put right within 24 hours, on the day of first contact or the next. "
        "Log it as a complaint instead.",
        INFORMAL_RULE,
        "resolved_on",
    )
    if team is not None:
        _require(
            team.service_id == service.pk,
            f"{team.name} is not a team of {service.name}.",
            "teams belong to services",
            "team",
        )
    summary = (summary or "").strip()
    _require(bool(summary), "Enter what was put right.", INFORMAL_RULE, "summary")
    _require(
        len(summary) <= MAX_INFORMAL_SUMMARY,
        f"What was put right must be {MAX_INFORMAL_SUMMARY} characters or fewer.",
        INFORMAL_RULE,
        "summary",
    )
    try:
        # A concurrent submission with the same key may commit first: the unique index makes this insert wait
        # for it and then fail, and the loser returns the winner's record.
        with transaction.atomic():
            resolution = InformalResolution.objects.create(
                received_on=received_on,
                resolved_on=resolved_on,
                service=service,
                team=team,
                theme=theme,
                channel=channel,
                summary=summary,
                recorded_by=actor,
                idempotency_key=idempotency_key or None,
            )
    except IntegrityError:
        existing = (
            InformalResolution.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        )
        if existing is None:
            raise
        existing.duplicate_submission = True  # type: ignore[attr-defined]
        return existing
    # No case and no person: the event names the record. What was put right stays on the record (internal).
    _event(
        None,
        actor,
        "informal_resolution_recorded",
        f"Concern resolved informally ({service.name}): first contact {received_on:%d %B %Y}, "
        f"put right {resolved_on:%d %B %Y}",
        data={
            "informal_resolution": resolution.pk,
            "received_on": received_on,
            "resolved_on": resolved_on,
            "service": service.name,
            "channel": channel,
        },
    )
    return resolution


# ----------------------------------------------------------------------------------- the calendar


def add_non_working_day(*, actor: User | None, day: date, name: str, kind: str) -> int:
    """Add a newly announced bank holiday or a closure day, and move every open deadline it affects.
    Returns how many deadlines moved."""
    from heard.organisation.models import NonWorkingDay

    _require(bool(name.strip()), "Give the day a name.", "calendar", "name")
    _require(kind in NonWorkingDay.Kind.values, f"Unknown kind of day {kind!r}.", "calendar", "kind")
    with transaction.atomic():
        _require(
            not clock.working_calendar().why_not_working(day),
            f"{day:%a %d %b %Y} is already not a working day ({clock.working_calendar().why_not_working(day)}).",
            "calendar",
            "day",
        )
        NonWorkingDay.objects.create(date=day, name=name.strip(), kind=kind)
        moved = clock.recompute_open_deadlines(affected=day)
        _event(
            None,
            actor,
            "calendar_changed",
            f"{NonWorkingDay.Kind(kind).label} added: {day:%d %B %Y} {name}",
            data={"moved": moved},
        )
    return moved


def window_end(feedback: Feedback, step: str) -> date | None:
    deadline = Deadline.objects.filter(feedback=feedback, step=step).order_by("-id").first()
    return deadline.due_on if deadline else None
