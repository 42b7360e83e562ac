"""One form per caseworker action on a case. Forms only collect and type the input: the rules live in
the services, which refuse with the rule they enforce (the view puts that message next to the field).

Every form carries the case version it was shown with (hidden) so a stale form changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from heard.accounts.models import User
from heard.feedback.documents import DocumentKind
from heard.feedback.models import (
    Feedback,
    Finding,
    LessonLearnt,
    OmbudsmanCase,
    OmbudsmanEnquiry,
    OmbudsmanRecommendation,
    Point,
    Remedy,
    Restriction,
    Suspension,
)
from heard.feedback.services import MAX_LESSON_REPORT_TEXT
from heard.forms import GovukDateField, GovukFormMixin
from heard.staff.access import visible_feedback

R = User.Role
STAFF_ROLES = [R.CUSTOMER_RELATIONS, R.COMPLAINTS_MANAGER, R.SERVICE_MANAGER, R.INVESTIGATING_OFFICER, R.DIRECTOR]
YES_NO = [("yes", "Yes"), ("no", "No")]
REMEDY_ROWS = 3


def users(*roles: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=roles).order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "Choose a person")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.get_role_display()}{', ' + str(obj.service) if obj.service_id else ''})"


def date_field(label: str, *, hint: str | None = None, required: bool = True) -> GovukDateField:
    return GovukDateField(label=label, help_text=hint or "For example, 27 3 2026", required=required)


def long_text(
    label: str,
    *,
    hint: str = "",
    required: bool = True,
    rows: int = 5,
    max_length: int | None = None,
    message: str | None = None,
) -> forms.CharField:
    field = forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
    if message:
        field.error_messages["required"] = message
    return field


class CaseForm(GovukFormMixin, forms.Form):
    """The base of every action form: the case it acts on, the person acting, the version shown."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, feedback: Feedback, user: User, **kwargs: Any) -> None:
        self.feedback = feedback
        self.user = user
        kwargs.setdefault("initial", {}).setdefault("version", feedback.version)
        super().__init__(*args, **kwargs)
        self.setup()
        # The hidden version goes last so the visible fields keep their order in the summary.
        self.fields["version"] = self.fields.pop("version")

    def setup(self) -> None:
        """Per-case choices."""


class OnForm(CaseForm):
    on = date_field("Date")


class AcknowledgeForm(CaseForm):
    on = date_field("Date acknowledged", hint="The date the acknowledgement was sent. For example, 27 3 2026")


class AllocateForm(CaseForm):
    assignee = PersonChoiceField(
        queryset=User.objects.none(), label="Who will respond?", error_messages={"required": "Select who will respond"}
    )

    def setup(self) -> None:
        self.fields["assignee"].queryset = users(
            R.SERVICE_MANAGER, R.INVESTIGATING_OFFICER, R.COMPLAINTS_MANAGER, R.CUSTOMER_RELATIONS, R.DIRECTOR
        )
        self.fields["assignee"].initial = self.feedback.assignee_id


class ExtendForm(CaseForm):
    step = forms.ChoiceField(
        label="Which deadline?", widget=forms.RadioSelect, error_messages={"required": "Select the deadline to extend"}
    )
    to_working_days = forms.IntegerField(
        label="Extend to how many working days in total?",
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter the number of working days"},
    )
    reason = long_text(
        "Reason for the extension",
        hint="Recorded on the case and given to the complainant in the interim letter.",
        message="Enter the reason for the extension",
    )
    on = date_field("Date of the decision")

    def setup(self) -> None:
        choices = self.initial.pop("deadline_choices", [])
        self.fields["step"].choices = choices
        if len(choices) == 1:
            self.fields["step"].initial = choices[0][0]


class InterimUpdateForm(CaseForm):
    on = date_field("Date sent")
    message = long_text(
        "What the complainant was told",
        hint="Why the response is taking longer and the new date.",
        message="Enter what the complainant was told",
    )


class AddPointForm(CaseForm):
    summary = long_text(
        "Point of complaint",
        hint="One thing the person is unhappy about, in their words where you can.",
        rows=3,
        message="Enter the point of complaint",
    )


