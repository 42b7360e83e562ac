"""Forms for letters and templates. Validation of shape only; every rule is in services.py."""

from __future__ import annotations

from django import forms

from heard.forms import GovukFormMixin


class DraftForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Which letter?", widget=forms.RadioSelect, error_messages={"required": "Select which letter to write"}
    )
    large_print = forms.BooleanField(label="Large print (16 point and above)", required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class LetterForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Heading", max_length=200, error_messages={"required": "Enter the heading"})
    body = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Plain English, short sentences. Dates and rights were filled in from the "
        "record: change them on the case, not here.",
        error_messages={"required": "Enter the wording of the letter"},
    )
    large_print = forms.BooleanField(label="Large print (16 point and above)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TemplateForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Heading", max_length=200, error_messages={"required": "Enter the heading"})
    body = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 28}),
        help_text="Use {placeholders} from the list for every date, name and right.",
        error_messages={"required": "Enter the wording of the letter"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
