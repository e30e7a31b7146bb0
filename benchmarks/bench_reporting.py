"""Benchmark: the reporting cycle in the browser, with ~2,000,000 values loaded, through a real
gunicorn server on 127.0.0.1 (targets: each page <= 200 ms median; a data entry page <= 150 KB
transferred; 50 concurrent users at p95 <= 500 ms without errors).

    python benchmarks/bench_reporting.py                # embedded SQLite, builds the big plan
    python benchmarks/bench_reporting.py --reuse        # keep the data of a previous run
    python benchmarks/bench_reporting.py --postgres     # PostgreSQL on 127.0.0.1 (own database)
    python benchmarks/bench_reporting.py --values 200000 --requests 20 --duration 30
    python benchmarks/bench_reporting.py --reuse --no-load   # sequential figures only

Builds the big plan (benchmarks/bigplan.py) and rebuilds its aggregates, then sets up a
reporting round through the services: a coordinator, a focal point of one ministry in each of
several provinces, a civil-society monitor; every indicator a person enters, and the actions of
the first pillar, assigned to the ministry in each of those provinces (the number indicators
also in one district of the first); an open round for 2025Q4 (the last quarter of the plan,
after 2025Q3 whose figures are shown as "previous"); a started submission for each province and
for the district. It starts gunicorn as `wpsmonitor serve` does (2 gthread workers x 4
threads, 75 s keep-alive; `--workers`, `--threads` and `--keep-alive` try others),
signs in through /accounts/login/ (CSRF, session cookie) and prints:

- per page, `--requests` sequential requests: median and 90th percentile wall time, the ratio
  of the median to a baseline measured in the same run (/admin/login/, a trivial page through
  the same middleware and server), body size gzipped and raw, gunicorn's CPU-ms per request
  (from /proc: what bounds the requests per second on 2 cores); pages: the plan dashboard, an
  indicator page, the to-do list, the data entry form of a province (GET) and of a district,
  and a draft save as the page's script sends it (URL-encoded POST, `X-Requested-With: fetch`,
  JSON answer) with one figure changed each time;
- per page, the SQL queries of one request run in-process (django.test.Client, after a warm-up
  request) with their total execute time (on SQLite, fetching rows is not in it) and the
  request's in-process wall time, and for the data entry form the same for the district sheet
  (fewer indicators): equal counts mean the count does not grow with the sheet;
- the weight of the province's data entry page: its HTML and every stylesheet and script it
  references, each fetched with `Accept-Encoding: gzip`, bytes as transferred (headers and
  body), against 150 KB (150,000 bytes);
- a load run: locust, headless, `--users` users spawned at `--spawn-rate` per second for
  `--duration` seconds plus the ramp-up (benchmarks/locustfile_reporting.py): readers of the
  dashboard, indicator pages and their to-do list, and focal points entering data (open the
  entry form, then autosave drafts through the fetch/JSON path), split so that draft saves
  are `--write-share` of the requests (default 0.3), each user waiting `--think` seconds
  between requests; p50/p95/max over every request of the run (ramp-up included), per
  request kind too, the errors by cause, the lost writes (after the run each submission's
  form must show its last acknowledged save), and the CPU-seconds gunicorn, locust and the
  machine's other processes used meanwhile (the machine is shared: a busy neighbour shows
  there).

`RESULT ...` lines close the output. gunicorn and locust are stopped at the end, whatever
happens. Loopback only; every loop is bounded in count or time.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterable
from datetime import timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import stop  # noqa: E402 (after the path insert)

PG_DATABASE = "bench_wps_reporting"
PAGE_BUDGET_MS = 200.0
LOAD_P95_BUDGET_MS = 500.0
WEIGHT_BUDGET_BYTES = 150_000
PASSWORD = "bench reporting passphrase"
ROUND_PERIOD = "2025Q4"
PROVINCES = 10  # provinces with a focal point, assignments and a submission
HERE = Path(__file__).resolve().parent


# HTML: the entry form's fields (what the browser's FormData posts) and the page's assets ------


class PageParser(HTMLParser):
    """Fields of the form with id `form_id`, as a browser submits them, and the page's CSS
    and JS references."""

    def __init__(self, form_id: str = "entry-form") -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self.counts: list[str] = []  # count inputs of the sheet (data-part="v"), in page order
        self.assets: list[str] = []
        self.csrf = ""
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split() and a.get("href"):
            self.assets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "input" and a.get("name") == "csrfmiddlewaretoken" and not self.csrf:
            self.csrf = a.get("value", "")
        if tag == "form" and a.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
            if a.get("data-part") == "v":
                self.counts.append(name)
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data
        elif self._option_value is None and self._select is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text
            self._options.append((value.strip(), self._option_selected))
            self._option_value = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _s in self._options[:1]
            ]
            if chosen:
                self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def draft_fields(fields: list[tuple[str, str]], changes: dict[str, str]) -> list[tuple[str, str]]:
    """What the autosave posts: every field of the form, the changes on top, do=save."""
    posted = [(n, changes.get(n, v)) for n, v in fields if n != "do"]
    return [*posted, ("do", "save")]


def form_body(fields: Iterable[tuple[str, str]]) -> tuple[bytes, str]:
    """A URL-encoded body, as the page's script sends the form (URLSearchParams)."""
    return urllib.parse.urlencode(list(fields)).encode(), "application/x-www-form-urlencoded"


