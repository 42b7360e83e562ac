"""Triage: every decision of domain.md on one guided page, each with its reason.

The form checks completeness (a date given when a referral is said to be made); whether a decision is
allowed is the procedure's, decided by the services, whose refusals come back against these fields.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from heard.feedback.models import Feedback, Triage
from heard.forms import GovukDateField, GovukFormMixin
from heard.staff.services_triage import AdvocacyDecision, SafeguardingDecision, TriageDecisions

YES_NO = [("yes", "Yes"), ("no", "No")]
NOT_EXCLUDED = "none"


def _procedure_choices() -> list[tuple[str, str]]:
    corporate = settings.HEARD_CORPORATE_PROCEDURE
    return [
        ("statutory", "Statutory: the Children Act 1989 representations procedure"),
        (corporate, "Corporate: the council’s own complaints procedure"),
    ]


def _past_date(label: str, required_message: str) -> GovukDateField:
    return GovukDateField(
        label=label,
        required=False,
        must_be_past=True,
        today=timezone.localdate,
        help_text="For example, 27 3 2026",
        error_messages={"required": required_message},
    )


class TriageForm(GovukFormMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    # 1. Who is complaining, and in what capacity (reg 10, SI 2006/1738).
    complainant_role = forms.ChoiceField(
        label="Who is complaining, and in what capacity?",
        choices=Feedback.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is complaining"},
    )
    sufficient_interest = forms.ChoiceField(
        label="Has the council decided they have sufficient interest in the child’s welfare?",
        help_text="Only for someone outside the groups the regulations list (s.26(3)(e) Children Act 1989)",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    sufficient_interest_reason = forms.CharField(
        label="Reason for the decision on sufficient interest",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    child_consent = forms.ChoiceField(
        label="Does the child agree to this person acting for them?",
        help_text="Only when someone complains for a child (reg 10(2)); ask the child where possible",
        choices=Feedback.Consent.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    # 2. The time limit: 12 months from learning of the matter (reg 9).
    learned_of_matter_on = _past_date("When did they learn of the matter?", "Enter when they learned of the matter")
    late_reason = forms.ChoiceField(
        label="If more than 12 months ago: why accept it late?",
        choices=Triage.LateReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    late_reason_detail = forms.CharField(
        label="Explain the reason for accepting it late", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    # 3. Exclusions, and where the person is sent instead (reg 8).
    exclusion = forms.ChoiceField(
        label="Is it outside the complaints procedure?",
        choices=[(NOT_EXCLUDED, "No: consider it as a complaint"), *Triage.Exclusion.choices],
        widget=forms.RadioSelect,
        initial=NOT_EXCLUDED,
        error_messages={"required": "Select whether it is outside the complaints procedure"},
    )
    sent_to = forms.CharField(
        label="If it is outside the procedure: where was the person sent instead?", max_length=300, required=False
    )

    # 4. Statutory or corporate.
    procedure = forms.ChoiceField(
        label="Which procedure applies?",
        choices=_procedure_choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which procedure applies"},
    )
    procedure_reason = forms.CharField(
        label="Reason for this decision",
        help_text="For example: about a looked-after child; or: about school transport, not social care",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the decision"},
    )

    # 5. Safeguarding: the child's safety comes first.
    safeguarding = forms.ChoiceField(
        label="Does it show that a child may be at risk of harm?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a child may be at risk of harm"},
    )
    safeguarding_referred_to = forms.CharField(label="Who was the concern referred to?", max_length=200, required=False)
    safeguarding_referred_on = _past_date("Date referred", "Enter the date the concern was referred")
    safeguarding_reason = forms.CharField(
        label="What is the concern?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    # 6. Advocacy (s.26A Children Act 1989).
    advocacy_offered = forms.ChoiceField(
        label="Was an independent advocate offered?",
        help_text="Children and young people who complain must be offered one",
        choices=[("yes", "Yes"), ("no", "No, or not yet")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether an advocate was offered"},
    )
    advocacy_offered_on = _past_date("Date offered", "Enter the date the advocate was offered")
    advocacy_wanted = forms.ChoiceField(
        label="Do they want an advocate?",
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Not known yet")],
        widget=forms.RadioSelect,
        required=False,
    )
    advocate = forms.CharField(label="If referred: the advocate or advocacy service", max_length=200, required=False)
    advocacy_referred_on = _past_date("If referred: date referred", "Enter the date of the referral")

    @classmethod
    def for_case(cls, feedback: Feedback, data=None) -> TriageForm:
        # RelatedObjectDoesNotExist is an AttributeError: no triage yet gives None.
        triage = getattr(feedback, "triage", None)
        initial = {
            "expected_version": feedback.version,
            "complainant_role": feedback.complainant_role or None,
            "child_consent": feedback.child_consent or None,
            "learned_of_matter_on": feedback.matter_date,
            "procedure": feedback.procedure,
            "safeguarding": "yes" if feedback.safeguarding else None,
            "safeguarding_referred_to": feedback.safeguarding_referred_to,
            "safeguarding_referred_on": feedback.safeguarding_referred_on,
            "advocacy_offered": "yes" if feedback.advocacy_offered_on else None,
            "advocacy_offered_on": feedback.advocacy_offered_on,
            "advocacy_wanted": {True: "yes", False: "no"}.get(feedback.advocacy_wanted),
            "advocate": feedback.advocate,
            "advocacy_referred_on": feedback.advocacy_referred_on,
            "late_reason_detail": feedback.late_explanation,
        }
        if triage is not None:
            initial.update(
                {
                    "sufficient_interest": {True: "yes", False: "no"}.get(triage.sufficient_interest),
                    "sufficient_interest_reason": triage.sufficient_interest_reason,
                    "learned_of_matter_on": triage.learned_of_matter_on,
                    "late_reason": triage.late_reason or None,
                    "late_reason_detail": triage.late_reason_detail,
                    "exclusion": triage.exclusion or NOT_EXCLUDED,
                    "sent_to": triage.sent_to,
                    "procedure_reason": triage.procedure_reason,
                }
            )
        return cls(data=data, initial=initial)

    def clean(self):
        data = super().clean()
        # A date the services need and cannot default: completeness, not a procedure rule.
        if (
            data.get("safeguarding") == "yes"
            and not data.get("safeguarding_referred_on")
            and "safeguarding_referred_on" not in self.errors
        ):
            self.add_error("safeguarding_referred_on", "Enter the date the concern was referred")
        if (
            data.get("advocacy_offered") == "yes"
            and not data.get("advocacy_offered_on")
            and "advocacy_offered_on" not in self.errors
        ):
            self.add_error("advocacy_offered_on", "Enter the date the advocate was offered")
        return data

    def decisions(self) -> TriageDecisions:
        d = self.cleaned_data
        exclusion = "" if d["exclusion"] == NOT_EXCLUDED else d["exclusion"]
        safeguarding = None
        if d["safeguarding"] == "yes":
            safeguarding = SafeguardingDecision(
                referred_to=d.get("safeguarding_referred_to", ""),
                referred_on=d["safeguarding_referred_on"],
                reason=d.get("safeguarding_reason", ""),
            )
        advocacy = None
        if d["advocacy_offered"] == "yes":
            advocacy = AdvocacyDecision(
                offered_on=d["advocacy_offered_on"],
                wanted={"yes": True, "no": False}.get(d.get("advocacy_wanted") or ""),
                advocate=d.get("advocate", ""),
                referred_on=d.get("advocacy_referred_on"),
            )
        return TriageDecisions(
            complainant_role=d["complainant_role"],
            procedure=d["procedure"],
            procedure_reason=d["procedure_reason"],
            sufficient_interest={"yes": True, "no": False}.get(d.get("sufficient_interest") or ""),
            sufficient_interest_reason=d.get("sufficient_interest_reason", ""),
            child_consent=d.get("child_consent", ""),
            learned_of_matter_on=d.get("learned_of_matter_on"),
            late_reason=d.get("late_reason", ""),
            late_reason_detail=d.get("late_reason_detail", ""),
            exclusion=exclusion,
            sent_to=d.get("sent_to", ""),
            safeguarding=safeguarding,
            advocacy=advocacy,
        )
