"""The donors pages and API on activities imported through the real reader and importer.

The file below is a 3-hop chain in DR Congo (EUR; the plan is in USD with EUR 2024 = 1.10):

| activity      | reporter        | marker            | sector | money                                  |
|---------------|-----------------|-------------------|--------|----------------------------------------|
| XM-DAC-1-D1   | donor (type 10) | 1 significant     | 15170  | disburses 1000 to the INGO's activity   |
| XI-INGO-1-A1  | INGO (type 21)  | 2 principal       | 15220  | books 1000 from D1; disburses 400 to NGO|
| CD-NGO-1-A1   | NGO (type 22)   | none              | 15180  | books 400 from A1; disburses 150 to a   |
|               |                 |                   |        | women's group named without ref         |

Counted once: 1000 + 400 + 150 (not 1000 + 1000 + 400 + 400 + 150); two pairs matched. Paid by
the funder: 1000 EUR = 1100 USD. National and local: 400 EUR = 440 USD, 40 %. Flagged by the
sector rule: D1 (15170, significant) and the NGO's (15180, no marker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from tests.reporting.conftest import Cycle, build_cycle

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.finance.models import ExchangeRate, PlanFinance
from wpsmonitor.iati.importer import WpsFilter, import_files
from wpsmonitor.iati.models import Activity, ActivityLink, Organisation
from wpsmonitor.plans.models import PlanStatus

CHAIN = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="EUR" last-updated-datetime="2024-06-01T00:00:00">
  <iati-identifier>XM-DAC-1-D1</iati-identifier>
  <reporting-org ref="XM-DAC-1" type="10"><narrative>Donor ministry</narrative></reporting-org>
  <title><narrative>Women mediators in Kivu</narrative></title>
  <participating-org role="1" ref="XM-DAC-1" type="10"><narrative>Donor ministry</narrative>
  </participating-org>
  <recipient-country code="CD" percentage="100"/>
  <sector vocabulary="1" code="15170" percentage="100"/>
  <policy-marker vocabulary="1" code="1" significance="1"/>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-01-15"/>
   <value value-date="2024-01-15">1000</value>
   <receiver-org ref="XI-INGO-1" type="21" receiver-activity-id="XI-INGO-1-A1">
    <narrative>International NGO</narrative></receiver-org></transaction>
 </iati-activity>
 <iati-activity default-currency="EUR" last-updated-datetime="2024-06-01T00:00:00">
  <iati-identifier>XI-INGO-1-A1</iati-identifier>
  <reporting-org ref="XI-INGO-1" type="21"><narrative>International NGO</narrative></reporting-org>
  <title><narrative>Peace circles</narrative></title>
  <recipient-country code="CD" percentage="100"/>
  <sector vocabulary="1" code="15220" percentage="100"/>
  <policy-marker vocabulary="1" code="1" significance="2"/>
  <transaction><transaction-type code="1"/><transaction-date iso-date="2024-02-10"/>
   <value value-date="2024-02-10">1000</value>
   <provider-org ref="XM-DAC-1" provider-activity-id="XM-DAC-1-D1" type="10">
    <narrative>Donor ministry</narrative></provider-org></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-03-01"/>
   <value value-date="2024-03-01">400</value>
   <receiver-org ref="CD-NGO-1" type="22"><narrative>National NGO</narrative></receiver-org>
  </transaction>
 </iati-activity>
 <iati-activity default-currency="EUR" last-updated-datetime="2024-06-01T00:00:00">
  <iati-identifier>CD-NGO-1-A1</iati-identifier>
  <reporting-org ref="CD-NGO-1" type="22"><narrative>National NGO</narrative></reporting-org>
  <title><narrative>Survivor support</narrative></title>
  <recipient-country code="CD" percentage="100"/>
  <sector vocabulary="1" code="15180" percentage="100"/>
  <transaction><transaction-type code="1"/><transaction-date iso-date="2024-03-20"/>
   <value value-date="2024-03-20">400</value>
   <provider-org ref="XI-INGO-1" provider-activity-id="XI-INGO-1-A1" type="21">
    <narrative>International NGO</narrative></provider-org></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-04-01"/>
   <value value-date="2024-04-01">150</value>
   <receiver-org><narrative>Women of Goma</narrative></receiver-org></transaction>
 </iati-activity>
</iati-activities>
"""

