"""What the public homes of a plan and of a country show (docs/publishing.md, "The public portal").

Every indicator figure here comes from the plan's latest published release
(`publishing.selectors.published_release` and `release_figures`), never from the aggregates
or the fact table: a suppressed figure arrives without its value, with its flag, and is shown
as its flag's text ("fewer than 5"). What is not disclosure-controlled comes from its own app:
the framework's actions (plans), money (finance, iati), recommendations (accountability) and
the co-signed report (boards).

The key figures are the government's, for the plan's whole area, the whole plan to date
(period `ALL`) and the total (no disaggregation). Civil society's figures of the same indicator
stand beside them, each organisation apart, never merged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from wpsmonitor.accountability import selectors as accountability
from wpsmonitor.accounts.access import PlanAccess, Viewer
from wpsmonitor.boards.models import PeriodicReport, ReportStatus
from wpsmonitor.core.vocabulary import Sensitivity, SourceKind
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.finance import selectors as finance
from wpsmonitor.iati import flows
from wpsmonitor.iati import selectors as iati
from wpsmonitor.iati.flows import LOCAL
from wpsmonitor.indicators import selectors as figures
from wpsmonitor.indicators.in_force import in_force_filter
from wpsmonitor.indicators.models import (
    TOTAL_CELL,
    Baseline,
    GlobalIndicator,
    Indicator,
    Target,
)
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.portal.selectors import OFF_TRACK_TOLERANCE, expected_pace, visible_plans
from wpsmonitor.publishing import selectors as releases
from wpsmonitor.publishing.disclosure import Rule, Suppression
from wpsmonitor.publishing.flags import flag_text
from wpsmonitor.publishing.models import Flag, Release, ReleaseFigure, ReleaseStatus
from wpsmonitor.scorecard.scoring import achievement_of
from wpsmonitor.shell.templatetags.shell import value_as

WHOLE_PLAN = "ALL"
_RULE_OF_FLAG = {
    Flag.PRIMARY: Rule.SMALL,
    Flag.SECONDARY: Rule.COMPLEMENT,
    Flag.DERIVED: Rule.DERIVED,
}


class Track:
    ON = "on"
    OFF = "off"
    UNKNOWN = ""


@dataclass(frozen=True)
class Shown:
    """A release figure as the public sees it: its number (None when suppressed or absent),
    the text on screen, and its flag ("" when free)."""

    value: float | None
    text: str
    flag: str = ""

    @property
    def suppressed(self) -> bool:
        return bool(self.flag)


NOT_PUBLISHED = Shown(None, "", "")


def shown(row: ReleaseFigure | None, indicator: Indicator) -> Shown:
    """The figure's value formatted the indicator's way, or its flag's text."""
    if row is None:
        return NOT_PUBLISHED
    if row.flag:
        rule = _RULE_OF_FLAG[Flag(row.flag)]
        text = flag_text(Suppression(cell=row.pk, rule=rule, threshold=row.threshold))
        return Shown(None, text, row.flag)
    if row.value is None:
        return NOT_PUBLISHED
    value = float(row.value)
    return Shown(value, value_as(indicator, value))


@dataclass
class PublicIndicator:
    indicator: Indicator
    pillar: FrameworkNode | None
    figure: Shown
    target: float | None
    target_text: str
    achievement: float | None
    expected: float | None
    track: str  # Track


@dataclass
class PillarProgress:
    node: FrameworkNode
    indicators: int = 0
    published: int = 0  # with a published (not suppressed) figure
    suppressed: int = 0
    on_track: int = 0
    off_track: int = 0

    @property
    def share_published(self) -> float | None:
        return self.published / self.indicators if self.indicators else None


@dataclass(frozen=True)
class Account:
    """One stream's figure beside the government's: an organisation's, never summed."""

    organisation: Organisation | None
    figure: Shown


@dataclass(frozen=True)
class BothAccounts:
    indicator: Indicator
    government: Shown
    civil_society: list[Account]


@dataclass(frozen=True)
class Money:
    currency: str
    costed: Decimal
    allocated: Decimal
    spent: Decimal
    # Donor flows (IATI): what the funders paid, and what reached local and women-led
    # organisations, in `flow_currency`; None when the plan has no donor activity.
    flow_currency: str | None = None
    entered: Decimal | None = None
    local: Decimal | None = None
    women_led: Decimal | None = None
    women_led_share: float | None = None


@dataclass(frozen=True)
class Recommendations:
    total: int
    fully: int


