"""Side by side: the action page, the list of disagreements, the divergence view's action
ranking, each monitor's latest figure beside the government's, and both sides' evidence."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.portal.conftest import build_plan, publish_release
from tests.reporting.helpers import save
from tests.shadow.conftest import Shadow, assess

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.plans.services import action_status_set
from wpsmonitor.reporting import services
from wpsmonitor.shadow.selectors import action_comparisons, action_disagreements


def _government_completes(shadow: Shadow) -> None:
    """The ministry reports the fixture's action completed; the coordinator approves."""
    cycle = shadow.cycle
    focal = cycle.users["focal"]
    draft = services.submission_start(
        by=focal, round_=cycle.round, organisation=cycle.built.ministry, area=cycle.province
    )
    assert save(
        focal,
        draft,
        {f"as-{cycle.action.pk}": "completed", f"an-{cycle.action.pk}": "All officers trained."},
    ).ok
    assert services.submission_submit(by=focal, submission=draft).ok
    services.submission_approve(by=cycle.users["coordinator"], submission=draft)


def _second_action_scored(shadow: Shadow, government: str, monitor: str) -> FrameworkNode:
    cycle = shadow.cycle
    other = FrameworkNode.objects.get(plan=cycle.plan, code="P1.O1.1.A2")
    action_status_set(node=other, status=government)
    later = services.round_open(
        by=cycle.users["coordinator"],
        plan=cycle.plan,
        period_code="2025Q2",
        deadline=cycle.round.deadline,
    )
    submission = services.submission_start(
        by=cycle.users["monitor"],
        round_=later,
        organisation=cycle.built.cso,
        area=cycle.plan.area,
        civil_society=True,
    )
    assert assess(cycle, submission, other, monitor, "Half the shelters open.").ok
    assert services.submission_submit(by=cycle.users["monitor"], submission=submission).ok
    return other


def test_completed_against_not_implemented_is_the_widest_gap(shadow: Shadow) -> None:
    _government_completes(shadow)
    other = _second_action_scored(shadow, government="ongoing", monitor="not_implemented")
    found = action_comparisons(shadow.cycle.plan)
    # A1: completed (2) against not implemented (0): 2 steps. A2: ongoing (1) against 0: 1.
    assert [(c.action.code, c.widest) for c in found] == [("P1.O1.1.A1", 2), (other.code, 1)]
    first = found[0]
    assert first.government.status == "completed" and first.government.period_code == "2025Q1"
    assert first.government.narrative == "All officers trained."
    assert first.widest_words == "Disagree completely"
    assert found[1].widest_words == "Disagree by one step"
    # The second action is scored in 2025Q2: not yet in 2025Q1's accounts.
    assert [c.action.code for c in action_disagreements(shadow.cycle.plan, "2025Q1")] == [
        "P1.O1.1.A1"
    ]


def test_agreement_and_unknown_are_not_disagreements(shadow: Shadow) -> None:
    _second_action_scored(shadow, government="ongoing", monitor="partly")
    by_code = {c.action.code: c for c in action_comparisons(shadow.cycle.plan)}
    assert by_code["P1.O1.1.A2"].widest == 0 and not by_code["P1.O1.1.A2"].disagrees
    assert by_code["P1.O1.1.A2"].widest_words == "Agree"
    cycle = shadow.cycle
    third = FrameworkNode.objects.get(plan=cycle.plan, code="P1.O1.1.A2")
    submission = services.submission_start(
        by=cycle.users["other_monitor"],
        round_=cycle.round,
        organisation=cycle.other_cso,
        area=cycle.plan.area,
        civil_society=True,
    )
    assert services.submission_save(
        by=cycle.users["other_monitor"],
        submission=submission,
        rows=[],
        actions={third.pk: {"assessment": "unknown", "narrative": "No access."}},
    ).ok
    assert services.submission_submit(by=cycle.users["other_monitor"], submission=submission).ok
    gaps = [gap for _m, gap in action_comparisons(cycle.plan, action=third)[0].monitors]
    assert sorted(gaps, key=str) == [0, None]


