"""The few caseworker actions the casework UI needs that heard.feedback.services does not have, in its
style: keyword-only, an actor, one transaction, refuse before writing, an Event for every change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from heard.accounts.models import User
from heard.feedback.models import Feedback
from heard.feedback.services import RuleViolation, StaleRecord, _event, _lock, _save

T = TypeVar("T")
Kind = Feedback.Kind


@transaction.atomic
def with_version_check(feedback: Feedback, expected_version: int | None, change: Callable[[], T]) -> T:
    """Run a service that takes no expected_version only if the case is still at the version the form
    was shown with: the row is locked first, so no one can change it between the check and the write.
    A stale form changes nothing (optimistic locking)."""
    _lock(feedback, expected_version)
    return change()


@transaction.atomic
def select_compliment_for_report(
    *, actor: User, feedback: Feedback, selected: bool, expected_version: int | None = None
) -> Feedback:
    """Choose a compliment for the annual report's selection (the report prints a selection of them,
    never the complainant's details)."""
    feedback = _lock(feedback, expected_version)
    if feedback.kind != Kind.COMPLIMENT:
        raise RuleViolation(
            "Only a compliment can be chosen for the report's selection.",
            rule="the annual report prints a selection of compliments",
            field="selected",
        )
    if feedback.selected_for_report == selected:
        raise RuleViolation(
            f"Nothing changed: the compliment is already {'in' if selected else 'out of'} the report's selection.",
            rule="record a change once",
            field="selected",
        )
    feedback.selected_for_report = selected
    _save(feedback, "selected_for_report")
    _event(
        feedback,
        actor,
        "selected_for_report" if selected else "unselected_for_report",
        "Chosen for the annual report's compliments" if selected else "Taken out of the annual report's compliments",
        data={"before": not selected, "after": selected},
    )
    return feedback


@transaction.atomic
def categorise(
    *,
    actor: User,
    feedback: Feedback,
    compliment_source: str = "",
    enquiry_category: str = "",
    expected_version: int | None = None,
) -> Feedback:
    """Record a compliment's source (internal or external) or an enquiry's category: the annual report
    counts them by these."""
    feedback = _lock(feedback, expected_version)
    if feedback.kind == Kind.COMPLIMENT:
        if compliment_source not in Feedback.ComplimentSource.values:
            raise RuleViolation(
                "Select where the compliment came from",
                rule="compliments are internal or external",
                field="compliment_source",
            )
        field, value = "compliment_source", compliment_source
        label = Feedback.ComplimentSource(value).label
    elif feedback.is_enquiry:
        if enquiry_category not in Feedback.EnquiryCategory.values:
            raise RuleViolation("Select the category of enquiry", rule="enquiry categories", field="enquiry_category")
        field, value = "enquiry_category", enquiry_category
        label = Feedback.EnquiryCategory(value).label
    else:
        raise RuleViolation("Only compliments and enquiries have a category.", rule="categories")
    before: Any = getattr(feedback, field)
    setattr(feedback, field, value)
    _save(feedback, field)
    _event(
        feedback, actor, "categorised", f"Category: {label}", data={"field": field, "before": before, "after": value}
    )
    return feedback


__all__ = ["StaleRecord", "categorise", "select_compliment_for_report", "with_version_check"]
