"""The report's "Qualitative evidence" section (docs/reports.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Section


def build(context: ReportContext) -> Section:
    return Section(
        key="qualitative", title=_("Qualitative evidence"), empty=_("This part is not built yet.")
    )
