"""What a plan load knows so far, and typed readers for the cells of its sheets.

Each reader returns the cell's value or, when the cell is refused, records the problem at its
place (file:sheet:row:column) in the shared ValueIngest session and returns None (or a default),
so one pass lists every problem of a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, overload

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wpsmonitor.core.names import LookupRefused, NameIndex
from wpsmonitor.core.translated import column as language_column
from wpsmonitor.core.translated import language_codes
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.directory.services import area_country_ensure
from wpsmonitor.exchange.formats import Sheet
from wpsmonitor.indicators.ingest import ValueIngest, parse_number
from wpsmonitor.indicators.ingest.lookups import area_names, area_refusal
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan

Row = tuple[int, dict[str, Any]]
OWN_INDICATOR = gettext_lazy(
    "%(code)s is a civil-society organisation's own indicator: only its monitors may change it"
)


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


def with_held(
    data: dict[str, Any], sheet: Sheet, held: Callable[[dict[str, Any]], dict[str, Any] | None]
) -> dict[str, Any]:
    """The row, with each column it leaves out read from what the existing object holds.

    A column left out of a sheet's header (a key left out in JSON) leaves an existing object's
    field as it is; only a blank cell clears it (issue 12). `held(data)` gives the existing
    object's row as the export writes it, or None for a new object, which takes the defaults. A row read from a
    sheet has every column of its header, a blank cell as None, so only left-out columns are
    filled in.
    """
    if all(column.name in data for column in sheet.columns):
        return data
    current = held(data)
    return data if current is None else current | data


class PlanReader:
    """The load's state (the plan and what it has stored by code) and its cell readers."""

    def __init__(self, session: ValueIngest, sections: Sections) -> None:
        self.session = session
        self.sections = sections
        self.plan: Plan | None = None
        self.orgs: dict[str, Organisation] = {}
        self.nodes: dict[str, FrameworkNode] = {}
        self.indicators: dict[str, Indicator] = {}
        self.own_codes: set[str] = set()
        # Indicators whose row was refused: the rows that name them (values, baselines, targets,
        # list items) are not checked, so that the one problem is reported once, not echoed.
        self.refused_indicators: set[str] = set()
        # Dimensions refused on the Dimensions sheet: an indicator naming one is refused
        # without a problem of its own.
        self.refused_dimensions: set[str] = set()
        self._area_names: tuple[tuple[str, int], NameIndex] | None = None

    def plan_language(self) -> str:
        """The plan's original language before the Plan sheet is stored (the Organisations
        sheet is read first): the sheet's `original_language`, else the existing plan's, else
        the default. A language the platform does not have is refused on the Plan sheet."""
        if self.plan is not None:
            return self.plan.original_language
        fields = self.sections.plan
        if "original_language" in fields:  # given; blank is the default, as the Plan sheet reads
            given = text(fields["original_language"][1]).lower() or settings.LANGUAGE_CODE
            return given if given in language_codes() else settings.LANGUAGE_CODE
        code = text(fields.get("code", (1, None))[1])
        existing = (
            Plan.objects.filter(code=code).values_list("original_language", flat=True).first()
            if code
            else None
        )
        return existing or settings.LANGUAGE_CODE

    def rows(self, sheet: str) -> list[Row]:
        return self.sections.rows.get(sheet, [])

    def err(self, sheet: str, row: int, column: str, message: str) -> None:
        self.session.add_problem(self.sections.places[sheet], row, column, message)

    def texts(
        self,
        sheet: str,
        row: int,
        data: dict[str, Any],
        field: str,
        language: str,
        attribute: str | None = None,
    ) -> dict[str, Any]:
        """The row's `field` in each language, as keyword arguments of its columns: the column
        `field` is the text in the original `language`; each `field_<code>` column the row has
        is the text in that language (blank: none). A language column left out leaves that
        language's text as it is. `field_<original>`, when filled, must repeat `field`.
        `attribute`: the model's field when it is not named as the column (an option's `name`,
        the column `option_name`)."""
        attribute = attribute or field
        original = text(data.get(field))
        texts: dict[str, Any] = {language_column(attribute, language): original}
        for code in language_codes():
            name = language_column(field, code)
            if name not in data:
                continue
            value = text(data.get(name))
            if code != language:
                texts[language_column(attribute, code)] = value or None
            elif value and value != original:
                self.err(
                    sheet,
                    row,
                    name,
                    _(
                        "%(column)s differs from %(field)s, the text in the original language "
                        "(%(language)s): leave it blank or give the same text"
                    )
                    % {"column": name, "field": field, "language": language},
                )
        return texts

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
            # By name, in any of the platform's languages: among the plan's areas once the
            # plan is known, else among all.
            # (The sheets add areas as they load: the index is made again when there are more.)
            scope = (self.plan.area.path if self.plan else "", Area.objects.count())
            if self._area_names is None or self._area_names[0] != scope:
                self._area_names = (scope, area_names(scope[0]))
            try:
                found = Area.objects.get(pk=self._area_names[1].find(code).key)
            except LookupRefused as refused:
                self.err(sheet, row, column, area_refusal(refused))
        return found
