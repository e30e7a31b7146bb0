"""Reads of the reporting cycle: objects for a user (404 when they may not see them), the to-do
list, reporting completeness and the submission's history. Fixed numbers of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess, Viewer
from wpsmonitor.accounts.models import CIVIL_SOCIETY_ROLES, PlanRole, Role, RoleEvent
from wpsmonitor.core.errors import NotFound
from wpsmonitor.core.names import localized_name
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    DimensionOption,
    Indicator,
    SourceKind,
)
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reporting.models import (
    FINAL_STATUSES,
    Assignment,
    Evidence,
    ReportingRound,
    RoundStatus,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)


def submission_for(user: Viewer, pk: int) -> tuple[Submission, PlanAccess]:
    """A submission the user may see, with their rights; 404 for all others, so that guessing
    ids tells nothing (not even that the submission exists)."""
    submission = (
        Submission.objects.select_related(
            "round__plan__area", "round__period", "organisation", "area", "source", "created_by"
        )
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise NotFound(_("No submission %(id)s.") % {"id": pk})
    access = PlanAccess.load(user, submission.round.plan)
    if not access.can_view_submission(submission):
        raise NotFound(_("No submission %(id)s.") % {"id": pk})
    return submission, access


def evidence_for(user: Viewer, pk: int) -> Evidence:
    """A file the user may download, or 404: those who may see its submission may; the plan's
    readers too once the submission is approved or published, if its authors shared the file."""
    item = (
        Evidence.objects.select_related("submission__round__plan", "submission__source")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No such file")
    if evidence_is_public(item):
        if PlanAccess.load(user, item.submission.round.plan).can_read_plan():
            return item
        raise Http404("No such file")
    submission_for(user, item.submission_id)  # 404 unless the reader may see the submission
    return item


def evidence_is_public(item: Evidence) -> bool:
    return item.shared and item.submission.status in FINAL_STATUSES


def round_for(access: PlanAccess, period_code: str) -> ReportingRound:
    round_ = (
        ReportingRound.objects.select_related("period", "plan")
        .filter(plan=access.plan, period__code=period_code)
        .first()
    )
    if round_ is None:
        raise Http404("No such round")
    return round_


@dataclass
class Owed:
    """One line of a to-do list: what an organisation owes for an area in a round."""

    round: ReportingRound
    organisation: Organisation
    area: Area
    civil_society: bool
    submission: Submission | None = None

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else ""

    @property
    def done(self) -> bool:
        return self.status in (
            SubmissionStatus.SUBMITTED,
            SubmissionStatus.APPROVED,
            SubmissionStatus.PUBLISHED,
        )


@dataclass
class PlanTodo:
    plan: Plan
    access: PlanAccess
    owed: list[Owed] = field(default_factory=list)
    to_review: list[Submission] = field(default_factory=list)


def todo_for(user: User) -> list[PlanTodo]:
    """What the user owes in every open round of their plans, and what awaits their review."""
    roles = list(
        PlanRole.objects.filter(user=user).select_related("plan__area", "organisation", "area")
    )
    plans: dict[int, Plan] = {r.plan_id: r.plan for r in roles}
    rounds = list(
        ReportingRound.objects.filter(plan_id__in=plans, status=RoundStatus.OPEN)
        .select_related("period")
        .order_by("deadline")
    )
    # Only the focal points' own (organisation, area) pairs, found in SQL: a ministry has
    # assignments in every province, a provincial focal point owes only their own.
    focal = Q(pk__in=[])
    for r in roles:
        if r.role == Role.FOCAL_POINT and r.organisation_id is not None:
            scope = Q(plan_id=r.plan_id, organisation_id=r.organisation_id)
            if r.area is not None:
                scope &= Q(area__path__startswith=r.area.path)
            focal |= scope
    assigned = _assigned_pairs(Assignment.objects.filter(focal))
    submissions = {
        (s.round_id, s.organisation_id, s.area_id, s.source.kind != SourceKind.GOVERNMENT): s
        for s in Submission.objects.filter(round__in=rounds).select_related("source")
    }
    result = []
    for plan_id, plan in plans.items():
        access = PlanAccess.load(user, plan)
        todo = PlanTodo(plan=plan, access=access)
        for round_ in (r for r in rounds if r.plan_id == plan_id):
            seen: set[tuple[int, int, bool]] = set()
            for assigned_plan, organisation, area in assigned:
                if assigned_plan != plan_id:
                    continue
                key = (organisation.pk, area.pk, False)
                if key in seen:
                    continue
                seen.add(key)
                todo.owed.append(
                    Owed(round_, organisation, area, False, submissions.get((round_.pk, *key)))
                )
            for role in roles:
                if (
                    role.plan_id != plan_id
                    or role.role != Role.MONITOR
                    or role.organisation is None
                ):
                    continue
                key = (role.organisation.pk, plan.area_id, True)
                if key in seen:
                    continue
                seen.add(key)
                todo.owed.append(
                    Owed(
                        round_,
                        role.organisation,
                        plan.area,
                        True,
                        submissions.get((round_.pk, *key)),
                    )
                )
        if access.is_coordinator:
            todo.to_review = list(
                Submission.objects.filter(
                    round__plan=plan,
                    status=SubmissionStatus.SUBMITTED,
                    source__code=GOVERNMENT_SOURCE,
                )
                .select_related("round__period", "organisation", "area")
                .order_by("submitted_at")
            )
        result.append(todo)
    return result


@dataclass
class CompletenessRow:
    organisation: Organisation
    area: Area
    submission: Submission | None


def _assigned_pairs(assignments: QuerySet[Assignment]) -> list[tuple[int, Organisation, Area]]:
    """The distinct (plan, organisation, area) of some assignments, with their objects, ordered
    by area then organisation: a plan has thousands of assignments but few such pairs."""
    pairs = list(assignments.values_list("plan_id", "organisation_id", "area_id").distinct())
    organisations = Organisation.objects.in_bulk({o for _p, o, _a in pairs})
    areas = Area.objects.in_bulk({a for _p, _o, a in pairs})
    rows = [(plan, organisations[o], areas[a]) for plan, o, a in pairs]
    rows.sort(key=lambda r: (r[2].path, r[1].name))
    return rows


def round_completeness(round_: ReportingRound) -> list[CompletenessRow]:
    """Every (organisation, area) assigned in the plan, with its government submission."""
    submissions = {
        (s.organisation_id, s.area_id): s
        for s in Submission.objects.filter(round=round_, source__code=GOVERNMENT_SOURCE)
    }
    return [
        CompletenessRow(organisation, area, submissions.get((organisation.pk, area.pk)))
        for _plan, organisation, area in _assigned_pairs(
            Assignment.objects.filter(plan=round_.plan)
        )
    ]


def submissions_visible(access: PlanAccess) -> Q:
    """A filter on Submission for what this user may see on the plan (one query with it)."""
    mine = Q(
        source__kind=SourceKind.CIVIL_SOCIETY, organisation_id__in=access.monitor_organisations()
    )
    government = Q(source__code=GOVERNMENT_SOURCE)
    if access.is_coordinator:
        return government | mine
    focal = Q(pk__in=[])
    for org in access.focal_organisations():
        for path in access.focal_areas(org):
            scope = Q(organisation_id=org)
            if path is not None:
                scope &= Q(area__path__startswith=path)
            focal |= scope
    return (government & focal) | mine


def plan_submissions(access: PlanAccess) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(round__plan=access.plan)
        .filter(submissions_visible(access))
        .select_related("round__period", "organisation", "area", "source")
        .order_by("-round__period__start", "area__path")
    )


# Civil society's own indicators ----------------------------------------------------------------


def own_indicators(access: PlanAccess) -> list[Indicator]:
    """The civil-society indicators of the plan this viewer may see: published ones, and their
    own organisation's drafts. One query."""
    return list(
        Indicator.objects.filter(plan=access.plan, owner_organisation__isnull=False)
        .exclude(access.hidden_indicators())
        .select_related("owner_organisation", "node", "scheme")
        .order_by("owner_organisation__name", "order", "code")
    )


