"""Historic feedback import (CSV format version 1, /work/shared/specs/feedback-import.md).

Two phases, so that the whole file loads or nothing does:

1. read and check every row, collecting every problem as "line N, column X: message" (all of them in
   one run, not just the first), and work out what each row means: its stages, its clocks and their due
   dates, its status;
2. only if there was no problem, write everything in ONE transaction with bulk inserts (a 100,000-row
   file loads in well under a minute; calling log_feedback per row would not).

An imported record is judged exactly like one entered by hand: due dates are never read from the file
but computed from the rules in force on `received_on` (clock.rulebook(), clock.working_calendar(),
WorkingCalendar.add_working_days_bulk), and the clocks are started, met and cancelled as the services
do (services.respond, withdraw, close, pass_to_service, respond_to_enquiry).

Loading the same file twice changes nothing: `reference` is the key, and the row as last imported is
kept in the record's "imported"/"import_updated" Event, so an unchanged row is skipped and a changed
row updates its record. A record that was worked on in Heard since it was imported (or was never
imported) is never overwritten by a file.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from heard.feedback import clock
from heard.feedback.models import Deadline, Event, Feedback, OmbudsmanCase, Outcome, ReferenceCounter, Stage
from heard.feedback.services import COMPLAINT_PROCEDURES, PROCEDURE_FOR_KIND
from heard.organisation.models import Service, Theme
from heard.procedure import NoRuleInForce, ProcedureVersion, Step

Kind = Feedback.Kind
Status = Feedback.Status

FORMAT_VERSION = 1
IMPORT_ACTIONS = ("imported", "import_updated")

# The columns of format version 1, in the spec's order.
COLUMNS = (
    "reference", "kind", "received_on", "service", "procedure", "theme", "complainant_role",
    "stage1_outcome", "stage1_responded_on", "stage2_requested_on", "stage2_outcome", "stage2_responded_on",
    "ombudsman_referred_on", "ombudsman_decision", "compliment_source", "enquiry_category",
    "enquiry_responded_on",
)  # fmt: skip
REQUIRED_COLUMNS = ("reference", "kind", "received_on", "service")
COMPLAINT_COLUMNS = (
    "procedure", "theme", "complainant_role", "stage1_outcome", "stage1_responded_on", "stage2_requested_on",
    "stage2_outcome", "stage2_responded_on", "ombudsman_referred_on", "ombudsman_decision",
)  # fmt: skip
ENQUIRY_COLUMNS = ("enquiry_category", "enquiry_responded_on")
ENQUIRY_KINDS = (Kind.MP_ENQUIRY, Kind.COUNCILLOR_ENQUIRY)

KINDS = tuple(Kind.values)
# The spec's roles: every role but "organisation", which cannot use the statutory procedure (reg 10).
ROLES = tuple(r for r in Feedback.Role.values if r != Feedback.Role.ORGANISATION)
OUTCOMES = tuple(Outcome.values)
DECISIONS = tuple(OmbudsmanCase.Decision.values)
SOURCES = tuple(Feedback.ComplimentSource.values)
CATEGORIES = tuple(Feedback.EnquiryCategory.values)

# Readable and safe in a URL: /complaints/CS-2026-00042/.
REFERENCE_FORMAT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
# A reference Heard itself would issue: PREFIX-YEAR-NUMBER (services.next_reference).
ISSUED_REFERENCE = re.compile(r"([A-Z]{1,10})-(\d{4})-(\d{1,9})")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ImportFailed(Exception):
    """The file cannot be loaded; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found; nothing was imported.")
        self.errors = errors


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    services_created: list[str] = field(default_factory=list)
    themes_created: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self, filename: str) -> str:
        verb = "Checked" if self.dry_run else "Imported"
        lines = [
            f"{verb} {filename}: {self.rows} row{'s' if self.rows != 1 else ''}: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        ]
        would = "would be created" if self.dry_run else "created"
        if self.services_created:
            lines.append(f"Services {would}: {', '.join(self.services_created)}")
        if self.themes_created:
            lines.append(f"Themes {would}: {', '.join(self.themes_created)}")
        if self.dry_run:
            lines.append("Nothing was written (--dry-run).")
        return "\n".join(lines)


def parse_iso_date(text: str) -> date:
    """A date written YYYY-MM-DD, with a message a person can act on when it is not one."""
    text = text.strip()
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2022-09-15")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a real date") from None


