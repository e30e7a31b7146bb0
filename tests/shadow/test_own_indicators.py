"""Civil society's own indicators: defined, edited, published by their organisation only;
drafts invisible outside it; no government figure on them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from tests.reporting.helpers import field, save
from tests.shadow.conftest import Shadow

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.exchange.export import plan_sections, plan_values
from wpsmonitor.indicators.ingest import IngestError, values_ingest
from wpsmonitor.indicators.models import DataValue, Indicator, IndicatorKind, NodeProgress
from wpsmonitor.indicators.selectors import plan_progress
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.reporting import services
from wpsmonitor.reporting.entry import build_sheet


def api(shadow: Shadow, name: str) -> tuple[Client, dict[str, str]]:
    _token, raw = ApiToken.issue(user=shadow.cycle.users[name], name="t")
    return Client(), {"Authorization": f"Bearer {raw}"}


def test_only_the_organisations_sheets_carry_its_indicators(shadow: Shadow) -> None:
    cycle = shadow.cycle
    mine = {b.indicator.code for b in build_sheet(shadow.submission).indicators}
    assert {"CSO-PUB", "CSO-DRAFT"} <= mine  # the draft too: figures are saved before
    other = services.submission_start(
        by=cycle.users["other_monitor"],
        round_=cycle.round,
        organisation=cycle.other_cso,
        area=cycle.plan.area,
        civil_society=True,
    )
    theirs = {b.indicator.code for b in build_sheet(other).indicators}
    assert "IND-GRID" in theirs and not theirs & {"CSO-PUB", "CSO-DRAFT"}
    gov = services.submission_start(
        by=cycle.users["focal"],
        round_=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.province,
    )
    assert not {b.indicator.code for b in build_sheet(gov).indicators} & {"CSO-PUB", "CSO-DRAFT"}
    with pytest.raises(ValidationError, match="own indicator"):
        services.assignment_add(
            by=cycle.users["coordinator"],
            plan=cycle.plan,
            organisation=cycle.built.ministry,
            area=cycle.province,
            indicator=shadow.published,
        )


def test_government_values_on_it_are_refused_by_import_and_api(shadow: Shadow) -> None:
    plan = shadow.cycle.plan
    row = {"indicator": "CSO-PUB", "period": "2025Q1", "area": plan.area.code, "value": "40"}
    with pytest.raises(IngestError) as raised, transaction.atomic():
        values_ingest(rows=[row], plan=plan.code)
    (problem,) = raised.value.problems
    assert problem.column == "source"
    assert "civil-society organisation's own indicator" in problem.message
    client, headers = api(shadow, "coordinator")
    response = client.post(
        f"/api/v1/plans/{plan.code}/values",
        json.dumps([row]),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "source"
    assert DataValue.objects.filter(indicator=shadow.published).count() == 1  # the monitor's 3


def test_no_figure_of_a_draft_indicator_is_published(shadow: Shadow) -> None:
    cycle = shadow.cycle
    monitor = cycle.users["monitor"]
    q2 = services.round_open(
        by=cycle.users["coordinator"],
        plan=cycle.plan,
        period_code="2025Q4",
        deadline=cycle.round.deadline,
    )
    submission = services.submission_start(
        by=monitor,
        round_=q2,
        organisation=cycle.built.cso,
        area=cycle.plan.area,
        civil_society=True,
    )
    assert save(monitor, submission, {field(shadow.draft, "total"): "yes"}).ok  # a draft may
    check = services.submission_submit(by=monitor, submission=submission)
    assert not check.ok
    (problems,) = check.problems.values()
    assert "draft indicator: publish it first" in problems[0].message
    assert not DataValue.objects.filter(indicator=shadow.draft).exists()
    # A values import of the organisation's own stream is refused too.
    with pytest.raises(IngestError, match="not published yet"), transaction.atomic():
        values_ingest(
            rows=[
                {
                    "indicator": "CSO-DRAFT",
                    "period": "2025",
                    "area": cycle.plan.area.code,
                    "source": submission.source.code,
                    "value": "1",
                }
            ],
            plan=cycle.plan.code,
        )
    services.own_indicator_publish(by=monitor, indicator=shadow.draft)
    assert services.submission_submit(by=monitor, submission=submission).ok
    assert DataValue.objects.get(indicator=shadow.draft).value == 1.0


@pytest.mark.parametrize("name", ["coordinator", "admin", "focal", "viewer", "other_monitor"])
def test_no_one_else_edits_publishes_or_deletes_it(shadow: Shadow, name: str) -> None:
    user = shadow.cycle.users[name]
    for indicator in (shadow.published, shadow.draft):
        with pytest.raises(PermissionDenied):
            services.own_indicator_update(by=user, indicator=indicator, title="Changed")
        with pytest.raises(PermissionDenied):
            services.own_indicator_delete(by=user, indicator=indicator)
    with pytest.raises(PermissionDenied):
        services.own_indicator_publish(by=user, indicator=shadow.draft)
    with pytest.raises(PermissionDenied):
        services.own_indicator_create(
            by=user,
            plan=shadow.cycle.plan,
            organisation=shadow.cycle.built.cso,
            node=shadow.published.node,
            code="CSO-X",
            title="Not theirs",
            kind=IndicatorKind.NUMBER,
        )
    assert Indicator.objects.get(pk=shadow.published.pk).title == "Women consulted on the plan"
    assert Indicator.objects.get(pk=shadow.draft.pk).published_at is None


def test_the_monitor_edits_publishes_and_deletes_with_clear_errors(shadow: Shadow) -> None:
    monitor = shadow.cycle.users["monitor"]
    node = FrameworkNode.objects.get(plan=shadow.cycle.plan, code="P1.O1.1.A1")
    updated = services.own_indicator_update(
        by=monitor, indicator=shadow.draft, title="Shelters open at night", node=node
    )
    assert (updated.title, updated.node_id) == ("Shelters open at night", node.pk)
    with pytest.raises(ValidationError, match="cannot be changed once the indicator exists: kind"):
        services.own_indicator_update(by=monitor, indicator=shadow.draft, kind="percentage")
    with pytest.raises(ValidationError, match="needs a title"):
        services.own_indicator_update(by=monitor, indicator=shadow.draft, title=" ")
    with pytest.raises(ValidationError, match="entered by your monitors"):
        services.own_indicator_create(
            by=monitor,
            plan=shadow.cycle.plan,
            organisation=shadow.cycle.built.cso,
            node=node,
            code="CSO-F",
            title="A formula",
            kind=IndicatorKind.FORMULA,
        )
    with pytest.raises(ValidationError, match="already has an indicator"):
        services.own_indicator_create(
            by=monitor,
            plan=shadow.cycle.plan,
            organisation=shadow.cycle.built.cso,
            node=node,
            code="IND-GRID",
            title="Clash",
            kind=IndicatorKind.NUMBER,
        )
    with pytest.raises(ValidationError, match="published indicator cannot be deleted"):
        services.own_indicator_delete(by=monitor, indicator=shadow.published)
    with pytest.raises(ValidationError, match="already published"):
        services.own_indicator_publish(by=monitor, indicator=shadow.published)
    services.own_indicator_delete(by=monitor, indicator=shadow.draft)
    assert not Indicator.objects.filter(code="CSO-DRAFT").exists()


def _reads(shadow: Shadow, name: str) -> dict[str, Any]:
    """What a role gets from every read that lists or shows indicators."""
    plan = shadow.cycle.plan.code
    client = Client()
    headers: dict[str, str] = {}
    if name != "anonymous":
        client.force_login(shadow.cycle.users[name])
        _token, raw = ApiToken.issue(user=shadow.cycle.users[name], name="t")
        headers = {"Authorization": f"Bearer {raw}"}

    def get(url: str) -> Any:
        return client.get("/api/v1" + url, headers=headers)

    pages = {
        "page": client.get(f"/plans/{plan}/indicators/CSO-DRAFT/").status_code,
        "list page": "CSO-DRAFT"
        in client.get(f"/plans/{plan}/civil-society-indicators/").content.decode(),
    }
    if name == "anonymous":
        assert get(f"/plans/{plan}/indicators/CSO-DRAFT").status_code == 401
        return pages  # the API needs a token
    framework = get(f"/plans/{plan}/framework").json()
    listed = get(f"/plans/{plan}/indicators?limit=500")
    assert listed.status_code == 200, listed.content
    return pages | {
        "api get": get(f"/plans/{plan}/indicators/CSO-DRAFT").status_code,
        "api list": "CSO-DRAFT" in [i["code"] for i in listed.json()["items"]],
        "api own list": "CSO-DRAFT"
        in [i["code"] for i in get(f"/plans/{plan}/civil-society-indicators").json()],
        "api values": get(f"/plans/{plan}/values?indicator=CSO-DRAFT").status_code,
        "framework": any("CSO-DRAFT" in n["indicators"] for n in framework["nodes"]),
        "aggregates": get(f"/plans/{plan}/indicators/CSO-DRAFT/aggregates").status_code,
    }


@pytest.mark.parametrize(
    "name",
    ["admin", "coordinator", "focal", "viewer", "other_monitor", "outsider", "anonymous"],
)
def test_a_draft_is_invisible_outside_its_organisation(shadow: Shadow, name: str) -> None:
    hidden = {
        "page": 404,
        "list page": False,
        "api get": 404,
        "api list": False,
        "api own list": False,
        "api values": 400,  # "plan has no such indicator", as for a typo
        "framework": False,
        "aggregates": 404,
    }
    if name == "outsider":
        hidden["api values"] = 403  # stored values are for the plan's members alone
    if name == "anonymous":
        hidden = {"page": 404, "list page": False}
    assert _reads(shadow, name) == hidden


def test_the_organisations_monitor_sees_its_draft_everywhere(shadow: Shadow) -> None:
    assert _reads(shadow, "monitor") == {
        "page": 200,
        "list page": True,
        "api get": 200,
        "api list": True,
        "api own list": True,
        "api values": 200,
        "framework": True,
        "aggregates": 200,
    }


def test_exports_and_plan_counts_leave_civil_society_indicators_out(shadow: Shadow) -> None:
    plan = shadow.cycle.plan
    codes = {row["code"] for row in plan_sections(plan)["indicators"]}
    assert "IND-GRID" in codes and not codes & {"CSO-PUB", "CSO-DRAFT"}
    assert not [row for row in plan_values(plan) if row[1] in ("CSO-PUB", "CSO-DRAFT")]
    progress = plan_progress(plan=plan, period_code="ALL")
    listed = {ip.indicator.code for item in progress.nodes for ip in item.indicators}
    assert "IND-GRID" in listed and not listed & {"CSO-PUB", "CSO-DRAFT"}
    from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates

    rebuild_plan_aggregates(plan)
    # The monitor's only figure is on its own indicator, which the plan's roll-up leaves out:
    # its stream has figures, and no progress row counting them.
    assert DataValue.objects.filter(source=shadow.submission.source).count() == 1
    assert not NodeProgress.objects.filter(plan=plan, source=shadow.submission.source).exists()


def test_the_api_defines_edits_and_publishes(shadow: Shadow) -> None:
    plan = shadow.cycle.plan.code
    client, headers = api(shadow, "monitor")

    def send(method: str, url: str, body: Any = None) -> Any:
        call = getattr(client, method)
        return call(
            f"/api/v1/plans/{plan}/civil-society-indicators{url}",
            json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers=headers,
        )

    created = send(
        "post",
        "",
        {
            "organisation": shadow.cycle.built.cso.code,
            "node": "P1.O1",
            "code": "CSO-API",
            "title": "Women mediators in local peace committees",
            "kind": "percentage",
            "dimensions": ["sex"],
        },
    )
    assert created.status_code == 200, created.json()
    assert created.json()["published_at"] is None and created.json()["dimensions"] == ["sex"]
    bad = send(
        "post",
        "",
        {"organisation": "nope", "node": "P1.O1", "code": "X", "title": "X", "kind": "number"},
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "organisation"
    patched = send("patch", "/CSO-API", {"unit": "%", "title": "Women mediators"})
    assert patched.status_code == 200 and patched.json()["title"] == "Women mediators"
    # Sensitivity (docs/publishing.md): defenders' counts are sensitive; a threshold below 3
    # is refused with its field named.
    assert patched.json()["sensitivity"] == "public"
    low = send("patch", "/CSO-API", {"sensitivity": "sensitive", "disclosure_threshold": 2})
    assert low.status_code == 400 and low.json()["errors"][0]["field"] == "disclosure_threshold"
    marked = send("patch", "/CSO-API", {"sensitivity": "sensitive", "disclosure_threshold": 10})
    assert (marked.json()["sensitivity"], marked.json()["disclosure_threshold"]) == (
        "sensitive",
        10,
    )
    assert send("post", "/CSO-API/publish").json()["published_at"] is not None
    assert send("delete", "/CSO-API").status_code == 400  # published: it stays

    coordinator, gov_headers = api(shadow, "coordinator")
    for method, url in (
        ("patch", "/CSO-DRAFT"),
        ("post", "/CSO-DRAFT/publish"),
        ("delete", "/CSO-DRAFT"),
    ):
        response = getattr(coordinator, method)(
            f"/api/v1/plans/{plan}/civil-society-indicators{url}",
            json.dumps({"title": "x"}),
            content_type="application/json",
            headers=gov_headers,
        )
        assert response.status_code == 404  # a draft: not even its existence
    response = coordinator.patch(
        f"/api/v1/plans/{plan}/civil-society-indicators/CSO-PUB",
        json.dumps({"title": "x"}),
        content_type="application/json",
        headers=gov_headers,
    )
    assert response.status_code == 403


def test_the_pages_define_edit_and_publish(shadow: Shadow) -> None:
    plan = shadow.cycle.plan.code
    client = Client()
    client.force_login(shadow.cycle.users["monitor"])
    form = client.get(f"/plans/{plan}/civil-society-indicators/new/")
    assert form.status_code == 200
    refused = client.post(
        f"/plans/{plan}/civil-society-indicators/new/",
        {
            "organisation": shadow.cycle.built.cso.code,
            "node": "P1.O1",
            "code": "",
            "title": "T",
            "kind": "number",
        },
    )
    assert refused.status_code == 400 and "An indicator needs a code." in refused.content.decode()
    created = client.post(
        f"/plans/{plan}/civil-society-indicators/new/",
        {
            "organisation": shadow.cycle.built.cso.code,
            "node": "P1.O1",
            "code": "CSO-PAGE",
            "title": "Women in ceasefire talks",
            "kind": "number",
            "frequency": "year",
            "direction": "increase",
        },
    )
    assert created.status_code == 302
    edit = f"/plans/{plan}/civil-society-indicators/CSO-PAGE/edit/"
    # Publishing asks first (issue 12 §6): one POST without confirmation publishes nothing.
    asked = client.post(edit, {"do": "publish"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "What will become public" in page and "No definition." in page
    assert "Publishing cannot be undone" in page
    assert Indicator.objects.get(code="CSO-PAGE").published_at is None
    assert client.post(edit, {"do": "publish", "confirm": "yes"}).status_code == 302
    assert Indicator.objects.get(code="CSO-PAGE").published_at is not None
    coordinator = Client()
    coordinator.force_login(shadow.cycle.users["coordinator"])
    assert coordinator.get(edit).status_code == 403  # published: seen, not theirs
    assert (
        coordinator.get(f"/plans/{plan}/civil-society-indicators/CSO-DRAFT/edit/").status_code
        == 404
    )
    assert coordinator.get(f"/plans/{plan}/civil-society-indicators/new/").status_code == 403


def test_deleting_a_draft_indicator_asks_first(shadow: Shadow) -> None:
    plan = shadow.cycle.plan.code
    client = Client()
    client.force_login(shadow.cycle.users["monitor"])
    edit = f"/plans/{plan}/civil-society-indicators/CSO-DRAFT/edit/"
    asked = client.post(edit, {"do": "delete"})
    assert asked.status_code == 200 and "Deleting cannot be undone." in asked.content.decode()
    assert Indicator.objects.filter(code="CSO-DRAFT").exists()
    assert client.post(edit, {"do": "delete", "confirm": "yes"}).status_code == 302
    assert not Indicator.objects.filter(code="CSO-DRAFT").exists()


def test_an_edit_in_another_language_writes_the_plans_original_language(shadow: Shadow) -> None:
    """A monitor reading the site in Spanish edits the text of the plan's original language
    (issue 15, part 2), not a Spanish text beside it."""
    from django.utils import translation

    plan = shadow.cycle.plan
    monitor = shadow.cycle.users["monitor"]
    with translation.override("es"):
        created = services.own_indicator_create(
            by=monitor,
            plan=plan,
            organisation=shadow.cycle.built.cso,
            node=FrameworkNode.objects.get(plan=plan, code="P1.O1"),
            code="CSO-LANG",
            title="Refuges ouverts",
            kind="number",
            unit="refuges",
            frequency="quarter",
        )
        services.own_indicator_update(
            by=monitor, indicator=created, title="Shelters open", definition="Open at night"
        )
    created.refresh_from_db()
    original = plan.original_language
    assert getattr(created, f"title_{original}") == "Shelters open"
    assert getattr(created, f"definition_{original}") == "Open at night"
    assert getattr(created, f"unit_{original}") == "refuges"
    if original != "es":
        assert not created.title_es and not created.definition_es


def test_the_api_carries_an_own_indicators_texts_in_every_language(shadow: Shadow) -> None:
    """POST and PATCH accept `translations` (languages other than the original); every answer
    returns them (issue 15, part 2). Unknown fields or languages are a 400 naming them."""
    plan = shadow.cycle.plan
    client, headers = api(shadow, "monitor")
    original = plan.original_language
    other = "es" if original != "es" else "fr"

    def send(method: str, url: str, body: Any) -> Any:
        return getattr(client, method)(
            f"/api/v1/plans/{plan.code}/civil-society-indicators{url}",
            json.dumps(body),
            content_type="application/json",
            headers=headers,
        )

    created = send(
        "post",
        "",
        {
            "organisation": shadow.cycle.built.cso.code,
            "node": "P1.O1",
            "code": "CSO-TR",
            "title": "Women mediators",
            "kind": "number",
            "translations": {"title": {other: "Mediadoras"}},
        },
    )
    assert created.status_code == 200, created.json()
    texts = created.json()["translations"]
    assert texts["title"][original] == "Women mediators"
    assert texts["title"][other] == "Mediadoras"
    assert set(texts) == {"title", "definition", "unit", "means_of_verification"}

    changed = send(
        "patch",
        "/CSO-TR",
        {"unit": "women", "translations": {"unit": {other: "mujeres"}, "title": {other: ""}}},
    )
    assert changed.status_code == 200, changed.json()
    texts = changed.json()["translations"]
    assert (texts["unit"][original], texts["unit"][other]) == ("women", "mujeres")
    assert texts["title"][other] is None  # an empty text removes it

    for body, message in (
        ({"translations": {"title": {"de": "Mediatorinnen"}}}, "'de' is not one of"),
        ({"translations": {"kind": {other: "número"}}}, "'kind' has no texts in several"),
        ({"translations": {"title": {original: "Other"}}}, "original language"),
    ):
        refused = send("patch", "/CSO-TR", body)
        assert refused.status_code == 400, refused.json()
        assert message in json.dumps(refused.json(), ensure_ascii=False)
    stored = Indicator.objects.get(plan=plan, code="CSO-TR")
    assert getattr(stored, f"title_{original}") == "Women mediators"
