"""Supporting documents from the public: the portal's own limits and words over heard.feedback.documents,
which checks each file by what its bytes are (never its name) and keeps it under a random name, as it does
for staff. Up to MAX_FILES per form, MAX_BYTES each. A file is kept when it is uploaded and becomes a
Document on the case when the form is sent; until then only the person's session points to it (a form
never sent leaves it for `heard uploads prune`)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from heard.feedback import documents
from heard.feedback.documents import StoredUpload, discard
from heard.feedback.services import RuleViolation

__all__ = ["ACCEPTED", "MAX_BYTES", "MAX_FILES", "StoredUpload", "UploadRejected", "check_and_store", "discard"]

MAX_BYTES = documents.MAX_BYTES
MAX_FILES = 5
ACCEPTED = "a PDF, JPG, PNG, Word document (.docx) or text file"  # in the public's words


class UploadRejected(ValueError):
    """The message is shown next to the file field, in GOV.UK style."""


def check_and_store(upload: UploadedFile, *, already: int = 0) -> StoredUpload:
    """Check one uploaded file and keep it under a random name. Raises UploadRejected."""
    if already >= MAX_FILES:
        raise UploadRejected(f"You can send up to {MAX_FILES} files")
    try:
        return documents.store_upload(upload, accepted=ACCEPTED)
    except RuleViolation as e:
        raise UploadRejected(e.message) from None
