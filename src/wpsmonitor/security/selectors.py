"""Reads of the security-sector module (docs/security-sector.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.core.errors import NotFound
from wpsmonitor.directory.counts import Figures, suppressed_counts
from wpsmonitor.directory.models import Area
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.security.assessment import themes_of
from wpsmonitor.security.models import (
    RANK_BAND_CATEGORY,
    AssessmentFramework,
    AssessmentStatus,
    Course,
    Deployment,
    DeskCases,
    DeskStatus,
    InstitutionAssessment,
    Participation,
    Personnel,
    SecurityInstitution,
    SecurityUnit,
    Sex,
    TrainingPhase,
    TrainingSession,
    UNCategory,
    WomensDesk,
)


def institutions(plan: Plan) -> QuerySet[SecurityInstitution]:
    return (
        SecurityInstitution.objects.filter(plan=plan)
        .select_related("organisation", "institutional_plan", "package")
        .order_by("code")
    )


def institution_for(plan: Plan, code: str) -> SecurityInstitution:
    found = (
        SecurityInstitution.objects.filter(plan=plan, code=code)
        .select_related("plan__area", "organisation", "institutional_plan")
        .first()
    )
    if found is None:
        raise NotFound(_("No such institution."))
    return found


def desks(plan: Plan) -> QuerySet[WomensDesk]:
    return (
        WomensDesk.objects.filter(institution__plan=plan)
        .select_related("institution", "area")
        .order_by("area__path", "name")
    )


def institution_removal_refused(institution: SecurityInstitution) -> str:
    """Why the institution cannot be removed, or "" (docs/security-sector.md, "Editing"):
    its package's indicators, desks, units, courses, personnel, deployments and
    self-assessments are records; an institution recorded by mistake has none."""
    held = (
        hasattr(institution, "package")
        or institution.desks.exists()
        or institution.units.exists()
        or institution.courses.exists()
        or institution.personnel.exists()
        or institution.deployments.exists()
        or institution.assessments.exists()
    )
    if held:
        return _(
            "The institution has an indicator package, desks, training, deployments or "
            "self-assessments: they are its record, so it is kept. Change it instead."
        )
    return ""


def desk_removal_refused(desk: WomensDesk) -> str:
    """Why the desk cannot be removed, or "": its case counts are its record (a closed desk
    is marked closed instead)."""
    if desk.cases.exists():
        return _(
            "The desk has case counts: they are its record, so it is kept. Mark it closed instead."
        )
    return ""


def desk_for(plan: Plan, pk: int) -> WomensDesk:
    found = (
        WomensDesk.objects.filter(institution__plan=plan, pk=pk)
        .select_related("institution__plan__area", "institution__organisation", "area")
        .first()
    )
    if found is None:
        raise NotFound(_("No such desk."))
    return found


def desk_cases(desk: WomensDesk) -> QuerySet[DeskCases]:
    return DeskCases.objects.filter(desk=desk).select_related("period").order_by("period__start")


def areas_for(plan: Plan) -> list[Area]:
    """The areas a desk of the plan may sit in: the plan's area and below."""
    return list(
        Area.objects.filter(path__startswith=plan.area.path)
        .select_related("level")
        .order_by("path")
    )


@dataclass
class CoverageRow:
    area: Area | None  # None: desks recorded at the plan's own area, in no province
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def open(self) -> int:
        return self.counts.get(DeskStatus.OPEN, 0)

    @property
    def planned(self) -> int:
        return self.counts.get(DeskStatus.PLANNED, 0)

    @property
    def closed(self) -> int:
        return self.counts.get(DeskStatus.CLOSED, 0)


def coverage(plan: Plan) -> list[CoverageRow]:
    """Desks by province (the areas right under the plan's) and status: every province, those
    without a desk too; a last row for desks recorded at the plan's own area, if any. Counts of
    desks, not of people: public. Two queries."""
    provinces = list(Area.objects.filter(parent=plan.area).order_by("name", "pk"))
    rows = {p.pk: CoverageRow(p) for p in provinces}
    unplaced = CoverageRow(None)
    for path, status in desks(plan).values_list("area__path", "status"):
        row = next((rows[p.pk] for p in provinces if path.startswith(p.path)), unplaced)
        row.counts[status] = row.counts.get(status, 0) + 1
    result = list(rows.values())
    if unplaced.counts:
        result.append(unplaced)
    return result


