"""The letters pages: thin views over the services, deny by default, errors next to the field, constant
queries as a case's letters grow."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heard.letters import services as ls
from heard.letters.models import Letter, LetterTemplate
from heard.letters.tests import states
from heard.outbox.models import Email
from heard.staff.models import AccessRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_a_letter_goes_from_draft_to_approved_pdf_through_the_pages(people, social_care, as_user):
    fb = states.stage1_responded(people, social_care, preferred="letter")
    c = as_user(people["alice"])
    page = c.get(reverse("letters:case_letters", args=[fb.reference]))
    assert page.status_code == 200 and b"Stage 1 response" in page.content
    r = c.post(reverse("letters:case_letters", args=[fb.reference]), {"kind": "stage1_response"})
    letter = Letter.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("letters:letter", args=[fb.reference, letter.pk])
    page = c.get(r["Location"])
    assert b"Thursday 9 April 2026" in page.content
    r = c.post(
        r["Location"],
        {
            "title": letter.title,
            "body": letter.body + "\n\nWe hope this helps.",
            "version": letter.version,
            "then": "submit",
        },
    )
    assert r.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "awaiting_approval" and letter.body.endswith("We hope this helps.")

    c = as_user(people["mo"])
    approve = reverse("letters:approve", args=[fb.reference, letter.pk])
    assert b"We hope this helps." in c.get(approve).content
    assert c.post(approve, {"version": letter.version}).status_code == 302
    letter.refresh_from_db()
    assert letter.status == "approved" and letter.pdf
    pdf = c.get(reverse("letters:download", args=[fb.reference, letter.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'attachment; filename="{fb.reference}-stage1-response.pdf"'
    assert AccessRecord.objects.filter(user=people["mo"], action="downloaded", feedback=fb).exists()
    r = c.post(reverse("letters:posted", args=[fb.reference, letter.pk]))
    letter.refresh_from_db()
    assert letter.status == "sent" and letter.sent_by == "post"


def test_a_letter_that_does_not_fit_the_case_is_refused_next_to_the_choice(people, social_care, as_user):
    fb = states.acknowledged(people, social_care)
    r = as_user(people["alice"]).post(reverse("letters:case_letters", args=[fb.reference]), {"kind": "stage1_response"})
    assert r.status_code == 400 and b"Record the stage 1 response" in r.content
    assert b"govuk-error-summary" in r.content and not Letter.objects.exists()


def test_an_empty_letter_is_refused_next_to_the_wording_and_nothing_changes(people, social_care, as_user):
    fb = states.received(people, social_care)
    letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    r = as_user(people["alice"]).post(
        reverse("letters:letter", args=[fb.reference, letter.pk]),
        {"title": "x", "body": "", "version": letter.version, "then": "save"},
    )
    assert r.status_code == 400 and b"Enter the wording of the letter" in r.content
    assert Letter.objects.get().body == letter.body


def test_a_stale_edit_is_refused_with_409(people, social_care, as_user):
    fb = states.received(people, social_care)
    letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    ls.edit_letter(actor=people["mo"], letter=letter, body="Mo's words", expected_version=letter.version)
    r = as_user(people["alice"]).post(
        reverse("letters:letter", args=[fb.reference, letter.pk]),
        {"title": "x", "body": "Alice's words", "version": letter.version},
    )
    assert r.status_code == 409 and b"changed while you were editing" in r.content
    assert Letter.objects.get().body == "Mo's words"


def test_the_drafter_cannot_approve_their_own_letter_on_the_page(people, social_care, as_user):
    fb = states.received(people, social_care)
    letter = ls.submit_letter(
        actor=people["mo"],
        letter=ls.draft_letter(actor=people["mo"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3)),
    )
    r = as_user(people["mo"]).post(
        reverse("letters:approve", args=[fb.reference, letter.pk]), {"version": letter.version}
    )
    assert r.status_code == 400 and b"someone else must approve" in r.content
    assert Letter.objects.get().status == "awaiting_approval"


def test_deny_by_default(people, social_care, early_help, as_user, client):
    fb = states.received(people, social_care)
    letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    url = reverse("letters:case_letters", args=[fb.reference])
    assert client.get(url).status_code == 302  # not signed in: to the sign-in page
    for name in ("charlie", "ada", "pat", "erin"):  # no role, administrator, unappointed, another service
        assert as_user(people[name]).get(url).status_code == 404, name
    # The director sees the case and approves letters, and reads its letters, but does not write them.
    assert as_user(people["dina"]).get(url).status_code == 200
    assert as_user(people["dina"]).post(url, {"kind": "acknowledgement"}).status_code == 403
    assert Letter.objects.count() == 1
    assert as_user(people["dina"]).get(reverse("letters:approve", args=[fb.reference, letter.pk])).status_code == 200
    # Only administrators and the complaints manager edit templates.
    assert as_user(people["sam"]).get(reverse("letters:templates")).status_code == 403
    assert as_user(people["ada"]).get(reverse("letters:templates")).status_code == 200
    assert as_user(people["mo"]).get(reverse("letters:template_edit", args=["thanks"])).status_code == 200


def test_letters_waiting_for_approval_are_listed_for_managers_but_not_their_own(people, social_care, as_user):
    fb = states.received(people, social_care)
    mine = ls.submit_letter(
        actor=people["sam"],
        letter=ls.draft_letter(actor=people["sam"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3)),
    )
    theirs = ls.submit_letter(
        actor=people["alice"],
        letter=ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3)),
    )
    page = as_user(people["sam"]).get(reverse("letters:for_approval")).content.decode()
    assert reverse("letters:approve", args=[fb.reference, theirs.pk]) in page
    assert reverse("letters:approve", args=[fb.reference, mine.pk]) not in page


def test_the_template_editor_previews_and_lists_unknown_placeholders_by_name(people, as_user):
    c = as_user(people["ada"])
    url = reverse("letters:template_edit", args=["thanks"])
    version = LetterTemplate.objects.get(kind="thanks").version
    r = c.post(
        url,
        {
            "title": "Thanks",
            "body": "Dear {recipient_name}, on {received_date}. {childs_name}",
            "version": version,
            "do": "preview",
        },
    )
    assert r.status_code == 400 and b"{childs_name}" in r.content and b"Preview with example details" in r.content
    assert b"Dear Jo Bloggs, on Monday 2 March 2026." in r.content
    r = c.post(
        url, {"title": "Thanks", "body": "Dear {recipient_name} {childs_name}", "version": version, "do": "save"}
    )
    assert r.status_code == 400 and b"These placeholders do not exist: {childs_name}" in r.content
    assert LetterTemplate.objects.get(kind="thanks").version == version
    r = c.post(url, {"title": "Thanks", "body": "Dear {recipient_name}", "version": version, "do": "save"})
    assert r.status_code == 302 and LetterTemplate.objects.get(kind="thanks").body == "Dear {recipient_name}"


def test_a_failed_email_shows_on_the_case_and_can_be_sent_again(people, social_care, as_user):
    fb = states.received(people, social_care)
    from django.db import transaction

    with transaction.atomic():
        from heard.outbox.services import enqueue_email

        email = enqueue_email(
            to="jo@example.com", subject=f"Reference {fb.reference}", body="b", idempotency_key="k", feedback=fb
        )
    Email.objects.filter(pk=email.pk).update(status="failed", last_error="SMTPDataError 550", attempts=6)
    c = as_user(people["alice"])
    page = c.get(reverse("letters:case_letters", args=[fb.reference])).content
    assert b"SMTPDataError 550" in page and b"Send again" in page
    c.post(reverse("letters:email_retry", args=[fb.reference, email.pk]))
    assert Email.objects.get().status == "pending"


def test_the_letters_page_makes_the_same_number_of_queries_for_1_or_8_letters(people, social_care, as_user):
    fb = states.received(people, social_care)
    c = as_user(people["alice"])
    url = reverse("letters:case_letters", args=[fb.reference])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    one = count()
    for _ in range(7):
        ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    assert count() == one