def _allowed(values: Iterable[str]) -> str:
    return ", ".join(values)


# ------------------------------------------------------------------------------------------ reading


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte-order mark (Excel's "CSV UTF-8") is accepted
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ImportFailed([f"line {line}: the file is not UTF-8 text; save it as 'CSV UTF-8' and try again"]) from None


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its cells); a quoted cell may span lines (RFC 4180)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise ImportFailed([f"line {reader.line_num}: not valid CSV ({e}); nothing was imported"]) from None
        yield line, cells
        line = reader.line_num + 1


@dataclass
class Row:
    line: int
    values: dict[str, str]  # the non-empty cells, by column: kept with the record to spot changes
    reference: str = ""
    kind: str = ""
    received_on: date | None = None
    service: str = ""
    procedure: str = ""
    theme: str = ""
    complainant_role: str = ""
    stage1_outcome: str = ""
    stage1_responded_on: date | None = None
    stage2_requested_on: date | None = None
    stage2_outcome: str = ""
    stage2_responded_on: date | None = None
    ombudsman_referred_on: date | None = None
    ombudsman_decision: str = ""
    compliment_source: str = ""
    enquiry_category: str = ""
    enquiry_responded_on: date | None = None


class _RowChecker:
    """Checks one row, adding every problem to `errors` as 'line N, column X: message'."""

    def __init__(self, row: Row, errors: list[str], today: date):
        self.row, self.errors, self.today = row, errors, today

    def error(self, column: str, message: str) -> None:
        self.errors.append(f"line {self.row.line}, column {column}: {message}")

    def text(self, column: str, *, required: bool = False, why: str = "") -> str:
        value = self.row.values.get(column, "")
        if required and not value:
            self.error(column, f"this is required{why}")
        return value

    def choice(self, column: str, allowed: tuple[str, ...], *, required: bool = False, why: str = "") -> str:
        value = self.text(column, required=required, why=why)
        if value and value not in allowed:
            self.error(column, f"{value!r} is not allowed; use one of: {_allowed(allowed)}")
            return ""
        return value

    def day(self, column: str, *, required: bool = False, why: str = "") -> date | None:
        value = self.text(column, required=required, why=why)
        if not value:
            return None
        try:
            d = parse_iso_date(value)
        except ValueError as e:
            self.error(column, str(e))
            return None
        if d > self.today:
            self.error(column, f"{d.isoformat()} is in the future")
            return None
        return d

    def not_before(self, column: str, d: date | None, earlier: date | None, what: str) -> None:
        if d is not None and earlier is not None and d < earlier:
            self.error(column, f"{d.isoformat()} is before {what} ({earlier.isoformat()})")

    def only_for(self, columns: Iterable[str], which: str) -> None:
        # A filled cell the kind does not use is refused: a mistyped kind must not silently drop data.
        for column in columns:
            if self.row.values.get(column):
                self.error(column, f"only {which} have this; this row is a {self.row.kind.replace('_', ' ')}")


