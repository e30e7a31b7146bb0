"""The media of stories (docs/stories.md, "Media"): accepted by their bytes within their kind's
size, photos re-encoded without metadata, files encrypted on disk, downloads only to the
story's readers who get them."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from tests.stories.conftest import StoryWorld

from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import services
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
    data = answer.content
    assert data.startswith(b"\xff\xd8") and b"PhoneCo" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (16, 16)
        assert not image.getexif() and not image.getexif().get_ifd(GPS)


@pytest.mark.parametrize(
    ("data", "name", "kind", "content_type"),
    [
        (b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, "voice.mp3", "audio", "audio/mpeg"),
        (b"\xff\xfb\x90\x64" + b"\x00" * 64, "voice.mp3", "audio", "audio/mpeg"),
        (b"OggS\x00\x02" + b"\x00" * 64, "voice.ogg", "audio", "audio/ogg"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 32, "v.m4a", "audio", "audio/mp4"),
        (pdf(), "report.pdf", "document", "application/pdf"),
    ],
    ids=["mp3-id3", "mp3-frame", "ogg", "m4a", "pdf"],
)
def test_audio_and_documents_of_the_listed_types_are_accepted(
    sw: StoryWorld, data: bytes, name: str, kind: str, content_type: str
) -> None:
    story = _shared(sw)
    assert _upload(_client(sw, "monitor"), story, data, name) == ["The file is attached."]
    medium = StoryMedium.objects.get()
    assert (medium.kind, medium.content_type, medium.size) == (kind, content_type, len(data))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just some text", "notes.txt", "Attach a JPEG or PNG photo"),
        (b"MZ\x90\x00", "photo.jpg", "Attach a JPEG or PNG photo"),
        # A video (an mp42 brand), not an audio recording.
        (b"\x00\x00\x00\x20ftypmp42\x00\x00\x00\x00" + b"\x00" * 32, "clip.m4a", "Attach a"),
        # A JPEG's first bytes and nothing a decoder can read: it cannot be re-encoded.
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "broken.jpg", "The photo could not be read"),
        (b"", "empty.pdf", "The file is empty."),
    ],
    ids=["text", "program", "video", "broken-jpeg", "empty"],
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
