"""IATI ingest: our importer against a bare lxml pass, its peak memory, and iatikit.

    python benchmarks/bench_iati.py [--file PATH] [--repeat 5] [--database sqlite|postgres]
                                    [--big-mb 250] [--no-big] [--no-iatikit]

On the 25.7 MB sample `v203_dportal_merged_large.xml` (default) it measures, each in a fresh
subprocess so that peak memory (VmHWM) is the measurement's own:

(a) baseline: `lxml.etree.iterparse` over the file touching every element (its tag), clearing
    each activity as it ends;
(b) our importer into the database (SQLite by default), every activity kept (`--filter all`,
    the most work) and with the default WPS filter; throughput ratio to (a), which must be
    at least 0.5, and peak memory, which must stay under 150 MB and not grow with the file:
    the sample is repeated (new identifiers per copy) into a temporary file of at least
    --big-mb MB and imported too;
(c) iatikit parsing the same file (`iatikit.Dataset(path).activities`, one XPath per activity
    for the gender marker), beside our reader alone, parsing only.

Medians of --repeat runs; the ratios printed are medians of rounds that run the baseline and
the imports one after the other, so that the machine's drift cancels out.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent.parent / "shared" / "iati-samples" / "v203_dportal_merged_large.xml"
sys.path.insert(0, str(HERE))


def _peak_mb() -> float:
    """This process's peak resident memory. Not ru_maxrss: Linux carries it over execve, so a
    child would report its parent's peak; VmHWM belongs to the process's own address space."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# ----------------------------------------------------------------------------- children


def child_baseline(path: Path) -> dict[str, float]:
    from lxml import etree

    started = time.perf_counter()
    elements = 0
    for _event, element in etree.iterparse(
        str(path), events=("end",), resolve_entities=False, no_network=True, load_dtd=False
    ):
        elements += 1
        if element.tag == "iati-activity":
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return {"seconds": time.perf_counter() - started, "elements": elements}


def child_reader(path: Path) -> dict[str, float]:
    from bigplan import setup_django

    setup_django()
    from wpsmonitor.iati.reader import IatiReader

    started = time.perf_counter()
    marked = sum(1 for a in IatiReader(path) if getattr(a, "has_gender_marker", False))
    return {"seconds": time.perf_counter() - started, "gender_marked": marked}


def child_iatikit(path: Path) -> dict[str, float]:
    import iatikit

    started = time.perf_counter()
    marked = 0
    for activity in iatikit.Dataset(str(path)).activities:
        if activity.etree.xpath(
            "policy-marker[(not(@vocabulary) or @vocabulary='1' or @vocabulary='DAC')"
            " and (@code='1' or @code='01')]"
        ):
            marked += 1
    return {"seconds": time.perf_counter() - started, "gender_marked": marked}


def child_import(path: Path, criteria: str) -> dict[str, float]:
    from bigplan import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from wpsmonitor.iati import models as m
    from wpsmonitor.iati.importer import WpsFilter, import_files

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # an empty start, not timed
        for model in (
            m.Transaction,
            m.ActivitySector,
            m.ParticipatingOrg,
            m.ActivityLink,
            m.Activity,
            m.OrganisationBudget,
            m.Organisation,
            m.ImportRun,
        ):
            if connection.vendor == "postgresql":
                # TRUNCATE, not DELETE: dead rows left by the previous runs would bloat the
                # indexes and slow each run a little more than the one before.
                cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
            else:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
    started = time.perf_counter()
    run = import_files(paths=[path], wps_filter=WpsFilter.build(criteria=criteria.split(",")))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "activities": run.summary["activities_read"],
        "kept": run.summary["kept"],
        "transactions": run.summary["transactions"],
    }


CHILDREN = {
    "baseline": lambda p, _a: child_baseline(p),
    "reader": lambda p, _a: child_reader(p),
    "iatikit": lambda p, _a: child_iatikit(p),
    "import": child_import,
}


def run_child(kind: str, path: Path, extra: str = "") -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), extra],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure(kind: str, path: Path, repeat: int, extra: str = "") -> dict[str, float]:
    return _summary([run_child(kind, path, extra) for _ in range(repeat)])


def _summary(runs: list[dict[str, float]]) -> dict[str, float]:
    """The first run's counts, the median time, the highest peak."""
    result = dict(runs[0])
    result["seconds"] = statistics.median(r["seconds"] for r in runs)
    result["peak_mb"] = max(r["peak_mb"] for r in runs)
    return result


# ----------------------------------------------------------------------------- the big file


