"""Benchmark: what encryption at rest and the one way out of the database cost a list of stories
(docs/stories.md; docs/security.md, "Encryption at rest").

    python benchmarks/bench_stories.py                 # 1,000 stories of ~2 KB in a fresh home
    python benchmarks/bench_stories.py --stories 5000 --repeat 5

Prints, each the best of --repeat runs, with its ratio to a baseline measured in the same run:
- the stories' texts read decrypted (`EncryptedTextField`) against the same rows' ciphertexts
  read as they are stored (the read without the decryption);
- every story read through `stories.reading.read_stories` for the coordinator (coarse, each
  read logged in one insert) against the same rows read as model objects alone;
- the coordinator's page of stories (`/plans/<code>/stories/`, the first 50 shown) against
  /accounts/login/ through Django's test client (the trivial page the other benchmarks use).
And the queries the page makes, which must not grow with the number of stories.
- a video of about --video-mb MB attached to a story (`medium_attach`: checked by its bytes,
  remuxed without its metadata by PyAV, encrypted a chunk at a time) against the same bytes
  saved as they came to the media storage (the upload without remux and encryption).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TEXT = (
    "She told us how the patrols changed the way women go to the market, and what the women's "
    "committee asked of the police commander. "
) * 16  # about 2 KB


def best(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        clock = time.perf_counter()
        run()
        times.append(time.perf_counter() - clock)
    return min(times)


def setup(count: int) -> tuple[Any, Any, Any]:
    """A plan with a women's organisation holding `count` shared stories with a consent for the
    plan's monitoring, their monitor and the coordinator."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from wpsmonitor.accounts.models import PlanRole, Role
    from wpsmonitor.directory.models import Organisation
    from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
    from wpsmonitor.plans.services import plan_create
    from wpsmonitor.stories import services
    from wpsmonitor.stories.models import Consent, Story

    country = area_country_ensure("COD")
    province = area_subdivision_ensure(parent=country, code="CD-NK")
    district = area_subdivision_ensure(parent=province, code="CD-NK-X", name="District", depth=3)
    plan = plan_create(
        code="bench-stories",
        title="Bench",
        kind="national",
        area=country,
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
    )
    women = Organisation.objects.create(code="bench-women", name="Women", type="civil_society")
    users = get_user_model().objects
    monitor = users.create_user(username="bench-monitor", password="x")
    coordinator = users.create_user(username="bench-coordinator", password="x")
    PlanRole.objects.create(user=monitor, plan=plan, role=Role.MONITOR, organisation=women)
    PlanRole.objects.create(user=coordinator, plan=plan, role=Role.COORDINATOR)
    first = services.story_record(
        by=monitor,
        plan=plan,
        holder=women,
        kind="testimony",
        title="Story 0",
        text=TEXT,
        language="en",
        area=district,
        happened_on=date(2025, 3, 14),
    )
    # The others as copies of the first (same ciphertext length), in bulk: the setup is not
    # what is measured.
    stored = Story.objects.filter(pk=first.pk).values()[0]
    copies = []
    for n in range(1, count):
        row = {k: v for k, v in stored.items() if k not in ("id", "uid")}
        row["title"] = f"Story {n}"
        copies.append(Story(**row))
    Story.objects.bulk_create(copies)
    Story.objects.update(text=TEXT, status="shared")  # each encrypted again, its own IV
    Consent.objects.bulk_create(
        Consent(
            story=s,
            given_by="her",
            for_monitoring=True,
            method="written",
            given_on=date(2025, 3, 14),
            recorded_by=monitor,
        )
        for s in Story.objects.all()
    )
    return plan, coordinator, monitor


