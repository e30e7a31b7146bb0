"""The media of stories (docs/stories.md, "Media"): accepted by their bytes within their kind's
size, photos re-encoded and recordings remuxed without metadata, files encrypted on disk in
chunks, downloads only to the story's readers who get them. The recordings are real ones, made
here with PyAV."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import av
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from tests.stories.conftest import StoryWorld

from wpsmonitor.core.encryption import (
    FILE_CHUNK,
    FILE_HEADER,
    DamagedFileError,
    decrypted_chunks,
    encrypt_bytes,
    encrypt_file,
)
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import recordings, services
from wpsmonitor.stories.media import content_of
from wpsmonitor.stories.models import Story, StoryMedium

pytestmark = pytest.mark.django_db

GPS = 0x8825
MAKE = 0x010F


def gps_jpeg() -> bytes:
    """A phone's photo: where it was taken (GPS) and with which phone, in its EXIF."""
    image = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[MAKE] = "PhoneCo"
    exif[GPS] = {1: "N", 2: (4.0, 21.0, 7.0), 3: "E", 4: (15.0, 18.0, 2.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert b"PhoneCo" in data
    return data


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(sw: StoryWorld, name: str | None) -> Client:
    client = Client()
    if name is not None:
        client.force_login(sw.users[name])
    return client


def _url(story: Story, tail: str = "") -> str:
    return f"/plans/{story.plan.code}/stories/{story.uid}/{tail}"


def _shared(sw: StoryWorld) -> Story:
    sw.plan.status = PlanStatus.IMPLEMENTATION
    sw.plan.save(update_fields=["status"])
    story = sw.story()
    sw.consent(story, "monitoring")
    return services.story_share(by=sw.users["monitor"], story=story)


def _upload(client: Client, story: Story, data: bytes, name: str, safe: bool = False) -> list[str]:
    posted: dict[str, object] = {"file": SimpleUploadedFile(name, data)}
    if safe:
        posted["safe_to_share"] = "on"
    answer = client.post(_url(story, "media/"), posted, follow=True)
    return [str(m) for m in answer.context["messages"]] if answer.context else []


def test_a_photo_is_stored_encrypted_and_comes_back_without_its_metadata(
    sw: StoryWorld,
) -> None:
    story = _shared(sw)
    monitor = _client(sw, "monitor")
    assert _upload(monitor, story, gps_jpeg(), "amina at home.jpg") == ["The file is attached."]
    medium = StoryMedium.objects.get()
    assert medium.kind == "photo" and medium.content_type == "image/jpeg"
    assert medium.file.name.startswith("stories/") and "amina" not in medium.file.name
    with medium.file.open("rb") as stored:
        on_disk = stored.read()
    assert not on_disk.startswith(b"\xff\xd8") and b"PhoneCo" not in on_disk
    answer = monitor.get(_url(story, f"media/{medium.pk}/"))
    assert answer.status_code == 200
    assert "amina at home.jpg" in answer["Content-Disposition"]
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in answer["Cache-Control"]
    data = b"".join(answer.streaming_content)
    assert answer["Content-Length"] == str(len(data))
    assert data.startswith(b"\xff\xd8") and b"PhoneCo" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (16, 16)
        assert not image.getexif() and not image.getexif().get_ifd(GPS)


def test_a_pdf_is_kept_as_it_came(sw: StoryWorld) -> None:
    story = _shared(sw)
    assert _upload(_client(sw, "monitor"), story, pdf(), "report.pdf") == ["The file is attached."]
    medium = StoryMedium.objects.get()
    assert (medium.kind, medium.content_type, medium.size) == (
        "document",
        "application/pdf",
        len(pdf()),
    )
    assert content_of(medium) == pdf()


# What a phone or an editing program writes into a recording: who, where, with what.
TAGS = {
    "title": "Amina at home",
    "artist": "Amina Kabila",
    "comment": "PhoneCo X1",
    "location": "+04.3500+015.3000/",
}
# (and the version of the program that wrote it: "Lavf62.3.100")
TELLING = [b"Amina", b"Kabila", b"PhoneCo", b"+04.35", b"Lavf6", b"Secret chapter"]


def _audio_frames(stream: Any, seconds: float) -> Iterator[Any]:
    rate, samples = stream.rate, 1024
    layout = stream.layout.name
    sample_format = stream.codec_context.format.name
    for pts in range(0, int(rate * seconds), samples):
        frame = av.AudioFrame(format=sample_format, layout=layout, samples=samples)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate, frame.pts = rate, pts
        yield frame


def recording(
    muxer: str,
    video: str | None,
    audio: str | None,
    seconds: float = 1.0,
    tags: dict[str, str] | None = None,
    fps: int = 10,
) -> bytes:
    """A small real recording made with PyAV, its file and streams tagged like a phone's."""
    tags = TAGS if tags is None else tags
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/made"
        with av.open(path, "w", format=muxer) as made:
            made.metadata.update(tags)
            streams = []
            if video:
                picture = made.add_stream(video, rate=fps)
                picture.width, picture.height, picture.pix_fmt = 32, 32, "yuv420p"
                picture.metadata.update(tags)
                streams.append(picture)
            if audio:
                sound = made.add_stream(audio, rate=48000 if audio == "libopus" else 44100)
                sound.layout = "mono"
                sound.metadata.update(tags)
                streams.append(sound)
            if video:
                for i in range(int(fps * seconds)):
                    frame = av.VideoFrame(32, 32, "yuv420p")
                    for plane in frame.planes:
                        plane.update(bytes([i * 9 % 256]) * plane.buffer_size)
                    frame.pts = i
                    made.mux(picture.encode(frame))
                made.mux(picture.encode(None))
            if audio:
                for frame in _audio_frames(sound, seconds):
                    made.mux(sound.encode(frame))
                made.mux(sound.encode(None))
        with open(path, "rb") as written:
            return written.read()


RECORDINGS = {
    # name: (muxer, video codec, audio codec, kind, content type, stream types)
    "clip.mp4": ("mp4", "libx264", "aac", "video", "video/mp4", ["video", "audio"]),
    "clip.mov": ("mov", "mpeg4", "aac", "video", "video/quicktime", ["video", "audio"]),
    "clip.webm": ("webm", "libvpx", "libopus", "video", "video/webm", ["video", "audio"]),
    "voice.mp3": ("mp3", None, "libmp3lame", "audio", "audio/mpeg", ["audio"]),
    "voice.ogg": ("ogg", None, "libopus", "audio", "audio/ogg", ["audio"]),
    "voice.m4a": ("ipod", None, "aac", "audio", "audio/mp4", ["audio"]),
    # A phone's voice recorder writing an MP4 with no picture, a browser's recorder a WebM.
    "recorder.mp4": ("mp4", None, "aac", "audio", "audio/mp4", ["audio"]),
    "browser.webm": ("webm", None, "libopus", "audio", "audio/webm", ["audio"]),
}


@pytest.mark.parametrize("name", list(RECORDINGS))
def test_a_recording_is_stored_without_its_metadata_and_still_plays(
    sw: StoryWorld, name: str
) -> None:
    muxer, video, audio, kind, content_type, streams = RECORDINGS[name]
    made = recording(muxer, video, audio)
    with av.open(io.BytesIO(made)) as source:
        # What is to go (an Ogg file has its tags on its stream).
        tags = source.metadata or source.streams[0].metadata
        assert tags.get("title") == "Amina at home"
    story = _shared(sw)
    assert _upload(_client(sw, "monitor"), story, made, name) == ["The file is attached."]
    medium = StoryMedium.objects.get()
    assert (medium.kind, medium.content_type) == (kind, content_type)
    data = content_of(medium)
    assert medium.size == len(data)
    assert not [word for word in TELLING if word in data]
    with av.open(io.BytesIO(data)) as stored:
        assert [s.type for s in stored.streams] == streams
        assert not {"title", "artist", "comment", "location"} & set(stored.metadata)
        # WebM names its writing program, without a version.
        assert stored.metadata.get("encoder", "Lavf") == "Lavf"
        for stream in stored.streams:
            assert not {"title", "artist", "comment", "location"} & set(stream.metadata)
        assert 0.9 < stored.duration / av.time_base < 1.2
        decoded = {frame.__class__.__name__ for frame in stored.decode(*stored.streams)}
    assert decoded == {f"{t.capitalize()}Frame" for t in streams}


def test_chapters_and_a_cover_picture_are_dropped(sw: StoryWorld) -> None:
    made = recording("mp4", "libx264", "aac")
    with tempfile.TemporaryDirectory() as folder:
        # The same streams with a cover picture (a face, maybe) and a chapter.
        with av.open(io.BytesIO(made)) as source, av.open(f"{folder}/c", "w", "mp4") as out:
            kept = {s.index: out.add_stream_from_template(s) for s in source.streams}
            out.set_chapters(
                [
                    {
                        "id": 1,
                        "start": 0,
                        "end": 1000,
                        "time_base": Fraction(1, 1000),
                        "metadata": {"title": "Secret chapter"},
                    }
                ]
            )
            cover = out.add_stream("mjpeg", rate=1)
            cover.width, cover.height, cover.pix_fmt = 16, 16, "yuvj420p"
            cover.disposition = av.stream.Disposition.attached_pic
            frame = av.VideoFrame(16, 16, "yuvj420p")
            for packet in source.demux():
                if packet.dts is not None:
                    packet.stream = kept[packet.stream.index]
                    out.mux(packet)
            out.mux(cover.encode(frame))
            out.mux(cover.encode(None))
        with open(f"{folder}/c", "rb") as written:
            covered = written.read()
    assert b"Secret chapter" in covered
    story = _shared(sw)
    assert _upload(_client(sw, "monitor"), story, covered, "c.mp4") == ["The file is attached."]
    data = content_of(StoryMedium.objects.get())
    assert b"Secret chapter" not in data
    with av.open(io.BytesIO(data)) as stored:
        assert [s.type for s in stored.streams] == ["video", "audio"]
        assert not stored.chapters()


def test_a_video_filmed_upright_stays_upright(sw: StoryWorld) -> None:
    """The rotation a phone records (a display matrix, not a tag) is kept."""
    with tempfile.TemporaryDirectory() as folder:
        source_data = recording("mp4", "libx264", "aac")
        with av.open(io.BytesIO(source_data)) as source, av.open(f"{folder}/r", "w", "mp4") as out:
            kept = {s.index: out.add_stream_from_template(s) for s in source.streams}
            kept[0].set_display_rotation(90)
            for packet in source.demux():
                if packet.dts is not None:
                    packet.stream = kept[packet.stream.index]
                    out.mux(packet)
        with open(f"{folder}/r", "rb") as written:
            upright = written.read()
    assert _upload(_client(sw, "monitor"), _shared(sw), upright, "r.mp4") == [
        "The file is attached."
    ]
    with av.open(io.BytesIO(content_of(StoryMedium.objects.get()))) as stored:
        assert next(stored.decode(video=0)).rotation == 90


def _cut(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


@pytest.mark.parametrize(
    ("made", "name"),
    [
        (lambda: _cut(recording("mp4", "libx264", "aac", seconds=3)), "cut.mp4"),
        (lambda: _cut(recording("webm", "libvpx", "libopus", seconds=3)), "cut.webm"),
        (lambda: b"\x00\x00\x00\x20ftypmp42" + os.urandom(4096), "noise.mp4"),
        (lambda: b"\x1a\x45\xdf\xa3" + os.urandom(4096), "noise.webm"),
        (lambda: b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, "voice.mp3"),
        (lambda: b"OggS\x00\x02" + b"\x00" * 64, "voice.ogg"),
    ],
    ids=["cut-mp4", "cut-webm", "noise-mp4", "noise-webm", "empty-mp3", "empty-ogg"],
)
def test_a_recording_that_cannot_be_remuxed_whole_is_refused(
    sw: StoryWorld, made: Any, name: str
) -> None:
    story = _shared(sw)
    said = _upload(_client(sw, "monitor"), story, made(), name)
    assert said == [
        "The recording could not be read, or is incomplete: save it again as MP4, WebM, MP3, "
        "Ogg or M4A."
    ]
    assert not StoryMedium.objects.exists()


def test_an_mp4_whose_index_comes_first_and_data_is_cut_is_refused(sw: StoryWorld) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with (
            av.open(io.BytesIO(recording("mp4", "libx264", "aac", 3))) as source,
            av.open(f"{folder}/f", "w", "mp4", options={"movflags": "+faststart"}) as out,
        ):
            kept = {s.index: out.add_stream_from_template(s) for s in source.streams}
            for packet in source.demux():
                if packet.dts is not None:
                    packet.stream = kept[packet.stream.index]
                    out.mux(packet)
        with open(f"{folder}/f", "rb") as written:
            data = written.read()
    assert data.index(b"moov") < data.index(b"mdat")
    said = _upload(_client(sw, "monitor"), _shared(sw), _cut(data), "f.mp4")
    assert said and said[0].startswith("The recording could not be read")


@pytest.mark.parametrize(
    ("setting", "made", "name"),
    [
        ("STORY_VIDEO_MAX_SECONDS", lambda: recording("webm", "libvpx", None, 70, fps=1), "v.webm"),
        ("STORY_VIDEO_MAX_SECONDS", lambda: recording("mp4", "mpeg4", None, 70, fps=1), "v.mp4"),
        ("STORY_AUDIO_MAX_SECONDS", lambda: recording("ogg", None, "libopus", 70), "a.ogg"),
    ],
    ids=["webm", "mp4", "ogg"],
)
def test_a_recording_longer_than_its_limit_is_refused(
    sw: StoryWorld, settings: Any, setting: str, made: Any, name: str
) -> None:
    setattr(settings, setting, 60)
    story = _shared(sw)
    data = made()
    assert _upload(_client(sw, "monitor"), story, data, name) == [
        "The recording is longer than 1 minutes."
    ]
    setattr(settings, setting, 120)
    assert _upload(_client(sw, "monitor"), story, data, name) == ["The file is attached."]


def test_the_size_limit_comes_before_anything_is_decoded(
    sw: StoryWorld, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.STORY_VIDEO_MAX_BYTES = 1024 * 1024
    settings.STORY_AUDIO_MAX_BYTES = 1024 * 1024
    story = _shared(sw)
    opened: list[object] = []
    monkeypatch.setattr(recordings.av, "open", lambda *a, **k: opened.append(a))
    big = b"\x00\x00\x00\x20ftypmp42" + b"\x00" * (1024 * 1024)
    assert _upload(_client(sw, "monitor"), story, big, "big.mp4") == [
        "The file is larger than 1 MB."
    ]
    assert not opened and not StoryMedium.objects.exists()


def test_an_mp4_with_no_picture_is_held_to_the_audio_limit(sw: StoryWorld, settings: Any) -> None:
    voice = recording("mp4", None, "aac", seconds=3)
    settings.STORY_AUDIO_MAX_BYTES = len(voice) - 1
    said = _upload(_client(sw, "monitor"), _shared(sw), voice, "voice.mp4")
    assert said == ["The file is larger than 0 MB."]


def test_a_file_is_encrypted_in_chunks_that_cannot_be_cut_or_reordered() -> None:
    data = os.urandom(FILE_CHUNK * 2 + 10)
    sealed = io.BytesIO()
    encrypt_file(io.BytesIO(data), sealed)
    assert sealed.getvalue().startswith(FILE_HEADER) and data[:64] not in sealed.getvalue()
    assert b"".join(decrypted_chunks(io.BytesIO(sealed.getvalue()))) == data
    header, *lines = sealed.getvalue()[len(FILE_HEADER) :].split(b"\n")[:-1]
    lines = [header, *lines]
    assert len(lines) == 3
    for damaged in (lines[:2], [lines[1], lines[0], lines[2]], [*lines, lines[2]]):
        stored = io.BytesIO(FILE_HEADER + b"".join(line + b"\n" for line in damaged))
        with pytest.raises(DamagedFileError):
            b"".join(decrypted_chunks(stored))
    # A file stored before chunks (one token) still reads.
    assert b"".join(decrypted_chunks(io.BytesIO(encrypt_bytes(b"old file")))) == b"old file"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just some text", "notes.txt", "Attach a JPEG or PNG photo"),
        (b"MZ\x90\x00", "photo.jpg", "Attach a JPEG or PNG photo"),
        # An iPhone's HEIC photo: an ISO media file, not a video.
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + b"\x00" * 32, "p.heic", "Attach a"),
        # A JPEG's first bytes and nothing a decoder can read: it cannot be re-encoded.
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "broken.jpg", "The photo could not be read"),
        (b"", "empty.pdf", "The file is empty."),
    ],
    ids=["text", "program", "heic", "broken-jpeg", "empty"],
)
def test_other_files_are_refused(sw: StoryWorld, data: bytes, name: str, message: str) -> None:
    story = _shared(sw)
    said = _upload(_client(sw, "monitor"), story, data, name)
    assert any(message in m for m in said), said
    assert not StoryMedium.objects.exists()


