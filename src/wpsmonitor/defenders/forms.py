"""The forms of the register's pages: they read what was typed; the services say what is
required and refuse what is wrong (defenders/services.py), field by field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import Plan
from wpsmonitor.shell.forms import IsoDateField, raw_text


class IncidentForm(forms.Form):
    """An incident as typed; `holder` only when one is recorded (one of `holders`)."""

    kind = raw_text()
    occurred_on = IsoDateField(required=False)
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False)
    perpetrator = raw_text()
    description = raw_text()
    follow_up = raw_text()
    protection_measures = raw_text()
    funding_amount = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": _("Give the amount as a number, such as 1500.50.")},
    )
    funding_currency = raw_text()
    funder = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), to_field_name="code", required=False
    )

    def __init__(self, data: Any, *, plan: Plan, holders: list[Organisation] | None = None) -> None:
        super().__init__(data)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = Area.objects.filter(path__startswith=plan.area.path)
        if holders is not None:
            self.fields["holder"] = forms.ModelChoiceField(
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in holders]),
                to_field_name="code",
                error_messages={
                    "required": _("Choose the organisation that holds the incident."),
                    "invalid_choice": _("Choose the organisation that holds the incident."),
                },
            )
