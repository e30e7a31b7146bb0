"""What the confirmation pages of the reporting cycle say (shell/confirm.py): before a
submission is submitted, published (civil society) or approved, what becomes public and what
is still blank in it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.core.names import localized_name
from wpsmonitor.reporting.entry import Sheet
from wpsmonitor.reporting.models import Submission
from wpsmonitor.shell.confirm import Confirmation


def blank_lines(sheet: Sheet) -> list[str]:
    """Each indicator with nothing entered, or with some cells blank, and each action with
    nothing said, in the order of the sheet."""
    lines: list[str] = []
    for block in sheet.indicators:
        name = f"{block.indicator.code} {block.indicator.title}"
        blank = sum(1 for cell in block.cells if cell.row.is_blank)
        if blank == len(block.cells):
            lines.append(_("%(indicator)s: nothing entered") % {"indicator": name})
        elif blank:
            lines.append(
                ngettext(
                    "%(indicator)s: %(blank)d of %(cells)d cells blank",
                    "%(indicator)s: %(blank)d of %(cells)d cells blank",
                    len(block.cells),
                )
                % {"indicator": name, "blank": blank, "cells": len(block.cells)}
            )
    for item in sheet.actions:
        said = item.assessment if sheet.civil_society else item.status
        if not (said or item.narrative.strip()):
            lines.append(
                _("Action %(action)s: nothing said")
                % {"action": f"{item.action.code} {item.action.title}"}
            )
    return lines


def _filled(sheet: Sheet) -> tuple[int, int]:
    """(indicators with a figure, figures)."""
    rows = [c.row for block in sheet.indicators for c in block.cells if not c.row.is_blank]
    return len({r.indicator_id for r in rows}), len(rows)


def _what(submission: Submission) -> str:
    return _("%(organisation)s, %(area)s, %(period)s") % {
        "organisation": submission.organisation.name,
        "area": localized_name(submission.area.name),
        "period": submission.round.period.code,
    }


def submit_confirmation(
    submission: Submission, sheet: Sheet, *, civil_society: bool
) -> Confirmation:
    """Submitting for review, or, for civil society, publishing at once."""
    indicators, figures = _filled(sheet)
    count = ngettext(
        "%(figures)d figure on %(indicators)d indicator",
        "%(figures)d figures on %(indicators)d indicators",
        figures,
    ) % {"figures": figures, "indicators": indicators}
    shared = submission.evidence.filter(shared=True).count()
    cancel = reverse("reporting:edit", args=[submission.pk])
    if civil_society:
        public = [
            _(
                "%(count)s of %(organisation)s, in its own stream, beside the government's: on "
                "the plan's pages, in its downloads and in the API."
            )
            % {"count": count, "organisation": submission.organisation.name},
            _("Your comments on these figures, and your scores of the actions."),
        ]
        if shared:
            public.append(
                ngettext(
                    "%(n)d evidence file marked as shown with the figures.",
                    "%(n)d evidence files marked as shown with the figures.",
                    shared,
                )
                % {"n": shared}
            )
        return Confirmation(
            title=_("Publish your figures for %(what)s?") % {"what": _what(submission)},
            button=_("Publish the figures"),
            cancel_url=cancel,
            public=public,
            blank=blank_lines(sheet),
            notes=[
                _(
                    "Publishing cannot be undone: the figures are public at once. A later "
                    "correction is published as a change, with its history."
                )
            ],
        )
    return Confirmation(
        title=_("Submit %(what)s for review?") % {"what": _what(submission)},
        button=_("Submit for review"),
        cancel_url=cancel,
        public=[
            _(
                "Nothing yet: the coordinator reviews %(count)s. Once approved, they are public "
                "on the plan's pages, downloads and API."
            )
            % {"count": count}
        ],
        blank=blank_lines(sheet),
        notes=[_("Once submitted, you can change nothing unless the coordinator returns it.")],
    )


def approve_confirmation(submission: Submission, sheet: Sheet) -> Confirmation:
    """Approving: the figures enter the official stream."""
    _indicators, figures = _filled(sheet)
    return Confirmation(
        title=_("Approve %(what)s?") % {"what": _what(submission)},
        button=_("Approve"),
        cancel_url=reverse("reporting:submission", args=[submission.pk]),
        public=[
            ngettext(
                "%(n)d figure, as the government's official figure, on the plan's pages, in "
                "its downloads and in the API.",
                "%(n)d figures, as the government's official figures, on the plan's pages, in "
                "its downloads and in the API.",
                figures,
            )
            % {"n": figures},
            _("The status and progress reported for its actions."),
        ],
        blank=blank_lines(sheet),
        notes=[
            _(
                "The submission is then locked; to correct it you must unlock it, and its "
                "figures stay official until the correction is approved."
            )
        ],
    )