@dataclass
class PublicPlan:
    plan: Plan
    release: Release | None
    actions: figures.ActionsSummary
    indicators: list[PublicIndicator] = field(default_factory=list)
    pillars: list[PillarProgress] = field(default_factory=list)
    accounts: list[BothAccounts] = field(default_factory=list)
    money: Money | None = None
    recommendations: Recommendations | None = None
    report: PeriodicReport | None = None

    @property
    def off_track(self) -> list[PublicIndicator]:
        return [i for i in self.indicators if i.track == Track.OFF]

    @property
    def published(self) -> int:
        """Indicators with a published (not suppressed) government figure."""
        return sum(1 for i in self.indicators if i.figure.value is not None)

    @property
    def assessed(self) -> int:
        return sum(1 for i in self.indicators if i.track)


def public_indicators(plan: Plan) -> list[Indicator]:
    """The plan's indicators the public may see: not restricted, not civil society's own (those
    have their own page), not dropped by an approved revision (the current framework:
    indicators/in_force.py; its page still opens), in the framework's order."""
    return list(
        Indicator.objects.filter(in_force_filter(), plan=plan, owner_organisation__isnull=True)
        .exclude(sensitivity=Sensitivity.RESTRICTED)
        .select_related("node")
        .order_by("order", "code")
    )


def _pillars(plan: Plan) -> list[FrameworkNode]:
    return list(
        FrameworkNode.objects.filter(plan=plan, parent__isnull=True).order_by("order", "code")
    )


def _pillar_of(
    node: FrameworkNode | None, pillars: dict[str, FrameworkNode]
) -> FrameworkNode | None:
    if node is None:
        return None
    return pillars.get(node.path.strip("/").split("/", 1)[0])


def _final_targets(plan: Plan, indicators: list[Indicator]) -> dict[int, float]:
    """Each indicator's target for the plan's whole area and total, of its latest period: the
    target the plan is to reach by its end. One query."""
    found: dict[int, float] = {}
    rows = (
        Target.objects.filter(
            indicator__in=indicators, area=plan.area, cell__code=TOTAL_CELL, value__isnull=False
        )
        .order_by("indicator_id", "period__end")
        .values_list("indicator_id", "value")
    )
    for indicator_id, value in rows:
        if value is not None:
            found[indicator_id] = value  # ordered by period end: the last one wins
    return found


def _baselines(plan: Plan, indicators: list[Indicator]) -> dict[int, float]:
    """Each indicator's baseline for the plan's whole area and total. One query."""
    rows = Baseline.objects.filter(
        indicator__in=indicators, area=plan.area, cell__code=TOTAL_CELL, value__isnull=False
    ).values_list("indicator_id", "value")
    return {indicator_id: value for indicator_id, value in rows if value is not None}


def _headline_rows(release: Release, plan: Plan) -> list[ReleaseFigure]:
    """The release's totals for the plan's area and the whole plan, every stream. One query."""
    return list(
        releases.release_figures(release)
        .filter(area=plan.area, cell_key="", period_code=WHOLE_PLAN)
        .select_related("organisation")
    )


def public_plan(
    plan: Plan, *, user: Viewer | None = None, today: date, extras: bool = True
) -> PublicPlan:
    """The plan's public key figures; with `extras`, also money, recommendations and the
    latest co-signed report (the country home leaves them to the plan's own home)."""
    release = releases.published_release(plan)
    result = PublicPlan(
        plan=plan, release=release, actions=figures.actions_summary(plan=plan, today=today)
    )
    pillars = _pillars(plan)
    by_path = {str(p.pk): p for p in pillars}
    progress = {p.pk: PillarProgress(p) for p in pillars}
    indicators = public_indicators(plan)
    government: dict[int, ReleaseFigure] = {}
    others: dict[int, list[ReleaseFigure]] = defaultdict(list)
    if release is not None:
        for row in _headline_rows(release, plan):
            if row.source_kind == SourceKind.GOVERNMENT:
                government[row.indicator_id] = row
            elif row.source_kind == SourceKind.CIVIL_SOCIETY:
                others[row.indicator_id].append(row)
    targets = _final_targets(plan, indicators)
    baselines = _baselines(plan, indicators)
    for indicator in indicators:
        figure = shown(government.get(indicator.pk), indicator)
        target = targets.get(indicator.pk)
        achievement = expected = None
        track = Track.UNKNOWN
        if figure.value is not None:
            achievement = achievement_of(
                kind=indicator.kind,
                direction=indicator.direction,
                value=figure.value,
                target=target,
                baseline=baselines.get(indicator.pk),
            )
            if achievement is not None:
                achievement = max(0.0, min(achievement, 1.0))
                expected = expected_pace(
                    plan=plan, period_code=WHOLE_PLAN, today=today, direction=indicator.direction
                )
                track = Track.OFF if achievement < expected - OFF_TRACK_TOLERANCE else Track.ON
        pillar = _pillar_of(indicator.node, by_path)
        entry = PublicIndicator(
            indicator=indicator,
            pillar=pillar,
            figure=figure,
            target=target,
            target_text=value_as(indicator, target) if target is not None else "",
            achievement=achievement,
            expected=expected,
            track=track,
        )
        result.indicators.append(entry)
        if pillar is not None:
            tally = progress[pillar.pk]
            tally.indicators += 1
            tally.published += int(figure.value is not None)
            tally.suppressed += int(figure.suppressed)
            tally.on_track += int(track == Track.ON)
            tally.off_track += int(track == Track.OFF)
        if indicator.pk in others and indicator.pk in government:
            result.accounts.append(
                BothAccounts(
                    indicator=indicator,
                    government=figure,
                    civil_society=[
                        Account(row.organisation, shown(row, indicator))
                        for row in sorted(others[indicator.pk], key=lambda r: r.source_id)
                    ],
                )
            )
    result.pillars = [p for p in progress.values() if p.indicators]
    if not extras:
        return result
    result.money = plan_money(plan)
    result.recommendations = plan_recommendations(plan, user)
    result.report = latest_report(plan)
    return result