def package_nodes(institution: SecurityInstitution) -> list[FrameworkNode]:
    """Where the package may be adopted: a node of the institution's internal plan, or of the
    plan the institution is under."""
    plans = [institution.plan_id]
    if institution.institutional_plan_id is not None:
        plans.insert(0, institution.institutional_plan_id)
    return list(
        FrameworkNode.objects.filter(plan_id__in=plans)
        .select_related("plan")
        .order_by("plan_id", "path")
    )


# Training and deployments (docs/security-sector.md, "Training", "Deployments and the parity
# targets") ---------------------------------------------------------------------------------

# A follow-up "retains" what was learnt when its score is at most this many points below the
# post-test's (docs/security-sector.md, "Decided").
RETAINED_MARGIN = 10

RANK_CATEGORIES = ("officers", "ncos", "other_ranks")

# The UN Uniformed Gender Parity Strategy 2018-2028 (UN Department of Peace Operations,
# https://peacekeeping.un.org/en/uniformed-gender-parity-strategy-2018-2018-full-text): the
# targets for the share of women deployed, by category of personnel. Only the figures verified
# against a published source are here (docs/security-sector.md, "Deployments and the parity
# targets"): the end-of-strategy targets for 2028 (as restated by the Elsie Initiative Fund,
# https://elsiefund.org/un-strategies-eifund/) and DPO's statement of the 2021 military targets
# (8 % of troops, 18 % of individual military positions). A year without a verified target
# shows none: it is not interpolated.
PARITY_END_YEAR = 2028
PARITY_END_TARGETS: dict[str, float] = {
    "contingent": 0.15,
    "staff_observers": 0.25,
    "fpu": 0.20,
    "ipo": 0.30,
}
PARITY_YEAR_TARGETS: dict[str, dict[int, float]] = {
    "contingent": {2021: 0.08, 2028: 0.15},
    "staff_observers": {2021: 0.18, 2028: 0.25},
    "fpu": {2028: 0.20},
    "ipo": {2028: 0.30},
    "justice": {},
}


def parity_target(category: str, year: int) -> float | None:
    """The strategy's verified target for the category and year; None when none is verified."""
    return PARITY_YEAR_TARGETS.get(category, {}).get(year)


def units(institution: SecurityInstitution) -> list[SecurityUnit]:
    return list(SecurityUnit.objects.filter(institution=institution).select_related("area"))


def courses(institution: SecurityInstitution) -> QuerySet[Course]:
    return Course.objects.filter(institution=institution).order_by("title")


def sessions(institution: SecurityInstitution) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(course__institution=institution)
        .select_related("course", "area")
        .annotate(participants=Count("participations"))
        .order_by("-starts_on", "pk")
    )


def session_for(institution: SecurityInstitution, pk: int) -> TrainingSession:
    found = (
        TrainingSession.objects.filter(course__institution=institution, pk=pk)
        .select_related(
            "course__institution__plan__area", "course__institution__organisation", "area"
        )
        .first()
    )
    if found is None:
        raise NotFound(_("No such session."))
    return found


def roster(session: TrainingSession) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(session=session)
        .select_related("person__unit")
        .order_by("person__service_number")
    )


def participation_for(session: TrainingSession, pk: int) -> Participation:
    found = Participation.objects.filter(session=session, pk=pk).select_related("person").first()
    if found is None:
        raise NotFound(_("No such participant."))
    return found


@dataclass(frozen=True)
class ScoreRecord:
    """One participation, as the impact indicators read it."""

    person: int
    sex: str
    rank: str
    pre: int | None
    post: int | None
    follow_up: int | None


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Impact:
    """The impact indicators of a group of participations (a unit, an institution)."""

    label: str
    participants: int  # distinct people
    women: int
    men: int
    by_rank: dict[str, int]  # distinct people by rank category
    attendances: int
    with_pre: int
    mean_pre: float | None  # over the attendances with a pre-test
    with_post: int
    mean_post: float | None  # over the attendances with a post-test
    paired: int  # attendances with both tests
    mean_gain: float | None  # post - pre, over the paired only
    improving: float | None  # share of the paired whose post-test is above their pre-test
    followed: int  # attendances with a follow-up
    mean_follow_up: float | None
    with_post_and_follow_up: int
    retained: float | None  # share of those whose follow-up >= post - RETAINED_MARGIN


