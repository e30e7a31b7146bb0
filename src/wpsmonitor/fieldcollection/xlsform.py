"""The XLSForm of an assignment (docs/field-collection.md, "The form").

One form per round, organisation and area: each indicator due (the entry sheet's
`due_indicators`) and each action assigned, each disaggregation cell a field named from the
indicator's and the cell's codes, so that a submission's columns map back to the entry
sheet's fields whatever server or export carried them. Hidden fields carry the plan, the
round, the assignment and the framework's version: a hash of everything the form depends on
(codes, kinds, cells, expected ranges, scale steps, actions), so that an import refuses a form
made from another version of the framework.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.translated import shown
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    TOTAL_CELL,
    Cell,
    DimensionOption,
    Indicator,
    IndicatorKind,
    Source,
)
from wpsmonitor.plans.models import ActionStatus, FrameworkNode
from wpsmonitor.reporting.entry import GRID_KINDS, due_actions, due_indicators
from wpsmonitor.reporting.models import ReportingRound, Submission

# The hidden fields every form carries.
PLAN_FIELD = "wps_plan"
ROUND_FIELD = "wps_round"
ASSIGNMENT_FIELD = "wps_assignment"
VERSION_FIELD = "wps_framework"
HIDDEN_FIELDS = (PLAN_FIELD, ROUND_FIELD, ASSIGNMENT_FIELD, VERSION_FIELD)
# Field name prefixes: the entry sheet's parts (value, numerator, denominator, text, comment),
# the computed percentage, and the action's status, percentage complete and narrative.
PREFIXES = ("v", "n", "d", "t", "c", "p", "as", "ap", "an")
_NAME_PREFIX = re.compile(r"^(?:" + "|".join(PREFIXES) + r")__")


def is_form_field(name: str) -> bool:
    """A name the form gives: one of ours, whether or not this version of the form has it."""
    return name in HIDDEN_FIELDS or bool(_NAME_PREFIX.match(name))


def name_part(code: str) -> str:
    """A code made a safe part of an XML name: letters, digits and underscores only (servers'
    exports join group paths with '/' or '-', which must never appear inside a name)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", code)


def language_column(code: str) -> str:
    """The XLSForm name of a language: "French (fr)"."""
    return f"{translation.get_language_info(code)['name']} ({code})"


@dataclass(frozen=True)
class FormField:
    """A field of the form mapped to the entry sheet: `key` is the sheet's field ("v-12-34",
    "as-7"), empty for a field computed in the form; `label` names it in problems."""

    name: str
    key: str
    label: str


@dataclass
class FormSpec:
    round: ReportingRound
    organisation: Organisation
    area: Area
    language: str
    version: str = ""
    fields: dict[str, FormField] = field(default_factory=dict)
    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)

    @property
    def assignment(self) -> str:
        return f"{self.organisation.code}@{self.area.code}"

    @property
    def form_id(self) -> str:
        parts = (
            self.round.plan.code,
            self.round.period.code,
            self.organisation.code,
            self.area.code,
        )
        return "wps_" + "_".join(name_part(p) for p in parts)

    @property
    def languages(self) -> list[str]:
        codes = [code for code, _name in settings.LANGUAGES]
        return [self.language, *(c for c in codes if c != self.language)]

    @property
    def title(self) -> str:
        with translation.override(self.language):
            return _("%(plan)s: %(organisation)s, %(area)s, %(period)s") % {
                "plan": self.round.plan.code,
                "organisation": shown(self.organisation, "name", self.language).text,
                "area": localized_name(self.area.name),
                "period": self.round.period.code,
            }

    def filename(self) -> str:
        return f"{self.form_id}.xlsx"


