"""A small report with every kind of block and cell: an uploaded Word template is filled with it
once before it is accepted (formats.word.check_template), so a field it cannot fill is named
then, not when the board's report is generated."""

from __future__ import annotations

from django.utils import timezone

from wpsmonitor.reports.document import (
    PUBLIC,
    YEAR,
    Cell,
    Chart,
    Paragraph,
    ReportDocument,
    Section,
    Table,
)


def sample_document() -> ReportDocument:
    table = Table(
        key="sample.table",
        title="Table",
        columns=("Figure", "Value", "Share", "Amount"),
        rows=(
            (
                Cell("Counted"),
                Cell("1,234", 1234, kind="number"),
                Cell("42 %", 0.42, kind="percent"),
                Cell("5,000 USD", 5000, kind="money"),
            ),
            (
                Cell("Withheld"),
                Cell("fewer than 5", None, flag="primary", kind="number"),
                Cell("–", None, kind="percent"),
                Cell("–", None, kind="money"),
            ),
        ),
        note="Note",
    )
    sub = Section(
        key="sample.sub",
        title="Subsection",
        blocks=(
            Paragraph("Text"),
            Paragraph("Quote", style="quote", attribution="Someone"),
            Paragraph("Note", style="note"),
            Chart(key="sample.chart", title="Chart", svg="<svg></svg>", alt="Chart as text"),
        ),
    )
    return ReportDocument(
        plan_code="SAMPLE",
        plan_title="Sample plan",
        title="Sample report",
        scope=YEAR,
        period_code="2025",
        period_label="2025",
        version=PUBLIC,
        language="en",
        generated_at=timezone.now(),
        release_number=1,
        sections=(
            Section(key="one", title="One", blocks=(table,), subsections=(sub,)),
            Section(key="two", title="Two", empty="Nothing to show."),
        ),
    )
