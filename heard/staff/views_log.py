"""Log feedback of every kind from every channel."""

from __future__ import annotations

import re
import secrets

from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from heard.feedback import services
from heard.feedback.services import RuleViolation
from heard.staff import queries
from heard.staff.decorators import staff_view
from heard.staff.forms_log import LogFeedbackForm


def case_url(reference: str) -> str:
    try:
        return reverse("staff:case", args=[reference])
    except NoReverseMatch:  # the case pages are another part of the staff app
        return f"/staff/cases/{reference}/"


def _idempotency_key(request) -> str | None:
    """The key the form was shown with: ours are 32 hex digits; anything else is ignored, not stored."""
    key = request.POST.get("idempotency_key", "")
    return key if re.fullmatch(r"[0-9a-f]{32}", key) else None


@staff_view("log")
def log(request):
    duplicates = None
    if request.method == "POST":
        form = LogFeedbackForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            duplicates = queries.possible_duplicates(
                request.user,
                service=d["service"],
                name=d.get("complainant_name", ""),
                email=d.get("complainant_email", ""),
            )
            if duplicates and not d.get("confirm_not_duplicate"):
                form.add_error(
                    "confirm_not_duplicate",
                    "Select the box to confirm this is new feedback, or open the existing case instead",
                )
            else:
                try:
                    feedback = services.log_feedback(
                        actor=request.user,
                        today=timezone.localdate(),
                        # One submission, one record, even if the button is pressed twice.
                        idempotency_key=_idempotency_key(request),
                        **form.service_kwargs(),
                    )
                except RuleViolation as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                    form.rule = exc.rule
                else:
                    return redirect(case_url(feedback.reference))
    else:
        form = LogFeedbackForm()
    return render(
        request,
        "staff/log/log.html",
        {
            "form": form,
            "duplicates": duplicates,
            "idempotency_key": _idempotency_key(request) or secrets.token_hex(16),
            "rule": getattr(form, "rule", ""),
        },
    )
