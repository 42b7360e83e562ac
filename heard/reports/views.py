"""The report pages for the complaints manager and the director. Thin: figures from heard.reports.report,
words through heard.reports.services, files from heard.reports.render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from heard.accounts.models import User
from heard.feedback import services as feedback_services
from heard.feedback.models import LessonLearnt
from heard.feedback.services import RuleViolation, StaleRecord
from heard.reports import render as output
from heard.reports.forms import LessonWithdrawForm, LessonWordingForm, NarrativeForm, PeriodForm, SuppressForm
from heard.reports.models import ReportNarrative
from heard.reports.periods import Period, financial_year_label, financial_year_of
from heard.reports.queries import years_with_records
from heard.reports.report import build_report
from heard.reports.services import WRITERS, save_narrative
from heard.reports.tables import INFORMAL_HEADLINE
from heard.staff import access
from heard.staff.decorators import staff_view

FORMAT_NAMES = {
    "html": "Web page (HTML)",
    "pdf": "PDF document",
    "xlsx": "Spreadsheet (XLSX)",
    "csv": "CSV files, one per table (ZIP)",
    "json": "JSON, for other systems",
}


def _may_write(user: User) -> bool:
    return user.role in WRITERS


def _suppress(request: HttpRequest) -> tuple[SuppressForm, int | None]:
    form = SuppressForm(request.GET if "suppress_below" in request.GET else None)
    value = form.cleaned_data.get("suppress_below") if form.is_bound and form.is_valid() else None
    return form, value


def _download(report, fmt: str) -> HttpResponse:
    response = HttpResponse(output.render(report, fmt), content_type=output.CONTENT_TYPES[fmt])
    name = f"{output.filename_stem(report)}.{output.EXTENSIONS[fmt]}"
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _downloads(url_for, query: str) -> list[dict[str, str]]:
    return [{"fmt": f, "name": n, "href": url_for(f) + (f"?{query}" if query else "")} for f, n in FORMAT_NAMES.items()]


@staff_view("reports")
def index(request: HttpRequest) -> HttpResponse:
    years = [(y, financial_year_label(y)) for y in years_with_records(timezone.localdate())]
    return render(
        request,
        "reports/index.html",
        {
            "years": years,
            "period_form": PeriodForm(),
            "may_publish_lessons": access.can(request.user, "publish_lessons"),
        },
    )


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404("No report for that year.")


@staff_view("reports")
def annual(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    suppress_form, suppress_below = _suppress(request)
    report = build_report(Period.financial_year(year), suppress_below=suppress_below)
    downloads = _downloads(
        lambda f: reverse("reports:annual_download", args=[year, f]),
        f"suppress_below={suppress_below}" if suppress_below else "",
    )
    return render(
        request,
        "reports/annual.html",
        {
            "report": report,
            "can_edit": _may_write(request.user) and not suppress_below,
            "may_publish_lessons": access.can(request.user, "publish_lessons"),
            "suppress_form": suppress_form,
            "downloads": downloads,
            "page_has_errors": suppress_form.is_bound and not suppress_form.is_valid(),
        },
    )


@staff_view("reports")
def annual_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    _check_year(year)
    _, suppress_below = _suppress(request)
    return _download(build_report(Period.financial_year(year), suppress_below=suppress_below), fmt)


@staff_view("reports")
def period(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    suppress_form, suppress_below = _suppress(request)
    report = None
    downloads: list[dict[str, str]] = []
    if form.is_bound and form.is_valid():
        report = build_report(
            Period.between(form.cleaned_data["start"], form.cleaned_data["end"]), suppress_below=suppress_below
        )
        query = request.GET.copy()
        if not suppress_below:
            query.pop("suppress_below", None)
        downloads = _downloads(lambda f: reverse("reports:period_download", args=[f]), query.urlencode())
    return render(
        request,
        "reports/period.html",
        {
            "form": form,
            "report": report,
            "downloads": downloads,
            "suppress_form": suppress_form,
            "can_edit": False,
        },
    )


@staff_view("reports")
def period_download(request: HttpRequest, fmt: str) -> HttpResponse:
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return redirect(reverse("reports:period") + "?" + request.GET.urlencode())
    _, suppress_below = _suppress(request)
    report = build_report(
        Period.between(form.cleaned_data["start"], form.cleaned_data["end"]), suppress_below=suppress_below
    )
    return _download(report, fmt)


@staff_view("reports")
@require_http_methods(["GET", "POST"])
def narrative(request: HttpRequest, year: int, section: str) -> HttpResponse:
    _check_year(year)
    labels = dict(ReportNarrative.Section.choices)
    if section not in labels:
        raise Http404("No such section.")
    if not _may_write(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only the complaints manager writes the annual report's words.")
    existing = ReportNarrative.objects.filter(year=year, section=section).first()
    form = NarrativeForm(request.POST or None, initial={"text": existing.text if existing else ""})
    if request.method == "POST" and form.is_valid():
        try:
            save_narrative(actor=request.user, year=year, section=section, text=form.cleaned_data["text"])
        except RuleViolation as refused:
            form.add_error("text", refused.message)
        else:
            from django.contrib import messages

            messages.success(request, f"The words for “{labels[section]}” in {financial_year_label(year)} were saved.")
            return redirect(reverse("reports:annual", args=[year]) + f"#{section.replace('_', '-')}")
    return render(
        request,
        "reports/narrative.html",
        {
            "form": form,
            "year": year,
            "year_label": financial_year_label(year),
            "section": section,
            "section_label": labels[section],
            "existing": existing,
        },
    )


# ------------------------------------------------------------- lessons learnt: wording for the annual report


@staff_view("publish_lessons")
def lessons_this_year(request: HttpRequest) -> HttpResponse:
    return redirect("reports:lessons", financial_year_of(timezone.localdate()))


@staff_view("publish_lessons")
def lessons(request: HttpRequest, year: int) -> HttpResponse:
    """A year's lessons learnt, those awaiting approval of their wording for the annual report first, so
    the person approving can review them all before the report is published."""
    _check_year(year)
    period = Period.financial_year(year)
    rows = list(
        LessonLearnt.objects.filter(
            recorded_on__range=(period.start, period.end), feedback__in=access.visible_feedback(request.user)
        )
        .select_related("feedback__service")
        .order_by("recorded_on", "id")
    )
    awaiting = [x for x in rows if not x.in_report]
    today = timezone.localdate()
    return render(
        request,
        "reports/lessons.html",
        {
            "year": year,
            "year_label": financial_year_label(year),
            "awaiting": awaiting,
            "approved": [x for x in rows if x.in_report],
            "recorded": len(rows),
            "years": [(y, financial_year_label(y)) for y in years_with_records(today)],
            "may_see_report": access.can(request.user, "reports"),
        },
    )


def _lesson_for(request: HttpRequest, lesson_id: int) -> LessonLearnt:
    lesson = LessonLearnt.objects.select_related("feedback__service", "report_approved_by").filter(pk=lesson_id).first()
    # A lesson on a case this person may not see does not exist for them (as a case page: 404).
    if lesson is None or not access.can(request.user, "publish_lessons", lesson.feedback):
        raise Http404("No lesson learnt with that number that you can see.")
    return lesson


@staff_view("publish_lessons")
@require_http_methods(["GET", "POST"])
def lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """Approve, change or withdraw the wording the annual report publishes for one lesson learnt."""
    lesson = _lesson_for(request, lesson_id)
    year = financial_year_of(lesson.recorded_on)
    version = lesson.feedback.version
    form = LessonWordingForm(initial={"report_text": lesson.report_text, "version": version})
    withdraw_form = LessonWithdrawForm(initial={"version": version})
    rule = stale = None
    if request.method == "POST":
        withdrawing = "withdraw" in request.POST
        bound = LessonWithdrawForm(request.POST) if withdrawing else LessonWordingForm(request.POST)
        if withdrawing:
            withdraw_form = bound
        else:
            form = bound
        if bound.is_valid():
            try:
                if withdrawing:
                    feedback_services.withdraw_lesson_from_report(
                        actor=request.user, lesson=lesson, expected_version=bound.cleaned_data["version"]
                    )
                    done = "Taken out of the annual report"
                else:
                    feedback_services.approve_lesson_for_report(
                        actor=request.user,
                        lesson=lesson,
                        text=bound.cleaned_data["report_text"],
                        expected_version=bound.cleaned_data["version"],
                    )
                    done = "Wording approved for the annual report"
            except RuleViolation as refused:
                bound.add_error(refused.field if refused.field in bound.fields else None, refused.message)
                rule, stale = refused.rule, isinstance(refused, StaleRecord)
            else:
                messages.success(request, f"{done}: lesson learnt from {lesson.feedback.reference}")
                return redirect(reverse("reports:lessons", args=[year]) + f"#lesson-{lesson.pk}")
    status = 409 if stale else (400 if request.method == "POST" else 200)
    return render(
        request,
        "reports/lesson.html",
        {
            "lesson": lesson,
            "fb": lesson.feedback,
            "year": year,
            "year_label": financial_year_label(year),
            "form": form,
            "withdraw_form": withdraw_form,
            "rule": rule,
            "stale": stale,
        },
        status=status,
    )


@staff_view("reports")
def dashboard(request: HttpRequest) -> HttpResponse:
    """This financial year so far against the same days last year: the complaints manager's live figures."""
    today = timezone.localdate()
    report = build_report(Period.year_to_date(today), previous_years=1)
    return render(
        request, "reports/dashboard.html", {"report": report, "today": today, "cards": dashboard_cards(report)}
    )


