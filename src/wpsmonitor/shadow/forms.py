"""The forms with which a monitor defines and edits its organisation's own indicators: they
read and check what the page posts; reporting's services check the rules again and write.

Text goes to the services as typed (they strip it and say what is missing); a field the page
always sends but a request left out keeps the value it had before forms (`_posted_or`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.models import Direction, Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.shell.forms import OperationField, raw_text


class NumberField(forms.Field):
    """A number as people type it (a decimal comma too); empty is None."""

    default_error_messages = {"invalid": _("%(field)s must be a number.")}

    def to_python(self, value: Any) -> float | None:
        text = str(value or "").strip().replace(",", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"field": self.label}
            ) from None


class OwnIndicatorFieldsForm(forms.Form):
    """What a monitor may set on its indicator, whether new or not."""

    title = raw_text()
    node = forms.CharField(required=False)
    unit = raw_text()
    definition = raw_text()
    means_of_verification = raw_text()
    direction = raw_text()

    def __init__(self, data: Any, *, plan: Plan) -> None:
        super().__init__(data)
        self.plan = plan

    def clean_node(self) -> FrameworkNode:
        node = FrameworkNode.objects.filter(plan=self.plan, code=self.cleaned_data["node"]).first()
        if node is None:
            raise ValidationError(_("Choose a part of this plan's framework."))
        return node

    def _posted_or(self, name: str, default: str) -> str:
        """The field as sent, or `default` when the request did not send it at all."""
        omitted = self[name].field.widget.value_omitted_from_data(
            self.data, self.files, self.add_prefix(name)
        )
        return default if omitted else str(self.cleaned_data[name])


class OwnIndicatorNewForm(OwnIndicatorFieldsForm):
    """A new indicator: also whose it is (one of the user's monitor organisations), its code,
    kind, disaggregation, frequency and, for scales and milestones, the steps."""

    organisation = forms.CharField(required=False)
    code = raw_text()
    kind = raw_text()
    dimensions = forms.Field(required=False, widget=forms.CheckboxSelectMultiple)  # as ticked
    frequency = raw_text()
    scale_labels = raw_text()

    # The order the checks ran in before forms: whose, then where in the framework.
    field_order = ["organisation", "node"]

    def __init__(self, data: Any, *, plan: Plan, organisations: Sequence[Organisation]) -> None:
        super().__init__(data, plan=plan)
        self.organisations = organisations

    def clean_organisation(self) -> Organisation:
        code = self.cleaned_data["organisation"]
        organisation = next((o for o in self.organisations if o.code == code), None)
        if organisation is None:
            raise ValidationError(_("Choose your organisation."))
        return organisation

    def clean_dimensions(self) -> list[str]:
        return [code for code in self.cleaned_data["dimensions"] or [] if code]

    def clean_frequency(self) -> str:
        return self._posted_or("frequency", "year")

    def clean_direction(self) -> str:
        return self._posted_or("direction", Direction.INCREASE)

    def clean_scale_labels(self) -> list[str]:
        lines = (line.strip() for line in self.cleaned_data["scale_labels"].splitlines())
        return [line for line in lines if line]


class OwnIndicatorEditForm(OwnIndicatorFieldsForm):
    """Changes to an indicator: also the range of values expected (outside it, a figure is
    flagged, not refused)."""

    expected_min = NumberField(required=False, label=_("Expected minimum"))
    expected_max = NumberField(required=False, label=_("Expected maximum"))

    def __init__(self, data: Any, *, plan: Plan, indicator: Indicator) -> None:
        super().__init__(data, plan=plan)
        self.indicator = indicator

    def clean_direction(self) -> str:
        return self._posted_or("direction", self.indicator.direction)


class OwnIndicatorActionForm(forms.Form):
    do = OperationField(["publish", "delete"], fallback="save")
