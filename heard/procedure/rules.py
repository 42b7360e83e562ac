"""Procedures as versioned data: steps (clocks and windows), each citing its source.

Packs live in `packs/*.toml`, one procedure per file. Each version has an effective-from
date, and a case is judged by the version in force on the day it was received, so last
year's report stays right after this year's change. Councils change local timescales with
overrides (RuleBook.with_overrides) rather than by editing the packs.
"""

from __future__ import annotations

import bisect
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Final

from heard.procedure.calendar import CountingRule

__all__ = [
    "EVENTS",
    "FEEDBACK_KINDS",
    "STEP_KINDS",
    "NoRuleInForce",
    "Override",
    "PackError",
    "Procedure",
    "ProcedureVersion",
    "RuleBook",
    "RuleNote",
    "Step",
    "UnknownProcedure",
    "UnknownStep",
    "load_rulebook",
    "parse_pack",
]

# What a step can be: the council must act by the date; the complainant may ask within the
# window; or something must happen at least N working days before an event.
STEP_KINDS: Final = frozenset({"deadline", "window", "minimum_notice"})

# The feedback kinds a procedure can apply to (domain.md, "Feedback kinds").
FEEDBACK_KINDS: Final = frozenset({"complaint", "compliment", "comment", "mp_enquiry", "councillor_enquiry"})

# Events that start a clock (for minimum_notice: the event the notice must precede).
EVENTS: Final = frozenset(
    {
        "receipt",
        "acknowledgement",
        "stage1_response",
        "stage2_request",
        "stage2_acknowledgement",
        "statement_agreed",
        "stage2_response",
        "stage3_request",
        "panel_meeting",
        "panel_report",
    }
)


class PackError(ValueError):
    """A rule pack that cannot be read; the message names the file and the field."""


class _PlainKeyError(KeyError):
    # KeyError's str() shows the repr of its argument (quotes and escapes); show the sentence.
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownProcedure(_PlainKeyError):
    pass


class UnknownStep(_PlainKeyError):
    pass


class NoRuleInForce(LookupError):
    pass


@dataclass(frozen=True)
class Step:
    """One clock or window of a procedure."""

    key: str
    title: str
    stage: int | None
    working_days: int
    starts_at: str
    extension_ceiling: int | None  # total working days allowed with an extension; None: no extension
    kind: str
    advisory: bool  # a later request needs a recorded decision rather than a refusal
    citation: str

    def __post_init__(self) -> None:
        where = f"step {self.key!r}"
        if not self.key or not self.key.isidentifier():
            raise ValueError(f"step key must be a lower_case_name, got {self.key!r}")
        for name in ("title", "citation"):
            if not getattr(self, name).strip():
                raise ValueError(f"{where}: {name} must not be empty (every rule cites its source)")
        if isinstance(self.working_days, bool) or self.working_days < 0:
            raise ValueError(f"{where}: working days must be 0 or more, got {self.working_days!r}")
        if self.stage is not None and self.stage < 1:
            raise ValueError(f"{where}: stage must be 1 or more, or none, got {self.stage}")
        if self.kind not in STEP_KINDS:
            raise ValueError(f"{where}: kind must be one of {_listed(STEP_KINDS)}, got {self.kind!r}")
        if self.starts_at not in EVENTS:
            raise ValueError(f"{where}: starts_at must be one of {_listed(EVENTS)}, got {self.starts_at!r}")
        if self.extension_ceiling is not None:
            if self.kind != "deadline":
                raise ValueError(f"{where}: only a deadline can be extended, not a {self.kind}")
            if self.extension_ceiling < self.working_days:
                raise ValueError(
                    f"{where}: the extension ceiling ({self.extension_ceiling} working days) is "
                    f"less than the time allowed ({self.working_days} working days)"
                )
        if self.advisory and self.kind != "window":
            raise ValueError(f"{where}: only a window can be advisory, not a {self.kind}")

    @property
    def extendable(self) -> bool:
        return self.extension_ceiling is not None


@dataclass(frozen=True)
class RuleNote:
    """A rule that is not a clock, e.g. who may handle a stage; the domain enforces it."""

    key: str
    text: str
    citation: str

    def __post_init__(self) -> None:
        if not self.key.isidentifier() or not self.text.strip() or not self.citation.strip():
            raise ValueError(f"a rule note needs a key, text and a citation, got {self!r}")


@dataclass(frozen=True)
class ProcedureVersion:
    """The steps of a procedure from `effective_from` until the next version."""

    effective_from: date
    steps: tuple[Step, ...]
    counting: CountingRule
    stages: int  # how many escalation stages (0 for feedback that has none)
    citation: str
    notes: tuple[RuleNote, ...] = ()
    procedure: str = field(default="", compare=False)  # for error messages

    def __post_init__(self) -> None:
        keys = [s.key for s in self.steps]
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        if duplicated:
            raise ValueError(f"{self._label()}: step keys appear twice: {', '.join(duplicated)}")
        for s in self.steps:
            if s.stage is not None and s.stage > self.stages:
                raise ValueError(f"{self._label()}: step {s.key!r} is at stage {s.stage} of {self.stages}")
        if not self.citation.strip():
            raise ValueError(f"{self._label()}: a version must cite its source")

    def _label(self) -> str:
        return f"{self.procedure or 'procedure'} from {self.effective_from.isoformat()}"

    def step(self, key: str) -> Step:
        for s in self.steps:
            if s.key == key:
                return s
        raise UnknownStep(f"{self._label()} has no step {key!r}; its steps are: {', '.join(self.step_keys())}")

    def step_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.steps)

    def note(self, key: str) -> RuleNote:
        for n in self.notes:
            if n.key == key:
                return n
        known = ", ".join(n.key for n in self.notes) or "none"
        raise UnknownStep(f"{self._label()} has no rule note {key!r}; its notes are: {known}")


