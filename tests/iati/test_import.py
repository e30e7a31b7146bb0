"""The importer: the WPS filter, re-imports, all or nothing, the command, the upload pages and
their rights, and a process killed mid-import."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from tests.exchange.helpers import cli, cli_env
from tests.reporting.conftest import PASSWORD, Cycle, build_cycle

from wpsmonitor.iati import models as m
from wpsmonitor.iati.importer import (
    WPS_SECTORS,
    ImportRefused,
    WpsFilter,
    fail_abandoned_runs,
    import_files,
)
from wpsmonitor.plans.models import FrameworkNode

from .conftest import activities_file, activity_xml, sample, transaction_xml

pytestmark = pytest.mark.django_db

NO_MARKER = None


def _mixed(path: Path) -> Path:
    """Six activities; under the default filter in CD, A (15170), B (marker 1) and E (15220,
    the 152xx list) are kept; C (marker 0, sector 11110), D (in RW) and F (no marker, a
    humanitarian 72010 activity) are not."""
    return activities_file(
        path,
        activity_xml("A", transactions=transaction_xml()),
        activity_xml(
            "B",
            sector="11110",
            marker='<policy-marker code="1" significance="1"/>',
            transactions=transaction_xml(value="20") + transaction_xml(value="30"),
        ),
        activity_xml("C", sector="11110", marker='<policy-marker code="1" significance="0"/>'),
        activity_xml("D", country="RW"),
        activity_xml("E", sector="15220", marker=NO_MARKER),
        activity_xml("F", sector="72010", marker=NO_MARKER).replace(
            'humanitarian="0"', 'humanitarian="1"'
        ),
    )


def _kept() -> list[str]:
    return sorted(m.Activity.objects.values_list("iati_identifier", flat=True))


def test_default_filter_keeps_wps_activities(tmp_path: Path) -> None:
    run = import_files(
        paths=[_mixed(tmp_path / "x.xml")], wps_filter=WpsFilter.build(countries=["CD"])
    )
    assert _kept() == ["A", "B", "E"]
    assert run.summary["activities_read"] == 6
    assert run.summary["kept"] == 3
    assert run.summary["skipped"] == {"country": 1, "not_wps": 2, "no_identifier": 0}
    assert run.summary["transactions"] == 3
    assert run.filter["criteria"] == ["gender", "sectors"]
    assert set(run.filter["sectors"]) == set(WPS_SECTORS)


def test_filter_criteria_are_the_users_choice(tmp_path: Path) -> None:
    path = _mixed(tmp_path / "x.xml")
    import_files(paths=[path], wps_filter=WpsFilter.build(criteria=["humanitarian"]))
    assert _kept() == ["F"]
    import_files(paths=[path], wps_filter=WpsFilter.build(criteria=["sectors"], sectors=["15220"]))
    assert _kept() == ["E", "F"]  # F from the earlier run stays
    run = import_files(paths=[path], wps_filter=WpsFilter.build(criteria=["all"]))
    assert run.summary["kept"] == 6 and run.summary["replaced"] == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"countries": ["ZZ"]}, "ISO 3166-1"),
        ({"countries": ["COD"]}, "ISO 3166-1"),
        ({"criteria": ["money"]}, "criteria"),
        ({"criteria": []}, "criteria"),
        ({"sectors": ["1517"]}, "5-digit"),
    ],
)
def test_bad_filter_named(kwargs: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WpsFilter.build(**kwargs)


def test_reimport_replaces_and_keeps_links_and_flags(tmp_path: Path) -> None:
    cycle = build_cycle()
    path = activities_file(tmp_path / "a.xml", activity_xml("R-1", transactions=transaction_xml()))
    import_files(paths=[path], plan=cycle.plan)  # the plan's country, CD
    activity = m.Activity.objects.get()
    assert activity.plan == cycle.plan
    node = FrameworkNode.objects.filter(plan=cycle.plan).first()
    assert node is not None
    m.ActivityLink.objects.create(activity=activity, node=node, share=Decimal("50"))
    receiver = m.Organisation.objects.get(ref="CD-RCCM-1")
    receiver.women_led = True
    receiver.save()
    # The publisher corrects the value; imported again, without --plan.
    activities_file(
        path, activity_xml("R-1", transactions=transaction_xml(value="1500") + transaction_xml())
    )
    run = import_files(paths=[path], wps_filter=WpsFilter.build())
    assert run.summary["replaced"] == 1
    again = m.Activity.objects.get()
    assert again.pk == activity.pk and again.plan == cycle.plan and again.run == run
    assert sorted(again.transactions.values_list("value", flat=True)) == [
        Decimal("1000"),
        Decimal("1500"),
    ]
    assert again.sectors.count() == 1
    assert m.ActivityLink.objects.get().activity_id == activity.pk
    assert m.Organisation.objects.get(ref="CD-RCCM-1").women_led is True


def test_same_activity_twice_in_one_run_counted_once(tmp_path: Path) -> None:
    one = activities_file(tmp_path / "1.xml", activity_xml("D-1", transactions=transaction_xml()))
    two = activities_file(
        tmp_path / "2.xml",
        activity_xml("D-1", transactions=transaction_xml() + transaction_xml(value="5")),
    )
    run = import_files(paths=[one, two], wps_filter=WpsFilter.build())
    assert run.summary["duplicates"] == 1
    assert run.summary["kept"] == 1 and run.summary["transactions"] == 2
    assert m.Activity.objects.count() == 1 and m.Transaction.objects.count() == 2


def test_problems_located_and_transactions_stored(tmp_path: Path) -> None:
    path = activities_file(
        tmp_path / "p.xml",
        activity_xml(
            "P-1",
            currency="",
            transactions=transaction_xml(value="") + transaction_xml(value="99"),
        ),
    )
    run = import_files(paths=[path], wps_filter=WpsFilter.build())
    assert run.summary["problems"] == [
        "P-1: transaction 1 skipped: empty value",
        "P-1: transaction 2: no currency (neither value/@currency nor the activity's "
        "@default-currency); kept without one",
    ]
    (transaction,) = m.Transaction.objects.all()
    assert (transaction.value, transaction.currency) == (Decimal("99"), "")
    assert transaction.provider is not None and transaction.provider.ref == "XM-DAC-7"
    assert transaction.receiver is not None and transaction.receiver.type == "22"
    assert m.Activity.objects.get().problems == run.summary["problems"]


def test_command_prints_summary_and_refuses_hostile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_iati", str(sample("v201_spain_maec_indonesia.xml")), "--filter", "all")
    out = capsys.readouterr().out
    assert "activity file (IATI 2.01), 83 activities" in out
    assert "Activities read: 83 (with a gender marker: 83;" in out
    assert "Kept: 83" in out
    bad = tmp_path / "bad.xml"
    bad.write_text('<!DOCTYPE x [<!ENTITY a "b">]><iati-activities/>', encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("import_iati", str(bad))
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "Import refused: bad.xml: the file declares a DOCTYPE" in err
    assert "Nothing was stored" in err
    assert m.Activity.objects.count() == 83


# --------------------------------------------------------------------------- pages


def _client(cycle: Cycle, name: str) -> Client:
    client = Client()
    # Through the sign-in form: axes counts sign-ins per request (Client.login has none).
    signed_in = client.post("/accounts/login/", {"username": name, "password": PASSWORD})
    assert signed_in.status_code == 302
    return client


def test_upload_page_rights() -> None:
    cycle = build_cycle()
    url = reverse("iati:import", args=[cycle.plan.code])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    for name in ("viewer", "monitor", "focal", "outsider"):
        assert _client(cycle, name).get(url).status_code == 403, name
    assert _client(cycle, "coordinator").get(url).status_code == 200
    assert _client(cycle, "admin").get(url).status_code == 200
    assert Client().get(reverse("iati:import", args=["no-such-plan"])).status_code == 302
    assert (
        _client(cycle, "coordinator").get(reverse("iati:import", args=["nope"])).status_code == 404
    )


def test_upload_imports_in_background_and_shows_summary(
    django_capture_on_commit_callbacks: Any,
) -> None:
    cycle = build_cycle()
    client = _client(cycle, "coordinator")
    page = client.get(reverse("iati:import", args=[cycle.plan.code]))
    assert 'value="CD"' in page.content.decode()  # the plan's country by default
    upload = SimpleUploadedFile(
        "dfid.xml", sample("v101_dfid_drc.xml").read_bytes(), content_type="text/xml"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("iati:import", args=[cycle.plan.code]),
            {
                "iati_files": [upload],
                "countries": "CD",
                "criteria": ["sectors", "gender"],
                "sectors": "",
            },
        )
    run = m.ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("iati:import_run", args=[cycle.plan.code, run.pk])
    # The immediate task backend of the tests ran it once the upload was committed.
    assert run.status == m.ImportStatus.DONE
    assert run.summary["activities_read"] == 205
    assert m.Activity.objects.filter(plan=cycle.plan).count() == run.summary["kept"] > 0
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Activities read: 205" in html
    assert 'http-equiv="refresh"' not in html  # finished: no more refreshing
    # Uploads are removed once imported.
    assert not any(Path(p).exists() for p in run.filenames)
    # Another user of the plan may not see the run; another plan's run is not found.
    assert _client(cycle, "viewer").get(response["Location"]).status_code == 403


def test_upload_of_hostile_file_refused_at_once() -> None:
    cycle = build_cycle()
    client = _client(cycle, "coordinator")
    upload = SimpleUploadedFile(
        "lol.xml", b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "l">]><iati-activities/>'
    )
    response = client.post(
        reverse("iati:import", args=[cycle.plan.code]),
        {"iati_files": [upload], "countries": "", "criteria": ["all"], "sectors": ""},
    )
    assert response.status_code == 400
    assert "lol.xml: the file declares a DOCTYPE" in response.content.decode()
    assert m.ImportRun.objects.count() == 0


def test_upload_form_errors_named() -> None:
    cycle = build_cycle()
    client = _client(cycle, "coordinator")
    upload = SimpleUploadedFile("a.xml", b'<iati-activities version="2.03"/>')
    response = client.post(
        reverse("iati:import", args=[cycle.plan.code]),
        {"iati_files": [upload], "countries": "XX", "criteria": ["sectors"], "sectors": ""},
    )
    assert response.status_code == 400
    assert "XX is not an ISO 3166-1 alpha-2 country code" in response.content.decode()


def test_running_import_page_refreshes_itself() -> None:
    cycle = build_cycle()
    run = m.ImportRun.objects.create(plan=cycle.plan, status=m.ImportStatus.QUEUED)
    html = (
        _client(cycle, "coordinator")
        .get(reverse("iati:import_run", args=[cycle.plan.code, run.pk]))
        .content.decode()
    )
    assert 'http-equiv="refresh"' in html and "Refresh now" in html
    other = m.ImportRun.objects.create(status=m.ImportStatus.DONE)  # no plan: not this plan's
    assert (
        _client(cycle, "coordinator")
        .get(reverse("iati:import_run", args=[cycle.plan.code, other.pk]))
        .status_code
        == 404
    )


# --------------------------------------------------------------------------- killed


def _big_file(folder: Path, copies: int) -> Path:
    """The covid fixture repeated with new identifiers: long enough to be killed midway."""
    text = sample("v203_hdx_covid_fixture_multi_publisher.xml").read_text(encoding="utf-8")
    head, _sep, rest = text.partition("<iati-activity ")
    body, _sep, _tail = ("<iati-activity " + rest).rpartition("</iati-activities>")
    path = folder / "big.xml"
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        for copy in range(copies):
            out.write(body.replace("<iati-identifier>", f"<iati-identifier>K{copy}-"))
        out.write("</iati-activities>\n")
    return path


def _count(home: Path, sql: str) -> int:
    con = sqlite3.connect(home / "wpsmonitor.sqlite3")
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_mid_import_leaves_no_rows_and_a_failed_run(
    tmp_path: Path, empty_home: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(empty_home, home)
    path = _big_file(tmp_path, 40)  # 16,040 activities, about 100 MB
    process = subprocess.Popen(
        [sys.executable, "-m", "wpsmonitor.cli", "import-iati", str(path), "--filter", "all"],
        env=cli_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "activities read" in line:
            break
    else:
        pytest.fail("the import ended before it could be killed")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert _count(home, "SELECT COUNT(*) FROM iati_activity") == 0
    assert _count(home, "SELECT COUNT(*) FROM iati_transaction") == 0
    assert _count(home, "SELECT COUNT(*) FROM iati_importrun WHERE status='running'") == 1
    # The next import notices the dead run, marks it failed, and runs to its end.
    done = cli(home, "import-iati", str(sample("v100_cafod.xml")), "--filter", "all")
    assert "Kept: 57" in done.stdout
    assert _count(home, "SELECT COUNT(*) FROM iati_importrun WHERE status='failed'") == 1
    assert _count(home, "SELECT COUNT(*) FROM iati_activity") == 57


def test_fail_abandoned_runs_leaves_live_ones() -> None:
    run = m.ImportRun.objects.create(status=m.ImportStatus.RUNNING)
    from wpsmonitor.iati.importer import write_progress

    write_progress(run.pk, bytes_read=0, bytes_total=1)  # this process: alive
    assert fail_abandoned_runs() == 0
    run.refresh_from_db()
    assert run.status == m.ImportStatus.RUNNING


def test_refused_run_raises_with_reason(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_files(paths=[tmp_path / "missing.xml"])
    assert "missing.xml" in refused.value.run.error
