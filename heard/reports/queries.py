"""The report's figures, read from the records in a fixed number of aggregate queries.

Each query groups by period (a CASE over the date, so the year and the two before it come back together),
by service and, for complaints, by theme, and counts with conditional aggregation (COUNT … FILTER). The
number of queries does not depend on how many records there are, and no Python loop runs over records:
the loops in heard.reports.tables run over the grouped rows (periods × services × themes).

Definitions (docs/domain.md, and Appendix D of the reference report, Blackpool 2018/19):

- **complaints received**: stage 1 complaints received in the period (Feedback.kind complaint,
  received_on in the period). A complaint *declined* at triage (status DECLINED: not considered under the
  procedure and sent elsewhere, e.g. a court matter or a school's own complaint) is **not** a stage 1
  complaint received: it was never taken into the procedure, has no stage 1 outcome and no timescale, and
  counting it would make "fully considered + withdrawn" fall short of "received" for a reason the report
  cannot show. It still counts as an item of feedback logged (the headline "items of feedback").
- **fully considered**: received complaints whose stage 1 outcome is upheld, partially upheld or not upheld
  (not withdrawn, and not still open).
- **timescale met**: a fully considered complaint whose stage 1 response date is on or before its stored
  stage 1 response deadline (Deadline step "stage1_response", due_on: it includes any extension agreed, and
  was computed by the rule in force when the complaint was received).
- **enquiry meeting timescale**: responded_on on or before the enquiry_response deadline's
  original_due_on ("if the timescale is extended it is counted as missing the timeframe"), computed by the
  rule in force when the enquiry was received (councillors: 5 working days until 31 March 2018, 10 after).
- **escalations**: stage 2 and stage 3 requests made in the period (Stage.requested_on), whenever the
  complaint was first received.
- **concerns resolved informally**: InformalResolution rows whose first contact (received_on) is in the
  period: put right within 24 hours, counted and never logged as complaints, so they are in no complaint
  figure and not in "items of feedback logged" (ADR 0010). Their internal note (`summary`) is never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, Count, F, FilteredRelation, IntegerField, Q, Value, When

from heard.feedback.models import (
    Feedback,
    InformalResolution,
    LessonLearnt,
    OmbudsmanCase,
    OmbudsmanEnquiry,
    OmbudsmanRecommendation,
    Outcome,
    Stage,
)
from heard.organisation.models import Service, Theme
from heard.reports.models import ReportNarrative
from heard.reports.periods import Period

Kind = Feedback.Kind
Status = Feedback.Status
FULLY_CONSIDERED = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD)
# Still with the council at stage 1: not yet answered (RESPONDED waits only for the complainant).
OUTSTANDING = (Status.RECEIVED, Status.OPEN, Status.SUSPENDED)
OTHER_KINDS = (Kind.COMPLIMENT, Kind.COMMENT, Kind.MP_ENQUIRY, Kind.COUNCILLOR_ENQUIRY)


@dataclass
class Figures:
    """Grouped counts for each period (index 0 is the period reported, 1 and 2 the years before)."""

    periods: list[Period]
    services: dict[int, tuple[str, bool]] = field(default_factory=dict)  # id → (name, active)
    themes: dict[int, tuple[str, bool]] = field(default_factory=dict)
    complaints: list[dict[str, Any]] = field(default_factory=list)
    escalations: list[dict[str, Any]] = field(default_factory=list)
    other: list[dict[str, Any]] = field(default_factory=list)
    informal: list[dict[str, Any]] = field(default_factory=list)  # concerns resolved informally, by service
    ombudsman_referrals: list[dict[str, Any]] = field(default_factory=list)
    ombudsman_enquiries: list[dict[str, Any]] = field(default_factory=list)
    ombudsman_decisions: list[dict[str, Any]] = field(default_factory=list)
    ombudsman_recommendations: list[dict[str, Any]] = field(default_factory=list)
    lessons: list[dict[str, Any]] = field(default_factory=list)  # approved for publication only
    lessons_recorded: int = 0  # every lesson recorded in the period, shown or not
    selection: list[dict[str, Any]] = field(default_factory=list)
    narratives: dict[str, str] = field(default_factory=dict)
    # kind → for each period, the working days allowed to answer (from the rule packs)
    enquiry_days: dict[str, list[list[int]]] = field(default_factory=dict)


def _period_of(field_name: str, periods: Sequence[Period]) -> Case:
    return Case(
        *[When(**{f"{field_name}__range": (p.start, p.end)}, then=Value(i)) for i, p in enumerate(periods)],
        default=Value(-1),
        output_field=IntegerField(),
    )


def _in_any(field_name: str, periods: Sequence[Period]) -> Q:
    q = Q()
    for p in periods:
        q |= Q(**{f"{field_name}__range": (p.start, p.end)})
    return q


def complaint_counts(periods: Sequence[Period]) -> list[dict[str, Any]]:
    """One row per (period, service, theme) with every complaint count the report needs."""
    considered = ~Q(status=Status.DECLINED)
    outcome = "s1__outcome"
    return list(
        Feedback.objects.filter(_in_any("received_on", periods), kind=Kind.COMPLAINT)
        .annotate(
            s1=FilteredRelation("stages", condition=Q(stages__number=1)),
            due=FilteredRelation(
                "deadlines", condition=Q(deadlines__step="stage1_response", deadlines__cancelled=False)
            ),
            period=_period_of("received_on", periods),
        )
        .values("period", "service_id", "theme_id")
        .annotate(
            received=Count("id", filter=considered),
            declined=Count("id", filter=Q(status=Status.DECLINED)),
            upheld=Count("id", filter=Q(**{outcome: Outcome.UPHELD})),
            partially_upheld=Count("id", filter=Q(**{outcome: Outcome.PARTIALLY_UPHELD})),
            not_upheld=Count("id", filter=Q(**{outcome: Outcome.NOT_UPHELD})),
            withdrawn=Count("id", filter=Q(**{outcome: Outcome.WITHDRAWN})),
            timescale_met=Count(
                "id", filter=Q(**{f"{outcome}__in": FULLY_CONSIDERED}, s1__responded_on__lte=F("due__due_on"))
            ),
            young_people=Count("id", filter=considered & Q(complainant_role=Feedback.Role.CHILD_OR_YOUNG_PERSON)),
            statutory=Count("id", filter=considered & Q(procedure="statutory")),
            outstanding=Count("id", filter=Q(status__in=OUTSTANDING)),
        )
        .order_by()
    )


def escalation_counts(periods: Sequence[Period]) -> list[dict[str, Any]]:
    """Stage 2 and 3 requests made in each period, by procedure and outcome (blank: not yet answered)."""
    return list(
        Stage.objects.filter(_in_any("requested_on", periods), number__in=(2, 3), feedback__kind=Kind.COMPLAINT)
        .annotate(period=_period_of("requested_on", periods), procedure=F("feedback__procedure"))
        .values("period", "number", "procedure", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )


def other_feedback_counts(periods: Sequence[Period]) -> list[dict[str, Any]]:
    """Compliments, comments and enquiries by period, kind, service, source and category."""
    return list(
        Feedback.objects.filter(_in_any("received_on", periods), kind__in=OTHER_KINDS)
        .annotate(
            due=FilteredRelation("deadlines", condition=Q(deadlines__step="enquiry_response")),
            period=_period_of("received_on", periods),
        )
        .values("period", "kind", "service_id", "compliment_source", "enquiry_category")
        .annotate(n=Count("id"), met=Count("id", filter=Q(responded_on__lte=F("due__original_due_on"))))
        .order_by()
    )


def informal_resolution_counts(periods: Sequence[Period]) -> list[dict[str, Any]]:
    """Concerns resolved informally within 24 hours, by period of first contact and service. Counts only: the
    internal note of what was put right is not read."""
    return list(
        InformalResolution.objects.filter(_in_any("received_on", periods))
        .annotate(period=_period_of("received_on", periods))
        .values("period", "service_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def ombudsman_counts(periods: Sequence[Period]) -> dict[str, list[dict[str, Any]]]:
    return {
        "referrals": list(
            OmbudsmanCase.objects.filter(_in_any("referred_on", periods))
            .annotate(period=_period_of("referred_on", periods))
            .values("period")
            .annotate(n=Count("id"))
            .order_by()
        ),
        "enquiries": list(
            OmbudsmanEnquiry.objects.filter(_in_any("received_on", periods))
            .annotate(period=_period_of("received_on", periods))
            .values("period", "kind")
            .annotate(n=Count("id"), on_time=Count("id", filter=Q(answered_on__lte=F("due_on"))))
            .order_by()
        ),
        "decisions": list(
            OmbudsmanCase.objects.filter(_in_any("decided_on", periods))
            .exclude(decision="")
            .annotate(period=_period_of("decided_on", periods))
            .values("period", "decision")
            .annotate(n=Count("id"))
            .order_by()
        ),
        # The annual letter's compliance rate: recommendations due in the period, complied with by then.
        "recommendations": list(
            OmbudsmanRecommendation.objects.filter(_in_any("due_on", periods))
            .annotate(period=_period_of("due_on", periods))
            .values("period")
            .annotate(n=Count("id"), complied=Count("id", filter=Q(complied_on__lte=F("due_on"))))
            .order_by()
        ),
    }


def lessons_learnt(period: Period) -> list[dict[str, Any]]:
    """Lessons recorded in the period whose wording for publication was approved (LessonLearnt.report_text).
    Never the caseworker's own wording (`action`, which may name a child, a family or a member of staff):
    it is not even read. The owner's role, never their name: no personal data."""
    return list(
        LessonLearnt.objects.filter(recorded_on__range=(period.start, period.end), report_approved_at__isnull=False)
        .exclude(report_text="")
        .values(
            "report_text", "due_on", "completed_on", service=F("feedback__service__name"), owner_role=F("owner__role")
        )
        .order_by("due_on", "id")
    )


