"""Reads of recommendations: objects for a user (404 when hidden) and the summary.

The summary answers "how many recommendations were fully implemented, by source, addressee and
pillar, and which are overdue" in a fixed number of queries: the recommendations, their
addressees, their nodes, the assessments the reader may see and the plan's pillars, whatever
their number. A recommendation on several pillars (or addressees) counts once in each row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accountability.models import (
    CLOSED_STATUSES,
    Assessment,
    Mechanism,
    Recommendation,
    RecStatus,
)
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import NotFound
from wpsmonitor.core.translated import shown
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import FrameworkNode


def visible_assessments(access: PlanAccess) -> Q:
    """A filter on Assessment: published ones, and the reader's own organisation's drafts."""
    return Q(published_at__isnull=False) | Q(organisation_id__in=access.monitor_organisations())


@dataclass(frozen=True)
class Filters:
    source: str = ""
    addressee: str = ""  # organisation code
    pillar: str = ""  # pillar node code
    status: str = ""

    @classmethod
    def from_params(cls, params: Any) -> Filters:
        source = params.get("source", "")
        status = params.get("status", "")
        return cls(
            source=source if source in Mechanism.values else "",
            addressee=str(params.get("addressee", "") or "")[:64],
            pillar=str(params.get("pillar", "") or "")[:64],
            status=status if status in RecStatus.values else "",
        )


def recommendations(access: PlanAccess, filters: Filters | None = None) -> QuerySet[Recommendation]:
    """The plan's recommendations, with what the list and the summary show prefetched."""
    filters = filters or Filters()
    qs = Recommendation.objects.filter(plan=access.plan)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.addressee:
        qs = qs.filter(addressees__code=filters.addressee)
    if filters.pillar:
        path = (
            FrameworkNode.objects.filter(plan=access.plan, code=filters.pillar, parent__isnull=True)
            .values_list("path", flat=True)
            .first()
        )
        # An unknown pillar matches nothing rather than everything.
        qs = qs.filter(nodes__path__startswith=path) if path else qs.none()
    return qs.distinct().prefetch_related(
        Prefetch("addressees", queryset=Organisation.objects.order_by("name")),
        Prefetch("nodes", queryset=FrameworkNode.objects.order_by("path")),
        Prefetch(
            "assessments",
            queryset=Assessment.objects.filter(visible_assessments(access)).select_related(
                "organisation"
            ),
            to_attr="visible_assessments",
        ),
    )


def recommendation_for(access: PlanAccess, pk: int) -> Recommendation:
    rec = (
        recommendations(access)
        .select_related("finding__review", "created_by")
        .filter(pk=pk)
        .prefetch_related(
            "responses__organisation",
            "responses__by",
            "history__by",
            "history__response__organisation",
        )
        .prefetch_related("decisions__organisation")
        .first()
    )
    if rec is None:
        raise NotFound(_("No recommendation %(id)s.") % {"id": pk})
    return rec


@dataclass
class Row:
    """One row of a "fully implemented by …" table."""

    key: str
    label: str
    total: int = 0
    fully: int = 0
    # The organisation or the pillar the row names, for the page to show its name in the
    # reader's language or marked as another (core/translated.py); None for a source.
    item: Organisation | FrameworkNode | None = None


@dataclass
class Comparison:
    recommendation: Recommendation
    assessments: list[Assessment]

    @property
    def disagrees(self) -> bool:
        return any(a.status != self.recommendation.status for a in self.assessments)


@dataclass
class Summary:
    total: int = 0
    by_status: list[Row] = field(default_factory=list)
    by_source: list[Row] = field(default_factory=list)
    by_addressee: list[Row] = field(default_factory=list)
    by_pillar: list[Row] = field(default_factory=list)
    overdue: list[Recommendation] = field(default_factory=list)
    compared: list[Comparison] = field(default_factory=list)
    items: list[Recommendation] = field(default_factory=list)

    @property
    def fully(self) -> int:
        return next((r.total for r in self.by_status if r.key == RecStatus.FULLY), 0)

    @property
    def disagreements(self) -> int:
        return sum(1 for c in self.compared if c.disagrees)


