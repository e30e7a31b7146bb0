"""Demo data: recommendations on the national plan, their follow-up and a mid-term review."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from wpsmonitor.demo import content
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import FrameworkNode, Plan


def load(nap: Plan, orgs: dict[str, Organisation], admin: Any) -> None:
    """Recommendations from several mechanisms, through the services as their authors would:
    the secretariat (here the administrator) records them, the Ministry of Gender's and the
    police's focal points respond, the women's network assesses and publishes, sometimes
    disagreeing; a mid-term review turns its findings into recommendations with decisions."""
    from wpsmonitor.accountability import services as tracker

    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["focal-nk", "focal-police", "monitor"]
        )
    }
    # The demo's focal points answer for their organisation; other addressees' statuses are
    # recorded by the secretariat, as after a coordination meeting.
    responders = {"demo-mgfe": users.get("focal-nk"), "demo-pnc": users.get("focal-police")}
    nodes = {n.code: n for n in FrameworkNode.objects.filter(plan=nap)}

    def follow_up(rec: Any, addressees: list[str], status: str) -> None:
        if status == "not_started":
            return
        code = next((c for c in addressees if responders.get(c) is not None), None)
        if code is not None:
            tracker.response_add(
                by=responders[code],  # type: ignore[arg-type]  # not None: chosen above
                recommendation=rec,
                organisation=orgs[code],
                text=f"{orgs[code].name}: follow-up reported to the secretariat (fictitious).",
                status=status,
            )
        else:
            tracker.recommendation_status_set(
                by=admin, recommendation=rec, status=status, note="Steering committee meeting"
            )

    def assess(rec: Any, cso: tuple[str, str] | None) -> None:
        if cso is not None and users.get("monitor") is not None:
            tracker.assessment_save(
                by=users["monitor"],
                recommendation=rec,
                organisation=orgs["demo-cfpl"],
                status=cso[0],
                comment=cso[1],
                publish=True,
            )

    for source, ref, issued, text, addressees, codes, due, status, cso in content.RECOMMENDATIONS:
        rec = tracker.recommendation_create(
            by=admin,
            plan=nap,
            source=source,
            reference=ref,
            issued_on=date.fromisoformat(issued),
            text=text,
            addressees=[orgs[c] for c in addressees],
            nodes=[nodes[c] for c in codes],
            due_on=date.fromisoformat(due) if due else None,
        )
        follow_up(rec, addressees, status)
        assess(rec, cso)

    review = tracker.review_create(
        by=admin,
        plan=nap,
        kind="midterm",
        title=content.MIDTERM_TITLE,
        held_on=date.fromisoformat(content.MIDTERM_HELD_ON),
    )
    for finding_text, node_code, made in content.MIDTERM_FINDINGS:
        finding = tracker.finding_add(
            by=admin, review=review, text=finding_text, node=nodes[node_code]
        )
        for text, addressees, due, status, decision in made:
            rec = tracker.recommendation_from_finding(
                by=admin,
                finding=finding,
                text=text,
                addressees=[orgs[c] for c in addressees],
                due_on=date.fromisoformat(due),
            )
            follow_up(rec, addressees, status)
            if decision is not None:
                office, what, when = decision
                tracker.decision_record(
                    by=admin,
                    recommendation=rec,
                    organisation=orgs[office],
                    text=what,
                    decided_on=date.fromisoformat(when),
                )
