"""The small, safe template language of letters, and the values its placeholders take from the record.

A template is plain text with `{placeholder}`s. Nothing else is interpreted: no tags, no attribute
access, no code, so an administrator who edits a template cannot run anything or reach data that is not
in PLACEHOLDERS. Every date and right comes from a Deadline row, a stage record or the rule book
(heard.feedback.clock), never from typed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from heard.feedback import clock
from heard.feedback.models import (
    Deadline,
    Extension,
    Feedback,
    OmbudsmanCase,
    PanelMember,
    PointFinding,
    Remedy,
    Restriction,
    ReviewPanel,
    Stage,
    Triage,
)
from heard.letters.models import LetterKind
from heard.procedure.rules import NoRuleInForce, UnknownProcedure, UnknownStep

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# The Ombudsman's own published contact details (LGSCO, "How to complain"); a fact, not a council setting.
OMBUDSMAN_CONTACT = (
    "Local Government and Social Care Ombudsman\nPhone: 0300 061 0614\nWebsite: www.lgo.org.uk/make-a-complaint"
)


@dataclass(frozen=True)
class Placeholder:
    description: str
    sample: str


P = Placeholder
PLACEHOLDERS: dict[str, Placeholder] = {
    # The council and the letter
    "reference": P("The case reference", "CS-2026-00042"),
    "council_name": P("The council's name", "Seaside Borough Council"),
    "council_phone": P("The council's phone number", "01234 567890"),
    "council_email": P("The council's email address", "customer.relations@example.gov.uk"),
    "recipient_name": P("Who the letter is to", "Jo Bloggs"),
    "sender_name": P("Who drafted the letter", "Alice Adams"),
    "sender_role": P("Their role", "Customer relations officer"),
    "service": P("The service the case is about", "Children's Social Care"),
    "received_date": P("The day we received it", "Monday 2 March 2026"),
    "procedure_name": P("The procedure that applies", "Children's statutory complaints procedure"),
    "advocacy_service": P("The advocacy service for children and young people", "the Children's Advocacy Service"),
    "ombudsman_contact": P("How to contact the Ombudsman", OMBUDSMAN_CONTACT),
    # Stage 1
    "points": P("The points of complaint, numbered", "1. Visits were cancelled without notice"),
    "stage1_due_date": P("When the stage 1 reply is due (with any extension)", "Monday 16 March 2026"),
    "stage1_working_days": P("Working days the rules allow for stage 1", "10"),
    "stage1_max_working_days": P("Most working days stage 1 may be extended to", "20"),
    "new_due_date": P("The new date after the latest extension", "Monday 30 March 2026"),
    "original_due_date": P("The date before the latest extension", "Monday 16 March 2026"),
    "extension_reason": P("Why the date moved (the recorded reason)", "Several teams are involved"),
    "points_and_findings": P("Each point with what we found", "1. Visits were cancelled without notice: upheld"),
    "outcome": P("The overall outcome of the stage", "partially upheld"),
    "response_date": P("The day we responded at this stage", "Tuesday 10 March 2026"),
    "response": P("The response recorded at this stage", "We are sorry that ..."),
    "remedies": P("What we will do to put things right", "- Apology"),
    "stage2_request_by": P("The last day to ask for stage 2", "Thursday 9 April 2026"),
    "stage2_request_working_days": P("Working days allowed to ask for stage 2", "20"),
    # Stage 2
    "statement_of_complaint": P("The agreed statement of complaint", "You are unhappy that ..."),
    "stage2_working_days": P("Working days the rules allow for stage 2", "25"),
    "stage2_max_working_days": P("Most working days stage 2 may be extended to", "65"),
    "stage2_due_date": P("When the stage 2 response is due", "Friday 1 May 2026"),
    "investigating_officer": P("The investigating officer", "Ian Irwin"),
    "independent_person": P("The independent person", "Pat Patel"),
    "adjudicating_officer": P("The adjudicating officer", "Erin Evans"),
    "stage3_request_by": P("The last day to ask for a review panel", "Thursday 28 May 2026"),
    "stage3_request_working_days": P("Working days allowed to ask for a review panel", "20"),
    # Stage 3
    "panel_date": P("The day the review panel meets", "Wednesday 10 June 2026"),
    "panel_venue": P("Where the review panel meets", "Town Hall, Committee Room 2"),
    "panel_members": P("The panel members, chair first", "Quinn Quayle (chair), Robin Reid, Tess Turner"),
    "panel_report_working_days": P("Working days the panel has to send its report", "5"),
    "panel_recommendations": P("The panel's recommendations", "Apologise and review the contact plan"),
    "director_response_working_days": P("Working days the director has to respond", "15"),
    "director_response_due": P("When the director's response is due", "Monday 6 July 2026"),
    "director_decision": P("Whether the director accepts the recommendations", "accepts the panel's recommendations"),
    "director_response": P("The director's response", "We accept the panel's recommendations"),
    # Compliments, comments and enquiries
    "compliment_or_comment": P("'compliment' or 'comment'", "compliment"),
    "enquiry_category": P("What the enquiry asked for", "request for information"),
    "enquiry_due_date": P("When the reply to the enquiry is due", "Monday 9 March 2026"),
    "enquiry_working_days": P("Working days allowed to reply", "5"),
    # Not considered; unreasonable behaviour
    "exclusion_reason": P(
        "Why the complaint cannot be considered under this procedure",
        "a court's decision or a court report (s.7 / s.37)",
    ),
    "sent_to": P("Where the person can go instead", "the court: seek legal advice"),
    "restriction_terms": P("What the restriction is", "Contact by email to one named officer only"),
    "restriction_starts": P("The day the restriction starts", "Monday 4 May 2026"),
    "restriction_review_date": P("The day it will be reviewed", "Wednesday 4 November 2026"),
}
del P


def long_date(d: date | None) -> str:
    """'Friday 13 March 2026', as letters print dates."""
    return f"{d:%A} {d.day} {d:%B %Y}" if d else ""


def placeholders_in(text: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def unknown_placeholders(text: str) -> list[str]:
    return [name for name in placeholders_in(text) if name not in PLACEHOLDERS]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each known `{placeholder}`; anything else is left exactly as written."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1)] if m.group(1) in values else m.group(0), text)


def sample_values() -> dict[str, str]:
    values = {name: p.sample for name, p in PLACEHOLDERS.items()}
    values.update(
        council_name=settings.HEARD_COUNCIL_NAME,
        council_phone=settings.HEARD_COUNCIL_PHONE,
        council_email=settings.HEARD_COUNCIL_EMAIL,
        advocacy_service=settings.HEARD_ADVOCACY_SERVICE,
    )
    return values


# ------------------------------------------------------------------------------ when a kind makes sense


def _stage(feedback: Feedback, number: int) -> Stage | None:
    return next((s for s in feedback.stages.all() if s.number == number), None)


def _restriction(feedback: Feedback) -> Restriction | None:
    if feedback.complainant_id is None:
        return None
    return (
        Restriction.objects.filter(person_id=feedback.complainant_id, lifted_on__isnull=True)
        .order_by("-starts_on")
        .first()
    )


def why_not(kind: str, feedback: Feedback) -> str | None:
    """Why this kind of letter makes no sense for the case as it stands, or None if it does."""
    K = LetterKind
    if kind not in K.values:
        return f"There is no letter of kind {kind!r}."
    complaint_kinds = {
        K.ACKNOWLEDGEMENT,
        K.STATEMENT_OF_COMPLAINT,
        K.INTERIM_UPDATE,
        K.STAGE1_RESPONSE,
        K.STAGE2_ACKNOWLEDGEMENT,
        K.STAGE2_RESPONSE,
        K.PANEL_INVITATION,
        K.DIRECTOR_RESPONSE,
        K.OMBUDSMAN_RIGHTS,
        K.NOT_CONSIDERED,
    }
    if kind in complaint_kinds and not feedback.is_complaint:
        return "This letter is about a complaint, and this case is not a complaint."
    if kind == K.THANKS and feedback.kind not in (Feedback.Kind.COMPLIMENT, Feedback.Kind.COMMENT):
        return "A thank-you letter answers a compliment or a comment."
    if kind == K.ENQUIRY_REPLY and not feedback.is_enquiry:
        return "This reply answers an MP's or councillor's enquiry."
    if kind in (K.BEHAVIOUR_WARNING, K.RESTRICTION) and feedback.complainant_id is None:
        return "There is no named person to write to."
    stage1, stage2 = _stage(feedback, 1), _stage(feedback, 2)
    panel = ReviewPanel.objects.filter(feedback=feedback).first() if feedback.is_complaint else None
    declined = feedback.status == Feedback.Status.DECLINED
    if declined and kind not in (K.NOT_CONSIDERED, K.BEHAVIOUR_WARNING, K.RESTRICTION):
        return "The complaint was not considered under this procedure: send the 'not considered' letter."
    if kind == K.ACKNOWLEDGEMENT and (feedback.stage != 1 or feedback.status == Feedback.Status.WITHDRAWN):
        return "The acknowledgement is sent at stage 1, while the complaint is open."
    if kind == K.STATEMENT_OF_COMPLAINT:
        if feedback.procedure != "statutory" or stage2 is None:
            return "A statement of complaint is agreed at stage 2 of the statutory procedure."
        if not feedback.points.exists():
            return "Record the points of complaint first: the statement lists them."
    if kind == K.INTERIM_UPDATE and _latest_extension(feedback) is None:
        return "An interim update gives a new date: extend the deadline first (with its reason)."
    if kind == K.STAGE1_RESPONSE and (stage1 is None or stage1.responded_on is None or stage1.outcome == "withdrawn"):
        return "Record the stage 1 response (a finding on each point) before writing the letter."
    if kind == K.STAGE2_ACKNOWLEDGEMENT and stage2 is None:
        return "The complainant has not asked for stage 2."
    if kind == K.STAGE2_RESPONSE and (stage2 is None or stage2.responded_on is None):
        return "Record the stage 2 response and adjudication before writing the letter."
    if kind == K.PANEL_INVITATION and (panel is None or panel.meeting_on is None):
        return "Arrange the review panel meeting (date and venue) first."
    if kind == K.DIRECTOR_RESPONSE and (panel is None or panel.director_responded_on is None):
        return "Record the director's response to the panel first."
    if kind == K.OMBUDSMAN_RIGHTS and not any(
        s.responded_on and s.outcome != "withdrawn" for s in feedback.stages.all()
    ):
        return "The right to go to the Ombudsman follows a response to the complaint."
    if kind == K.NOT_CONSIDERED:
        triage = Triage.objects.filter(feedback=feedback).first()
        if triage is None or not triage.exclusion:
            return "Record the decision not to consider the complaint (and where it goes instead) at triage."
    if kind == K.RESTRICTION and _restriction(feedback) is None:
        return "Record the restriction (approved by a director) before writing to the person about it."
    return None


def _latest_extension(feedback: Feedback) -> Extension | None:
    return (
        Extension.objects.filter(deadline__feedback=feedback, deadline__cancelled=False)
        .select_related("deadline")
        .order_by("-id")
        .first()
    )


# ------------------------------------------------------------------------------------------ the values


def _rule(feedback: Feedback, step: str):
    try:
        return clock.rule_for(feedback, step)
    except (UnknownStep, UnknownProcedure, NoRuleInForce):
        return None


def _days(feedback: Feedback, step: str, ceiling: bool = False) -> str:
    rule = _rule(feedback, step)
    if rule is None:
        return ""
    value = rule.extension_ceiling if ceiling else rule.working_days
    return "" if value is None else str(value)


def _due(deadlines: list[Deadline], step: str) -> str:
    found = [d for d in deadlines if d.step == step]
    return long_date(found[-1].due_on) if found else ""


def _findings(feedback: Feedback, stage: int) -> str:
    found = {f.point_id: f for f in PointFinding.objects.filter(point__feedback=feedback, stage=stage)}
    lines = []
    for p in feedback.points.all():
        f = found.get(p.pk)
        if f is None:
            continue
        text = f"{p.number}. {p.summary}: {f.get_finding_display().lower()}"
        if f.reason:
            text += f" ({f.reason})"
        lines.append(text)
    return "\n".join(lines)


def _remedies(feedback: Feedback, stage: int) -> str:
    lines = []
    for r in Remedy.objects.filter(feedback=feedback, stage=stage).order_by("id"):
        text = f"- {r.get_kind_display()}"
        if r.amount is not None:
            text += f" of £{r.amount:,.2f}"
        if r.description:
            text += f": {r.description}"
        lines.append(text)
    return "\n".join(lines) or "- We have not found anything we need to put right."


def stage_for(kind: str, feedback: Feedback) -> int:
    if kind == LetterKind.STAGE1_RESPONSE:
        return 1
    if kind in (LetterKind.STAGE2_RESPONSE, LetterKind.STAGE2_ACKNOWLEDGEMENT, LetterKind.STATEMENT_OF_COMPLAINT):
        return 2
    return feedback.stage or 1


def values_for(feedback: Feedback, *, kind: str, sender) -> dict[str, str]:
    """Every placeholder's value for this case, from the record and the rule book."""
    deadlines = list(Deadline.objects.filter(feedback=feedback, cancelled=False).order_by("id"))
    complainant = feedback.complainant
    values: dict[str, str] = {name: "" for name in PLACEHOLDERS}
    try:
        procedure_name = clock.rulebook().get(feedback.procedure).title
    except UnknownProcedure:
        procedure_name = feedback.procedure
    values.update(
        reference=feedback.reference,
        council_name=settings.HEARD_COUNCIL_NAME,
        council_phone=settings.HEARD_COUNCIL_PHONE,
        council_email=settings.HEARD_COUNCIL_EMAIL,
        advocacy_service=settings.HEARD_ADVOCACY_SERVICE,
        ombudsman_contact=OMBUDSMAN_CONTACT,
        recipient_name=complainant.name if complainant else "Sir or Madam",
        sender_name=str(sender),
        sender_role=sender.get_role_display() if getattr(sender, "role", "") else "",
        service=str(feedback.service),
        received_date=long_date(feedback.received_on),
        procedure_name=procedure_name,
        points="\n".join(f"{p.number}. {p.summary}" for p in feedback.points.all()),
        compliment_or_comment=feedback.get_kind_display().lower()
        if feedback.kind in (Feedback.Kind.COMPLIMENT, Feedback.Kind.COMMENT)
        else "",
    )
    if feedback.is_enquiry:
        values.update(
            enquiry_category=feedback.get_enquiry_category_display().lower() if feedback.enquiry_category else "",
            enquiry_due_date=_due(deadlines, "enquiry_response"),
            enquiry_working_days=_days(feedback, "enquiry_response"),
        )
    if feedback.is_complaint:
        values.update(_complaint_values(feedback, kind, deadlines))
    restriction = _restriction(feedback) if kind in (LetterKind.RESTRICTION, LetterKind.BEHAVIOUR_WARNING) else None
    if restriction is not None:
        values.update(
            restriction_terms=restriction.terms,
            restriction_starts=long_date(restriction.starts_on),
            restriction_review_date=long_date(restriction.review_on),
        )
    return values


