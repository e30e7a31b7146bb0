"""The report's "Civil society's chapter" section (docs/reports.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Section


def build(context: ReportContext) -> Section:
    return Section(
        key="civil_society",
        title=_("Civil society's chapter"),
        empty=_("This part is not built yet."),
    )
