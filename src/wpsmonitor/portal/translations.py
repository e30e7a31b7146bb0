"""What is left to translate in a plan: for each language other than the plan's original, the
texts that have no text in that language (docs/languages.md, "What is left to translate").

One selector, `translation_report`, read by the plan's translations page, its downloads and the
API. It makes a fixed number of queries whatever the size of the plan (one per kind of object:
nodes, indicators, dimension options, organisations, recommendations) and reads only the text
columns. It lives in the portal because it reads every app that holds a plan's texts, the
recommendations (accountability) included.

A text counts when it has been written at all (an empty definition is not a text to
translate). For each language other than the object's own original language, it is translated
when that language's column holds a text. An organisation keeps its own original language: a
French plan naming an organisation whose name was written in Spanish does not ask for its
Spanish name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.core.translated import column, language_codes
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.models import DimensionOption, Indicator
from wpsmonitor.plans.models import FrameworkNode

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from wpsmonitor.accounts.access import PlanAccess

# The kinds of object and their texts, in the report's order. The keys are stable codes (the
# API's `kind` and `field`); the labels are for people.
KIND_LABELS: dict[str, StrPromise] = {
    "plan": _("Plan"),
    "node": _("Framework node"),
    "indicator": _("Indicator"),
    "option": _("Dimension option"),
    "organisation": _("Organisation"),
    "recommendation": _("Recommendation"),
}
FIELD_LABELS: dict[str, StrPromise] = {
    "title": _("Title"),
    "definition": _("Definition"),
    "unit": _("Unit"),
    "means_of_verification": _("Means of verification"),
    "name": _("Name"),
    "text": _("Text"),
}
INDICATOR_FIELDS = ("title", "definition", "unit", "means_of_verification")


@dataclass(frozen=True)
class Text:
    """One text of the plan: what it belongs to, and its texts by language."""

    kind: str
    code: str
    field: str
    original_language: str
    texts: dict[str, str]

    @property
    def original(self) -> str:
        """The text in its original language; else (an original language changed after the
        texts were written) the first language that has one, as core.translated.shown reads."""
        for code in [self.original_language, *language_codes()]:
            if self.texts.get(code):
                return self.texts[code]
        return ""

    @property
    def direction(self) -> str:
        return "rtl" if translation.get_language_info(self.original_language)["bidi"] else "ltr"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS[self.field])


@dataclass
class LanguageReport:
    """One language: how many of the plan's texts it has, and which it lacks."""

    language: str
    total: int = 0
    missing: list[Text] = field(default_factory=list)

    @property
    def translated(self) -> int:
        return self.total - len(self.missing)

    @property
    def ratio(self) -> float:
        """`percent` as a ratio, for the pages' progress bars (which round: 99.6 % is not 100)."""
        return self.percent / 100

    @property
    def percent(self) -> int:
        """Share translated, in whole percent, rounded down: 100 only when nothing is left."""
        return 100 if self.total == 0 else self.translated * 100 // self.total


@dataclass(frozen=True)
class TranslationReport:
    original_language: str
    languages: list[LanguageReport]

    def language(self, code: str) -> LanguageReport | None:
        return next((report for report in self.languages if report.language == code), None)


def _texts(row: dict[str, Any], name: str) -> dict[str, str]:
    return {code: text for code in language_codes() if (text := row.get(column(name, code)))}


def _columns(*names: str) -> list[str]:
    return [column(name, code) for name in names for code in language_codes()]


def _plan_texts(access: PlanAccess) -> Iterable[Text]:
    plan = access.plan
    original = plan.original_language
    yield Text(
        "plan",
        plan.code,
        "title",
        original,
        {code: text for code in language_codes() if (text := getattr(plan, column("title", code)))},
    )
    for row in (
        FrameworkNode.objects.filter(plan=plan).order_by("path").values("code", *_columns("title"))
    ):
        yield Text("node", row["code"], "title", original, _texts(row, "title"))
    indicators = (
        Indicator.objects.filter(plan=plan)
        .exclude(access.hidden_indicators())  # restricted and unpublished ones stay unseen
        .order_by("code")
        .values("code", *_columns(*INDICATOR_FIELDS))
    )
    for row in indicators:
        for name in INDICATOR_FIELDS:
            yield Text("indicator", row["code"], name, original, _texts(row, name))
    # The options of the plan's own dimensions, and of the dimensions of other plans (a
    # national plan's, used by a local one) that its indicators break down by: their names
    # show on the plan's pages. The shared dimensions' options are msgids of the catalogue,
    # translated there (core/names.py).
    used = Indicator.objects.filter(plan=plan).exclude(access.hidden_indicators())
    shown_options = DimensionOption.objects.filter(
        Q(dimension__plan=plan)
        | Q(dimension__plan__isnull=False, dimension__schemes__indicators__in=used)
    )
    options = (
        DimensionOption.objects.filter(pk__in=shown_options.values("pk"))
        .order_by("dimension__code", "order", "code")
        .values("dimension__code", "dimension__plan__original_language", "code", *_columns("name"))
    )
    for row in options:
        code = f"{row['dimension__code']}.{row['code']}"
        language = row["dimension__plan__original_language"]
        yield Text("option", code, "name", language, _texts(row, "name"))
    # The organisations the plan's pages name: its lead, those responsible for or partners in
    # its actions, responsible for its indicators, addressed by its recommendations, and those
    # it assigns reporting to (the tasks and the reporting sheet name them).
    named = (
        Q(led_plans=plan)
        | Q(responsible_for__plan=plan)
        | Q(partner_in__plan=plan)
        | Q(indicators__plan=plan)
        | Q(recommendations__plan=plan)
        | Q(assignments__plan=plan)
    )
    organisations = Organisation.objects.filter(
        pk__in=Organisation.objects.filter(named).values("pk")
    ).order_by("code")
    for row in organisations.values("code", "original_language", *_columns("name")):
        yield Text(
            "organisation", row["code"], "name", row["original_language"], _texts(row, "name")
        )
    recommendations = Recommendation.objects.filter(plan=plan).order_by("issued_on", "pk")
    for row in recommendations.values("pk", *_columns("text")):
        yield Text("recommendation", str(row["pk"]), "text", original, _texts(row, "text"))


def translation_report(access: PlanAccess) -> TranslationReport:
    """The plan's texts missing in each language other than its original, for a reader the
    caller has let in (`PlanAccess.can_read_translation_report`): indicators they may not see
    are left out, like everywhere else."""
    original = access.plan.original_language
    reports = {code: LanguageReport(code) for code in language_codes() if code != original}
    for text in _plan_texts(access):
        if not text.texts:
            continue  # nothing written: nothing to translate
        for code, report in reports.items():
            if code == text.original_language:
                continue  # an organisation written in this language
            report.total += 1
            if code not in text.texts:
                report.missing.append(text)
    return TranslationReport(original, list(reports.values()))
