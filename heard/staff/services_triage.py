"""Triage as one caseworker action: the triage decision, a safeguarding referral and the advocacy offer,
all or nothing.

The decisions are made on one page, so they are recorded in one transaction: if the procedure refuses
any of them (a representative without the child's consent, a referral with no one named), nothing of
the others is written either, and the refusal names the page's field it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from heard.accounts.models import User
from heard.feedback import services
from heard.feedback.models import Feedback
from heard.feedback.services import RuleViolation


@dataclass(frozen=True)
class SafeguardingDecision:
    referred_to: str
    referred_on: date
    reason: str


@dataclass(frozen=True)
class AdvocacyDecision:
    offered_on: date
    wanted: bool | None
    advocate: str = ""
    referred_on: date | None = None


@dataclass(frozen=True)
class TriageDecisions:
    complainant_role: str
    procedure: str
    procedure_reason: str
    sufficient_interest: bool | None = None
    sufficient_interest_reason: str = ""
    child_consent: str = ""
    learned_of_matter_on: date | None = None
    late_reason: str = ""
    late_reason_detail: str = ""
    exclusion: str = ""
    sent_to: str = ""
    safeguarding: SafeguardingDecision | None = None
    advocacy: AdvocacyDecision | None = None


def _prefixed(exc: RuleViolation, prefix: str, names: dict[str, str]) -> RuleViolation:
    """The same refusal, naming the triage page's field instead of the service's argument."""
    field = names.get(exc.field or "", f"{prefix}{exc.field}" if exc.field else None)
    return RuleViolation(exc.message, rule=exc.rule, field=field)


@transaction.atomic
def record_triage(
    *, actor: User, feedback: Feedback, decisions: TriageDecisions, on: date, expected_version: int | None
) -> Feedback:
    """Record every triage decision of one page, or none of them."""
    d = decisions
    feedback = services.triage(
        actor=actor,
        feedback=feedback,
        complainant_role=d.complainant_role,
        procedure=d.procedure,
        procedure_reason=d.procedure_reason,
        learned_of_matter_on=d.learned_of_matter_on,
        late_reason=d.late_reason,
        late_reason_detail=d.late_reason_detail,
        sufficient_interest=d.sufficient_interest,
        sufficient_interest_reason=d.sufficient_interest_reason,
        child_consent=d.child_consent,
        exclusion=d.exclusion,
        sent_to=d.sent_to,
        on=on,
        expected_version=expected_version,
    )
    # The later calls lock the same row again; the version has moved on by our own change, so they
    # check against the version triage left (nobody else can have changed it inside this transaction).
    if d.safeguarding is not None:
        try:
            feedback = services.flag_safeguarding(
                actor=actor,
                feedback=feedback,
                referred_to=d.safeguarding.referred_to,
                referred_on=d.safeguarding.referred_on,
                reason=d.safeguarding.reason,
                expected_version=feedback.version,
            )
        except RuleViolation as exc:
            raise _prefixed(exc, "safeguarding_", {"reason": "safeguarding_reason"}) from exc
    if d.advocacy is not None:
        try:
            feedback = services.record_advocacy(
                actor=actor,
                feedback=feedback,
                offered_on=d.advocacy.offered_on,
                wanted=d.advocacy.wanted,
                referred_on=d.advocacy.referred_on,
                advocate=d.advocacy.advocate,
                expected_version=feedback.version,
            )
        except RuleViolation as exc:
            raise _prefixed(exc, "advocacy_", {"wanted": "advocacy_wanted", "advocate": "advocate"}) from exc
    return feedback
