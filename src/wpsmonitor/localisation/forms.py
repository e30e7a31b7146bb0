"""The copy-down form and the proposal decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, PlanKind
from wpsmonitor.shell.forms import IsoDateField, raw_text


class CopyDownForm(forms.Form):
    """What the copy-down takes: the new plan's identity and the chosen nodes and indicators
    (their choices are the national plan's, set by the view)."""

    code = raw_text(label=_("Code of the local plan"))
    title = raw_text(label=_("Title"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (PlanKind.LOCAL.value, PlanKind.LOCAL.label),
            (PlanKind.INSTITUTIONAL.value, PlanKind.INSTITUTIONAL.label),
        ],
    )
    area = forms.ModelChoiceField(
        label=_("Province, district or area"), queryset=Area.objects.none()
    )
    start = IsoDateField(label=_("Start of period"), required=False)
    end = IsoDateField(label=_("End of period"), required=False)
    nodes = forms.ModelMultipleChoiceField(
        label=_("Pillars, outcomes and actions to localise"),
        queryset=FrameworkNode.objects.none(),
        required=False,
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators to localise"), queryset=Indicator.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        areas: list[Area],
        nodes: list[FrameworkNode],
        indicators: list[Indicator],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(pk__in=[a.pk for a in areas])  # type: ignore[attr-defined]
        self.fields["nodes"].queryset = FrameworkNode.objects.filter(pk__in=[n.pk for n in nodes])  # type: ignore[attr-defined]
        self.fields["indicators"].queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
            pk__in=[i.pk for i in indicators]
        )


class DecisionForm(forms.Form):
    do = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
