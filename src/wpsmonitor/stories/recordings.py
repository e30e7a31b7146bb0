"""Audio recordings and videos of stories, remuxed without their metadata (docs/stories.md,
"Media").

A phone's recording says more than its sound and picture: the container's tags (a title, an
artist, a comment), where it was made (MP4's `©xyz`, Apple's ISO 6709 location), the phone and
its software, chapters, a cover picture. The streams are copied as they are into a new
container of the same family (no re-encoding: fast, and bounded by the file's size) and nothing
else is: no tag of the file or of a stream, no chapter, no attached picture, no subtitle or data
track (a GPS track). PyAV (FFmpeg's libraries, in its wheel) only demuxes and muxes here; it
decodes nothing.

The demuxer is the one the file's bytes were recognised for, never one FFmpeg guesses (a playlist
that fetches addresses, a concatenation that opens other files), and it reads from Python's file
object, with no FFmpeg protocol allowed (nor a QuickTime reference to another file). A file it cannot read, one whose streams end before what its header declares (cut short),
and one longer than its kind's limit are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Families of containers recognised by their bytes (stories/media.py): FFmpeg's demuxer for
# each, and the muxer that writes a video of it and an audio recording of it.
DEMUXERS = {"iso": "mov", "quicktime": "mov", "matroska": "matroska", "mp3": "mp3", "ogg": "ogg"}
_VIDEO_MUXER = {"iso": ("mp4", "video/mp4"), "quicktime": ("mov", "video/quicktime")}
_VIDEO_MUXER["matroska"] = ("webm", "video/webm")
_AUDIO_MUXER = {
    "iso": ("ipod", "audio/mp4"),
    "quicktime": ("ipod", "audio/mp4"),
    "matroska": ("webm", "audio/webm"),
    "mp3": ("mp3", "audio/mpeg"),
    "ogg": ("ogg", "audio/ogg"),
}
# No encoder's name and version (bitexact); an ISO file's index before its data, so that a
# player starts before the whole file has come; an MP3 without an ID3 tag at all.
_OPTIONS = {
    "mp4": {"movflags": "+faststart"},
    "mov": {"movflags": "+faststart"},
    "ipod": {"movflags": "+faststart"},
    "mp3": {"id3v2_version": "0"},
}
# A stream may end this much before the duration its header declares (rounding, an encoder's
# padding); more is a file cut short. Only the containers whose header states it are held to it
# (an MP3's length without a Xing header is guessed from its first frame's bit rate).
_SHORT_BY = 1.0
_DECLARES_DURATION = {"iso", "quicktime", "matroska"}


@dataclass(frozen=True)
class Remuxed:
    kind: str  # "audio" or "video" (MediumKind)
    content_type: str
    seconds: float


def unreadable() -> ValidationError:
    return ValidationError(
        _(
            "The recording could not be read, or is incomplete: save it again as MP4, WebM, "
            "MP3, Ogg or M4A."
        )
    )


def too_long(seconds: int) -> ValidationError:
    return ValidationError(
        _("The recording is longer than %(minutes)d minutes.") % {"minutes": seconds // 60}
    )


def remux(
    source: Any,
    target: str,
    family: str,
    *,
    video_allowed: bool,
    max_seconds: dict[str, int],
    max_bytes: dict[str, int],
    size: int,
) -> Remuxed:
    """The recording read from `source` (a file object, of a `family` of DEMUXERS) written to the file `target`
    (a path: an ISO file's index is moved to its front in a second pass) with its audio
    and video streams only and no metadata. A video when it has a video stream (and
    `video_allowed`), else an audio recording; each kind within its `max_seconds` and
    `max_bytes` (the file's `size`). ValidationError otherwise."""
    try:
        with av.open(
            source, "r", format=DEMUXERS[family], options={"protocol_whitelist": "none"}
        ) as found:
            kind, kept = _kept_streams(found, video_allowed)
            if size > max_bytes[kind]:
                limit = max_bytes[kind] // (1024 * 1024)
                raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit})
            declared = found.duration / av.time_base if found.duration else None
            if declared is not None and declared > max_seconds[kind] + _SHORT_BY:
                raise too_long(max_seconds[kind])
            muxer, content_type = (_VIDEO_MUXER if kind == "video" else _AUDIO_MUXER)[family]
            options = {"fflags": "+bitexact", **_OPTIONS.get(muxer, {})}
            with av.open(target, "w", format=muxer, options=options) as written:
                seconds = _copy(found, kept, written, max_seconds[kind])
    except ValidationError:
        raise
    except (av.FFmpegError, ValueError, KeyError, OSError, EOFError) as error:
        raise unreadable() from error
    if family in _DECLARES_DURATION and declared is not None and seconds < declared - _SHORT_BY:
        raise unreadable()
    return Remuxed(kind, content_type, seconds)


def _kept_streams(found: Any, video_allowed: bool) -> tuple[str, list[Any]]:
    """The kind of the recording and the streams kept: its audio, and its video for a video.
    An attached picture (a cover, which may be a face) is not a video."""
    attached = av.stream.Disposition.attached_pic
    audio = [s for s in found.streams.audio]
    video = [s for s in found.streams.video if not s.disposition & attached]
    if video and video_allowed:
        return "video", video + audio
    if audio:
        return "audio", audio
    raise unreadable()


def _copy(found: Any, kept: list[Any], written: Any, max_seconds: int) -> float:
    """Every packet of the kept streams copied into `written`; the recording's length in
    seconds (its last packet's end), refused once past `max_seconds`."""
    into = {stream.index: written.add_stream_from_template(stream) for stream in kept}
    copied = dict.fromkeys(into, 0)
    first: Fraction | None = None
    end = Fraction(0)
    for packet in found.demux(kept):
        if packet.dts is None:  # the demuxer's flush packet
            continue
        if packet.time_base is not None:
            start = (packet.pts if packet.pts is not None else packet.dts) * packet.time_base
            first = start if first is None else min(first, start)
            end = max(end, start + (packet.duration or 0) * packet.time_base)
            if end - first > max_seconds + _SHORT_BY:
                raise too_long(max_seconds)
        index = packet.stream.index
        packet.stream = into[index]
        written.mux(packet)
        copied[index] += 1
    # A stream with no packet (an index whose data is missing) is a file cut short; so is one
    # with fewer packets than its index lists.
    for stream in kept:
        if not copied[stream.index] or copied[stream.index] < (stream.frames or 0):
            raise unreadable()
    return float(end - first) if first is not None else 0.0