class RespondForm(CaseForm):
    """A finding on every point, with a reason when it was not investigated; the remedies; at stage 2
    the adjudicating officer."""

    on = date_field("Date of the response")
    response = long_text(
        "Summary of the response",
        required=False,
        hint="The main reasons for the findings. The letter itself is drafted in Letters.",
    )

    def setup(self) -> None:
        self.points: list[Point] = list(self.initial.pop("points", []))
        for point in self.points:
            self.fields[f"finding_{point.number}"] = forms.ChoiceField(
                label=f"Point {point.number}: {point.summary}",
                choices=Finding.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select a finding for point {point.number}"},
            )
            self.fields[f"reason_{point.number}"] = forms.CharField(
                label=f"Reason for the finding on point {point.number}",
                required=False,
                help_text="Needed when the point was not investigated.",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for i in range(1, REMEDY_ROWS + 1):
            self.fields[f"remedy_kind_{i}"] = forms.ChoiceField(
                label=f"Remedy {i}", required=False, choices=[("", "No remedy"), *Remedy.Kind.choices]
            )
            self.fields[f"remedy_description_{i}"] = forms.CharField(
                label=f"What remedy {i} is", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"remedy_amount_{i}"] = forms.DecimalField(
                label=f"Amount of remedy {i}, in pounds",
                required=False,
                min_value=Decimal("0.01"),
                max_digits=10,
                decimal_places=2,
                help_text="For a financial remedy only.",
                widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
                error_messages={"invalid": f"Amount of remedy {i} must be an amount of money, like 250 or 99.50"},
            )
        if self.feedback.stage == 2 and self.feedback.procedure == "statutory":
            self.fields["adjudicating_officer"] = PersonChoiceField(
                queryset=users(R.SERVICE_MANAGER, R.DIRECTOR, R.COMPLAINTS_MANAGER),
                label="Adjudicating officer",
                help_text="The senior manager who considered the investigation and decided the response.",
                error_messages={"required": "Select the adjudicating officer"},
            )

    def sections(self) -> list[tuple[str, list]]:
        """Findings, then remedies, then the response: the order a response letter takes."""
        findings = [self[f"{kind}_{p.number}"] for p in self.points for kind in ("finding", "reason")]
        remedies = [
            self[f"remedy_{part}_{i}"] for i in range(1, REMEDY_ROWS + 1) for part in ("kind", "description", "amount")
        ]
        response = [self[name] for name in ("adjudicating_officer", "on", "response") if name in self.fields]
        return [("Findings", findings), ("Remedies", remedies), ("The response", response)]

    def findings(self) -> dict[int, tuple[str, str]]:
        return {
            p.number: (self.cleaned_data[f"finding_{p.number}"], self.cleaned_data[f"reason_{p.number}"])
            for p in self.points
        }

    def remedies(self) -> list[tuple[str, str, Decimal | None]]:
        out = []
        for i in range(1, REMEDY_ROWS + 1):
            kind = self.cleaned_data.get(f"remedy_kind_{i}")
            if kind:
                out.append(
                    (
                        kind,
                        self.cleaned_data.get(f"remedy_description_{i}", ""),
                        self.cleaned_data.get(f"remedy_amount_{i}"),
                    )
                )
        return out


class WithdrawForm(CaseForm):
    on = date_field("Date withdrawn")
    reason = long_text("Why it was withdrawn", message="Enter why it was withdrawn")


class EscalateForm(CaseForm):
    requested_on = date_field("Date the complainant asked")
    reason = long_text("Why they are still unhappy", message="Enter why they are still unhappy")
    late_request_decision = long_text(
        "Decision to accept a late request",
        required=False,
        hint="Only if they asked after the time to ask ran out: why it is accepted.",
    )


class StatementForm(CaseForm):
    agreed_on = date_field("Date the complainant agreed the statement")
    statement = long_text(
        "Statement of complaint",
        rows=8,
        message="Enter the statement of complaint",
        hint="The written record of the complaint agreed with the complainant (reg 16).",
    )
    points = long_text(
        "Points to be investigated",
        required=False,
        rows=6,
        hint="One point on each line. Leave empty to investigate the points already recorded.",
    )

    def point_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("points", "").splitlines() if line.strip()]


class AppointOfficerForm(CaseForm):
    officer = PersonChoiceField(
        queryset=User.objects.none(),
        label="Investigating officer",
        error_messages={"required": "Select the investigating officer"},
    )

    def setup(self) -> None:
        self.fields["officer"].queryset = users(R.INVESTIGATING_OFFICER, R.SERVICE_MANAGER)


class AppointIndependentPersonForm(CaseForm):
    person = PersonChoiceField(
        queryset=User.objects.none(),
        label="Independent person",
        error_messages={"required": "Select the independent person"},
    )

    def setup(self) -> None:
        self.fields["person"].queryset = users(R.INDEPENDENT_PERSON)


