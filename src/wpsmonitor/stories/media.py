"""The media of stories: what is accepted (by the file's own bytes, not its name), how it is
stored (without its metadata, every file encrypted) and read back (docs/stories.md, "Media").

A photo carries where it was taken (EXIF GPS), when, and with which phone: it is re-encoded
with Pillow through the evidence rule (`reporting.evidence.without_metadata`), and one that
cannot be re-encoded is refused rather than kept as it came. Audio (MP3, Ogg, M4A, WebM) and
video (MP4, MOV, WebM) are remuxed without their tags, chapters and attached pictures
(`stories.recordings`), refused when they cannot be; documents (PDF) are kept as they came.
Each is recognised by its leading bytes and bounded by its kind's size (and a recording by its
length). Files are written encrypted a chunk at a time (`core.encryption.encrypt_file`) under
MEDIA_ROOT/stories/ with random names, through temporary files (a video is never held whole in
memory), and leave only through the story's download view, which asks `read_story` first.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import STORY_FULL
from wpsmonitor.core.encryption import Readable, decrypted_chunks, encrypt_file
from wpsmonitor.reporting.evidence import without_metadata
from wpsmonitor.stories import recordings
from wpsmonitor.stories.models import MediumKind, StoryMedium

# What a download is called for a reader who may not read the original name.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/webm": "webm",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "application/pdf": "pdf",
}

# ISO media brands of still images (HEIC, AVIF): not videos.
_IMAGE_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}


@dataclass(frozen=True)
class Accepted:
    kind: str  # MediumKind
    content_type: str
    # For audio and video: the family of container (`recordings.DEMUXERS`) to remux.
    family: str = ""


def recognised(head: bytes) -> Accepted | None:
    """The kind and content type of a file from its first bytes, or None. A recording's kind is
    the one its bytes suggest: its streams decide (`prepared`), an MP4 or WebM with no video
    being an audio recording."""
    if head.startswith(b"\xff\xd8\xff"):
        return Accepted(MediumKind.PHOTO, "image/jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Accepted(MediumKind.PHOTO, "image/png")
    if head.startswith(b"%PDF-"):
        return Accepted(MediumKind.DOCUMENT, "application/pdf")
    if head.startswith(b"OggS"):
        return Accepted(MediumKind.AUDIO, "audio/ogg", "ogg")
    # MP3: an ID3 tag, or straight an MPEG audio frame of layer III (11 sync bits, then 01).
    if head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 == 0x02
    ):
        return Accepted(MediumKind.AUDIO, "audio/mpeg", "mp3")
    # ISO media (MP4, MOV, M4A): the brand says audio only, a QuickTime movie, or a video.
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return Accepted(MediumKind.AUDIO, "audio/mp4", "iso")
        if brand == b"qt  ":
            return Accepted(MediumKind.VIDEO, "video/quicktime", "quicktime")
        if brand not in _IMAGE_BRANDS:
            return Accepted(MediumKind.VIDEO, "video/mp4", "iso")
    # WebM (Matroska's EBML header).
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Accepted(MediumKind.VIDEO, "video/webm", "matroska")
    return None


def limit_of(kind: str) -> int:
    return {
        MediumKind.PHOTO: settings.STORY_IMAGE_MAX_BYTES,
        MediumKind.AUDIO: settings.STORY_AUDIO_MAX_BYTES,
        MediumKind.VIDEO: settings.STORY_VIDEO_MAX_BYTES,
        MediumKind.DOCUMENT: settings.STORY_DOCUMENT_MAX_BYTES,
    }[MediumKind(kind)]


def check(upload: UploadedFile) -> Accepted:
    """What the upload is, if it is acceptable and within its kind's size; ValidationError
    otherwise. Nothing is decoded before the size is known to be within bounds."""
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    accepted = recognised(head)
    if accepted is None:
        raise ValidationError(
            _(
                "Attach a JPEG or PNG photo, an MP3, Ogg or M4A recording, an MP4, MOV or WebM "
                "video, or a PDF document."
            )
        )
    limit = limit_of(accepted.kind)
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    return accepted


@dataclass(frozen=True)
class Prepared:
    """The file as readers will get it, open for reading, with what it is."""

    kind: str  # MediumKind
    content_type: str
    file: Readable
    size: int


@contextmanager
def prepared(upload: UploadedFile, accepted: Accepted) -> Iterator[Prepared]:
    """The file readers will get: a photo re-encoded and a recording remuxed, without their
    metadata (refused when they cannot be), a document as it came. A recording is written to
    a temporary file, removed on leaving."""
    if not accepted.family:
        bare = without_metadata(upload, accepted.content_type)
        bare.seek(0)
        try:
            yield Prepared(accepted.kind, accepted.content_type, bare, bare.size or 0)
        finally:
            upload.seek(0)
        return
    with tempfile.TemporaryDirectory(prefix="wpsmonitor-medium-") as folder:
        target = f"{folder}/remuxed"
        upload.seek(0)
        found = recordings.remux(
            upload,
            target,
            accepted.family,
            video_allowed=accepted.kind == MediumKind.VIDEO,
            max_seconds={
                MediumKind.AUDIO: settings.STORY_AUDIO_MAX_SECONDS,
                MediumKind.VIDEO: settings.STORY_VIDEO_MAX_SECONDS,
            },
            max_bytes={
                MediumKind.AUDIO: settings.STORY_AUDIO_MAX_BYTES,
                MediumKind.VIDEO: settings.STORY_VIDEO_MAX_BYTES,
            },
            size=upload.size or 0,
        )
        upload.seek(0)
        with open(target, "rb") as remuxed:
            size = remuxed.seek(0, 2)
            remuxed.seek(0)
            yield Prepared(found.kind, found.content_type, remuxed, size)


@contextmanager
def encrypted(source: Readable) -> Iterator[File[bytes]]:
    """`source` encrypted, in a temporary file (removed on leaving) to save as the medium's."""
    with tempfile.TemporaryFile(prefix="wpsmonitor-medium-") as sealed:
        encrypt_file(source, sealed)
        sealed.seek(0)
        yield File(sealed, name="medium")


def chunks_of(medium: StoryMedium) -> Iterator[bytes]:
    """The file as readers get it, decrypted a chunk at a time."""
    with medium.file.open("rb") as stored:
        yield from decrypted_chunks(stored)


def content_of(medium: StoryMedium) -> bytes:
    """The file as readers get it, decrypted, whole."""
    return b"".join(chunks_of(medium))


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