def impact_of(label: str, records: list[ScoreRecord]) -> Impact:
    """The impact indicators of `records` (hand-worked cases: tests/security/test_training.py)."""
    people: dict[int, ScoreRecord] = {}
    for r in records:
        people.setdefault(r.person, r)
    pres = [r.pre for r in records if r.pre is not None]
    posts = [r.post for r in records if r.post is not None]
    paired = [(r.pre, r.post) for r in records if r.pre is not None and r.post is not None]
    follows = [r.follow_up for r in records if r.follow_up is not None]
    kept = [
        (r.post, r.follow_up) for r in records if r.post is not None and r.follow_up is not None
    ]
    by_rank = {c: 0 for c in RANK_CATEGORIES}
    for r in people.values():
        category = RANK_BAND_CATEGORY.get(r.rank)
        if category:
            by_rank[category] += 1
    return Impact(
        label=label,
        participants=len(people),
        women=sum(1 for r in people.values() if r.sex == "F"),
        men=sum(1 for r in people.values() if r.sex == "M"),
        by_rank=by_rank,
        attendances=len(records),
        with_pre=len(pres),
        mean_pre=_mean(pres),
        with_post=len(posts),
        mean_post=_mean(posts),
        paired=len(paired),
        mean_gain=_mean([post - pre for pre, post in paired]),
        improving=_share(sum(1 for pre, post in paired if post > pre), len(paired)),
        followed=len(follows),
        mean_follow_up=_mean(follows),
        with_post_and_follow_up=len(kept),
        retained=_share(
            sum(1 for post, follow in kept if follow >= post - RETAINED_MARGIN), len(kept)
        ),
    )


def training_impact(
    institution: SecurityInstitution,
    *,
    phase: str | None = None,
    years: set[int] | None = None,
) -> list[tuple[SecurityUnit | None, Impact]]:
    """The impact indicators by unit (the participant's unit), those without a unit last if
    any, then the whole institution (unit None, label "All units"); of the sessions that began
    in `years` if given. One query for the records and one for the units."""
    rows = Participation.objects.filter(session__course__institution=institution)
    if phase:
        rows = rows.filter(session__phase=phase)
    if years is not None:
        rows = rows.filter(session__starts_on__year__in=sorted(years))
    by_unit: dict[int | None, list[ScoreRecord]] = {}
    every: list[ScoreRecord] = []
    for person, sex, rank, unit_id, pre, post, follow in rows.values_list(
        "person_id",
        "person__sex",
        "person__rank",
        "person__unit_id",
        "pre_score",
        "post_score",
        "follow_up_score",
    ):
        record = ScoreRecord(person, sex, rank, pre, post, follow)
        by_unit.setdefault(unit_id, []).append(record)
        every.append(record)
    result: list[tuple[SecurityUnit | None, Impact]] = [
        (u, impact_of(u.name, by_unit.get(u.pk, []))) for u in units(institution)
    ]
    if by_unit.get(None):
        result.append((None, impact_of(_("No unit recorded"), by_unit[None])))
    result.append((None, impact_of(_("All units"), every)))
    return result


def deployments(institution: SecurityInstitution) -> QuerySet[Deployment]:
    return (
        Deployment.objects.filter(institution=institution)
        .select_related("unit")
        .order_by("-starts_on", "pk")
    )


def unit_for(institution: SecurityInstitution, pk: int) -> SecurityUnit:
    found = (
        SecurityUnit.objects.filter(institution=institution, pk=pk).select_related("area").first()
    )
    if found is None:
        raise NotFound(_("No such unit."))
    return found


def course_for(institution: SecurityInstitution, pk: int) -> Course:
    found = Course.objects.filter(institution=institution, pk=pk).first()
    if found is None:
        raise NotFound(_("No such course."))
    return found


def deployment_for(institution: SecurityInstitution, pk: int) -> Deployment:
    found = (
        Deployment.objects.filter(institution=institution, pk=pk)
        .select_related("unit", "institution__plan__area", "institution__organisation")
        .first()
    )
    if found is None:
        raise NotFound(_("No such deployment."))
    return found