class _Builder:
    def __init__(self, spec: FormSpec) -> None:
        self.spec = spec
        self.languages = spec.languages
        self.fingerprint: list[object] = []

    def label_row(self, column: str, texts: dict[str, str]) -> dict[str, str]:
        return {f"{column}::{language_column(code)}": texts[code] for code in self.languages}

    def gettext(self, message: str) -> dict[str, str]:
        out = {}
        for code in self.languages:
            with translation.override(code):
                out[code] = str(_(message))
        return out

    def add(
        self,
        type_: str,
        name: str,
        label: dict[str, str] | None,
        key: str = "",
        what: str = "",
        **extra: str,
    ) -> None:
        if name in self.spec.fields:
            raise ValidationError(
                _("Two fields of the form would be named %(name)s: make the codes differ.")
                % {"name": name}
            )
        row = {"type": type_, "name": name}
        if label is not None:
            row.update(self.label_row("label", label))
        for column, value in extra.items():
            row[column] = value
        self.spec.survey.append(row)
        self.spec.fields[name] = FormField(name=name, key=key, label=what or name)

    def add_text_row(self, row: dict[str, str]) -> None:
        self.spec.survey.append(row)


def _option_labels(indicators: list[Indicator]) -> dict[tuple[str, str], DimensionOption]:
    options = DimensionOption.objects.filter(
        dimension__schemedimension__scheme_id__in={i.scheme_id for i in indicators}
    ).select_related("dimension", "dimension__plan")
    return {(o.dimension.code, o.code): o for o in options}


def _cell_texts(
    code: str, options: dict[tuple[str, str], DimensionOption], languages: list[str]
) -> dict[str, str]:
    out = {}
    for language in languages:
        with translation.override(language):
            if code == TOTAL_CELL:
                out[language] = str(_("Total"))
                continue
            names = []
            for pair in code.split(";"):
                dim, opt = pair.split("=", 1)
                option = options.get((dim, opt))
                names.append(
                    localized_name(shown(option, "name", language).text) if option else opt
                )
            out[language] = ", ".join(names)
    return out


def form_spec(
    round_: ReportingRound, organisation: Organisation, area: Area, language: str
) -> FormSpec:
    """The form of an assignment for a round, in `language` with the others as translations.
    A ValidationError when nothing is due."""
    codes = [code for code, _name in settings.LANGUAGES]
    spec = FormSpec(round_, organisation, area, language if language in codes else codes[0])
    source = Source.objects.get(code=GOVERNMENT_SOURCE)
    probe = Submission(round=round_, organisation=organisation, area=area, source=source)
    due, _not_due = due_indicators(probe)
    actions = due_actions(probe)
    if not due and not actions:
        raise ValidationError(
            _("Nothing is due from this organisation for this area in the round %(period)s.")
            % {"period": round_.period.code}
        )
    build = _Builder(spec)
    original = round_.plan.original_language
    for name, value in (
        (PLAN_FIELD, round_.plan.code),
        (ROUND_FIELD, round_.period.code),
        (ASSIGNMENT_FIELD, spec.assignment),
    ):
        build.add("calculate", name, None, calculation=_literal(value))
    cells: dict[int, list[Cell]] = {}
    for cell in Cell.objects.filter(scheme_id__in={i.scheme_id for i, _c in due}).order_by("id"):
        cells.setdefault(cell.scheme_id, []).append(cell)
    options = _option_labels([i for i, _c in due])
    for indicator, period_code in due:
        titles = {
            code: f"{indicator.code} {shown(indicator, 'title', code, original).text} ({period_code})"
            for code in build.languages
        }
        own = cells.get(indicator.scheme_id, [])
        if indicator.kind not in GRID_KINDS:
            own = [c for c in own if c.code == TOTAL_CELL] or own[:1]
        _indicator_fields(build, indicator, own, titles, options)
    for action in actions:
        _action_fields(build, action, original)
    spec.version = hashlib.sha256(
        json.dumps(build.fingerprint, sort_keys=True, default=str).encode()
    ).hexdigest()[:16]
    build.add("calculate", VERSION_FIELD, None, calculation=_literal(spec.version))
    return spec


def _literal(text: str) -> str:
    return "'" + text.replace("'", "") + "'"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _range_test(reference: str, low: float | None, high: float | None) -> str:
    tests = []
    if low is not None:
        tests.append(f"{reference} < {_number(low)}")
    if high is not None:
        tests.append(f"{reference} > {_number(high)}")
    return f"{reference} != '' and ({' or '.join(tests)})" if tests else ""


