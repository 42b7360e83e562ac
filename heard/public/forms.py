"""One form per question page. Forms only check the shape of an answer and say what is wrong in GOV.UK
style; what the answers mean is decided in services.py."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from heard.feedback.models import Feedback
from heard.forms import GovukDateField, GovukFormMixin

LONG = 5000  # about two sides of A4: enough to tell the story, small enough to read


class Question(GovukFormMixin, forms.Form):
    """A question page. `summary` says how each answer reads on "Check your answers"."""

    def summary(self, data: dict) -> list[tuple[str, str]]:
        rows = []
        for name, f in self.fields.items():
            value = data.get(name)
            if isinstance(f, forms.ChoiceField):
                value = dict((str(k), v) for k, v in f.choices).get(str(value), value)
            elif isinstance(f, GovukDateField) and value:
                d = date.fromisoformat(value)
                value = f"{d.day} {d:%B %Y}"
            rows.append((str(f.label), str(value) if value not in (None, "") else "Not given"))
        return rows


def _text(label, required=True, max_length=LONG, help_text="", message=None, **kw):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": message} if message else {},
        **kw,
    )


def _yes_no(label, message, help_text="", yes="Yes", no="No"):
    return forms.ChoiceField(
        label=label,
        choices=[("yes", yes), ("no", no)],
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message},
    )


NOT_SURE = "not_sure"


class ServiceForm(Question):
    service = forms.ChoiceField(
        label="Which service is it about?",
        widget=forms.RadioSelect,
        help_text="If you are not sure, choose “I’m not sure”. We will pass it to the right team.",
        error_messages={"required": "Select which service it is about"},
    )

    def __init__(self, *args, services=(), **kw):
        super().__init__(*args, **kw)
        self.fields["service"].choices = [(str(s.pk), s.name) for s in services] + [(NOT_SURE, "I’m not sure")]


class TeamForm(Question):
    team = forms.ChoiceField(
        label="Which team is it about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select which team it is about"},
    )

    def __init__(self, *args, teams=(), **kw):
        super().__init__(*args, **kw)
        self.fields["team"].choices = [(str(t.pk), t.name) for t in teams] + [(NOT_SURE, "I’m not sure")]


class WhatHappenedForm(Question):
    summary_text = _text(
        "What happened?",
        message="Enter what happened",
        help_text="Tell us in your own words. Include names of staff if you know them.",
    )


class WhenForm(Question):
    matter_date = GovukDateField(
        label="When did it happen?",
        must_be_past=True,
        error_name="The date it happened",
        help_text="If it went on for a while, or you are not sure, give your best guess. For example, 27 3 2026",
        error_messages={"required": "Enter when it happened"},
    )

    def __init__(self, *args, today=None, **kw):
        super().__init__(*args, **kw)
        if today is not None:
            self.fields["matter_date"].today = lambda: today
        self.fields["matter_date"].label = "When did it happen?"

    def clean_matter_date(self):
        d = self.cleaned_data["matter_date"]
        if d is not None and d.year < 1900:
            raise forms.ValidationError("When it happened must be a real date", code="invalid")
        return d


class WhyNowForm(Question):
    late_explanation = _text(
        "Why are you telling us now?",
        max_length=2000,
        message="Enter why you are telling us now",
        help_text="For example, you did not know about it until recently, or you were not well enough.",
    )


class OutcomeForm(Question):
    desired_outcome = _text(
        "What would you like to happen?",
        message="Enter what you would like to happen",
        help_text="For example, an apology, a decision looked at again, or a change of worker.",
    )


ROLE_CHOICES = [
    (Feedback.Role.PARENT_OR_CARER, "A parent, or someone with parental responsibility"),
    (Feedback.Role.FOSTER_CARER, "A foster carer"),
    (Feedback.Role.SPECIAL_GUARDIAN, "A special guardian"),
    (Feedback.Role.ADOPTION, "An adoptive parent, a birth family member, someone adopted or wishing to adopt"),
    (Feedback.Role.CARE_LEAVER, "A care leaver"),
    (Feedback.Role.CHILD_OR_YOUNG_PERSON, "A child or young person"),
    (Feedback.Role.REPRESENTATIVE, "An advocate or someone helping a child or young person"),
    (Feedback.Role.OTHER, "Someone else, for example a grandparent or family friend"),
]


class WhoForm(Question):
    complainant_role = forms.ChoiceField(
        label="Who are you?",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are"},
    )


class ForSomeoneElseForm(Question):
    for_someone_else = _yes_no(
        "Are you complaining for someone else?",
        "Select yes if you are complaining for someone else",
        help_text="For example, for your child, or a young person you look after.",
    )


class ChildNameForm(Question):
    child_name = forms.CharField(
        label="What is their name?",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter their name"},
    )


CONSENT_CHOICES = [
    (Feedback.Consent.GIVEN, "Yes, they agree"),
    (Feedback.Consent.REFUSED, "No, they do not agree"),
    (Feedback.Consent.NOT_POSSIBLE, "They are too young, or it is not possible to ask them"),
    (Feedback.Consent.NOT_ASKED, "I have not asked them yet"),
]


class ConsentForm(Question):
    child_consent = forms.ChoiceField(
        label="Do they agree to you complaining for them?",
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        help_text="We will check with them where we can. You can still send your complaint whatever the answer.",
        error_messages={"required": "Select whether they agree to you complaining for them"},
    )


CONTACT_CHOICES = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("anonymous", "Do not contact me: I want to stay anonymous"),
]


class ContactPreferenceForm(Question):
    preferred_contact = forms.ChoiceField(
        label="How would you like us to contact you?",
        choices=CONTACT_CHOICES,
        widget=forms.RadioSelect,
        help_text="If you stay anonymous we can still look into it, but we cannot tell you what we find.",
        error_messages={"required": "Select how you would like us to contact you"},
    )


class DetailsForm(Question):
    """Name and the one way of contact they chose: only that one is required."""

    name = forms.CharField(
        label="Full name",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        help_text="We will send your reference and our reply here.",
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}),
    )
    address = forms.CharField(
        label="Postal address",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )

    def __init__(self, *args, preferred="email", name_required=True, **kw):
        super().__init__(*args, **kw)
        self.preferred = preferred
        self.name_required = name_required
        keep = {"email": "email", "phone": "phone", "letter": "address"}.get(preferred)
        for other in ("email", "phone", "address"):
            if other != keep:
                del self.fields[other]
        if keep:
            self.fields[keep].required = True
            self.fields[keep].error_messages["required"] = {
                "email": "Enter your email address",
                "phone": "Enter your phone number",
                "address": "Enter your postal address",
            }[keep]
        if name_required:
            self.fields["name"].required = True
            self.fields["name"].error_messages["required"] = "Enter your full name"

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        digits = [c for c in phone if c.isdigit()]
        if phone and (len(digits) < 10 or len(digits) > 15 or any(c not in "0123456789 +()-" for c in phone)):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return phone


class AdvocateForm(Question):
    advocacy = _yes_no(
        "Would you like an advocate to help you?",
        "Select yes if you would like an advocate",
        help_text="An advocate is independent of the council. They can help you say what you want "
        "to say and support you through the complaint. It is free.",
    )


class AdjustmentsForm(Question):
    adjustments = _text(
        "Do you need any help or changes to take part?",
        required=False,
        max_length=1000,
        help_text="For example, letters in large print or another language, an interpreter, or "
        "meetings at a certain time. Leave this empty if you do not need anything.",
    )


class DocumentForm(Question):
    document = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="A PDF, JPG, PNG, Word document or text file, smaller than 10MB. You can send up to 5 files.",
    )


class ComplimentAboutForm(Question):
    about = forms.CharField(
        label="Who or what is it about?",
        max_length=300,
        required=False,
        help_text="A person, a team or something that went well. Leave it empty if you prefer.",
        widget=forms.TextInput(attrs={"spellcheck": "true"}),
    )


class ComplimentForm(Question):
    summary_text = _text("What would you like to say?", message="Enter what you would like to say")


class CommentForm(Question):
    summary_text = _text(
        "What is your comment?",
        message="Enter your comment",
        help_text="For example, an idea to make things better, or something we should think about.",
    )


class WantReplyForm(Question):
    want_reply = _yes_no(
        "Would you like us to let you know we have passed it on?", "Select yes if you would like us to let you know"
    )


class OptionalEmailForm(Question):
    name = forms.CharField(
        label="Your name",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address", max_length=254, error_messages={"required": "Enter your email address"}
    )


# ------------------------------------------------------------------------------------ young people
# Words young people use: never "contact", "LAC", "stat visit", "placement", "LAC review" or "siblings"
# (the reference annual report's young people asked for that; a test scans every page).

YOUNG_KIND_CHOICES = [
    (Feedback.Kind.COMPLAINT, "I’m unhappy about something"),
    (Feedback.Kind.COMPLIMENT, "I want to say thank you or say something good"),
    (Feedback.Kind.COMMENT, "I have an idea or something you should know"),
]


class YoungKindForm(Question):
    kind = forms.ChoiceField(
        label="What do you want to tell us?",
        choices=YOUNG_KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to tell us"},
    )


class YoungStoryForm(Question):
    summary_text = _text(
        "Tell us what happened",
        message="Tell us what happened",
        help_text="Use your own words. It does not have to be perfect.",
    )


class YoungChangeForm(Question):
    desired_outcome = _text(
        "What would make it better?",
        required=False,
        max_length=2000,
        help_text="You can leave this empty if you are not sure.",
    )


class YoungAdvocateForm(Question):
    advocacy = _yes_no(
        "Would you like an advocate?",
        "Choose yes or no",
        help_text="An advocate is someone on your side who does not work for us. They help you say "
        "what you want and make sure you are listened to. It is free.",
        yes="Yes please",
        no="No thanks",
    )


class YoungNameForm(Question):
    name = forms.CharField(
        label="What is your name?",
        max_length=200,
        required=False,
        help_text="You do not have to tell us, but it helps us reply to you.",
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )


YOUNG_REPLY_CHOICES = [
    ("phone", "Phone or text"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("none", "I do not want a reply"),
]


class YoungReplyForm(Question):
    preferred_contact = forms.ChoiceField(
        label="How should we reply to you?",
        choices=YOUNG_REPLY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how we should reply to you"},
    )


class YoungDetailsForm(Question):
    detail = forms.CharField(label="", max_length=500, required=True)

    LABELS = {
        "phone": ("What is your phone number?", "Enter your phone number"),
        "email": ("What is your email address?", "Enter your email address"),
        "letter": ("What is your address?", "Enter your address"),
    }

    def __init__(self, *args, preferred="phone", **kw):
        super().__init__(*args, **kw)
        self.preferred = preferred
        label, message = self.LABELS.get(preferred, self.LABELS["phone"])
        if preferred == "email":
            self.fields["detail"] = forms.EmailField(
                label=label,
                max_length=254,
                error_messages={"required": message, "invalid": "Enter an email address like name@example.com"},
            )
        elif preferred == "letter":
            self.fields["detail"] = forms.CharField(
                label=label,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": message},
            )
        else:
            self.fields["detail"] = forms.CharField(
                label=label,
                max_length=40,
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
                error_messages={"required": message},
            )


# --------------------------------------------------------------------------------------- following


class FollowUpForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label="Reference",
        max_length=40,
        help_text="For example, CS-2026-00042",
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-20"}),
        error_messages={"required": "Enter your reference"},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address you gave us when you got in touch",
        error_messages={"required": "Enter your email address"},
    )


class NextStageForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you still unhappy?",
        max_length=LONG,
        widget=forms.Textarea,
        help_text="Tell us which parts of our reply you disagree with, and why.",
        error_messages={"required": "Enter why you are still unhappy"},
    )


def today() -> date:
    return timezone.localdate()
