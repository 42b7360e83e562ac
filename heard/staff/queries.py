"""The staff pages' reads: the work queue, search, possible duplicates and the audit trail.

Every read starts from `visible_feedback(user)` (deny by default), and each page costs a fixed number of
queries however many cases there are: the work queue reads the open cases' few fields in one query, the rows
shown in a second and their deadlines in a third; a search reads its page with the total in one. Tests hold
the counts at two sizes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)

from heard.accounts.models import User
from heard.feedback import clock
from heard.feedback.models import Deadline, Event, Feedback, PanelMember, Person, Stage
from heard.organisation.models import Service, Theme
from heard.procedure import Explanation
from heard.staff.access import visible_feedback
from heard.staff.models import AccessRecord

Status = Feedback.Status
OPEN_STATUSES = Feedback.OPEN_STATUSES
# "Due soon": within this many working days from today (issue 3: due within 3 working days).
DUE_SOON_WORKING_DAYS = 3
SECTION_PAGE_SIZE = 10
SEARCH_PAGE_SIZE = 25

ROW_FIELDS = ("service", "assignee")


# ------------------------------------------------------------------------------------------ deadlines


@dataclass(frozen=True)
class DeadlineView:
    """A deadline as the staff pages show it: its date, what it is for, and how it was worked out."""

    step: str
    title: str
    due_on: date
    citation: str
    explanation: Explanation
    paused_days: int
    extended: bool

    @property
    def explanation_text(self) -> str:
        return self.explanation.text

    @property
    def explanation_lines(self) -> list[str]:
        return self.explanation.lines()


def deadline_view(deadline: Deadline, received_on: date, calendar=None, book=None) -> DeadlineView:
    """Explain a stored deadline from its rule, its start and the calendar. Pass the calendar and rule
    book when explaining many: each costs a query to check it is current."""
    book = book or clock.rulebook()
    calendar = calendar or clock.working_calendar()
    version = book.get(deadline.procedure).in_force_on(received_on)
    try:
        title = version.step(deadline.step).title
    except Exception:  # a step retired from the pack since: the key still says what it was
        title = deadline.step.replace("_", " ").capitalize()
    explanation = calendar.explain(deadline.starts_on, deadline.working_days + deadline.paused_days, version.counting)
    return DeadlineView(
        step=deadline.step,
        title=title,
        due_on=deadline.due_on,
        citation=deadline.citation,
        explanation=explanation,
        paused_days=deadline.paused_days,
        extended=deadline.working_days > deadline.rule_working_days,
    )


def _next_deadlines(cases: Iterable[Feedback]) -> dict[int, DeadlineView]:
    """The deadline behind each case's next date (its earliest open council deadline): one query."""
    by_id = {fb.pk: fb for fb in cases if fb.next_due is not None}
    if not by_id:
        return {}
    out: dict[int, DeadlineView] = {}
    calendar, book = clock.working_calendar(), clock.rulebook()
    rows = Deadline.objects.filter(
        clock.OPEN_COUNCIL_DEADLINE, feedback_id__in=list(by_id), paused_since__isnull=True
    ).order_by("feedback_id", "due_on", "id")
    for deadline in rows:
        if deadline.feedback_id not in out:
            out[deadline.feedback_id] = deadline_view(deadline, by_id[deadline.feedback_id].received_on, calendar, book)
    return out


# ------------------------------------------------------------------------------------------ the queue


@dataclass(frozen=True)
class QueueFilters:
    service: Service | None = None
    kind: str = ""
    stage: int | None = None
    assignee: User | None = None

    @property
    def used(self) -> list[str]:
        return [name for name in ("service", "kind", "stage", "assignee") if getattr(self, name) not in (None, "")]


@dataclass
class QueueRow:
    case: Feedback
    deadline: DeadlineView | None


@dataclass
class QueueSection:
    key: str
    title: str
    description: str
    total: int
    page: Page
    rows: list[QueueRow] = field(default_factory=list)


@dataclass
class WorkQueue:
    today: date
    due_soon_until: date
    sections: list[QueueSection]
    by_stage: list[dict]
    by_kind: list[dict]
    open_total: int


