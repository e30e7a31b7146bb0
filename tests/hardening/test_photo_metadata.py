"""Photos lose their metadata (EXIF GPS position, device, time) on upload, wherever evidence is
attached: a submission's evidence and an answer to a recommendation."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image
from tests.accountability.conftest import Tracker
from tests.hardening.photos import GPS_IFD, assert_bare, photo_with_gps, upload
from tests.reporting.conftest import Cycle

from wpsmonitor.accountability import services as accountability
from wpsmonitor.reporting.models import Evidence, Submission


def _evidence_url(cycle: Cycle, client: Client) -> str:
    client.post(
        f"/plans/{cycle.plan.code}/reporting/2025Q1/start/",
        {"organisation": cycle.built.ministry.code, "area": cycle.province.code},
    )
    submission = Submission.objects.get(organisation=cycle.built.ministry, area=cycle.province)
    return f"/submissions/{submission.pk}/evidence/"


@pytest.fixture
def focal(cycle: Cycle) -> Client:
    client = Client()
    client.force_login(cycle.users["focal"])
    return client


def test_the_made_photo_does_carry_gps() -> None:
    # The fixture is what a phone sends: without this the tests below would prove nothing.
    image = Image.open(io.BytesIO(photo_with_gps()))
    assert image.getexif().get_ifd(GPS_IFD)[1] == "N"


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "camp.jpg"), ("PNG", "camp.png")])
def test_evidence_photos_are_stored_without_metadata(
    cycle: Cycle, focal: Client, fmt: str, name: str
) -> None:
    url = _evidence_url(cycle, focal)
    focal.post(url, {"file": upload(photo_with_gps(fmt), name), "description": "Camp"})
    (item,) = Evidence.objects.all()
    with item.file.open("rb") as stored:
        data = stored.read()
    image = assert_bare(data)
    assert image.size == (40, 30) and image.format == fmt
    assert item.size == len(data)
    assert focal.get(f"/evidence/{item.pk}/").getvalue() == data  # what readers download


def test_a_turned_photo_is_stored_upright(cycle: Cycle, focal: Client) -> None:
    # Orientation 6: the camera was held on its side; the EXIF goes, so the turn is applied.
    url = _evidence_url(cycle, focal)
    focal.post(url, {"file": upload(photo_with_gps(orientation=6), "side.jpg")})
    (item,) = Evidence.objects.all()
    with item.file.open("rb") as stored:
        image = assert_bare(stored.read())
    assert image.size == (30, 40)
    red, green, _ = image.convert("RGB").getpixel((15, 5))  # type: ignore[misc]
    assert red > 150 and green < 80  # the red half is now on top


def test_a_photo_that_cannot_be_read_is_refused(cycle: Cycle, focal: Client) -> None:
    url = _evidence_url(cycle, focal)
    broken = upload(b"\xff\xd8\xff\xe1" + b"GPS 1 40 N" * 10, "broken.jpg")
    response = focal.post(url, {"file": broken}, follow=True)
    assert not Evidence.objects.exists()
    assert "The photo could not be read" in response.content.decode()


def test_response_evidence_photos_are_stored_without_metadata(tracker: Tracker) -> None:
    response = accountability.response_add(
        by=tracker.users["focal"],
        recommendation=tracker.recs["r2"],
        organisation=tracker.cycle.built.ministry,
        text="Shelter opened.",
        status="fully",
        upload=upload(photo_with_gps(), "shelter.jpg"),
    )
    with response.file.open("rb") as stored:
        data = stored.read()
    assert_bare(data)
    assert response.size == len(data)
