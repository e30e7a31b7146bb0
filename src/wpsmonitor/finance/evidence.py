"""Files of evidence attached to civil society's account of the money (docs/oversight.md, "Civil
society on the budget", "Evidence files"): what is accepted, and how it is stored and read.

The house's checks first (`reporting.evidence.check`: the type from the file's own bytes, the
size cap `EVIDENCE_MAX_BYTES`, photos re-written without their metadata), with two changes for
money's evidence:

- a zip container is kept only if it is an office document (OOXML's `[Content_Types].xml` or
  OpenDocument's `mimetype`): a plain archive, or anything else zipped and renamed `.docx`, is
  refused (it is never opened further: nothing is extracted);
- a CSV (which has no signature) is accepted when its name ends in `.csv` and its first 64 KiB
  are UTF-8 text without NUL bytes and do not start like HTML or a script; it is served as
  `text/csv`, always as a download.

Stored encrypted a chunk at a time (`core.encryption.encrypt_file`, the stories' media do the
same), under a random name; read back through `chunks_of`.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wpsmonitor.core.encryption import Readable, decrypted_chunks, encrypt_file
from wpsmonitor.finance.models import MoneyAccountFile
from wpsmonitor.reporting import evidence as house

CSV = "text/csv"
ZIP = "application/zip"
FILES_PER_ACCOUNT = 10
_SNIFF = 64 * 1024
_HTML_STARTS = (b"<", b"#!", b"\xef\xbb\xbf<")

# The content types the house's check returns and what we serve an office document as.
_OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def _refused() -> ValidationError:
    return ValidationError(
        _(
            "Attach a PDF, a PNG or JPEG photo, an office document (DOCX, XLSX, ODT, ODS) "
            "or a CSV file."
        )
    )


def _is_csv(upload: UploadedFile) -> bool:
    if not (upload.name or "").lower().endswith(".csv"):
        return False
    upload.seek(0)
    head = upload.read(_SNIFF)
    upload.seek(0)
    if not head or b"\x00" in head or head.lstrip().startswith(_HTML_STARTS):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as cut:
        # A multi-byte character cut by the 64 KiB window is still UTF-8.
        if cut.start < len(head) - 4:
            return False
    return True


def _office_type(upload: UploadedFile) -> str:
    """The content type of an office document, or a refusal for any other zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refused() from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names and "mimetype" not in names:
        raise _refused()
    suffix = "." + (upload.name or "").rsplit(".", 1)[-1].lower()
    return _OFFICE_TYPES.get(suffix, ZIP)


def check(upload: UploadedFile) -> str:
    """The content type an acceptable file is served with; ValidationError otherwise. Size
    first, so a file too large is refused before a byte of it is read."""
    limit = int(settings.EVIDENCE_MAX_BYTES)
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    try:
        found = house.check(upload)
    except ValidationError:
        if _is_csv(upload):
            return CSV
        raise _refused() from None
    if found == ZIP:
        return _office_type(upload)
    return found


def prepared(upload: UploadedFile, content_type: str) -> File[bytes] | UploadedFile:
    """What to store: a photo without its metadata, anything else as it came."""
    return house.without_metadata(upload, content_type)


@contextmanager
def encrypted(source: Readable) -> Iterator[File[bytes]]:
    """`source` encrypted, in a temporary file (removed on leaving) to save as the file's."""
    with tempfile.TemporaryFile(prefix="wpsmonitor-money-") as sealed:
        encrypt_file(source, sealed)
        sealed.seek(0)
        yield File(sealed, name="evidence")


def chunks_of(item: MoneyAccountFile) -> Iterator[bytes]:
    """The file as readers get it, decrypted a chunk at a time."""
    with item.file.open("rb") as stored:
        yield from decrypted_chunks(stored)


def content_of(item: MoneyAccountFile) -> bytes:
    return b"".join(chunks_of(item))
