"""The report's "Reporting completeness" section (docs/reports.md): which ministries, provinces
and organisations reported for the report's years, on time, late or not at all, in the manner
of DHIS2's reporting-rate summary.

Who owed figures is the plan's assignments (an organisation for an area), as the reporting page
reads them; what each sent is its government submission of the round. Reporting status is not
a figure: no count of persons is shown here, in either version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wpsmonitor.reporting.models import RoundStatus
from wpsmonitor.reports.cells import number_cell, percent_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Cell, Paragraph, Section, Table
from wpsmonitor.reports.reads_records import (
    LATE,
    MISSING,
    ON_TIME,
    PENDING,
    Completeness,
    completeness,
)
from wpsmonitor.shell.templatetags.shell import num


def status_words() -> dict[str, str]:
    return {
        ON_TIME: _("On time"),
        LATE: _("Late"),
        MISSING: _("Not reported"),
        PENDING: _("Not yet due"),
    }


@dataclass
class Tally:
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0

    def add(self, status: str) -> None:
        self.expected += 1
        if status == ON_TIME:
            self.on_time += 1
        elif status == LATE:
            self.late += 1
        elif status == MISSING:
            self.missing += 1
        else:
            self.pending += 1

    @property
    def reported(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        """Reported / expected, DHIS2's reporting rate."""
        return self.reported / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    def cells(self) -> tuple[Cell, ...]:
        return (
            number_cell(self.expected),
            number_cell(self.on_time),
            number_cell(self.late),
            number_cell(self.missing),
            number_cell(self.pending),
            percent_cell(self.rate),
            percent_cell(self.on_time_rate),
        )


def _tally_columns() -> tuple[str, ...]:
    return (
        _("Reports expected"),
        _("On time"),
        _("Late"),
        _("Not reported"),
        _("Not yet due"),
        _("Reporting rate"),
        _("On-time rate"),
    )


def rounds_table(data: Completeness) -> Table:
    by_round: dict[int, Tally] = defaultdict(Tally)
    for (round_id, _org, _area), status in data.status.items():
        by_round[round_id].add(status)
    rows = tuple(
        (
            text_cell(r.period_code),
            text_cell(date_format(r.deadline)),
            text_cell(RoundStatus.OPEN.label if r.is_open else RoundStatus.CLOSED.label),
            *by_round[r.pk].cells(),
        )
        for r in data.rounds
    )
    return Table(
        key="completeness.rounds",
        title=_("Reporting rate by round"),
        columns=(_("Round"), _("Deadline"), _("Round status"), *_tally_columns()),
        rows=rows,
        note=_(
            "A report is on time when it was submitted by the round's deadline. The reporting "
            "rate is the reports received over the reports expected."
        ),
    )


def group_table(data: Completeness, *, by_area: bool) -> Table:
    tallies: dict[int, Tally] = defaultdict(Tally)
    labels: dict[int, str] = {}
    order: list[int] = []
    for pair in data.owing:
        key = pair.area_id if by_area else pair.organisation_id
        if key not in labels:
            labels[key] = pair.area if by_area else pair.organisation
            order.append(key)
    for (_round, org_id, area_id), status in data.status.items():
        tallies[area_id if by_area else org_id].add(status)
    if not by_area:
        order.sort(key=lambda k: labels[k].lower())
    rows = tuple((text_cell(labels[k]), *tallies[k].cells()) for k in order)
    if by_area:
        return Table(
            key="completeness.areas",
            title=_("Reporting rate by area"),
            columns=(_("Area"), *_tally_columns()),
            rows=rows,
        )
    return Table(
        key="completeness.organisations",
        title=_("Reporting rate by organisation"),
        columns=(_("Organisation"), *_tally_columns()),
        rows=rows,
    )


def detail_table(data: Completeness) -> Table:
    words = status_words()
    rows = tuple(
        (
            text_cell(pair.organisation),
            text_cell(pair.area),
            *(
                text_cell(words[data.status[(r.pk, pair.organisation_id, pair.area_id)]])
                for r in data.rounds
            ),
        )
        for pair in data.owing
    )
    return Table(
        key="completeness.detail",
        title=_("Who reported, round by round"),
        columns=(_("Organisation"), _("Area"), *(r.period_code for r in data.rounds)),
        rows=rows,
    )


def civil_society_table(data: Completeness) -> Table | None:
    if not data.civil_society:
        return None
    codes = {r.pk: r.period_code for r in data.rounds}
    order = {r.pk: i for i, r in enumerate(data.rounds)}
    items = sorted(data.civil_society.items(), key=lambda i: (i[0][0].lower(), order[i[0][1]]))
    return Table(
        key="completeness.civil_society",
        title=_("Civil society's monitoring reports"),
        columns=(_("Organisation"), _("Round"), _("Areas reported on")),
        rows=tuple(
            (text_cell(name), text_cell(codes[round_id]), number_cell(areas))
            for (name, round_id), areas in items
        ),
        note=_(
            "Civil-society organisations report of their own accord: they owe nothing, so "
            "they have no reporting rate."
        ),
    )


def build(context: ReportContext) -> Section:
    title = _("Reporting completeness")
    data = completeness(context)
    if not data.rounds:
        return Section(
            key="completeness",
            title=title,
            empty=_("No reporting round was held for the period this report covers."),
        )
    blocks: list[Paragraph | Table] = []
    if data.owing:
        total = Tally()
        for status in data.status.values():
            total.add(status)
        blocks.append(
            Paragraph(
                _(
                    "%(reported)s of %(expected)s reports expected from the organisations "
                    "responsible were received (%(on_time)s on time, %(late)s late)."
                )
                % {
                    "reported": num(total.reported),
                    "expected": num(total.expected),
                    "on_time": num(total.on_time),
                    "late": num(total.late),
                }
            )
        )
        blocks += [
            rounds_table(data),
            group_table(data, by_area=False),
            group_table(data, by_area=True),
            detail_table(data),
        ]
    else:
        blocks.append(
            Paragraph(_("No organisation was assigned figures to report: no rate to compute."))
        )
    cso = civil_society_table(data)
    if cso is not None:
        blocks.append(cso)
    return Section(key="completeness", title=title, blocks=tuple(blocks))
