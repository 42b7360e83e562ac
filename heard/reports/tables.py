"""Pure assembly: the grouped figures (heard.reports.queries) → the report's tables.

A table is a dict: {"id", "title", "columns", "rows", "column_groups"?, "notes"?, "chart"?, "empty"?}. Each
row's first cell names it (a service, theme or category); a total row comes last, its first cell "Total".
Counts are ints and percentages are strings (Pct, a str that remembers the counts it was worked out from),
so suppression (counts, and the percentages worked out from the counts it hides) and the renderers need no
other typing.

Percentages are whole numbers rounded half up (Decimal ROUND_HALF_UP: 12.5% → 13%). Where a percentage has
nothing to be a percentage of, each table shows what the reference report shows in that place:
- complaints by service, outcomes, themes, young people: "0%" (Children's Commissioning 0, 0%);
- timescales met: "0%" in the year reported, "Nil" in previous years (SEN, Education and Psychology
  2017/18 "Nil");
- MP and councillor enquiries and the Ombudsman's rates: "Nil" (Early Help 2017/18: 0 enquiries, "Nil").

Rows: every service (or theme) that is active now, or that has records of the table's kind in any period
shown, so a service or theme retired since still appears in the years it was used. Services come in the
order of the setting HEARD_REPORT_SERVICE_ORDER (names; the reference report's order is not alphabetical),
then any others alphabetically; themes alphabetically, as the reference lists them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

from heard.feedback.models import Feedback, OmbudsmanCase, OmbudsmanEnquiry, Outcome
from heard.reports.queries import Figures

Kind = Feedback.Kind
Table = dict[str, Any]
NIL = "Nil"
TOTAL = "Total"
NO_THEME = "No theme recorded"
INFORMAL_HEADLINE = "Concerns resolved informally within 24 hours (not counted as complaints)"
COMPLAINT_FIELDS = (
    "received",
    "declined",
    "upheld",
    "partially_upheld",
    "not_upheld",
    "withdrawn",
    "timescale_met",
    "young_people",
    "statutory",
    "outstanding",
)
UPHELD_DECISIONS = (
    OmbudsmanCase.Decision.UPHELD_INJUSTICE,
    OmbudsmanCase.Decision.UPHELD_NO_INJUSTICE,
    OmbudsmanCase.Decision.UPHELD_REMEDIED,
)
# LGSCO annual letter: the upheld rate is over detailed investigations, so cases closed after initial
# enquiries and premature complaints referred back are left out of the denominator.
INVESTIGATED_DECISIONS = (*UPHELD_DECISIONS, OmbudsmanCase.Decision.NOT_UPHELD)


class Pct(str):
    """A percentage as the report shows it ("43%"): a string, like every percentage in a table, that also
    remembers the two counts it was worked out from, so that suppression can hide it when it hides either
    of them (beside a count shown as "<5", "100%" upheld or "2%" of 161 would give the count away)."""

    n: int
    d: int

    def __new__(cls, text: str, n: int = 0, d: int = 0) -> Pct:
        obj = super().__new__(cls, text)
        obj.n, obj.d = n, d
        return obj


def pct(n: int, d: int, *, empty: str = "0%") -> str:
    """n as a whole-number percentage of d, rounded half up."""
    if not d:
        return empty
    return Pct(f"{(Decimal(n) * 100 / Decimal(d)).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%", n, d)


def signed_pct(now: int, before: int) -> str:
    if not before:
        return NIL
    change = (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Pct(f"{'+' if change > 0 else ''}{change}%", now, before)


@dataclass
class Counts:
    """Sums of the grouped complaint rows, by period and key (service id, theme id or None for all)."""

    by: dict[tuple[int, Any], dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def get(self, period: int, key: Any, name: str) -> int:
        return self.by.get((period, key), {}).get(name, 0)


def _sum(rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any], fields: Sequence[str]) -> Counts:
    counts = Counts()
    for row in rows:
        for k in (key(row), None):
            bucket = counts.by[(row["period"], k)]
            for f in fields:
                bucket[f] += row[f]
    return counts


def service_order(services: dict[int, tuple[str, bool]], ids: Iterable[int]) -> list[int]:
    configured = list(getattr(settings, "HEARD_REPORT_SERVICE_ORDER", []) or [])
    position = {name: i for i, name in enumerate(configured)}
    return sorted(set(ids), key=lambda i: (position.get(services[i][0], len(configured)), services[i][0].lower()))


def _rows_for(catalogue: dict[int, tuple[str, bool]], used: Iterable[Any]) -> list[int]:
    return [i for i in catalogue if catalogue[i][1]] + [i for i in set(used) if i in catalogue and not catalogue[i][1]]


class _Builder:
    def __init__(self, figures: Figures):
        self.f = figures
        self.periods = figures.periods
        self.labels = [p.label for p in figures.periods]
        self.now = self.labels[0]
        self.previous = list(range(1, len(self.periods)))
        rows = [r for r in figures.complaints if r["period"] >= 0]
        self.by_service = _sum(rows, lambda r: r["service_id"], COMPLAINT_FIELDS)
        # Complaints with no theme recorded get their own row, keyed "none" (None is the all-rows key).
        self.by_theme = _sum(rows, lambda r: "none" if r["theme_id"] is None else r["theme_id"], COMPLAINT_FIELDS)
        used_services = {r["service_id"] for r in rows if r["received"]}
        self.complaint_services = service_order(figures.services, _rows_for(figures.services, used_services))
        used_themes = {r["theme_id"] for r in rows if r["received"]}
        self.theme_ids = sorted(_rows_for(figures.themes, used_themes), key=lambda i: figures.themes[i][0].lower())
        self.no_theme = None in used_themes
        other = [r for r in figures.other if r["period"] >= 0]
        self.other = other
        self.escalations = [r for r in figures.escalations if r["period"] >= 0]
        self.informal = [r for r in figures.informal if r["period"] >= 0]

    # ---------------------------------------------------------------------------------------- helpers

    def c(self, period: int, service: Any, name: str) -> int:
        return self.by_service.get(period, service, name)

    def fully_considered(self, period: int, service: Any) -> int:
        return sum(self.c(period, service, f) for f in ("upheld", "partially_upheld", "not_upheld"))

    def upheld_some(self, period: int, service: Any) -> int:
        return self.c(period, service, "upheld") + self.c(period, service, "partially_upheld")

    def name(self, service_id: int) -> str:
        return self.f.services[service_id][0]

    def other_count(
        self,
        kind: str,
        period: int,
        service: Any = None,
        *,
        field_name: str = "n",
        where: Callable[[dict[str, Any]], bool] = lambda r: True,
    ) -> int:
        return sum(
            r[field_name]
            for r in self.other
            if r["kind"] == kind
            and r["period"] == period
            and (service is None or r["service_id"] == service)
            and where(r)
        )

    def other_services(self, *kinds: str) -> list[int]:
        used = {r["service_id"] for r in self.other if r["kind"] in kinds and r["n"]}
        return service_order(self.f.services, _rows_for(self.f.services, used))

    def informal_count(self, period: int, service: Any = None) -> int:
        """Concerns resolved informally within 24 hours: never part of a complaint figure (ADR 0010)."""
        return sum(
            r["n"] for r in self.informal if r["period"] == period and (service is None or r["service_id"] == service)
        )

    def stage_requests(
        self, period: int, number: int | None = None, corporate: bool | None = None, outcome: str | None = None
    ) -> int:
        return sum(
            r["n"]
            for r in self.escalations
            if r["period"] == period
            and (number is None or r["number"] == number)
            and (corporate is None or (r["procedure"] != "statutory") == corporate)
            and (outcome is None or r["outcome"] == outcome)
        )

    def ombudsman(self, rows: list[dict[str, Any]], period: int, field_name: str = "n", **match: Any) -> int:
        return sum(r[field_name] for r in rows if r["period"] == period and all(r[k] == v for k, v in match.items()))

    # ----------------------------------------------------------------------------------------- tables

    def headlines(self) -> Table:
        cols = range(min(2, len(self.periods)))

        def row(label: str, value: Callable[[int], Any]) -> list[Any]:
            return [label, *(value(p) for p in cols)]

        def s1(p: int) -> int:
            return self.c(p, None, "received")

        def all_complaints(p: int) -> int:
            return s1(p) + self.stage_requests(p, 2) + self.stage_requests(p, 3)

        def items(p: int) -> int:
            return (
                self.c(p, None, "received")
                + self.c(p, None, "declined")
                + sum(r["n"] for r in self.other if r["period"] == p)
            )

        def enquiries(p: int) -> int:
            return self.other_count(Kind.MP_ENQUIRY, p) + self.other_count(Kind.COUNCILLOR_ENQUIRY, p)

        top = max(self.complaint_services, key=lambda s: self.c(0, s, "received"), default=None)
        rows = [
            row("Items of feedback logged", items),
            row("Complaints received (stage 1, and escalations to stages 2 and 3)", all_complaints),
            row("Stage 1 complaints received", s1),
            row("Escalations to stage 2", lambda p: self.stage_requests(p, 2)),
            row("Escalations to stage 3", lambda p: self.stage_requests(p, 3)),
            row(
                "Change in complaints received on the year before",
                lambda p: signed_pct(all_complaints(p), all_complaints(p + 1)) if p + 1 < len(self.periods) else "",
            ),
            row(
                "Service with the most stage 1 complaints",
                lambda p: self.name(top) if top is not None and p == 0 and self.c(0, top, "received") else "",
            ),
            row("Stage 1 complaints outstanding", lambda p: self.c(p, None, "outstanding")),
            row(
                "Statutory complaints, as a percentage of stage 1 complaints",
                lambda p: pct(self.c(p, None, "statutory"), s1(p)),
            ),
            row("Complaints from children and young people", lambda p: self.c(p, None, "young_people")),
            row("Complaints referred to the Ombudsman", lambda p: self.ombudsman(self.f.ombudsman_referrals, p)),
            row("MP and councillor enquiries", enquiries),
            row("Compliments received", lambda p: self.other_count(Kind.COMPLIMENT, p)),
            row("Comments received", lambda p: self.other_count(Kind.COMMENT, p)),
            # Counted, not logged: in no complaint figure above and not among the items of feedback logged.
            row(INFORMAL_HEADLINE, self.informal_count),
        ]
        return {
            "id": "headlines",
            "title": "Key headlines",
            "columns": ["Headline", *(self.labels[p] for p in cols)],
            "rows": rows,
        }

    def complaints_by_service(self) -> Table:
        total = self.c(0, None, "received")

        def row(label: str, s: Any) -> list[Any]:
            fc = self.fully_considered(0, s)
            return [
                label,
                self.c(0, s, "received"),
                pct(self.c(0, s, "received"), total),
                fc,
                self.c(0, s, "upheld"),
                self.c(0, s, "partially_upheld"),
                self.upheld_some(0, s),
                pct(self.upheld_some(0, s), fc),
            ]

        return {
            "id": "complaints_by_service",
            "title": f"Complaint breakdown by service, {self.now}",
            "columns": [
                "Complaint breakdown by Service",
                "Totals",
                "Percentage %",
                "Fully considered",
                "Upheld",
                "Partially Upheld",
                "Upheld and Partially Upheld",
                "Percentage upheld in some element %",
            ],
            "column_groups": [
                ("", 1),
                (f"Total Number of Complaints {self.now}", 2),
                (f"Complaint Outcomes {self.now}", 5),
            ],
            "rows": [*(row(self.name(s), s) for s in self.complaint_services), row(TOTAL, None)],
            "notes": "Totals: stage 1 complaints received. Fully considered: those with a stage 1 outcome other "
            "than withdrawn. Upheld in some element: upheld plus partially upheld, as a percentage of "
            "those fully considered.",
            "chart": {"columns": [1], "unit": "count", "title": f"Stage 1 complaints received by service, {self.now}"},
        }

    def outcomes_by_service(self) -> Table:
        def row(label: str, s: Any) -> list[Any]:
            fc = self.fully_considered(0, s)
            return [
                label,
                fc,
                self.c(0, s, "upheld"),
                self.c(0, s, "partially_upheld"),
                self.c(0, s, "not_upheld"),
                self.upheld_some(0, s),
                pct(self.upheld_some(0, s), fc),
                self.c(0, s, "withdrawn"),
            ]

        return {
            "id": "outcomes_by_service",
            "title": f"Stage 1 complaint outcomes by service, {self.now}",
            "columns": [
                "Service",
                "Fully considered",
                "Upheld",
                "Partially Upheld",
                "Not Upheld",
                "Upheld and Partially Upheld",
                "Percentage upheld in some element %",
                "Withdrawn",
            ],
            "rows": [*(row(self.name(s), s) for s in self.complaint_services), row(TOTAL, None)],
            "chart": {
                "columns": [2, 3],
                "unit": "count",
                "title": f"Complaints upheld in some element by service, {self.now}",
            },
        }

    def complaints_by_service_previous_years(self) -> Table:
        def row(label: str, s: Any) -> list[Any]:
            cells: list[Any] = [label]
            for p in self.previous:
                fc = self.fully_considered(p, s)
                cells += [fc, pct(self.upheld_some(p, s), fc), self.upheld_some(p, s)]
            return cells

        columns = ["Previous Years Complaint Data"]
        for p in self.previous:
            columns += [
                f"{self.labels[p]} Totals",
                f"{self.labels[p]} Percentage upheld in some element %",
                f"{self.labels[p]} Upheld and Partially Upheld",
            ]
        return {
            "id": "complaints_by_service_previous_years",
            "title": "Previous years' complaint data by service",
            "columns": columns,
            "column_groups": [("", 1), *((self.labels[p], 3) for p in self.previous)],
            "rows": [*(row(self.name(s), s) for s in self.complaint_services), row(TOTAL, None)],
            "notes": "As in the reference report, each year's Totals are that year's fully considered complaints.",
        }

    def timescales_by_service(self) -> Table:
        def row(label: str, s: Any) -> list[Any]:
            cells: list[Any] = [
                label,
                self.c(0, s, "timescale_met"),
                pct(self.c(0, s, "timescale_met"), self.fully_considered(0, s)),
            ]
            cells += [pct(self.c(p, s, "timescale_met"), self.fully_considered(p, s), empty=NIL) for p in self.previous]
            return cells

        return {
            "id": "timescales_by_service",
            "title": f"Stage 1 complaints meeting timescale by service, {self.now}",
            "columns": [
                "Complaints - Timescales",
                f"Total meeting timescale {self.now}",
                f"Percentage meeting timescale {self.now}",
                *(f"Percentage meeting timescale {self.labels[p]}" for p in self.previous),
            ],
            "column_groups": [
                ("", 1),
                (f"Number of complaints meeting timescale {self.now}", 2),
                ("Percentage of complaints meeting timescale in previous years", len(self.previous)),
            ],
            "rows": [*(row(self.name(s), s) for s in self.complaint_services), row("Total", None)],
            "notes": "A fully considered complaint meets the timescale when its stage 1 response was sent on or "
            "before its due date under the rule in force when it was received (with any extension "
            "agreed). Percentages are of the fully considered complaints.",
            "chart": {
                "columns": [2, *(3 + i for i in range(len(self.previous)))],
                "unit": "percent",
                "title": "Percentage of stage 1 complaints meeting timescale by service",
            },
        }

    def complaints_by_theme(self) -> Table:
        total = self.by_theme.get(0, None, "received")

        def row(label: str, t: Any) -> list[Any]:
            get = lambda name, p=0: self.by_theme.get(p, t, name)  # noqa: E731
            n = get("received")
            return [
                label,
                n,
                pct(n, total),
                pct(get("upheld"), n),
                pct(get("partially_upheld"), n),
                pct(get("upheld") + get("partially_upheld"), n),
                pct(get("not_upheld"), n),
                pct(get("withdrawn"), n),
                *(get("received", p) for p in self.previous),
            ]

        rows = [row(self.f.themes[t][0], t) for t in self.theme_ids]
        if self.no_theme:
            rows.append(row(NO_THEME, "none"))
        return {
            "id": "complaints_by_theme",
            "title": f"Stage 1 complaints by theme, {self.now}",
            "columns": [
                "Complaints by Theme",
                f"Total {self.now}",
                "Percentage %",
                "Upheld",
                "Partially Upheld",
                "Upheld and Partially Upheld",
                "Not Upheld",
                "Withdrawn",
                *(f"{self.labels[p]} Theme Totals" for p in self.previous),
            ],
            "column_groups": [
                ("", 1),
                (self.now, 2),
                (f"Outcome Percentages % {self.now}", 5),
                ("Previous Years", len(self.previous)),
            ],
            "rows": [*rows, row(TOTAL, None)],
            "notes": "Outcome percentages are of all complaints received with that theme, withdrawn included.",
            "chart": {"columns": [1], "unit": "count", "title": f"Stage 1 complaints by theme, {self.now}"},
        }

    def theme_outcomes_chart_table(self) -> Table:
        base = self.complaints_by_theme()
        return {
            "id": "outcomes_by_theme",
            "title": f"Stage 1 complaint outcomes by theme, {self.now}",
            "columns": [base["columns"][0], "Upheld", "Partially Upheld", "Not Upheld", "Withdrawn"],
            "rows": [[r[0], r[3], r[4], r[6], r[7]] for r in base["rows"]],
            "notes": base["notes"],
            "chart": {
                "columns": [1, 2, 3, 4],
                "unit": "percent",
                "title": f"Stage 1 complaint outcomes by theme, {self.now}",
            },
        }

    def escalations_table(self) -> Table:
        outcomes = [Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD, Outcome.WITHDRAWN, ""]

        def row(label: str, number: int | None, corporate: bool | None) -> list[Any]:
            return [
                label,
                self.stage_requests(0, number, corporate),
                *(self.stage_requests(0, number, corporate, o) for o in outcomes),
                *(self.stage_requests(p, number, corporate) for p in self.previous),
            ]

        return {
            "id": "stage_2_and_3",
            "title": f"Stage 2 and stage 3 complaints, {self.now}",
            "columns": [
                "Stage",
                f"Requests {self.now}",
                "Upheld",
                "Partially Upheld",
                "Not Upheld",
                "Withdrawn",
                "No outcome recorded yet",
                *(f"Requests {self.labels[p]}" for p in self.previous),
            ],
            "rows": [
                row("Stage 2, statutory procedure (investigation)", 2, False),
                row("Stage 2, corporate procedure", 2, True),
                row("Stage 3, statutory procedure (review panel)", 3, False),
                row("Stage 3, corporate procedure", 3, True),
                row(TOTAL, None, None),
            ],
            "notes": "Requests for stage 2 or stage 3 made in the period, whenever the complaint was first made.",
        }

    def young_people(self) -> Table:
        return {
            "id": "young_people",
            "title": "Complaints from children and young people",
            "columns": ["Complaints from children and young people", *self.labels],
            "rows": [
                [
                    "Stage 1 complaints made by a child or young person",
                    *(self.c(p, None, "young_people") for p in range(len(self.periods))),
                ],
                [
                    "Percentage of stage 1 complaints",
                    *(
                        pct(self.c(p, None, "young_people"), self.c(p, None, "received"))
                        for p in range(len(self.periods))
                    ),
                ],
            ],
        }

    def compliments_by_service(self) -> Table:
        k = Kind.COMPLIMENT

        def row(label: str, s: Any) -> list[Any]:
            return [
                label,
                self.other_count(k, 0, s, where=lambda r: r["compliment_source"] == "internal"),
                self.other_count(k, 0, s, where=lambda r: r["compliment_source"] == "external"),
                self.other_count(k, 0, s),
                *(self.other_count(k, p, s) for p in self.previous),
            ]

        return {
            "id": "compliments_by_service",
            "title": f"Compliments by service, {self.now}",
            "columns": [
                "Compliments by Service",
                f"Internal {self.now}",
                f"External {self.now}",
                f"Total {self.now}",
                *(f"Total {self.labels[p]}" for p in self.previous),
            ],
            "column_groups": [("", 1), (self.now, 3), ("Previous Years", len(self.previous))],
            "rows": [*(row(self.name(s), s) for s in self.other_services(k)), row(TOTAL, None)],
            "notes": "Internal: from colleagues, courts and conference chairs. External: from service users and "
            "their families.",
            "chart": {
                "columns": [1, 2],
                "unit": "count",
                "title": f"Internal and external compliments by service, {self.now}",
            },
        }

    def comments_by_service(self) -> Table:
        k = Kind.COMMENT
        periods = range(len(self.periods))
        return {
            "id": "comments_by_service",
            "title": "Comments by service",
            "columns": ["Comments by Service", *self.labels],
            "rows": [
                *([self.name(s), *(self.other_count(k, p, s) for p in periods)] for s in self.other_services(k)),
                [TOTAL, *(self.other_count(k, p) for p in periods)],
            ],
            "chart": {"columns": [1 + p for p in periods], "unit": "count", "title": "Comments by service"},
        }

    def enquiries_by_service(self, kind: str) -> Table:
        who = "Member of Parliament" if kind == Kind.MP_ENQUIRY else "Councillor"
        columns = [f"{who} Enquiries"]
        groups: list[tuple[str, int]] = [("", 1)]
        for p, period in enumerate(self.periods):
            days = " or ".join(str(d) for d in self.f.enquiry_days[kind][p])
            columns += [f"Number of Enquiries {period.label}", f"% Meeting {days} Day Timescale {period.label}"]
            groups.append((period.label if p == 0 else f"{period.label} Comparison", 2))

        def row(label: str, s: Any) -> list[Any]:
            cells: list[Any] = [label]
            for p in range(len(self.periods)):
                n = self.other_count(kind, p, s)
                cells += [n, pct(self.other_count(kind, p, s, field_name="met"), n, empty=NIL)]
            return cells

        ident = "mp_enquiries_by_service" if kind == Kind.MP_ENQUIRY else "councillor_enquiries_by_service"
        return {
            "id": ident,
            "title": f"{who} enquiries by service",
            "columns": columns,
            "column_groups": groups,
            "rows": [*(row(self.name(s), s) for s in self.other_services(kind)), row(TOTAL, None)],
            "notes": "An enquiry meets the timescale when answered within the working days in force when it was "
            "received; an extended enquiry counts as missing it.",
        }

    def enquiries_by_category(self) -> Table:
        labels = dict(Feedback.EnquiryCategory.choices)
        kinds = (Kind.MP_ENQUIRY, Kind.COUNCILLOR_ENQUIRY)
        used = {r["enquiry_category"] for r in self.other if r["kind"] in kinds and r["period"] == 0}
        categories = [*labels, *([""] if "" in used else [])]

        def row(label: str, cat: str | None) -> list[Any]:
            def wanted(r: dict[str, Any]) -> bool:
                return cat is None or r["enquiry_category"] == cat

            counts = [self.other_count(k, 0, where=wanted) for k in kinds]
            return [label, *counts, sum(counts)]

        return {
            "id": "enquiries_by_category",
            "title": f"MP and councillor enquiries by category, {self.now}",
            "columns": ["Category", "MP enquiries", "Councillor enquiries", "Total"],
            "rows": [*(row(labels.get(c, "Category not recorded"), c) for c in categories), row(TOTAL, None)],
        }

    def ombudsman_activity(self) -> Table:
        f = self.f
        periods = range(len(self.periods))

        def enquiries(p: int, **match: Any) -> int:
            return self.ombudsman(f.ombudsman_enquiries, p, **match)

        E = OmbudsmanEnquiry.Kind
        return {
            "id": "ombudsman_activity",
            "title": "Local Government and Social Care Ombudsman: referrals and enquiries",
            "columns": ["Ombudsman", *self.labels],
            "rows": [
                ["Complaints referred to the Ombudsman", *(self.ombudsman(f.ombudsman_referrals, p) for p in periods)],
                ["Initial requests for information", *(enquiries(p, kind=E.INITIAL) for p in periods)],
                ["Further requests for information", *(enquiries(p, kind=E.FURTHER) for p in periods)],
                ["Draft decisions: comments requested", *(enquiries(p, kind=E.DRAFT_DECISION) for p in periods)],
                [
                    "Enquiries answered within the Ombudsman's timescale",
                    *(self.ombudsman(f.ombudsman_enquiries, p, "on_time") for p in periods),
                ],
                [
                    "Percentage of enquiries answered on time",
                    *(
                        pct(self.ombudsman(f.ombudsman_enquiries, p, "on_time"), enquiries(p), empty=NIL)
                        for p in periods
                    ),
                ],
            ],
        }

    def ombudsman_decisions(self) -> Table:
        periods = range(len(self.periods))
        rows = [
            [label, *(self.ombudsman(self.f.ombudsman_decisions, p, decision=value) for p in periods)]
            for value, label in OmbudsmanCase.Decision.choices
        ]
        return {
            "id": "ombudsman_decisions",
            "title": "The Ombudsman's final decisions",
            "columns": ["Decision", *self.labels],
            "rows": [*rows, [TOTAL, *(self.ombudsman(self.f.ombudsman_decisions, p) for p in periods)]],
        }

    def ombudsman_annual_letter(self) -> Table:
        periods = range(len(self.periods))
        d = self.f.ombudsman_decisions

        def count(p: int, decisions: Iterable[str]) -> int:
            return sum(self.ombudsman(d, p, decision=x) for x in decisions)

        recs = self.f.ombudsman_recommendations
        return {
            "id": "ombudsman_annual_letter",
            "title": "The Ombudsman's annual letter figures",
            "columns": ["Measure", *self.labels],
            "rows": [
                ["Detailed investigations decided", *(count(p, INVESTIGATED_DECISIONS) for p in periods)],
                ["Upheld", *(count(p, UPHELD_DECISIONS) for p in periods)],
                [
                    "Upheld rate (% of detailed investigations upheld)",
                    *(pct(count(p, UPHELD_DECISIONS), count(p, INVESTIGATED_DECISIONS), empty=NIL) for p in periods),
                ],
                [
                    "Compliance with the Ombudsman's recommendations (% complied with by their due date)",
                    *(pct(self.ombudsman(recs, p, "complied"), self.ombudsman(recs, p), empty=NIL) for p in periods),
                ],
                [
                    "Satisfactory remedy provided by the council before the Ombudsman's involvement (% of upheld)",
                    *(
                        pct(count(p, [OmbudsmanCase.Decision.UPHELD_REMEDIED]), count(p, UPHELD_DECISIONS), empty=NIL)
                        for p in periods
                    ),
                ],
            ],
        }

    def lessons_learnt(self) -> Table:
        """Only the wording approved for publication (LessonLearnt.report_text), never the caseworker's."""
        from heard.accounts.models import User

        roles = dict(User.Role.choices)
        return {
            "id": "lessons_learnt",
            "title": f"Lessons learnt, {self.now}",
            "columns": ["Lesson learnt", "Service", "Owner", "Due", "Done"],
            "rows": [
                [
                    x["report_text"],
                    x["service"],
                    roles.get(x["owner_role"], "Council officer"),
                    f"{x['due_on']:%-d %B %Y}",
                    f"Yes, {x['completed_on']:%-d %B %Y}" if x["completed_on"] else "Not yet",
                ]
                for x in self.f.lessons
            ],
            "notes": "Lessons learnt from complaints, in wording written for publication and approved by customer "
            "relations or the complaints manager. A lesson whose wording has not been approved is counted "
            "in the table of lessons recorded but not shown.",
            "empty": "No lesson learnt in this period has wording approved for publication.",
        }

    def lessons_learnt_counts(self) -> Table:
        shown = len(self.f.lessons)
        return {
            "id": "lessons_learnt_counts",
            "title": f"Lessons learnt recorded and shown, {self.now}",
            "columns": ["Lessons learnt", self.now],
            "rows": [
                ["Lessons learnt recorded", self.f.lessons_recorded],
                ["Shown in this report (wording approved for publication)", shown],
                ["Not shown (wording not yet approved)", self.f.lessons_recorded - shown],
            ],
        }

    def informal_resolutions(self) -> Table:
        """Concerns put right within 24 hours of first contact, by service: counts only, never the note."""
        periods = range(len(self.periods))
        used = {r["service_id"] for r in self.informal if r["n"]}
        services = service_order(self.f.services, _rows_for(self.f.services, used))
        return {
            "id": "informal_resolutions",
            "title": "Concerns resolved informally within 24 hours, by service",
            "columns": ["Concerns resolved informally by Service", *self.labels],
            "rows": [
                *([self.name(s), *(self.informal_count(p, s) for p in periods)] for s in services),
                [TOTAL, *(self.informal_count(p) for p in periods)],
            ],
            "notes": "Concerns put right within 24 hours of first contact, counted in the year of first contact. "
            "They are not logged as formal complaints and are not included in any complaint figure.",
        }

    def compliment_selection(self) -> Table:
        sources = dict(Feedback.ComplimentSource.choices)
        return {
            "id": "compliments_selection",
            "title": "A selection of compliments",
            "columns": ["Compliment", "Source", "For"],
            "rows": [
                [
                    x["summary"],
                    sources.get(x["compliment_source"], "Not recorded").split(" (")[0],
                    x["team_name"] or x["service_name"],
                ]
                for x in self.f.selection
            ],
        }


