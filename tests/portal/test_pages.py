"""The plan overview and indicator pages show the right figures for the chosen filters.

Figures of the fixture (conftest.add_values), checked by hand:
- IND-1-1-N (number by sex, SUM): province p, quarter q: F = 10·p·q, M = 5·p·q.
  2024Q1: P1 15, P2 30 → national 45. 2024Q2: 30 + 60 = 90. Whole plan: 135 (F 90, M 45).
  Baseline 20, target 200 → achievement (135 − 20) / (200 − 20) = 0.639 → "64%".
- IND-1-1-P (percentage, LAST): province p, quarter q: (2p + q) / 20.
  Latest quarter 2024Q2: (4 + 6) / (20 + 20) = 25.0 %.
- Shadow report on IND-1-1-N, Province 1 only: F 7 + M 3 = 10 a quarter, 20 in all.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.services import indicator_create

from .conftest import BuiltPlan

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """The visible text, tags removed and spaces squeezed, for readable assertions."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def test_plan_overview_shows_progress_tree_and_actions(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    text = text_of(client.get("/plans/nap-3/", {"period": "2024"}).content.decode())
    assert "IND-1-1-N Women trained 1.1 135 people 20 people 200 people 64%" in text
    assert "IND-1-1-P Share of women police 1.1 25.0% – – –" in text
    # Each pillar: one of two indicators has a target, so one measured.
    assert "P1 Pillar 1 Pillar Achievement: 64% 1 of 2 indicators measured" in text
    assert "Indicators measured 2 of 4" in text
    # Actions: statuses cycle by (p + o + a) % 4 over not_started, ongoing, completed, cancelled.
    assert "P1.O1.1.A1 Action 1.1.1 Action Cancelled" in text
    assert "P2.O1.1.A2 Action 2.1.2 Action Ongoing" in text
    assert "All actions 4 0 1 2 1" in text
    assert "Actions by responsible organisation" in text and "MoG 4" in text
    # Anonymous readers read the published release, and are told so.
    assert "Published figures: release 1 of" in text
    assert "Figures last computed on" not in text


def test_plan_overview_tells_those_who_see_the_detail_when_it_was_computed(
    detail_client: Client, plan_with_values: BuiltPlan
) -> None:
    text = text_of(detail_client.get("/plans/nap-3/", {"period": "2024"}).content.decode())
    assert "IND-1-1-N Women trained 1.1 135 people 20 people 200 people 64%" in text
    assert "before disclosure control: they are not public. The public reads release 1." in text
    assert "Figures last computed on" in text