@dataclass(frozen=True)
class Deployed:
    """Who a deployment sent and who of them had the pre-deployment training."""

    women: int
    men: int
    women_trained: int | None
    men_trained: int | None
    entered: bool  # True: counts entered by hand; False: derived from the individuals

    @property
    def total(self) -> int:
        return self.women + self.men

    @property
    def women_share(self) -> float | None:
        return _share(self.women, self.total)

    @property
    def trained(self) -> int | None:
        if self.women_trained is None and self.men_trained is None:
            return None
        return (self.women_trained or 0) + (self.men_trained or 0)

    @property
    def trained_share(self) -> float | None:
        trained = self.trained
        return None if trained is None else _share(trained, self.total)


def _trained_flag(person_field: str) -> Exists:
    """Whether the person of a deployment's membership row attended a session of the "before
    deployment" phase that ended before the deployment started (a subquery)."""
    return Exists(
        Participation.objects.filter(
            person=OuterRef(person_field),
            session__phase=TrainingPhase.BEFORE,
            session__ends_on__lt=OuterRef("deployment__starts_on"),
        )
    )


def _memberships(deployment_ids: list[int]) -> dict[int, list[tuple[int, str, bool]]]:
    """The individuals of the deployments, each (person, sex, trained before the deployment),
    by deployment. One query, however many deployments."""
    found: dict[int, list[tuple[int, str, bool]]] = {pk: [] for pk in deployment_ids}
    if not deployment_ids:
        return found
    through = Deployment.members.through
    rows = (
        through.objects.filter(deployment_id__in=deployment_ids)
        .annotate(trained=_trained_flag("personnel_id"))  # type: ignore[misc]
        .values_list("deployment_id", "personnel_id", "personnel__sex", "trained")
    )
    for deployment_id, person, sex, trained in rows:
        found[deployment_id].append((person, sex, bool(trained)))
    return found


def trained_before(deployment: Deployment) -> set[int]:
    """The deployment's individuals who attended a session of the "before deployment" phase
    that ended before the deployment started. One query."""
    return {p for p, _sex, trained in _memberships([deployment.pk])[deployment.pk] if trained}


def _deployed_of(deployment: Deployment, members: list[tuple[int, str, bool]]) -> Deployed:
    if deployment.by_counts:
        return Deployed(
            women=deployment.women or 0,
            men=deployment.men or 0,
            women_trained=deployment.women_trained,
            men_trained=deployment.men_trained,
            entered=True,
        )
    return Deployed(
        women=sum(1 for _pk, sex, _t in members if sex == "F"),
        men=sum(1 for _pk, sex, _t in members if sex == "M"),
        women_trained=sum(1 for _pk, sex, trained in members if sex == "F" and trained),
        men_trained=sum(1 for _pk, sex, trained in members if sex == "M" and trained),
        entered=False,
    )


def deployed(deployment: Deployment) -> Deployed:
    """The people a deployment sent, by sex, and those trained before it: derived from the
    individuals, or as entered for a deployment given by counts. One query at most."""
    if deployment.by_counts:
        return _deployed_of(deployment, [])
    return _deployed_of(deployment, _memberships([deployment.pk])[deployment.pk])


def deployed_many(items: list[Deployment]) -> list[tuple[Deployment, Deployed]]:
    """Each deployment with the people it sent (as `deployed`): one query for all of them."""
    members = _memberships([d.pk for d in items if not d.by_counts])
    return [(d, _deployed_of(d, members.get(d.pk, []))) for d in items]


def deployment_members(deployment: Deployment) -> list[tuple[Personnel, bool]]:
    """The individuals and whether each had the pre-deployment training. One query."""
    found = (
        deployment.members.select_related("unit")
        .annotate(
            trained=Exists(
                Participation.objects.filter(
                    person=OuterRef("pk"),
                    session__phase=TrainingPhase.BEFORE,
                    session__ends_on__lt=deployment.starts_on,
                )
            )
        )
        .order_by("service_number")
    )
    return [(p, bool(p.trained)) for p in found]


