"""Draft, edit, approve, send: four eyes, optimistic locking, the PDF and DOCX saved on the case with the
right dates in them, and the email queued in the same transaction."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document

from heard.feedback.models import Event
from heard.feedback.services import RuleViolation
from heard.letters import services as ls
from heard.letters.models import Letter
from heard.letters.tests import states
from heard.outbox.models import Email

pytestmark = pytest.mark.django_db


def needs_poppler() -> None:
    # CI installs poppler-utils (.ci/run); a developer machine without it skips these, saying why.
    if not shutil.which("pdftotext"):
        pytest.skip("reading PDF text needs poppler-utils: apt-get install poppler-utils")


def pdf_text(letter: Letter) -> str:
    """The PDF's text layer, as a screen reader or a search would get it (poppler's pdftotext)."""
    needs_poppler()
    with letter.pdf.open("rb") as f:
        out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=f.read(), capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def docx_text(letter: Letter) -> str:
    with letter.docx.open("rb") as f:
        return "\n".join(p.text for p in Document(io.BytesIO(f.read())).paragraphs)


def ready(letter, people, who="alice"):
    return ls.submit_letter(actor=people[who], letter=letter, expected_version=letter.version)


def test_an_approved_stage_1_response_is_saved_as_pdf_and_docx_with_its_dates(people, social_care):
    fb = states.stage1_responded(people, social_care, preferred="letter")
    letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind="stage1_response", today=date(2026, 3, 10))
    letter = ready(letter, people)
    letter = ls.approve_letter(actor=people["mo"], letter=letter, today=date(2026, 3, 11))
    assert letter.status == Letter.Status.APPROVED and letter.approved_by == people["mo"]
    text = pdf_text(letter)
    for expected in (
        "Thursday 9 April 2026",
        "Wednesday 11 March 2026",
        fb.reference,
        "Seaside Borough Council",
        "Jo Bloggs",
        "1 High Street",
        "Visits were cancelled without notice: upheld",
    ):
        assert expected in text, expected
    assert "Thursday 9 April 2026" in docx_text(letter) and fb.reference in docx_text(letter)
    assert Event.objects.filter(feedback=fb, action="letter_approved").count() == 1
    # The person prefers letters: nothing is emailed until it is posted.
    assert not Email.objects.filter(feedback=fb).exists()
    letter = ls.record_letter_posted(actor=people["alice"], letter=letter, on=date(2026, 3, 11))
    assert letter.status == Letter.Status.SENT and letter.sent_by == "post"
    assert Event.objects.filter(feedback=fb, action="letter_sent").count() == 1


def test_the_pdf_is_a4_tagged_and_has_a_text_layer(people, social_care):
    fb = states.received(people, social_care, preferred="letter")
    letter = ready(
        ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3)), people
    )
    letter = ls.approve_letter(actor=people["sam"], letter=letter, today=date(2026, 3, 3))
    needs_poppler()
    info = subprocess.run(["pdfinfo", letter.pdf.path], capture_output=True, check=True).stdout.decode()
    assert "pts (A4)" in info
    assert "Tagged:          yes" in info
    assert "Monday 16 March 2026" in pdf_text(letter)


def test_large_print_letters_use_16pt_or_more(people, social_care):
    fb = states.received(people, social_care, preferred="letter")
    letter = ls.draft_letter(
        actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3), large_print=True
    )
    letter = ls.approve_letter(actor=people["mo"], letter=ready(letter, people), today=date(2026, 3, 3))
    needs_poppler()
    fonts = subprocess.run(["pdffonts", letter.pdf.path], capture_output=True, check=True).stdout.decode()
    assert fonts.strip()
    with letter.docx.open("rb") as f:
        doc = Document(io.BytesIO(f.read()))
    sizes = {run.font.size.pt for p in doc.paragraphs for run in p.runs if run.font.size}
    assert min(sizes) >= 16
    # The PDF's body text is set larger too: measure the height of a body word in each (poppler's bounding boxes).
    standard = ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    standard = ls.approve_letter(actor=people["mo"], letter=ready(standard, people), today=date(2026, 3, 3))
    large_h, standard_h = word_height(letter, "Thank"), word_height(standard, "Thank")
    assert large_h >= 16 and large_h / standard_h == pytest.approx(16 / 12, rel=0.05)


def word_height(letter: Letter, word: str) -> float:
    """The height in points of the first occurrence of `word` in the PDF: proportional to its font size."""
    import re

    needs_poppler()
    out = subprocess.run(["pdftotext", "-bbox", letter.pdf.path, "-"], capture_output=True, check=True).stdout.decode()
    m = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">' + word + "<", out)
    assert m, word
    return float(m.group(2)) - float(m.group(1))


def test_approving_emails_the_letter_when_the_person_prefers_email_in_the_same_transaction(people, social_care):
    fb = states.stage1_responded(people, social_care, preferred="email")
    letter = ready(
        ls.draft_letter(actor=people["alice"], feedback=fb, kind="stage1_response", today=date(2026, 3, 10)), people
    )
    letter = ls.approve_letter(actor=people["mo"], letter=letter, today=date(2026, 3, 10))
    email = Email.objects.get(feedback=fb)
    assert letter.status == Letter.Status.SENT and letter.sent_by == "email"
    assert email.to == "jo@example.com" and email.status == Email.Status.PENDING
    assert "Thursday 9 April 2026" in email.body
    # Never personal data in a subject line: the heading and the reference only.
    assert email.subject == f"Our reply to your complaint – reference {fb.reference}"
    assert "Jo" not in email.subject
    assert Event.objects.filter(feedback=fb, action="letter_sent").count() == 1


def test_if_the_email_cannot_be_queued_the_approval_is_not_saved_either(people, social_care, monkeypatch):
    fb = states.stage1_responded(people, social_care, preferred="email")
    letter = ready(
        ls.draft_letter(actor=people["alice"], feedback=fb, kind="stage1_response", today=date(2026, 3, 10)), people
    )

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ls, "enqueue_email", broken)
    with pytest.raises(RuntimeError):
        ls.approve_letter(actor=people["mo"], letter=letter, today=date(2026, 3, 10))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.AWAITING_APPROVAL and not letter.pdf
    assert not Event.objects.filter(feedback=fb, action="letter_approved").exists()


def test_four_eyes_the_drafter_and_the_last_editor_cannot_approve(people, social_care):
    fb = states.received(people, social_care)
    letter = ls.draft_letter(actor=people["mo"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    letter = ready(letter, people, "mo")
    with pytest.raises(RuleViolation, match="someone else must approve"):
        ls.approve_letter(actor=people["mo"], letter=letter, today=date(2026, 3, 3))
    letter = ls.edit_letter(
        actor=people["sam"], letter=letter, body=letter.body + "\n\nP.S.", expected_version=letter.version
    )
    letter = ready(letter, people, "mo")
    with pytest.raises(RuleViolation, match="someone else must approve"):
        ls.approve_letter(actor=people["sam"], letter=letter, today=date(2026, 3, 3))
    with pytest.raises(RuleViolation, match="cannot approve letters"):
        ls.approve_letter(actor=people["alice"], letter=letter, today=date(2026, 3, 3))
    assert ls.approve_letter(actor=people["dina"], letter=letter, today=date(2026, 3, 3)).status == "sent"


def test_a_draft_must_be_sent_for_approval_before_it_is_approved(people, social_care):
    fb = states.received(people, social_care)
    letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    with pytest.raises(RuleViolation, match="waiting for approval"):
        ls.approve_letter(actor=people["mo"], letter=letter, today=date(2026, 3, 3))


def test_editing_sends_the_letter_back_to_draft_so_the_approver_sees_what_they_approve(people, social_care):
    fb = states.received(people, social_care)
    letter = ready(
        ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3)), people
    )
    letter = ls.edit_letter(actor=people["alice"], letter=letter, body="New words", expected_version=letter.version)
    assert letter.status == Letter.Status.DRAFT and letter.body == "New words"


def test_a_stale_edit_is_refused_and_changes_nothing(people, social_care):
    fb = states.received(people, social_care)
    letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    old = letter.version
    ls.edit_letter(actor=people["alice"], letter=letter, body="First", expected_version=old)
    with pytest.raises(RuleViolation, match="changed while you were editing"):
        ls.edit_letter(actor=people["sam"], letter=letter, body="Second", expected_version=old)
    letter.refresh_from_db()
    assert letter.body == "First"


def test_an_empty_letter_is_refused(people, social_care):
    fb = states.received(people, social_care)
    letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3))
    with pytest.raises(RuleViolation) as info:
        ls.edit_letter(actor=people["alice"], letter=letter, body="   ", expected_version=letter.version)
    assert info.value.field == "body"


def test_an_approved_letter_is_final(people, social_care):
    fb = states.received(people, social_care)
    letter = ready(
        ls.draft_letter(actor=people["alice"], feedback=fb, kind="acknowledgement", today=date(2026, 3, 3)), people
    )
    letter = ls.approve_letter(actor=people["mo"], letter=letter, today=date(2026, 3, 3))
    with pytest.raises(RuleViolation, match="can no longer be changed"):
        ls.edit_letter(actor=people["alice"], letter=letter, body="x", expected_version=letter.version)


def test_an_mp_reply_cannot_go_with_the_write_the_reply_here_instruction_left_in(people, social_care):
    fb = states.mp_enquiry(people, social_care)
    letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind="enquiry_reply", today=date(2026, 3, 3))
    with pytest.raises(RuleViolation, match=r"Replace the instruction \[Write the reply here.\]"):
        ready(letter, people)
    letter = ls.edit_letter(
        actor=people["alice"],
        letter=letter,
        expected_version=letter.version,
        body=letter.body.replace("[Write the reply here.]", "Here is the information."),
    )
    assert ready(letter, people).status == Letter.Status.AWAITING_APPROVAL