def test_plan_overview_progress_bar_comes_with_text(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    html = client.get("/plans/nap-3/", {"period": "2024"}).content.decode()
    assert (
        '<svg class="bar" aria-hidden="true" focusable="false" viewBox="0 0 100 10" '
        'preserveAspectRatio="none"><rect width="64" height="10" fill="#2f6f3e"/></svg>'
        "<span>64%</span>" in html
    )


def test_plan_overview_filters_by_period_area_and_source(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    q1 = text_of(client.get("/plans/nap-3/", {"period": "2024Q1"}).content.decode())
    assert "IND-1-1-N Women trained 1.1 45 people" in q1
    assert "2024Q1 · Democratic Republic of the Congo" in q1

    province = plan_with_values.provinces[1].code
    p2 = text_of(client.get("/plans/nap-3/", {"area": province}).content.decode())
    assert "IND-1-1-N Women trained 1.1 90 people" in p2
    assert "Whole plan to date · Province 2 · Government (official)" in p2

    shadow = text_of(client.get("/plans/nap-3/", {"source": "cso-shadow"}).content.decode())
    assert "IND-1-1-N Women trained 1.1 20 people" in shadow
    assert "Shadow report" in shadow


def test_filter_offers_whole_plan_years_and_quarters_with_data(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    html = client.get("/plans/nap-3/").content.decode()
    options = re.findall(r'<option value="([^"]*)"', html)
    periods = options[options.index("ALL") : options.index("ALL") + 4]
    assert periods == ["ALL", "2024", "2024Q1", "2024Q2"]
    assert "2024S1" not in options
    assert options.count("gov") == 1 and "cso-shadow" in options
    for field in ("period", "area", "source"):
        assert f'<label for="id_{field}">' in html


def test_bad_filter_values_fall_back_to_defaults_with_a_message(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    response = client.get("/plans/nap-3/", {"period": "1999Q9", "area": "XXX", "source": "nope"})
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert text.count("Showing the default instead.") == 3
    assert "IND-1-1-N Women trained 1.1 135 people" in text


def test_an_area_outside_the_plan_is_refused(client: Client, plan_with_values: BuiltPlan) -> None:
    from .conftest import build_plan

    other = build_plan(code="nap-lbr", country_code="LBR")
    response = client.get("/plans/nap-3/", {"area": other.country.code})
    assert "Showing the default instead." in response.content.decode()


def test_plan_without_aggregates_says_so(
    client: Client, detail_client: Client, small_plan: BuiltPlan
) -> None:
    text = text_of(detail_client.get("/plans/nap-3/").content.decode())
    assert "Figures have not been computed yet" in text
    assert "Achievement of the plan not measured" in text
    assert "The public sees no figures yet: no release is published." in text
    anonymous = text_of(client.get("/plans/nap-3/").content.decode())
    assert "No figures published yet." in anonymous
    assert "Achievement of the plan not measured" in anonymous


def test_indicator_page_shows_definition_series_crosstab_areas_and_sources(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    response = client.get("/plans/nap-3/indicators/IND-1-1-N/", {"period": "2024"})
    assert response.status_code == 200
    text = text_of(response.content.decode())
    for expected in (
        "Definition Number of women trained in mediation",
        "Kind Number",
        "Unit people",
        "Desired direction Higher is better",
        "Rule over time Sum over time",
        "Frequency Quarterly",
        "Responsible organisation Ministry of Gender",
        "Baseline 20 people",
        "Target 200 people",
        # values over time
        "2024Q1 45 people – – 4",
        "2024Q2 90 people – – 4",
        # derived margins and total
        "Female 90 people",
        "Male 45 people",
        "Total 135 people 200 people 64%",
        # by area
        "Province 1 45 people",
        "Province 2 90 people",
        # side by side
        "Period Government (official) Shadow report",
        "2024Q1 45 people 10 people",
        "Whole plan to date 135 people 20 people",
    ):
        assert expected in text, expected
    assert 'class="chart" id="series-chart" role="img"' in response.content.decode()


def test_indicator_page_for_a_chosen_period_and_area(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    province = plan_with_values.provinces[0].code
    text = text_of(
        client.get(
            "/plans/nap-3/indicators/IND-1-1-N/", {"period": "2024Q2", "area": province}
        ).content.decode()
    )
    # Province 1, 2024Q2: F 20, M 10.
    assert "Female 20 people" in text and "Male 10 people" in text
    assert "Total 30 people" in text
    assert "Province 1 has no areas below it." in text


def test_percentage_indicator_shows_numerator_and_denominator(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    text = text_of(client.get("/plans/nap-3/indicators/IND-1-1-P/").content.decode())
    assert "Value 25.0% (10 / 40)" in text
    assert "This indicator is not disaggregated." in text
    # No civil-society figures for it: no side-by-side table.
    assert "Government and civil-society figures" not in text


def test_unknown_indicator_is_404(client: Client, plan_with_values: BuiltPlan) -> None:
    assert client.get("/plans/nap-3/indicators/NOPE/").status_code == 404
    assert client.get("/plans/nope/indicators/IND-1-1-N/").status_code == 404


def test_an_indicator_of_another_plan_is_404(client: Client, plan_with_values: BuiltPlan) -> None:
    from .conftest import build_plan

    other = build_plan(code="nap-lbr", country_code="LBR")
    indicator_create(
        plan=other.plan,
        node="P1.O1",
        code="ONLY-LBR",
        title="Liberia only",
        kind="number",
        time_rule="sum",
    )
    assert client.get("/plans/nap-lbr/indicators/ONLY-LBR/").status_code == 200
    assert client.get("/plans/nap-3/indicators/ONLY-LBR/").status_code == 404


def test_indicator_of_a_draft_plan_is_hidden(client: Client) -> None:
    from .conftest import build_plan

    build_plan(code="nap-draft", status="draft")
    assert client.get("/plans/nap-draft/indicators/IND-1-1-N/").status_code == 404
    assert client.get("/plans/nap-draft/areas/").status_code == 404


def test_pages_refuse_post(client: Client, plan_with_values: BuiltPlan) -> None:
    assert client.post("/plans/nap-3/").status_code == 405


def test_area_list_links_to_the_plan_for_each_area(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    html = client.get("/plans/nap-3/areas/").content.decode()
    for area in [plan_with_values.country, *plan_with_values.provinces]:
        assert f'href="/plans/nap-3/?area={area.code}"' in html


def test_numbers_follow_the_active_language(client: Client, plan_with_values: BuiltPlan) -> None:
    client.cookies["django_language"] = "fr"
    html = client.get("/plans/nap-3/indicators/IND-1-1-P/").content.decode()
    assert 'lang="fr"' in html
    assert "25,0" in html  # French decimal comma


def test_two_way_crosstab_on_request_with_derived_margins(
    detail_client: Client, small_plan: BuiltPlan
) -> None:
    client = detail_client  # the full cells are the detail's (a release holds margins only)
    indicator_create(
        plan=small_plan.plan,
        node="P1.O1",
        code="SA",
        title="Mediators by sex and age",
        kind="number",
        time_rule="sum",
        scheme=["sex", "age"],
    )
    province = small_plan.provinces[0].code
    rows = [
        {"indicator": "SA", "period": "2024Q1", "area": province, "cell": cell, "value": value}
        for cell, value in (
            ("sex=F;age=18-29", 4),
            ("sex=F;age=30-59", 6),
            ("sex=M;age=18-29", 1),
            ("sex=M;age=60+", 2),
        )
    ]
    values_ingest(rows=rows, plan="nap-3")
    rebuild_plan_aggregates(small_plan.plan)

    default = text_of(client.get("/plans/nap-3/indicators/SA/").content.decode())
    # Margins by sex and by age, from the aggregate table: F 10, M 3; 18-29 5; total 13.
    assert "Female 10" in default and "Male 3" in default
    assert "18-29 5" in default and "60+ 2" in default and "Total 13" in default
    assert "Show every combination of the disaggregation" in default

    full = text_of(client.get("/plans/nap-3/indicators/SA/", {"cells": "on"}).content.decode())
    # Rows sex, columns age (0-17, 18-29, 30-59, 60+), row totals, column totals, grand total.
    assert "Female – 4 6 – 10" in full
    assert "Male – 1 – 2 3" in full
    assert "Total – 5 6 2 13" in full
