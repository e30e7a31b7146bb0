"""The GET filter form of the plan and indicator pages, and small display helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pycountry
from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.translated import reader_language
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.aggregation import ALL_PERIODS
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Source
from wpsmonitor.indicators.reading_periods import period_label
from wpsmonitor.plans.models import Plan, PlanKind
from wpsmonitor.shell.forms import IsoDateField


def language_names(codes: list[str] | None) -> list[str]:
    """Readable names for a plan's language codes ("fr" → "French" in the active language)."""
    names = []
    for code in codes or []:
        try:
            names.append(str(get_language_info(code)["name_translated"]))
            continue
        except KeyError:
            pass
        language = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
        names.append(language.name if language else code)
    return names


@dataclass(frozen=True)
class Filters:
    period_code: str
    area: Area
    source: Source | None
    source_code: str
    cells: bool = False


class ProgressFilterForm(forms.Form):
    """Period, area and source of the figures; invalid input falls back to the defaults and
    the error is shown next to the field, so a stale bookmark still opens the page."""

    period = forms.ChoiceField(label=_("Period"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)

    def __init__(
        self,
        data: dict[str, str] | None,
        *,
        periods: list[str],
        areas: list[Area],
        sources: list[Source],
        root_area: Area,
        offer_cells: bool = False,
    ) -> None:
        super().__init__(data)
        if offer_cells:
            self.fields["cells"] = forms.BooleanField(
                label=_("Show every combination of the disaggregation (slower)"),
                required=False,
            )
        self.areas = {str(area.code): area for area in areas}
        self.sources = {source.code: source for source in sources}
        self.root_area = root_area
        root_depth = len(root_area.ancestor_ids)
        self._choice_field("period").choices = [(code, period_label(code)) for code in periods]
        self._choice_field("area").choices = [
            (
                area.code,
                "\u2003" * (len(area.ancestor_ids) - root_depth) + localized_name(area.name),
            )
            for area in areas
        ]
        self._choice_field("source").choices = [(s.code, localized_name(s.name)) for s in sources]

    def _choice_field(self, name: str) -> forms.ChoiceField:
        # self.fields is typed as plain Fields; these three are declared as ChoiceFields above.
        field = self.fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(f"{name} must be a ChoiceField, not {type(field).__name__}")
        return field

    def filters(self) -> Filters:
        cleaned = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if self.is_bound and not self.is_valid():
            # Keep the valid parts of a partly wrong query.
            cleaned = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        period = cleaned.get("period") or ALL_PERIODS
        area = self.areas.get(cleaned.get("area") or "", self.root_area)
        source_code = cleaned.get("source") or GOVERNMENT_SOURCE
        return Filters(
            period_code=period,
            area=area,
            source=self.sources.get(source_code),
            source_code=source_code,
            cells=bool(cleaned.get("cells")),
        )


class PlanCreateForm(forms.Form):
    """The administrator's "Create a plan": what plans.services.plan_create needs to start a
    plan as a draft; its framework, indicators and roles follow on the plan's own pages."""

    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("Letters, digits, - or _; it names the plan in links and files, e.g. CD-NAP3."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    area = forms.CharField(
        label=_("Area code"),
        max_length=64,
        help_text=_(
            "The area the plan covers, by its code, e.g. CD for a national plan of the DRC."
        ),
    )
    parent = forms.ModelChoiceField(
        label=_("National plan it belongs to"),
        queryset=Plan.objects.filter(kind=PlanKind.NATIONAL).order_by("code"),
        to_field_name="code",
        required=False,
        help_text=_("Local and institutional plans only."),
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.order_by("name"),
        to_field_name="code",
        required=False,
    )
    start = IsoDateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    end = IsoDateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    # Not required: a form posted without it (a script, an older page) means the creator's
    # language, as the field's initial value does.
    original_language = forms.ChoiceField(
        label=_("Language of its texts"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_(
            "The language the plan's title, framework and indicators are written in; readers "
            "of other languages are shown these texts until they are translated."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The creator's language: what they are most likely to type the texts in.
        self.fields["original_language"].initial = reader_language()

    def clean_original_language(self) -> str:
        return self.cleaned_data.get("original_language") or reader_language()
