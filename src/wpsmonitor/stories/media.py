"""The media of stories: what is accepted (by the file's own bytes, not its name), how it is
stored (a photo re-encoded without its metadata, every file encrypted) and read back
(docs/stories.md, "Media").

A photo carries where it was taken (EXIF GPS), when, and with which phone: it is re-encoded
with Pillow through the evidence rule (`reporting.evidence.without_metadata`), and one that
cannot be re-encoded is refused rather than kept as it came. Audio is accepted as MP3, Ogg or
M4A, documents as PDF, each recognised by its leading bytes. Files are written encrypted
(`core.encryption.encrypt_bytes`) under MEDIA_ROOT/stories/ with random names, and leave only
through the story's download view, which asks `read_story` first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import STORY_FULL
from wpsmonitor.core.encryption import decrypt_bytes, encrypt_bytes
from wpsmonitor.reporting.evidence import without_metadata
from wpsmonitor.stories.models import MediumKind, StoryMedium

# What a download is called for a reader who may not read the original name.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "application/pdf": "pdf",
}


@dataclass(frozen=True)
class Accepted:
    kind: str  # MediumKind
    content_type: str


def recognised(head: bytes) -> Accepted | None:
    """The kind and content type of a file from its first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return Accepted(MediumKind.PHOTO, "image/jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Accepted(MediumKind.PHOTO, "image/png")
    if head.startswith(b"%PDF-"):
        return Accepted(MediumKind.DOCUMENT, "application/pdf")
    if head.startswith(b"OggS"):
        return Accepted(MediumKind.AUDIO, "audio/ogg")
    # MP3: an ID3 tag, or straight an MPEG audio frame of layer III (11 sync bits, then 01).
    if head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 == 0x02
    ):
        return Accepted(MediumKind.AUDIO, "audio/mpeg")
    # M4A: an ISO media file whose brand says audio only (not a video's mp42 or isom).
    if head[4:8] == b"ftyp" and head[8:12] in (b"M4A ", b"M4B "):
        return Accepted(MediumKind.AUDIO, "audio/mp4")
    return None


def limit_of(kind: str) -> int:
    return {
        MediumKind.PHOTO: settings.STORY_IMAGE_MAX_BYTES,
        MediumKind.AUDIO: settings.STORY_AUDIO_MAX_BYTES,
        MediumKind.DOCUMENT: settings.STORY_DOCUMENT_MAX_BYTES,
    }[MediumKind(kind)]


def check(upload: UploadedFile) -> Accepted:
    """What the upload is, if it is acceptable and within its kind's size; ValidationError
    otherwise."""
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    accepted = recognised(head)
    if accepted is None:
        raise ValidationError(
            _("Attach a JPEG or PNG photo, an MP3, Ogg or M4A recording, or a PDF document.")
        )
    limit = limit_of(accepted.kind)
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    return accepted


def prepared(upload: UploadedFile, accepted: Accepted) -> bytes:
    """The bytes readers will get: a photo re-encoded without its metadata (refused when it
    cannot be), any other file as it came."""
    bare = without_metadata(upload, accepted.content_type)
    bare.seek(0)
    data: bytes = bare.read()
    upload.seek(0)
    return data


def encrypted_file(data: bytes) -> ContentFile[bytes]:
    return ContentFile(encrypt_bytes(data), name="medium")


def content_of(medium: StoryMedium) -> bytes:
    """The file as readers get it, decrypted."""
    with medium.file.open("rb") as stored:
        token: bytes = stored.read()
    return decrypt_bytes(token)


def shown_to(reading: str, medium: StoryMedium) -> bool:
    """Whether a reader of the story, as they read it, gets this medium: readers of the whole
    story all of them; readers of the coarse story only those the holder marked safe to share
    (a photo or a voice can identify a person as surely as a name)."""
    return reading == STORY_FULL or medium.safe_to_share


def download_name(reading: str, medium: StoryMedium, number: int) -> str:
    """The name a download carries: the original one for readers of the whole story only."""
    if reading == STORY_FULL:
        return str(medium.original_name)
    return f"story-{medium.kind}-{number}.{EXTENSIONS.get(medium.content_type, 'bin')}"
