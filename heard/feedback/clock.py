"""Where the pure procedure core meets the database: the working calendar (England and Wales bank
holidays plus the days the council adds), the rule book (packs plus local settings), and the stored
deadlines computed from them."""

from __future__ import annotations

import operator
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import reduce

from django.core.signals import request_finished, request_started
from django.db.models import Case, Count, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.lookups import Exact
from django.db.models.signals import post_delete, post_save

from heard.feedback.models import Deadline, Feedback
from heard.organisation.models import NonWorkingDay, ProcedureSetting
from heard.procedure.bank_holidays import england_and_wales_bank_holidays
from heard.procedure.calendar import WorkingCalendar
from heard.procedure.rules import Override, RuleBook, Step, load_rulebook

HOLIDAY_YEARS = range(2000, 2051)

_calendar_cache: dict[tuple, WorkingCalendar] = {}
_rulebook_cache: dict[tuple, RuleBook] = {}
_bank_holidays: dict[date, str] = {}


# Within one web request the calendar and the rule book are checked once, not once per deadline shown:
# request_started opens a memo, request_finished drops it, and a change to either table made during the
# request empties it. Outside requests (commands, tests, the shell) every call checks.
_request = threading.local()


def _open_memo(**_: object) -> None:
    _request.memo = {}


def _drop_memo(**_: object) -> None:
    _request.memo = None


def _empty_memo(**_: object) -> None:
    if getattr(_request, "memo", None):
        _request.memo.clear()


request_started.connect(_open_memo, dispatch_uid="heard.clock.open_memo")
request_finished.connect(_drop_memo, dispatch_uid="heard.clock.drop_memo")
for _model in (NonWorkingDay, ProcedureSetting):
    post_save.connect(_empty_memo, sender=_model, dispatch_uid=f"heard.clock.saved.{_model.__name__}")
    post_delete.connect(_empty_memo, sender=_model, dispatch_uid=f"heard.clock.deleted.{_model.__name__}")


@contextmanager
def checked_once() -> Iterator[None]:
    """Check the calendar and the rule book once for a whole unit of work, as a web request does (the
    demo's build: one transaction that nothing else writes to). A change made meanwhile empties it."""
    previous = getattr(_request, "memo", None)
    _request.memo = {}
    try:
        yield
    finally:
        _request.memo = previous


def _memoised(name: str, build):
    memo = getattr(_request, "memo", None)
    if memo is None:
        return build()
    if name not in memo:
        memo[name] = build()
    return memo[name]


def working_calendar() -> WorkingCalendar:
    """The calendar in force now. Cached per process, keyed on the added days so that a day added in
    another process is seen at the next call (one cheap aggregate query, once per web request)."""
    return _memoised("calendar", _working_calendar)


def rulebook() -> RuleBook:
    """The packs with the council's local settings; cached like the calendar."""
    return _memoised("rulebook", _rulebook)


def _working_calendar() -> WorkingCalendar:
    key = tuple(NonWorkingDay.objects.aggregate(n=Count("id"), last=Max("id"), first=Min("id")).values())
    if key not in _calendar_cache:
        if not _bank_holidays:
            _bank_holidays.update(england_and_wales_bank_holidays(HOLIDAY_YEARS))
        holidays = dict(_bank_holidays)
        closures: dict[date, str] = {}
        for day in NonWorkingDay.objects.all():
            if day.kind == NonWorkingDay.Kind.BANK_HOLIDAY:
                holidays[day.date] = day.name
            else:
                closures[day.date] = day.name
        _calendar_cache.clear()
        _calendar_cache[key] = WorkingCalendar(holidays, closures)
    return _calendar_cache[key]


def _rulebook() -> RuleBook:
    key = tuple(ProcedureSetting.objects.aggregate(n=Count("id"), last=Max("id"), first=Min("id")).values())
    if key not in _rulebook_cache:
        book = load_rulebook()
        overrides = [
            Override(s.procedure, s.step, s.working_days, s.effective_from, s.citation)
            for s in ProcedureSetting.objects.all()
        ]
        _rulebook_cache.clear()
        _rulebook_cache[key] = book.with_overrides(overrides) if overrides else book
    return _rulebook_cache[key]


def rule_for(feedback: Feedback, step: str) -> Step:
    """The rule for a step as it stood on the day the record was received."""
    return rulebook().get(feedback.procedure).in_force_on(feedback.received_on).step(step)