def _check_row(row: Row, errors: list[str], today: date, book: Any) -> None:
    c = _RowChecker(row, errors, today)
    row.reference = c.text("reference", required=True)
    if row.reference and not REFERENCE_FORMAT.fullmatch(row.reference):
        c.error(
            "reference",
            f"{row.reference!r} is not a usable reference: up to 40 letters, digits, "
            "hyphens, full stops or underscores, e.g. CS-2026-00042",
        )
    row.kind = c.choice("kind", KINDS, required=True)
    row.received_on = c.day("received_on", required=True)
    row.service = " ".join(c.text("service", required=True).split())
    if len(row.service) > 120:
        c.error("service", "a service name is at most 120 characters")

    if row.kind == Kind.COMPLAINT:
        row.procedure = c.choice("procedure", COMPLAINT_PROCEDURES, required=True, why=" for a complaint")
        row.theme = " ".join(c.text("theme", required=True, why=" for a complaint").split())
        if len(row.theme) > 120:
            c.error("theme", "a theme name is at most 120 characters")
        row.complainant_role = c.choice("complainant_role", ROLES)
        _check_stages(c, row)
        row.ombudsman_referred_on = c.day("ombudsman_referred_on")
        c.not_before("ombudsman_referred_on", row.ombudsman_referred_on, row.received_on, "received_on")
        row.ombudsman_decision = c.choice("ombudsman_decision", DECISIONS)
        if row.ombudsman_decision and not c.text("ombudsman_referred_on"):
            c.error("ombudsman_decision", "a decision needs the date of the referral (ombudsman_referred_on)")
    elif row.kind:
        c.only_for(COMPLAINT_COLUMNS, "complaints")
        row.procedure = PROCEDURE_FOR_KIND[Kind(row.kind)]
    if row.kind == Kind.COMPLIMENT:
        row.compliment_source = c.choice("compliment_source", SOURCES, required=True, why=" for a compliment")
    elif row.kind:
        c.only_for(["compliment_source"], "compliments")
    if row.kind in ENQUIRY_KINDS:
        row.enquiry_category = c.choice("enquiry_category", CATEGORIES, required=True, why=" for an enquiry")
        row.enquiry_responded_on = c.day("enquiry_responded_on")
        c.not_before("enquiry_responded_on", row.enquiry_responded_on, row.received_on, "received_on")
    elif row.kind:
        c.only_for(ENQUIRY_COLUMNS, "MP and councillor enquiries")

    if row.procedure and row.received_on is not None:
        try:
            version = book.get(row.procedure).in_force_on(row.received_on)
        except NoRuleInForce as e:
            c.error("received_on", str(e))
        else:
            if row.stage2_requested_on is not None and version.stages < 2:
                c.error("stage2_requested_on", f"the {row.procedure} procedure has {version.stages} stage(s)")


def _check_stages(c: _RowChecker, row: Row) -> None:
    """Stages follow in order, each answer after its request (services._escalate, respond, withdraw)."""
    row.stage1_outcome = c.choice("stage1_outcome", OUTCOMES)
    row.stage1_responded_on = c.day("stage1_responded_on")
    has_outcome1, has_date1 = bool(c.text("stage1_outcome")), bool(c.text("stage1_responded_on"))
    if has_outcome1 and not has_date1:
        c.error(
            "stage1_responded_on", "give the date of the stage 1 response (or of the withdrawal) with stage1_outcome"
        )
    if has_date1 and not has_outcome1:
        c.error(
            "stage1_outcome",
            "give the stage 1 outcome with stage1_responded_on, or leave both empty while stage 1 is open",
        )
    c.not_before("stage1_responded_on", row.stage1_responded_on, row.received_on, "received_on")

    row.stage2_requested_on = c.day("stage2_requested_on")
    row.stage2_outcome = c.choice("stage2_outcome", OUTCOMES)
    row.stage2_responded_on = c.day("stage2_responded_on")
    has_request2 = bool(c.text("stage2_requested_on"))
    has_outcome2, has_date2 = bool(c.text("stage2_outcome")), bool(c.text("stage2_responded_on"))
    if has_request2:
        if not has_outcome1:
            c.error(
                "stage2_requested_on",
                "stage 2 comes after the stage 1 response: give stage1_outcome and stage1_responded_on first",
            )
        elif row.stage1_outcome == Outcome.WITHDRAWN:
            c.error("stage2_requested_on", "the complaint was withdrawn at stage 1, so it cannot go to stage 2")
        c.not_before(
            "stage2_requested_on",
            row.stage2_requested_on,
            row.stage1_responded_on,
            "the stage 1 response (stage1_responded_on)",
        )
    if (has_outcome2 or has_date2) and not has_request2:
        column = "stage2_outcome" if has_outcome2 else "stage2_responded_on"
        c.error(column, "a stage 2 response needs the date stage 2 was asked for (stage2_requested_on)")
    if has_outcome2 and not has_date2:
        c.error(
            "stage2_responded_on", "give the date of the stage 2 response (or of the withdrawal) with stage2_outcome"
        )
    if has_date2 and not has_outcome2:
        c.error(
            "stage2_outcome",
            "give the stage 2 outcome with stage2_responded_on, or leave both empty while stage 2 is open",
        )
    c.not_before(
        "stage2_responded_on",
        row.stage2_responded_on,
        row.stage2_requested_on,
        "the stage 2 request (stage2_requested_on)",
    )


