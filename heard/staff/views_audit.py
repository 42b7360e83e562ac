"""The audit trail, for the complaints manager: who read and who changed a case, and everything one
user read and changed; each on screen and as CSV (the export is itself recorded)."""

from __future__ import annotations

import csv

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from heard.accounts.models import User
from heard.forms import GovukFormMixin
from heard.staff import queries
from heard.staff.access import visible_feedback
from heard.staff.decorators import record_access, staff_view
from heard.staff.models import AccessRecord

ON_SCREEN = 500  # the newest entries on screen; the CSV has them all


class AuditFindForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label="Case reference", required=False, max_length=40, widget=forms.TextInput(attrs={"spellcheck": "false"})
    )
    person = forms.ModelChoiceField(
        label="Or a user", queryset=User.objects.all(), required=False, empty_label="Choose a user"
    )


@staff_view("audit")
def audit(request):
    form = AuditFindForm(request.GET or None)
    if form.is_bound and form.is_valid():
        reference = form.cleaned_data.get("reference", "").strip()
        person = form.cleaned_data.get("person")
        if reference:
            found = visible_feedback(request.user).filter(reference__iexact=reference).first()
            if found is None:
                form.add_error("reference", "There is no case with that reference")
            else:
                return redirect("staff:audit_case", reference=found.reference)
        elif person:
            return redirect("staff:audit_user", user_id=person.pk)
        else:
            form.add_error("reference", "Enter a case reference or choose a user")
    return render(request, "staff/audit/index.html", {"form": form})


def _case(request, reference):
    feedback = visible_feedback(request.user).filter(reference=reference).first()
    if feedback is None:
        raise Http404("No case with that reference.")
    return feedback


def _csv(filename: str, entries) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["When", "Who", "Read or change", "What", "Case", "Detail"])
    for e in entries:
        writer.writerow(
            [timezone.localtime(e.at).isoformat(timespec="seconds"), e.who, e.kind, e.action, e.reference, e.detail]
        )
    return response


@staff_view("audit")
def audit_case(request, reference):
    feedback = _case(request, reference)
    record_access(request.user, AccessRecord.Action.VIEWED, feedback, "audit")
    entries = queries.case_audit(feedback)
    return render(
        request,
        "staff/audit/entries.html",
        {
            "title": f"Audit of case {feedback.reference}",
            "entries": entries[:ON_SCREEN],
            "total": len(entries),
            "csv_url": "staff:audit_case_csv",
            "csv_arg": feedback.reference,
            "case": feedback,
        },
    )


@staff_view("audit")
def audit_case_csv(request, reference):
    feedback = _case(request, reference)
    record_access(request.user, AccessRecord.Action.EXPORTED, feedback, "audit csv")
    return _csv(f"audit-{feedback.reference}.csv", queries.case_audit(feedback))


@staff_view("audit")
def audit_user(request, user_id):
    person = get_object_or_404(User, pk=user_id)
    entries = queries.user_audit(person)
    return render(
        request,
        "staff/audit/entries.html",
        {
            "title": f"Audit of {person}",
            "entries": entries[:ON_SCREEN],
            "total": len(entries),
            "csv_url": "staff:audit_user_csv",
            "csv_arg": person.pk,
            "person": person,
        },
    )


@staff_view("audit")
def audit_user_csv(request, user_id):
    person = get_object_or_404(User, pk=user_id)
    record_access(request.user, AccessRecord.Action.EXPORTED, None, f"audit csv of user {person.pk}")
    return _csv(f"audit-user-{person.pk}.csv", queries.user_audit(person))
