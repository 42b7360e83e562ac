"""Every change to a letter or a letter template: draft, edit, ask for approval, approve (PDF and DOCX
saved on the case, emailed if the person prefers email), record as posted.

Same style as heard.feedback.services: keyword-only, a required actor, one transaction, an Event on the
case, and RuleViolation naming the rule before anything is written.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.feedback.models import Feedback, Person
from heard.feedback.services import RuleViolation, _event
from heard.letters import placeholders as ph
from heard.letters.defaults import DEFAULT_TEMPLATES
from heard.letters.models import Letter, LetterKind, LetterTemplate
from heard.letters.rendering import render_docx, render_pdf
from heard.outbox.services import enqueue_email
from heard.staff.access import LETTER_APPROVERS

Status = Letter.Status
APPROVERS = LETTER_APPROVERS  # complaints managers, service managers and the director (heard.staff.access)
FOUR_EYES = "four eyes: a letter is approved by a manager who did not draft or last edit it"
# Bracketed instructions in the default wording ("[Write the reply here.]") must be replaced before sending.
INSTRUCTION = re.compile(r"\[[A-Z][^\]]{3,}\]")


class StaleLetter(RuleViolation):
    def __init__(self) -> None:
        super().__init__(
            "This letter changed while you were editing. Nothing was saved: reload the page to see the latest "
            "version, then make your change again.",
            rule="optimistic locking: changes are made to the latest version only",
            field="body",
        )


def _refuse(message: str, rule: str, field: str | None = None) -> RuleViolation:
    return RuleViolation(message, rule=rule, field=field)


def _lock(letter: Letter, expected_version: int | None = None) -> Letter:
    # of=("self",): PostgreSQL cannot lock the nullable side of an outer join (a case with no complainant).
    locked = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("feedback", "feedback__complainant")
        .get(pk=letter.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleLetter()
    return locked


def template_for(kind: str) -> LetterTemplate:
    """The council's template, or the shipped default if it was never loaded (a fresh test database)."""
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        title, body = DEFAULT_TEMPLATES[kind]
        template = LetterTemplate(kind=kind, title=title, body=body)
    return template


def available_kinds(feedback: Feedback) -> list[tuple[str, str]]:
    """The kinds of letter that make sense for this case now, as (value, label)."""
    return [(k.value, k.label) for k in LetterKind if ph.why_not(k.value, feedback) is None]


# ---------------------------------------------------------------------------------------------- letters


@transaction.atomic
def draft_letter(*, actor: User, feedback: Feedback, kind: str, today: date, large_print: bool = False) -> Letter:
    """Write a draft from the template and the record. Refused when the letter makes no sense for the case
    as it stands (e.g. a stage 1 response letter before the stage 1 response is recorded)."""
    feedback = Feedback.objects.select_related("complainant", "service").get(pk=feedback.pk)
    reason = ph.why_not(kind, feedback)
    if reason is not None:
        raise _refuse(reason, "letters follow the record: each letter is written at its step of the procedure", "kind")
    template = template_for(kind)
    values = ph.values_for(feedback, kind=kind, sender=actor)
    person: Person | None = feedback.complainant
    letter = Letter.objects.create(
        feedback=feedback,
        kind=kind,
        title=ph.fill(template.title, values),
        body=ph.fill(template.body, values),
        large_print=large_print,
        recipient_name=person.name if person else "",
        recipient_address=person.address if person else "",
        drafted_by=actor,
        drafted_on=today,
        last_edited_by=actor,
    )
    _event(
        feedback,
        actor,
        "letter_drafted",
        f"Letter drafted: {letter.get_kind_display()}",
        data={"letter": letter.pk, "kind": kind},
    )
    return letter


