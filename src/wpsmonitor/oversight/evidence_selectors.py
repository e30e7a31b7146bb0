"""The auditor's evidence (docs/oversight.md, "The auditor's list of approved submissions"):
the plan's government submissions once the coordinator approved (or published) them, with
their reporting organisation, period, how many figures they hold and their evidence files.

Never civil society's submissions (theirs alone, `PlanAccess.can_view_submission`), never a
draft, a submission under review or one returned to its authors. Who may read the list is
asked of `PlanAccess.can_read_audit_evidence` by the callers; every file listed is one the
reader downloads through reporting's access-checked view (`reporting:evidence`), whose rule
(`can_view_submission`) lets the coordinator and the auditors read approved government
submissions. A fixed number of queries, whatever the number of submissions and files.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from wpsmonitor.core.vocabulary import SourceKind
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.models import Period
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.models import FINAL_STATUSES, Evidence, Submission


@dataclass(frozen=True)
class EvidenceFilters:
    """What the list is narrowed to: a period code and an organisation code ("" for any)."""

    period: str = ""
    organisation: str = ""


def _approved_government(plan: Plan) -> QuerySet[Submission]:
    return Submission.objects.filter(
        round__plan=plan,
        source__kind=SourceKind.GOVERNMENT,
        status__in=FINAL_STATUSES,
    )


def approved_submissions(plan: Plan, filters: EvidenceFilters) -> QuerySet[Submission]:
    """The plan's approved or published government submissions, newest period first, each
    with `figure_count` (the figures it holds) and its evidence files prefetched (one query
    for all of them). Paginate it: the page costs a count, the rows and the files."""
    found = _approved_government(plan)
    if filters.period:
        found = found.filter(round__period__code=filters.period)
    if filters.organisation:
        found = found.filter(organisation__code=filters.organisation)
    filled = Q(values__value__isnull=False) | ~Q(values__text_value="")
    return (
        found.select_related("round__period", "organisation", "area")
        .annotate(figure_count=Count("values", filter=filled, distinct=True))
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("indicator", "action").order_by(
                    "uploaded_at", "pk"
                ),
            )
        )
        .order_by("-round__period__start", "organisation__name", "area__path", "pk")
    )


def evidence_periods(plan: Plan) -> list[Period]:
    """The periods the plan has approved government submissions for (the filter's choices)."""
    return list(
        Period.objects.filter(
            pk__in=_approved_government(plan).values("round__period_id")
        ).order_by("-start", "end")
    )


def evidence_organisations(plan: Plan) -> list[Organisation]:
    """The organisations with approved government submissions on the plan."""
    return list(
        Organisation.objects.filter(
            pk__in=_approved_government(plan).values("organisation_id")
        ).order_by("name")
    )
