"""The report pages for the complaints manager and the director. Thin: figures from heard.reports.report,
words through heard.reports.services, files from heard.reports.render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from heard.accounts.models import User
from heard.feedback.services import RuleViolation
from heard.reports import render as output
from heard.reports.forms import NarrativeForm, PeriodForm, SuppressForm
from heard.reports.models import ReportNarrative
from heard.reports.periods import Period, financial_year_label
from heard.reports.queries import years_with_records
from heard.reports.report import build_report
from heard.reports.services import WRITERS, save_narrative
from heard.staff.decorators import staff_view

FORMAT_NAMES = {"html": "Web page (HTML)", "pdf": "PDF document", "xlsx": "Spreadsheet (XLSX)",
                "csv": "CSV files, one per table (ZIP)", "json": "JSON, for other systems"}


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
    return [{"fmt": f, "name": n, "href": url_for(f) + (f"?{query}" if query else "")}
            for f, n in FORMAT_NAMES.items()]


@staff_view("reports")
def index(request: HttpRequest) -> HttpResponse:
    years = [(y, financial_year_label(y)) for y in years_with_records(timezone.localdate())]
    return render(request, "reports/index.html", {"years": years, "period_form": PeriodForm()})


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404("No report for that year.")


@staff_view("reports")
def annual(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    suppress_form, suppress_below = _suppress(request)
    report = build_report(Period.financial_year(year), suppress_below=suppress_below)
    downloads = _downloads(lambda f: reverse("reports:annual_download", args=[year, f]),
                           f"suppress_below={suppress_below}" if suppress_below else "")
    return render(request, "reports/annual.html", {
        "report": report, "can_edit": _may_write(request.user) and not suppress_below,
        "suppress_form": suppress_form, "downloads": downloads,
        "page_has_errors": suppress_form.is_bound and not suppress_form.is_valid(),
    })


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
        report = build_report(Period.between(form.cleaned_data["start"], form.cleaned_data["end"]),
                              suppress_below=suppress_below)
        query = request.GET.copy()
        if not suppress_below:
            query.pop("suppress_below", None)
        downloads = _downloads(lambda f: reverse("reports:period_download", args=[f]), query.urlencode())
    return render(request, "reports/period.html", {
        "form": form, "report": report, "downloads": downloads, "suppress_form": suppress_form,
        "can_edit": False,
    })


@staff_view("reports")
def period_download(request: HttpRequest, fmt: str) -> HttpResponse:
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return redirect(reverse("reports:period") + "?" + request.GET.urlencode())
    _, suppress_below = _suppress(request)
    report = build_report(Period.between(form.cleaned_data["start"], form.cleaned_data["end"]),
                          suppress_below=suppress_below)
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
    return render(request, "reports/narrative.html", {
        "form": form, "year": year, "year_label": financial_year_label(year), "section": section,
        "section_label": labels[section], "existing": existing,
    })


@staff_view("reports")
def dashboard(request: HttpRequest) -> HttpResponse:
    """This financial year so far against the same days last year: the complaints manager's live figures."""
    today = timezone.localdate()
    report = build_report(Period.year_to_date(today), previous_years=1)
    return render(request, "reports/dashboard.html", {"report": report, "today": today,
                                                      "cards": dashboard_cards(report)})


def dashboard_cards(report) -> list[dict[str, object]]:
    """Headline cells picked from the report's tables (no arithmetic here: the tables computed them)."""
    headlines = {r[0]: r[1:] for r in report.table("headlines")["rows"]}
    total = lambda ident: report.table(ident)["rows"][-1]  # noqa: E731
    by_service = total("complaints_by_service")
    timescales = total("timescales_by_service")
    mp, councillor = total("mp_enquiries_by_service"), total("councillor_enquiries_by_service")
    previous = total("complaints_by_service_previous_years")
    return [
        {"label": "Stage 1 complaints received", "now": headlines["Stage 1 complaints received"][0],
         "before": headlines["Stage 1 complaints received"][1]},
        {"label": "Upheld in some element", "now": by_service[7], "before": previous[2]},
        {"label": "Stage 1 responses on time", "now": timescales[2], "before": timescales[3]},
        {"label": "Stage 1 complaints outstanding", "now": headlines["Stage 1 complaints outstanding"][0],
         "before": None},
        {"label": "Escalations to stage 2", "now": headlines["Escalations to stage 2"][0],
         "before": headlines["Escalations to stage 2"][1]},
        {"label": "MP enquiries answered on time", "now": mp[2], "before": mp[4]},
        {"label": "Councillor enquiries answered on time", "now": councillor[2], "before": councillor[4]},
        {"label": "Compliments received", "now": headlines["Compliments received"][0],
         "before": headlines["Compliments received"][1]},
        {"label": "Referred to the Ombudsman", "now": headlines["Complaints referred to the Ombudsman"][0],
         "before": headlines["Complaints referred to the Ombudsman"][1]},
    ]
