"""The forms of the register's pages: they read what was typed; the services say what is
required and refuse what is wrong (conduct/services.py), field by field."""

from __future__ import annotations

from django import forms

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.shell.forms import IsoDateField, raw_text


class AllegationForm(forms.Form):
    institution = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), to_field_name="code", required=False
    )
    category = raw_text()
    kind = raw_text()
    reported_on = IsoDateField(required=False)
    area = forms.ModelChoiceField(queryset=Area.objects.all(), required=False)
    victims_child = forms.IntegerField(required=False, min_value=0)
    victims_adult = forms.IntegerField(required=False, min_value=0)
    victims_unknown = forms.IntegerField(required=False, min_value=0)
    perpetrators = forms.IntegerField(required=False, min_value=0)
    description = raw_text()


class StepForm(forms.Form):
    """One step: its date, and the outcome or the action where the step has one."""

    on = IsoDateField(required=False)
    outcome = raw_text()
    action = raw_text()


class ReaderForm(forms.Form):
    username = raw_text()
