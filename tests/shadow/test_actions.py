"""Civil society scores actions on its own sheets; the government keeps status and percent."""

from __future__ import annotations

import json

from django.test import Client
from tests.reporting.conftest import Cycle
from tests.reporting.helpers import save
from tests.shadow.conftest import Shadow, assess

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.indicators.models import SourceKind
from wpsmonitor.reporting import services
from wpsmonitor.reporting.entry import build_sheet
from wpsmonitor.reporting.models import ActionProgress, ActionReport


def _cs_draft(cycle: Cycle):  # type: ignore[no-untyped-def]
    return services.submission_start(
        by=cycle.users["monitor"],
        round_=cycle.round,
        organisation=cycle.built.cso,
        area=cycle.plan.area,
        civil_society=True,
    )


def test_a_monitor_scores_an_action_and_publishing_copies_the_score(cycle: Cycle) -> None:
    before = cycle.action.status
    submission = _cs_draft(cycle)
    sheet = build_sheet(submission)
    assert sheet.civil_society
    # Every action of the plan is on a monitor's sheet, assigned or not.
    assert cycle.action.pk in {a.action.pk for a in sheet.actions}
    assert assess(cycle, submission, cycle.action, "partly", "Two of five trainings held.").ok
    report = ActionReport.objects.get(submission=submission, action=cycle.action)
    assert (report.assessment, report.status, report.percent_complete) == ("partly", "", None)
    assert services.submission_submit(by=cycle.users["monitor"], submission=submission).ok
    progress = ActionProgress.objects.get(action=cycle.action, source=submission.source)
    assert progress.source.kind == SourceKind.CIVIL_SOCIETY
    assert (progress.assessment, progress.narrative) == ("partly", "Two of five trainings held.")
    # The action's own status stays the government's.
    cycle.action.refresh_from_db()
    assert cycle.action.status == before


def test_an_unknown_assessment_is_a_clear_error_next_to_the_field(cycle: Cycle) -> None:
    submission = _cs_draft(cycle)
    result = assess(cycle, submission, cycle.action, "done", "")
    assert not result.ok
    (message,) = result.action_problems[cycle.action.pk]
    assert message == (
        "Choose an assessment from the list: Implemented, Partly implemented, Not implemented, "
        "Unknown."
    )
    assert not ActionReport.objects.filter(submission=submission).exists()
    # The page shows it beside the select, which points to it.
    client = Client()
    client.force_login(cycle.users["monitor"])
    response = client.post(
        f"/submissions/{submission.pk}/edit/", {f"aa-{cycle.action.pk}": "done", "do": "save"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="err-a-{cycle.action.pk}">Choose an assessment from the list' in html
    assert f'aria-describedby="err-a-{cycle.action.pk}"' in html


def test_a_status_on_a_monitor_sheet_is_refused(cycle: Cycle) -> None:
    submission = _cs_draft(cycle)
    result = services.submission_save(
        by=cycle.users["monitor"],
        submission=submission,
        rows=[],
        actions={cycle.action.pk: {"status": "completed", "narrative": ""}},
    )
    assert result.action_problems[cycle.action.pk] == [
        "Civil society scores an action with an assessment, not a status or percentage."
    ]


def test_government_sheets_keep_status_and_percent(cycle: Cycle) -> None:
    focal = cycle.users["focal"]
    draft = services.submission_start(
        by=focal, round_=cycle.round, organisation=cycle.built.ministry, area=cycle.province
    )
    assert not build_sheet(draft).civil_society
    assert save(
        focal, draft, {f"as-{cycle.action.pk}": "ongoing", f"ap-{cycle.action.pk}": "40"}
    ).ok
    refused = services.submission_save(
        by=focal,
        submission=draft,
        rows=[],
        actions={cycle.action.pk: {"assessment": "implemented"}},
    )
    assert refused.action_problems[cycle.action.pk] == [
        "Government reports give a status, not a civil-society assessment."
    ]
    report = ActionReport.objects.get(submission=draft)
    assert (report.status, report.percent_complete, report.assessment) == ("ongoing", 40, "")


def test_the_api_scores_actions_and_names_the_bad_field(cycle: Cycle) -> None:
    submission = _cs_draft(cycle)
    _token, raw = ApiToken.issue(user=cycle.users["monitor"], name="t")
    client, headers = Client(), {"Authorization": f"Bearer {raw}"}

    def put(actions: list[dict[str, object]]):  # type: ignore[no-untyped-def]
        return client.put(
            f"/api/v1/submissions/{submission.pk}/figures",
            json.dumps({"actions": actions}),
            content_type="application/json",
            headers=headers,
        )

    bad = put([{"action": cycle.action.code, "assessment": "maybe"}])
    assert bad.status_code == 400
    assert bad.json()["errors"] == [
        {
            "row": 0,
            "field": "assessment",
            "message": f"{cycle.action.code}: Choose an assessment from the list: Implemented, "
            "Partly implemented, Not implemented, Unknown.",
        }
    ]
    status = put([{"action": cycle.action.code, "status": "completed"}])
    assert status.status_code == 400
    assert status.json()["errors"][0]["field"] == "status"
    assert not ActionReport.objects.filter(submission=submission).exists()
    ok = put([{"action": cycle.action.code, "assessment": "implemented", "narrative": "Seen."}])
    assert ok.status_code == 200, ok.json()
    assert ok.json()["actions"] == [
        {
            "action": cycle.action.code,
            "status": "",
            "percent_complete": "",
            "assessment": "implemented",
            "narrative": "Seen.",
        }
    ]


def test_the_score_is_the_monitors_alone(shadow: Shadow) -> None:
    """No government role changes a published score: they cannot edit the submission."""
    cycle = shadow.cycle
    for name in ("coordinator", "admin", "focal"):
        client = Client()
        client.force_login(cycle.users[name])
        response = client.post(
            f"/submissions/{shadow.submission.pk}/edit/",
            {f"aa-{cycle.action.pk}": "implemented", "do": "save"},
        )
        assert response.status_code == 404  # they cannot even see the submission
    progress = ActionProgress.objects.get(action=cycle.action, source=shadow.submission.source)
    assert progress.assessment == "not_implemented"
