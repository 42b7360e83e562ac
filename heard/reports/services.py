"""Writes for the report: the words staff write for each year's sections. Same style as
heard.feedback.services: keyword-only, an actor, one transaction, refuse before writing, an Event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.feedback.services import RuleViolation, _event
from heard.reports.models import ReportNarrative

MAX_NARRATIVE = 20_000
# The complaints manager writes the report (Getting the Best from Complaints, 2006: the complaints
# manager compiles the annual report); the director reads it before it is published.
WRITERS = {User.Role.COMPLAINTS_MANAGER}


@transaction.atomic
def save_narrative(*, actor: User, year: int, section: str, text: str) -> ReportNarrative:
    """Save the words for one section of one year's report. Figures are never typed here."""
    if actor is None or actor.role not in WRITERS:
        raise RuleViolation(
            "Only the complaints manager writes the annual report's words.",
            rule="the complaints manager compiles the annual report",
        )
    if section not in ReportNarrative.Section.values:
        raise RuleViolation(f"There is no report section {section!r}.", rule="report sections", field="section")
    if not 2000 <= year <= 2100:
        raise RuleViolation("Choose a financial year between 2000/01 and 2100/01.", rule="report years", field="year")
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > MAX_NARRATIVE:
        raise RuleViolation(
            f"The words for a section must be {MAX_NARRATIVE:,} characters or less.",
            rule="report sections",
            field="text",
        )
    narrative, created = ReportNarrative.objects.select_for_update().get_or_create(
        year=year, section=section, defaults={"text": text, "updated_by": actor, "updated_at": timezone.now()}
    )
    before = "" if created else narrative.text
    if not created:
        narrative.text = text
        narrative.updated_by = actor
        narrative.updated_at = timezone.now()
        narrative.save(update_fields=["text", "updated_by", "updated_at"])
    # The event records which words changed, not the words (they are in the narrative itself).
    _event(
        None,
        actor,
        "report_narrative_saved",
        f"Annual report {narrative}: words saved",
        data={"year": year, "section": section, "characters_before": len(before), "characters": len(text)},
    )
    return narrative