def own_indicator_for_editor(access: PlanAccess, code: str) -> Indicator | None:
    """An own indicator of one of the viewer's organisations, or None."""
    return (
        Indicator.objects.filter(
            Q(owner_organisation_id__in=access.monitor_organisations()),
            plan=access.plan,
            code=code,
        )
        .select_related("owner_organisation", "node", "scheme")
        .first()
    )


def entry_window_open(round_: ReportingRound, organisation_id: int) -> bool:
    """Open round, or a closed round with a live exception for the organisation."""
    if round_.is_open:
        return True
    return round_.exceptions.filter(
        organisation_id=organisation_id, until__gte=timezone.localdate()
    ).exists()


@dataclass
class PeoplePage:
    """What the people page shows one user: the roles and history within their reach, and the
    roles they may give, for which organisations."""

    roles: list[tuple[PlanRole, bool]]  # each role, and whether this user may take it away
    events: QuerySet[RoleEvent]
    role_choices: list[tuple[str, str]]
    organisations: QuerySet[Organisation]
    names_first_administrators: bool

    @property
    def listed_roles(self) -> list[PlanRole]:
        """The roles alone: what the table's note about organisations' names reads."""
        return [role for role, _removable in self.roles]


def people_page(access: PlanAccess) -> PeoplePage:
    """The coordinator and the administrator see every role and its history, and give
    government roles (the administrator also names a civil-society organisation's first
    administrator); an organisation administrator sees and gives their organisation's roles.
    Three queries, whatever the number of people."""
    plan = access.plan
    roles = PlanRole.objects.filter(plan=plan)
    events = RoleEvent.objects.filter(plan=plan)
    organisations = Organisation.objects.order_by("name")
    administered = access.administered_organisations()
    choices: list[tuple[str, str]] = []
    if access.is_coordinator:
        choices += [(v, str(label)) for v, label in Role.choices if v not in CIVIL_SOCIETY_ROLES]
    else:
        roles = roles.filter(organisation_id__in=administered)
        events = events.filter(organisation_id__in=administered)
        organisations = organisations.filter(pk__in=administered)
    if administered:
        choices += [(v, str(label)) for v, label in Role.choices if v in CIVIL_SOCIETY_ROLES]
    elif access.admin:
        choices.append((Role.ORGANISATION_ADMIN, str(Role.ORGANISATION_ADMIN.label)))
    listed = roles.select_related("user", "organisation", "area").order_by("role", "user__username")
    return PeoplePage(
        roles=[(r, access.can_revoke_role(r.role, r.organisation_id)) for r in listed],
        events=events.select_related("organisation", "area"),
        role_choices=choices,
        organisations=organisations,
        names_first_administrators=access.admin,
    )


