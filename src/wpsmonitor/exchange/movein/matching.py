"""Labels to codes: a plan's catalogue of what an export may name, and the mapping the user gave.

A label is matched, in this order: by the mapping (the filled mapping sheet, then what the plan
kept from earlier move-ins: LabelMapping), then by the plan's own codes and names in every
language the platform speaks (core.names.NameIndex: case, accents, hyphens and spacing left
out; a code wins over a name). What matches nothing, or more than one thing, is *unmatched*:
it goes to the mapping sheet with the closest candidates.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wpsmonitor.core.names import LookupRefused, Named, NameIndex, folded, names_in_every_language
from wpsmonitor.core.periods import PeriodCodeError, parse_period
from wpsmonitor.exchange.models import LabelKind, LabelMapping
from wpsmonitor.indicators.ingest.lookups import area_names
from wpsmonitor.indicators.models import Dimension, DimensionOption, Indicator, SchemeDimension
from wpsmonitor.plans.models import Plan

IGNORE = "-"  # a column left out, or the records of an indicator left out

# What a record's columns are, by the header's folded name, in the platform's languages.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "indicator": (
        "indicator",
        "indicator title",
        "indicator code",
        "indicateur",
        "titre de l indicateur",
        "code indicateur",
        "libelle indicateur",
        "indicador",
        "مؤشر",
        "المؤشر",
    ),
    "area": (
        "area",
        "area name",
        "zone",
        "province",
        "provincia",
        "region",
        "pays",
        "country",
        "pais",
        "territory",
        "territoire",
        "lieu",
        "location",
        "localite",
        "area code",
        "iso code",
        "code iso",
        "المنطقة",
        "المحافظة",
    ),
    "period": (
        "period",
        "periode",
        "periodo",
        "year",
        "annee",
        "ano",
        "anio",
        "exercice",
        "reporting period",
        "periode de rapportage",
        "السنة",
        "الفترة",
    ),
    "value": ("value", "valeur", "valor", "figure", "chiffre", "القيمة"),
    "numerator": ("numerator", "numerateur", "numerador", "البسط"),
    "denominator": ("denominator", "denominateur", "denominador", "المقام"),
    "text": ("text", "texte", "texto", "narrative", "narratif", "النص"),
    "comment": (
        "comment",
        "comments",
        "commentaire",
        "commentaires",
        "comentario",
        "observation",
        "observations",
        "remarque",
        "remarques",
        "note",
        "notes",
        "ملاحظات",
    ),
    "source": ("source", "fuente", "المصدر"),
    "cell": ("cell", "disaggregation", "desagregation", "ventilation", "desagregacion", "cellule"),
    "item": (
        "item",
        "item title",
        "element",
        "intitule",
        "titre",
        "title",
        "elemento",
        "titulo",
        "texte adopte",
        "البند",
    ),
    "date": ("date", "date d adoption", "adopted on", "fecha", "التاريخ"),
    "reference": ("reference", "ref", "referencia", "link", "lien", "url", "المرجع"),
    IGNORE: ("unit", "unite", "unidad", "id", "uuid", "record id", "identifiant"),
}
ROLES = tuple(role for role in ROLE_WORDS if role != IGNORE)
_ROLE_BY_WORD = {folded(word): role for role, words in ROLE_WORDS.items() for word in words}
# An option cell saying "all of them": the dimension is left out of the record's cell.
TOTAL_WORDS = frozenset(
    folded(w)
    for w in ("total", "ensemble", "tous", "toutes", "todos", "todas", "all", "المجموع", "الكل")
)
_SUGGESTIONS = 3


class OwnFirstIndex(NameIndex):
    """The dimensions' index: a name fitting one of the plan's own dimensions and shared ones
    (a package's "Rank" is "Grade" in French) is the plan's own. Ambiguous only between two of
    the plan's own, or between shared ones."""

    def __init__(self, objects: Any, *, own: set[str]) -> None:
        super().__init__(objects)
        self.own = own

    def find(self, text: str) -> Named:
        try:
            return super().find(text)
        except LookupRefused as refused:
            if not refused.ambiguous:
                raise
            own = [c for c in refused.candidates if c.code in self.own]
            if len(own) == 1:
                return own[0]
            raise


@dataclass
class IndicatorFacts:
    code: str
    kind: str
    dims: list[str]


@dataclass
class Catalogue:
    """What a plan's export may name: its indicators, areas, dimensions and their options."""

    plan: Plan
    indicators: NameIndex
    facts: dict[str, IndicatorFacts]
    areas: NameIndex
    dimensions: NameIndex
    options: dict[str, NameIndex]

    @classmethod
    def load(cls, plan: Plan) -> Catalogue:
        languages = [code for code, _name in settings.LANGUAGES]
        title_columns = ["title", *(f"title_{lang}" for lang in languages)]
        dims: dict[int, list[str]] = {}
        for scheme_id, code in SchemeDimension.objects.order_by("scheme", "order").values_list(
            "scheme_id", "dimension__code"
        ):
            dims.setdefault(scheme_id, []).append(code)
        named = []
        facts = {}
        for row in Indicator.objects.filter(plan=plan).values(
            "code", "kind", "scheme_id", *title_columns
        ):
            titles = _unique(str(row[c]) for c in title_columns if row[c])
            named.append(Named(row["code"], row["code"], titles))
            facts[row["code"]] = IndicatorFacts(
                row["code"], row["kind"], dims.get(row["scheme_id"], [])
            )
        used = {d for f in facts.values() for d in f.dims}
        dimension_rows = list(
            Dimension.objects.filter(code__in=used).values_list("id", "code", "name", "plan_id")
        )
        option_columns = ["name", *(f"name_{lang}" for lang in languages)]
        options: dict[int, list[Named]] = {pk: [] for pk, _c, _n, _p in dimension_rows}
        for row in DimensionOption.objects.filter(dimension_id__in=options).values(
            "dimension_id", "code", *option_columns
        ):
            names: list[str] = []
            for column in option_columns:
                if row[column]:
                    names += names_in_every_language(str(row[column]))
            options[row["dimension_id"]].append(Named(row["code"], row["code"], _unique(names)))
        return cls(
            plan=plan,
            indicators=NameIndex(named),
            facts=facts,
            areas=area_names(plan.area.path),
            dimensions=OwnFirstIndex(
                (
                    Named(code, code, names_in_every_language(name))
                    for _pk, code, name, _plan in dimension_rows
                ),
                own={code for _pk, code, _name, plan_id in dimension_rows if plan_id == plan.pk},
            ),
            options={code: NameIndex(options[pk]) for pk, code, _name, _p in dimension_rows},
        )

    def index(self, kind: str, scope: str = "") -> NameIndex | None:
        if kind == LabelKind.INDICATOR:
            return self.indicators
        if kind == LabelKind.AREA:
            return self.areas
        if kind == LabelKind.OPTION:
            return self.options.get(scope)
        if kind == LabelKind.COLUMN:
            return self.dimensions
        return None

    def valid_code(self, kind: str, scope: str, code: str) -> str | None:
        """The code as the plan spells it, or None when it names nothing of its kind."""
        if code == IGNORE and kind in (LabelKind.COLUMN, LabelKind.INDICATOR):
            return code
        if kind == LabelKind.COLUMN and code.lower() in ROLES:
            return code.lower()
        if kind == LabelKind.PERIOD:
            try:
                return parse_period(code).code
            except PeriodCodeError:
                return None
        index = self.index(kind, scope)
        if index is None:
            return None
        try:
            found = index.find(code)
        except LookupRefused:
            return None
        return found.code if found.code.casefold() == code.casefold() else None


def _unique(texts: Any) -> list[str]:
    seen: list[str] = []
    for text in texts:
        if text not in seen:
            seen.append(text)
    return seen


# ----------------------------------------------------------------------------- the mapping


Key = tuple[str, str, str]  # kind, scope, folded label


@dataclass
class MappingEntry:
    kind: str
    scope: str
    label: str
    code: str
    where: str = ""  # the mapping sheet's cell, or "" for a kept one


@dataclass
class Mapping:
    """The labels matched by hand: the sheet's entries win over those the plan kept."""

    entries: dict[Key, MappingEntry] = field(default_factory=dict)
    # The lines of the sheets given, once a label (the last wins): kept on success.
    _given: dict[Key, MappingEntry] = field(default_factory=dict)

    @property
    def given(self) -> list[MappingEntry]:
        return list(self._given.values())

    @classmethod
    def kept(cls, plan: Plan) -> Mapping:
        mapping = cls()
        for row in LabelMapping.objects.filter(plan=plan):
            mapping.entries[(row.kind, row.scope, row.folded)] = MappingEntry(
                row.kind, row.scope, row.label, row.code
            )
        return mapping

    def add(self, entry: MappingEntry) -> None:
        key = (entry.kind, entry.scope, folded(entry.label))
        self.entries[key] = self._given[key] = entry

    def get(self, kind: str, scope: str, label: str) -> str | None:
        entry = self.entries.get((kind, scope, folded(label)))
        return entry.code if entry is not None else None


# ----------------------------------------------------------------------------- matching


@dataclass
class Unmatched:
    """A label the plan could not match: how often, where first, and the likeliest codes."""

    kind: str
    scope: str
    label: str
    count: int
    first: str
    suggestions: list[str]
    ambiguous: bool = False

    @property
    def kind_label(self) -> str:
        return str(LabelKind(self.kind).label)


class Matcher:
    """Match labels, keeping what is unmatched (once per label, counted) for the sheet."""

    def __init__(self, catalogue: Catalogue, mapping: Mapping) -> None:
        self.catalogue = catalogue
        self.mapping = mapping
        self.unmatched: dict[Key, Unmatched] = {}
        self._cache: dict[tuple[str, str, str], str | None] = {}
        self._totals: dict[str, bool] = {}

    def match(
        self, kind: str, scope: str, label: str, where: str, row: int | None = None
    ) -> str | None:
        """The code the label stands for (IGNORE: left out), or None (then it is unmatched).
        `where` is the label's location, or its format when `row` is given (formatted only
        for a label that is unmatched: this runs once a cell of a big file)."""
        key = (kind, scope, label)
        try:
            found = self._cache[key]
        except KeyError:
            found = self._cache[key] = self._match(kind, scope, label)
        if found is None:
            self._miss(kind, scope, label, where if row is None else where.format(row=row))
        return found

    def is_total(self, label: str) -> bool:
        """Whether an option's cell says "all of them" (total, ensemble...)."""
        try:
            return self._totals[label]
        except KeyError:
            found = self._totals[label] = folded(label) in TOTAL_WORDS
            return found

    def _match(self, kind: str, scope: str, label: str) -> str | None:
        mapped = self.mapping.get(kind, scope, label)
        if mapped is not None:
            return mapped
        if kind == LabelKind.PERIOD:
            return period_code(label)
        if kind == LabelKind.COLUMN:
            role = _ROLE_BY_WORD.get(folded(label))
            if role is not None:
                return role
        index = self.catalogue.index(kind, scope)
        if index is None:
            return None
        try:
            return str(index.find(label).code)
        except LookupRefused:
            return None

    def _miss(self, kind: str, scope: str, label: str, where: str) -> None:
        key = (kind, scope, folded(label))
        seen = self.unmatched.get(key)
        if seen is not None:
            seen.count += 1
            return
        ambiguous = False
        index = self.catalogue.index(kind, scope)
        suggestions: list[str] = []
        if index is not None:
            try:
                index.find(label)
            except LookupRefused as refused:
                ambiguous = refused.ambiguous
                if ambiguous:
                    suggestions = [_shown(c) for c in refused.candidates[:_SUGGESTIONS]]
            if not ambiguous:
                suggestions = [_shown(c, name) for c, name in suggest(index, label)]
        if kind == LabelKind.COLUMN:
            suggestions = (suggestions + [r for r in _close_roles(label) if r not in suggestions])[
                :_SUGGESTIONS
            ]
        self.unmatched[key] = Unmatched(kind, scope, label, 1, where, suggestions, ambiguous)


def _shown(named: Named, name: str = "") -> str:
    """A suggestion as the sheet shows it, "CD-NK (Nord-Kivu)", with the name closest to the
    label (a French label is shown the French name); its code is what counts."""
    name = name or (named.names[0] if named.names else "")
    if name and name != named.code:
        return f"{named.code} ({name})"
    return str(named.code)


def suggest(index: NameIndex, label: str, count: int = _SUGGESTIONS) -> list[tuple[Named, str]]:
    """The objects whose code or names are closest to the label, each with its closest name
    (difflib's ratio over the folded texts; a name inside the label, or the label inside a
    name, counts as close)."""
    key = folded(label)
    if not key:
        return []
    scored: list[tuple[float, Named, str]] = []
    for obj in index.objects:
        best, best_name = 0.0, ""
        for text in (*obj.names, obj.code):
            other = folded(text)
            if not other:
                continue
            ratio = difflib.SequenceMatcher(None, key, other).ratio()
            if len(other) >= 4 and (other in key or key in other):
                ratio = max(ratio, 0.85)
            if ratio > best:
                best, best_name = ratio, text
        if best >= 0.5:
            scored.append((best, obj, best_name))
    scored.sort(key=lambda item: -item[0])
    return [(obj, name) for _score, obj, name in scored[:count]]


def _close_roles(label: str) -> list[str]:
    words = difflib.get_close_matches(folded(label), list(_ROLE_BY_WORD), n=5, cutoff=0.7)
    return _unique(_ROLE_BY_WORD[w] for w in words if _ROLE_BY_WORD[w] != IGNORE)


# "2024", "2024.0", "2024-Q1", "T1 2024", "2024 T1", "trimestre 1 2024", "S2 2025", "2025-07"
_QUARTER = re.compile(
    r"^(?:(\d{4})\s*[-/ ]?\s*(?:q|t|trimestre|trim)\s*([1-4])|(?:q|t|trimestre|trim)\s*([1-4])\s*[-/ ]?\s*(\d{4}))$"
)
_SEMESTER = re.compile(
    r"^(?:(\d{4})\s*[-/ ]?\s*(?:s|h|semestre|sem)\s*([12])|(?:s|h|semestre|sem)\s*([12])\s*[-/ ]?\s*(\d{4}))$"
)


def period_code(label: str) -> str | None:
    """A period's label as a period code, or None when it is not one we can read."""
    text = label.strip()
    if re.fullmatch(r"\d{4}\.0+", text):
        text = text.split(".")[0]
    try:
        return parse_period(text).code
    except PeriodCodeError:
        pass
    plain = folded(text)
    for pattern, letter in ((_QUARTER, "Q"), (_SEMESTER, "S")):
        found = pattern.match(plain)
        if found:
            year = found.group(1) or found.group(4)
            number = found.group(2) or found.group(3)
            return f"{year}{letter}{number}"
    return None


def mapping_refusal(kind: str, scope: str, code: str) -> str:
    """Why a code written in the mapping sheet is refused."""
    if kind == LabelKind.COLUMN:
        return _(
            "%(code)r is neither a dimension of the plan nor one of %(roles)s (or - to leave "
            "the column out)"
        ) % {"code": code, "roles": ", ".join(ROLES)}
    if kind == LabelKind.INDICATOR:
        return _(
            "%(code)r is not an indicator code of the plan (or - to leave its records out)"
        ) % {"code": code}
    if kind == LabelKind.AREA:
        return _("%(code)r is not the code of an area of the plan") % {"code": code}
    if kind == LabelKind.OPTION:
        return _("%(code)r is not an option code of %(dim)s") % {"code": code, "dim": scope}
    return _("%(code)r is not a period code (use 2025, 2025S1, 2025Q3 or 2025-07)") % {"code": code}
