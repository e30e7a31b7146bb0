"""The action reports of a submission: a status and a percentage complete from government,
an assessment from civil society, each with a narrative."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.core.services import service
from wpsmonitor.plans.models import ActionStatus, FrameworkNode
from wpsmonitor.reporting.entry import is_civil_society
from wpsmonitor.reporting.models import ActionAssessment, ActionReport, Submission


@service
def action_reports_save(
    submission: Submission,
    actions: Mapping[int, Mapping[str, Any]],
    problems: dict[int, list[str]],
) -> list[dict[str, str]]:
    """Store the actions of a sheet; the changes, for the submission's history. Government
    sheets give a status and a percentage; civil society's score the action
    (ActionAssessment) with a narrative, and nothing else. Refused ones go to `problems`."""
    nodes = {
        n.pk: n
        for n in FrameworkNode.objects.filter(
            plan=submission.round.plan, pk__in=list(actions), level__holds_actions=True
        )
    }
    existing = {r.action_id: r for r in ActionReport.objects.filter(submission=submission)}
    civil_society = is_civil_society(submission)
    changes = []
    for node_id, raw in actions.items():
        node = nodes.get(node_id)
        if node is None:
            problems[node_id] = [_("This action is not in the plan.")]
            continue
        narrative = str(raw.get("narrative") or "").strip()
        if civil_society:
            found, new = _assessment_checked(raw, narrative)
        else:
            found, new = _status_checked(raw, narrative)
        if found:
            problems[node_id] = found
            continue
        old = existing.get(node_id)
        before = (
            "" if old is None else _report_text(old.status, old.percent_complete, old.assessment)
        )
        if old is None:
            if not any(v not in ("", None) for v in new.values()):
                continue
            ActionReport.objects.create(submission=submission, action=node, **new)
        elif any(getattr(old, k) != v for k, v in new.items()):
            for k, v in new.items():
                setattr(old, k, v)
            old.save()
        else:
            continue
        after = _report_text(
            new.get("status", ""), new.get("percent_complete"), new.get("assessment", "")
        )
        changes.append({"what": node.code, "old": before, "new": after})
    return changes


def _status_checked(raw: Mapping[str, Any], narrative: str) -> tuple[list[str], dict[str, Any]]:
    status = str(raw.get("status") or "").strip()
    percent_raw = str(raw.get("percent_complete") or "").strip()
    found = []
    if str(raw.get("assessment") or "").strip():
        found.append(_("Government reports give a status, not a civil-society assessment."))
    if status and status not in ActionStatus.values:
        found.append(_("Choose a status from the list."))
    percent: int | None = None
    if percent_raw:
        try:
            percent = int(percent_raw)
            if not 0 <= percent <= 100:
                raise ValueError
        except ValueError:
            found.append(_("The percentage complete is a whole number from 0 to 100."))
    if status == ActionStatus.COMPLETED and percent not in (None, 100):
        found.append(
            _("A completed action is complete: give 100 as its percentage, or leave it empty.")
        )
    return found, {"status": status, "percent_complete": percent, "narrative": narrative}


def _assessment_checked(raw: Mapping[str, Any], narrative: str) -> tuple[list[str], dict[str, Any]]:
    assessment = str(raw.get("assessment") or "").strip()
    found = []
    if str(raw.get("status") or "").strip() or str(raw.get("percent_complete") or "").strip():
        # The status and percentage are the implementing office's account, not a monitor's.
        found.append(
            _("Civil society scores an action with an assessment, not a status or percentage.")
        )
    if assessment and assessment not in ActionAssessment.values:
        found.append(
            _("Choose an assessment from the list: %(choices)s.")
            % {"choices": ", ".join(str(label) for label in ActionAssessment.labels)}
        )
    return found, {"assessment": assessment, "narrative": narrative}


def _report_text(status: str, percent: int | None, assessment: str = "") -> str:
    if assessment:
        return str(ActionAssessment(assessment).label)
    return _action_text(status, percent)


def _action_text(status: str, percent: int | None) -> str:
    label = str(ActionStatus(status).label) if status else ""
    return f"{label} {percent}%".strip() if percent is not None else label
