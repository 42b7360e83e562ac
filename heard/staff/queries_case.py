"""The case page's reads: everything on one case in a fixed number of queries, however long its
timeline or however many documents it has (each related table is one query, never one per row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from heard.feedback import clock
from heard.feedback.documents import DocumentKind
from heard.feedback.models import (
    Deadline,
    Document,
    Event,
    Extension,
    Feedback,
    LessonLearnt,
    OmbudsmanCase,
    PanelMember,
    Point,
    PointFinding,
    Remedy,
    Restriction,
    ReviewPanel,
    Stage,
    Suspension,
    Triage,
)
from heard.procedure import UnknownProcedure, UnknownStep

STARTS_AT = {
    "receipt": "the day it was received",
    "acknowledgement": "the acknowledgement",
    "stage1_response": "the stage 1 response",
    "stage2_request": "the day stage 2 was asked for",
    "stage2_acknowledgement": "the stage 2 acknowledgement",
    "statement_agreed": "the day the statement of complaint was agreed",
    "stage2_response": "the stage 2 response",
    "stage3_request": "the day the review panel was asked for",
    "stage3_acknowledgement": "the stage 3 acknowledgement",
    "panel_meeting": "the panel meeting",
    "panel_report": "the day the panel's report was received",
}
STATUS_COLOURS = {
    Feedback.Status.RECEIVED: "light-blue",
    Feedback.Status.OPEN: "blue",
    Feedback.Status.RESPONDED: "purple",
    Feedback.Status.SUSPENDED: "orange",
    Feedback.Status.CLOSED: "grey",
    Feedback.Status.WITHDRAWN: "grey",
    Feedback.Status.DECLINED: "grey",
}


@dataclass
class DeadlineRow:
    deadline: Deadline
    title: str
    state: str  # met, met_late, overdue, open, paused, cancelled, window
    state_label: str
    tag_colour: str
    starts: str
    explanation: str
    lines: list[str]
    citation: str
    extendable: bool
    extensions: list[Extension]


@dataclass
class PointRow:
    point: Point
    findings: list[PointFinding | None]  # one per CasePage.finding_stages


@dataclass
class CasePage:
    feedback: Feedback
    today: date
    stages: list[Stage]
    points: list[PointRow]
    deadlines: list[DeadlineRow]
    remedies: list[Remedy]
    lessons: list[LessonLearnt]
    panel_members: list[PanelMember]
    review_panel: ReviewPanel | None
    ombudsman: OmbudsmanCase | None
    documents: list[Document]
    events: list[Event]
    notes: list[Event]
    linked: list[Feedback]
    restrictions: list[Restriction]
    triage: Triage | None
    involved_staff: list
    suspensions: list[Suspension]
    other_services: list
    finding_stages: list[int] = field(default_factory=list)
    next_due: date | None = None  # the earliest open council deadline (clock.next_due)

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.feedback.status, "grey")

    @property
    def current_stage(self) -> Stage | None:
        return next((s for s in self.stages if s.number == self.feedback.stage), None)

    def stage(self, number: int) -> Stage | None:
        return next((s for s in self.stages if s.number == number), None)

    @property
    def open_deadlines(self) -> list[DeadlineRow]:
        return [d for d in self.deadlines if d.state in ("open", "overdue", "paused")]

    @property
    def current_deadlines(self) -> list[DeadlineRow]:
        """Running clocks, and the complainant's window to ask for the next stage while it is open."""
        return [
            d
            for d in self.deadlines
            if d.state in ("open", "overdue", "paused") or (d.state == "window" and d.deadline.due_on >= self.today)
        ]

    @property
    def past_deadlines(self) -> list[DeadlineRow]:
        current = {id(d) for d in self.current_deadlines}
        return [d for d in self.deadlines if id(d) not in current]

    @property
    def extendable_deadlines(self) -> list[DeadlineRow]:
        return [d for d in self.deadlines if d.extendable and d.state in ("open", "overdue")]

    @property
    def restrictions_in_force(self) -> list[Restriction]:
        return [r for r in self.restrictions if r.lifted_on is None and r.starts_on <= self.today]

    @property
    def restrictions_open(self) -> list[Restriction]:
        return [r for r in self.restrictions if r.lifted_on is None]

    @property
    def open_lessons(self) -> list[LessonLearnt]:
        return [x for x in self.lessons if x.completed_on is None]

    @property
    def open_remedies(self) -> list[Remedy]:
        return [r for r in self.remedies if r.completed_on is None]

    @property
    def unanswered_enquiries(self) -> list:
        return [e for e in self.ombudsman.enquiries.all() if e.answered_on is None] if self.ombudsman else []

    @property
    def outstanding_recommendations(self) -> list:
        return [r for r in self.ombudsman.recommendations.all() if r.complied_on is None] if self.ombudsman else []

    @property
    def procedure_title(self) -> str:
        try:
            return clock.rulebook().get(self.feedback.procedure).title
        except (UnknownProcedure, LookupError):
            return self.feedback.procedure

    @property
    def stages_allowed(self) -> int:
        try:
            return clock.rulebook().get(self.feedback.procedure).in_force_on(self.feedback.received_on).stages
        except (UnknownProcedure, LookupError):
            return 1