def test_each_kind_has_its_size_limit(sw: StoryWorld, settings: object) -> None:
    settings.STORY_IMAGE_MAX_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    settings.STORY_DOCUMENT_MAX_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    story = _shared(sw)
    big = pdf() + b"0" * (1024 * 1024)
    said = _upload(_client(sw, "monitor"), story, big, "big.pdf")
    assert said == ["The file is larger than 1 MB."]
    settings.STORY_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024  # type: ignore[attr-defined]
    assert _upload(_client(sw, "monitor"), story, big, "big.pdf") == ["The file is attached."]


@pytest.mark.parametrize("reader", ["coordinator", "viewer", "outsider"])
def test_only_the_holder_attaches_files(sw: StoryWorld, reader: str) -> None:
    story = _shared(sw)
    answer = _client(sw, reader).post(
        _url(story, "media/"), {"file": SimpleUploadedFile("x.pdf", pdf())}
    )
    assert answer.status_code == (404 if reader == "outsider" else 403)
    assert not StoryMedium.objects.exists()


# reader → (gets the medium not marked safe, gets the one marked safe)
ACCESS = {
    "monitor": (True, True),
    "second": (True, True),
    "coordinator": (False, True),
    "focal": (False, True),
    "viewer": (False, True),
    "outsider": (False, False),
    "admin": (False, False),
    None: (False, False),
}


