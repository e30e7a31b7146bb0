"""Evidence files: what is accepted (by the file's own bytes, not its name) and how it is named.

Testimonies and photos can put people at risk: files get random names on disk, are never served
from the media folder, and only through a view that checks the reader may see the submission.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wpsmonitor.shell.uploads import safe_name  # noqa: F401 - evidence names, the shell's rule

# Leading bytes of the formats we accept, and the content type they are served with.
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    # Office documents (docx, xlsx, pptx, odt) are zip containers; they are stored, not opened.
    (b"PK\x03\x04", "application/zip"),
]


def check(upload: UploadedFile) -> str:
    """The content type of an acceptable file; ValidationError otherwise."""
    limit = settings.EVIDENCE_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError(_("Attach a PDF, a PNG or JPEG photo, or an office document."))
