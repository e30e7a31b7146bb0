"""Locust users for benchmarks/bench_portal_readers.py: anonymous readers of the public portal.

Not run by hand: bench_portal_readers.py writes the file named by WPS_BENCH_LOAD (the pages,
ordered from the most read to the least, the Zipf exponent, the think time, where to write
the samples) and starts locust headless against `wpsmonitor serve` on 127.0.0.1.

A reader, between pauses of `think` seconds, reads one page drawn from the list with a
probability proportional to 1 / rank^s (a few pages are read by nearly everyone, a long tail by
few), or, one time in `trivial_every`, the trivial page (/favicon.ico, a redirect through the
same server and middleware), the baseline. No cookie is kept: readers are not signed in and the
portal sets none. Every request is recorded (when, name, kind, milliseconds, ok, what went
wrong, whether the public cache answered) and written when locust quits.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task

CONFIG: dict[str, Any] = json.loads(Path(os.environ["WPS_BENCH_LOAD"]).read_text())
THINK_MIN, THINK_MAX = CONFIG["think"]
PAGES: list[tuple[str, str]] = [tuple(p) for p in CONFIG["pages"]]  # type: ignore[misc]
WEIGHTS = list(
    itertools.accumulate(1 / (rank ** CONFIG["zipf"]) for rank in range(1, len(PAGES) + 1))
)
STARTED = time.monotonic()
SAMPLES: list[tuple[float, str, float, bool, str, str]] = []
# Browsers ask for compressed pages; the portal sends gzip.
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "en"}


@events.request.add_listener
def _record(
    name: str,
    response_time: float,
    exception: BaseException | None,
    response: Any = None,
    **_kw: Any,
) -> None:
    cache = ""
    if response is not None and getattr(response, "headers", None) is not None:
        cache = response.headers.get("X-Public-Cache") or ""
    SAMPLES.append(
        (
            time.monotonic() - STARTED,
            name,
            response_time,
            exception is None,
            "" if exception is None else str(exception)[:120],
            cache,
        )
    )


@events.quitting.add_listener
def _write(**_kw: Any) -> None:
    Path(CONFIG["samples"]).write_text(json.dumps({"requests": SAMPLES}))


class Reader(FastHttpUser):
    wait_time = between(THINK_MIN, THINK_MAX)

    @task
    def read(self) -> None:
        if random.random() < 1 / CONFIG["trivial_every"]:
            kind, path, expect = "trivial", "/favicon.ico", 302
        else:
            kind, path = random.choices(PAGES, cum_weights=WEIGHTS)[0]
            expect = 200
        with self.client.get(
            path, name=kind, headers=HEADERS, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code} for {path}")
            else:
                response.success()
