"""Field collection in the demo (docs/field-collection.md, "The demo"): the XLSForm of the
Nord-Kivu focal point (Ministry of Gender, Nord-Kivu, round 2026Q1), in French, and a batch of
submissions as Kobo's data API gives them, imported into the focal point's draft (never
approved: the focal point reviews and submits it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.fieldcollection.models import BatchOrigin, FieldBatch
from wpsmonitor.fieldcollection.services import records_import
from wpsmonitor.fieldcollection.xlsform import FormSpec, form_spec
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.models import ReportingRound

ROUND = "2026Q1"
FOCAL = "focal-nk"
# Three enumerators in three territories, on three days: counts per cell as they typed them.
_TEAMS = [
    ("uuid:5b0c2f1e-6a3d-4b57-9e2a-0d4f1c6e7a01", "2026-02-11T09:41:12", [6, 3, 11]),
    ("uuid:5b0c2f1e-6a3d-4b57-9e2a-0d4f1c6e7a02", "2026-02-18T14:05:40", [4, 9, 2]),
    ("uuid:5b0c2f1e-6a3d-4b57-9e2a-0d4f1c6e7a03", "2026-02-25T11:20:03", [8, 5, 7]),
]


def submissions(spec: FormSpec) -> list[dict[str, Any]]:
    """The batch, in Kobo's JSON: group paths, meta/instanceID, _submission_time."""
    counts = [
        name for name, row in _types(spec).items() if name.startswith("v__") and row == "integer"
    ]
    records = []
    for index, (instance, when, figures) in enumerate(_TEAMS):
        record: dict[str, Any] = {
            "_id": 8201 + index,
            "_uuid": instance.removeprefix("uuid:"),
            "_submission_time": when,
            "wps_plan": spec.round.plan.code,
            "wps_round": spec.round.period.code,
            "wps_assignment": spec.assignment,
            "wps_framework": spec.version,
            "meta/instanceID": instance,
        }
        for name, figure in zip(counts[index * 3 : index * 3 + 3], figures, strict=False):
            record[f"g__{name}/{name}"] = str(figure)
        records.append(record)
    return records


def _types(spec: FormSpec) -> dict[str, str]:
    return {row["name"]: row["type"] for row in spec.survey if row.get("name")}


def load(nap: Plan, orgs: dict[str, Organisation], areas: dict[str, Area]) -> FieldBatch | None:
    focal = get_user_model().objects.filter(username=FOCAL).first()
    round_ = ReportingRound.objects.filter(plan=nap, period__code=ROUND).first()
    if focal is None or round_ is None:
        return None
    spec = form_spec(round_, orgs["demo-mgfe"], areas["CD-NK"], "fr")
    return records_import(
        by=focal,
        round_=round_,
        organisation=orgs["demo-mgfe"],
        area=areas["CD-NK"],
        records=submissions(spec),
        origin=BatchOrigin.KOBO,
        filename="kobo-data-2026Q1-nord-kivu.json",
    )