@pytest.mark.parametrize("reader", list(ACCESS))
def test_coarse_readers_get_only_the_media_marked_safe_and_never_their_names(
    sw: StoryWorld, reader: str | None
) -> None:
    story = _shared(sw)
    monitor = _client(sw, "monitor")
    _upload(monitor, story, gps_jpeg(), "amina.jpg")
    _upload(monitor, story, pdf(), "market-survey.pdf", safe=True)
    private, safe = StoryMedium.objects.order_by("pk")
    client = _client(sw, reader)
    gets_private, gets_safe = ACCESS[reader]
    page = client.get(_url(story))
    body = page.content.decode() if page.status_code == 200 else ""
    for medium, gets, name in ((private, gets_private, "amina.jpg"), (safe, gets_safe, "")):
        answer = client.get(_url(story, f"media/{medium.pk}/"))
        assert answer.status_code == (200 if gets else 404)
        assert (_url(story, f"media/{medium.pk}/") in body) is gets
        if gets and name:
            assert name in answer["Content-Disposition"]
    if gets_safe and not gets_private:
        answer = client.get(_url(story, f"media/{safe.pk}/"))
        assert "market-survey" not in answer["Content-Disposition"]
        assert "story-document-1.pdf" in answer["Content-Disposition"]
        assert "market-survey" not in body and "amina" not in body


