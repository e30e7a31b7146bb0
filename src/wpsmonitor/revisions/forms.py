"""Forms of the revision pages: each validates a POST before a service writes it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wpsmonitor.plans.models import VersionKind

KIND_CHOICES = [(k.value, k.label) for k in VersionKind if k != VersionKind.ADOPTED]


class PrepareForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of revision"), choices=KIND_CHOICES)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    review = forms.TypedChoiceField(
        label=_("Review whose findings caused it"), required=False, coerce=int, empty_value=None
    )
    board_cosign_required = forms.BooleanField(
        label=_("The plan requires the monitoring board's co-signature"), required=False
    )

    def __init__(self, *args: object, reviews: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["review"].choices = [("", _("None"))] + reviews  # type: ignore[attr-defined]


class IndicatorForm(forms.Form):
    indicator = forms.CharField(label=_("Indicator code"), max_length=64)