@dataclass(frozen=True)
class ParityRow:
    year: int
    category: str
    label: str
    women: int
    men: int
    trained: int | None  # of them, trained before deployment (None: not known for any)
    known: int  # the people whose training is known (individuals, or entered counts)

    @property
    def total(self) -> int:
        return self.women + self.men

    @property
    def share(self) -> float | None:
        return _share(self.women, self.total)

    @property
    def target(self) -> float | None:
        return parity_target(self.category, self.year)

    @property
    def end_target(self) -> float | None:
        return PARITY_END_TARGETS.get(self.category)

    @property
    def meets(self) -> bool | None:
        target = self.target
        share = self.share
        return None if target is None or share is None else share >= target

    @property
    def trained_share(self) -> float | None:
        return None if self.trained is None else _share(self.trained, self.known)


def parity(
    plan: Plan,
    institution: SecurityInstitution | None = None,
    *,
    years: set[int] | None = None,
) -> list[ParityRow]:
    """The people deployed by year (of the deployment's start) and UN category, with the
    women's share against the strategy's target for the year, and those trained before
    deployment; only the years in `years` if given. Newest year first, categories in the UN's
    order."""
    found = Deployment.objects.filter(institution__plan=plan)
    if institution is not None:
        found = found.filter(institution=institution)
    if years is not None:
        found = found.filter(starts_on__year__in=sorted(years))
    groups: dict[tuple[int, str], list[Deployed]] = {}
    # Two queries, however many deployments (tests/security/test_training_edit.py).
    for d, sent in deployed_many(list(found)):
        groups.setdefault((d.starts_on.year, d.category), []).append(sent)
    order = {c: i for i, c in enumerate(UNCategory.values)}
    labels = dict(UNCategory.choices)
    rows = []
    for (year, category), items in sorted(
        groups.items(), key=lambda kv: (-kv[0][0], order[kv[0][1]])
    ):
        with_training = [d for d in items if d.trained is not None]
        rows.append(
            ParityRow(
                year=year,
                category=category,
                label=str(labels[category]),
                women=sum(d.women for d in items),
                men=sum(d.men for d in items),
                trained=sum(d.trained or 0 for d in with_training) if with_training else None,
                known=sum(d.total for d in with_training),
            )
        )
    return rows


# The public figures: aggregates after disclosure control ------------------------------------


def _shown(value: int, threshold: int) -> int | None:
    """A count as the public reads it: None ("fewer than" the threshold) below it, zero
    included (directory/counts.py's rule)."""
    return value if value >= threshold else None


def training_figures(plan: Plan) -> Figures:
    """Attendances of training sessions by phase and sex × province × year (of the session's
    first day), after disclosure control (directory/counts.py): a count below the plan's
    threshold, a zero included, reads "fewer than" it; no total. Two queries."""
    labels = dict(TrainingPhase.choices)
    rows = [
        (f"{phase}:{sex}", f"{labels[phase]} · {sex_label}")
        for phase in TrainingPhase.values
        for sex, sex_label in Sex.choices
    ]
    return suppressed_counts(
        area=plan.area,
        start=plan.start,
        end=plan.end,
        threshold=plan.disclosure_threshold,
        rows=rows,
        records=(
            (f"{phase}:{sex}", path, day)
            for phase, sex, path, day in Participation.objects.filter(
                session__course__institution__plan=plan
            ).values_list(
                "session__phase", "person__sex", "session__area__path", "session__starts_on"
            )
        ),
    )


@dataclass(frozen=True)
class PublicImpact:
    """An institution's or unit's impact indicators as the public reads them: each mean or
    share only when the people it is computed over reach the disclosure threshold."""

    label: str
    participants: int | None
    women: int | None
    men: int | None
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    improving: float | None
    mean_follow_up: float | None
    retained: float | None


def public_impact(impact: Impact, threshold: int) -> PublicImpact:
    def over(n: int, value: float | None) -> float | None:
        return value if n >= threshold else None

    return PublicImpact(
        label=impact.label,
        participants=_shown(impact.participants, threshold),
        women=_shown(impact.women, threshold),
        men=_shown(impact.men, threshold),
        mean_pre=over(impact.with_pre, impact.mean_pre),
        mean_post=over(impact.with_post, impact.mean_post),
        mean_gain=over(impact.paired, impact.mean_gain),
        improving=over(impact.paired, impact.improving),
        mean_follow_up=over(impact.followed, impact.mean_follow_up),
        retained=over(impact.with_post_and_follow_up, impact.retained),
    )