def test_a_withdrawn_consent_ends_the_downloads(sw: StoryWorld) -> None:
    story = _shared(sw)
    _upload(_client(sw, "monitor"), story, pdf(), "survey.pdf", safe=True)
    medium = StoryMedium.objects.get()
    coordinator = _client(sw, "coordinator")
    assert coordinator.get(_url(story, f"media/{medium.pk}/")).status_code == 200
    services.consent_withdraw(by=sw.users["monitor"], consent=story.consents.get())
    assert coordinator.get(_url(story, f"media/{medium.pk}/")).status_code == 404


def test_removing_a_medium_or_the_story_removes_the_files(
    sw: StoryWorld, django_capture_on_commit_callbacks: object
) -> None:
    story = _shared(sw)
    monitor = _client(sw, "monitor")
    _upload(monitor, story, pdf(), "a.pdf")
    _upload(monitor, story, gps_jpeg(), "b.jpg")
    first, second = StoryMedium.objects.order_by("pk")
    storage = first.file.storage
    names = [first.file.name, second.file.name]
    assert all(storage.exists(n) for n in names)
    url = _url(story, f"media/{first.pk}/remove/")
    assert "This cannot be undone." in monitor.post(url).content.decode()
    assert StoryMedium.objects.filter(pk=first.pk).exists()
    assert _client(sw, "coordinator").post(url, {"confirm": "yes"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        monitor.post(url, {"confirm": "yes"})
    assert not StoryMedium.objects.filter(pk=first.pk).exists()
    assert not storage.exists(names[0])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        monitor.post(_url(story), {"do": "delete", "confirm": "yes"})
    assert not Story.objects.exists()
    assert not storage.exists(names[1])


def test_rotating_the_keys_re_encrypts_the_files_and_removes_the_old_ones(
    sw: StoryWorld, settings: Any, django_capture_on_commit_callbacks: object
) -> None:
    """After `encryption rotate`, the older key can be removed: every medium opens with the new
    key alone, and the file written under the old key is gone from the disk."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    from wpsmonitor.core import encryption

    story = _shared(sw)
    monitor = _client(sw, "monitor")
    _upload(monitor, story, pdf(), "report.pdf")
    old_keys = list(settings.ENCRYPTION_KEYS)
    medium = StoryMedium.objects.get()
    old_name = medium.file.name
    new_key = encryption.new_key()
    settings.ENCRYPTION_KEYS = [new_key, *old_keys]
    assert encryption.not_under_current_key()["stories.StoryMedium.file"] == 1
    with pytest.raises(CommandError, match="older key"):
        call_command("encryption", "check", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        done = encryption.rotate()
    assert done["stories.StoryMedium.file"] == 1
    assert encryption.rotate()["stories.StoryMedium.file"] == 0  # nothing left to rotate
    call_command("encryption", "check", stdout=StringIO())
    medium.refresh_from_db()
    assert medium.file.name != old_name and not medium.file.storage.exists(old_name)
    settings.ENCRYPTION_KEYS = [new_key]  # the old key removed
    assert content_of(medium) == pdf()
    answer = monitor.get(_url(story, f"media/{medium.pk}/"))
    assert b"".join(answer.streaming_content) == pdf()
