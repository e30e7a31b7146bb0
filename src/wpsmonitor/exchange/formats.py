"""The import/export format: sheets (XLSX), sections (JSON) and their columns, in one place.

The template, the importers, the exporters and docs/import-formats.md all follow these specs.
A column marked required must be filled on every row of its sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.spreadsheets import (  # noqa: F401 - the exchange formats' vocabulary
    FORMULA_TRIGGERS,
    neutralise,
    unneutralise,
)
from wpsmonitor.core.translated import language_codes
from wpsmonitor.indicators.ingest import VALUE_COLUMNS
from wpsmonitor.plans.models import DISCLOSURE_THRESHOLD_DEFAULT, DISCLOSURE_THRESHOLD_FLOOR

JSON_FORMAT = "wpsmonitor-plan"
JSON_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    help: str | Promise
    required: bool = False
    text: bool = False  # free text: neutralised against formula injection in CSV exports
    # A text in several languages (docs/languages.md): the column holds the text in the plan's
    # original language; `<name>_<language>` columns (title_fr...) hold each language's.
    translated: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str  # XLSX sheet name
    key: str  # JSON section name
    help: str | Promise
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


C = Column


LANGUAGE_COLUMN_HELP = _(
    "{column} in the language {language} (optional: the column {column} holds the text in the "
    "plan's original language)."
)


def with_languages(
    *columns: Column, help: str | Promise = LANGUAGE_COLUMN_HELP
) -> tuple[Column, ...]:
    """The columns, then a `<name>_<language>` column per language of each translated one
    (title_en, title_fr, title_es, title_ar), at the end so the older columns keep their place.
    `help`: the language columns' explanation ({column}, {language}), when their original
    language is not the plan's (an organisation's own)."""
    extra = tuple(
        Column(
            f"{column.name}_{code}",
            format_lazy(help, column=column.name, language=code),
            text=column.text,
        )
        for column in columns
        if column.translated
        for code in language_codes()
    )
    return (*columns, *extra)


def language_column(name: str, columns: tuple[Column, ...]) -> tuple[str, str] | None:
    """(field, language) when `name` reads as a language column of a translated column
    (title_fr, or title_de for a language the platform does not have), else None."""
    for column in columns:
        prefix = f"{column.name}_"
        if column.translated and name.startswith(prefix) and name[len(prefix) :].isalpha():
            return column.name, name[len(prefix) :]
    return None


def original_columns(columns: tuple[Column, ...], language: str) -> set[str]:
    """The language columns of the original `language` (title_fr for a French plan): the text
    itself is in `title`. Left out of what a re-import holds of an existing row, so that a new
    `title` is not contradicted by the stored one."""
    return {f"{column.name}_{language}" for column in columns if column.translated}


def unknown_column_message(name: str, columns: tuple[Column, ...]) -> str | None:
    """The refusal of a language column for a language the platform does not have (title_de),
    clearer than "unknown column"; None for any other name."""
    found = language_column(name, columns)
    if found is None or found[1] in language_codes():
        return None
    return gettext("%(column)r: %(language)r is not one of the platform's languages (%(all)s)") % {
        "column": name,
        "language": found[1],
        "all": ", ".join(language_codes()),
    }


PLAN_FIELDS: tuple[Column, ...] = (
    C("code", _("Stable code of the plan, letters, digits and hyphens (e.g. ken-nap-2)."), True),
    C("title", _("Full title of the plan."), True, True, translated=True),
    C("kind", _("national, local, regional or institutional."), True),
    C("parent", _("Code of the national plan a local or institutional plan belongs to.")),
    C(
        "area",
        _("Country (ISO 3166-1 code such as KEN or KE) or area code the plan covers."),
        True,
    ),
    C("generation", _("1 for a first NAP, 2 for the second, ...")),
    C("start", _("First day of the plan period (YYYY-MM-DD)."), True),
    C("end", _("Last day of the plan period (YYYY-MM-DD)."), True),
    C("adopted_on", _("Adoption date (YYYY-MM-DD).")),
    C("status", _("draft, adopted, implementation, completed or superseded.")),
    C("lead_organisation", _("Code of the lead organisation (see Organisations).")),
    C("coordination_mechanism", _("How the plan is coordinated."), text=True),
    C("languages", _("ISO 639-1 language codes separated by ; (e.g. en;sw).")),
    C("description", _("Summary of the plan."), text=True),
    C("document_url", _("Link to the plan document.")),
    C("me_description", _("How the plan is monitored and evaluated."), text=True),
    C(
        "civil_society_roles",
        _("Civil society's role, separated by ; : design, implementation, monitoring."),
    ),
    C("alignment_references", _("Frameworks the plan aligns with, separated by ; : cedaw, sdg.")),
    C(
        "disclosure_threshold",
        format_lazy(
            _(
                "Smallest count of a sensitive indicator that is published (default {default}, "
                'never below {floor}); smaller counts read "fewer than" it.'
            ),
            default=DISCLOSURE_THRESHOLD_DEFAULT,
            floor=DISCLOSURE_THRESHOLD_FLOOR,
        ),
    ),
    C(
        "structural_zeros_safe",
        _("yes to publish the zeros of sensitive indicators (default no: a zero is suppressed)."),
    ),
    C(
        "original_language",
        format_lazy(
            _(
                "The language the plan's texts are written in: {languages} (default en). The "
                "title, definition... columns hold the texts in it."
            ),
            languages=", ".join(language_codes()),
        ),
    ),
)
PLAN_FIELDS = with_languages(*PLAN_FIELDS)

PLAN = Sheet(
    "Plan",
    "plan",
    _("One field per row: column A the field name, column B its value."),
    (
        C("field", _("The name of a plan field (listed below)."), True),
        C("value", _("Its value."), False),
    ),
)

ORGANISATIONS = Sheet(
    "Organisations",
    "organisations",
    _("Organisations named anywhere in the workbook. Existing codes are updated."),
    with_languages(
        C("code", _("Stable code (letters, digits, hyphens, underscores)."), True),
        C("name", _("Full name."), True, True, translated=True),
        C("acronym", _("Short name.")),
        C(
            "type",
            _(
                "government, security, parliament, local_government, civil_society, un, donor, "
                "regional or academia."
            ),
            True,
        ),
        C("country", _("ISO 3166-1 country code.")),
        C("women_led", _("yes or no.")),
        C("grassroots", _("yes or no.")),
        C("youth_led", _("yes or no.")),
        C("iati_ref", _("IATI organisation identifier.")),
        C(
            "original_language",
            format_lazy(
                _(
                    "The language its name is written in: {languages}. Empty: the plan's "
                    "original language for a new organisation, unchanged for an existing one."
                ),
                languages=", ".join(language_codes()),
            ),
        ),
        help=_(
            "{column} in the language {language} (optional: the column {column} holds the "
            "text in the organisation's original language)."
        ),
    ),
)

AREAS = Sheet(
    "Areas",
    "areas",
    _(
        "Provinces, districts and other areas below the country. Countries need no row: "
        "they come from ISO 3166-1."
    ),
    (
        C("code", _("ISO 3166-2 code (e.g. KE-30) or the country's own code."), True),
        C("name", _("Name; may be empty for an ISO 3166-2 code."), False, True),
        C("parent", _("Code of the parent area (a country's ISO code or another area)."), True),
        C("level", _("Depth: 2 province or region, 3 district, 4 locality (default: parent + 1).")),
        C("is_urban", _("yes or no, when the area is wholly urban or rural.")),
    ),
)

LEVELS = Sheet(
    "Levels",
    "levels",
    _(
        "Optional: the levels of the results framework, top first. Empty: pillar, outcome, "
        "output, action."
    ),
    (
        C("depth", _("1 for the top level, 2 below it, ..."), True),
        C("code", _("Code used in the Framework sheet's level column."), True),
        C("name", _("Name shown to users."), True, True),
        C("holds_actions", _("yes for the level whose nodes are actions (the deepest).")),
    ),
)

FRAMEWORK = Sheet(
    "Framework",
    "framework",
    _("The results tree, parents before children. Action fields apply to action rows."),
    with_languages(
        C(
            "code",
            _("Stable code of the node, unique in the plan (e.g. P1, P1.O2, P1.O2.A3)."),
            True,
        ),
        C("parent", _("Code of the parent node; empty for a top-level node (pillar).")),
        C("level", _("Level code (pillar, outcome, output, action, or your Levels)."), True),
        C("title", _("Title."), True, True, translated=True),
        C("description", _("Longer description."), text=True),
        C("order", _("Position among its siblings (a whole number).")),
        C(
            "pillar_theme",
            _(
                "On pillars: participation, protection, prevention, relief_recovery, or the "
                "plan's own theme such as coordination."
            ),
        ),
        C("responsible_organisation", _("Actions: code of the responsible organisation.")),
        C("partner_organisations", _("Actions: partner organisation codes separated by ;.")),
        C("planned_start", _("Actions: planned start (YYYY-MM-DD).")),
        C("planned_end", _("Actions: planned end (YYYY-MM-DD).")),
        C("status", _("Actions: not_started, ongoing, completed or cancelled.")),
        C("percent_complete", _("Actions: 0 to 100.")),
    ),
)

DIMENSIONS = Sheet(
    "Dimensions",
    "dimensions",
    _(
        "Dimensions this plan adds (e.g. displacement status), one row per option. sex, age, "
        "disability and area_type exist already."
    ),
    with_languages(
        C("dimension", _("Dimension code (e.g. displacement)."), True),
        C("dimension_name", _("Dimension name (on its first row)."), text=True),
        C("option", _("Option code (e.g. idp)."), True),
        C("option_name", _("Option name."), text=True, translated=True),
        C("order", _("Position of the option (a whole number).")),
        C(
            "parent",
            _(
                "The option it sits under, as dimension=option (e.g. category=officers for the "
                "rank general); empty: none. Impossible combinations are then refused."
            ),
        ),
    ),
)

SOURCES = Sheet(
    "Sources",
    "sources",
    _("Who reports values: gov (the government) exists already; add shadow and donor sources."),
    (
        C("code", _("Source code used in the Values sheet."), True),
        C("name", _("Name."), True, True),
        C("kind", _("government, civil_society or donor."), True),
        C("organisation", _("Code of the reporting organisation.")),
    ),
)

INDICATORS = Sheet(
    "Indicators",
    "indicators",
    _("The plan's indicators, each attached to a framework node."),
    with_languages(
        C("code", _("Stable code, unique in the plan."), True),
        C("node", _("Code of the framework node it measures."), True),
        C("title", _("Title."), True, True, translated=True),
        C("definition", _("Definition."), text=True, translated=True),
        C(
            "kind",
            _(
                "number, percentage (numerator / denominator), yes_no, milestone, scale, "
                "narrative, list (items counted), formula or share (both computed)."
            ),
            True,
        ),
        C(
            "unit",
            _(
                "Unit (people, laws, %...). A number indicator counting people or events "
                "(people, cases...) takes whole numbers only. Singular and plural may be "
                "joined by a bar, text|texts, to read 1 text, 4 texts."
            ),
            translated=True,
        ),
        C("direction", _("increase (default), decrease or maintain.")),
        C("time_rule", _("Adding up over time: sum, last, average or none."), True),
        C(
            "disaggregation",
            _("Dimension codes separated by ; in order (e.g. sex;age). Empty: not disaggregated."),
        ),
        C("frequency", _("Reporting frequency: year, semester, quarter or month."), True),
        C("means_of_verification", _("Where the figures come from."), text=True, translated=True),
        C("responsible_organisation", _("Code of the organisation that reports it.")),
        C(
            "references",
            _("Global indicators as vocabulary:code separated by ; (e.g. sdg:5.5.1a;sg:1)."),
        ),
        C("factor", _("Multiplier of numerator / denominator (100 for percentages; default 1).")),
        C("scale_labels", _("Scale or milestone steps, lowest first, separated by |.")),
        C("numerator_formula", _("Formula indicators: e.g. {IND-A} + {IND-B}.")),
        C("denominator_formula", _("Formula indicators: e.g. {IND-C}; empty for 1.")),
        C("share_of", _("Share indicators: code of the disaggregated count.")),
        C("share_option", _("Share indicators: the option as dimension=option (e.g. sex=F).")),
        C("expected_min", _("Values below this are flagged.")),
        C("expected_max", _("Values above this are flagged.")),
        C("order", _("Position in lists (a whole number).")),
        C(
            "sensitivity",
            _(
                "public (default), sensitive (counts of people who could be identified: "
                "small counts are suppressed when published) or restricted (never published)."
            ),
        ),
        C(
            "disclosure_threshold",
            format_lazy(
                _(
                    "Sensitive indicators: smallest count published; empty: the plan's ({floor} or more)."
                ),
                floor=DISCLOSURE_THRESHOLD_FLOOR,
            ),
        ),
    ),
)

_REFERENCE_COLUMNS = (
    C("indicator", _("Indicator code."), True),
    C("period", _("Period code: 2025, 2025S1, 2025Q3 or 2025-07."), True),
    C("area", _("Area code (countries by ISO code)."), True),
    C(
        "cell",
        _("Disaggregation cell as dimension=option;... (empty or total: not disaggregated)."),
    ),
    C("value", _("The figure (numbers, yes/no as 1/0, scale steps).")),
    C("numerator", _("Percentages: the numerator.")),
    C("denominator", _("Percentages: the denominator.")),
    C("comment", _("Comment."), text=True),
)

BASELINES = Sheet(
    "Baselines",
    "baselines",
    _("Baselines per indicator, area and cell; the period says when it was measured."),
    _REFERENCE_COLUMNS,
)

TARGETS = Sheet(
    "Targets",
    "targets",
    _("Targets per indicator, period, area and cell."),
    _REFERENCE_COLUMNS,
)

_VALUE_HELP: dict[str, tuple[str | Promise, bool, bool]] = {
    "plan": (_("Plan code (may be empty in a plan workbook: the workbook's plan)."), False, False),
    "indicator": (_("Indicator code."), True, False),
    "period": (
        _("Period code of the indicator's frequency: 2025, 2025S1, 2025Q3, 2025-07."),
        True,
        False,
    ),
    "area": (_("Area code; countries by ISO 3166-1 code (KEN or KE)."), True, False),
    "cell": (
        _(
            "dimension=option pairs separated by ;, in any order (empty or total when not disaggregated)."
        ),
        False,
        False,
    ),
    "source": (_("Source code (empty: gov, the government)."), False, False),
    "value": (
        _(
            "Numbers: the figure (not negative). Yes/no: 1/0, yes/no, oui/non, true/false. "
            "Scale and milestone: the step number from 0, or its label. Empty for percentages."
        ),
        False,
        False,
    ),
    "numerator": (_("Percentages: the numerator (not above the denominator)."), False, False),
    "denominator": (_("Percentages: the denominator (above 0)."), False, False),
    "text": (_("Narrative indicators: the text."), False, True),
    "comment": (_("Comment on the value."), False, True),
}

VALUES = Sheet(
    "Values",
    "values",
    _(
        "Indicator values. A value already stored for the same indicator, period, area, cell "
        "and source is updated (and the change recorded). Derived indicators are never typed."
    ),
    tuple(C(name, *_VALUE_HELP[name]) for name in VALUE_COLUMNS),
)

LIST_ITEMS = Sheet(
    "ListItems",
    "list_items",
    _(
        "Items of list indicators (laws, policies, mechanisms adopted), counted once, in the "
        "period they were first reported in. One row per report: an item reported again in a "
        "later year (same indicator, area, source and title) keeps its first period and adds "
        "that year's status."
    ),
    (
        C("indicator", _("Code of a list indicator."), True),
        C("period", _("Period code of the report (the item counts in its first one)."), True),
        C("area", _("Area code."), True),
        C("source", _("Source code (empty: gov).")),
        C("title", _("Title of the law, policy or mechanism."), True, True),
        C("type", _("Type of item (law, policy, mechanism...)."), text=True),
        C("description", _("Description."), text=True),
        C("date", _("Date adopted: YYYY-MM-DD, or the year alone (YYYY).")),
        C("status", _("Its status in that period (adopted, in force, revised...)."), text=True),
        C("reference", _("Reference or link."), text=True),
    ),
)

PLAN_SHEETS: tuple[Sheet, ...] = (
    PLAN,
    ORGANISATIONS,
    AREAS,
    LEVELS,
    FRAMEWORK,
    DIMENSIONS,
    SOURCES,
    INDICATORS,
    BASELINES,
    TARGETS,
    VALUES,
    LIST_ITEMS,
)
SHEETS_BY_NAME = {sheet.name.lower(): sheet for sheet in PLAN_SHEETS}
INSTRUCTIONS = "Instructions"