def steps_started_by(feedback: Feedback, event: str) -> list[Step]:
    version = rulebook().get(feedback.procedure).in_force_on(feedback.received_on)
    return [s for s in version.steps if s.starts_at == event and s.kind in ("deadline", "window")]


def compute_due(feedback_procedure: str, received_on: date, starts_on: date, working_days: int) -> date:
    version = rulebook().get(feedback_procedure).in_force_on(received_on)
    return working_calendar().add_working_days(starts_on, working_days, version.counting)


def start_clock(feedback: Feedback, step: Step, starts_on: date) -> Deadline:
    due = compute_due(feedback.procedure, feedback.received_on, starts_on, step.working_days)
    return Deadline.objects.create(
        feedback=feedback,
        procedure=feedback.procedure,
        step=step.key,
        stage=step.stage,
        starts_on=starts_on,
        working_days=step.working_days,
        rule_working_days=step.working_days,
        due_on=due,
        original_due_on=due,
        window=step.kind == "window",
        citation=step.citation,
    )


def deadline_due(deadline: Deadline, feedback: Feedback) -> date:
    """Recompute one deadline from its rule, its start, the calendar and any time suspended."""
    return compute_due(
        deadline.procedure, feedback.received_on, deadline.starts_on, deadline.working_days + deadline.paused_days
    )


OPEN_COUNCIL_DEADLINE = Q(met_on__isnull=True, cancelled=False, window=False)


def next_due() -> Subquery:
    """A case's next date: its earliest open council deadline (not a window for the complainant, not one
    paused by a suspension). An expression, so a queue filters and sorts on it in the same query:
    `Feedback.objects.annotate(next_due=clock.next_due())`."""
    return Subquery(
        Deadline.objects.filter(OPEN_COUNCIL_DEADLINE, feedback_id=OuterRef("pk"), paused_since__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )


def next_due_of(feedback: Feedback) -> date | None:
    """The same for one case already in hand."""
    return (
        Deadline.objects.filter(OPEN_COUNCIL_DEADLINE, feedback=feedback, paused_since__isnull=True)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )


def recompute_open_deadlines(affected: date | None = None) -> int:
    """Recompute every open deadline (or only those that span `affected`, a day just added or removed)
    and return how many moved.

    A clock's due date follows from its counting rule, its start and its length, so the database lists
    the distinct shapes (a few dozen for 100,000 clocks), each is computed once, and the shapes that move
    are rewritten in one UPDATE: no row travels to Python and back (bench/bench_recompute.py)."""
    calendar = working_calendar()
    book = rulebook()
    qs = Deadline.objects.filter(met_on__isnull=True, cancelled=False)
    if affected is not None:
        # Only a deadline whose count runs over the day can move.
        qs = qs.filter(starts_on__lte=affected, due_on__gte=affected)
    length = F("working_days") + F("paused_days")
    # The counting rule is the one in force when the case was received. For a procedure whose counting
    # rule never changed (the usual case) the receipt date cannot matter: leaving it out spares a join.
    uniform = {p.name: p.versions[0].counting for p in book.procedures() if len({v.counting for v in p.versions}) == 1}
    shapes = [
        (Q(procedure=p), book.get(p).versions[0].counting, start, n, due)
        for p, start, n, due in qs.filter(procedure__in=uniform)
        .annotate(n=length)
        .values_list("procedure", "starts_on", "n", "due_on")
        .distinct()
        .order_by()
    ] + [
        (
            Q(procedure=p, feedback__in=Feedback.objects.filter(received_on=received)),
            book.get(p).in_force_on(received).counting,
            start,
            n,
            due,
        )
        for p, received, start, n, due in qs.exclude(procedure__in=uniform)
        .annotate(n=length)
        .values_list("procedure", "feedback__received_on", "starts_on", "n", "due_on")
        .distinct()
        .order_by()
    ]
    moves = []
    for rule, counting, start, n, due in shapes:
        new_due = calendar.add_working_days(start, n, counting)
        if new_due != due:
            moves.append((rule & Q(Exact(length, n), starts_on=start, due_on=due), new_due))
    moved = 0
    for i in range(0, len(moves), 500):  # a bounded statement however many shapes move
        batch = moves[i : i + 500]
        moved += qs.filter(reduce(operator.or_, (q for q, _ in batch))).update(
            due_on=Case(*(When(q, then=Value(d)) for q, d in batch), default=F("due_on"))
        )
    return moved
