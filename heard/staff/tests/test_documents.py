"""Documents: accepted by what they are (their bytes), not what they are called; at most 10 MB; kept
under a random name outside any public URL; downloaded only through an audited, access-checked view."""

import io
import zipfile
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.documents import MAX_BYTES, upload_document
from heard.feedback.models import Document, Event
from heard.feedback.services import RuleViolation
from heard.staff.models import AccessRecord
from heard.staff.tests.test_case_page import log_complaint

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00" + b"\x00" * 64


def docx(macro=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        kind = (
            "application/vnd.ms-word.document.macroEnabled.main+xml"
            if macro
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        )
        z.writestr("[Content_Types].xml", f'<Types><Override ContentType="{kind}"/></Types>')
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def a_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("payload.js", "alert(1)")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def complaint(people, social_care):
    return log_complaint(people, social_care)


def upload(people, fb, name, content, kind="evidence"):
    return upload_document(actor=people["alice"], feedback=fb, kind=kind, upload=SimpleUploadedFile(name, content))


class TestWhatMayBeUploaded:
    @pytest.mark.parametrize(
        "name,content,content_type,stored_as",
        [
            ("letter.pdf", PDF, "application/pdf", "letter.pdf"),
            ("photo.png", PNG, "image/png", "photo.png"),
            ("photo.jpeg", JPEG, "image/jpeg", "photo.jpg"),
            (
                "report.docx",
                docx(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "report.docx",
            ),
            ("notes.txt", "Notes from the visit – £20 café\n".encode(), "text/plain; charset=utf-8", "notes.txt"),
            # The content decides, not the name: a PDF called .docx is kept and downloaded as a PDF.
            ("mislabelled.docx", PDF, "application/pdf", "mislabelled.pdf"),
        ],
    )
    def test_the_five_types_are_accepted_by_their_content(
        self, people, complaint, name, content, content_type, stored_as
    ):
        document = upload(people, complaint, name, content)
        assert document.content_type == content_type and document.filename == stored_as
        assert document.size == len(content)

    @pytest.mark.parametrize(
        "name,content",
        [
            ("invoice.pdf", EXE),  # a program renamed to look like a PDF
            ("archive.docx", a_zip()),  # a ZIP that is not a Word document
            ("macros.docx", docx(macro=True)),
            ("binary.txt", b"\x00\x01\x02binary"),
            ("page.html", b"\x00<script>alert(1)</script>"),
        ],
    )
    def test_anything_else_is_refused_whatever_it_is_called(self, people, complaint, name, content):
        with pytest.raises(RuleViolation, match="must be a PDF, Word document"):
            upload(people, complaint, name, content)
        assert not Document.objects.exists()

    def test_a_file_over_10_mb_is_refused(self, people, complaint):
        with pytest.raises(RuleViolation, match="smaller than 10MB"):
            upload(people, complaint, "big.pdf", PDF + b"0" * MAX_BYTES)
        assert not Document.objects.exists()

    def test_an_empty_file_is_refused(self, people, complaint):
        with pytest.raises(RuleViolation, match="empty"):
            upload(people, complaint, "empty.txt", b"")

    def test_the_stored_name_is_random_and_the_event_names_no_file(self, people, complaint, media):
        document = upload(people, complaint, "Jo Bloggs medical report.pdf", PDF)
        stored = document.file.name
        assert "Bloggs" not in stored and stored.startswith("documents/") and stored.endswith(".pdf")
        assert (media / stored).read_bytes() == PDF
        event = Event.objects.get(feedback=complaint, action="document_uploaded")
        assert "Bloggs" not in event.summary and "Bloggs" not in str(event.data)

    def test_a_path_in_the_name_is_dropped(self, people, complaint):
        document = upload(people, complaint, "../../etc/passwd.txt", b"root:x:0:0\n")
        assert document.filename == "passwd.txt"


def files_in(directory) -> list:
    return [p for p in directory.rglob("*") if p.is_file()]


class TestNothingLeftBehind:
    """A file is kept only with the Document that points to it."""

    def test_a_document_whose_transaction_rolls_back_leaves_no_file(self, people, complaint, media, monkeypatch):
        def fail(*args, **kwargs):
            raise RuntimeError("the database went away")

        monkeypatch.setattr("heard.feedback.documents._event", fail)  # after the row, before the commit
        with pytest.raises(RuntimeError, match="went away"):
            upload(people, complaint, "letter.pdf", PDF)
        assert not Document.objects.exists() and not files_in(media)

    def test_inside_another_transaction_it_refuses_and_keeps_no_file(self, people, complaint, media):
        # That transaction could roll back after the upload returned, leaving the file with no row.
        with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
            upload(people, complaint, "letter.pdf", PDF)
        assert not Document.objects.exists() and not files_in(media)

    def test_a_refused_file_is_never_written(self, people, complaint, media):
        with pytest.raises(RuleViolation):
            upload(people, complaint, "run.pdf", EXE)
        with pytest.raises(RuleViolation):
            upload(people, complaint, "letter.pdf", PDF, kind="no such kind")
        assert not files_in(media)

    def test_a_committed_document_keeps_its_file(self, people, complaint, media):
        document = upload(people, complaint, "letter.pdf", PDF)
        assert files_in(media) == [media / document.file.name]


class TestUploadingThroughThePage:
    def test_the_form_keeps_a_valid_file_and_refuses_a_bad_one_by_the_field(self, client, people, complaint):
        client.force_login(people["sam"])
        url = reverse("staff:upload", args=[complaint.reference])
        response = client.post(
            url, {"version": complaint.version, "kind": "evidence", "file": SimpleUploadedFile("run.pdf", EXE)}
        )
        html = unescape(response.content.decode())
        assert response.status_code == 400
        assert "must be a PDF, Word document (DOCX), JPEG, PNG or plain text file" in html
        assert 'id="id_file-error"' in html
        response = client.post(
            url, {"version": complaint.version, "kind": "evidence", "file": SimpleUploadedFile("visit notes.pdf", PDF)}
        )
        assert response.status_code == 302
        assert Document.objects.get().uploaded_by == people["sam"]


class TestDownloading:
    def test_a_download_is_an_audited_attachment_that_cannot_be_sniffed(self, client, people, complaint):
        document = upload(people, complaint, "letter.pdf", PDF)
        client.force_login(people["sam"])
        response = client.get(reverse("staff:document", args=[complaint.reference, document.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        record = AccessRecord.objects.get(action="downloaded")
        assert record.user == people["sam"] and record.feedback == complaint
        assert record.detail == f"document {document.pk}"  # never the file name

    def test_the_case_page_links_to_the_download_view_by_id(self, client, people, complaint):
        document = upload(people, complaint, "Jo Bloggs letter.pdf", PDF)
        client.force_login(people["alice"])
        html = unescape(client.get(reverse("staff:case", args=[complaint.reference])).content.decode())
        assert f'/staff/cases/{complaint.reference}/documents/{document.pk}"' in html

    @pytest.mark.parametrize("name", ["erin", "ian", "pat", "quinn", "ada", "charlie"])
    def test_people_who_cannot_see_the_case_cannot_download_its_documents(self, client, people, complaint, name):
        document = upload(people, complaint, "letter.pdf", PDF)
        client.force_login(people[name])
        response = client.get(reverse("staff:document", args=[complaint.reference, document.pk]))
        assert response.status_code == 404
        assert not AccessRecord.objects.filter(action="downloaded").exists()

    def test_a_document_of_another_case_is_not_found_through_this_one(self, client, people, social_care, complaint):
        other = log_complaint(people, social_care)
        document = upload(people, other, "letter.pdf", PDF)
        client.force_login(people["alice"])
        response = client.get(reverse("staff:document", args=[complaint.reference, document.pk]))
        assert response.status_code == 404

    def test_an_independent_person_may_download_the_documents_of_their_case(self, client, people, social_care):
        from heard.staff.tests.test_case_page import at_stage_2

        fb = at_stage_2(people, social_care)
        s.appoint_independent_person(actor=people["mo"], feedback=fb, person=people["pat"])
        document = upload(people, fb, "statement.pdf", PDF)
        client.force_login(people["pat"])
        assert client.get(reverse("staff:document", args=[fb.reference, document.pk])).status_code == 200

    def test_documents_are_not_served_from_a_media_url(self, settings):
        assert settings.MEDIA_URL is None
