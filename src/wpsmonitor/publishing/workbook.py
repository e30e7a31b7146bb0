"""The plan workbook (`/plans/<code>/workbook.xlsx`), public like the plan.

Its members (and administrators) download the plan with its stored values, as before, ready to
correct and import again. Everyone else downloads the plan's latest published release: the
same structure sheets, a Release sheet saying which release it holds, and the release's
figures (suppressed ones with their flag and never a value) instead of the stored values
(docs/publishing.md, "The API and the workbook"). The decision is `selectors.reading_for`'s;
the workbook itself is written by `exchange.export.export_xlsx`, which this layer fills in.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.exchange.export import PublishedFigures, export_xlsx
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.reading import flag_text
from wpsmonitor.plans.models import Plan
from wpsmonitor.publishing.disclosure import conf_status_of
from wpsmonitor.publishing.selectors import Reading, reading_for

FIGURE_COLUMNS = (
    "indicator",
    "period",
    "area",
    "cell",
    "source",
    "source_kind",
    "value",
    "numerator",
    "denominator",
    "flag",
    "conf_status",
    "shown_as",
    "unit",
)


@require_safe
def workbook_download(request: HttpRequest, code: str) -> FileResponse:
    """The plan as a workbook: the detail to its members, its published release to others."""
    access = plan_access(request.user, code)
    reading = reading_for(access)
    folder = tempfile.mkdtemp()
    path = Path(folder) / f"{access.plan.code}.xlsx"
    export_xlsx(
        access.plan,
        path,
        hidden=access.hidden_indicators(),  # restricted ones, for all but their readers
        published=None if reading.detail else published(access.plan, reading),
    )
    response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    shutil.rmtree(folder, ignore_errors=True)  # the open file stays readable until closed
    return response


def published(plan: Plan, reading: Reading) -> PublishedFigures:
    """The Release and Figures sheets of a reader of the release."""
    release = reading.release
    note = _(
        "The published figures of this plan, after disclosure control: a suppressed figure has "
        "no value, and its flag instead (primary: fewer than the threshold; secondary: hidden "
        "to protect a small count; derived: computed from a hidden count). The plan's members "
        "download the figures as the platform holds them. This workbook is for reading: it is "
        "not imported."
    )
    if release is None:
        about: list[tuple[str, Any]] = [
            ("plan", plan.code),
            ("release", _("none published yet")),
            ("note", note),
        ]
    else:
        about = [
            ("plan", plan.code),
            ("release", release.number),
            ("published", release.published_at.isoformat() if release.published_at else ""),
            ("licence", release.licence),
            ("figures", release.figures),
            ("suppressed", release.suppressed),
            ("note", note),
        ]
    withheld = frozenset(
        Indicator.objects.filter(plan=plan, sensitivity=Sensitivity.RESTRICTED).values_list(
            "code", flat=True
        )
    )
    figures = reading.figures
    rows = _rows(figures) if figures is not None else iter(())
    return PublishedFigures(about=about, columns=FIGURE_COLUMNS, rows=rows, withheld=withheld)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _rows(figures: Any) -> Iterator[Sequence[Any]]:
    """The release's figures in the order of its unique index, streamed."""
    query = figures.order_by(
        "indicator_id", "source_id", "area_id", "cell_key", "period_code"
    ).values_list(
        "indicator__code",
        "period_code",
        "area__code",
        "cell_key",
        "source__code",
        "source_kind",
        "value",
        "numerator",
        "denominator",
        "flag",
        "threshold",
        "unit",
    )
    for (
        ind,
        period,
        area,
        cell,
        source,
        kind,
        value,
        num,
        den,
        flag,
        threshold,
        unit,
    ) in query.iterator(chunk_size=5000):
        yield (
            ind,
            period,
            area,
            cell,
            source,
            kind,
            _number(value),
            _number(num),
            _number(den),
            flag,
            conf_status_of(flag),
            flag_text(flag, threshold),
            unit,
        )