def plan_money(plan: Plan) -> Money:
    """Costed, allocated and spent (finance), and the donor flows (iati). Not disclosure-
    controlled: money is about institutions, not persons."""
    summary = finance.finance_summary(plan)
    money = Money(
        currency=summary.currency,
        costed=summary.total.costed,
        allocated=summary.total.allocated,
        spent=summary.total.spent,
    )
    if not iati.plan_activities(plan).exists():
        return money
    # Only the flows of iati.donor_summary (its donor profiles and cross-tabulation are not
    # shown here, and cost most of its time).
    rates = iati.plan_rates(plan)
    report = flows.trace(
        iati.activity_records(iati.plan_activities(plan)),
        country=iati.country_of(plan),
        flags=iati.organisation_flags(),
        rates=rates.table,
        target=rates.target,
    )
    target = report.target
    if target:
        entered: Decimal | None = report.entered.converted
        local: Decimal | None = report.reached[LOCAL].total.converted
        women: Decimal | None = report.women_led.total.converted
    elif len(report.entered.by_currency) == 1:
        (target, entered), *_ = report.entered.by_currency.items()
        local = report.reached[LOCAL].total.by_currency.get(target, Decimal(0))
        women = report.women_led.total.by_currency.get(target, Decimal(0))
    else:
        return money
    return Money(
        currency=money.currency,
        costed=money.costed,
        allocated=money.allocated,
        spent=money.spent,
        flow_currency=target,
        entered=entered,
        local=local,
        women_led=women,
        women_led_share=report.share(report.women_led),
    )


def plan_recommendations(plan: Plan, user: Viewer | None) -> Recommendations | None:
    summary = accountability.summary(PlanAccess(user or AnonymousUser(), plan))
    if not summary.total:
        return None
    return Recommendations(total=summary.total, fully=summary.fully)