def assemble(figures: Figures) -> list[Table]:
    b = _Builder(figures)
    return [
        b.headlines(),
        b.complaints_by_service(),
        b.outcomes_by_service(),
        b.complaints_by_service_previous_years(),
        b.complaints_by_theme(),
        b.theme_outcomes_chart_table(),
        b.timescales_by_service(),
        b.escalations_table(),
        b.ombudsman_activity(),
        b.ombudsman_decisions(),
        b.ombudsman_annual_letter(),
        b.lessons_learnt_counts(),
        b.lessons_learnt(),
        b.informal_resolutions(),
        b.young_people(),
        b.compliments_by_service(),
        b.compliment_selection(),
        b.comments_by_service(),
        b.enquiries_by_service(Kind.MP_ENQUIRY),
        b.enquiries_by_service(Kind.COUNCILLOR_ENQUIRY),
        b.enquiries_by_category(),
    ]


SUPPRESSED_PERCENTAGE = "[c]"  # confidential: the Government Statistical Service's symbol


def suppress(tables: list[Table], below: int | None) -> list[Table]:
    """For publication: every count from 1 to below-1 becomes "<below" (zero stays 0), and so does every
    percentage worked out from such a count, its numerator or its denominator, which becomes "[c]":
    beside "<5", "100%" upheld says all of them were, and "2%" of 161 says there were 3."""
    if not below or below < 2:
        return tables
    mark = f"<{below}"

    def small(n: int) -> bool:
        return 0 < n < below

    def cover(cell: Any) -> Any:
        if isinstance(cell, int) and not isinstance(cell, bool) and small(cell):
            return mark
        if isinstance(cell, Pct) and (small(cell.n) or small(cell.d)):
            return SUPPRESSED_PERCENTAGE
        return cell

    return [
        {**t, "rows": [[cover(cell) for cell in row] for row in t["rows"]], "suppressed_below": below} for t in tables
    ]