@dataclass(frozen=True)
class Procedure:
    """A named procedure and its versions, oldest first."""

    name: str
    title: str
    kinds: tuple[str, ...]  # the feedback kinds it applies to
    versions: tuple[ProcedureVersion, ...]

    def __post_init__(self) -> None:
        if not self.versions:
            raise ValueError(f"procedure {self.name!r} has no versions")
        ordered = tuple(replace(v, procedure=self.name) for v in sorted(self.versions, key=lambda v: v.effective_from))
        dates = [v.effective_from for v in ordered]
        if len(set(dates)) != len(dates):
            raise ValueError(f"procedure {self.name!r} has two versions starting on the same day")
        object.__setattr__(self, "versions", ordered)

    def in_force_on(self, d: date) -> ProcedureVersion:
        """The version in force on `d` (for a case: the day it was received)."""
        if isinstance(d, datetime) or not isinstance(d, date):
            raise TypeError(f"the date must be a datetime.date, not {type(d).__name__}")
        i = bisect.bisect_right([v.effective_from for v in self.versions], d)
        if i == 0:
            first = self.versions[0].effective_from
            raise NoRuleInForce(
                f"{self.title} ({self.name}) has no rules in force on {d.isoformat()}: "
                f"its first version takes effect on {first.isoformat()}"
            )
        return self.versions[i - 1]


@dataclass(frozen=True)
class Override:
    """A council's own timescale for one step, from a date (e.g. acknowledge in 2 working days)."""

    procedure: str
    step_key: str
    working_days: int
    effective_from: date
    citation: str  # the council's decision or policy that set it

    def __post_init__(self) -> None:
        if not self.citation.strip():
            raise ValueError(f"the override of {self.procedure}.{self.step_key} must cite the decision")