def read_file(
    data: bytes, *, today: date, progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None
) -> list[Row]:
    """Every row, checked; raises ImportFailed listing every problem in the file."""
    records = _records(_decode(data))
    errors: list[str] = []
    first = next(records, None)
    if first is None or not any(cell.strip() for cell in first[1]):
        raise ImportFailed(
            ["line 1: the file is empty: it needs a header row naming the columns, e.g. " + ",".join(REQUIRED_COLUMNS)]
        )
    header = [cell.strip() for cell in first[1]]
    for i, name in enumerate(header, start=1):
        if not name:
            errors.append(f"line 1, column {i}: the header is empty here; name the column or remove it")
        elif name not in COLUMNS:
            errors.append(f"line 1, column {name}: unknown column {name!r}; the columns are: {_allowed(COLUMNS)}")
        elif header.index(name) != i - 1:
            errors.append(f"line 1, column {name}: the column appears twice")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        errors.append(
            f"line 1: missing column{'s' if len(missing) > 1 else ''} {_allowed(missing)}: "
            "every file needs reference, kind, received_on and service"
            + ("" if any(name in COLUMNS for name in header) else " (is the header row missing?)")
        )
    if errors:
        raise ImportFailed(errors)

    book = clock.rulebook()
    rows: list[Row] = []
    seen: dict[str, int] = {}
    iterable: Iterable[tuple[int, list[str]]] = progress(records) if progress else records
    for line, cells in iterable:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or a spreadsheet's trailing row of empty cells
        if len(cells) != len(header):
            errors.append(
                f"line {line}: {len(cells)} cells, but the header names {len(header)} columns "
                "(is a comma inside a value missing its quotes?)"
            )
            continue
        row = Row(line=line, values={k: v.strip() for k, v in zip(header, cells, strict=True) if v.strip()})
        _check_row(row, errors, today, book)
        if row.reference:
            if row.reference in seen:
                errors.append(
                    f"line {line}, column reference: {row.reference} is also on line "
                    f"{seen[row.reference]}; each reference appears once"
                )
            else:
                seen[row.reference] = line
        rows.append(row)
    if errors:
        raise ImportFailed(errors)
    return rows


# ------------------------------------------------------------------------------------------ planning


@dataclass
class _Clock:
    step: Step
    starts_on: date
    met_on: date | None = None
    cancelled: bool = False
    due_on: date | None = None

    @property
    def open(self) -> bool:
        return self.met_on is None and not self.cancelled


@dataclass
class _Plan:
    """What one row means: the record's fields, its stages, its clocks and any Ombudsman referral."""

    row: Row
    version: ProcedureVersion
    fields: dict[str, Any]
    stages: list[dict[str, Any]]
    clocks: list[_Clock]
    ombudsman: dict[str, Any] | None