@transaction.atomic
def edit_letter(
    *,
    actor: User,
    letter: Letter,
    body: str,
    expected_version: int,
    title: str | None = None,
    large_print: bool | None = None,
) -> Letter:
    letter = _lock(letter, expected_version)
    if not letter.editable:
        raise _refuse(
            f"This letter is {letter.get_status_display().lower()} and can no longer be changed. "
            "Draft a new one if something needs to change.",
            "an approved letter is final",
            "body",
        )
    if not body.strip():
        raise _refuse("Enter the wording of the letter.", "a letter has wording", "body")
    if title is not None and not title.strip():
        raise _refuse("Enter the letter's heading.", "a letter has a heading", "title")
    letter.body = body.strip().replace("\r\n", "\n")
    if title is not None:
        letter.title = title.strip()
    if large_print is not None:
        letter.large_print = large_print
    # Any edit sends the letter back to draft: the approver must see the wording they approve.
    letter.status = Status.DRAFT
    letter.last_edited_by = actor
    letter.version += 1
    letter.save(update_fields=["body", "title", "large_print", "status", "last_edited_by", "version"])
    _event(
        letter.feedback,
        actor,
        "letter_edited",
        f"Letter edited: {letter.get_kind_display()}",
        data={"letter": letter.pk},
    )
    return letter


@transaction.atomic
def submit_letter(*, actor: User, letter: Letter, expected_version: int | None = None) -> Letter:
    """Ask a manager to approve the letter."""
    letter = _lock(letter, expected_version)
    if letter.status != Status.DRAFT:
        raise _refuse(f"This letter is {letter.get_status_display().lower()}.", "only a draft is sent for approval")
    _check_ready(letter)
    letter.status = Status.AWAITING_APPROVAL
    letter.version += 1
    letter.save(update_fields=["status", "version"])
    _event(
        letter.feedback,
        actor,
        "letter_submitted",
        f"Letter sent for approval: {letter.get_kind_display()}",
        data={"letter": letter.pk},
    )
    return letter


def _check_ready(letter: Letter) -> None:
    left = INSTRUCTION.findall(letter.body)
    if left:
        raise _refuse(
            f"Replace the instruction {left[0]} with your own words first.",
            "a letter is sent without instructions left in it",
            "body",
        )


@transaction.atomic
def approve_letter(*, actor: User, letter: Letter, today: date, expected_version: int | None = None) -> Letter:
    """A manager approves: the final letter is saved on the case as PDF and DOCX, and emailed (in this same
    transaction, through the outbox) if the person prefers email."""
    letter = _lock(letter, expected_version)
    if letter.status != Status.AWAITING_APPROVAL:
        raise _refuse(
            "Only a letter waiting for approval can be approved."
            if letter.status == Status.DRAFT
            else f"This letter is already {letter.get_status_display().lower()}.",
            "draft, then approval, then sending",
        )
    if actor.role not in APPROVERS:
        raise _refuse(
            f"{actor} cannot approve letters: a complaints manager, service manager or director does.", FOUR_EYES
        )
    if actor.pk in (letter.drafted_by_id, letter.last_edited_by_id):
        raise _refuse("You drafted or last changed this letter, so someone else must approve it.", FOUR_EYES)
    _check_ready(letter)
    feedback = letter.feedback
    letter.status = Status.APPROVED
    letter.approved_by = actor
    letter.approved_at = timezone.now()
    letter.letter_date = today
    stem = f"{feedback.reference}-{letter.kind}-{letter.pk}"
    letter.pdf.save(f"{stem}.pdf", ContentFile(render_pdf(letter)), save=False)
    letter.docx.save(f"{stem}.docx", ContentFile(render_docx(letter)), save=False)
    letter.version += 1
    _event(
        feedback,
        actor,
        "letter_approved",
        f"Letter approved: {letter.get_kind_display()}",
        data={"letter": letter.pk, "kind": letter.kind},
    )
    person = feedback.complainant
    if person is not None and person.email and person.preferred_contact == Person.Contact.EMAIL:
        # Never personal data in a subject line: the reference only.
        enqueue_email(
            to=person.email,
            subject=f"{letter.title} – reference {feedback.reference}",
            body=email_body(letter),
            idempotency_key=f"letter:{letter.pk}",
            template=f"letter:{letter.kind}",
            feedback=feedback,
        )
        letter.status = Status.SENT
        letter.sent_on = today
        letter.sent_by = "email"
        _event(
            feedback,
            actor,
            "letter_sent",
            f"Letter emailed: {letter.get_kind_display()}",
            data={"letter": letter.pk, "by": "email"},
        )
    letter.save()
    return letter


