"""The work queue: the staff home page."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone

from heard.feedback.models import Feedback
from heard.forms import GovukFormMixin
from heard.organisation.models import Service
from heard.staff import queries
from heard.staff.access import can
from heard.staff.decorators import staff_view


class QueueFilterForm(GovukFormMixin, forms.Form):
    """Filters as a GET form: bookmarkable, and no personal data in it (ids and codes only)."""

    service = forms.ModelChoiceField(
        label="Service", queryset=Service.objects.all(), required=False, empty_label="All services"
    )
    kind = forms.ChoiceField(label="Kind", choices=[("", "All kinds"), *Feedback.Kind.choices], required=False)
    stage = forms.TypedChoiceField(
        label="Stage",
        choices=[("", "All stages"), ("1", "Stage 1"), ("2", "Stage 2"), ("3", "Stage 3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    assignee = forms.ModelChoiceField(
        label="Given to", queryset=queries.assignable_users(), required=False, empty_label="Anyone"
    )

    def filters(self) -> queries.QueueFilters:
        if not self.is_valid():
            return queries.QueueFilters()
        d = self.cleaned_data
        return queries.QueueFilters(
            service=d.get("service"), kind=d.get("kind") or "", stage=d.get("stage"), assignee=d.get("assignee")
        )


@staff_view("work_queue")
def home(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else queries.QueueFilters()
    pages = {
        key: request.GET.get(f"{key}_page", 1)
        for key in ("overdue", "due_soon", "awaiting_acknowledgement", "awaiting_allocation", "mine")
    }
    queue = queries.work_queue(request.user, timezone.localdate(), filters, pages)
    # Keep the filters in the pagination links, without the page numbers.
    keep = request.GET.copy()
    for key in pages:
        keep.pop(f"{key}_page", None)
    return render(
        request,
        "staff/queue/home.html",
        {
            "queue": queue,
            "filter_form": form,
            "query_string": keep.urlencode(),
            "filtered": bool(filters.used),
            "can_log": can(request.user, "log"),
        },
    )