def build_big(sample: Path, folder: Path, megabytes: int) -> Path:
    """The sample repeated, each copy's identifiers prefixed so every activity is new."""
    text = sample.read_text(encoding="utf-8")
    head, _sep, rest = text.partition("<iati-activity ")
    body = ("<iati-activity " + rest).rpartition("</iati-activities>")[0]
    copies = -(-megabytes * 1_000_000 // len(body.encode("utf-8")))
    path = folder / "big.xml"
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        for copy in range(copies):
            out.write(
                body.replace("<iati-identifier>", f"<iati-identifier>COPY{copy}-")
                .replace('provider-activity-id="', f'provider-activity-id="COPY{copy}-')
                .replace('receiver-activity-id="', f'receiver-activity-id="COPY{copy}-')
            )
        out.write("</iati-activities>\n")
    return path


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--child", nargs=3, metavar=("KIND", "FILE", "EXTRA"), help=argparse.SUPPRESS
    )
    parser.add_argument("--file", type=Path, default=SAMPLE)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--big-mb", type=int, default=250)
    parser.add_argument("--no-big", action="store_true")
    parser.add_argument("--no-iatikit", action="store_true")
    args = parser.parse_args()

    if args.child:
        kind, file, extra = args.child
        result = CHILDREN[kind](Path(file), extra)
        result["peak_mb"] = _peak_mb()
        print(json.dumps(result))
        return

    from bigplan import database_choose

    home = Path(tempfile.mkdtemp(prefix="bench-iati-"))
    database_choose(
        home=home, postgres=args.database == "postgres", reuse=False, pg_database="bench_iati"
    )
    path: Path = args.file
    size_mb = path.stat().st_size / 1e6
    print(f"file: {path.name}, {size_mb:.1f} MB; database: {args.database}; {args.repeat} runs")

    # Each import runs between two baseline passes, and its ratio is to their mean: this
    # machine's speed drifts by half within a minute, so a ratio compares runs seconds apart.
    # The figure is the median of the rounds' ratios.
    variants = (("every activity kept", "all"), ("default WPS filter", "sectors,gender"))
    bases: list[dict[str, float]] = [run_child("baseline", path)]
    imports: dict[str, list[dict[str, float]]] = {label: [] for label, _c in variants}
    ratios_of: dict[str, list[float]] = {label: [] for label, _c in variants}
    for _round in range(args.repeat):
        for label, criteria in variants:
            ours = run_child("import", path, criteria)
            bases.append(run_child("baseline", path))
            imports[label].append(ours)
            around = (bases[-2]["seconds"] + bases[-1]["seconds"]) / 2
            ratios_of[label].append(around / ours["seconds"])
    base = _summary(bases)
    print(
        f"(a) bare iterparse, every element touched: {base['seconds']:.2f} s "
        f"({size_mb / base['seconds']:.1f} MB/s, {int(base['elements']):,} elements), "
        f"peak {base['peak_mb']:.0f} MB"
    )
    rows = []
    for label, _criteria in variants:
        ours = _summary(imports[label])
        ratios = sorted(ratios_of[label])
        ratio = statistics.median(ratios)
        rows.append((label, ours, ratio))
        print(
            f"(b) importer, {label}: {ours['seconds']:.2f} s ({size_mb / ours['seconds']:.1f} MB/s;"
            f" {int(ours['kept']):,} of {int(ours['activities']):,} activities,"
            f" {int(ours['transactions']):,} transactions stored), peak {ours['peak_mb']:.0f} MB;"
            f" throughput ratio to (a) {ratio:.2f} (rounds {ratios[0]:.2f}-{ratios[-1]:.2f};"
            f" target >= 0.5) {'OK' if ratio >= 0.5 else 'BELOW TARGET'}"
        )
    if not args.no_big:
        with tempfile.TemporaryDirectory(prefix="bench-iati-big-") as folder:
            big = build_big(path, Path(folder), args.big_mb)
            big_mb = big.stat().st_size / 1e6
            large = measure("import", big, 1, "all")
            small_peak = rows[0][1]["peak_mb"]
            print(
                f"(b) importer on the sample repeated to {big_mb:.0f} MB, every activity kept: "
                f"{large['seconds']:.1f} s ({big_mb / large['seconds']:.1f} MB/s,"
                f" {int(large['kept']):,} activities), peak {large['peak_mb']:.0f} MB vs"
                f" {small_peak:.0f} MB on {size_mb:.1f} MB: ratio {large['peak_mb'] / small_peak:.2f}"
                f" for {big_mb / size_mb:.1f}x the size (target: peak <= 150 MB and flat)"
            )
    if not args.no_iatikit:
        reader = measure("reader", path, args.repeat)
        kit = measure("iatikit", path, args.repeat)
        print(
            f"(c) parsing only: our reader {reader['seconds']:.2f} s, peak {reader['peak_mb']:.0f} MB;"
            f" iatikit {kit['seconds']:.2f} s, peak {kit['peak_mb']:.0f} MB"
            f" (gender-marked activities: {int(reader['gender_marked'])} and"
            f" {int(kit['gender_marked'])}); time ratio iatikit/ours"
            f" {kit['seconds'] / reader['seconds']:.2f}, memory ratio"
            f" {kit['peak_mb'] / reader['peak_mb']:.1f}"
        )


if __name__ == "__main__":
    main()
