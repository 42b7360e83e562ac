"""Triage: every decision on one page, recorded in one transaction."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone

from heard.feedback.services import RuleViolation, StaleRecord
from heard.staff.decorators import case_view
from heard.staff.forms_triage import TriageForm
from heard.staff.services_triage import record_triage
from heard.staff.views_log import case_url


@case_view("triage")
def triage(request, feedback):
    stale = False
    rule = ""
    if request.method == "POST":
        form = TriageForm.for_case(feedback, data=request.POST)
        if form.is_valid():
            try:
                record_triage(
                    actor=request.user,
                    feedback=feedback,
                    decisions=form.decisions(),
                    on=timezone.localdate(),
                    expected_version=form.cleaned_data["expected_version"],
                )
            except StaleRecord as exc:
                stale = True
                form.add_error(None, exc.message)
            except RuleViolation as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                rule = exc.rule
            else:
                return redirect(case_url(feedback.reference))
    else:
        form = TriageForm.for_case(feedback)
    return render(
        request,
        "staff/triage/triage.html",
        {
            "form": form,
            "case": feedback,
            "rule": rule,
            "stale": stale,
        },
        status=409 if stale else 200,
    )