class PanelMemberForm(CaseForm):
    person = PersonChoiceField(
        queryset=User.objects.none(), label="Panel member", error_messages={"required": "Select the panel member"}
    )
    chair = forms.ChoiceField(
        label="Will they chair the panel?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="The chair is appointed first.",
        error_messages={"required": "Select yes if they will chair the panel"},
    )
    on = date_field("Date appointed")

    def setup(self) -> None:
        self.fields["person"].queryset = users(R.PANEL_MEMBER, R.INDEPENDENT_PERSON)
        self.fields["chair"].initial = "no" if self.feedback.panel_members.filter(is_chair=True).exists() else "yes"


class ArrangePanelForm(CaseForm):
    meeting_on = date_field("Date of the panel meeting")
    notified_on = date_field("Date the complainant was told")
    venue = forms.CharField(label="Venue", required=False, max_length=200)
    late_reason = long_text(
        "Why the panel cannot meet in time",
        required=False,
        hint="Only if the meeting is after the date the panel must meet by.",
    )


class PanelReportForm(CaseForm):
    received_on = date_field("Date the panel's report was received")
    recommendations = long_text("The panel's recommendations", rows=6, message="Enter the panel's recommendations")


class DirectorResponseForm(CaseForm):
    agrees = forms.ChoiceField(
        label="Does the director accept the panel's recommendations?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the director accepts the recommendations"},
    )
    response = long_text("The director's response", rows=6, message="Enter the director's response")
    on = date_field("Date of the response")


class OmbudsmanReferralForm(CaseForm):
    referred_on = date_field("Date the Ombudsman told us of the complaint")
    their_reference = forms.CharField(
        label="Ombudsman's reference",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )


class NeedsOmbudsmanCase(CaseForm):
    """Ombudsman steps need the referral on record first (the services look it up)."""

    def clean(self) -> dict:
        data = super().clean()
        if not OmbudsmanCase.objects.filter(feedback=self.feedback).exists():
            raise forms.ValidationError("Record the Ombudsman referral first")
        return data


class OmbudsmanEnquiryForm(NeedsOmbudsmanCase):
    kind = forms.ChoiceField(
        label="What did the Ombudsman ask for?",
        choices=OmbudsmanEnquiry.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the Ombudsman asked for"},
    )
    received_on = date_field("Date received")
    due_on = date_field("Date the Ombudsman wants an answer by")


class OmbudsmanAnswerForm(CaseForm):
    enquiry = forms.ModelChoiceField(
        queryset=OmbudsmanEnquiry.objects.none(),
        label="Which enquiry?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the enquiry"},
    )
    answered_on = date_field("Date answered")

    def setup(self) -> None:
        self.fields["enquiry"].queryset = OmbudsmanEnquiry.objects.filter(
            case__feedback=self.feedback, answered_on__isnull=True
        )
        self.fields["enquiry"].label_from_instance = lambda e: (
            f"{e.get_kind_display()}, received {e.received_on:%d %B %Y}, due {e.due_on:%d %B %Y}"
        )


class OmbudsmanDecisionForm(NeedsOmbudsmanCase):
    decision = forms.ChoiceField(
        label="The Ombudsman's final decision",
        choices=OmbudsmanCase.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    decided_on = date_field("Date of the decision")


class OmbudsmanRecommendationForm(NeedsOmbudsmanCase):
    text = long_text("The recommendation", rows=4, message="Enter the recommendation")
    due_on = date_field("Date it must be done by")


class ComplianceForm(CaseForm):
    recommendation = forms.ModelChoiceField(
        queryset=OmbudsmanRecommendation.objects.none(),
        label="Which recommendation?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the recommendation"},
    )
    complied_on = date_field("Date complied with")

    def setup(self) -> None:
        self.fields["recommendation"].queryset = OmbudsmanRecommendation.objects.filter(
            case__feedback=self.feedback, complied_on__isnull=True
        ).select_related("case__feedback")
        self.fields["recommendation"].label_from_instance = lambda r: f"{r.text} (due {r.due_on:%d %B %Y})"


class LessonForm(CaseForm):
    action = long_text("What will be done", rows=3, message="Enter what will be done")
    owner = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who owns the action?",
        error_messages={"required": "Select who owns the action"},
    )
    due_on = date_field("Date it is due")

    def setup(self) -> None:
        self.fields["owner"].queryset = users(*STAFF_ROLES)