@dataclass(frozen=True)
class PublicParityRow:
    year: int
    category: str
    label: str
    women: int | None
    men: int | None
    share: float | None  # only when both counts are shown
    target: float | None
    end_target: float | None
    trained_share: float | None  # only when the trained and the untrained are both shown


def public_parity(row: ParityRow, threshold: int) -> PublicParityRow:
    women = _shown(row.women, threshold)
    men = _shown(row.men, threshold)
    trained_shown = (
        row.trained is not None
        and row.trained >= threshold
        and row.known - row.trained >= threshold
    )
    return PublicParityRow(
        year=row.year,
        category=row.category,
        label=row.label,
        women=women,
        men=men,
        share=row.share if women is not None and men is not None else None,
        target=row.target,
        end_target=row.end_target,
        trained_share=row.trained_share if trained_shown else None,
    )


# Self-assessment (docs/security-sector.md, "Self-assessment") -----------------------------


def assessments_of(
    institution: SecurityInstitution, *, drafts: bool
) -> list[InstitutionAssessment]:
    """The institution's assessments, oldest first, with their scores (drafts only if asked:
    for the plan's members)."""
    found = InstitutionAssessment.objects.filter(institution=institution)
    if not drafts:
        found = found.filter(status=AssessmentStatus.PUBLISHED)
    return list(found.prefetch_related("scores").order_by("framework", "assessed_on", "pk"))


def assessment_for(
    institution: SecurityInstitution, pk: int, *, drafts: bool
) -> InstitutionAssessment:
    found = next((a for a in assessments_of(institution, drafts=drafts) if a.pk == pk), None)
    if found is None:
        raise NotFound(_("No such assessment."))
    return found


@dataclass
class ThemeRow:
    code: str
    name: str
    scores: list[int | None]  # one per assessment of the trend, oldest first
    change: int | None  # the latest score less the previous assessment's, if both are known


@dataclass
class FrameworkTrend:
    framework: str
    label: str
    assessments: list[InstitutionAssessment]
    rows: list[ThemeRow]

    @property
    def latest(self) -> InstitutionAssessment:
        return self.assessments[-1]

    @property
    def previous(self) -> InstitutionAssessment | None:
        return self.assessments[-2] if len(self.assessments) > 1 else None


def _scores(assessment: InstitutionAssessment) -> dict[str, int]:
    return {s.theme: s.score for s in assessment.scores.all()}


def trends(found: list[InstitutionAssessment]) -> list[FrameworkTrend]:
    """Scores by theme over time, one trend per framework (an assessment is compared only with
    one of its own framework), with each theme's change since the previous assessment: the
    latest score less the one before it. Each theme in the framework's order."""
    result: list[FrameworkTrend] = []
    for framework, label in AssessmentFramework.choices:
        mine = sorted(
            (a for a in found if a.framework == framework), key=lambda a: (a.assessed_on, a.pk)
        )
        if not mine:
            continue
        by_assessment = [_scores(a) for a in mine]
        rows = []
        for theme in themes_of(framework):
            scores = [s.get(theme.code) for s in by_assessment]
            last = scores[-1]
            before = scores[-2] if len(scores) > 1 else None
            change = last - before if last is not None and before is not None else None
            rows.append(ThemeRow(theme.code, str(theme.name), scores, change))
        result.append(FrameworkTrend(framework, str(label), mine, rows))
    return result


@dataclass
class LatestAssessment:
    institution: SecurityInstitution
    trend: FrameworkTrend


def latest_by_institution(plan: Plan, until: date | None = None) -> list[LatestAssessment]:
    """Each institution's latest published assessment per framework (held by `until`, if given),
    with the change since the previous published one of the same framework (for the report)."""
    published = InstitutionAssessment.objects.filter(
        institution__plan=plan, status=AssessmentStatus.PUBLISHED
    )
    if until is not None:
        published = published.filter(assessed_on__lte=until)
    published = (
        published.select_related("institution__organisation")
        .prefetch_related("scores")
        .order_by("institution__code", "assessed_on", "pk")
    )
    grouped: dict[int, list[InstitutionAssessment]] = {}
    institutions: dict[int, SecurityInstitution] = {}
    for a in published:
        grouped.setdefault(a.institution_id, []).append(a)
        institutions[a.institution_id] = a.institution
    return [
        LatestAssessment(institutions[pk], trend)
        for pk, found in grouped.items()
        for trend in trends(found)
    ]
