"""Codes to ids for one ingest session: plans, indicators, periods, areas, cells and sources.

Each code is looked up once and cached, whether it resolves (an id) or not (the message that
refuses it), so that a million rows cost dictionary lookups, not queries. Figures that arrive
already resolved (ids, see ResolvedFigure) are checked against the same rules here: the id
must fit the plan and the indicator exactly as its code would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pycountry
from django.utils.translation import gettext as _

from wpsmonitor.core.names import LookupRefused, Named, NameIndex, names_in_every_language
from wpsmonitor.core.periods import PeriodCodeError, parse_period
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.cells import (
    SchemeNames,
    canonical_cell_code,
    cell_code_by_names,
    scheme_names,
)
from wpsmonitor.indicators.hierarchy import code_pairs, combination_refusal, option_tree
from wpsmonitor.indicators.models import (
    TOTAL_CELL,
    Cell,
    Indicator,
    Period,
    SchemeDimension,
    Source,
)
from wpsmonitor.indicators.services import period_ensure
from wpsmonitor.plans.models import Plan


@dataclass
class IndicatorFacts:
    """What the checks need to know of an indicator."""

    id: int
    code: str
    plan_id: int
    kind: str
    scheme_id: int
    dims: list[str]
    frequency: str
    factor: float
    labels: list[str]
    expected_min: float | None
    expected_max: float | None
    # A civil-society organisation's own indicator: only that organisation's sources report on it.
    owner: int | None = None
    unit: str = ""
    whole_numbers: bool = False  # a count of people or events (Indicator.whole_numbers)
    draft: bool = False  # an owner's indicator not yet published: no figure stored before


@dataclass
class PlanFacts:
    id: int
    code: str
    start: date
    end: date
    area_path: str


@dataclass(frozen=True)
class _PeriodFacts:
    code: str
    type: str
    start: date
    end: date


def _unknown_id(number: int) -> str:
    """How an id that names nothing appears in a message made for codes."""
    return f"#{number}"


class Lookups:
    """The caches of one session. Each lookup returns the id, or the message refusing it."""

    def __init__(self) -> None:
        self.plans: dict[str, PlanFacts | str] = {}
        self.indicators: dict[tuple[str, str], IndicatorFacts | str] = {}
        self.indicators_by_id: dict[int, IndicatorFacts] = {}
        self.cells: dict[int, dict[str, int]] = {}  # scheme id -> cell code -> cell id
        self.cell_cache: dict[tuple[int, str], int | str] = {}
        self.periods: dict[tuple[int, str, str], int | str] = {}
        self.area_cache: dict[tuple[int, str], int | str] = {}
        self.sources: dict[str, int] = dict(Source.objects.values_list("code", "id"))
        self.source_orgs: dict[int, int | None] = dict(
            Source.objects.values_list("id", "organisation_id")
        )
        self._areas: dict[str, tuple[int, str]] | None = None
        self._cell_ids: dict[int, set[int]] = {}
        self._period_ids: dict[tuple[int, str, int], int | str] = {}
        self._area_ids: dict[tuple[int, int], int | str] = {}
        self._source_codes: dict[int, str] = {}
        self._scheme_names: dict[int, SchemeNames] = {}
        self._area_names: dict[int, NameIndex] = {}

    # ----------------------------------------------------------------- by code
    def plan(self, code: str) -> PlanFacts | str:
        found = self.plans.get(code)
        if found is None:
            plan = Plan.objects.filter(code=code).select_related("area").first()
            if plan is None:
                found = _("unknown plan %(code)r") % {"code": code}
            else:
                found = PlanFacts(plan.pk, plan.code, plan.start, plan.end, plan.area.path)
                self._indicators_load(found)
            self.plans[code] = found
        return found

    def _indicators_load(self, plan: PlanFacts) -> None:
        dims: dict[int, list[str]] = {}
        for scheme_id, dim_code in SchemeDimension.objects.order_by("scheme", "order").values_list(
            "scheme_id", "dimension__code"
        ):
            dims.setdefault(scheme_id, []).append(dim_code)
        for ind in Indicator.objects.filter(plan_id=plan.id):
            facts = IndicatorFacts(
                id=ind.pk,
                code=ind.code,
                plan_id=plan.id,
                kind=ind.kind,
                scheme_id=ind.scheme_id,
                dims=dims.get(ind.scheme_id, []),
                frequency=ind.frequency,
                factor=ind.factor,
                labels=[str(label) for label in ind.scale_labels or []],
                expected_min=ind.expected_min,
                expected_max=ind.expected_max,
                owner=ind.owner_organisation_id,
                unit=ind.unit,
                whole_numbers=ind.whole_numbers,
                draft=ind.owner_organisation_id is not None and ind.published_at is None,
            )
            self.indicators[(plan.code, ind.code)] = facts
            self.indicators_by_id[ind.pk] = facts
            if ind.scheme_id not in self.cells:
                self.cells[ind.scheme_id] = dict(
                    Cell.objects.filter(scheme_id=ind.scheme_id).values_list("code", "id")
                )

    def indicator(self, plan: PlanFacts, code: str) -> IndicatorFacts | str:
        found = self.indicators.get((plan.code, code))
        if found is None:
            found = _("unknown indicator %(code)r in plan %(plan)s") % {
                "code": code,
                "plan": plan.code,
            }
            self.indicators[(plan.code, code)] = found
        return found

    def cell(self, ind: IndicatorFacts, text: str) -> int | str:
        key = (ind.scheme_id, text)
        found = self.cell_cache.get(key)
        if found is None:
            cells = self.cells[ind.scheme_id]
            try:
                canonical = canonical_cell_code(ind.dims, text)
            except ValueError:
                canonical = ""
            found = cells.get(canonical) if canonical else None
            if found is None:
                found = self._cell_by_names(ind, text, cells)
            self.cell_cache[key] = found
        return found

    def _cell_by_names(self, ind: IndicatorFacts, text: str, cells: dict[str, int]) -> int | str:
        """A cell whose dimensions or options are named by name ("sex=Femme"), or the message
        naming what is wrong."""
        names = self._scheme_names.get(ind.scheme_id)
        if names is None:
            names = self._scheme_names[ind.scheme_id] = scheme_names(ind.scheme_id)
        try:
            canonical = canonical_cell_code(ind.dims, cell_code_by_names(names, text))
        except ValueError as exc:
            return str(exc)
        found = cells.get(canonical)
        if found is not None:
            return found
        pairs = code_pairs(canonical)
        if pairs:
            why = combination_refusal(option_tree(ind.dims), pairs)
            if why is not None:
                return why
        return _("%(cell)r is not a cell of %(ind)s's disaggregation (%(dims)s)") % {
            "cell": text,
            "ind": ind.code,
            "dims": ", ".join(ind.dims) or TOTAL_CELL,
        }

    def period(self, plan: PlanFacts, ind: IndicatorFacts, code: str) -> int | str:
        key = (plan.id, ind.frequency, code)
        found = self.periods.get(key)
        if found is None:
            try:
                parsed = parse_period(code)
            except PeriodCodeError as exc:
                found = str(exc)
            else:
                facts = _PeriodFacts(code, parsed.type.value, parsed.start, parsed.end)
                found = _period_refusal(plan, ind, facts) or period_ensure(parsed.code).pk
            self.periods[key] = found
        return found

    def area(self, plan: PlanFacts, code: str) -> int | str:
        key = (plan.id, code)
        found = self.area_cache.get(key)
        if found is None:
            if self._areas is None:
                self._areas = {
                    c: (i, p) for c, i, p in Area.objects.values_list("code", "id", "path")
                }
            hit = self._areas.get(code)
            if hit is None:
                hit = self._areas.get(code.upper())
            if hit is None and len(code) in (2, 3):
                try:
                    country = pycountry.countries.lookup(code)
                except LookupError:
                    country = None
                if country is not None:
                    hit = self._areas.get(country.alpha_3)
            if hit is None:
                found = self._area_by_name(plan, code)
            else:
                found = _area_refusal(plan, code, hit[1]) or hit[0]
            self.area_cache[key] = found
        return found

    def _area_by_name(self, plan: PlanFacts, text: str) -> int | str:
        """An area of the plan's named by its name, in any of the platform's languages."""
        index = self._area_names.get(plan.id)
        if index is None:
            index = self._area_names[plan.id] = area_names(plan.area_path)
        try:
            return int(index.find(text).key)
        except LookupRefused as refused:
            return area_refusal(refused)

    # ----------------------------------------------------------------- by id
    def indicator_by_id(self, plan: PlanFacts, indicator_id: int) -> IndicatorFacts | str:
        """The plan's indicator, or what refuses the id; an indicator of another plan is
        taken as its code would be (the plan may have an indicator of that code)."""
        found = self.indicators_by_id.get(indicator_id)
        if found is not None and found.plan_id == plan.id:
            return found
        code = Indicator.objects.filter(pk=indicator_id).values_list("code", flat=True).first()
        return self.indicator(plan, code if code is not None else _unknown_id(indicator_id))

    def cell_by_id(self, ind: IndicatorFacts, cell_id: int) -> int | str:
        """The cell if it is one of the indicator's scheme; another (a scheme changed since the
        figure was typed) is taken as its code would be."""
        known = self._cell_ids.get(ind.scheme_id)
        if known is None:
            known = self._cell_ids[ind.scheme_id] = set(self.cells[ind.scheme_id].values())
        if cell_id in known:
            return cell_id
        code = Cell.objects.filter(pk=cell_id).values_list("code", flat=True).first()
        return self.cell(ind, code if code is not None else _unknown_id(cell_id))

    def period_by_id(self, plan: PlanFacts, ind: IndicatorFacts, period_id: int) -> int | str:
        key = (plan.id, ind.frequency, period_id)
        found = self._period_ids.get(key)
        if found is None:
            row = Period.objects.filter(pk=period_id).values_list("code", "type", "start", "end")
            hit = row.first()
            if hit is None:
                found = _period_code_refusal(_unknown_id(period_id))
            else:
                found = _period_refusal(plan, ind, _PeriodFacts(*hit)) or period_id
            self._period_ids[key] = found
        return found

    def area_by_id(self, plan: PlanFacts, area_id: int) -> int | str:
        key = (plan.id, area_id)
        found = self._area_ids.get(key)
        if found is None:
            hit = Area.objects.filter(pk=area_id).values_list("code", "path").first()
            if hit is None:
                found = _("unknown area %(code)r") % {"code": _unknown_id(area_id)}
            else:
                found = _area_refusal(plan, hit[0], hit[1]) or area_id
            self._area_ids[key] = found
        return found

    def source_code(self, source_id: int) -> str | None:
        """The code of a known source (for messages); None for an unknown id."""
        if source_id not in self._source_codes:
            self._source_codes = {pk: code for code, pk in self.sources.items()}
        return self._source_codes.get(source_id)


def area_names(path: str) -> NameIndex:
    """The areas at or below a path (a plan's area), findable by code or any name."""
    return NameIndex(
        Named(pk, code, names_in_every_language(name))
        for pk, code, name in Area.objects.filter(path__startswith=path).values_list(
            "id", "code", "name"
        )
    )


def area_refusal(refused: LookupRefused) -> str:
    """The message refusing an area text that names none of the areas, or several."""
    if refused.ambiguous:
        return _("%(text)r names more than one area: %(candidates)s; give its code") % {
            "text": refused.text,
            "candidates": refused.listed(),
        }
    if refused.candidates:
        return _("unknown area %(code)r; did you mean %(candidates)s?") % {
            "code": refused.text,
            "candidates": refused.listed(),
        }
    return _("unknown area %(code)r") % {"code": refused.text}


def _period_refusal(plan: PlanFacts, ind: IndicatorFacts, period: _PeriodFacts) -> str | None:
    """Why a period cannot hold the indicator's figures in the plan; None when it can.

    A period that ends before the plan starts holds the indicator's history (earlier plan
    generations, never counted in the plan's figures: docs/computations.md, "History before
    the plan"); it may be a year or of the indicator's frequency.
    """
    if period.end < plan.start and period.type in (ind.frequency, "year"):
        return None
    if period.type != ind.frequency:
        return _("%(code)s is a %(type)s but %(ind)s is reported by %(freq)s") % {
            "code": period.code,
            "type": period.type,
            "ind": ind.code,
            "freq": ind.frequency,
        }
    if period.start > plan.end:
        return _("%(code)s is outside the plan's dates (%(start)s to %(end)s)") % {
            "code": period.code,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
        }
    return None


def _period_code_refusal(code: str) -> str:
    try:
        parse_period(code)
    except PeriodCodeError as exc:
        return str(exc)
    raise ValueError(f"{code} is a period code")


def _area_refusal(plan: PlanFacts, code: str, path: str) -> str | None:
    if not path.startswith(plan.area_path):
        return _("area %(code)r is outside the plan's area") % {"code": code}
    return None
