"""The form of the quality page: what the plan says about its monitoring and evaluation, civil
society's role and its alignment. The service checks the values (the API sets the same fields)."""

from __future__ import annotations

from django import forms


class QualityProfileForm(forms.Form):
    me_description = forms.CharField(required=False, strip=False)
    # The boxes as ticked: plans.services checks each against its choices.
    civil_society_roles = forms.Field(required=False, widget=forms.CheckboxSelectMultiple)
    alignment_references = forms.Field(required=False, widget=forms.CheckboxSelectMultiple)