def lessons_recorded(period: Period) -> int:
    """How many lessons were recorded in the period, shown in the report or not."""
    return LessonLearnt.objects.filter(recorded_on__range=(period.start, period.end)).count()


def compliment_selection(period: Period) -> list[dict[str, Any]]:
    """Compliments staff chose for the report. Choosing one is staff's confirmation that its text is fit to
    publish; the report shows only the text, the source and the service or team, nothing about the person."""
    return list(
        Feedback.objects.filter(
            kind=Kind.COMPLIMENT, selected_for_report=True, received_on__range=(period.start, period.end)
        )
        .values("summary", "compliment_source", service_name=F("service__name"), team_name=F("team__name"))
        .order_by("received_on", "id")
    )


def report_figures(period: Period, *, previous_years: int = 2) -> Figures:
    """Every figure of the report for `period` and the same period in each of the `previous_years` before."""
    periods = [period, *(period.earlier(n) for n in range(1, previous_years + 1))]
    figures = Figures(periods=periods)
    figures.services = {s["id"]: (s["name"], s["active"]) for s in Service.objects.values("id", "name", "active")}
    figures.themes = {t["id"]: (t["name"], t["active"]) for t in Theme.objects.values("id", "name", "active")}
    figures.complaints = complaint_counts(periods)
    figures.escalations = escalation_counts(periods)
    figures.other = other_feedback_counts(periods)
    figures.informal = informal_resolution_counts(periods)
    ombudsman = ombudsman_counts(periods)
    figures.ombudsman_referrals = ombudsman["referrals"]
    figures.ombudsman_enquiries = ombudsman["enquiries"]
    figures.ombudsman_decisions = ombudsman["decisions"]
    figures.ombudsman_recommendations = ombudsman["recommendations"]
    figures.lessons = lessons_learnt(period)
    figures.lessons_recorded = lessons_recorded(period)
    figures.selection = compliment_selection(period)
    from heard.feedback.clock import rulebook  # cached per process; one cheap query to check it is current

    book = rulebook()
    figures.enquiry_days = {
        kind: [enquiry_timescale_days(book, kind, p) for p in periods]
        for kind in (Kind.MP_ENQUIRY, Kind.COUNCILLOR_ENQUIRY)
    }
    if period.year is not None:
        figures.narratives = dict(ReportNarrative.objects.filter(year=period.year).values_list("section", "text"))
    return figures


def enquiry_timescale_days(book: Any, kind: str, period: Period) -> list[int]:
    """The working days allowed to answer an enquiry of this kind under each rule in force during the
    period (usually one; two if the rule changed part-way through). Read from the rule packs, no query."""
    procedure = book.get("mp_enquiry" if kind == Kind.MP_ENQUIRY else "councillor_enquiry")
    days: list[int] = []
    for on in _version_dates(procedure, period.start, period.end):
        d = procedure.in_force_on(on).step("enquiry_response").working_days
        if d not in days:
            days.append(d)
    return days


def _version_dates(procedure: Any, start: date, end: date) -> list[date]:
    dates = [start]
    for version in getattr(procedure, "versions", []):
        eff = version.effective_from
        if start < eff <= end:
            dates.append(eff)
    return dates


def years_with_records(today: date) -> list[int]:
    """Financial years from the first record to this one, newest first (one query)."""
    from django.db.models import Min

    from heard.reports.periods import financial_year_of

    first = Feedback.objects.aggregate(first=Min("received_on"))["first"]
    this = financial_year_of(today)
    start = financial_year_of(first) if first else this
    return list(range(this, start - 1, -1))