def case_page(feedback: Feedback, *, today: date) -> CasePage:
    fb = feedback
    stages = list(
        Stage.objects.filter(feedback=fb).select_related(
            "handler", "investigating_officer", "independent_person", "adjudicating_officer"
        )
    )
    points = list(Point.objects.filter(feedback=fb).prefetch_related("findings"))
    finding_stages = sorted({f.stage for p in points for f in p.findings.all()})
    deadlines = list(
        Deadline.objects.filter(feedback=fb)
        .order_by("starts_on", "id")
        .prefetch_related(
            Prefetch("extensions", queryset=Extension.objects.select_related("extended_by").order_by("id"))
        )
    )
    events_q = Q(feedback=fb)
    if fb.complainant_id:
        # Restrictions are on the person, not the case: show them in this case's timeline too.
        events_q |= Q(feedback__isnull=True, person_id=fb.complainant_id)
    events = list(Event.objects.filter(events_q).select_related("actor").order_by("at", "id"))
    ombudsman = OmbudsmanCase.objects.filter(feedback=fb).prefetch_related("enquiries", "recommendations").first()
    documents = list(Document.objects.filter(feedback=fb).select_related("uploaded_by").order_by("-uploaded_at", "-id"))
    for d in documents:
        d.kind_label = DocumentKind(d.kind).label if d.kind in DocumentKind.values else d.kind.capitalize()
    restrictions = (
        list(
            Restriction.objects.filter(person_id=fb.complainant_id).select_related("approved_by").order_by("-starts_on")
        )
        if fb.complainant_id
        else []
    )
    return CasePage(
        feedback=fb,
        today=today,
        stages=stages,
        points=[
            PointRow(p, [next((f for f in p.findings.all() if f.stage == n), None) for n in finding_stages])
            for p in points
        ],
        deadlines=_deadline_rows(fb, deadlines, today),
        remedies=list(Remedy.objects.filter(feedback=fb).order_by("stage", "id")),
        lessons=list(LessonLearnt.objects.filter(feedback=fb).select_related("owner").order_by("due_on", "id")),
        panel_members=list(PanelMember.objects.filter(feedback=fb).select_related("person")),
        review_panel=ReviewPanel.objects.filter(feedback=fb).first(),
        ombudsman=ombudsman,
        documents=documents,
        events=events,
        notes=[e for e in events if e.action == "note_added"],
        linked=list(fb.linked.all().only("id", "reference", "kind", "status", "received_on")),
        restrictions=restrictions,
        triage=Triage.objects.filter(feedback=fb).select_related("decided_by").first(),
        involved_staff=list(fb.involved_staff.all()),
        suspensions=list(Suspension.objects.filter(feedback=fb).order_by("started_on")),
        other_services=list(fb.other_services.all()),
        finding_stages=finding_stages,
        next_due=min(
            (d.due_on for d in deadlines if d.is_open and not d.window and d.paused_since is None), default=None
        ),
    )


def _deadline_rows(fb: Feedback, deadlines: list[Deadline], today: date) -> list[DeadlineRow]:
    if not deadlines:
        return []
    calendar = clock.working_calendar()
    book = clock.rulebook()
    rows = []
    for d in deadlines:
        try:
            version = book.get(d.procedure).in_force_on(fb.received_on)
            step = version.step(d.step)
            title, counting, extendable, starts = (
                step.title,
                version.counting,
                step.extension_ceiling is not None,
                step.starts_at,
            )
        except (UnknownProcedure, UnknownStep, LookupError):
            title, counting, extendable, starts = d.step.replace("_", " ").capitalize(), None, False, ""
        days = d.working_days + d.paused_days
        explanation = calendar.explain(d.starts_on, days, counting) if counting else calendar.explain(d.starts_on, days)
        # The calendar words every start as "received"; the page says what the clock counts from.
        text = explanation.text.removeprefix("received ")
        if d.paused_days:
            text += f" (includes {d.paused_days} working days suspended)"
        state, label, colour = _state(d, today)
        rows.append(
            DeadlineRow(
                deadline=d,
                title=title,
                state=state,
                state_label=label,
                tag_colour=colour,
                starts=STARTS_AT.get(starts, starts.replace("_", " ")),
                explanation=text,
                lines=explanation.lines(),
                citation=d.citation,
                extendable=extendable,
                extensions=list(d.extensions.all()),
            )
        )
    return rows


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _state(d: Deadline, today: date) -> tuple[str, str, str]:
    if d.cancelled:
        return "cancelled", "No longer applies", "grey"
    if d.met_on is not None:
        if d.window:
            return "met", f"Asked on {_day(d.met_on)}", "green"
        if d.met_on <= d.due_on:
            return "met", f"Met on {_day(d.met_on)}", "green"
        return "met_late", f"Met late, on {_day(d.met_on)}", "orange"
    if d.paused_since is not None:
        return "paused", "Paused while suspended", "grey"
    if d.window:
        return ("window", "Time to ask has passed", "grey") if d.due_on < today else ("window", "Time to ask", "blue")
    if d.due_on < today:
        return "overdue", "Overdue", "red"
    return "open", "Due", "yellow" if d.due_on == today else "blue"


def extendable_deadlines(feedback: Feedback) -> list[tuple[str, str]]:
    """The open council deadlines whose rule allows an extension, as (step, label) for the form."""
    book = clock.rulebook()
    out = []
    for d in Deadline.objects.filter(
        feedback=feedback, met_on__isnull=True, cancelled=False, window=False, paused_since__isnull=True
    ).order_by("due_on"):
        try:
            step = book.get(d.procedure).in_force_on(feedback.received_on).step(d.step)
        except (UnknownProcedure, UnknownStep, LookupError):
            continue
        if step.extension_ceiling is not None:
            out.append(
                (
                    d.step,
                    f"{step.title}: due {_day(d.due_on)} ({d.working_days} working days; "
                    f"up to {step.extension_ceiling} allowed)",
                )
            )
    return out
