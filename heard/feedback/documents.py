"""Documents on a case: what may be uploaded, where it is kept, and how it is read back. Staff upload
here (upload_document); the public portal checks and keeps its files here too (store_upload, through
heard.public.uploads, which adds its own limit of files per form).

Case documents are about children, so:
- the type is decided by the file's content (its magic bytes), never by its name or the browser's
  Content-Type, which anyone can set: PDF, Word (DOCX), JPEG, PNG and plain text only;
- at most 10 MB;
- stored under MEDIA_ROOT with a random name (MEDIA_URL is None: nothing there is served by URL);
- read back only through the audited staff download view, as an attachment with nosniff.

A file is kept only while a Document row points to it. Staff uploads write the file, then the row in a
transaction of their own; if that rolls back the file is deleted at once. A file sent through the public
form is kept when it is uploaded and becomes a Document when the form is sent; until then only the
person's session points to it. Whatever is left over (a form never sent, a process killed between the
file and the row) is removed by `heard uploads prune` once it is older than any session (prune_orphans).
"""

from __future__ import annotations

import posixpath
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePath

from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.feedback.models import Document, Feedback
from heard.feedback.services import RuleViolation, _event

MAX_BYTES = 10 * 1024 * 1024
RULE = "documents: PDF, Word (DOCX), JPEG, PNG or plain text, at most 10 MB"
ACCEPTED = "a PDF, Word document (DOCX), JPEG, PNG or plain text file"  # "The selected file must be …"

_FILE_FIELD = Document._meta.get_field("file")
# Where uploads are kept ("documents", from Document.file's upload_to): the only place prune_orphans looks.
UPLOAD_DIR = str(_FILE_FIELD.upload_to).split("%", 1)[0].strip("/")


def storage() -> Storage:
    return _FILE_FIELD.storage


class DocumentKind(models.TextChoices):
    COMPLAINT = "complaint", "The complaint as received"
    EVIDENCE = "evidence", "Evidence or supporting information"
    CORRESPONDENCE = "correspondence", "Correspondence"
    RESPONSE = "response", "Response letter"
    INVESTIGATION_REPORT = "investigation_report", "Investigating officer's report"
    INDEPENDENT_PERSON_REPORT = "independent_person_report", "Independent person's report"
    ADJUDICATION = "adjudication", "Adjudication"
    PANEL_REPORT = "panel_report", "Review panel report"
    OMBUDSMAN = "ombudsman", "Ombudsman correspondence"
    OTHER = "other", "Other"


@dataclass(frozen=True)
class SniffedType:
    content_type: str
    extension: str
    label: str


PDF = SniffedType("application/pdf", ".pdf", "PDF")
PNG = SniffedType("image/png", ".png", "PNG image")
JPEG = SniffedType("image/jpeg", ".jpg", "JPEG image")
DOCX = SniffedType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word document")
TEXT = SniffedType("text/plain; charset=utf-8", ".txt", "Text")

_BY_CONTENT_TYPE = {t.content_type: t for t in (PDF, PNG, JPEG, DOCX, TEXT)}

# Bytes allowed in plain text besides the printable: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = {9, 10, 12, 13}


def sniff(upload: UploadedFile) -> SniffedType | None:
    """The file's real type from its content, or None if it is not one we accept."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        # A DOCX is a ZIP holding word/document.xml and [Content_Types].xml; any other ZIP (or a
        # macro-enabled .docm, whose content type differs) is refused.
        try:
            with zipfile.ZipFile(upload) as z:
                names = set(z.namelist())
                types = z.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
        finally:
            upload.seek(0)
        if {"word/document.xml", "[Content_Types].xml"} <= names and b"macroEnabled" not in types:
            return DOCX
        return None
    return TEXT if _is_plain_text(upload) else None


def _is_plain_text(upload: UploadedFile) -> bool:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return bool(text.strip()) and all(c.isprintable() or ord(c) in _TEXT_CONTROLS for c in text)


def clean_filename(name: str, extension: str) -> str:
    """The name staff see and download as: no path, no control characters, the extension that
    matches the content (a PDF called report.docx downloads as report.pdf)."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable() and c not in '"<>:|?*')
    stem = PurePath(base).stem.strip(" .") or "document"
    return f"{stem[:150]}{extension}"


def validate_upload(upload: UploadedFile | None, *, accepted: str = ACCEPTED) -> SniffedType:
    """Refuse what may not be stored, with a message for the field; nothing is written. `accepted` words
    the types for the reader ("a PDF, JPG, PNG, Word document (.docx) or text file" for the public)."""
    if upload is None:
        raise RuleViolation("Select a file", rule=RULE, field="file")
    if upload.size == 0:
        raise RuleViolation("The selected file is empty", rule=RULE, field="file")
    if upload.size > MAX_BYTES:
        raise RuleViolation(
            f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)}MB", rule=RULE, field="file"
        )
    kind = sniff(upload)
    if kind is None:
        raise RuleViolation(f"The selected file must be {accepted}", rule=RULE, field="file")
    return kind


@dataclass(frozen=True)
class StoredUpload:
    """A checked file kept under a random name, which no Document points to yet."""

    path: str  # in storage(), random
    filename: str  # the name staff see and download it as (clean_filename)
    content_type: str
    size: int

    def as_dict(self) -> dict:
        return asdict(self)


