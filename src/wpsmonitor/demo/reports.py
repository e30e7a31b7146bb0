"""Demo data: the national plan's standard reports (docs/reports.md, "In the cycle").

After release 2, the rural women's network attaches a dissenting statement to the board's 2025
report, and the secretariat generates the 2025 annual report (public version, from release 2)
as that report's document. The government signatures given to the earlier text lapse (the
history says why); the board signs again, government and civil society, which publishes it with
the dissent; the secretariat then publishes the generated report, in PDF, DOCX and XLSX. A
mid-term report (internal version) stays a draft for the plan's members.

The task that builds a report is run here, in the command, rather than left to a worker: the
demo is whole when the command ends.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from wpsmonitor.boards import services as boards
from wpsmonitor.boards.models import PeriodicReport
from wpsmonitor.plans.models import Plan
from wpsmonitor.reports import generation
from wpsmonitor.reports import services as reports
from wpsmonitor.reports.models import GeneratedReport

DISSENT_2025 = (
    "The Réseau des femmes paysannes (fictitious) signs the report but dissents on the share of "
    "the plan's money said to reach local women's organisations: in the territories of "
    "Nord-Kivu we cover, none of the groups we work with received any of it in 2025. The "
    "figure counts grants signed in Kinshasa, not money that arrived."
)


def _built(report: GeneratedReport) -> GeneratedReport:
    """Run the report's task now (a worker may have run it already: then it is a no-op)."""
    generation.generate(report.pk)
    report.refresh_from_db()
    if report.status != "ready":
        raise RuntimeError(f"demo report {report.pk} not generated: {report.error}")
    return report


def load(nap: Plan) -> int:
    """The 2025 annual report co-signed and published, the mid-term draft; how many reports."""
    users = get_user_model().objects.in_bulk(
        ["coordinator", "board-rfpk", "board-minjus", "board-sfj"], field_name="username"
    )
    coordinator = users["coordinator"]
    periodic = PeriodicReport.objects.get(plan=nap, period="2025")
    boards.report_dissent(by=users["board-rfpk"], report=periodic, text=DISSENT_2025)
    annual = _built(
        reports.report_request(
            by=coordinator,
            plan=nap,
            scope="year",
            year=2025,
            version="public",
            language="en",
            periodic_report=periodic,
        )
    )
    # The document replaced the text the government members had signed: they sign again,
    # and civil society's signature publishes the report, with the dissent.
    boards.report_sign(by=users["board-minjus"], report=periodic)
    boards.report_sign(by=users["board-sfj"], report=periodic)
    reports.report_publish(by=coordinator, report=annual)
    _built(
        reports.report_request(
            by=coordinator,
            plan=nap,
            scope="midterm",
            year=None,
            version="internal",
            language="en",
        )
    )
    return 2
