"""Letters pages: thin. Each page shows a form, calls one service with actor=request.user (and the version
shown), and on refusal shows the service's message next to the field it names, with the rule it cites."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.feedback.models import Feedback
from heard.feedback.services import RuleViolation
from heard.letters import placeholders as ph
from heard.letters import queries
from heard.letters import services as ls
from heard.letters.forms import DraftForm, LetterForm, TemplateForm, VersionForm
from heard.letters.models import Letter, LetterKind, LetterTemplate
from heard.letters.rendering import _paragraphs
from heard.outbox.models import Email
from heard.outbox.sending import retry_email
from heard.staff.access import can
from heard.staff.decorators import case_view, record_access, staff_view
from heard.staff.models import AccessRecord


def _add_violation(form, exc: RuleViolation) -> None:
    field = exc.field if exc.field in form.fields and exc.field != "version" else None
    form.add_error(field, exc.message)


def _letter(feedback: Feedback, letter_id: int) -> Letter:
    return get_object_or_404(
        Letter.objects.select_related("drafted_by", "approved_by", "last_edited_by"), pk=letter_id, feedback=feedback
    )


@case_view("read_letters", post="letters")
def case_letters(request: HttpRequest, feedback: Feedback) -> HttpResponse:
    kinds = ls.available_kinds(feedback)
    rule = None
    if request.method == "POST":
        form = DraftForm(request.POST, kinds=[(k.value, k.label) for k in LetterKind])
        if form.is_valid():
            try:
                letter = ls.draft_letter(
                    actor=request.user,
                    feedback=feedback,
                    kind=form.cleaned_data["kind"],
                    today=timezone.localdate(),
                    large_print=form.cleaned_data["large_print"],
                )
            except RuleViolation as exc:
                _add_violation(form, exc)
                rule = exc.rule
            else:
                messages.success(request, f"Draft written: {letter.get_kind_display()}. Check the wording.")
                return redirect("letters:letter", feedback.reference, letter.pk)
        form.fields["kind"].choices = kinds
    else:
        form = DraftForm(kinds=kinds)
    return render(
        request,
        "letters/case_letters.html",
        {
            "fb": feedback,
            "form": form,
            "kinds": kinds,
            "rule": rule,
            "letters": list(queries.letters_of(feedback)),
            "emails": list(queries.emails_of(feedback)),
            "can_approve": can(request.user, "approve_letter", feedback),
            "can_write": can(request.user, "letters", feedback),
        },
        status=400 if form.errors else 200,
    )


@case_view("read_letters", post="letters")
def letter_detail(request: HttpRequest, feedback: Feedback, letter_id: int) -> HttpResponse:
    letter = _letter(feedback, letter_id)
    rule = stale = None
    form = LetterForm(
        initial={
            "title": letter.title,
            "body": letter.body,
            "large_print": letter.large_print,
            "version": letter.version,
        }
    )
    if request.method == "POST":
        if not letter.editable:
            raise Http404("This letter can no longer be changed.")
        form = LetterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                letter = ls.edit_letter(
                    actor=request.user,
                    letter=letter,
                    body=data["body"],
                    title=data["title"],
                    large_print=data["large_print"],
                    expected_version=data["version"],
                )
                if request.POST.get("then") == "submit":
                    letter = ls.submit_letter(actor=request.user, letter=letter, expected_version=letter.version)
            except RuleViolation as exc:
                _add_violation(form, exc)
                rule, stale = exc.rule, isinstance(exc, ls.StaleLetter)
            else:
                messages.success(
                    request,
                    "Sent for approval." if letter.status == Letter.Status.AWAITING_APPROVAL else "Changes saved.",
                )
                return redirect("letters:letter", feedback.reference, letter.pk)
    return render(
        request,
        "letters/letter.html",
        {
            "fb": feedback,
            "letter": letter,
            "form": form,
            "rule": rule,
            "stale": stale,
            "paragraphs": _paragraphs(letter.body),
            "can_approve": can(request.user, "approve_letter", feedback),
            "can_write": can(request.user, "letters", feedback),
        },
        status=409 if stale else (400 if form.errors else 200),
    )


@case_view("approve_letter")
def letter_approve(request: HttpRequest, feedback: Feedback, letter_id: int) -> HttpResponse:
    letter = _letter(feedback, letter_id)
    form = VersionForm(request.POST or None, initial={"version": letter.version})
    rule = None
    if request.method == "POST" and form.is_valid():
        try:
            letter = ls.approve_letter(
                actor=request.user,
                letter=letter,
                today=timezone.localdate(),
                expected_version=form.cleaned_data["version"],
            )
        except RuleViolation as exc:
            _add_violation(form, exc)
            rule = exc.rule
        else:
            messages.success(
                request,
                "Letter approved and emailed."
                if letter.status == Letter.Status.SENT
                else "Letter approved. Print it from the PDF, post it, then record that it was posted.",
            )
            if can(request.user, "letters", feedback):
                return redirect("letters:letter", feedback.reference, letter.pk)
            return redirect("letters:for_approval")
    return render(
        request,
        "letters/approve.html",
        {
            "fb": feedback,
            "letter": letter,
            "form": form,
            "rule": rule,
            "paragraphs": _paragraphs(letter.body),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@case_view("letters")
def letter_posted(request: HttpRequest, feedback: Feedback, letter_id: int) -> HttpResponse:
    letter = _letter(feedback, letter_id)
    try:
        ls.record_letter_posted(actor=request.user, letter=letter, on=timezone.localdate())
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Recorded as posted today.")
    return redirect("letters:letter", feedback.reference, letter.pk)


@case_view("read_letters")
def letter_download(request: HttpRequest, feedback: Feedback, letter_id: int, fmt: str) -> HttpResponse:
    letter = _letter(feedback, letter_id)
    file = {"pdf": letter.pdf, "docx": letter.docx}.get(fmt)
    if not file:
        raise Http404("No such file for this letter.")
    record_access(request.user, AccessRecord.Action.DOWNLOADED, feedback, f"letter {letter.pk} {fmt}")
    # The file name names the case by reference and the kind of letter, never the person.
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=f"{feedback.reference}-{letter.kind.replace('_', '-')}.{fmt}"
    )


@require_POST
@case_view("letters")
def email_retry(request: HttpRequest, feedback: Feedback, email_id: int) -> HttpResponse:
    email = get_object_or_404(Email, pk=email_id, feedback=feedback)
    try:
        retry_email(actor=request.user, email=email)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The email will be sent again in the next minute or so.")
    return redirect("letters:case_letters", feedback.reference)


@staff_view("approve_letters")
def for_approval(request: HttpRequest) -> HttpResponse:
    return render(request, "letters/for_approval.html", {"letters": list(queries.letters_for_approval(request.user))})


# ------------------------------------------------------------------------------------------- templates


@staff_view("templates")
def template_list(request: HttpRequest) -> HttpResponse:
    saved = {t.kind: t for t in LetterTemplate.objects.select_related("updated_by")}
    rows = [(kind, saved.get(kind.value)) for kind in LetterKind]
    return render(request, "letters/templates.html", {"rows": rows})


@staff_view("templates")
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LetterKind.values:
        raise Http404("No such letter.")
    template = ls.template_for(kind)
    preview = rule = None
    unknown: list[str] = []
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            unknown = ls.check_template(title=data["title"], body=data["body"])
            if request.POST.get("do") == "preview":
                title, body = ls.preview_template(title=data["title"], body=data["body"])
                preview = {"title": title, "paragraphs": _paragraphs(body)}
                if unknown:
                    form.add_error(
                        "body", "These placeholders do not exist: " + ", ".join("{" + n + "}" for n in unknown)
                    )
            else:
                try:
                    ls.update_template(
                        actor=request.user,
                        kind=kind,
                        title=data["title"],
                        body=data["body"],
                        expected_version=data["version"],
                    )
                except RuleViolation as exc:
                    _add_violation(form, exc)
                    rule = exc.rule
                else:
                    messages.success(request, f"Template saved: {LetterKind(kind).label}.")
                    return redirect("letters:templates")
    else:
        form = TemplateForm(
            initial={
                "title": template.title,
                "body": template.body,
                "version": template.version if template.pk else None,
            }
        )
    return render(
        request,
        "letters/template_edit.html",
        {
            "kind": LetterKind(kind),
            "form": form,
            "preview": preview,
            "rule": rule,
            "placeholders": sorted(ph.PLACEHOLDERS.items()),
        },
        status=400 if form.errors else 200,
    )
