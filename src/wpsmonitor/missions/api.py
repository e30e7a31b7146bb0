"""UN missions in the JSON API (docs/missions.md), through the same selectors as the pages:
whoever reads the plan reads its missions, mandates and WPS provisions, the transition plan,
its benchmarks and their history (public documents). The watched indicators' figures are the
reader's (`reading_for`, handed in by wpsmonitor/api.py): the detail for the plan's members,
the latest published release, small counts hidden, for everyone else."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import ErrorOut, Id
from wpsmonitor.core.errors import NotFound
from wpsmonitor.indicators.reading import ReadingFor, figure_flags_out, reading_out
from wpsmonitor.missions import selectors
from wpsmonitor.missions.models import TransitionPlan, UNMission


class ProvisionOut(Schema):
    category: str = Field(
        description="protection, participation, expertise, sea, ddr_ssr, peacekeepers, "
        "reporting or crosscutting"
    )
    paragraph: str
    text: str


class MandateOut(Schema):
    symbol: str
    adopted_on: date
    mandate_until: date | None
    provisions: list[ProvisionOut]


class MissionOut(Schema):
    id: int
    acronym: str
    name: str
    kind: str = Field(description="peacekeeping or political")
    status: str = Field(description="active, drawing_down or closed")
    started_on: date
    ended_on: date | None
    planned_end_on: date | None
    mandates: list[MandateOut]
    transition: bool = Field(description="Whether a transition plan is recorded")


class MissionsOut(Schema):
    plan: str
    missions: list[MissionOut]


class StatusOut(Schema):
    on: date
    status: str
    note: str


class BenchmarkOut(Schema):
    id: int
    area: str = Field(description="The area's code")
    description: str
    target_on: date | None
    status: str = Field(description="not_started, in_progress, met or not_met")
    history: list[StatusOut]


class PhaseOut(Schema):
    number: int
    name: str
    area: str = Field(description="The code of the area handed over")
    handover_on: date | None
    met: int
    total: int
    benchmarks: list[BenchmarkOut]


class TransitionOut(Schema):
    plan: str
    mission: str
    title: str
    adopted_on: date
    gender_analysis: str
    document_url: str
    phases: list[PhaseOut]


class PointOut(Schema):
    period: str
    value: float | None
    flag: str | None
    flag_text: str | None
    threshold: int | None


class SideOut(Schema):
    points: list[PointOut]
    mean: float | None = Field(description="Mean of the side's values; null if any is hidden")
    hidden: bool


class WatchedOut(Schema):
    indicator: str
    phase: int
    area: str
    handover_on: date | None
    before: SideOut | None
    after: SideOut | None
    change: float | None


class ProtectionOut(Schema):
    plan: str
    mission: str
    reading: str = Field(description="detail or release: which figures the caller read")
    release: int | None
    window: int = Field(description="Periods compared on each side of the handover")
    indicators: list[WatchedOut]


ANSWERS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _reader(request: HttpRequest, plan: str) -> PlanAccess:
    access = access_for_api(request, plan)
    if not access.can_read_missions():
        raise PermissionDenied
    return access


def _mission(access: PlanAccess, mission: int) -> tuple[UNMission, TransitionPlan]:
    found = selectors.mission_of(access.plan, mission)
    transition = selectors.transition_of(found)
    if transition is None:
        raise NotFound(_("The mission has no transition plan yet."))
    return found, transition


def _side(side: selectors.Side) -> dict[str, Any]:
    return {
        "points": [
            {"period": p.period_code, "value": p.figure.value, **figure_flags_out(p.figure)}
            for p in side.points
        ],
        "mean": side.mean,
        "hidden": side.hidden,
    }


def router_for(reading_for: ReadingFor) -> Router:
    """The missions' router, reading the watched indicators' figures `reading_for` decides."""
    router = Router(tags=["UN missions"], auth=READ_AUTH)

    @router.get(
        "/plans/{plan}/missions",
        response={200: MissionsOut, **ANSWERS},
        summary="UN missions, their mandate resolutions and WPS provisions",
    )
    def missions(request: HttpRequest, plan: str) -> dict[str, Any]:
        access = _reader(request, plan)
        found = list(selectors.missions_of(access.plan))
        by_mission: dict[int, list[dict[str, Any]]] = {m.pk: [] for m in found}
        for r in selectors.plan_mandates(access.plan):
            by_mission[r.mission_id].append(
                {
                    "symbol": r.symbol,
                    "adopted_on": r.adopted_on,
                    "mandate_until": r.mandate_until,
                    "provisions": [
                        {"category": p.category, "paragraph": p.paragraph, "text": p.text}
                        for p in r.provisions.all()
                    ],
                }
            )
        with_plan = set(
            TransitionPlan.objects.filter(mission__in=found).values_list("mission_id", flat=True)
        )
        return {
            "plan": access.plan.code,
            "missions": [
                {
                    "id": m.pk,
                    "acronym": m.acronym,
                    "name": m.name,
                    "kind": m.kind,
                    "status": m.status,
                    "started_on": m.started_on,
                    "ended_on": m.ended_on,
                    "planned_end_on": m.planned_end_on,
                    "mandates": by_mission[m.pk],
                    "transition": m.pk in with_plan,
                }
                for m in found
            ],
        }

    @router.get(
        "/plans/{plan}/missions/{mission}/transition",
        response={200: TransitionOut, **ANSWERS},
        summary="A mission's transition plan: phases, benchmarks by area and their history",
    )
    def transition(request: HttpRequest, plan: str, mission: Id) -> dict[str, Any]:
        access = _reader(request, plan)
        found, plan_found = _mission(access, mission)
        table = selectors.progress(plan_found)
        history: dict[int, list[dict[str, Any]]] = {}
        for u in selectors.updates_of(plan_found):
            history.setdefault(u.benchmark_id, []).append(
                {"on": u.on, "status": u.status, "note": u.note}
            )
        return {
            "plan": access.plan.code,
            "mission": found.acronym,
            "title": plan_found.title,
            "adopted_on": plan_found.adopted_on,
            "gender_analysis": plan_found.gender_analysis,
            "document_url": plan_found.document_url,
            "phases": [
                {
                    "number": p.phase.number,
                    "name": p.phase.name,
                    "area": p.phase.area.code,
                    "handover_on": p.phase.handover_on,
                    "met": p.met,
                    "total": p.total,
                    "benchmarks": [
                        {
                            "id": b.pk,
                            "area": b.area.code,
                            "description": b.description,
                            "target_on": b.target_on,
                            "status": b.status,
                            "history": history.get(b.pk, []),
                        }
                        for b in p.benchmarks
                    ],
                }
                for p in table.phases
            ],
        }

    @router.get(
        "/plans/{plan}/missions/{mission}/protection",
        response={200: ProtectionOut, **ANSWERS},
        summary="Protection indicators in each phase's area before and after its handover",
    )
    def protection(request: HttpRequest, plan: str, mission: Id) -> dict[str, Any]:
        """The last periods before each handover against the first after it, in the phase's
        area, from the caller's figures (the published release for the public)."""
        access = _reader(request, plan)
        found, plan_found = _mission(access, mission)
        reading = reading_for(access)
        rows = selectors.compare(selectors.watched_of(plan_found, request.user), reading.figures)
        return {
            "plan": access.plan.code,
            "mission": found.acronym,
            **reading_out(reading),
            "window": selectors.WINDOW,
            "indicators": [
                {
                    "indicator": w.watched.indicator.code,
                    "phase": w.watched.phase.number,
                    "area": w.watched.phase.area.code,
                    "handover_on": w.watched.phase.handover_on,
                    "before": _side(w.comparison.before) if w.comparison else None,
                    "after": _side(w.comparison.after) if w.comparison else None,
                    "change": w.comparison.change if w.comparison else None,
                }
                for w in rows
            ],
        }

    return router
