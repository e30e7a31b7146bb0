"""Demo data: a civil-society coalition shadowing the national plan (docs/shadow-monitoring.md).

The coalition is the set of civil-society organisations whose monitors shadow the plan: here
CFPL (whose monitor is the demo's `monitor` user) and RFPK (`monitor-rfpk`, who has no usable
password: only the figures matter). There is no coalition model: each organisation publishes
in its own source stream, so each account stays its own and nothing is merged.

Everything goes through the services a monitor uses: a past round (2025Q4), each
organisation's submission for the areas it monitored, scores of actions, figures, publication.
Publication writes the figures through the ingest service; the builder rebuilds the aggregates
of every demo plan after this module has run.

The striking divergences:
- PRO-06 (survivors cared for within 72 hours): the government's 34 % against the 12 % CFPL
  measured, in Nord-Kivu and in Sud-Kivu, in 2025Q4;
- PRO.2.1.1 (one-stop centres equipped), which the plan calls completed and CFPL scores not
  implemented: the widest gap; two more actions one step apart, one where the accounts agree;
- two published civil-society indicators in GNWP's manner, with figures, and one draft.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.demo.reporting import civil_society_member
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Cell, Indicator, IndicatorKind
from wpsmonitor.indicators.services import indicator_references_set, period_ensure
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reporting import services
from wpsmonitor.reporting.entry import build_sheet, sheet_actions_typed, sheet_fields
from wpsmonitor.reporting.models import ReportingRound, Submission

ROUND = "2025Q4"
RFPK_MONITOR = "monitor-rfpk"

# (organisation, action code, assessment, what the monitor found)
ASSESSMENTS = [
    (
        "demo-cfpl",
        "PRO.2.1.1",
        "not_implemented",
        "Visited in November 2025: the Uvira centre has no equipment yet and the Bukavu one "
        "closed in August when its funding ended. Only Goma receives survivors.",
    ),
    (
        "demo-cfpl",
        "PRO.1.1.1",
        "not_implemented",
        "No training session was held in Nord-Kivu or Sud-Kivu in 2025; the officers we met "
        "had not heard of the curriculum.",
    ),
    (
        "demo-cfpl",
        "COO.1.2.2",
        "partly",
        "The 2024 report came out with a civil-society chapter; the 2025 one is late.",
    ),
    (
        "demo-rfpk",
        "PAR.2.1.2",
        "partly",
        "The roster exists but lists no woman from Nord-Kivu's territories.",
    ),
    (
        "demo-rfpk",
        "PRE.1.1.1",
        "implemented",
        "Focal points trained in Masisi and Rutshuru; we met 14 of them.",
    ),
]

# Civil society's own indicators: (organisation, code, node, title, kind, unit, GNWP theme,
# published, {area: figure}); a percentage's figure is (numerator, denominator).
OWN_INDICATORS: list[tuple[str, str, str, str, str, str, str, bool, dict[str, Any]]] = [
    (
        "demo-cfpl",
        "CSO-CFPL-1",
        "COO.1.2",
        "Women's organisations consulted before a provincial action plan is adopted",
        IndicatorKind.NUMBER,
        "organisations",
        "prom-cso-nap",
        True,
        {"CD-NK": 6, "CD-SK": 3},
    ),
    (
        "demo-rfpk",
        "CSO-RFPK-1",
        "PAR.2",
        "Women members of local peace committees who say their views are taken into account",
        IndicatorKind.PERCENTAGE,
        "%",
        "part-governance",
        True,
        {"CD-NK": (18, 60), "CD-SK": (11, 40)},
    ),
    (
        "demo-cfpl",
        "CSO-CFPL-2",
        "PRO.1",
        "Women human rights defenders threatened who received protection within a week",
        IndicatorKind.PERCENTAGE,
        "%",
        "pp-sgbv-cases",
        False,  # a draft: only CFPL's monitors see it
        {},
    ),
]

# Defenders at risk: their counts are suppressed when small (docs/publishing.md).
SENSITIVE_OWN_INDICATORS = {"CSO-CFPL-2"}

# PRO-06 in 2025Q4: what the government reports and what CFPL measured, per province.
PRO06_GOVERNMENT = {"CD-NK": (34, 100), "CD-SK": (68, 200)}
PRO06_CFPL = {"CD-NK": (6, 50), "CD-SK": (9, 75)}


def _monitor(nap: Plan, org: Organisation, admin: Any) -> Any:
    """The organisation's monitor on the plan; RFPK's is created (no usable password)."""
    role = PlanRole.objects.filter(plan=nap, role=Role.MONITOR, organisation=org).first()
    if role is not None:
        return role.user
    user = get_user_model().objects.filter(username=RFPK_MONITOR).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=RFPK_MONITOR, email=f"{RFPK_MONITOR}@example.org", password=None
        )
    civil_society_member(nap, org, user, admin)
    return user


def _fill(
    by: Any, submission: Submission, figures: dict[tuple[int, str], Any], scores: Any
) -> None:
    """Type figures and scores into the sheet as the entry form does, then save."""
    sheet = build_sheet(submission)
    typed = sheet_fields(sheet)
    cells = {(c.row.indicator_id, c.cell.code): c for b in sheet.indicators for c in b.cells}
    for (indicator_id, cell_code), figure in figures.items():
        cell = cells[(indicator_id, cell_code)]
        if isinstance(figure, tuple):
            typed[f"n-{cell.field_id}"], typed[f"d-{cell.field_id}"] = map(str, figure)
        else:
            typed[f"v-{cell.field_id}"] = str(figure)
    for node, assessment, narrative in scores:
        typed[f"aa-{node.pk}"], typed[f"an-{node.pk}"] = assessment, narrative
    sheet = build_sheet(submission, typed=typed, references=False)
    saved = services.submission_save(
        by=by, submission=submission, rows=sheet.rows(), actions=sheet_actions_typed(sheet)
    )
    if not saved.ok:
        raise RuntimeError(f"demo shadow figures refused: {saved.problems} {saved.action_problems}")


def load(nap: Plan, orgs: dict[str, Organisation], user: Any) -> None:
    """Add the coalition's shadow monitoring to the national plan."""
    coalition = {code: orgs[code] for code in ("demo-cfpl", "demo-rfpk")}
    monitors = {code: _monitor(nap, org, user) for code, org in coalition.items()}
    areas = {a.code: a for a in Area.objects.filter(code__in=["CD-NK", "CD-SK", "COD"])}
    nodes = {n.code: n for n in FrameworkNode.objects.filter(plan=nap)}

    # The government's PRO-06 figure for the quarter, as the ministry's import would give it.
    values_ingest(
        rows=[
            {
                "indicator": "PRO-06",
                "period": ROUND,
                "area": area,
                "source": GOVERNMENT_SOURCE,
                "numerator": n,
                "denominator": d,
            }
            for area, (n, d) in PRO06_GOVERNMENT.items()
        ],
        user=user,
        plan=nap.code,
        kind="demo",
        filename="wpsmonitor demo (shadow)",
    )

    own: dict[str, Indicator] = {}
    for org_code, code, node, title, kind, unit, theme, publish, _figures in OWN_INDICATORS:
        indicator = services.own_indicator_create(
            by=monitors[org_code],
            plan=nap,
            organisation=coalition[org_code],
            node=nodes[node],
            code=code,
            title=title,
            kind=kind,
            unit=unit,
            frequency="year",
            definition="Civil-society indicator in the manner of GNWP's 1325 monitoring "
            "(demonstration, fictitious figures).",
            means_of_verification="Interviews and focus groups by the organisation's monitors.",
            sensitivity="sensitive" if code in SENSITIVE_OWN_INDICATORS else "public",
        )
        indicator_references_set(indicator=indicator, references=[f"gnwp:{theme}"])
        if publish:
            services.own_indicator_publish(by=monitors[org_code], indicator=indicator)
        own[code] = indicator

    # A past round, made without mailing the focal points (it is long over), then closed.
    round_, _created = ReportingRound.objects.get_or_create(
        plan=nap,
        period=period_ensure(ROUND),
        defaults={"deadline": date(2026, 1, 31), "opened_by": user},
    )
    pro06 = Indicator.objects.get(plan=nap, code="PRO-06")
    total = Cell.objects.get(scheme=pro06.scheme, code="total").code
    for org_code, org in coalition.items():
        by = monitors[org_code]
        for area_code in ("COD", "CD-NK", "CD-SK"):
            figures: dict[tuple[int, str], Any] = {}
            if org_code == "demo-cfpl" and area_code in PRO06_CFPL:
                figures[(pro06.pk, total)] = PRO06_CFPL[area_code]
            for o_org, code, *_rest, publish, by_area in OWN_INDICATORS:
                if o_org == org_code and publish and area_code in by_area:
                    figures[(own[code].pk, "total")] = by_area[area_code]
            scores = [
                (nodes[action], assessment, narrative)
                for a_org, action, assessment, narrative in ASSESSMENTS
                if a_org == org_code and area_code == "COD"
            ]
            if not figures and not scores:
                continue
            submission = services.submission_start(
                by=by,
                round_=round_,
                organisation=org,
                area=areas[area_code],
                civil_society=True,
            )
            _fill(by, submission, figures, scores)
            check = services.submission_submit(
                by=by, submission=submission, note="Shadow monitoring, fourth quarter 2025."
            )
            if not check.ok:
                raise RuntimeError(f"demo shadow submission refused: {check.problems}")
    services.round_close(by=user, round_=round_)