def _filtered(user: User, filters: QueueFilters) -> QuerySet[Feedback]:
    qs = visible_feedback(user).filter(status__in=OPEN_STATUSES)
    if filters.service is not None:
        qs = qs.filter(service=filters.service)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.stage is not None:
        qs = qs.filter(stage=filters.stage)
    if filters.assignee is not None:
        qs = qs.filter(assignee=filters.assignee)
    return qs


def _mine(user: User) -> Q:
    """Cases given to this user, or that they were appointed to (investigating officer, adjudicator,
    independent person, panel member)."""
    appointed = Stage.objects.filter(
        Q(investigating_officer=user) | Q(independent_person=user) | Q(adjudicating_officer=user),
        feedback_id=OuterRef("pk"),
    )
    on_panel = PanelMember.objects.filter(person=user, feedback_id=OuterRef("pk"))
    return Q(assignee=user) | Q(Exists(appointed)) | Q(Exists(on_panel))


@dataclass(frozen=True)
class _OpenCase:
    pk: int
    kind: str
    status: str
    stage: int | None
    assignee_id: int | None
    received_on: date
    next_due: date | None
    mine: bool

    @property
    def order(self) -> tuple:
        # Next date first (none last), then the oldest: the order of every section.
        return (self.next_due is None, self.next_due or self.received_on, self.received_on, self.pk)


def _sections(today: date, due_soon_until: date):
    """Each section: its key, title, description and who belongs in it."""
    return [
        (
            "overdue",
            "Overdue",
            "A council deadline has passed.",
            lambda c: c.next_due is not None and c.next_due < today,
        ),
        (
            "due_soon",
            f"Due within {DUE_SOON_WORKING_DAYS} working days",
            f"Due today or by {due_soon_until:%-d %B %Y}.",
            lambda c: c.next_due is not None and today <= c.next_due <= due_soon_until,
        ),
        (
            "awaiting_acknowledgement",
            "Awaiting acknowledgement",
            "Complaints received but not yet acknowledged.",
            lambda c: c.kind == Feedback.Kind.COMPLAINT and c.status == Status.RECEIVED,
        ),
        (
            "awaiting_allocation",
            "Awaiting allocation",
            "Open cases not yet given to anyone.",
            lambda c: c.assignee_id is None and c.status != Status.SUSPENDED,
        ),
        ("mine", "My cases", "Open cases given to you or that you were appointed to.", lambda c: c.mine),
    ]


def work_queue(
    user: User, today: date, filters: QueueFilters | None = None, pages: dict[str, int] | None = None
) -> WorkQueue:
    """The staff home page: what needs doing now, with the deadline and its reasoning on every row.

    One query reads the few fields of every open case this user may see (a council has hundreds open
    among years closed), with its next date and whether it is theirs; the sections, their totals and the
    counts by stage and kind are drawn from that in Python, and only the rows shown are read in full."""
    filters = filters or QueueFilters()
    pages = pages or {}
    due_soon_until = clock.working_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
    cases = sorted(
        (
            _OpenCase(*row)
            for row in _filtered(user, filters)
            .annotate(next_due=clock.next_due(), mine=ExpressionWrapper(_mine(user), output_field=BooleanField()))
            .values_list("pk", "kind", "status", "stage", "assignee_id", "received_on", "next_due", "mine")
            .order_by()
        ),
        key=lambda c: c.order,
    )
    sections: list[QueueSection] = []
    for key, title, description, belongs in _sections(today, due_soon_until):
        members = [c for c in cases if belongs(c)]
        page = Paginator(members, SECTION_PAGE_SIZE).get_page(pages.get(key, 1))
        sections.append(QueueSection(key, title, description, len(members), page))
    shown = {c.pk: c for section in sections for c in section.page.object_list}
    rows = Feedback.objects.filter(pk__in=list(shown)).select_related(*ROW_FIELDS).in_bulk() if shown else {}
    for fb in rows.values():
        fb.next_due = shown[fb.pk].next_due
    deadlines = _next_deadlines(rows.values())
    for section in sections:
        section.rows = [QueueRow(rows[c.pk], deadlines.get(c.pk)) for c in section.page.object_list]

    by_stage: dict[int | None, int] = {}
    by_kind: dict[str, int] = {}
    for c in cases:
        if c.kind == Feedback.Kind.COMPLAINT:
            by_stage[c.stage] = by_stage.get(c.stage, 0) + 1
        by_kind[c.kind] = by_kind.get(c.kind, 0) + 1
    kind_labels = dict(Feedback.Kind.choices)
    return WorkQueue(
        today=today,
        due_soon_until=due_soon_until,
        sections=sections,
        by_stage=[{"stage": k, "n": v} for k, v in sorted(by_stage.items(), key=lambda kv: kv[0] or 0)],
        by_kind=[{"kind": k, "label": kind_labels.get(k, k), "n": by_kind[k]} for k in kind_labels if k in by_kind],
        open_total=len(cases),
    )