# HTTP with a session ------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[float, http.client.HTTPResponse, bytes]:
    """(seconds, response, body as sent) for one request on a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    clock = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - clock
    conn.close()
    return elapsed, response, data


def cookies_from(response: http.client.HTTPResponse, jar: dict[str, str]) -> dict[str, str]:
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(header)
        for key, morsel in parsed.items():
            jar[key] = morsel.value
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def login(port: int, username: str, password: str) -> tuple[dict[str, str], float]:
    """Sign in through the login form; (cookies, seconds the POST took)."""
    _s, response, data = request(port, "GET", "/accounts/login/")
    jar = cookies_from(response, {})
    token = parse_page(data.decode()).csrf
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    )
    seconds, response, _data = request(
        port,
        "POST",
        "/accounts/login/",
        body=form.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(jar),
        },
    )
    cookies_from(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login of {username} failed: {response.status}")
    return jar, seconds


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]


def measure_saves(
    port: int, path: str, requests: int, jar: dict[str, str], form: PageParser
) -> dict[str, float]:
    """Draft saves as the script sends them, a different figure each time."""
    fields, inputs = form.fields, form.counts
    if not inputs:
        raise SystemExit("the entry form has no number input")
    times, size = [], 0
    for i in range(requests + 3):  # three to warm the workers up
        body, content_type = form_body(
            draft_fields(fields, {inputs[i % len(inputs)]: str(100 + i)})
        )
        seconds, response, data = request(
            port,
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": content_type,
                "X-Requested-With": "fetch",
                "Cookie": cookie_header(jar),
                "Accept-Encoding": "gzip",
            },
        )
        if response.status != 200:
            raise SystemExit(f"draft save answered {response.status}: {data[:300]!r}")
        if i >= 3:
            times.append(seconds * 1000)
            size = len(data)
    if response.getheader("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    answer = json.loads(data)
    if answer.get("problems"):
        print(f"note: the draft save reported problems: {answer['problems']}")
    times.sort()
    return {
        "median": statistics.median(times),
        "p90": percentile(times, 0.9),
        "gzip": size,
        "raw": size,
        "body": len(body),
    }


def transferred(port: int, path: str, headers: dict[str, str]) -> tuple[int, int, str]:
    """(bytes on the wire: status line, headers and body; body bytes; content encoding)."""
    _s, response, data = request(port, "GET", path, headers={**headers, "Accept-Encoding": "gzip"})
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + 2
    head += sum(len(f"{k}: {v}\r\n") for k, v in response.getheaders())
    return head + len(data), len(data), response.getheader("Content-Encoding") or "none"


def page_weight(port: int, path: str, jar: dict[str, str]) -> list[tuple[str, int, int, str]]:
    """The page and every CSS and JS it references: (path, wire bytes, body bytes, encoding)."""
    headers = {"Cookie": cookie_header(jar)}
    _s, response, data = request(port, "GET", path, headers=headers)
    items = [(path, *transferred(port, path, headers))]
    for asset in dict.fromkeys(parse_page(data.decode()).assets):
        items.append((asset, *transferred(port, asset, {})))
    return items


# The reporting round --------------------------------------------------------------------------


def user_ensure(username: str, **extra: Any) -> Any:
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org", **extra}
    )
    if created or not user.has_usable_password():
        user.set_password(PASSWORD)
        user.save()
    return user


def prepare_reporting(plan: Any) -> dict[str, Any]:
    """Users, assignments, an open round and started submissions, through the services."""
    from django.utils import timezone

    from wpsmonitor.accounts.models import PlanRole, Role
    from wpsmonitor.directory.models import Area, Organisation, OrganisationType
    from wpsmonitor.indicators.models import Indicator
    from wpsmonitor.plans.models import FrameworkNode
    from wpsmonitor.reporting import services
    from wpsmonitor.reporting.entry import DUE_KINDS
    from wpsmonitor.reporting.models import ReportingRound, Submission

    admin = user_ensure("bench-admin", is_superuser=True, is_staff=True)
    coordinator = user_ensure("bench-coordinator")
    monitor = user_ensure("bench-monitor")
    ministry, _c = Organisation.objects.get_or_create(
        code="bench-ministry",
        defaults={"name": "Ministry of Gender (bench)", "type": OrganisationType.GOVERNMENT},
    )
    cso, _c = Organisation.objects.get_or_create(
        code="bench-cso",
        defaults={"name": "Women's Network (bench)", "type": OrganisationType.CIVIL_SOCIETY},
    )
    services.role_grant(by=admin, plan=plan, user=coordinator, role=Role.COORDINATOR)
    # A civil-society organisation's roles are given from inside it: the administrator names
    # its first organisation administrator, who names the monitor.
    cso_admin = user_ensure("bench-cso-admin")
    if not PlanRole.objects.filter(plan=plan, user=cso_admin).exists():  # --reuse: given
        services.role_grant(
            by=admin,
            plan=plan,
            user=cso_admin,
            role=Role.ORGANISATION_ADMIN,
            organisation=cso,
            reason="benchmark set-up",
        )
    services.role_grant(by=cso_admin, plan=plan, user=monitor, role=Role.MONITOR, organisation=cso)
    indicators = list(
        Indicator.objects.filter(plan=plan, kind__in=DUE_KINDS).order_by("order", "code")
    )
    actions = list(
        FrameworkNode.objects.filter(
            plan=plan, level__holds_actions=True, code__startswith="P1."
        ).order_by("path")
    )
    provinces = list(Area.objects.filter(code__regex=r"^BIG-P[0-9]+$").order_by("code")[:PROVINCES])
    district = Area.objects.get(code=f"{provinces[0].code}-D1")
    focal_points = []
    for province in provinces:
        user = user_ensure(f"bench-focal-{province.code.lower()}")
        services.role_grant(
            by=coordinator,
            plan=plan,
            user=user,
            role=Role.FOCAL_POINT,
            organisation=ministry,
            area=province,
        )
        for indicator in indicators:
            services.assignment_add(
                by=coordinator, plan=plan, organisation=ministry, area=province, indicator=indicator
            )
        for action in actions:
            services.assignment_add(
                by=coordinator, plan=plan, organisation=ministry, area=province, action=action
            )
        focal_points.append((user, province))
    for indicator in indicators:
        if indicator.code.startswith("N"):
            services.assignment_add(
                by=coordinator, plan=plan, organisation=ministry, area=district, indicator=indicator
            )
    round_ = ReportingRound.objects.filter(plan=plan, period__code=ROUND_PERIOD).first()
    if round_ is None or not round_.is_open:
        round_ = services.round_open(
            by=coordinator,
            plan=plan,
            period_code=ROUND_PERIOD,
            deadline=timezone.localdate() + timedelta(days=30),
        )
    Submission.objects.filter(round=round_).delete()  # every run starts from empty drafts
    submissions = [
        services.submission_start(by=user, round_=round_, organisation=ministry, area=province)
        for user, province in focal_points
    ]
    district_submission = services.submission_start(
        by=focal_points[0][0], round_=round_, organisation=ministry, area=district
    )
    return {
        "coordinator": coordinator,
        "monitor": monitor,
        "focal_points": [user for user, _p in focal_points],
        "submissions": submissions,
        "district_submission": district_submission,
        "indicators": len(indicators),
        "district_indicators": sum(1 for i in indicators if i.code.startswith("N")),
        "actions": len(actions),
    }


def count_queries(
    user: Any, method: str, path: str, data: dict[str, str] | None = None
) -> dict[str, float]:
    """SQL queries of one in-process request (after a warm-up one): count, SQL ms, total ms."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)

    def run() -> Any:
        if method == "POST":
            return client.post(path, data=data or {}, HTTP_X_REQUESTED_WITH="fetch")
        return client.get(path)

    run()
    with CaptureQueriesContext(connection) as captured:
        clock = time.perf_counter()
        response = run()
        total = (time.perf_counter() - clock) * 1000
    if response.status_code != 200:
        raise SystemExit(f"in-process {method} {path} answered {response.status_code}")
    queries = captured.captured_queries
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
    return {
        "count": len(queries),
        "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
        "total_ms": total,
        "slowest": [(float(q["time"]) * 1000, q["sql"][:160]) for q in slowest],  # type: ignore[dict-item]
    }


