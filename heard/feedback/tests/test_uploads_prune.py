"""`heard uploads prune`: files no document points to (forms never sent) go once they are older than any
session; files on a case, fresh files and anything outside the upload directory stay."""

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from heard.feedback import documents
from heard.feedback.documents import prune_orphans, upload_document
from heard.feedback.models import Document
from heard.public.uploads import check_and_store
from heard.staff.tests.test_case_page import log_complaint

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"
DAY = 24 * 3600


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def age(media, path: str, seconds: float) -> None:
    """Make a stored file look `seconds` old."""
    then = time.time() - seconds
    os.utime(media / path, (then, then))


def run(*args: str) -> str:
    out = StringIO()
    call_command("uploads", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def files(people, social_care, media):
    """A document on a case and a form never sent, both two days old; a file uploaded a minute ago; and a
    letter's PDF, which is not an upload."""
    on_case = upload_document(
        actor=people["alice"],
        feedback=log_complaint(people, social_care),
        kind="evidence",
        upload=SimpleUploadedFile("visit notes.pdf", PDF),
    ).file.name
    abandoned = check_and_store(SimpleUploadedFile("my evidence.pdf", PDF)).path
    fresh = check_and_store(SimpleUploadedFile("still filling in.pdf", PDF)).path
    for path in (on_case, abandoned):
        age(media, path, 2 * DAY)
    letter = media / "letters" / "CS-2026-00001-acknowledgement-1.pdf"
    letter.parent.mkdir(parents=True)
    letter.write_bytes(PDF)
    age(media, "letters/CS-2026-00001-acknowledgement-1.pdf", 30 * DAY)
    return {"on_case": on_case, "abandoned": abandoned, "fresh": fresh, "letter": letter}


def test_an_orphan_older_than_the_margin_goes_and_everything_else_stays(files, media):
    out = run("prune")
    assert not (media / files["abandoned"]).exists()
    assert (media / files["on_case"]).exists() and (media / files["fresh"]).exists() and files["letter"].exists()
    assert f"removed {files['abandoned']} (" in out
    assert "1 file (15 bytes) on no case and older than 24 hours removed; kept 1 on a case and 1 newer" in out
    assert "my evidence" not in out  # the stored name only, never the person's


def test_a_dry_run_lists_what_would_go_and_deletes_nothing(files, media):
    before = sorted(p for p in media.rglob("*") if p.is_file())
    out = run("prune", "--dry-run")
    assert sorted(p for p in media.rglob("*") if p.is_file()) == before
    assert f"would remove {files['abandoned']} (" in out and "Dry run: nothing was deleted." in out


def test_the_margin_can_be_longer_but_not_shorter_than_a_session(files, media, settings):
    run("prune", "--older-than-hours", "72")
    assert (media / files["abandoned"]).exists()  # two days old: within 72 hours
    settings.SESSION_COOKIE_AGE = 2 * 3600
    with pytest.raises(CommandError, match="shorter than a session"):
        run("prune", "--older-than-hours", "1")
    assert (media / files["abandoned"]).exists()


def test_a_form_sent_before_the_prune_keeps_its_file(files, media, people, social_care):
    # The person sends their form: the file they uploaded two days ago is now a document on the case.
    Document.objects.create(
        feedback=log_complaint(people, social_care),
        filename="my evidence.pdf",
        content_type="application/pdf",
        size=len(PDF),
        file=files["abandoned"],
    )
    run("prune")
    assert (media / files["abandoned"]).exists()


def test_a_document_whose_file_is_missing_is_reported_not_touched(files, media):
    document = Document.objects.get(file=files["on_case"])
    (media / files["on_case"]).unlink()
    report = prune_orphans(older_than=timedelta(days=1))
    assert report.missing == [document.pk] and Document.objects.filter(pk=document.pk).exists()
    assert f"1 document on a case has no file in storage: {document.pk}." in report.summary()


def test_an_empty_upload_directory_is_nothing_to_do(media):
    assert prune_orphans(older_than=timedelta(days=1)).orphans == []
    assert documents.UPLOAD_DIR == "documents"


def test_a_file_taken_out_of_a_form_goes_at_once_but_never_one_on_a_case_or_outside_the_uploads(files, media):
    documents.discard(files["fresh"])
    documents.discard(files["on_case"])
    documents.discard("documents/../letters/CS-2026-00001-acknowledgement-1.pdf")
    assert not (media / files["fresh"]).exists()
    assert (media / files["on_case"]).exists() and files["letter"].exists()