def _complaint_values(feedback: Feedback, kind: str, deadlines: list[Deadline]) -> dict[str, str]:
    v: dict[str, str] = {}
    stages = {
        s.number: s
        for s in feedback.stages.select_related("investigating_officer", "independent_person", "adjudicating_officer")
    }
    v.update(
        stage1_due_date=_due(deadlines, "stage1_response"),
        stage1_working_days=_days(feedback, "stage1_response"),
        stage1_max_working_days=_days(feedback, "stage1_response", ceiling=True),
        stage2_request_by=_due(deadlines, "stage2_request_window"),
        stage2_request_working_days=_days(feedback, "stage2_request_window"),
        stage2_working_days=_days(feedback, "stage2_response"),
        stage2_max_working_days=_days(feedback, "stage2_response", ceiling=True),
        stage2_due_date=_due(deadlines, "stage2_response"),
        stage3_request_by=_due(deadlines, "stage3_request_window"),
        stage3_request_working_days=_days(feedback, "stage3_request_window"),
        panel_report_working_days=_days(feedback, "panel_report"),
        director_response_working_days=_days(feedback, "director_response"),
        director_response_due=_due(deadlines, "director_response"),
    )
    number = stage_for(kind, feedback)
    stage = stages.get(number)
    if stage is not None:
        v.update(
            points_and_findings=_findings(feedback, number),
            remedies=_remedies(feedback, number),
            outcome=stage.get_outcome_display().lower() if stage.outcome else "",
            response_date=long_date(stage.responded_on),
            response=stage.response,
        )
    stage2 = stages.get(2)
    if stage2 is not None:
        v.update(
            statement_of_complaint=stage2.statement_of_complaint or v.get("points", ""),
            investigating_officer=str(stage2.investigating_officer or ""),
            independent_person=str(stage2.independent_person or ""),
            adjudicating_officer=str(stage2.adjudicating_officer or ""),
        )
    extension = _latest_extension(feedback)
    if extension is not None:
        v.update(
            new_due_date=long_date(extension.deadline.due_on),
            extension_reason=extension.reason,
            original_due_date=long_date(extension.deadline.original_due_on),
        )
    panel = ReviewPanel.objects.filter(feedback=feedback).first()
    if panel is not None:
        members = PanelMember.objects.filter(feedback=feedback).select_related("person")
        v.update(
            panel_date=long_date(panel.meeting_on),
            panel_venue=panel.venue or "to be confirmed: we will write to tell you",
            panel_members=", ".join(f"{m.person} (chair)" if m.is_chair else str(m.person) for m in members),
            panel_recommendations=panel.recommendations,
            director_response=panel.director_response,
            director_decision=(
                "accepts the panel's recommendations"
                if panel.director_agrees
                else "does not accept all of the panel's recommendations"
            )
            if panel.director_responded_on
            else "",
        )
    triage = Triage.objects.filter(feedback=feedback).first()
    if triage is not None and triage.exclusion:
        v.update(exclusion_reason=triage.get_exclusion_display(), sent_to=triage.sent_to)
    if OmbudsmanCase.objects.filter(feedback=feedback).exists():
        v["ombudsman_contact"] = OMBUDSMAN_CONTACT
    return v