def _indicator_fields(
    build: _Builder,
    indicator: Indicator,
    cells: list[Cell],
    titles: dict[str, str],
    options: dict[tuple[str, str], DimensionOption],
) -> None:
    ind = name_part(indicator.code)
    low, high = indicator.expected_min, indicator.expected_max
    build.fingerprint.append(
        [
            indicator.code,
            indicator.kind,
            indicator.whole_numbers,
            indicator.factor,
            low,
            high,
            len(indicator.scale_labels or []),
            [c.code for c in cells],
        ]
    )
    build.add_text_row(
        {"type": "begin_group", "name": f"g__{ind}", **build.label_row("label", titles)}
    )
    kind = indicator.kind
    if kind == IndicatorKind.NARRATIVE:
        cell = cells[0]
        build.add(
            "text", f"t__{ind}", titles, key=f"t-{indicator.pk}-{cell.pk}", what=indicator.code
        )
    elif kind == IndicatorKind.YES_NO:
        cell = cells[0]
        build.add(
            "select_one yes_no",
            f"v__{ind}",
            titles,
            key=f"v-{indicator.pk}-{cell.pk}",
            what=indicator.code,
        )
        _choices(build, "yes_no", [("1", build.gettext("Yes")), ("0", build.gettext("No"))])
    elif kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE):
        cell = cells[0]
        list_name = f"steps_{ind}"
        build.add(
            f"select_one {list_name}",
            f"v__{ind}",
            titles,
            key=f"v-{indicator.pk}-{cell.pk}",
            what=indicator.code,
        )
        _choices(
            build,
            list_name,
            [
                (str(i), {code: str(label) for code in build.languages})
                for i, label in enumerate(indicator.scale_labels or [])
            ],
        )
    else:
        for cell in cells:
            _grid_cell(build, indicator, cell, ind, options, low, high)
    build.add_text_row({"type": "end_group", "name": ""})


def _grid_cell(
    build: _Builder,
    indicator: Indicator,
    cell: Cell,
    ind: str,
    options: dict[tuple[str, str], DimensionOption],
    low: float | None,
    high: float | None,
) -> None:
    suffix = ind if cell.code == TOTAL_CELL else f"{ind}__{name_part(cell.code.replace(';', '__'))}"
    labels = _cell_texts(cell.code, options, build.languages)
    what = indicator.code if cell.code == TOTAL_CELL else f"{indicator.code} [{cell.code}]"
    key = f"{indicator.pk}-{cell.pk}"
    if indicator.kind == IndicatorKind.PERCENTAGE:
        numerator, denominator = f"n__{suffix}", f"d__{suffix}"
        build.add(
            "integer",
            numerator,
            {c: f"{labels[c]}: {t}" for c, t in build.gettext("numerator").items()},
            key=f"n-{key}",
            what=what,
            constraint=f". >= 0 and (${{{denominator}}} = '' or . <= ${{{denominator}}})",
            **build.label_row(
                "constraint_message",
                build.gettext("A whole number from 0 up to the denominator (0 to 100 %)."),
            ),
        )
        build.add(
            "integer",
            denominator,
            {c: f"{labels[c]}: {t}" for c, t in build.gettext("denominator").items()},
            key=f"d-{key}",
            what=what,
            constraint=". > 0",
            **build.label_row(
                "constraint_message", build.gettext("A whole number greater than 0.")
            ),
        )
        share = f"p__{suffix}"
        build.add(
            "calculate",
            share,
            None,
            calculation=(
                f"if(${{{denominator}}} > 0, round(${{{numerator}}} * "
                f"{_number(indicator.factor)} div ${{{denominator}}}, 1), '')"
            ),
        )
        reference = f"${{{share}}}"
    else:
        value = f"v__{suffix}"
        whole = indicator.whole_numbers
        floor = low if low is not None and low < 0 else 0
        build.add(
            "integer" if whole else "decimal",
            value,
            labels,
            key=f"v-{key}",
            what=what,
            constraint=f". >= {_number(floor)}",
            **build.label_row(
                "constraint_message",
                build.gettext("A whole number, 0 or more.")
                if whole
                else build.gettext("A number, 0 or more."),
            ),
        )
        reference = f"${{{value}}}"
    outside = _range_test(reference, low, high)
    if outside:
        expected = {}
        for code in build.languages:
            with translation.override(code):
                expected[code] = str(
                    _("Outside the expected range (%(low)s to %(high)s): say why")
                    % {
                        "low": "…" if low is None else _number(low),
                        "high": "…" if high is None else _number(high),
                    }
                )
        build.add(
            "text",
            f"c__{suffix}",
            expected,
            key=f"c-{key}",
            what=what,
            relevant=outside,
            required="yes",
        )


