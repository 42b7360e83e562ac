"""Concerns resolved informally within 24 hours of first contact: counted, not logged as complaints (ADR 0010).
Recorded from the Log feedback page by those who log feedback; a year's list for them and the director."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from heard.feedback import services
from heard.feedback.models import InformalResolution
from heard.feedback.services import RuleViolation
from heard.reports.periods import Period, financial_year_label, financial_year_of
from heard.staff.access import can
from heard.staff.decorators import staff_view
from heard.staff.forms_informal import InformalResolutionForm
from heard.staff.views_log import _idempotency_key

PAGE_SIZE = 50


@staff_view("log")
def record(request):
    form = InformalResolutionForm(request.POST or None)
    rule = ""
    if request.method == "POST" and form.is_valid():
        try:
            resolution = services.record_informal_resolution(
                actor=request.user,
                today=timezone.localdate(),
                # One submission, one record, even if the button is pressed twice.
                idempotency_key=_idempotency_key(request),
                **form.service_kwargs(),
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            rule = exc.rule
        else:
            messages.success(
                request,
                f"Recorded: a concern resolved informally ({resolution.service.name}, "
                f"first contact {resolution.received_on:%-d %B %Y}). It is counted in the "
                "annual report, not as a complaint.",
            )
            year = financial_year_of(resolution.received_on)
            return redirect(reverse("staff:informal_resolutions") + f"?year={year}")
    return render(
        request,
        "staff/informal/record.html",
        {
            "form": form,
            "rule": rule,
            "idempotency_key": _idempotency_key(request) or secrets.token_hex(16),
        },
        status=400 if form.errors else 200,
    )


@staff_view("informal_resolutions")
def index(request):
    """A financial year's informal resolutions (this year unless ?year=), newest first."""
    this_year = financial_year_of(timezone.localdate())
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        raise Http404("No such year.") from None
    if not 2000 <= year <= this_year:
        raise Http404("No such year.")
    period = Period.financial_year(year)
    rows = (
        InformalResolution.objects.filter(received_on__range=(period.start, period.end))
        .select_related("service", "team", "theme", "recorded_by")
        .order_by("-received_on", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page", 1))
    return render(
        request,
        "staff/informal/index.html",
        {
            "page": page,
            "year": year,
            "year_label": financial_year_label(year),
            "period": period,
            "previous_year": (year - 1, financial_year_label(year - 1)) if year > 2000 else None,
            "next_year": (year + 1, financial_year_label(year + 1)) if year < this_year else None,
            "can_record": can(request.user, "log"),
        },
    )
