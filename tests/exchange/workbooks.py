"""Build small plan workbooks in tests with openpyxl, sheet by sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from wpsmonitor.exchange import formats as f

PLAN = {
    "code": "ken-nap-3",
    "title": "Kenya National Action Plan III",
    "kind": "national",
    "area": "KE",
    "generation": 3,
    "start": "2023-01-01",
    "end": "2026-12-31",
    "status": "implementation",
    "lead_organisation": "moga",
    "languages": "en;sw",
}

SHEETS: dict[str, list[dict[str, Any]]] = {
    "Organisations": [
        {"code": "moga", "name": "Ministry of Gender", "type": "government", "country": "KEN"},
        {"code": "police", "name": "National Police Service", "type": "security"},
        {
            "code": "wcso",
            "name": "Women's Peace Network",
            "type": "civil_society",
            "women_led": "yes",
            "grassroots": "yes",
        },
    ],
    "Areas": [
        {"code": "KE-30", "name": "Nairobi", "parent": "KE"},
        {"code": "KE-30-01", "name": "Westlands", "parent": "KE-30", "level": 3},
        {"code": "KE-28", "name": "Mombasa", "parent": "KEN"},
    ],
    "Framework": [
        {
            "code": "P1",
            "level": "pillar",
            "title": "Participation",
            "pillar_theme": "participation",
        },
        {"code": "P1.O1", "parent": "P1", "level": "outcome", "title": "More women lead"},
        {"code": "P1.O1.1", "parent": "P1.O1", "level": "output", "title": "Women trained"},
        {
            "code": "A1",
            "parent": "P1.O1.1",
            "level": "action",
            "title": "Train women candidates",
            "responsible_organisation": "moga",
            "partner_organisations": "wcso;police",
            "planned_start": "2023-03-01",
            "planned_end": "2024-06-30",
            "status": "ongoing",
            "percent_complete": 40,
        },
    ],
    "Dimensions": [
        {
            "dimension": "displacement",
            "dimension_name": "Displacement",
            "option": "idp",
            "option_name": "Internally displaced",
        },
        {"dimension": "displacement", "option": "host", "option_name": "Host community"},
    ],
    "Sources": [
        {
            "code": "wpn",
            "name": "Women's Peace Network shadow report",
            "kind": "civil_society",
            "organisation": "wcso",
        },
    ],
    "Indicators": [
        {
            "code": "IND1",
            "node": "P1.O1.1",
            "title": "Women trained",
            "kind": "number",
            "unit": "people",
            "time_rule": "sum",
            "disaggregation": "sex;displacement",
            "frequency": "quarter",
            "responsible_organisation": "moga",
        },
        {
            "code": "IND2",
            "node": "P1.O1",
            "title": "Share of police officers who are women",
            "kind": "percentage",
            "time_rule": "last",
            "disaggregation": "",
            "frequency": "year",
            "factor": 100,
        },
        {
            "code": "IND3",
            "node": "P1",
            "title": "Gender law adopted",
            "kind": "milestone",
            "time_rule": "last",
            "frequency": "quarter",
            "scale_labels": "drafted | tabled | adopted",
        },
        {
            "code": "IND4",
            "node": "P1.O1.1",
            "title": "Women's share of people trained",
            "kind": "share",
            "time_rule": "last",
            "frequency": "quarter",
            "share_of": "IND1",
            "share_option": "sex=F",
        },
        {
            "code": "IND5",
            "node": "P1",
            "title": "Laws adopted",
            "kind": "list",
            "time_rule": "sum",
            "frequency": "year",
        },
        {
            "code": "IND6",
            "node": "P1",
            "title": "Story of change",
            "kind": "narrative",
            "time_rule": "none",
            "frequency": "quarter",
        },
    ],
    "Baselines": [
        {"indicator": "IND2", "period": "2022", "area": "KEN", "numerator": 12, "denominator": 100},
    ],
    "Targets": [
        {"indicator": "IND2", "period": "2026", "area": "KEN", "numerator": 30, "denominator": 100},
        {
            "indicator": "IND1",
            "period": "2026Q4",
            "area": "KEN",
            "cell": "sex=F;displacement=idp",
            "value": 500,
        },
    ],
    "Values": [
        {
            "indicator": "IND1",
            "period": "2023Q1",
            "area": "KE-30",
            "cell": "sex=F;displacement=idp",
            "value": 10,
        },
        {
            "indicator": "IND1",
            "period": "2023Q1",
            "area": "KE-30",
            "cell": "displacement=host;sex=M",
            "value": 7,
        },
        {
            "indicator": "IND1",
            "period": "2023Q1",
            "area": "KE-30",
            "cell": "sex=F;displacement=idp",
            "source": "wpn",
            "value": 14,
        },
        {"indicator": "IND2", "period": "2023", "area": "KEN", "numerator": 15, "denominator": 100},
        {"indicator": "IND3", "period": "2023Q2", "area": "KEN", "value": "tabled"},
        {
            "indicator": "IND6",
            "period": "2023Q2",
            "area": "KEN",
            "text": "=A 'formula' looking text",
            "comment": "@mention",
        },
    ],
    "ListItems": [
        {
            "indicator": "IND5",
            "period": "2023",
            "area": "KEN",
            "title": "Gender Equality Act",
            "date": "2023-05-02",
            "reference": "Act 12 of 2023",
        },
    ],
}


def write_plan_workbook(
    path: Path,
    plan: dict[str, Any] | None = None,
    sheets: dict[str, list[dict[str, Any]]] | None = None,
) -> Path:
    """A plan workbook; `sheets` replaces whole sheets of the default (give [] to leave one out)."""
    data = {**SHEETS, **(sheets or {})}
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Plan"
    ws.append(["field", "value"])
    for key, value in (PLAN if plan is None else plan).items():
        ws.append([key, value])
    for sheet in f.PLAN_SHEETS[1:]:
        rows = data.get(sheet.name)
        if not rows:
            continue
        ws = workbook.create_sheet(sheet.name)
        ws.append(sheet.column_names)
        for row in rows:
            ws.append([row.get(name) for name in sheet.column_names])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text typed with a leading apostrophe, not a formula
    workbook.save(path)
    return path