def test_the_action_page_shows_both_accounts_and_the_gap_in_words(shadow: Shadow) -> None:
    _government_completes(shadow)
    plan = shadow.cycle.plan.code
    page = Client().get(f"/plans/{plan}/actions/P1.O1.1.A1/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "All officers trained." in body and "Nothing was done." in body
    assert "Disagree completely" in body and "Women&#x27;s Network" in body
    listing = Client().get(f"/plans/{plan}/actions/").content.decode()
    assert "On 1 action the two accounts disagree." in listing
    assert Client().get(f"/plans/{plan}/actions/P1.O1/").status_code == 404  # not an action
    assert Client().get(f"/plans/{plan}/actions/NOPE/").status_code == 404


def test_the_divergence_view_ranks_actions_and_downloads_them(shadow: Shadow) -> None:
    _government_completes(shadow)
    url = f"/plans/{shadow.cycle.plan.code}/divergence/?period=2025Q1"
    body = Client().get(url).content.decode()
    assert "Actions where the accounts differ" in body and "Disagree completely" in body
    download = Client().get(url + "&download=csv&table=action_divergences")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][0] == "P1.O1.1.A1"
    assert rows[1][2:] == [
        "Women's Network",
        "Completed",
        "",
        "Not implemented",
        "2",
        "Disagree completely",
    ]


def test_the_action_reads_keep_their_query_count(shadow: Shadow) -> None:
    _government_completes(shadow)
    plan = shadow.cycle.plan.code
    client = Client()
    urls = [
        f"/plans/{plan}/actions/P1.O1.1.A1/",
        f"/plans/{plan}/actions/",
        f"/plans/{plan}/divergence/?period=ALL",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    _second_action_scored(shadow, government="ongoing", monitor="not_implemented")
    assert counts() == before


def test_each_monitor_s_latest_figure_stands_beside_the_government_s(db: None) -> None:
    built = build_plan()
    share = built.indicators[1]
    rows = [
        {
            "indicator": share.code,
            "period": "2024Q1",
            "area": built.country.code,
            "numerator": 34,
            "denominator": 100,
        },
        {
            "indicator": share.code,
            "period": "2024Q1",
            "area": built.country.code,
            "source": "cso-shadow",
            "numerator": 12,
            "denominator": 100,
        },
    ]
    values_ingest(rows=rows, plan=built.plan.code)
    rebuild_plan_aggregates(built.plan)
    publish_release(built.plan)  # what anonymous readers read
    body = Client().get(f"/plans/{built.plan.code}/indicators/{share.code}/").content.decode()
    # 34 % against 12 %: 22 points, said in words (not by colour alone).
    assert "22 points lower than the government&#x27;s" in body
    assert "Each monitor's latest figure beside the government's" in body


def test_evidence_is_shared_only_when_its_authors_chose_so(shadow: Shadow) -> None:
    cycle = shadow.cycle
    monitor = cycle.users["monitor"]
    later = services.round_open(
        by=cycle.users["coordinator"],
        plan=cycle.plan,
        period_code="2025Q3",
        deadline=cycle.round.deadline,
    )
    submission = services.submission_start(
        by=monitor,
        round_=later,
        organisation=cycle.built.cso,
        area=cycle.plan.area,
        civil_society=True,
    )
    assert assess(cycle, submission, cycle.action, "not_implemented", "Still nothing.").ok
    pdf = b"%PDF-1.4 report"
    shared = services.evidence_attach(
        by=monitor,
        submission=submission,
        upload=SimpleUploadedFile("survey.pdf", pdf, "application/pdf"),
        action=cycle.action,
        shared=True,
    )
    testimony = services.evidence_attach(
        by=monitor,
        submission=submission,
        upload=SimpleUploadedFile("testimony.pdf", pdf, "application/pdf"),
        action=cycle.action,
    )
    viewer = Client()
    viewer.force_login(cycle.users["viewer"])
    # Before publication, neither is anyone else's.
    assert viewer.get(f"/evidence/{shared.pk}/").status_code == 404
    assert services.submission_submit(by=monitor, submission=submission).ok
    assert viewer.get(f"/evidence/{shared.pk}/").status_code == 200
    assert Client().get(f"/evidence/{shared.pk}/").status_code in (200, 302)
    for name in ("viewer", "coordinator", "admin"):
        other = Client()
        other.force_login(cycle.users[name])
        assert other.get(f"/evidence/{testimony.pk}/").status_code == 404
    page = viewer.get(f"/plans/{cycle.plan.code}/actions/{cycle.action.code}/").content.decode()
    assert f'href="/evidence/{shared.pk}/"' in page
    assert f'href="/evidence/{testimony.pk}/"' not in page and "testimony.pdf" in page
