"""Locust users for benchmarks/bench_reporting.py: people reading and entering data.

Not run by hand: bench_reporting.py signs the users in, writes the file named by the
WPS_BENCH_LOAD environment variable (session cookies, submissions, indicator codes, think
time, where to write the samples) and starts locust headless against its own gunicorn on
127.0.0.1. Every request is recorded (name, milliseconds, ok, what went wrong) and written when
locust quits, so that the benchmark computes exact percentiles over the whole run.

- Reader: the plan dashboard, indicator pages, their to-do list.
- FocalPoint: opens their province's data entry form, then autosaves drafts as the
  page's script does (every field of the form, URL-encoded, `X-Requested-With: fetch`, JSON
  answer), a figure changed each time and kept in the form, as a browser keeps what was
  typed; now and then back to the to-do list or the form.

The users are split so that draft saves (the writes) are CONFIG["write_share"] of the requests
(default 0.3): a focal point's requests are 4 saves in 6. Every save answered without a
problem is recorded (submission, when it was sent and answered, the figures it sent), so that
the benchmark can check that the last one of each submission is what the form shows after.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reporting import draft_fields, form_body, parse_page  # noqa: E402

CONFIG: dict[str, Any] = json.loads(Path(os.environ["WPS_BENCH_LOAD"]).read_text())
THINK_MIN, THINK_MAX = CONFIG["think"]
SAMPLES: list[tuple[str, float, bool, str]] = []
SAVES: list[tuple[int, float, float, dict[str, str]]] = []
# Share of focal points among the users: their requests are 4 saves in 6 (tasks' weights).
_FOCAL_SHARE = min(1.0, CONFIG.get("write_share", 0.3) / (4 / 6))
STARTED = time.monotonic()
_focal = itertools.cycle(CONFIG["focal"])
_readers = itertools.cycle(CONFIG["readers"])


@events.request.add_listener
def _record(name: str, response_time: float, exception: BaseException | None, **_kw: Any) -> None:
    SAMPLES.append(
        (name, response_time, exception is None, "" if exception is None else str(exception)[:120])
    )


@events.quitting.add_listener
def _write(**_kw: Any) -> None:
    Path(CONFIG["samples"]).write_text(
        json.dumps({"requests": SAMPLES, "saves": SAVES, "seconds": time.monotonic() - STARTED})
    )


def _sign_in(client: Any, cookie: str) -> None:
    """Use the session the benchmark signed in (a `Cookie:` header value)."""
    for pair in cookie.split("; "):
        name, _eq, value = pair.partition("=")
        client.cookies.set(name, value)


def _check(response: Any, *, expect: str) -> None:
    if response.status_code == 0:
        response.failure(f"no answer: {response.error!r}"[:160])
    elif response.status_code != 200:
        response.failure(f"HTTP {response.status_code}")
    elif expect not in response.text:
        response.failure(f"answer without {expect!r}")
    else:
        response.success()


class Reader(HttpUser):
    weight = max(0, round(100 * (1 - _FOCAL_SHARE)))
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self) -> None:
        _sign_in(self.client, next(_readers))

    @task(3)
    def dashboard(self) -> None:
        with self.client.get(
            f"/plans/{CONFIG['plan']}/",
            name="dashboard",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            _check(response, expect="</html>")

    @task(3)
    def indicator(self) -> None:
        code = random.choice(CONFIG["indicators"])
        with self.client.get(
            f"/plans/{CONFIG['plan']}/indicators/{code}/",
            name="indicator page",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            _check(response, expect="</html>")

    @task(1)
    def todo(self) -> None:
        with self.client.get(
            "/reporting/", name="to-do list", allow_redirects=False, catch_response=True
        ) as response:
            _check(response, expect="</html>")


class FocalPoint(HttpUser):
    weight = max(1, round(100 * _FOCAL_SHARE))
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self) -> None:
        mine = next(_focal)
        _sign_in(self.client, mine["cookie"])
        self.submission = mine["submission"]
        self.path = f"/submissions/{mine['submission']}/edit/"
        self.fields: list[tuple[str, str]] = []
        self.inputs: list[str] = []
        self.saves = 0
        self.open_form()

    @task(1)
    def open_form(self) -> None:
        with self.client.get(
            self.path, name="entry form", allow_redirects=False, catch_response=True
        ) as response:
            _check(response, expect='id="entry-form"')
            if response.status_code == 200:
                page = parse_page(response.text)
                self.fields, self.inputs = page.fields, page.counts

    @task(4)
    def autosave(self) -> None:
        if not self.inputs:
            return
        self.saves += 1
        changes = {random.choice(self.inputs): str(random.randint(0, 400))}
        # The form keeps what was typed: each save sends every figure typed so far.
        self.fields = [(n, changes.get(n, v)) for n, v in self.fields]
        sent = dict(self.fields)
        body, content_type = form_body(draft_fields(self.fields, changes))
        started = time.time()
        with self.client.post(
            self.path,
            data=body,
            headers={"Content-Type": content_type, "X-Requested-With": "fetch"},
            name="draft save (fetch)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                _check(response, expect="")
                return
            try:
                answer = response.json()
            except ValueError:
                response.failure("answer is not JSON")
                return
            if "saved" not in answer:
                response.failure("JSON without 'saved'")
            elif answer.get("problems"):
                response.failure(f"problems: {list(answer['problems'])[:3]}")
            else:
                response.success()
                figures = {name: sent.get(name, "") for name in self.inputs}
                SAVES.append((self.submission, started, time.time(), figures))

    @task(1)
    def todo(self) -> None:
        with self.client.get(
            "/reporting/", name="to-do list", allow_redirects=False, catch_response=True
        ) as response:
            _check(response, expect="</html>")
