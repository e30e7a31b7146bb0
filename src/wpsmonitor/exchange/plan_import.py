"""Load a plan (structure, baselines, targets, list items) from workbook or JSON sections.

Runs inside the import's transaction and records every problem in the shared ValueIngest
session, so structure problems and value problems are listed together and nothing is stored
unless there are none. Existing rows (same codes) are updated, so a re-import of an exported
workbook changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, overload

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wpsmonitor.core.periods import PeriodCodeError, parse_period
from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.exchange import formats as f
from wpsmonitor.indicators.ingest import ValueIngest, parse_number
from wpsmonitor.indicators.models import (
    Baseline,
    Cell,
    DataValue,
    Dimension,
    DimensionOption,
    Direction,
    GlobalIndicator,
    Indicator,
    IndicatorKind,
    ListItem,
    SchemeDimension,
    Source,
    SourceKind,
    Target,
    TimeRule,
)
from wpsmonitor.indicators.services import (
    canonical_cell_code,
    dimension_ensure,
    period_ensure,
    scheme_ensure,
)
from wpsmonitor.plans.models import (
    DEFAULT_LEVELS,
    ActionStatus,
    FrameworkLevel,
    FrameworkNode,
    Plan,
    PlanKind,
    PlanStatus,
)
from wpsmonitor.plans.services import (
    RESERVED_PLAN_CODES,
    alignment_references_clean,
    civil_society_roles_clean,
)

Row = tuple[int, dict[str, Any]]
FREQUENCIES = ("year", "semester", "quarter", "month")
OWN_INDICATOR = gettext_lazy(
    "%(code)s is a civil-society organisation's own indicator: only its monitors may change it"
)
_FORMULA_REF = re.compile(r"\{([^{}]+)\}")


@dataclass
class Sections:
    """What a plan file holds: the plan's fields and, per sheet, its rows as dicts.

    `places` maps a sheet name to the location format of its rows ("plan.xlsx:Framework:{row}").
    """

    plan: dict[str, tuple[int, Any]]  # field -> (row, value)
    rows: dict[str, list[Row]]
    places: dict[str, int]


def text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


class PlanLoader:
    def __init__(self, session: ValueIngest, sections: Sections) -> None:
        self.session = session
        self.s = sections
        self.plan: Plan | None = None
        self.orgs: dict[str, Organisation] = {}
        self.nodes: dict[str, FrameworkNode] = {}
        self.indicators: dict[str, Indicator] = {}
        self.own_codes: set[str] = set()

    # ------------------------------------------------------------------ helpers
    def err(self, sheet: str, row: int, column: str, message: str) -> None:
        self.session.add_problem(self.s.places[sheet], row, column, message)

    def choice(
        self, sheet: str, row: int, column: str, raw: Any, choices: Any, default: str = ""
    ) -> str | None:
        value = text(raw).lower() or default
        allowed = [c.value if hasattr(c, "value") else c for c in choices]
        if value not in allowed:
            self.err(
                sheet,
                row,
                column,
                _("%(value)r is not one of %(allowed)s")
                % {"value": text(raw), "allowed": ", ".join(allowed)},
            )
            return None
        return value

    def date(self, sheet: str, row: int, column: str, raw: Any) -> date | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(text(raw)[:10])
        except ValueError:
            self.err(
                sheet, row, column, _("%(value)r is not a date (YYYY-MM-DD)") % {"value": text(raw)}
            )
            return None

    def boolean(self, sheet: str, row: int, column: str, raw: Any) -> bool | None:
        word = text(raw).lower()
        if word in ("", "no", "non", "false", "0", "n"):
            return False if word else None
        if word in ("yes", "oui", "true", "1", "y"):
            return True
        self.err(sheet, row, column, _("%(value)r is not yes or no") % {"value": text(raw)})
        return None

    def number(self, sheet: str, row: int, column: str, raw: Any) -> float | None:
        try:
            return parse_number(raw)
        except ValueError as exc:
            self.err(sheet, row, column, str(exc))
            return None

    @overload
    def whole(self, sheet: str, row: int, column: str, raw: Any, default: int = 0) -> int: ...

    @overload
    def whole(self, sheet: str, row: int, column: str, raw: Any, default: None) -> int | None: ...

    def whole(
        self, sheet: str, row: int, column: str, raw: Any, default: int | None = 0
    ) -> int | None:
        number = self.number(sheet, row, column, raw)
        if number is None:
            return default
        if not number.is_integer() or number < 0:
            self.err(
                sheet, row, column, _("%(value)r is not a whole number") % {"value": text(raw)}
            )
            return default
        return int(number)

    def required(self, sheet: str, row: int, data: dict[str, Any], *columns: str) -> bool:
        ok = True
        for column in columns:
            if text(data.get(column)) == "":
                self.err(sheet, row, column, _("this column is required"))
                ok = False
        return ok

    def org(self, sheet: str, row: int, column: str, raw: Any) -> Organisation | None:
        code = text(raw)
        if not code:
            return None
        found = self.orgs.get(code) or Organisation.objects.filter(code=code).first()
        if found is None:
            self.err(sheet, row, column, _("unknown organisation %(code)r") % {"code": code})
        return found

    def area(self, sheet: str, row: int, column: str, raw: Any) -> Area | None:
        code = text(raw)
        if not code:
            return None
        found = Area.objects.filter(code=code).first()
        if found is None and len(code) in (2, 3) and code.isalpha():
            try:
                found = area_country_ensure(code)
            except ValueError:
                found = None
        if found is None:
            self.err(sheet, row, column, _("unknown area %(code)r") % {"code": code})
        return found

    # ------------------------------------------------------------------ sheets
    def load(self) -> Plan | None:
        self.organisations()
        self.areas()
        self.plan = self.plan_fields()
        if self.plan is None:
            return None
        self.levels()
        self.framework()
        self.dimensions()
        self.sources()
        self.indicator_rows()
        self.references("Baselines", Baseline)
        self.references("Targets", Target)
        self.list_items()
        return self.plan

    def organisations(self) -> None:
        sheet = "Organisations"
        types = [t.value for t in OrganisationType]
        for row, data in self.s.rows.get(sheet, []):
            if not self.required(sheet, row, data, "code", "name", "type"):
                continue
            kind = self.choice(sheet, row, "type", data.get("type"), types)
            country = self.area(sheet, row, "country", data.get("country"))
            flags = {
                flag: bool(self.boolean(sheet, row, flag, data.get(flag)))
                for flag in ("women_led", "grassroots", "youth_led")
            }
            if kind is None:
                continue
            org, _created = Organisation.objects.update_or_create(
                code=text(data["code"]),
                defaults={
                    "name": text(data["name"]),
                    "acronym": text(data.get("acronym")),
                    "type": kind,
                    "country": country,
                    "iati_ref": text(data.get("iati_ref")),
                    **flags,
                },
            )
            self.orgs[org.code] = org

    def areas(self) -> None:
        sheet = "Areas"
        for row, data in self.s.rows.get(sheet, []):
            if not self.required(sheet, row, data, "code", "parent"):
                continue
            parent = self.area(sheet, row, "parent", data.get("parent"))
            if parent is None:
                continue
            depth = self.whole(sheet, row, "level", data.get("level"), None) or (
                parent.level.depth + 1
            )
            if not 2 <= depth <= 4:
                self.err(sheet, row, "level", _("the level must be 2, 3 or 4"))
                continue
            try:
                area = area_subdivision_ensure(
                    parent=parent, code=text(data["code"]), name=text(data.get("name")), depth=depth
                )
            except ValueError as exc:
                self.err(sheet, row, "code", str(exc))
                continue
            name = text(data.get("name"))
            urban = self.boolean(sheet, row, "is_urban", data.get("is_urban"))
            if (name and area.name != name) or area.is_urban != urban:
                area.name = name or area.name
                area.is_urban = urban
                Area.objects.filter(pk=area.pk).update(name=area.name, is_urban=urban)

    def plan_fields(self) -> Plan | None:
        sheet = "Plan"
        fields = self.s.plan
        known = {c.name for c in f.PLAN_FIELDS}
        for name, (row, _value) in fields.items():
            if name not in known:
                self.err(sheet, row, "field", _("unknown plan field %(name)r") % {"name": name})

        def get(name: str) -> tuple[int, Any]:
            return fields.get(name, (1, None))

        ok = True
        for column in f.PLAN_FIELDS:
            if column.required and text(get(column.name)[1]) == "":
                self.err(
                    sheet,
                    get(column.name)[0],
                    "value",
                    _("the plan field %(name)s is required") % {"name": column.name},
                )
                ok = False
        if not ok:
            return None
        kind = self.choice(sheet, get("kind")[0], "value", get("kind")[1], PlanKind)
        status = self.choice(
            sheet, get("status")[0], "value", get("status")[1], PlanStatus, "draft"
        )
        area = self.area(sheet, get("area")[0], "value", get("area")[1])
        start = self.date(sheet, get("start")[0], "value", get("start")[1])
        end = self.date(sheet, get("end")[0], "value", get("end")[1])
        if start and end and end < start:
            self.err(sheet, get("end")[0], "value", _("the plan ends before it starts"))
            end = None
        parent = None
        parent_code = text(get("parent")[1])
        if parent_code:
            parent = Plan.objects.filter(code=parent_code).first()
            if parent is None:
                self.err(
                    sheet,
                    get("parent")[0],
                    "value",
                    _("unknown plan %(code)r") % {"code": parent_code},
                )
        lead = self.org(sheet, get("lead_organisation")[0], "value", get("lead_organisation")[1])
        generation = self.whole(sheet, get("generation")[0], "value", get("generation")[1], None)
        adopted_on = self.date(sheet, get("adopted_on")[0], "value", get("adopted_on")[1])
        languages = [
            c.strip().lower() for c in re.split(r"[;,]", text(get("languages")[1])) if c.strip()
        ]
        for code in languages:
            if pycountry.languages.get(alpha_2=code) is None:
                self.err(
                    sheet,
                    get("languages")[0],
                    "value",
                    _("%(code)r is not an ISO 639-1 language code") % {"code": code},
                )
        code = text(get("code")[1])
        if code.lower() in RESERVED_PLAN_CODES:
            self.err(
                sheet,
                get("code")[0],
                "value",
                _("%(code)r is reserved; choose another plan code") % {"code": code},
            )
        roles = self.plan_list(sheet, get("civil_society_roles"), civil_society_roles_clean)
        alignment = self.plan_list(sheet, get("alignment_references"), alignment_references_clean)
        if None in (kind, status, area, start, end, roles, alignment):
            return None
        plan, _created = Plan.objects.update_or_create(
            code=code,
            defaults={
                "title": text(get("title")[1]),
                "kind": kind,
                "parent": parent,
                "area": area,
                "generation": generation,
                "start": start,
                "end": end,
                "adopted_on": adopted_on,
                "status": status,
                "lead_organisation": lead,
                "coordination_mechanism": text(get("coordination_mechanism")[1]),
                "languages": languages,
                "description": text(get("description")[1]),
                "document_url": text(get("document_url")[1]),
                "me_description": text(get("me_description")[1]),
                "civil_society_roles": roles,
                "alignment_references": alignment,
            },
        )
        return plan

    def plan_list(
        self, sheet: str, field: tuple[int, Any], clean: Callable[[Iterable[str] | None], list[str]]
    ) -> list[str] | None:
        """A ;-separated list of codes, checked by the plans service that owns the vocabulary."""
        row, value = field
        codes = [c.strip() for c in re.split(r"[;,]", text(value)) if c.strip()]
        try:
            return clean(codes)
        except ValidationError as error:
            for message in error.messages:
                self.err(sheet, row, "value", message)
            return None

    def levels(self) -> None:
        sheet = "Levels"
        assert self.plan is not None
        rows = self.s.rows.get(sheet, [])
        if not rows:
            if not self.plan.levels.exists():
                for depth, (code, name, holds) in enumerate(DEFAULT_LEVELS, start=1):
                    FrameworkLevel.objects.create(
                        plan=self.plan, depth=depth, code=code, name=str(name), holds_actions=holds
                    )
            return
        deepest = max((self.whole(sheet, r, "depth", d.get("depth")) or 0) for r, d in rows)
        for row, data in rows:
            if not self.required(sheet, row, data, "depth", "code", "name"):
                continue
            depth = self.whole(sheet, row, "depth", data.get("depth"))
            holds_given = self.boolean(sheet, row, "holds_actions", data.get("holds_actions"))
            FrameworkLevel.objects.update_or_create(
                plan=self.plan,
                depth=depth,
                defaults={
                    "code": text(data["code"]),
                    "name": text(data["name"]),
                    "holds_actions": depth == deepest if holds_given is None else holds_given,
                },
            )

    def framework(self) -> None:
        sheet = "Framework"
        assert self.plan is not None
        levels = {lvl.code: lvl for lvl in self.plan.levels.all()}
        self.nodes = {n.code: n for n in self.plan.nodes.all()}
        statuses = [s.value for s in ActionStatus]
        for row, data in self.s.rows.get(sheet, []):
            if not self.required(sheet, row, data, "code", "level", "title"):
                continue
            code = text(data["code"])
            level = levels.get(text(data["level"]))
            if level is None:
                self.err(
                    sheet,
                    row,
                    "level",
                    _("unknown level %(code)r (the plan's levels are %(all)s)")
                    % {"code": text(data["level"]), "all": ", ".join(levels)},
                )
                continue
            parent = None
            parent_code = text(data.get("parent"))
            if parent_code:
                parent = self.nodes.get(parent_code)
                if parent is None:
                    self.err(
                        sheet,
                        row,
                        "parent",
                        _("unknown node %(code)r (parents come before their children)")
                        % {"code": parent_code},
                    )
                    continue
                if parent.level.depth >= level.depth:
                    self.err(
                        sheet,
                        row,
                        "level",
                        _("a %(level)s cannot sit under a %(parent)s")
                        % {"level": level.code, "parent": parent.level.code},
                    )
                    continue
            status = self.choice(sheet, row, "status", data.get("status"), statuses, "not_started")
            percent = self.whole(sheet, row, "percent_complete", data.get("percent_complete"), None)
            if percent is not None and percent > 100:
                self.err(
                    sheet, row, "percent_complete", _("a percentage of completion is 0 to 100")
                )
            start = self.date(sheet, row, "planned_start", data.get("planned_start"))
            end = self.date(sheet, row, "planned_end", data.get("planned_end"))
            if start and end and end < start:
                self.err(sheet, row, "planned_end", _("the action ends before it starts"))
            responsible = self.org(
                sheet, row, "responsible_organisation", data.get("responsible_organisation")
            )
            partners = [
                self.org(sheet, row, "partner_organisations", code)
                for code in text(data.get("partner_organisations")).split(";")
                if code.strip()
            ]
            node = self.nodes.get(code) or FrameworkNode(plan=self.plan, code=code)
            node.parent = parent
            node.level = level
            node.title = text(data["title"])
            node.description = text(data.get("description"))
            node.order = self.whole(sheet, row, "order", data.get("order")) or 0
            node.pillar_theme = text(data.get("pillar_theme"))
            node.responsible_organisation = responsible
            node.planned_start = start
            node.planned_end = end
            node.status = status or ActionStatus.NOT_STARTED
            node.percent_complete = percent if percent is None or percent <= 100 else None
            node.save()
            node.partner_organisations.set([p for p in partners if p is not None])
            self.nodes[code] = node

    def dimensions(self) -> None:
        sheet = "Dimensions"
        grouped: dict[str, tuple[int, str, list[tuple[str, str]]]] = {}
        for row, data in self.s.rows.get(sheet, []):
            if not self.required(sheet, row, data, "dimension", "option"):
                continue
            code = text(data["dimension"])
            if not re.fullmatch(r"[-a-zA-Z0-9_]+", code):
                self.err(
                    sheet, row, "dimension", _("a dimension code uses letters, digits, - and _")
                )
                continue
            option = text(data["option"])
            if any(ch in option for ch in ";="):
                self.err(sheet, row, "option", _("an option code cannot contain ; or ="))
                continue
            first_row, name, options = grouped.setdefault(
                code, (row, text(data.get("dimension_name")) or code, [])
            )
            if text(data.get("dimension_name")) and name == code:
                grouped[code] = (first_row, text(data["dimension_name"]), options)
            options.append((option, text(data.get("option_name")) or option))
        for code, (_row, name, options) in grouped.items():
            existing = Dimension.objects.filter(code=code).first()
            dimension_ensure(
                code=code,
                name=name,
                options=options,
                plan=self.plan if existing is None else existing.plan,
            )

    def sources(self) -> None:
        sheet = "Sources"
        kinds = [k.value for k in SourceKind]
        for row, data in self.s.rows.get(sheet, []):
            if not self.required(sheet, row, data, "code", "name", "kind"):
                continue
            kind = self.choice(sheet, row, "kind", data.get("kind"), kinds)
            org = self.org(sheet, row, "organisation", data.get("organisation"))
            if kind is None:
                continue
            source, _c = Source.objects.update_or_create(
                code=text(data["code"]),
                defaults={"name": text(data["name"]), "kind": kind, "organisation": org},
            )
            self.session._sources[source.code] = source.pk

    def indicator_rows(self) -> None:
        sheet = "Indicators"
        assert self.plan is not None
        everything = list(self.plan.indicators.all())
        # Civil society's own indicators are their organisation's, never the workbook's: a row
        # naming one is refused (and it is no target of baselines, targets or list items).
        self.own_codes = {i.code for i in everything if i.owner_organisation_id is not None}
        self.indicators = {i.code: i for i in everything if i.owner_organisation_id is None}
        later: list[tuple[int, dict[str, Any], Indicator]] = []
        kinds = [k.value for k in IndicatorKind]
        for row, data in self.s.rows.get(sheet, []):
            if not self.required(sheet, row, data, "code", "node", "title", "kind", "time_rule"):
                continue
            code = text(data["code"])
            node = self.nodes.get(text(data["node"]))
            if node is None:
                self.err(
                    sheet,
                    row,
                    "node",
                    _("unknown framework node %(code)r") % {"code": text(data["node"])},
                )
            kind = self.choice(sheet, row, "kind", data.get("kind"), kinds)
            direction = self.choice(
                sheet, row, "direction", data.get("direction"), Direction, "increase"
            )
            time_rule = self.choice(sheet, row, "time_rule", data.get("time_rule"), TimeRule)
            frequency = self.choice(
                sheet, row, "frequency", data.get("frequency"), FREQUENCIES, "quarter"
            )
            dims = [d.strip() for d in text(data.get("disaggregation")).split(";") if d.strip()]
            unknown = [d for d in dims if not Dimension.objects.filter(code=d).exists()]
            scheme = None
            if unknown:
                self.err(
                    sheet,
                    row,
                    "disaggregation",
                    _("unknown dimension(s) %(codes)s") % {"codes": ", ".join(unknown)},
                )
            elif len(set(dims)) != len(dims):
                self.err(sheet, row, "disaggregation", _("a dimension is given twice"))
            else:
                scheme = scheme_ensure(dimension_codes=dims)
            refs = []
            for ref in text(data.get("references")).split(";"):
                if not ref.strip():
                    continue
                vocabulary, sep, ref_code = ref.strip().partition(":")
                found = (
                    GlobalIndicator.objects.filter(
                        vocabulary=vocabulary.strip(), code=ref_code.strip()
                    ).first()
                    if sep
                    else None
                )
                if found is None:
                    self.err(
                        sheet,
                        row,
                        "references",
                        _("unknown global indicator %(ref)r (vocabulary:code)")
                        % {"ref": ref.strip()},
                    )
                else:
                    refs.append(found)
            factor = self.number(sheet, row, "factor", data.get("factor"))
            labels = [
                lbl.strip() for lbl in text(data.get("scale_labels")).split("|") if lbl.strip()
            ]
            if kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE) and len(labels) < 2:
                self.err(
                    sheet,
                    row,
                    "scale_labels",
                    _("a scale or milestone needs at least two steps separated by |"),
                )
            if kind == IndicatorKind.FORMULA and not text(data.get("numerator_formula")):
                self.err(
                    sheet,
                    row,
                    "numerator_formula",
                    _("a formula indicator needs a numerator formula"),
                )
            expected_min = self.number(sheet, row, "expected_min", data.get("expected_min"))
            expected_max = self.number(sheet, row, "expected_max", data.get("expected_max"))
            if (
                node is None
                or kind is None
                or direction is None
                or time_rule is None
                or frequency is None
                or scheme is None
            ):
                continue
            if code in self.own_codes:
                self.err(sheet, row, "code", str(OWN_INDICATOR) % {"code": code})
                continue
            indicator = self.indicators.get(code) or Indicator(plan=self.plan, code=code)
            if (
                indicator.pk
                and indicator.scheme_id != scheme.pk
                and DataValue.objects.filter(indicator=indicator).exists()
            ):
                self.err(
                    sheet,
                    row,
                    "disaggregation",
                    _("%(code)s has values; its disaggregation cannot change") % {"code": code},
                )
                continue
            indicator.node = node
            indicator.title = text(data["title"])
            indicator.definition = text(data.get("definition"))
            indicator.kind = kind
            indicator.unit = text(data.get("unit"))
            indicator.direction = direction
            indicator.time_rule = time_rule
            indicator.scheme = scheme
            indicator.frequency = frequency
            indicator.means_of_verification = text(data.get("means_of_verification"))
            indicator.responsible_organisation = self.org(
                sheet, row, "responsible_organisation", data.get("responsible_organisation")
            )
            indicator.factor = 1.0 if factor is None else factor
            indicator.scale_labels = labels
            indicator.numerator_formula = text(data.get("numerator_formula"))
            indicator.denominator_formula = text(data.get("denominator_formula"))
            indicator.expected_min = expected_min
            indicator.expected_max = expected_max
            indicator.order = self.whole(sheet, row, "order", data.get("order")) or 0
            indicator.share_of = None
            indicator.share_dimension = None
            indicator.share_option = None
            indicator.save()
            indicator.references.set(refs)
            self.indicators[code] = indicator
            later.append((row, data, indicator))
        # Second pass: links between indicators, whatever their order in the sheet.
        for row, data, indicator in later:
            for column in ("numerator_formula", "denominator_formula"):
                for ref in _FORMULA_REF.findall(text(data.get(column))):
                    if ref.strip() not in self.indicators:
                        self.err(
                            sheet,
                            row,
                            column,
                            _("unknown indicator %(code)r in the formula") % {"code": ref},
                        )
            share_code = text(data.get("share_of"))
            if indicator.kind == IndicatorKind.SHARE or share_code:
                self.share(sheet, row, data, indicator, share_code)

    def share(
        self, sheet: str, row: int, data: dict[str, Any], indicator: Indicator, share_code: str
    ) -> None:
        source = self.indicators.get(share_code)
        if source is None:
            self.err(
                sheet,
                row,
                "share_of",
                _("unknown indicator %(code)r") % {"code": share_code}
                if share_code
                else _("a share indicator needs share_of"),
            )
            return
        dim_code, sep, opt_code = text(data.get("share_option")).partition("=")
        dims = list(
            SchemeDimension.objects.filter(scheme_id=source.scheme_id).values_list(
                "dimension__code", flat=True
            )
        )
        if not sep or dim_code.strip() not in dims:
            self.err(
                sheet,
                row,
                "share_option",
                _("give dimension=option with a dimension of %(code)s (%(dims)s)")
                % {"code": share_code, "dims": ", ".join(dims) or "-"},
            )
            return
        option = (
            DimensionOption.objects.filter(dimension__code=dim_code.strip(), code=opt_code.strip())
            .select_related("dimension")
            .first()
        )
        if option is None:
            self.err(
                sheet,
                row,
                "share_option",
                _("unknown option %(opt)r") % {"opt": text(data.get("share_option"))},
            )
            return
        Indicator.objects.filter(pk=indicator.pk).update(
            share_of=source, share_dimension=option.dimension, share_option=option
        )

    def _ref_key(
        self, sheet: str, row: int, data: dict[str, Any]
    ) -> tuple[Indicator, Any, Area, Cell] | None:
        assert self.plan is not None
        if not self.required(sheet, row, data, "indicator", "period", "area"):
            return None
        indicator = self.indicators.get(text(data["indicator"]))
        if indicator is None and text(data["indicator"]) in self.own_codes:
            self.err(
                sheet, row, "indicator", str(OWN_INDICATOR) % {"code": text(data["indicator"])}
            )
            return None
        if indicator is None:
            self.err(
                sheet,
                row,
                "indicator",
                _("unknown indicator %(code)r in plan %(plan)s")
                % {"code": text(data["indicator"]), "plan": self.plan.code},
            )
            return None
        try:
            parsed = parse_period(text(data["period"]))
        except PeriodCodeError as exc:
            self.err(sheet, row, "period", str(exc))
            return None
        area = self.area(sheet, row, "area", data.get("area"))
        dims = list(
            SchemeDimension.objects.filter(scheme_id=indicator.scheme_id)
            .order_by("order")
            .values_list("dimension__code", flat=True)
        )
        try:
            cell_code = canonical_cell_code(dims, text(data.get("cell")))
        except ValueError as exc:
            self.err(sheet, row, "cell", str(exc))
            return None
        cell = Cell.objects.filter(scheme_id=indicator.scheme_id, code=cell_code).first()
        if cell is None:
            self.err(
                sheet,
                row,
                "cell",
                _("%(cell)r is not a cell of %(ind)s's disaggregation")
                % {"cell": text(data.get("cell")), "ind": indicator.code},
            )
            return None
        if area is None:
            return None
        if not area.path.startswith(self.plan.area.path):
            self.err(
                sheet,
                row,
                "area",
                _("area %(code)r is outside the plan's area") % {"code": area.code},
            )
            return None
        return indicator, period_ensure(parsed.code), area, cell

    def references(self, sheet: str, model: type[Baseline] | type[Target]) -> None:
        for row, data in self.s.rows.get(sheet, []):
            key = self._ref_key(sheet, row, data)
            value = self.number(sheet, row, "value", data.get("value"))
            num = self.number(sheet, row, "numerator", data.get("numerator"))
            den = self.number(sheet, row, "denominator", data.get("denominator"))
            if key is None:
                continue
            indicator, period, area, cell = key
            if indicator.kind == IndicatorKind.PERCENTAGE:
                if num is None or den is None:
                    self.err(
                        sheet,
                        row,
                        "numerator",
                        _("a percentage needs a numerator and a denominator"),
                    )
                    continue
                if den <= 0:
                    self.err(sheet, row, "denominator", _("the denominator must be greater than 0"))
                    continue
                if num > den:
                    self.err(sheet, row, "numerator", _("the numerator is above the denominator"))
                    continue
                if value is None:
                    value = num / den * indicator.factor
            elif value is None:
                self.err(sheet, row, "value", _("a value is required"))
                continue
            lookup: dict[str, Any] = {"indicator": indicator, "area": area, "cell": cell}
            if model is Target:
                lookup["period"] = period
            defaults: dict[str, Any] = {
                "value": value,
                "numerator": num,
                "denominator": den,
                "comment": text(data.get("comment")),
            }
            if model is Baseline:
                defaults["period"] = period
            model.objects.update_or_create(**lookup, defaults=defaults)

    def list_items(self) -> None:
        sheet = "ListItems"
        assert self.plan is not None
        for row, data in self.s.rows.get(sheet, []):
            if not self.required(sheet, row, data, "indicator", "period", "area", "title"):
                continue
            indicator = self.indicators.get(text(data["indicator"]))
            if indicator is None or indicator.kind != IndicatorKind.LIST:
                self.err(
                    sheet,
                    row,
                    "indicator",
                    _("%(code)r is not a list indicator of this plan")
                    % {"code": text(data["indicator"])},
                )
                continue
            try:
                period = period_ensure(text(data["period"]))
            except PeriodCodeError as exc:
                self.err(sheet, row, "period", str(exc))
                continue
            area = self.area(sheet, row, "area", data.get("area"))
            source_code = text(data.get("source")) or "gov"
            source = Source.objects.filter(code=source_code).first()
            if source is None:
                self.err(sheet, row, "source", _("unknown source %(code)r") % {"code": source_code})
            day = self.date(sheet, row, "date", data.get("date"))
            if area is None or source is None:
                continue
            ListItem.objects.update_or_create(
                indicator=indicator,
                area=area,
                source=source,
                title=text(data["title"]),
                defaults={"period": period, "date": day, "reference": text(data.get("reference"))},
            )


def load_plan(session: ValueIngest, sections: Sections) -> Plan | None:
    return PlanLoader(session, sections).load()


def value_rows(rows: Iterable[Row], plan_code: str) -> Iterable[tuple[int, list[Any]]]:
    """Values section rows (dicts) as ingest rows, the workbook's plan filling an empty plan column."""
    for row, data in rows:
        values = [data.get(c) for c in f.VALUES.column_names]
        if text(values[0]) == "":
            values[0] = plan_code
        yield row, values