# Load ---------------------------------------------------------------------------------------


def run_load(
    port: int, server_pid: int, home: Path, config: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    """Locust, headless and bounded; the samples its locustfile records, summarised."""
    config_path = home / "load-config.json"
    samples_path = home / "load-samples.json"
    samples_path.unlink(missing_ok=True)
    config_path.write_text(json.dumps({**config, "samples": str(samples_path)}))
    ramp = max(1, -(-args.users // args.spawn_rate))
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "locustfile_reporting.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.duration + ramp}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(home / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    log = home / "locust.log"
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before, busy_before = tree_cpu(server_pid), machine_busy()
    with log.open("wb") as out:
        load = subprocess.Popen(
            command,
            env={**os.environ, "WPS_BENCH_LOAD": str(config_path)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            load.wait(timeout=args.duration + ramp + 90)
        except subprocess.TimeoutExpired:
            print("locust overran its time: stopped")
        finally:
            stop(load)
    server_cpu, busy = tree_cpu(server_pid) - server_before, machine_busy() - busy_before
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    if not samples_path.exists():
        print(log.read_text()[-3000:])
        raise SystemExit("locust recorded no samples")
    samples = json.loads(samples_path.read_text())
    by_name: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for name, ms, ok, what in samples["requests"]:
        by_name.setdefault(name, []).append(ms)
        if not ok:
            errors[f"{name}: {what}"] = errors.get(f"{name}: {what}", 0) + 1
    every = sorted(ms for _n, ms, _ok, _w in samples["requests"])
    checked, lost = lost_writes(port, config, samples.get("saves", []))
    return {
        "checked": checked,
        "lost": lost,
        "saves": len(samples.get("saves", [])),
        "writes": len(by_name.get("draft save (fetch)", [])),
        "requests": len(every),
        "seconds": samples["seconds"],
        "p50": percentile(every, 0.5),
        "p95": percentile(every, 0.95),
        "max": every[-1],
        "errors": errors,
        "by_name": {n: sorted(v) for n, v in sorted(by_name.items())},
        "ramp": ramp,
        "client_cpu": cpu,
        "server_cpu": server_cpu,
        "other_cpu": max(0.0, busy - server_cpu - cpu),
    }


def lost_writes(port: int, config: dict[str, Any], saves: list[Any]) -> tuple[int, list[str]]:
    """(submissions checked, the lost ones): after the load, each submission's form must show
    the figures of its last acknowledged save, or of a save that overlapped it in time (the
    server may have committed those in either order)."""
    cookies = {focal["submission"]: focal["cookie"] for focal in config["focal"]}
    by_submission: dict[int, list[Any]] = {}
    for submission, started, ended, figures in saves:
        by_submission.setdefault(submission, []).append((started, ended, figures))

    def same(shown: str, sent: str) -> bool:
        try:
            return float(shown.replace(",", ".")) == float(sent)
        except ValueError:
            return shown.strip() == sent.strip()

    lost = []
    for submission, done in sorted(by_submission.items()):
        last = max(done, key=lambda save: save[1])
        candidates = [figures for started, ended, figures in done if ended >= last[0]]
        _s, response, body = request(
            port, "GET", f"/submissions/{submission}/edit/", headers={"Cookie": cookies[submission]}
        )
        shown = dict(parse_page(body.decode()).fields)
        if response.status != 200 or not any(
            all(same(shown.get(name, ""), value) for name, value in figures.items())
            for figures in candidates
        ):
            lost.append(f"submission {submission}: {len(done)} saves acknowledged")
    return len(by_submission), lost


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its living descendants (Linux /proc)."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task_dir in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task_dir / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def machine_busy() -> float:
    """CPU seconds all processes of the machine have used (Linux /proc/stat), to tell how much
    of it other work took during the load run (the machine is shared)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


# Main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="reporting cycle benchmark")
    parser.add_argument("--values", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run")
    parser.add_argument("--home", default=str(Path(tempfile.gettempdir()) / "wps-bench-reporting"))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (serve: 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (serve: 4)")
    parser.add_argument(
        "--keep-alive", type=int, default=75, help="gunicorn keep-alive seconds (serve: 75)"
    )
    parser.add_argument("--users", type=int, default=50, help="concurrent users of the load run")
    parser.add_argument("--spawn-rate", type=int, default=10, help="users started per second")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load after ramp-up")
    parser.add_argument(
        "--think", default="1,5", help="seconds a user waits between requests: MIN,MAX"
    )
    parser.add_argument("--no-load", action="store_true", help="skip the load run")
    parser.add_argument(
        "--write-share",
        type=float,
        default=0.3,
        help="share of the load run's requests that are draft saves (writes)",
    )
    args = parser.parse_args()
    if args.duration > 600 or args.users > 200:
        raise SystemExit("keep the load run bounded: --duration <= 600, --users <= 200")

    from bench_pages import gunicorn, measure
    from bigplan import CODE, big_plan_for_pages, database_choose, setup_django

    home = Path(args.home)
    database_choose(home=home, postgres=args.postgres, reuse=args.reuse, pg_database=PG_DATABASE)
    os.environ["WPSMONITOR_TASKS"] = "immediate"
    os.environ.setdefault("WPSMONITOR_EMAIL", "file")

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from wpsmonitor.indicators.models import DataValue, Indicator

    # The pages' stylesheets and scripts, hash-named, as `wpsmonitor serve` collects them.
    call_command("collectstatic", interactive=False, verbosity=0)
    plan = big_plan_for_pages(values=args.values, reuse=args.reuse)
    clock = time.perf_counter()
    cycle = prepare_reporting(plan)
    print(f"reporting round prepared in {time.perf_counter() - clock:.1f} s")
    values = DataValue.objects.filter(indicator__plan=plan).count()
    indicator = Indicator.objects.filter(plan=plan, kind="number").order_by("order", "code").first()
    submission = cycle["submissions"][0]
    district = cycle["district_submission"]
    entry_path = f"/submissions/{submission.pk}/edit/"
    district_path = f"/submissions/{district.pk}/edit/"
    pages = {
        "plan dashboard": f"/plans/{CODE}/",
        "indicator page": f"/plans/{CODE}/indicators/{indicator.code}/",
        "to-do list (focal point)": "/reporting/",
        "data entry form, a province": entry_path,
        "data entry form, a district": district_path,
    }
    print(
        f"database: {connection.vendor}; plan {CODE}: {values:,} values; round {ROUND_PERIOD}: "
        f"{cycle['indicators']} indicators and {cycle['actions']} actions assigned in "
        f"{len(cycle['submissions'])} provinces, {len(cycle['submissions']) + 1} submissions"
    )
    focal = cycle["focal_points"][0]

    from django.test import Client

    from wpsmonitor.reporting.entry import build_sheet, sheet_fields

    # Query counts, in-process (the page's own SQL, without the server).
    queries = {label: count_queries(focal, "GET", path) for label, path in pages.items()}
    queries["to-do list (coordinator)"] = count_queries(cycle["coordinator"], "GET", "/reporting/")
    typed = sheet_fields(build_sheet(submission))
    first_input = next(k for k in typed if k.startswith("v-"))
    probe = Client()
    probe.force_login(focal)
    csrf = parse_page(probe.get(entry_path).content.decode()).csrf
    queries["draft save (fetch, JSON)"] = count_queries(
        focal,
        "POST",
        entry_path,
        {**typed, first_input: "7", "do": "save", "csrfmiddlewaretoken": csrf},
    )
    connection.close()

    load: dict[str, Any] | None = None
    with gunicorn(
        "--threads",
        str(args.threads),
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--graceful-timeout",
        "20",
        "--keep-alive",
        str(args.keep_alive),
        workers=args.workers,
    ) as (port, server):
        jar, _seconds = login(port, focal.get_username(), PASSWORD)
        login_times = [
            login(port, focal.get_username(), PASSWORD)[1] * 1000
            for _ in range(min(args.requests, 5))
        ]
        session = {"Cookie": cookie_header(jar)}
        _s, response, data = request(port, "GET", entry_path, headers=session)
        if response.status != 200:
            raise SystemExit(f"the entry form answered {response.status}")
        form = parse_page(data.decode())
        inputs = len(form.fields)
        targets = [
            ("baseline: /admin/login/", "/admin/login/", {}),
            ("static file shell.css", "/static/shell/shell.css", {}),
            *[(label, path, session) for label, path in pages.items()],
        ]
        results = {}
        for label, path, headers in targets:
            before = tree_cpu(server.pid)
            results[label] = measure(port, path, args.requests, headers)
            # measure() sends 3 warm-up, `requests` timed and 2 size requests
            results[label]["cpu"] = (tree_cpu(server.pid) - before) * 1000 / (args.requests + 5)
        before = tree_cpu(server.pid)
        results["draft save (fetch, JSON)"] = measure_saves(
            port, entry_path, args.requests, jar, form
        )
        results["draft save (fetch, JSON)"]["cpu"] = (
            (tree_cpu(server.pid) - before) * 1000 / (args.requests + 3)
        )
        weight = page_weight(port, entry_path, jar)
        if not args.no_load:
            think = [float(x) for x in args.think.split(",")]
            sessions = []
            for user in [*cycle["focal_points"], cycle["coordinator"], cycle["monitor"]]:
                user_jar, _seconds = login(port, user.get_username(), PASSWORD)
                sessions.append(cookie_header(user_jar))
            config = {
                "plan": CODE,
                "indicators": list(
                    Indicator.objects.filter(plan=plan)
                    .order_by("code")
                    .values_list("code", flat=True)
                ),
                "focal": [
                    {"cookie": cookie, "submission": s.pk}
                    for cookie, s in zip(sessions, cycle["submissions"], strict=False)
                ],
                "readers": sessions,
                "think": think,
                "write_share": args.write_share,
            }
            connection.close()
            load = run_load(port, server.pid, home, config, args)

    vendor = connection.vendor
    baseline = results["baseline: /admin/login/"]["median"]
    print(
        f"\n{args.requests} sequential requests per page, gunicorn {args.workers} gthread "
        f"workers x {args.threads} threads, keep-alive {args.keep_alive} s, {vendor}; entry "
        f"form of a province: {inputs} fields"
    )
    print(
        f"{'page':34} {'median ms':>9} {'p90 ms':>7} {'x base':>6} {'gzip B':>8} {'raw B':>9} "
        f"{'cpu ms':>6} {'queries':>7} {'sql ms':>7} {'in-proc ms':>10}"
    )
    for label, figures in results.items():
        q = queries.get(label) or {}
        counted = f"{q['count']:7} {q['sql_ms']:7.1f} {q['total_ms']:10.1f}" if q else ""
        print(
            f"{label:34} {figures['median']:9.1f} {figures['p90']:7.1f} "
            f"{figures['median'] / baseline:6.2f} {figures['gzip']:8,} {figures['raw']:9,} "
            f"{figures['cpu']:6.1f} {counted}"
        )
    coordinator_q = queries["to-do list (coordinator)"]
    print(
        f"{'to-do list (coordinator)':34} {'':9} {'':7} {'':6} {'':8} {'':9} {'':6} "
        f"{coordinator_q['count']:7} {coordinator_q['sql_ms']:7.1f} "
        f"{coordinator_q['total_ms']:10.1f}"
    )
    print(
        f"login POST (password hash): median {statistics.median(login_times):.1f} ms "
        f"over {len(login_times)}; draft save body {results['draft save (fetch, JSON)']['body']:,} "
        "bytes (URL-encoded)"
    )
    print("\nslowest queries, in-process:")
    for label, q in queries.items():
        for ms, sql in q["slowest"][:2]:
            print(f"  {label:32} {ms:7.1f} ms  {sql}")

    print("\ndata entry page weight, Accept-Encoding: gzip:")
    total = 0
    for path, wire, body, encoding in weight:
        total += wire
        print(f"  {path:48} {wire:8,} B on the wire ({body:,} B body, {encoding})")

    for label in ("plan dashboard", "indicator page", "data entry form, a province"):
        figures = results[label]
        q = queries[label]
        verdict = "OK" if figures["median"] <= PAGE_BUDGET_MS else "OVER"
        print(
            f"RESULT {vendor} {label}: median {figures['median']:.1f} ms, p90 "
            f"{figures['p90']:.1f} ms with {values:,} values (budget {PAGE_BUDGET_MS:.0f} ms, "
            f"{verdict}); {figures['median'] / baseline:.1f}x the /admin/login/ baseline "
            f"({baseline:.1f} ms); {q['count']} queries"
        )
    for label in (
        "data entry form, a district",
        "draft save (fetch, JSON)",
        "to-do list (focal point)",
    ):
        figures = results[label]
        verdict = "OK" if figures["median"] <= PAGE_BUDGET_MS else "OVER"
        print(
            f"RESULT {vendor} {label}: median {figures['median']:.1f} ms, p90 "
            f"{figures['p90']:.1f} ms (reference {PAGE_BUDGET_MS:.0f} ms, {verdict}); "
            f"{figures['median'] / baseline:.1f}x the baseline; {queries[label]['count']} queries"
        )
    counts = (
        queries["data entry form, a province"]["count"],
        queries["data entry form, a district"]["count"],
    )
    print(
        f"RESULT {vendor} data entry form queries: {counts[0]} for {cycle['indicators']} "
        f"indicators and {cycle['actions']} actions, {counts[1]} for the district's "
        f"{cycle['district_indicators']} indicators and no action "
        f"({'bounded' if counts[0] == counts[1] else 'GROWS with the sheet'})"
    )
    verdict = "OK" if total <= WEIGHT_BUDGET_BYTES else "OVER"
    print(
        f"RESULT {vendor} data entry page weight: {total:,} bytes transferred for the HTML and "
        f"{len(weight) - 1} CSS/JS files, gzip accepted (budget {WEIGHT_BUDGET_BYTES:,}, "
        f"{verdict}); HTML {weight[0][1]:,} B of it"
    )
    if load is not None:
        cores = os.cpu_count() or 1
        failed = sum(load["errors"].values())
        verdict = "OK" if load["p95"] <= LOAD_P95_BUDGET_MS and not failed else "OVER"
        print(
            f"\nload: {args.users} users (+{args.spawn_rate}/s, {load['ramp']} s ramp-up) for "
            f"{args.duration} s, think {args.think} s: {load['requests']:,} requests in "
            f"{load['seconds']:.0f} s; CPU-seconds used: gunicorn {load['server_cpu']:.0f}, "
            f"locust {load['client_cpu']:.0f}, other processes {load['other_cpu']:.0f}, of the "
            f"{cores * load['seconds']:.0f} the "
            f"{cores} cores had; gunicorn {load['server_cpu'] * 1000 / load['requests']:.0f} "
            "CPU-ms per request"
        )
        print(f"  {'request':30} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
        for name, times in load["by_name"].items():
            print(
                f"  {name:30} {len(times):6} {percentile(times, 0.5):7.0f} "
                f"{percentile(times, 0.95):7.0f} {times[-1]:7.0f}"
            )
        for what, count in load["errors"].items():
            print(f"  error x{count}: {what}")
        for what in load["lost"]:
            print(f"  lost write: {what}")
        print(
            f"RESULT {vendor} load writes: {load['writes']:,} draft saves of {load['requests']:,}"
            f" requests ({100 * load['writes'] / load['requests']:.0f} %), "
            f"{load['saves']:,} acknowledged; lost writes {len(load['lost'])} (of "
            f"{load['checked']} submissions checked: each shows its last acknowledged save)"
        )
        print(
            f"RESULT {vendor} load {args.users} users {args.duration} s: {load['requests']:,} "
            f"requests ({load['requests'] / load['seconds']:.1f}/s), p50 {load['p50']:.0f} ms, "
            f"p95 {load['p95']:.0f} ms, max {load['max']:.0f} ms, {failed} errors (budget p95 "
            f"{LOAD_P95_BUDGET_MS:.0f} ms and no error, {verdict}); p95 "
            f"{load['p95'] / baseline:.1f}x the sequential baseline; gunicorn {args.workers}x"
            f"{args.threads} gthread, keep-alive {args.keep_alive} s; other processes used "
            f"{load['other_cpu']:.0f} CPU-s"
        )


if __name__ == "__main__":
    main()