class CompleteLessonForm(CaseForm):
    lesson = forms.ModelChoiceField(
        queryset=LessonLearnt.objects.none(),
        label="Which action?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action"},
    )
    on = date_field("Date completed")

    def setup(self) -> None:
        self.fields["lesson"].queryset = LessonLearnt.objects.filter(
            feedback=self.feedback, completed_on__isnull=True
        ).select_related("feedback")
        self.fields["lesson"].label_from_instance = lambda x: f"{x.action} (due {x.due_on:%d %B %Y})"


LESSON_WORDING_HINT = (
    "What changed, in one or two sentences the public will read. Do not name or describe anyone: nothing that "
    "could identify a child, a family or a member of staff. This wording is published in the annual report; "
    "what was recorded for the case is not."
)


def lesson_wording_field() -> forms.CharField:
    """The wording the annual report publishes for a lesson learnt (the case page and the reports' list)."""
    return long_text(
        "Wording for the annual report",
        hint=LESSON_WORDING_HINT,
        rows=3,
        max_length=MAX_LESSON_REPORT_TEXT,
        message="Enter the wording for the annual report",
    )


def lesson_label(lesson: LessonLearnt) -> str:
    where = f"in the report as “{lesson.report_text}”" if lesson.in_report else "not in the report"
    return f"{lesson.action} (recorded {lesson.recorded_on:%-d %B %Y}; {where})"


class LessonReportForm(CaseForm):
    """Approve (or change) the wording the annual report publishes for one of this case's lessons."""

    lesson = forms.ModelChoiceField(
        queryset=LessonLearnt.objects.none(),
        label="Which lesson learnt?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lesson learnt"},
    )
    report_text = lesson_wording_field()

    def setup(self) -> None:
        lessons = (
            LessonLearnt.objects.filter(feedback=self.feedback).select_related("feedback").order_by("recorded_on", "id")
        )
        self.fields["lesson"].queryset = lessons
        self.fields["lesson"].label_from_instance = lesson_label
        chosen = str(self.initial.get("lesson", ""))
        current = next((x for x in lessons if str(x.pk) == chosen), None)
        if current is not None and current.in_report:
            self.fields["report_text"].initial = current.report_text


class WithdrawLessonReportForm(CaseForm):
    lesson = forms.ModelChoiceField(
        queryset=LessonLearnt.objects.none(),
        label="Which lesson learnt?",
        widget=forms.RadioSelect,
        help_text="The annual report will no longer show it.",
        error_messages={"required": "Select the lesson learnt"},
    )

    def setup(self) -> None:
        self.fields["lesson"].queryset = (
            LessonLearnt.objects.filter(feedback=self.feedback, report_approved_at__isnull=False)
            .select_related("feedback")
            .order_by("recorded_on", "id")
        )
        self.fields["lesson"].label_from_instance = lesson_label


class CompleteRemedyForm(CaseForm):
    remedy = forms.ModelChoiceField(
        queryset=Remedy.objects.none(),
        label="Which remedy?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the remedy"},
    )
    on = date_field("Date completed")

    def setup(self) -> None:
        self.fields["remedy"].queryset = Remedy.objects.filter(
            feedback=self.feedback, completed_on__isnull=True
        ).select_related("feedback")
        self.fields["remedy"].label_from_instance = lambda r: (
            f"{r.get_kind_display()}{': ' + r.description if r.description else ''} (stage {r.stage})"
        )


class RestrictionForm(CaseForm):
    terms = long_text(
        "What the restriction is",
        rows=3,
        hint="For example, a single point of contact; email only.",
        message="Enter what the restriction is",
    )
    reason = long_text("Why it is needed", message="Enter why the restriction is needed")
    warned_on = date_field("Date the person was warned")
    approved_by = PersonChoiceField(
        queryset=User.objects.none(),
        label="Approved by (a director)",
        error_messages={"required": "Select the director who approved it"},
    )
    starts_on = date_field("Date it starts")
    review_on = date_field("Date it will be reviewed")

    def setup(self) -> None:
        self.fields["approved_by"].queryset = users(R.DIRECTOR)

    def clean(self) -> dict:
        data = super().clean()
        if self.feedback.complainant_id is None:
            raise forms.ValidationError("There is no named complainant to restrict")
        return data