def assignable_users() -> QuerySet[User]:
    """People a case can be filtered by or given to: council staff with a role."""
    return User.objects.filter(is_active=True).exclude(
        role__in=["", User.Role.INDEPENDENT_PERSON, User.Role.PANEL_MEMBER, User.Role.ADMINISTRATOR]
    )


# ------------------------------------------------------------------------------------------ search


@dataclass(frozen=True)
class SearchCriteria:
    reference: str = ""
    name: str = ""
    received_from: date | None = None
    received_to: date | None = None
    service_id: int | None = None
    theme_id: int | None = None
    status: str = ""
    kind: str = ""

    @property
    def used(self) -> list[str]:
        """Which filters were used, never their values: the audit records this, not the names."""
        return [name for name, value in self.__dict__.items() if value not in (None, "")]

    def to_session(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}

    @classmethod
    def from_session(cls, data: dict) -> SearchCriteria:
        values = dict(data)
        for key in ("received_from", "received_to"):
            if values.get(key):
                values[key] = date.fromisoformat(values[key])
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def search(user: User, criteria: SearchCriteria) -> QuerySet[Feedback]:
    """Cases matching every criterion given, among those this user may see, newest first."""
    qs = visible_feedback(user)
    if criteria.reference:
        qs = qs.filter(reference__iexact=criteria.reference.strip())
    if criteria.name:
        # People first (the trigram index), then their cases through the two foreign-key indexes.
        people = Subquery(Person.objects.filter(name__icontains=criteria.name.strip()).order_by().values("pk"))
        qs = qs.filter(Q(_InPeople(F("complainant_id"), people)) | Q(_InPeople(F("child_id"), people)))
    if criteria.received_from:
        qs = qs.filter(received_on__gte=criteria.received_from)
    if criteria.received_to:
        qs = qs.filter(received_on__lte=criteria.received_to)
    if criteria.service_id:
        qs = qs.filter(service_id=criteria.service_id)
    if criteria.theme_id:
        qs = qs.filter(theme_id=criteria.theme_id)
    if criteria.status:
        qs = qs.filter(status=criteria.status)
    if criteria.kind:
        qs = qs.filter(kind=criteria.kind)
    # Prefetched, not joined: the page's 25 rows are sorted and cut before their people and services are
    # read, where a join would be made for every match first (5,000 of them for a common surname).
    return qs.prefetch_related("service", "theme", "complainant", "child", "assignee").order_by("-received_on", "-pk")