def latest_report(plan: Plan) -> PeriodicReport | None:
    """The plan's latest published (co-signed) periodic report."""
    return (
        PeriodicReport.objects.filter(plan=plan, status=ReportStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


# --- the map's figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaFigure:
    area: Area
    figure: Shown


def map_indicators(
    plan: Plan, release: Release | None, indicators: list[Indicator] | None = None
) -> list[Indicator]:
    """The public indicators (of `indicators`, else read) with a government figure for at
    least one of the plan's sub-areas in the release (total, whole plan). One or two queries."""
    if release is None:
        return []
    ids = set(
        releases.release_figures(release)
        .filter(
            area__parent=plan.area,
            cell_key="",
            period_code=WHOLE_PLAN,
            source_kind=SourceKind.GOVERNMENT,
        )
        .order_by()
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    return [i for i in (indicators or public_indicators(plan)) if i.pk in ids]


def sub_areas(plan: Plan) -> list[Area]:
    return list(Area.objects.filter(parent=plan.area).order_by("name"))


def area_figures(release: Release, indicator: Indicator, areas: list[Area]) -> list[AreaFigure]:
    """The government's figure for each area (whole plan, total), or its flag; one query."""
    rows = {
        row.area_id: row
        for row in releases.release_figures(release, indicator=indicator).filter(
            area__in=areas,
            cell_key="",
            period_code=WHOLE_PLAN,
            source_kind=SourceKind.GOVERNMENT,
        )
    }
    return [AreaFigure(area, shown(rows.get(area.pk), indicator)) for area in areas]


# --- the country home ----------------------------------------------------------------------------


def country_for_viewer(code: str) -> Area | None:
    return Area.objects.filter(code=code, parent__isnull=True).first()


def country_plans(user: Viewer, country: Area) -> list[Plan]:
    """The plans the visitor may read in this country: national ones first."""
    plans = list(
        visible_plans(user)
        .filter(Q(area=country) | Q(area__path__startswith=country.path))
        .select_related("area")
        .order_by("start", "title")
    )
    plans.sort(
        key=lambda p: (p.area_id != country.pk, p.parent_id is not None, -p.start.toordinal())
    )
    return plans


def countries_with_plans(user: Viewer) -> list[Area]:
    """The countries (top areas) that have at least one plan the visitor may read."""
    roots: set[int] = set()
    for path in visible_plans(user).values_list("area__path", flat=True):
        first = path.strip("/").split("/", 1)[0]
        if first:
            roots.add(int(first))
    return list(Area.objects.filter(pk__in=roots, parent__isnull=True).order_by("name"))


def national_plan(plans: list[Plan], country: Area) -> Plan | None:
    """The plan whose figures the country home shows: of the plans for the whole country, the
    newest one with a published release, else the newest one. One query."""
    national = [p for p in plans if p.area_id == country.pk]
    if not national:
        return None
    published = set(
        Release.objects.filter(plan__in=national, status=ReleaseStatus.PUBLISHED).values_list(
            "plan_id", flat=True
        )
    )
    national.sort(key=lambda p: (p.pk not in published, -p.start.toordinal(), p.title))
    return national[0]


# --- a global indicator across plans -----------------------------------------------------------


@dataclass(frozen=True)
class PlanReport:
    """One plan's indicator that reports a global indicator, with its published figure."""

    plan: Plan
    indicator: Indicator
    release: Release | None
    figure: Shown


def global_indicator_across_plans(user: Viewer, entry: GlobalIndicator) -> list[PlanReport]:
    """Every plan the visitor may read whose indicators report the catalogue entry, each with
    the government's figure for the plan's whole area, whole plan to date, total, as its latest
    published release holds it (NOT_PUBLISHED before any). Figures side by side come from
    releases only, for every reader: a member of one plan reads the others' public figures, so
    this page reads no plan's detail. Restricted indicators and civil society's own are left out,
    as on the public home of a plan."""
    indicators = list(
        Indicator.objects.filter(
            in_force_filter(),
            references=entry,
            plan__in=visible_plans(user),
            owner_organisation__isnull=True,
        )
        .exclude(sensitivity=Sensitivity.RESTRICTED)
        .select_related("plan", "plan__area")
        .order_by("plan__title", "plan__code", "order", "code")
    )
    latest = releases.published_releases({i.plan for i in indicators})
    # The government's whole-plan totals for the plan's own area, of every release read, in
    # one query; the first in the release's order wins, as on a plan's public home.
    totals: dict[tuple[int, int], ReleaseFigure] = {}
    wanted = {(release.pk, release.plan.area_id) for release in latest.values()}
    for row in (
        ReleaseFigure.objects.filter(
            release__in=latest.values(),
            indicator__in=indicators,
            cell_key="",
            period_code=WHOLE_PLAN,
            source_kind=SourceKind.GOVERNMENT,
        )
        .exclude(release__status=ReleaseStatus.WITHDRAWN)
        .order_by("indicator_id", "source_id", "area_id", "pk")
    ):
        if (row.release_id, row.area_id) in wanted:
            totals.setdefault((row.release_id, row.indicator_id), row)
    found: list[PlanReport] = []
    for indicator in indicators:
        release = latest.get(indicator.plan_id)
        row = totals.get((release.pk, indicator.pk)) if release is not None else None
        found.append(PlanReport(indicator.plan, indicator, release, shown(row, indicator)))
    return found


def global_indicator_links(entry: GlobalIndicator) -> list[tuple[str, GlobalIndicator, bool]]:
    """The crosswalk around the entry: (relation as read from the entry, other entry, verified)."""
    out: list[tuple[str, GlobalIndicator, bool]] = []
    for link in entry.links_out.select_related("target"):
        out.append((link.relation, link.target, link.verified))
    for link in entry.links_in.select_related("source"):
        # "broader" read from the other side is "narrower".
        relation = "narrower" if link.relation == "broader" else link.relation
        out.append((relation, link.source, link.verified))
    return sorted(out, key=lambda item: str(item[1]))