class LiftRestrictionForm(CaseForm):
    restriction = forms.ModelChoiceField(
        queryset=Restriction.objects.none(),
        label="Which restriction?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the restriction"},
    )
    on = date_field("Date lifted")
    reason = long_text("Why it is lifted", message="Enter why it is lifted")

    def setup(self) -> None:
        self.fields["restriction"].queryset = Restriction.objects.filter(
            person_id=self.feedback.complainant_id, lifted_on__isnull=True
        ).select_related("person")
        self.fields["restriction"].label_from_instance = lambda r: f"{r.terms} (from {r.starts_on:%d %B %Y})"


class SuspendForm(CaseForm):
    reason = forms.ChoiceField(
        label="Which proceedings?",
        choices=Suspension.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the concurrent proceedings"},
    )
    detail = long_text("Details", message="Enter the details of the proceedings")
    on = date_field("Date suspended")


class ResumeForm(CaseForm):
    on = date_field("Date resumed")


class CloseForm(CaseForm):
    on = date_field("Date closed")


class InvolvedStaffForm(CaseForm):
    staff = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label="Staff involved in the matter",
        widget=forms.CheckboxSelectMultiple,
        help_text="They may not investigate or respond to it.",
        error_messages={"required": "Select the staff involved"},
    )

    def setup(self) -> None:
        self.fields["staff"].queryset = users(*STAFF_ROLES).exclude(involved_in=self.feedback)
        self.fields["staff"].label_from_instance = PersonChoiceField.label_from_instance.__get__(self)


class LinkForm(CaseForm):
    other = forms.CharField(
        label="Reference of the record to link",
        max_length=40,
        help_text="For example, CS-2026-00042",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        error_messages={"required": "Enter the reference of the record to link"},
    )

    def clean_other(self) -> Feedback:
        reference = self.cleaned_data["other"].strip().upper()
        # Only a record this user may see: a reference must not reveal a case they cannot.
        other = visible_feedback(self.user).filter(reference=reference).first()
        if other is None:
            raise forms.ValidationError("Enter the reference of a record you can see, like CS-2026-00042")
        return other


class NoteForm(CaseForm):
    text = long_text("Note", hint="Internal: staff only, never sent to the complainant.", message="Enter the note")


class UploadForm(CaseForm):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of document this is"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word (DOCX), JPEG, PNG or plain text, smaller than 10MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )


class SafeguardingForm(CaseForm):
    referred_to = forms.CharField(
        label="Who was the concern referred to?",
        max_length=200,
        help_text="For example, the Multi-Agency Safeguarding Hub",
        error_messages={"required": "Enter who the concern was referred to"},
    )
    referred_on = date_field("Date referred")
    reason = long_text("The concern", message="Enter the concern")


class AdvocacyForm(CaseForm):
    offered_on = date_field("Date advocacy was offered")
    wanted = forms.ChoiceField(
        label="Do they want an advocate?",
        choices=[*YES_NO, ("unknown", "Not yet known")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select if they want an advocate"},
    )
    referred_on = date_field("Date referred to an advocate", required=False, hint="Only if they want one.")
    advocate = forms.CharField(label="Advocate or advocacy service", required=False, max_length=200)

    def wanted_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["wanted"])


class PassToServiceForm(CaseForm):
    on = date_field("Date passed to the service")


class AnswerEnquiryForm(CaseForm):
    on = date_field("Date answered")
    response = long_text("Summary of the answer", required=False)


class CategoriseForm(CaseForm):
    def setup(self) -> None:
        if self.feedback.kind == Feedback.Kind.COMPLIMENT:
            self.fields["compliment_source"] = forms.ChoiceField(
                label="Where did the compliment come from?",
                choices=Feedback.ComplimentSource.choices,
                widget=forms.RadioSelect,
                initial=self.feedback.compliment_source or None,
                error_messages={"required": "Select where the compliment came from"},
            )
        else:
            self.fields["enquiry_category"] = forms.ChoiceField(
                label="What is the enquiry about?",
                choices=Feedback.EnquiryCategory.choices,
                widget=forms.RadioSelect,
                initial=self.feedback.enquiry_category or None,
                error_messages={"required": "Select the category of enquiry"},
            )


class SelectForReportForm(CaseForm):
    selected = forms.ChoiceField(
        label="Include this compliment in the annual report's selection?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="The report quotes the compliment without anyone's personal details.",
        error_messages={"required": "Select yes to include it in the report"},
    )

    def setup(self) -> None:
        self.fields["selected"].initial = "yes" if self.feedback.selected_for_report else "no"
