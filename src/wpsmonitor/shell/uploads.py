"""An uploaded file, saved where an importer can read it by path: the one way every page does it.

The user's file name labels the importer's problems ("plan.xlsx:Indicators:3:..."), so it is
kept, made harmless (no path parts, no control characters), inside a temporary folder of our
own that is removed afterwards whatever happens.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


def safe_name(name: str) -> str:
    """A display name without path parts or control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f\x7f\"<>]", "", name).strip() or "file"
    return name[:255]


def check_upload(upload: UploadedFile | None, *, missing: str, max_bytes: int) -> UploadedFile:
    """The upload, or a ValidationError saying it is missing (`missing`) or too large."""
    if upload is None:
        raise ValidationError(missing)
    if (upload.size or 0) > max_bytes:
        raise ValidationError(_("The file is larger than 50 MB: use the import command."))
    return upload


def write_chunks(upload: UploadedFile, path: Path) -> None:
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)


@contextmanager
def saved_upload(upload: UploadedFile, *, default_name: str) -> Iterator[Path]:
    """The upload saved under its (made harmless) name in a temporary folder, for the length
    of the `with` block."""
    name = safe_name(upload.name or "")
    if name in ("", ".", ".."):
        name = default_name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write_chunks(upload, path)
        yield path