def _pillars(access: PlanAccess) -> dict[str, FrameworkNode]:
    """The plan's pillars (root nodes) by their id's path segment."""
    return {
        str(n.pk): n
        for n in FrameworkNode.objects.filter(plan=access.plan, parent__isnull=True).order_by(
            "order", "code"
        )
    }


def pillar_of(node: FrameworkNode, pillars: dict[str, FrameworkNode]) -> FrameworkNode | None:
    # path is "/<root id>/<child id>/…": the first segment names the pillar.
    root = node.path.strip("/").split("/", 1)[0]
    return pillars.get(root)


def summary(
    access: PlanAccess, filters: Filters | None = None, today: date | None = None
) -> Summary:
    today = today or timezone.localdate()
    items = list(recommendations(access, filters))
    pillars = _pillars(access)
    out = Summary(total=len(items), items=items)
    statuses = Counter(r.status for r in items)
    out.by_status = [
        Row(s.value, str(s.label), total=statuses.get(s.value, 0), fully=0) for s in RecStatus
    ]
    sources: dict[str, Row] = {}
    addressees: dict[str, Row] = {}
    by_pillar: dict[str, Row] = {}
    for rec in items:
        fully = int(rec.status == RecStatus.FULLY)
        row = sources.setdefault(rec.source, Row(rec.source, str(rec.get_source_display())))
        row.total += 1
        row.fully += fully
        for org in rec.addressees.all():
            row = addressees.setdefault(org.code, Row(org.code, shown(org, "name").text, item=org))
            row.total += 1
            row.fully += fully
        # Once per pillar, even when several of the recommendation's nodes are in it.
        mine = {p.pk: p for n in rec.nodes.all() if (p := pillar_of(n, pillars)) is not None}
        for p in mine.values():
            title = shown(p, "title", original=access.plan.original_language).text
            row = by_pillar.setdefault(p.code, Row(p.code, f"{p.code} {title}", item=p))
            row.total += 1
            row.fully += fully
        if rec.is_overdue(today):
            out.overdue.append(rec)
        # Published assessments only: the summary is the same for every reader.
        published = [a for a in rec.visible_assessments if a.published]  # type: ignore[attr-defined]
        if published:
            out.compared.append(Comparison(rec, published))
    order = {m.value: i for i, m in enumerate(Mechanism)}
    out.by_source = sorted(sources.values(), key=lambda r: order[r.key])
    out.by_addressee = sorted(addressees.values(), key=lambda r: r.label)
    pillar_order = {p.code: i for i, p in enumerate(pillars.values())}
    out.by_pillar = sorted(by_pillar.values(), key=lambda r: pillar_order.get(r.key, 0))
    out.overdue.sort(key=lambda r: (r.due_on, r.pk))
    return out


def summary_data(s: Summary) -> dict[str, Any]:
    """The summary as plain data: what the API returns and what the tests compare to the page."""

    def rows(found: list[Row]) -> list[dict[str, Any]]:
        return [{"key": r.key, "label": r.label, "total": r.total, "fully": r.fully} for r in found]

    return {
        "total": s.total,
        "fully": s.fully,
        "by_status": {r.key: r.total for r in s.by_status},
        "by_source": rows(s.by_source),
        "by_addressee": rows(s.by_addressee),
        "by_pillar": rows(s.by_pillar),
        "overdue": [r.pk for r in s.overdue],
        "disagreements": [c.recommendation.pk for c in s.compared if c.disagrees],
    }


def to_answer(access: PlanAccess) -> list[Recommendation]:
    """Open recommendations addressed to an organisation the user is a focal point of, which
    that organisation has not responded to yet: the signed-in home's "to answer" list."""
    organisations = access.focal_organisations()
    if not organisations:
        return []
    return list(
        Recommendation.objects.filter(plan=access.plan, addressees__in=organisations)
        .exclude(status__in=CLOSED_STATUSES)
        .exclude(responses__organisation_id__in=organisations)
        .distinct()
        .order_by("due_on", "pk")
    )


def assessment_drafts(access: PlanAccess) -> list[Assessment]:
    """The user's organisations' assessments not yet published (monitors only)."""
    organisations = access.monitor_organisations()
    if not organisations:
        return []
    return list(
        Assessment.objects.filter(
            recommendation__plan=access.plan,
            organisation_id__in=organisations,
            published_at__isnull=True,
        )
        .select_related("recommendation")
        .order_by("at", "pk")
    )