class _Clocks:
    """The clocks of one record, started, met and cancelled as the services do."""

    def __init__(self, version: ProcedureVersion):
        self.version = version
        self.clocks: list[_Clock] = []

    def start(self, event: str, on: date) -> None:
        for step in self.version.steps:
            if step.starts_at == event and step.kind in ("deadline", "window"):
                self.clocks.append(_Clock(step, on))

    def meet(self, keys: Iterable[str], on: date) -> None:
        wanted = set(keys)
        for c in self.clocks:
            if c.open and c.step.key in wanted:
                c.met_on = on

    def cancel_steps(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        for c in self.clocks:
            if c.open and c.step.key in wanted:
                c.cancelled = True

    def cancel_open(self, *, windows_only: bool = False) -> None:
        for c in self.clocks:
            if c.open and (c.step.kind == "window" or not windows_only):
                c.cancelled = True


def _answer_stage(
    clocks: _Clocks, number: int, unknown_events: tuple[str, ...], requested: date, outcome: str, on: date | None
) -> None:
    """A stage the file says was answered (or withdrawn) on `on`.

    The file does not say when the stage was acknowledged or (statutory stage 2) when the statement of
    complaint was agreed. The clocks the rules start then (corporate stage 1 response, LGSCO Complaint
    Handling Code 6.3; statutory stage 2 response, reg 17) start at the stage's request instead: the
    earliest they could have started, so an answered record is never judged more kindly than the rule.
    While a stage is still open they are left for Heard to start when staff record the event, as for a
    record entered by hand (starting them now would start them twice). The acknowledgement clocks of an
    answered stage are cancelled, not met: the file cannot say whether, or when, it was acknowledged.
    """
    assert on is not None
    for event in unknown_events:
        clocks.start(event, requested)
    clocks.cancel_steps(["acknowledge", f"stage{number}_acknowledge"])
    if outcome == Outcome.WITHDRAWN:
        clocks.cancel_open()  # services.withdraw
        return
    clocks.meet([f"stage{number}_response"], on)  # services.respond
    clocks.start(f"stage{number}_response", on)


def _plan(row: Row, book: Any) -> _Plan:
    assert row.received_on is not None
    version = book.get(row.procedure).in_force_on(row.received_on)
    clocks = _Clocks(version)
    received = row.received_on
    fields: dict[str, Any] = {
        "kind": row.kind, "procedure": row.procedure, "channel": Feedback.Channel.IMPORTED,
        "received_on": received, "stage": None, "complainant_role": row.complainant_role,
        "compliment_source": row.compliment_source, "enquiry_category": row.enquiry_category,
        "acknowledged_on": None, "responded_on": None, "closed_on": None, "status": Status.OPEN,
    }  # fmt: skip
    stages: list[dict[str, Any]] = []
    ombudsman = None
    clocks.start("receipt", received)
    if row.kind == Kind.COMPLAINT:
        stages.append(
            {
                "number": 1,
                "requested_on": received,
                "outcome": row.stage1_outcome,
                "responded_on": row.stage1_responded_on,
            }
        )
        latest_outcome, latest_on = row.stage1_outcome, row.stage1_responded_on
        if row.stage1_outcome:
            _answer_stage(clocks, 1, ("acknowledgement",), received, row.stage1_outcome, row.stage1_responded_on)
        if row.stage2_requested_on is not None:
            requested = row.stage2_requested_on
            clocks.meet(["stage2_request_window"], requested)  # services._escalate
            clocks.start("stage2_request", requested)
            stages.append(
                {
                    "number": 2,
                    "requested_on": requested,
                    "outcome": row.stage2_outcome,
                    "responded_on": row.stage2_responded_on,
                }
            )
            latest_outcome, latest_on = row.stage2_outcome, row.stage2_responded_on
            if row.stage2_outcome:
                _answer_stage(
                    clocks,
                    2,
                    ("stage2_acknowledgement", "statement_agreed"),
                    requested,
                    row.stage2_outcome,
                    row.stage2_responded_on,
                )
        fields["stage"] = len(stages)
        if latest_outcome == Outcome.WITHDRAWN:
            clocks.cancel_open()  # services.withdraw
            fields.update(status=Status.WITHDRAWN, closed_on=latest_on)
        elif latest_outcome:
            clocks.cancel_open(windows_only=True)  # services.close: the escalation windows end
            fields.update(status=Status.CLOSED, closed_on=latest_on)
        if row.ombudsman_referred_on is not None:
            ombudsman = {"referred_on": row.ombudsman_referred_on, "decision": row.ombudsman_decision}
    elif row.kind in (Kind.COMPLIMENT, Kind.COMMENT):
        # The file has no date for passing it on: a historic compliment or comment was passed to the
        # service when it arrived, and is closed (services.pass_to_service).
        clocks.meet(["pass_to_service"], received)
        fields.update(responded_on=received, status=Status.CLOSED, closed_on=received)
    else:
        answered = row.enquiry_responded_on
        if answered is not None:
            clocks.meet(["enquiry_response"], answered)  # services.respond_to_enquiry
            fields.update(responded_on=answered, status=Status.CLOSED, closed_on=answered)
    return _Plan(row, version, fields, stages, clocks.clocks, ombudsman)


def _compute_due_dates(plans: list[_Plan]) -> None:
    """Every clock's due date, vectorised per counting rule (the same arithmetic as clock.compute_due)."""
    calendar = clock.working_calendar()
    groups: dict[Any, list[_Clock]] = defaultdict(list)
    for p in plans:
        for c in p.clocks:
            groups[p.version.counting].append(c)
    for counting, group in groups.items():
        starts = np.array([c.starts_on for c in group], dtype="datetime64[D]")
        days = np.array([c.step.working_days for c in group], dtype=np.int64)
        due = calendar.add_working_days_bulk(starts, days, counting)
        for c, d in zip(group, due.astype(object), strict=True):
            c.due_on = d


# ------------------------------------------------------------------------------------------ writing


def _existing(references: list[str]) -> dict[str, tuple[int, int, dict[str, str] | None, bool]]:
    """reference → (id, version, the row as last imported or None, changed in Heard since)."""
    found: dict[str, tuple[int, int]] = {}
    for start in range(0, len(references), 2000):
        chunk = references[start : start + 2000]
        found.update(
            {
                ref: (pk, v)
                for pk, ref, v in Feedback.objects.filter(reference__in=chunk).values_list("id", "reference", "version")
            }
        )
    if not found:
        return {}
    by_id = {pk: ref for ref, (pk, _) in found.items()}
    imported: dict[int, dict[str, str]] = {}
    touched: set[int] = set()
    ids = sorted(by_id)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for fid, action, data in (
            Event.objects.filter(feedback_id__in=chunk)
            .order_by("at", "id")
            .values_list("feedback_id", "action", "data")
        ):
            if action in IMPORT_ACTIONS:
                imported[fid] = (data or {}).get("row", {})
            else:
                touched.add(fid)
    return {ref: (pk, v, imported.get(pk), pk in touched) for ref, (pk, v) in found.items()}


def _by_name(model: type[Service] | type[Theme], names: set[str], dry_run: bool) -> tuple[dict[str, int], list[str]]:
    """Name (matched ignoring case and spacing, so 'Early help' is 'Early Help') → id, creating the
    missing ones."""
    known = {" ".join(n.split()).casefold(): pk for pk, n in model.objects.values_list("id", "name")}
    wanted: dict[str, str] = {}
    for name in sorted(names):
        wanted.setdefault(name.casefold(), name)
    created = [name for key, name in wanted.items() if key not in known]
    if created and not dry_run:
        model.objects.bulk_create([model(name=name) for name in created])
        known = {" ".join(n.split()).casefold(): pk for pk, n in model.objects.values_list("id", "name")}
    return {name: known.get(name.casefold(), 0) for name in names}, created


def _bump_reference_counters(references: Iterable[str]) -> None:
    """So that services.next_reference never issues a reference the file already used."""
    highest: dict[tuple[str, int], int] = {}
    for ref in references:
        m = ISSUED_REFERENCE.fullmatch(ref)
        if m:
            key = (m.group(1), int(m.group(2)))
            highest[key] = max(highest.get(key, 0), int(m.group(3)))
    for (prefix, year), number in sorted(highest.items()):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # created at this moment by services.next_reference; locked below (as it does)
        counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
        if counter.last_number < number:
            counter.last_number = number
            counter.save(update_fields=["last_number"])


def import_feedback(
    data: bytes,
    *,
    filename: str,
    today: date | None = None,
    dry_run: bool = False,
    progress: Callable[..., Iterable[Any]] | None = None,
) -> ImportResult:
    """Load a historic feedback file (CSV format version 1): all of it, or nothing (ImportFailed).

    `filename` is only for the summary and the records' history; `progress`, if given, wraps an
    iterable with a progress bar (tqdm on a terminal)."""
    today = today or timezone.localdate()
    filename = Path(filename).name
    rows = read_file(
        data, today=today, progress=(lambda it: progress(it, desc="Checking", unit=" rows")) if progress else None
    )
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    existing = _existing([r.reference for r in rows])
    errors: list[str] = []
    to_create: list[Row] = []
    to_update: list[tuple[Row, int, int, list[str]]] = []
    for row in rows:
        if row.reference not in existing:
            to_create.append(row)
            continue
        pk, version, imported_row, touched = existing[row.reference]
        if imported_row == row.values:
            result.unchanged += 1
        elif imported_row is None:
            errors.append(
                f"line {row.line}, column reference: {row.reference} is already the reference of a "
                "record entered in Heard; the import will not overwrite it"
            )
        elif touched:
            errors.append(
                f"line {row.line}, column reference: {row.reference} has been worked on in Heard "
                "since it was imported; change it there, not in the file"
            )
        else:
            changed = sorted(k for k in set(row.values) | set(imported_row) if row.values.get(k) != imported_row.get(k))
            to_update.append((row, pk, version, changed))
    if errors:
        raise ImportFailed(errors)
    result.created, result.updated = len(to_create), len(to_update)

    book = clock.rulebook()
    plans = [_plan(r, book) for r in to_create] + [_plan(r, book) for r, *_ in to_update]
    _compute_due_dates(plans)
    with transaction.atomic():
        services, result.services_created = _by_name(Service, {p.row.service for p in plans}, dry_run)
        themes, result.themes_created = _by_name(Theme, {p.row.theme for p in plans if p.row.theme}, dry_run)
        if dry_run:
            return result
        _write(plans, to_update, services, themes, filename, progress)
        _bump_reference_counters(r.reference for r in rows)
    return result


def _deadline_row(fid: int, p: _Plan, c: _Clock) -> dict[str, Any]:
    return {
        "feedback_id": fid,
        "procedure": p.row.procedure,
        "step": c.step.key,
        "stage": c.step.stage,
        "starts_on": c.starts_on,
        "working_days": c.step.working_days,
        "rule_working_days": c.step.working_days,
        "due_on": c.due_on,
        "original_due_on": c.due_on,
        "met_on": c.met_on,
        "cancelled": c.cancelled,
        "window": c.step.kind == "window",
        "citation": c.step.citation[:300],
    }


def _sync_updated(
    updated: list[_Plan], ids: dict[str, int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Bring the stages, clocks and Ombudsman referral of updated records in line with their rows, in
    place: other parts of Heard (letters, reminders) may point at a deadline, so a clock the row no longer
    has is cancelled, not deleted. Returns the rows still to be inserted."""
    if not updated:
        return [], [], []
    fids = [ids[p.row.reference] for p in updated]
    old_stages: dict[tuple[int, int], int] = {}
    old_clocks: dict[tuple[int, str], list[int]] = defaultdict(list)
    old_cases: dict[int, int] = {}
    for start in range(0, len(fids), 900):
        chunk = fids[start : start + 900]
        for pk, fid, number in Stage.objects.filter(feedback_id__in=chunk).values_list("id", "feedback_id", "number"):
            old_stages[(fid, number)] = pk
        for pk, fid, step in (
            Deadline.objects.filter(feedback_id__in=chunk).order_by("id").values_list("id", "feedback_id", "step")
        ):
            old_clocks[(fid, step)].append(pk)
        old_cases.update(OmbudsmanCase.objects.filter(feedback_id__in=chunk).values_list("feedback_id", "id"))
    stage_updates, clock_updates, case_updates = [], [], []
    stage_inserts: list[dict[str, Any]] = []
    clock_inserts: list[dict[str, Any]] = []
    case_inserts: list[dict[str, Any]] = []
    for p in updated:
        fid = ids[p.row.reference]
        for st in p.stages:
            pk = old_stages.pop((fid, st["number"]), None)
            if pk:
                stage_updates.append(Stage(id=pk, feedback_id=fid, **st))
            else:
                stage_inserts.append({"feedback_id": fid, **st})
        for c in p.clocks:
            reuse = old_clocks.get((fid, c.step.key))
            if reuse:
                clock_updates.append(Deadline(id=reuse.pop(0), **_deadline_row(fid, p, c)))
            else:
                clock_inserts.append(_deadline_row(fid, p, c))
        case_pk = old_cases.pop(fid, None)
        if p.ombudsman is not None and case_pk:
            case_updates.append(OmbudsmanCase(id=case_pk, feedback_id=fid, **p.ombudsman))
        elif p.ombudsman is not None:
            case_inserts.append({"feedback_id": fid, **p.ombudsman})
        elif case_pk:
            OmbudsmanCase.objects.filter(pk=case_pk).delete()
    Stage.objects.filter(pk__in=list(old_stages.values())).delete()  # a stage the row no longer has
    Stage.objects.bulk_update(stage_updates, ["requested_on", "outcome", "responded_on"], batch_size=500)
    Deadline.objects.bulk_update(
        clock_updates,
        [
            "procedure",
            "stage",
            "starts_on",
            "working_days",
            "rule_working_days",
            "due_on",
            "original_due_on",
            "met_on",
            "cancelled",
            "window",
            "citation",
        ],
        batch_size=500,
    )
    Deadline.objects.filter(pk__in=[pk for pks in old_clocks.values() for pk in pks]).update(cancelled=True)
    OmbudsmanCase.objects.bulk_update(case_updates, ["referred_on", "decision"], batch_size=500)
    return stage_inserts, clock_inserts, case_inserts


def _insert(model: type[Model], rows: list[dict[str, Any]], now: datetime) -> None:
    """INSERT many rows given as {attname: value}, with the model's defaults for the rest.

    bulk_create builds a model instance and prepares every value of every row through the ORM: about
    80% of a 100,000-row import (profiled; bench/bench_import.py). Here each column's adapter is looked up
    once, and the rows go by COPY on PostgreSQL and executemany elsewhere. Like bulk_create, no save()
    and no signals; no model in this module has logic in either.
    """
    if not rows:
        return
    ops = connection.ops
    columns: list[str] = []
    plan: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default: Any = now
        elif f.has_default():
            default = f.get_default()
        else:
            default = None if f.null else ""
        kind = f.get_internal_type()
        adapt: Callable[[Any], Any] | None = None
        if kind == "DateField":
            adapt = ops.adapt_datefield_value
        elif kind == "DateTimeField":
            adapt = ops.adapt_datetimefield_value
        elif kind == "JSONField":
            adapt = partial(ops.adapt_json_value, encoder=f.encoder)  # type: ignore[attr-defined]
        columns.append(ops.quote_name(f.column))
        plan.append((f.attname, default, adapt))
    values = [
        tuple(
            row.get(name, default) if adapt is None else adapt(row.get(name, default)) for name, default, adapt in plan
        )
        for row in rows
    ]
    table = ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for v in values:
                    copy.write_row(v)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)


def _write(
    plans: list[_Plan],
    to_update: list[tuple[Row, int, int, list[str]]],
    services: dict[str, int],
    themes: dict[str, int],
    filename: str,
    progress: Callable[..., Iterable[Any]] | None,
) -> None:
    now = timezone.now()
    chunk = 5000
    # plans holds the new records first, then the updated ones (import_feedback).
    created, updated = plans[: len(plans) - len(to_update)], plans[len(plans) - len(to_update) :]

    def fields_of(p: _Plan) -> dict[str, Any]:
        return {
            "reference": p.row.reference,
            "service_id": services[p.row.service],
            "theme_id": themes.get(p.row.theme) if p.row.theme else None,
            **p.fields,
        }

    batches: Iterable[int] = range(0, len(created), chunk)
    if progress:
        batches = progress(batches, desc="Writing", unit=" batches")
    ids: dict[str, int] = {}
    for start in batches:
        part = created[start : start + chunk]
        _insert(Feedback, [fields_of(p) for p in part], now)
        references = [p.row.reference for p in part]
        for i in range(0, len(references), 900):
            ids.update(Feedback.objects.filter(reference__in=references[i : i + 900]).values_list("reference", "id"))
    if updated:
        info = {r.reference: (pk, version) for r, pk, version, _ in to_update}
        objs = []
        for p in updated:
            pk, version = info[p.row.reference]
            obj = Feedback(id=pk, version=version + 1, updated_at=now, **fields_of(p))
            objs.append(obj)
            ids[p.row.reference] = pk
        Feedback.objects.bulk_update(
            objs,
            [
                "kind",
                "procedure",
                "channel",
                "received_on",
                "stage",
                "service",
                "theme",
                "complainant_role",
                "compliment_source",
                "enquiry_category",
                "acknowledged_on",
                "responded_on",
                "closed_on",
                "status",
                "version",
                "updated_at",
            ],
            batch_size=500,
        )

    stages, deadlines, cases = _sync_updated(updated, ids)
    events: list[dict[str, Any]] = []
    changed_columns = {r.reference: changed for r, _, _, changed in to_update}
    for p in created:
        fid = ids[p.row.reference]
        stages += [{"feedback_id": fid, **st} for st in p.stages]
        deadlines += [_deadline_row(fid, p, c) for c in p.clocks]
        if p.ombudsman is not None:
            cases.append({"feedback_id": fid, **p.ombudsman})
    for p in plans:
        data = {"file": filename, "line": p.row.line, "format": FORMAT_VERSION, "row": p.row.values}
        if p.row.reference in changed_columns:
            action, summary = "import_updated", f"Updated from {filename}"
            data["changed"] = changed_columns[p.row.reference]
        else:
            action, summary = "imported", f"Imported from {filename}"
        events.append(
            {
                "feedback_id": ids[p.row.reference],
                "actor_id": None,
                "at": now,
                "action": action,
                "summary": summary[:300],
                "data": data,
            }
        )
    for model, rows in ((Stage, stages), (Deadline, deadlines), (OmbudsmanCase, cases), (Event, events)):
        for start in range(0, len(rows), chunk):
            _insert(model, rows[start : start + chunk], now)


__all__ = ["COLUMNS", "ImportFailed", "ImportResult", "import_feedback", "parse_iso_date", "read_file"]