def email_body(letter: Letter) -> str:
    from django.conf import settings

    return (
        f"{letter.body}\n\n--\n{settings.HEARD_COUNCIL_NAME}\nReference: {letter.feedback.reference}\n"
        f"Date: {ph.long_date(letter.letter_date)}\n"
    )


@transaction.atomic
def record_letter_posted(*, actor: User, letter: Letter, on: date) -> Letter:
    letter = _lock(letter)
    if letter.status != Status.APPROVED:
        raise _refuse(
            "Only an approved letter can be posted."
            if letter.status != Status.SENT
            else "This letter was already sent.",
            "draft, then approval, then sending",
        )
    assert letter.letter_date is not None
    if on < letter.letter_date:
        raise _refuse("A letter cannot be posted before its date.", "dates in order", "on")
    letter.status = Status.SENT
    letter.sent_on = on
    letter.sent_by = "post"
    letter.version += 1
    letter.save(update_fields=["status", "sent_on", "sent_by", "version"])
    _event(
        letter.feedback,
        actor,
        "letter_sent",
        f"Letter posted: {letter.get_kind_display()}",
        data={"letter": letter.pk, "by": "post"},
    )
    return letter


# ------------------------------------------------------------------------------------------- templates


def check_template(*, title: str, body: str) -> list[str]:
    """The unknown placeholders in a template (by name), each only once."""
    return list(dict.fromkeys(ph.unknown_placeholders(title) + ph.unknown_placeholders(body)))


def preview_template(*, title: str, body: str) -> tuple[str, str]:
    """The template filled with example values (never a real case's data)."""
    values = ph.sample_values()
    return ph.fill(title, values), ph.fill(body, values)


@transaction.atomic
def update_template(
    *, actor: User, kind: str, title: str, body: str, expected_version: int | None = None
) -> LetterTemplate:
    if kind not in LetterKind.values:
        raise _refuse(f"There is no letter of kind {kind!r}.", "letter kinds", "kind")
    if not title.strip():
        raise _refuse("Enter the letter's heading.", "a letter has a heading", "title")
    if not body.strip():
        raise _refuse("Enter the wording of the letter.", "a letter has wording", "body")
    unknown = check_template(title=title, body=body)
    if unknown:
        names = ", ".join("{" + n + "}" for n in unknown)
        raise _refuse(
            f"These placeholders do not exist: {names}. Use only the placeholders listed.",
            "every placeholder is filled from the record",
            "body",
        )
    template, created = LetterTemplate.objects.select_for_update().get_or_create(
        kind=kind, defaults={"title": title.strip(), "body": body.strip(), "updated_by": actor}
    )
    if not created:
        if expected_version is not None and template.version != expected_version:
            raise _refuse(
                "Someone else changed this template while you were editing. Nothing was saved: "
                "reload the page and make your change again.",
                "optimistic locking: changes are made to the latest version only",
                "body",
            )
        template.title, template.body, template.updated_by = title.strip(), body.strip().replace("\r\n", "\n"), actor
        template.version += 1
        template.save()
    _event(
        None,
        actor,
        "letter_template_changed",
        f"Letter template changed: {template.get_kind_display()}",
        data={"kind": kind, "version": template.version},
    )
    return template


@transaction.atomic
def reset_template(*, actor: User, kind: str) -> LetterTemplate:
    title, body = DEFAULT_TEMPLATES[kind]
    current = LetterTemplate.objects.filter(kind=kind).first()
    return update_template(
        actor=actor, kind=kind, title=title, body=body, expected_version=current.version if current else None
    )