class _InPeople(Lookup):
    """`person_id IN (SELECT …)`; on PostgreSQL `person_id = ANY(ARRAY(SELECT …))`, so that two of them
    joined by OR become two index scans rather than a test of every case against two hashed subplans
    (about 10x faster for a common surname at 100,000 cases: bench/bench_staff_pages.py)."""

    lookup_name = "in_people"

    def _sides(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return lhs, rhs, (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params


def search_page(user: User, criteria: SearchCriteria, number: object) -> Page:
    """One page of results and how many there are, in one query (COUNT(*) OVER ()): a common surname
    matches thousands of cases, whose index entries would otherwise be read twice, once to count them."""
    qs = search(user, criteria)
    try:
        wanted = max(int(str(number)), 1)
    except ValueError:
        wanted = 1
    offset = (wanted - 1) * SEARCH_PAGE_SIZE
    rows = list(qs.annotate(found=Window(Count("pk")))[offset : offset + SEARCH_PAGE_SIZE])
    total = rows[0].found if rows else qs.count()
    return Paginator(_Known(qs, total, offset, rows), SEARCH_PAGE_SIZE).get_page(number)


class _Known:
    """A queryset whose count, and one of whose pages, are already read: the paginator asks for that page
    and gets it without another query (any other page is read as usual)."""

    def __init__(self, qs: QuerySet, total: int, offset: int, rows: list):
        self.qs, self.total, self.offset, self.rows = qs, total, offset, rows

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item):
        if isinstance(item, slice) and item.start == self.offset and self.rows:
            return self.rows
        return list(self.qs[item])


def visible_reference(user: User, reference: str) -> str | None:
    """The exact reference, if this user may see that case (for 'go straight to the case')."""
    return (
        visible_feedback(user).filter(reference__iexact=reference.strip()).values_list("reference", flat=True).first()
    )


def active_services() -> QuerySet[Service]:
    return Service.objects.filter(active=True)


def all_themes() -> QuerySet[Theme]:
    return Theme.objects.all()


# -------------------------------------------------------------------------------------- duplicates


@dataclass(frozen=True)
class PossibleDuplicates:
    references: list[str]  # the ones this user may see
    hidden: int  # how many more exist that they may not see (no detail about them)

    def __bool__(self) -> bool:
        return bool(self.references) or self.hidden > 0


def possible_duplicates(user: User, *, service: Service, name: str = "", email: str = "") -> PossibleDuplicates:
    """Open cases about the same service from the same person (same email, or the same name ignoring
    case). Only references the user may see are named."""
    rule = Q()
    if email.strip():
        rule |= Q(complainant__email__iexact=email.strip())
    if name.strip():
        rule |= Q(complainant__name__iexact=name.strip())
    if not rule:
        return PossibleDuplicates([], 0)
    matches = Feedback.objects.filter(rule, service=service, status__in=OPEN_STATUSES)
    visible = list(visible_feedback(user, matches).order_by("reference").values_list("reference", flat=True))
    hidden = matches.count() - len(visible)
    return PossibleDuplicates(visible, hidden)


# ------------------------------------------------------------------------------------------ audit


@dataclass(frozen=True)
class AuditEntry:
    at: object
    who: str
    kind: str  # "read" (AccessRecord) or "change" (Event)
    action: str
    reference: str
    detail: str


def _access_entry(rec: AccessRecord) -> AuditEntry:
    return AuditEntry(
        rec.at,
        str(rec.user),
        "read",
        rec.get_action_display(),
        rec.feedback.reference if rec.feedback_id else "",
        rec.detail,
    )


def _event_entry(ev: Event) -> AuditEntry:
    return AuditEntry(
        ev.at,
        str(ev.actor) if ev.actor_id else "System or the public",
        "change",
        ev.summary,
        ev.feedback.reference if ev.feedback_id else "",
        ev.action,
    )


def _merge(reads: Sequence[AuditEntry], changes: Sequence[AuditEntry]) -> list[AuditEntry]:
    return sorted([*reads, *changes], key=lambda e: e.at, reverse=True)


def case_audit(feedback: Feedback) -> list[AuditEntry]:
    """Every read (AccessRecord) and every change (Event) of one case, newest first: two queries."""
    reads = [
        _access_entry(r) for r in AccessRecord.objects.filter(feedback=feedback).select_related("user", "feedback")
    ]
    changes = [_event_entry(e) for e in Event.objects.filter(feedback=feedback).select_related("actor", "feedback")]
    return _merge(reads, changes)


def user_audit(person: User) -> list[AuditEntry]:
    """Everything one user read and changed, newest first: two queries."""
    reads = [_access_entry(r) for r in AccessRecord.objects.filter(user=person).select_related("user", "feedback")]
    changes = [_event_entry(e) for e in Event.objects.filter(actor=person).select_related("actor", "feedback")]
    return _merge(reads, changes)
