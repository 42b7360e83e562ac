"""Supporting documents from the public: checked by what the bytes are, never by the file's name.

heard/feedback/documents.py (the staff case engineer's) did not exist when this was written; if it
arrives, this module should defer to it. Accepted: PDF, JPEG, PNG, Word (.docx) and plain text, up to
MAX_BYTES each and MAX_FILES per submission. Files are stored under MEDIA_ROOT with random names (the
person's own file name is kept only in the database) and are never served by URL (settings.MEDIA_URL)."""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import asdict, dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
SAMPLE = 4096  # bytes read to recognise a file
ACCEPTED = "a PDF, JPG, PNG, Word document (.docx) or text file"


@dataclass(frozen=True)
class StoredUpload:
    """A checked file on disk, waiting to be attached when the person sends their form."""

    path: str  # in default_storage, random
    filename: str  # the person's name for it, for staff to read
    content_type: str
    size: int

    def as_dict(self) -> dict:
        return asdict(self)


class UploadRejected(ValueError):
    """The message is shown next to the file field, in GOV.UK style."""


def sniff(head: bytes, whole: io.BufferedIOBase | None = None) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes of a file, or None if it is not one we take."""
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head.startswith(b"PK\x03\x04") and whole is not None:
        # A .docx is a zip with a Word document part; any other zip (or a renamed .exe inside one) is not.
        try:
            whole.seek(0)
            with zipfile.ZipFile(whole) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
        return None
    if _is_text(head):
        return "text/plain", "txt"
    return None


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as e:
        # The sample may cut a multi-byte character in half at its end.
        if len(head) < SAMPLE or e.start < len(head) - 3:
            return False
        text = head[: e.start].decode("utf-8")
    control = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n\f")
    return control == 0


def check_and_store(upload: UploadedFile, *, already: int = 0) -> StoredUpload:
    """Check one uploaded file and store it under a random name. Raises UploadRejected."""
    if already >= MAX_FILES:
        raise UploadRejected(f"You can send up to {MAX_FILES} files")
    if upload.size == 0:
        raise UploadRejected("The selected file is empty")
    if upload.size > MAX_BYTES:
        raise UploadRejected(f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)}MB")
    upload.seek(0)
    head = upload.read(SAMPLE)
    kind = sniff(head, upload.file if head.startswith(b"PK\x03\x04") else None)
    if kind is None:
        raise UploadRejected(f"The selected file must be {ACCEPTED}")
    content_type, ext = kind
    upload.seek(0)
    name = f"documents/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{ext}"
    path = default_storage.save(name, ContentFile(upload.read()))
    filename = (upload.name or f"document.{ext}").replace("\\", "/").rsplit("/", 1)[-1][:200] or f"document.{ext}"
    return StoredUpload(path=path, filename=filename, content_type=content_type, size=upload.size)


def discard(path: str) -> None:
    """Remove a stored file the person took out of their form."""
    if path.startswith("documents/") and default_storage.exists(path):
        default_storage.delete(path)