class RuleBook:
    """All procedures, by name."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        by_name: dict[str, Procedure] = {}
        for p in procedures:
            if p.name in by_name:
                raise PackError(f"two procedures are called {p.name!r}")
            by_name[p.name] = p
        self._procedures: Mapping[str, Procedure] = dict(sorted(by_name.items()))

    def names(self) -> tuple[str, ...]:
        return tuple(self._procedures)

    def procedures(self) -> tuple[Procedure, ...]:
        return tuple(self._procedures.values())

    def get(self, name: str) -> Procedure:
        try:
            return self._procedures[name]
        except KeyError:
            raise UnknownProcedure(
                f"there is no procedure {name!r}; the procedures are: {', '.join(self.names())}"
            ) from None

    def with_overrides(self, overrides: Iterable[Override]) -> RuleBook:
        """A new rule book in which each override replaces a step's working days (and citation)
        in every version from its effective date; versions before it are untouched."""
        procedures = dict(self._procedures)
        for o in sorted(overrides, key=lambda o: o.effective_from):
            self.get(o.procedure)  # an unknown name is reported with the names that exist
            procedures[o.procedure] = _override(procedures[o.procedure], o)
        return RuleBook(procedures.values())


def _override(procedure: Procedure, o: Override) -> Procedure:
    # An override older than the procedure applies from the procedure's first version.
    start = max(o.effective_from, procedure.versions[0].effective_from)
    in_force = procedure.in_force_on(start)
    in_force.step(o.step_key)  # the step must exist when the override takes effect
    versions = list(procedure.versions)
    if in_force.effective_from != start:
        versions.append(replace(in_force, effective_from=start))

    def apply(v: ProcedureVersion) -> ProcedureVersion:
        if v.effective_from < start or o.step_key not in v.step_keys():
            return v
        try:
            steps = tuple(
                replace(s, working_days=o.working_days, citation=o.citation) if s.key == o.step_key else s
                for s in v.steps
            )
        except ValueError as e:
            raise ValueError(f"override of {o.procedure}.{o.step_key} from {start.isoformat()}: {e}") from None
        return replace(v, steps=steps)

    return replace(procedure, versions=tuple(apply(v) for v in versions))


# -- reading packs ------------------------------------------------------------------------

_STEP_FIELDS: Final = {
    "key", "title", "stage", "working_days", "starts_at", "extension_ceiling", "kind", "advisory", "citation",
}  # fmt: skip
_VERSION_FIELDS: Final = {"effective_from", "stages", "citation", "counting", "steps", "notes"}
_PACK_FIELDS: Final = {"name", "title", "kinds", "versions"}


class _Table:
    """A TOML table read with checks, so a mistake in a pack names the file and the field."""

    def __init__(self, data: object, where: str, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise PackError(f"{where}: expected a table")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise PackError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {_listed(allowed)}")
        self.data: dict[str, object] = data
        self.where = where

    def get(self, key: str, default: object = ...) -> object:
        if key in self.data:
            return self.data[key]
        if default is ...:
            raise PackError(f"{self.where}: missing {key!r}")
        return default

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PackError(f"{self.where}: {key!r} must be non-empty text, got {value!r}")
        return value.strip()

    def whole(self, key: str, default: object = ...) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise PackError(f"{self.where}: {key!r} must be a whole number, got {value!r}")
        return value

    def optional_whole(self, key: str) -> int | None:
        return None if self.get(key, None) is None else self.whole(key)

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise PackError(f"{self.where}: {key!r} must be true or false, got {value!r}")
        return value

    def day(self, key: str) -> date:
        value = self.get(key)
        if isinstance(value, datetime) or not isinstance(value, date):
            raise PackError(f"{self.where}: {key!r} must be a date like 2006-09-01, got {value!r}")
        return value

    def tables(self, key: str, allowed: set[str], required: bool = True) -> list[_Table]:
        value = self.get(key, ... if required else [])
        if not isinstance(value, list) or (required and not value):
            raise PackError(f"{self.where}: {key!r} must be a list of tables ([[{key}]])")
        return [_Table(item, f"{self.where}, {key}[{i}]", allowed) for i, item in enumerate(value)]


def parse_pack(text: str, source: str) -> Procedure:
    """Read one pack (TOML text); `source` names it in error messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PackError(f"{source}: not valid TOML: {e}") from None
    pack = _Table(raw, source, _PACK_FIELDS)
    name = pack.text("name")
    kinds = pack.get("kinds")
    if not isinstance(kinds, list) or not kinds or not all(k in FEEDBACK_KINDS for k in kinds):
        raise PackError(f"{source}: 'kinds' must be a list drawn from {_listed(FEEDBACK_KINDS)}, got {kinds!r}")
    versions = []
    for v in pack.tables("versions", _VERSION_FIELDS):
        effective_from = v.day("effective_from")
        where = f"{source}, version from {effective_from.isoformat()}"
        v.where = where
        counting = _Table(v.get("counting", {}), f"{where}, counting", {
            "receipt_day_counts_as", "roll_non_working_receipt",
        })  # fmt: skip
        try:
            steps = tuple(
                Step(
                    key=s.text("key"),
                    title=s.text("title"),
                    stage=s.optional_whole("stage"),
                    working_days=s.whole("working_days"),
                    starts_at=s.text("starts_at"),
                    extension_ceiling=s.optional_whole("extension_ceiling"),
                    kind=s.text("kind"),
                    advisory=s.flag("advisory", False),
                    citation=s.text("citation"),
                )
                for s in v.tables("steps", _STEP_FIELDS)
            )
            notes = tuple(
                RuleNote(key=n.text("key"), text=n.text("text"), citation=n.text("citation"))
                for n in v.tables("notes", {"key", "text", "citation"}, required=False)
            )
            versions.append(
                ProcedureVersion(
                    effective_from=effective_from,
                    steps=steps,
                    counting=CountingRule(
                        receipt_day_counts_as=counting.whole("receipt_day_counts_as", 0),
                        roll_non_working_receipt=counting.flag("roll_non_working_receipt", True),
                    ),
                    stages=v.whole("stages"),
                    citation=v.text("citation"),
                    notes=notes,
                    procedure=name,
                )
            )
        except ValueError as e:
            if isinstance(e, PackError):
                raise
            raise PackError(f"{where}: {e}") from None
    try:
        return Procedure(name=name, title=pack.text("title"), kinds=tuple(kinds), versions=tuple(versions))
    except ValueError as e:
        raise PackError(f"{source}: {e}") from None


def _packaged_packs() -> list[Procedure]:
    packs = resources.files("heard.procedure").joinpath("packs")
    return [
        _parse_named(entry.read_text(encoding="utf-8"), entry.name)
        for entry in sorted(packs.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    ]


def _parse_named(text: str, filename: str) -> Procedure:
    procedure = parse_pack(text, filename)
    # One procedure per file, named after it, so a rule is easy to find.
    if procedure.name != filename.removesuffix(".toml"):
        raise PackError(f"{filename}: the procedure is called {procedure.name!r}; name the file after it")
    return procedure


def load_rulebook(extra_dir: str | Path | None = None) -> RuleBook:
    """The packaged procedures, plus any packs (*.toml) in `extra_dir` (a council's own).
    A council pack may not reuse a packaged procedure's name: use overrides for that."""
    procedures = _packaged_packs()
    if extra_dir is not None:
        folder = Path(extra_dir)
        if not folder.is_dir():
            raise PackError(f"{folder}: not a folder of rule packs")
        procedures += [_parse_named(p.read_text(encoding="utf-8"), p.name) for p in sorted(folder.glob("*.toml"))]
    return RuleBook(procedures)


def _listed(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))
