"""The public homes of a plan and of its country in a real browser, as an anonymous reader at a
phone's width (360 px): without JavaScript they show the release's figures, "fewer than 5" for a
suppressed one, the map (a link per province) and its table, and never scroll sideways; with it,
axe-core finds no WCAG 2.2 A/AA violation.

Run: pytest tests/browser/test_public_portal.py (needs /usr/bin/chromium).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from tests.aggregation.conftest import CSO, World
from tests.browser.conftest import Site, needs_chromium
from tests.reporting.conftest import PASSWORD, Cycle

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.vocabulary import PlanStatus, Sensitivity
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Indicator, Source, SourceKind
from wpsmonitor.indicators.services import reference_data_ensure
from wpsmonitor.plans.models import PlanKind
from wpsmonitor.plans.services import node_create, plan_create
from wpsmonitor.publishing import services

pytestmark = [pytest.mark.browser, needs_chromium]

PLAN = "nap-public"
PHONE = {"width": 360, "height": 800}


def _published_plan() -> World:
    """A plan of the DR Congo over three provinces the shipped boundaries know, with a public
    count, a sensitive one (3 cases in Sud-Kivu: "fewer than 5"), civil society's account, and a
    published release."""
    reference_data_ensure()
    country = area_country_ensure("COD")
    areas = {"N": country}
    for code in ("CD-KN", "CD-NK", "CD-SK"):
        areas[code] = area_subdivision_ensure(parent=country, code=code)
    plan = plan_create(
        code=PLAN,
        title="Public test plan",
        kind=PlanKind.NATIONAL,
        area=country,
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
    )
    plan.status = PlanStatus.IMPLEMENTATION
    plan.save(update_fields=["status"])
    pillar = node_create(plan=plan, code="PR", title="Protection")
    outcome = node_create(plan=plan, code="O1", title="Survivors are cared for", parent=pillar)
    cso, _created = Source.objects.get_or_create(
        code=CSO, defaults={"kind": SourceKind.CIVIL_SOCIETY, "name": "Women's watch"}
    )
    world = World(
        plan=plan,
        areas=areas,
        pillars={"PR": pillar},
        outcomes={"O1": outcome},
        sources={GOVERNMENT_SOURCE: Source.objects.get(code=GOVERNMENT_SOURCE), CSO: cso},
    )
    cases = world.indicator("PRO-02", unit="cases", sensitivity=Sensitivity.SENSITIVE)
    meetings = world.indicator("PA-01", unit="meetings")
    # A long title, as real plans have: the map's indicator menu must not widen the page.
    Indicator.objects.filter(pk=meetings.pk).update(
        title="Meetings of the provincial steering committees with women's organisations "
        "and the representatives of displaced women, held and minuted"
    )
    for code, value in (("CD-KN", 12), ("CD-NK", 30), ("CD-SK", 3)):
        world.value(cases, "2025Q1", code, value)
        world.value(cases, "2025Q1", code, value + 2, source=CSO)
        world.value(meetings, "2025Q1", code, 4)
    world.rebuild()
    coordinator = get_user_model().objects.create_user(
        username="public-coord", email="public-coord@example.org", password=PASSWORD
    )
    PlanRole.objects.create(user=coordinator, plan=plan, role=Role.COORDINATOR)
    release = services.release_prepare(by=coordinator, plan=plan)
    services.release_publish(by=coordinator, release=release, confirm=True)
    return world


def _no_sideways_scroll(page: Page, what: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.clientWidth, document.documentElement.scrollWidth]"
    )
    assert widths[1] <= widths[0], f"{what} scrolls sideways: {widths}"


def test_the_public_homes_at_phone_width_without_javascript(
    site: Site, browser_cycle: Cycle
) -> None:
    _published_plan()
    plan_url = f"/plans/{PLAN}/public/?indicator=PRO-02"
    country_url = "/countries/COD/?indicator=PRO-02"

    page = site.context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(site.url(plan_url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Public test plan")
    expect(page.get_by_text("Figures from release 1")).to_be_visible()
    south = page.locator("#map-area-CD-SK")
    expect(south).to_contain_text("fewer than 5")
    links = page.locator("svg.map a")
    expect(links).to_have_count(3)
    expect(page.locator('svg.map a[aria-label^="Sud-Kivu: fewer than 5"]')).to_have_count(1)
    expect(page.get_by_text("Suppressed: fewer than 5")).to_be_visible()
    # Another indicator through the GET form, without a script.
    page.get_by_label("Indicator on the map").select_option("PA-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    expect(page.locator("#map-area-CD-SK")).to_contain_text("4")
    _no_sideways_scroll(page, "plan public home without JavaScript")
    site.screenshot(page, "plan-public-360-no-js")

    page.goto(site.url(country_url))
    expect(page.get_by_role("link", name="Public test plan", exact=True)).to_be_visible()
    expect(page.locator("#map-area-CD-SK")).to_contain_text("fewer than 5")
    site.screenshot(page, "country-360-no-js")

    checked = site.context(viewport=PHONE).new_page()
    for name, url in (("plan public home", plan_url), ("country home", country_url)):
        checked.goto(site.url(url))
        _no_sideways_scroll(checked, name)
        site.check_accessibility(checked, f"{name} at 360 px")
        # Each province of the map is a link a keyboard reaches, named by its figure.
        first = checked.locator("svg.map a").first
        first.focus()
        expect(first).to_be_focused()
        expect(first).to_have_attribute("aria-label", re.compile(r"^[^:]+: .+"))
    site.assert_accessible()
