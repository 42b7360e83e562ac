"""Where the pure procedure core meets the database: the working calendar (England and Wales bank
holidays plus the days the council adds), the rule book (packs plus local settings), and the stored
deadlines computed from them."""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db import connection
from django.db.models import Count, Max, Min, Model, Q

from heard.feedback.models import Deadline, Feedback
from heard.organisation.models import NonWorkingDay, ProcedureSetting
from heard.procedure.bank_holidays import england_and_wales_bank_holidays
from heard.procedure.calendar import WorkingCalendar
from heard.procedure.rules import Override, RuleBook, Step, load_rulebook

HOLIDAY_YEARS = range(2000, 2051)

_calendar_cache: dict[tuple, WorkingCalendar] = {}
_rulebook_cache: dict[tuple, RuleBook] = {}
_bank_holidays: dict[date, str] = {}


def working_calendar() -> WorkingCalendar:
    """The calendar in force now. Cached per process, keyed on the added days so that a day added in
    another process is seen at the next call (one cheap aggregate query)."""
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


def rulebook() -> RuleBook:
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


def refresh_due_on(feedback: Feedback) -> None:
    """Keep Feedback.due_on (the earliest open council deadline) in step with its deadlines."""
    first = (
        Deadline.objects.filter(
            feedback=feedback, met_on__isnull=True, cancelled=False, window=False, paused_since__isnull=True
        )
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    feedback.due_on = first


def recompute_open_deadlines(affected: date | None = None) -> int:
    """Recompute every open deadline (or only those that span `affected`, a day just added or removed)
    and return how many moved. Bulk: one query to read, vectorised dates, one batched update."""
    calendar = working_calendar()
    book = rulebook()
    qs = Deadline.objects.filter(met_on__isnull=True, cancelled=False)
    if affected is not None:
        # Only a deadline whose count runs over the day can move.
        qs = qs.filter(starts_on__lte=affected, due_on__gte=affected)
    rows = list(
        qs.values_list("id", "feedback_id", "procedure", "feedback__received_on", "starts_on", "working_days",
                       "paused_days", "due_on")
    )
    if not rows:
        return 0
    # Group by counting rule (almost always one group) so each group is one vectorised call.
    groups: dict[object, list[int]] = {}
    countings: dict[tuple[str, date], object] = {}
    for i, row in enumerate(rows):
        counting = countings.get((row[2], row[3]))
        if counting is None:
            counting = countings[(row[2], row[3])] = book.get(row[2]).in_force_on(row[3]).counting
        groups.setdefault(counting, []).append(i)
    new_due: list[date | None] = [None] * len(rows)
    for counting, idx in groups.items():
        starts = np.array([rows[i][4] for i in idx], dtype="datetime64[D]")
        days = np.array([rows[i][5] + rows[i][6] for i in idx], dtype=np.int64)
        due = calendar.add_working_days_bulk(starts, days, counting)
        for i, d in zip(idx, due.astype(object), strict=True):
            new_due[i] = d
    moved = [(row[0], new_due[i]) for i, row in enumerate(rows) if new_due[i] != row[7]]
    _set_due_on(Deadline, moved)
    if moved:
        _refresh_feedback_due_on({rows[i][1] for i, row in enumerate(rows) if new_due[i] != row[7]})
    return len(moved)


def _refresh_feedback_due_on(feedback_ids: set[int]) -> None:
    ids = sorted(feedback_ids)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        firsts = dict(
            Deadline.objects.filter(
                feedback_id__in=chunk, met_on__isnull=True, cancelled=False, window=False, paused_since__isnull=True
            )
            .values("feedback_id")
            .annotate(first=Min("due_on"))
            .values_list("feedback_id", "first")
        )
        _set_due_on(Feedback, [(fid, firsts.get(fid)) for fid in chunk])


def _set_due_on(model: type[Model], pairs: list[tuple[int, date | None]]) -> None:
    """Set due_on row by row in one statement. On PostgreSQL an UPDATE ... FROM unnest(ids, dates):
    bulk_update's CASE WHEN id = ... grows with the square of the batch (about 1 ms a row at 100,000
    rows, bench/bench_recompute.py); elsewhere bulk_update."""
    if not pairs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update([model(id=pk, due_on=d) for pk, d in pairs], ["due_on"], batch_size=2000)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET due_on = v.due_on "  # the table name comes from the model; values are bound
            "FROM unnest(%s::bigint[], %s::date[]) AS v(id, due_on) WHERE t.id = v.id",
            [[pk for pk, _ in pairs], [d for _, d in pairs]],
        )


OPEN_COUNCIL_DEADLINE = Q(met_on__isnull=True, cancelled=False, window=False)