def dashboard_cards(report) -> list[dict[str, object]]:
    """Headline cells picked from the report's tables (no arithmetic here: the tables computed them)."""
    headlines = {r[0]: r[1:] for r in report.table("headlines")["rows"]}
    total = lambda ident: report.table(ident)["rows"][-1]  # noqa: E731
    by_service = total("complaints_by_service")
    timescales = total("timescales_by_service")
    mp, councillor = total("mp_enquiries_by_service"), total("councillor_enquiries_by_service")
    previous = total("complaints_by_service_previous_years")
    return [
        {
            "label": "Stage 1 complaints received",
            "now": headlines["Stage 1 complaints received"][0],
            "before": headlines["Stage 1 complaints received"][1],
        },
        {"label": "Upheld in some element", "now": by_service[7], "before": previous[2]},
        {"label": "Stage 1 responses on time", "now": timescales[2], "before": timescales[3]},
        {
            "label": "Stage 1 complaints outstanding",
            "now": headlines["Stage 1 complaints outstanding"][0],
            "before": None,
        },
        {
            "label": "Escalations to stage 2",
            "now": headlines["Escalations to stage 2"][0],
            "before": headlines["Escalations to stage 2"][1],
        },
        {"label": "MP enquiries answered on time", "now": mp[2], "before": mp[4]},
        {"label": "Councillor enquiries answered on time", "now": councillor[2], "before": councillor[4]},
        {
            "label": "Compliments received",
            "now": headlines["Compliments received"][0],
            "before": headlines["Compliments received"][1],
        },
        {
            "label": "Concerns resolved informally within 24 hours",
            "now": headlines[INFORMAL_HEADLINE][0],
            "before": headlines[INFORMAL_HEADLINE][1],
        },
        {
            "label": "Referred to the Ombudsman",
            "now": headlines["Complaints referred to the Ombudsman"][0],
            "before": headlines["Complaints referred to the Ombudsman"][1],
        },
    ]