ELSEWHERE = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="USD">
  <iati-identifier>XM-DAC-2-U1</iati-identifier>
  <reporting-org ref="XM-DAC-2" type="10"><narrative>Other donor</narrative></reporting-org>
  <recipient-country code="UG"/>
  <sector vocabulary="1" code="15220"/>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-01-01"/>
   <value value-date="2024-01-01">999</value>
   <receiver-org ref="UG-NGO-1" type="22"><narrative>Ugandan NGO</narrative></receiver-org>
  </transaction>
 </iati-activity>
</iati-activities>
"""


@dataclass
class Donors:
    cycle: Cycle
    tmp: Path

    @property
    def code(self) -> str:
        return self.cycle.plan.code

    def client(self, role: str | None) -> Client:
        client = Client()
        if role:
            client.force_login(self.cycle.users[role])
        return client

    def headers(self, role: str) -> dict[str, str]:
        _token, raw = ApiToken.issue(user=self.cycle.users[role], name="t")
        return {"Authorization": f"Bearer {raw}"}

    def activity(self, identifier: str) -> Activity:
        return Activity.objects.get(iati_identifier=identifier)


@pytest.fixture
def donors(db: None, tmp_path: Path) -> Donors:
    cycle = build_cycle()
    # The finance part's rate table, read by the flows (written here as its pages would).
    PlanFinance.objects.create(plan=cycle.plan, currency="USD")
    ExchangeRate.objects.create(plan=cycle.plan, currency="EUR", year=2024, rate=Decimal("1.10"))
    chain = tmp_path / "chain.xml"
    chain.write_text(CHAIN, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.xml"
    elsewhere.write_text(ELSEWHERE, encoding="utf-8")
    # The chain without a plan: linked to the plan through its country, automatically.
    import_files(paths=[chain], wps_filter=WpsFilter.build())
    import_files(paths=[elsewhere], wps_filter=WpsFilter.build())
    return Donors(cycle, tmp_path)


def _flows(donors: Donors, role: str = "viewer") -> dict[str, Any]:
    answer = donors.client(None).get(
        f"/api/v1/plans/{donors.code}/donors/flows", headers=donors.headers(role)
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_flows_api_counts_each_payment_once(donors: Donors) -> None:
    data = _flows(donors)
    assert data["country"] == "CD" and data["currency"] == "USD"
    assert data["activities"] == 3  # the Ugandan activity is not the plan's
    assert data["matched"] == 2
    amounts = [
        (f["provider"], f["receiver"], Decimal(f["amount"]), f["hop"]) for f in data["flows"]
    ]
    assert amounts == [
        ("XM-DAC-1", "XI-INGO-1", Decimal(1000), 1),
        ("XI-INGO-1", "CD-NGO-1", Decimal(400), 2),
        ("CD-NGO-1", "name:women of goma", Decimal(150), 3),
    ]
    assert Decimal(data["entered"]["converted"]) == Decimal(1100)
    reached = {r["group"]: r for r in data["reached"]}
    assert Decimal(reached["local"]["total"]["converted"]) == Decimal(440)
    assert reached["local"]["share"] == pytest.approx(0.4)
    assert Decimal(reached["international"]["direct"]["converted"]) == Decimal(1100)
    assert reached["women_led"]["total"]["flows"] == 0  # nobody marked the group yet
    assert data["not_added"] == [] and data["unconverted"] == []


def test_marking_a_women_led_group_counts_its_money(donors: Donors) -> None:
    group = Organisation.objects.get(key="name:women of goma")
    url = f"/api/v1/plans/{donors.code}/donors/organisations/{group.pk}/flags"
    body = {"women_led": True, "grassroots": False}
    # Anonymous: 401; a viewer or a civil-society monitor: 403; nothing changes.
    assert donors.client(None).put(url, body, content_type="application/json").status_code == 401
    for role in ("viewer", "monitor"):
        answer = donors.client(None).put(
            url, body, content_type="application/json", headers=donors.headers(role)
        )
        assert answer.status_code == 403
    group.refresh_from_db()
    assert not group.women_led
    answer = donors.client(None).put(
        url, body, content_type="application/json", headers=donors.headers("coordinator")
    )
    assert answer.status_code == 200 and answer.json()["women_led"] is True
    reached = {r["group"]: r for r in _flows(donors)["reached"]}
    # 150 EUR × 1.10, from a national NGO that is not women-led.
    assert Decimal(reached["women_led"]["through"]["converted"]) == Decimal("165")
    # The national NGO's money already reached the local group: not counted again.
    assert Decimal(reached["local"]["total"]["converted"]) == Decimal(440)


def test_an_organisation_outside_the_plan_cannot_be_marked(donors: Donors) -> None:
    ugandan = Organisation.objects.get(ref="UG-NGO-1")
    answer = donors.client(None).put(
        f"/api/v1/plans/{donors.code}/donors/organisations/{ugandan.pk}/flags",
        {"women_led": True, "grassroots": True},
        content_type="application/json",
        headers=donors.headers("coordinator"),
    )
    assert answer.status_code == 400
    ugandan.refresh_from_db()
    assert not ugandan.women_led


def test_markers_api_flags_15170_and_15180_not_principal(donors: Donors) -> None:
    answer = donors.client(None).get(
        f"/api/v1/plans/{donors.code}/donors/markers", headers=donors.headers("viewer")
    )
    assert answer.status_code == 200
    data = answer.json()
    assert [(f["iati_identifier"], f["state"]) for f in data["flagged"]] == [
        ("XM-DAC-1-D1", "1"),
        ("CD-NGO-1-A1", "none"),
    ]
    assert data["crosstab"]["15220"] == {"2": 1}
    profiles = {p["donor"]: {s["state"]: s for s in p["states"]} for p in data["profiles"]}
    assert Decimal(profiles["XM-DAC-1"]["1"]["converted"]) == Decimal(1100)
    assert Decimal(profiles["XI-INGO-1"]["2"]["by_currency"]["EUR"]) == Decimal(400)
    assert profiles["CD-NGO-1"]["not_screened"]["activities"] == 1


def test_mapping_an_activity_to_pillars_and_actions(donors: Donors) -> None:
    activity = donors.activity("XM-DAC-1-D1")
    url = f"/api/v1/plans/{donors.code}/donors/activities/{activity.pk}/links"
    body = {"links": [{"node": "P1", "share": 60}, {"node": "P2.O1.1.A1", "share": 40}]}
    assert donors.client(None).put(url, body, content_type="application/json").status_code == 401
    for role in ("focal", "monitor", "viewer"):
        denied = donors.client(None).put(
            url, body, content_type="application/json", headers=donors.headers(role)
        )
        assert denied.status_code == 403, role
    # All or nothing: an outcome is neither a pillar nor an action; shares over 100 %.
    for bad in (
        {"links": [{"node": "P1"}, {"node": "P1.O1"}]},
        {"links": [{"node": "P1", "share": 70}, {"node": "P2", "share": 40}]},
        {"links": [{"node": "P1", "share": 0}]},
    ):
        refused = donors.client(None).put(
            url, bad, content_type="application/json", headers=donors.headers("coordinator")
        )
        assert refused.status_code == 400, bad
        assert refused.json()["detail"]
    assert not ActivityLink.objects.exists()
    saved = donors.client(None).put(
        url, body, content_type="application/json", headers=donors.headers("coordinator")
    )
    assert saved.status_code == 200
    assert saved.json()["links"] == [
        {"node": "P1", "share": "60.00"},
        {"node": "P2.O1.1.A1", "share": "40.00"},
    ]
    # The page's table of money by pillar: 1000 EUR × 60 % = 600 EUR = 660 USD for P1.
    page = donors.client("viewer").get(f"/plans/{donors.code}/donors/").content.decode()
    assert "660" in page and "P2.O1.1.A1" in page
    listed = (
        donors.client(None)
        .get(
            f"/api/v1/plans/{donors.code}/donors/activities?mapped=yes",
            headers=donors.headers("viewer"),
        )
        .json()
    )
    assert [a["iati_identifier"] for a in listed["items"]] == ["XM-DAC-1-D1"]


def test_mapping_form_for_coordinators_only(donors: Donors) -> None:
    activity = donors.activity("XI-INGO-1-A1")
    page_url = f"/plans/{donors.code}/donors/activities/{activity.pk}/"
    post_url = f"{page_url}mapping/"
    data = {"nodes": ["P1", "P2"], "share-P1": "25"}
    anonymous = donors.client(None).post(post_url, data)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert donors.client("focal").post(post_url, data).status_code == 403
    assert not ActivityLink.objects.exists()
    viewer_page = donors.client("viewer").get(page_url).content.decode()
    assert 'name="nodes"' not in viewer_page
    coordinator = donors.client("coordinator")
    assert 'name="nodes"' in coordinator.get(page_url).content.decode()
    done = coordinator.post(post_url, data, follow=True)
    assert done.status_code == 200
    links = {link.node.code: link.share for link in ActivityLink.objects.select_related("node")}
    assert links == {"P1": Decimal("25.00"), "P2": None}
    # A bad share is reported and changes nothing.
    shown = coordinator.post(post_url, {"nodes": ["P1"], "share-P1": "lots"}, follow=True)
    assert "share is a percentage" in shown.content.decode()
    assert ActivityLink.objects.count() == 2


def test_organisation_form(donors: Donors) -> None:
    group = Organisation.objects.get(key="name:women of goma")
    url = f"/plans/{donors.code}/donors/organisations/{group.pk}/"
    assert donors.client("viewer").post(url, {"women_led": "on"}).status_code == 403
    page = donors.client("coordinator").post(url, {"grassroots": "on"}, follow=True)
    assert page.status_code == 200
    group.refresh_from_db()
    assert group.grassroots and not group.women_led
    assert "Women of Goma" in page.content.decode()


def test_donors_page_shows_the_picture_and_its_table(donors: Donors) -> None:
    page = donors.client(None).get(f"/plans/{donors.code}/donors/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="iati-sankey"' in html and 'role="img"' in html
    assert '<title id="iati-sankey-title">' in html
    assert 'id="iati-markers"' in html  # the marker profile bars
    for name in ("Donor ministry", "International NGO", "National NGO", "Women of Goma"):
        assert name in html
    assert 'scope="col"' in html
    markers = donors.client(None).get(f"/plans/{donors.code}/donors/markers/").content.decode()
    assert "XM-DAC-1-D1" in markers and "CD-NGO-1-A1" in markers
    assert "XI-INGO-1-A1" not in markers.split("crosstab-title")[0]  # principal: not flagged
    listing = donors.client(None).get(f"/plans/{donors.code}/donors/activities/?state=none")
    assert "CD-NGO-1-A1" in listing.content.decode()
    assert "XM-DAC-1-D1" not in listing.content.decode()
    orgs = donors.client(None).get(f"/plans/{donors.code}/donors/organisations/")
    assert orgs.status_code == 200 and "XI-INGO-1" in orgs.content.decode()
    assert 'name="women_led"' not in orgs.content.decode()  # no form for visitors


def test_draft_plan_is_hidden_from_outsiders(donors: Donors) -> None:
    plan = donors.cycle.plan
    plan.status = PlanStatus.DRAFT
    plan.save()
    activity = donors.activity("XM-DAC-1-D1")
    pages = [
        f"/plans/{donors.code}/donors/",
        f"/plans/{donors.code}/donors/markers/",
        f"/plans/{donors.code}/donors/activities/",
        f"/plans/{donors.code}/donors/activities/{activity.pk}/",
        f"/plans/{donors.code}/donors/organisations/",
    ]
    for url in pages:
        assert donors.client("outsider").get(url).status_code == 404, url
        assert donors.client(None).get(url).status_code == 404, url
        assert donors.client("viewer").get(url).status_code == 200, url
    api = donors.client(None).get(
        f"/api/v1/plans/{donors.code}/donors/flows", headers=donors.headers("outsider")
    )
    assert api.status_code == 404


def test_an_activity_of_another_country_is_not_found(donors: Donors) -> None:
    ugandan = donors.activity("XM-DAC-2-U1")
    page = donors.client("coordinator").get(f"/plans/{donors.code}/donors/activities/{ugandan.pk}/")
    assert page.status_code == 404
    answer = donors.client(None).put(
        f"/api/v1/plans/{donors.code}/donors/activities/{ugandan.pk}/links",
        {"links": [{"node": "P1"}]},
        content_type="application/json",
        headers=donors.headers("coordinator"),
    )
    assert answer.status_code == 404


def test_every_donor_endpoint_is_in_the_schema(db: None) -> None:
    schema = Client().get("/api/v1/schema").json()
    operations = {
        op["operationId"]: op
        for path, item in schema["paths"].items()
        if "/donors" in path
        for op in item.values()
    }
    assert set(operations) == {
        "donor_flows",
        "donor_markers",
        "donor_activities",
        "donor_activity_links",
        "donor_organisation_flags",
    }
    for op_id, op in operations.items():
        assert "content" in op["responses"]["200"], op_id
        assert "404" in op["responses"], op_id


def test_a_missing_rate_is_not_a_zero(donors: Donors) -> None:
    """Issue 12 §6: without a EUR 2024 rate the converted figure is not "0 USD" in bold but
    "not converted: no rate for EUR 2024", with a link to the rates for who may add one;
    the API answers null and the reason."""
    ExchangeRate.objects.filter(plan=donors.cycle.plan).delete()
    page = donors.client("viewer").get(f"/plans/{donors.code}/donors/").content.decode()
    assert "<strong>0 USD</strong>" not in page
    assert "not converted: no rate for EUR 2024" in page
    rates = f"/plans/{donors.code}/finance/rates/"
    assert rates not in page  # a viewer cannot add a rate: no link leading to "Not allowed"
    page = donors.client("coordinator").get(f"/plans/{donors.code}/donors/").content.decode()
    assert f'<a href="{rates}">Add a rate</a>' in page
    entered = _flows(donors)["entered"]
    assert entered["converted"] is None
    assert entered["not_converted"] == "no rate for EUR 2024"


def _svg(html: str, chart_id: str) -> tuple[str, float]:
    found = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert found is not None, chart_id
    width = re.search(r'viewBox="0 0 (\d+) \d+"', found.group(0))
    assert width is not None
    return found.group(0), float(width.group(1))


def test_the_donor_charts_run_right_to_left_in_arabic(donors: Donors) -> None:
    """In Arabic the money flows from the funders on the right, and each donor's marker bar
    starts on the right (docs/languages.md, "Right to left"; as the indicator chart does)."""
    page = donors.client(None).get(f"/plans/{donors.code}/donors/", HTTP_ACCEPT_LANGUAGE="ar")
    html = page.content.decode()
    sankey, width = _svg(html, "iati-sankey")
    assert 'direction="rtl"' in sankey
    # The columns' headings: the funders' the rightmost, each tier further left.
    heads = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="44" font-weight="600">', sankey)]
    assert len(heads) >= 2 and heads == sorted(heads, reverse=True), heads
    # A band leaves its funder on the right and reaches its receiver on its left.
    for x1, x2 in re.findall(r'<path d="M([\d.]+) [\d.]+C[^"]* ([\d.]+) [\d.]+"', sankey):
        assert float(x1) > float(x2)
    # Amounts read left to right inside the Arabic labels.
    assert "\u2066" in sankey.split('<g class="nodes">')[1]

    profile, width = _svg(html, "iati-markers")
    assert 'direction="rtl"' in profile
    # Each donor's bar: its first segment ends at the right-hand edge of the plot.
    rows = profile.split('font-weight="600">')[1:]
    assert rows
    for row in rows:
        first = re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', row)
        assert first is not None
        assert abs(float(first.group(1)) + float(first.group(2)) - (width - 12)) < 0.2, row

    english = donors.client(None).get(f"/plans/{donors.code}/donors/").content.decode()
    sankey, _width = _svg(english, "iati-sankey")
    assert 'direction="ltr"' in sankey
    heads = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="44" font-weight="600">', sankey)]
    assert heads == sorted(heads), heads