def video(megabytes: int) -> bytes:
    """An MP4 of about `megabytes` MB, noise at a high bit rate (noise does not compress), with
    a phone's tags: the kind of file a monitor's phone uploads."""
    import random

    import av

    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/clip.mp4"
        with av.open(path, "w", format="mp4") as made:
            made.metadata.update({"title": "Amina at home", "location": "+04.3500+015.3000/"})
            stream = made.add_stream("mpeg4", rate=25)
            stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
            stream.bit_rate = 40_000_000
            frames = written = 0
            while written < megabytes * 1_000_000 and frames < 5000:
                frame = av.VideoFrame(320, 240, "yuv420p")
                for plane in frame.planes:
                    plane.update(rng.randbytes(plane.buffer_size))
                frame.pts = frames
                packets = stream.encode(frame)
                written += sum(packet.size for packet in packets)
                made.mux(packets)
                frames += 1
            made.mux(stream.encode(None))
        with open(path, "rb") as written:
            return written.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--video-mb", type=int, default=20)
    args = parser.parse_args()
    os.environ["WPSMONITOR_HOME"] = tempfile.mkdtemp(prefix="bench-stories-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wpsmonitor.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import TextField
    from django.db.models.functions import Cast
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wpsmonitor.accounts.access import PlanAccess
    from wpsmonitor.stories.models import Story
    from wpsmonitor.stories.reading import read_stories, readable_stories

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    clock = time.perf_counter()
    plan, coordinator, monitor = setup(args.stories)
    print(
        f"{args.stories} stories of {len(TEXT)} characters set up in "
        f"{time.perf_counter() - clock:.1f} s"
    )

    raw = best(
        lambda: list(
            Story.objects.annotate(raw=Cast("text", TextField())).values_list("raw", flat=True)
        ),
        args.repeat,
    )
    decrypted = best(lambda: list(Story.objects.values_list("text", flat=True)), args.repeat)
    print(
        f"texts read as stored (baseline): {raw * 1000:.1f} ms; decrypted: "
        f"{decrypted * 1000:.1f} ms; ratio {decrypted / raw:.2f}"
    )

    access = PlanAccess(coordinator, plan)
    objects = best(lambda: list(readable_stories(plan)), args.repeat)
    through = best(
        lambda: read_stories(access, readable_stories(plan), channel="page"), args.repeat
    )
    print(
        f"stories as objects (baseline): {objects * 1000:.1f} ms; read through read_stories "
        f"(coarse, logged): {through * 1000:.1f} ms; ratio {through / objects:.2f}"
    )

    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(3):
        client.get("/accounts/login/")
    login = best(lambda: client.get("/accounts/login/"), args.repeat * 10)
    client.force_login(coordinator)
    # A coordinator signs in with a second factor (docs/security.md): a verified session.
    import django_otp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    session = client.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = f"/plans/{plan.code}/stories/"
    first = client.get(url)
    assert first.status_code == 200, (first.status_code, first.get("Location"))
    page = best(lambda: client.get(url), args.repeat)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    if os.environ.get("BENCH_SHOW_QUERIES"):  # the most repeated queries, to find an N+1
        from collections import Counter

        for sql, n in Counter(q["sql"][:150] for q in queries.captured_queries).most_common(4):
            print(n, sql)
    print(
        f"/accounts/login/ (baseline): {login * 1000:.1f} ms; the coordinator's page of "
        f"stories: {page * 1000:.1f} ms; ratio {page / login:.1f}; {len(queries)} queries"
    )

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wpsmonitor.stories import services
    from wpsmonitor.stories.models import StoryMedium

    data = video(args.video_mb)
    story = Story.objects.filter(plan=plan).first()
    assert story is not None
    saved: list[str] = []
    plain = best(
        lambda: saved.append(default_storage.save("bench/plain.mp4", ContentFile(data))),
        args.repeat,
    )
    attach = best(
        lambda: services.medium_attach(
            by=monitor, story=story, upload=SimpleUploadedFile("clip.mp4", data)
        ),
        args.repeat,
    )
    for name in saved:
        default_storage.delete(name)
    kept = StoryMedium.objects.filter(story=story).first()
    assert kept is not None and kept.kind == "video"
    print(
        f"a {len(data) / 1e6:.1f} MB video saved as it came (baseline): {plain * 1000:.0f} ms; "
        f"attached (checked, remuxed without metadata, encrypted): {attach * 1000:.0f} ms; "
        f"ratio {attach / plain:.1f}"
    )


if __name__ == "__main__":
    main()