def store_upload(upload: UploadedFile, *, accepted: str = ACCEPTED) -> StoredUpload:
    """Check a file and keep it under a random name in Document.file's place. Raises RuleViolation (for the
    field "file") before anything is written."""
    sniffed = validate_upload(upload, accepted=accepted)
    upload.seek(0)
    # The stored name is random: the original name may hold personal data and must not be guessable.
    path = storage().save(_FILE_FIELD.generate_filename(None, secrets.token_hex(16) + sniffed.extension), upload)
    return StoredUpload(
        path=path,
        filename=clean_filename(upload.name or "", sniffed.extension),
        content_type=sniffed.content_type,
        size=upload.size,
    )


def discard(path: str) -> None:
    """Delete a stored upload taken out of a form: never one a Document points to, nor anything outside
    the upload directory."""
    if not Document.objects.filter(file=path).exists():
        _delete(path)


def _delete(path: str) -> None:
    if posixpath.normpath(path) == path and path.startswith(UPLOAD_DIR + "/") and storage().exists(path):
        storage().delete(path)


def upload_document(*, actor: User, feedback: Feedback, upload: UploadedFile, kind: str) -> Document:
    """Keep a document on the case under a random name and record who added it.

    The file is written first, then the Document and its Event in one transaction that must be the
    outermost (durable): when it commits, the file and its row are both kept; when it rolls back, the file
    is deleted before the error goes on. Inside another transaction it refuses (RuntimeError) and keeps
    nothing, as that transaction could roll back after the file was kept and leave it with no row."""
    if kind not in DocumentKind.values:
        raise RuleViolation("Select what kind of document this is", rule=RULE, field="kind")
    stored = store_upload(upload)
    try:
        with transaction.atomic(durable=True):
            document = Document.objects.create(
                feedback=feedback,
                kind=kind,
                filename=stored.filename,
                content_type=stored.content_type,
                size=stored.size,
                file=stored.path,
                uploaded_by=actor,
            )
            # The event names the kind and size, never the file name (it may name a child).
            _event(
                feedback,
                actor,
                "document_uploaded",
                f"Document added: {DocumentKind(kind).label} ({_BY_CONTENT_TYPE[stored.content_type].label}, "
                f"{_size(stored.size)})",
                data={"document": document.pk},
            )
    except BaseException:
        _delete(stored.path)  # no Document points to it: the transaction that would have made one is gone
        raise
    return document


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def human_size(n: int) -> str:
    return _size(n)


# ------------------------------------------------------------------------------------ left-over files


@dataclass
class PruneReport:
    older_than: timedelta
    dry_run: bool
    orphans: list[tuple[str, int, datetime]] = field(default_factory=list)  # (path, bytes, last modified)
    referenced: int = 0  # files a Document points to: kept
    recent: int = 0  # files no Document points to yet, newer than older_than: kept
    missing: list[int] = field(default_factory=list)  # Documents whose file is not in storage

    @property
    def orphan_bytes(self) -> int:
        return sum(size for _, size, _ in self.orphans)

    def summary(self) -> str:
        n = len(self.orphans)
        files = "file" if n == 1 else "files"
        done = "would be removed" if self.dry_run else "removed"
        hours = self.older_than.total_seconds() / 3600
        text = (
            f"Uploads: {n} {files} ({_size(self.orphan_bytes)}) on no case and older than {hours:g} hours "
            f"{done}; kept {self.referenced} on a case and {self.recent} newer than that."
        )
        if self.dry_run:
            text += " Dry run: nothing was deleted."
        if self.missing:
            text += (
                f" {len(self.missing)} document{'s' if len(self.missing) != 1 else ''} on a case "
                f"{'have' if len(self.missing) != 1 else 'has'} no file in storage: "
                + ", ".join(str(pk) for pk in self.missing)
                + "."
            )
        return text


def _walk(store: Storage, directory: str):
    try:
        directories, files = store.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}"
    for name in sorted(directories):
        yield from _walk(store, f"{directory}/{name}")


def prune_orphans(
    *,
    older_than: timedelta,
    now: datetime | None = None,
    dry_run: bool = False,
    on_orphan: Callable[[str, int, datetime], None] | None = None,
) -> PruneReport:
    """Delete the stored uploads that no Document points to and that were last written more than
    `older_than` ago: forms never sent, and files whose row was lost (a process killed between the two).

    `older_than` must be longer than a session lasts, since a file uploaded to the public form is pointed
    to only by the person's session until they send it. A candidate is checked again just before it goes.
    With dry_run nothing is deleted; the report says what would be."""
    now = now or timezone.now()
    store = storage()
    report = PruneReport(older_than=older_than, dry_run=dry_run)
    referenced = set(Document.objects.values_list("file", flat=True))
    seen = set()
    for path in _walk(store, UPLOAD_DIR):
        seen.add(path)
        if path in referenced:
            report.referenced += 1
            continue
        try:
            modified = store.get_modified_time(path)
            size = store.size(path)
        except FileNotFoundError:  # removed meanwhile (another prune, or taken out of a form)
            continue
        if now - modified <= older_than:
            report.recent += 1
            continue
        if Document.objects.filter(file=path).exists():  # attached since the list was read
            report.referenced += 1
            continue
        report.orphans.append((path, size, modified))
        if on_orphan is not None:
            on_orphan(path, size, modified)
        if not dry_run:
            store.delete(path)
    report.missing = sorted(Document.objects.filter(file__in=referenced - seen).values_list("pk", flat=True))
    return report