def _action_fields(build: _Builder, action: FrameworkNode, original: str) -> None:
    code = name_part(action.code)
    build.fingerprint.append(["action", action.code])
    titles = {
        c: f"{action.code} {shown(action, 'title', c, original).text}" for c in build.languages
    }
    build.add_text_row(
        {"type": "begin_group", "name": f"g__{code}", **build.label_row("label", titles)}
    )
    build.add(
        "select_one action_status",
        f"as__{code}",
        build.gettext("Status"),
        key=f"as-{action.pk}",
        what=action.code,
    )
    statuses = []
    for value, _label in ActionStatus.choices:
        texts = {}
        for language in build.languages:
            with translation.override(language):
                texts[language] = str(ActionStatus(value).label)
        statuses.append((str(value), texts))
    _choices(build, "action_status", statuses)
    build.add(
        "integer",
        f"ap__{code}",
        build.gettext("Percentage complete"),
        key=f"ap-{action.pk}",
        what=action.code,
        constraint=". >= 0 and . <= 100",
        **build.label_row("constraint_message", build.gettext("A whole number from 0 to 100.")),
    )
    build.add(
        "text",
        f"an__{code}",
        build.gettext("What was done"),
        key=f"an-{action.pk}",
        what=action.code,
    )
    build.add_text_row({"type": "end_group", "name": ""})


def _choices(build: _Builder, list_name: str, items: list[tuple[str, dict[str, str]]]) -> None:
    if any(row["list_name"] == list_name for row in build.spec.choices):
        return
    for name, texts in items:
        build.spec.choices.append(
            {"list_name": list_name, "name": name, **build.label_row("label", texts)}
        )


def _columns(rows: list[dict[str, str]], first: list[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _rows(rows: list[dict[str, str]], columns: list[str]) -> Iterator[list[str]]:
    yield columns
    for row in rows:
        yield [row.get(c, "") for c in columns]


def settings_row(spec: FormSpec) -> dict[str, str]:
    return {
        "form_title": spec.title,
        "form_id": spec.form_id,
        "version": spec.version,
        "instance_name": f"concat(${{{ASSIGNMENT_FIELD}}}, ' ', ${{{ROUND_FIELD}}}, ' ', "
        "format-date(today(), '%Y-%m-%d'))",
        "default_language": language_column(spec.language),
    }


def write_xlsx(spec: FormSpec) -> bytes:
    """The XLSForm: survey, choices and settings sheets. Text is written as text (a title
    starting with '=' stays a title, never a formula)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheets = {
        "survey": (spec.survey, ["type", "name"]),
        "choices": (spec.choices, ["list_name", "name"]),
        "settings": ([settings_row(spec)], []),
    }
    for title, (rows, first) in sheets.items():
        sheet = workbook.create_sheet(title)
        for values in _rows(rows, _columns(rows, first)):
            cells = []
            for value in values:
                cell = WriteOnlyCell(sheet, value=value or None)
                cell.data_type = "s" if value else cell.data_type
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_xform(xlsx: bytes) -> str:
    """The XForm XML of an XLSForm, through pyxform (what ODK Central and Kobo do on upload):
    a ValueError naming pyxform's complaint when the form is not valid."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        return str(convert(xlsform=io.BytesIO(xlsx), file_type=".xlsx").xform)
    except PyXFormError as exc:
        raise ValueError(str(exc)) from None
