"""Search, among the cases this user may see.

A name is personal data, and URLs end up in browser history, proxy and server logs. So the search form
is POSTed, the criteria are kept in the session under a random key, and the results page's URL holds
only that opaque key and the page number (POST-redirect-GET: results can be paged and reloaded).
"""

from __future__ import annotations

import secrets

from django import forms
from django.shortcuts import redirect, render

from heard.feedback.models import Feedback
from heard.forms import GovukDateField, GovukFormMixin
from heard.organisation.models import Service, Theme
from heard.staff import queries
from heard.staff.decorators import record_access, staff_view
from heard.staff.models import AccessRecord
from heard.staff.views_log import case_url

SESSION_KEY = "heard_searches"
KEEP_SEARCHES = 10  # the session holds only the last few searches


class SearchForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=40,
        help_text="For example, CS-2026-00042: goes straight to the case",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    name = forms.CharField(
        label="Name of the person or child",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    received_from = GovukDateField(label="Received on or after", required=False, help_text="For example, 1 4 2025")
    received_to = GovukDateField(label="Received on or before", required=False, help_text="For example, 31 3 2026")
    service = forms.ModelChoiceField(
        label="Service", queryset=Service.objects.all(), required=False, empty_label="Any service"
    )
    theme = forms.ModelChoiceField(label="Theme", queryset=Theme.objects.all(), required=False, empty_label="Any theme")
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *Feedback.Status.choices], required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *Feedback.Kind.choices], required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "Received on or before must be the same as or after received on or after")
        return data

    def criteria(self) -> queries.SearchCriteria:
        d = self.cleaned_data
        return queries.SearchCriteria(
            reference=d.get("reference", "").strip(),
            name=d.get("name", "").strip(),
            received_from=d.get("received_from"),
            received_to=d.get("received_to"),
            service_id=d["service"].pk if d.get("service") else None,
            theme_id=d["theme"].pk if d.get("theme") else None,
            status=d.get("status", ""),
            kind=d.get("kind", ""),
        )

    @classmethod
    def from_criteria(cls, c: queries.SearchCriteria) -> SearchForm:
        return cls(
            initial={
                "reference": c.reference,
                "name": c.name,
                "received_from": c.received_from,
                "received_to": c.received_to,
                "service": c.service_id,
                "theme": c.theme_id,
                "status": c.status,
                "kind": c.kind,
            }
        )


def _remember(request, criteria: queries.SearchCriteria) -> str:
    searches = request.session.get(SESSION_KEY, {})
    key = secrets.token_urlsafe(9)
    searches[key] = criteria.to_session()
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEEP_SEARCHES:])
    return key


@staff_view("search")
def search(request):
    if request.method == "POST":
        form = SearchForm(request.POST)
        if form.is_valid():
            criteria = form.criteria()
            if not criteria.used:
                form.add_error(None, "Enter at least one thing to search for")
            else:
                record_access(request.user, AccessRecord.Action.SEARCHED, None, "filters: " + ", ".join(criteria.used))
                if criteria.reference:
                    found = queries.visible_reference(request.user, criteria.reference)
                    if found and criteria.used == ["reference"]:
                        return redirect(case_url(found))
                return redirect(f"{request.path}?q={_remember(request, criteria)}")
        return render(request, "staff/search/search.html", {"form": form, "results": None})

    key = request.GET.get("q", "")
    saved = request.session.get(SESSION_KEY, {}).get(key) if key else None
    if saved is None:
        return render(
            request, "staff/search/search.html", {"form": SearchForm(), "results": None, "expired": bool(key)}
        )
    criteria = queries.SearchCriteria.from_session(saved)
    page = queries.search_page(request.user, criteria, request.GET.get("page"))
    return render(
        request,
        "staff/search/search.html",
        {
            "form": SearchForm.from_criteria(criteria),
            "results": page,
            "key": key,
        },
    )
