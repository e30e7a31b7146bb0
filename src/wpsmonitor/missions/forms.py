"""The forms of the mission pages: they read what was typed; the services say what is required
and refuse what is wrong (missions/services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.missions.models import (
    BenchmarkStatus,
    MissionKind,
    MissionStatus,
    ProvisionCategory,
)
from wpsmonitor.plans.models import Plan
from wpsmonitor.shell.forms import IsoDateField


def _areas(plan: Plan) -> Any:
    return Area.objects.filter(path__startswith=plan.area.path).order_by("path")


class MissionForm(forms.Form):
    acronym = forms.CharField(label=_("Acronym"), max_length=20)
    name = forms.CharField(label=_("Full name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=MissionKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=MissionStatus.choices)
    started_on = IsoDateField(label=_("Started (YYYY-MM-DD)"))
    ended_on = IsoDateField(label=_("Ended (YYYY-MM-DD, optional)"), required=False)
    planned_end_on = IsoDateField(label=_("Planned end (YYYY-MM-DD, optional)"), required=False)


class ResolutionForm(forms.Form):
    symbol = forms.CharField(label=_("Symbol, such as S/RES/2717 (2023)"), max_length=40)
    adopted_on = IsoDateField(label=_("Adopted (YYYY-MM-DD)"))
    mandate_until = IsoDateField(label=_("Mandate until (YYYY-MM-DD, optional)"), required=False)


class ProvisionForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ProvisionCategory.choices)
    paragraph = forms.CharField(
        label=_("Paragraph (optional), such as OP 29 (c)"), max_length=40, required=False
    )
    text = forms.CharField(
        label=_("Text of the provision"), widget=forms.Textarea(attrs={"rows": 4, "cols": 40})
    )


class TransitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    adopted_on = IsoDateField(label=_("Adopted (YYYY-MM-DD)"))
    gender_analysis = forms.CharField(
        label=_("Gender analysis behind the plan"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 40}),
    )
    document_url = forms.CharField(
        label=_("Link to the document (optional)"), max_length=200, required=False
    )


class PhaseForm(forms.Form):
    number = forms.IntegerField(label=pgettext_lazy("transition phase", "Number"), min_value=1)
    name = forms.CharField(label=_("Name"), max_length=200)
    area = forms.ModelChoiceField(label=_("Area handed over"), queryset=Area.objects.none())
    handover_on = IsoDateField(label=_("Handover (YYYY-MM-DD, optional)"), required=False)

    def __init__(self, data: Any = None, *, plan: Plan, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _areas(plan)


class BenchmarkForm(forms.Form):
    description = forms.CharField(
        label=_("Benchmark"), widget=forms.Textarea(attrs={"rows": 3, "cols": 40})
    )
    area = forms.ModelChoiceField(
        label=_("Area (optional: the phase's by default)"),
        queryset=Area.objects.none(),
        required=False,
    )
    target_on = IsoDateField(label=_("Target date (YYYY-MM-DD, optional)"), required=False)

    def __init__(self, data: Any = None, *, plan: Plan, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _areas(plan)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=BenchmarkStatus.choices)
    on = IsoDateField(label=_("Date (YYYY-MM-DD)"))
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )


class WatchForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator of the plan"), queryset=Indicator.objects.none()
    )

    def __init__(self, data: Any = None, *, indicators: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = indicators