# The history of a submission ------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryItem:
    """One event of a submission's history, its changes named for people: "REL-01 Women in
    peace delegations (Female, 0-17, No disability)", not the stored key
    "REL-01 [sex=F;age=0-17;disability=no]"."""

    event: SubmissionEvent
    changes: list[dict[str, str]]


def _split_what(what: str) -> tuple[str, list[tuple[str, str]]]:
    """ "REL-01 [sex=F;age=0-17]" -> ("REL-01", [("sex", "F"), ("age", "0-17")])."""
    code, _sep, cell = what.partition(" [")
    pairs = []
    for part in cell.rstrip("]").split(";") if cell else []:
        dimension, _eq, option = part.partition("=")
        pairs.append((dimension, option))
    return code, pairs


def submission_history(submission: Submission) -> list[HistoryItem]:
    """The submission's events, oldest first, each change labelled; four queries."""
    events = list(submission.events.select_related("actor"))
    split = [_split_what(str(ch.get("what", ""))) for e in events for ch in e.changes or [] if ch]
    codes = {code for code, _pairs in split}
    plan_id = submission.round.plan_id
    titles: dict[str, str] = {}
    if codes:
        titles.update(
            FrameworkNode.objects.filter(plan_id=plan_id, code__in=codes).values_list(
                "code", "title"
            )
        )
        # An indicator's code wins over an action's: the entry sheet saves both kinds.
        titles.update(
            Indicator.objects.filter(plan_id=plan_id, code__in=codes).values_list("code", "title")
        )
    dimensions = {d for _code, pairs in split for d, _o in pairs}
    options = (
        {
            (d, o): localized_name(name)
            for d, o, name in DimensionOption.objects.filter(
                dimension__code__in=dimensions
            ).values_list("dimension__code", "code", "name")
        }
        if dimensions
        else {}
    )

    def label(what: str) -> str:
        code, pairs = _split_what(what)
        text = f"{code} {titles[code]}" if code in titles else code
        if pairs:
            text += " (" + ", ".join(options.get(p, f"{p[0]}={p[1]}") for p in pairs) + ")"
        return text

    return [
        HistoryItem(
            event=e,
            changes=[{**ch, "what": label(str(ch.get("what", "")))} for ch in e.changes or []],
        )
        for e in events
    ]
