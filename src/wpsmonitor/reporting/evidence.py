"""Evidence files: what is accepted (by the file's own bytes, not its name) and how it is named.

Testimonies and photos can put people at risk: files get random names on disk, are never served
from the media folder, and only through a view that checks the reader may see the submission.
Photos are stored without their metadata (`without_metadata`): a phone's photo carries where it
was taken (EXIF GPS), when, and with which device.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

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


# The image formats among the accepted ones, as Pillow names them.
_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# Picture data kept: colour profile and transparency. Everything else in `info` (EXIF with GPS,
# XMP, IPTC, comments, PNG text chunks) is dropped.
_KEPT_INFO = ("icc_profile", "transparency")
_ORIENTATION = 0x0112


def without_metadata(upload: UploadedFile, content_type: str) -> File[bytes] | UploadedFile:
    """What to store for an accepted file (`content_type` from `check`): a photo re-written
    without its metadata (turned upright first where its EXIF said it was rotated, since the
    EXIF goes); any other file as it came. ValidationError for a photo that cannot be read."""
    image_format = _IMAGE_FORMATS.get(content_type)
    if image_format is None:
        return upload
    upload.seek(0)
    out = io.BytesIO()
    try:
        with Image.open(upload, formats=[image_format]) as image:
            _save_bare(image, image_format, out)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        # Stored as it came, it would keep whatever metadata it carries: refused instead.
        raise ValidationError(
            _("The photo could not be read: save it again as JPEG or PNG, or attach it as a PDF.")
        ) from error
    upload.seek(0)
    return ContentFile(out.getvalue(), name=upload.name)


def _save_bare(image: Image.Image, image_format: str, out: io.BytesIO) -> None:
    kept: dict[str | tuple[int, int], object] = {
        key: image.info[key] for key in _KEPT_INFO if key in image.info
    }
    rotated = image.getexif().get(_ORIENTATION, 1) not in (0, 1)
    if rotated:
        image = ImageOps.exif_transpose(image)
    options: dict[str, object] = {}
    if image_format == "JPEG":
        # An upright JPEG keeps its own quantisation: re-encoded without visible change.
        options = {"quality": 92} if rotated else {"quality": "keep", "subsampling": "keep"}
    # Pillow writes some metadata from `info` (a JPEG's comment): nothing but what is kept.
    image.info = kept
    if "icc_profile" in kept:
        options["icc_profile"] = kept["icc_profile"]
    image.save(out, format=image_format, **options)
