"""Views that belong to no app. The pattern library is mounted only when DEBUG is on (heard/urls.py)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from heard.forms import GovukDateField, GovukFormMixin


class PatternForm(GovukFormMixin, forms.Form):
    """One field of every kind the adapter renders, with the messages a real form would have."""

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We’ll only use this to reply to you",
        required=False,
    )
    child_age = forms.IntegerField(
        label="Age of the child",
        min_value=0,
        max_value=25,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
        error_messages={"required": "Enter the child’s age"},
    )
    date_received = GovukDateField(
        label="Date received",
        help_text="For example, 27 3 2026",
        must_be_past=True,
        error_messages={"required": "Enter the date the complaint was received"},
    )
    contact_method = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("phone", "Phone"), ("letter", "Letter")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should contact you"},
    )
    service = forms.ChoiceField(
        label="Service",
        choices=[
            ("", "Choose a service"),
            ("social-care", "Children’s Social Care"),
            ("early-help", "Early Help"),
            ("send", "SEN, Education and Psychology"),
        ],
        error_messages={"required": "Select the service the complaint is about"},
    )
    topics = forms.MultipleChoiceField(
        label="What is it about?",
        help_text="Select all that apply",
        choices=[("delay", "A delay"), ("staff", "How staff behaved"), ("decision", "A decision")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what the complaint is about"},
    )
    details = forms.CharField(
        label="What happened?",
        help_text="Do not include bank details or passwords",
        max_length=500,
        widget=forms.Textarea,
        error_messages={"required": "Enter what happened"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label="Upload a file", required=False)
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )
    confirm = forms.BooleanField(
        label="I confirm the details are correct",
        error_messages={"required": "Select the box to confirm the details are correct"},
    )


def pattern_library(request):
    """Every building block on one page: the layout, each field in its normal and error state."""
    if request.method == "POST":
        form = PatternForm(request.POST, request.FILES)
        if form.is_valid():
            messages.success(request, "The form was valid: nothing was saved")
            return redirect(request.path)
    elif "errors" in request.GET:
        form = PatternForm(data={})  # every field in its error state, without submitting
    else:
        form = PatternForm()
    return render(request, "pattern_library.html", {"form": form})
