"""Record a concern resolved informally within 24 hours of first contact (ADR 0010).

As on the Log feedback page, the form checks only that the input is complete and well formed; the rules
(within 24 hours, dates in order, teams belonging to services) are the service's, and its refusals are shown
against the field they name.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from heard.feedback.models import Feedback
from heard.feedback.services import MAX_INFORMAL_SUMMARY
from heard.forms import GovukDateField, GovukFormMixin
from heard.organisation.models import Service, Team, Theme


class InformalResolutionForm(GovukFormMixin, forms.Form):
    received_on = GovukDateField(
        label="Date of first contact",
        help_text="When the concern reached the council, for example 27 3 2026",
        must_be_past=True,
        today=timezone.localdate,
        error_messages={"required": "Enter the date of first contact"},
    )
    resolved_on = GovukDateField(
        label="Date it was put right",
        help_text="The same day or the next: later than that, log it as a complaint",
        must_be_past=True,
        today=timezone.localdate,
        error_messages={"required": "Enter the date it was put right"},
    )
    service = forms.ModelChoiceField(
        label="Service",
        queryset=Service.objects.filter(active=True),
        empty_label="Choose a service",
        error_messages={"required": "Select the service it was about"},
    )
    team = forms.ModelChoiceField(
        label="Team (optional)",
        queryset=Team.objects.filter(active=True).select_related("service"),
        required=False,
        empty_label="Not recorded",
    )
    theme = forms.ModelChoiceField(
        label="Theme (optional)",
        queryset=Theme.objects.filter(active=True),
        required=False,
        empty_label="Not recorded",
    )
    channel = forms.ChoiceField(
        label="How did it reach us?",
        choices=[c for c in Feedback.Channel.choices if c[0] != Feedback.Channel.IMPORTED],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it reached us"},
    )
    summary = forms.CharField(
        label="What was put right",
        help_text="A sentence or two for colleagues. It stays in Heard and is never published: the annual "
        "report only counts these",
        max_length=MAX_INFORMAL_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter what was put right",
            "max_length": f"What was put right must be {MAX_INFORMAL_SUMMARY} characters or less",
        },
    )

    def service_kwargs(self) -> dict:
        """The keyword arguments of services.record_informal_resolution this form supplies."""
        d = self.cleaned_data
        return {
            "received_on": d["received_on"],
            "resolved_on": d["resolved_on"],
            "service": d["service"],
            "team": d.get("team"),
            "theme": d.get("theme"),
            "channel": d["channel"],
            "summary": d["summary"].strip(),
        }
