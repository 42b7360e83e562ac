"""Log feedback of every kind from every channel: the minimum needed now, the rest later.

The form only checks that the input is complete and well formed; the rules (dates, teams belonging to
services, procedures) are the service's, and its refusals are shown against the field they name.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from heard.feedback.models import Feedback
from heard.feedback.services import PersonDetails
from heard.forms import GovukDateField, GovukFormMixin
from heard.organisation.models import Service, Team, Theme


class LogFeedbackForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What kind of feedback is it?",
        choices=Feedback.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of feedback it is"},
    )
    channel = forms.ChoiceField(
        label="How did it reach us?",
        choices=[c for c in Feedback.Channel.choices if c[0] != Feedback.Channel.IMPORTED],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it reached us"},
    )
    received_on = GovukDateField(
        label="Date received",
        help_text="The day it reached the council, for example 27 3 2026",
        must_be_past=True,
        today=timezone.localdate,
        error_messages={"required": "Enter the date it was received"},
    )
    service = forms.ModelChoiceField(
        label="Service",
        queryset=Service.objects.filter(active=True),
        empty_label="Choose a service",
        error_messages={"required": "Select the service it is about"},
    )
    team = forms.ModelChoiceField(
        label="Team (optional)",
        queryset=Team.objects.filter(active=True).select_related("service"),
        required=False,
        empty_label="Not known yet",
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What it is about, in a sentence or two",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a summary of what it is about"},
    )

    # Optional now, needed later.
    complainant_name = forms.CharField(
        label="Full name (optional)",
        max_length=200,
        required=False,
        help_text="Leave blank if anonymous",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    complainant_email = forms.EmailField(label="Email address (optional)", required=False)
    complainant_phone = forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "tel"}),
    )
    complainant_role = forms.ChoiceField(
        label="In what capacity? (optional)",
        choices=[("", "Not known yet"), *Feedback.Role.choices],
        required=False,
        help_text="Triage confirms this for complaints",
    )
    child_name = forms.CharField(
        label="Child or young person’s full name (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    theme = forms.ModelChoiceField(
        label="Theme (optional)",
        queryset=Theme.objects.filter(active=True),
        required=False,
        empty_label="Not known yet",
    )
    points = forms.CharField(
        label="Points of complaint (optional)",
        help_text="One point on each line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    desired_outcome = forms.CharField(
        label="What would put it right? (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    compliment_source = forms.ChoiceField(
        label="Compliments: who is it from?",
        choices=Feedback.ComplimentSource.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    enquiry_category = forms.ChoiceField(
        label="Enquiries: what is asked for?",
        choices=Feedback.EnquiryCategory.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    # Shown only with the duplicate warning.
    confirm_not_duplicate = forms.BooleanField(
        label="I have checked: this is new feedback, not part of those cases",
        required=False,
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        # The annual report counts compliments by source and enquiries by category (domain.md).
        if kind == Feedback.Kind.COMPLIMENT and not data.get("compliment_source"):
            self.add_error("compliment_source", "Select who the compliment is from")
        if kind in (Feedback.Kind.MP_ENQUIRY, Feedback.Kind.COUNCILLOR_ENQUIRY) and not data.get("enquiry_category"):
            self.add_error("enquiry_category", "Select what the enquiry asks for")
        return data

    def complainant(self) -> PersonDetails | None:
        d = self.cleaned_data
        if not d.get("complainant_name", "").strip():
            return None
        return PersonDetails(
            d["complainant_name"], email=d.get("complainant_email", ""), phone=d.get("complainant_phone", "")
        )

    def child(self) -> PersonDetails | None:
        name = self.cleaned_data.get("child_name", "").strip()
        return PersonDetails(name, is_child=True) if name else None

    def service_kwargs(self) -> dict:
        """The keyword arguments of services.log_feedback this form supplies."""
        d = self.cleaned_data
        kind = d["kind"]
        return {
            "kind": kind,
            "channel": d["channel"],
            "received_on": d["received_on"],
            "service": d["service"],
            "team": d.get("team"),
            "theme": d.get("theme"),
            "summary": d["summary"].strip(),
            "desired_outcome": d.get("desired_outcome", "").strip(),
            "complainant": self.complainant(),
            "complainant_role": d.get("complainant_role", ""),
            "child": self.child(),
            "points": [line for line in d.get("points", "").splitlines() if line.strip()]
            if kind == Feedback.Kind.COMPLAINT
            else [],
            "compliment_source": d.get("compliment_source", "") if kind == Feedback.Kind.COMPLIMENT else "",
            "enquiry_category": d.get("enquiry_category", "")
            if kind in (Feedback.Kind.MP_ENQUIRY, Feedback.Kind.COUNCILLOR_ENQUIRY)
            else "",
        }
