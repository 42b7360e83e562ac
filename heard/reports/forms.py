"""Forms for the report pages: GOV.UK markup and messages through heard.forms."""

from __future__ import annotations

from django import forms

from heard.forms import GovukDateField, GovukFormMixin
from heard.reports.services import MAX_NARRATIVE
from heard.staff.forms_case import lesson_wording_field


class NarrativeForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Words for this section",
        required=False,
        max_length=MAX_NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Do not include anything that could identify a child, a family or a member of staff. "
        "The figures are added by Heard from the records.",
    )


class PeriodForm(GovukFormMixin, forms.Form):
    start = GovukDateField(label="Start date", help_text="For example, 1 4 2018")
    end = GovukDateField(label="End date", help_text="For example, 30 6 2018")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error(
                "end",
                forms.ValidationError(
                    "End date must be the same as or after the start date",
                    code="order",
                    params={"parts": ["day", "month", "year"]},
                ),
            )
        return data


class SuppressForm(GovukFormMixin, forms.Form):
    suppress_below = forms.IntegerField(
        label="Hide counts below",
        required=False,
        min_value=2,
        max_value=100,
        help_text="For publication: counts from 1 up to this number less one are shown as “<N”, and percentages "
        "worked out from them as “[c]”. Leave empty to show every count.",
        error_messages={
            "min_value": "Hide counts below must be 2 or more",
            "max_value": "Hide counts below must be 100 or less",
            "invalid": "Hide counts below must be a whole number, like 5",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )


class LessonWordingForm(GovukFormMixin, forms.Form):
    """The wording the annual report publishes for a lesson learnt, with the case's version the page was
    shown with (optimistic locking, as on the case page)."""

    report_text = lesson_wording_field()
    version = forms.IntegerField(widget=forms.HiddenInput)


class LessonWithdrawForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
