"""The forms of the early-warning pages: the intake form of trusted organisations, the steps of
the response loop, the intake links, the response times' choices, and their adoption as
indicators of the plan. The services check
everything else (the plan's area, the order of the steps, rights), the same for pages and API."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.earlywarning.models import MAX_TARGET_DAYS, Category, Severity, SourceType
from wpsmonitor.earlywarning.selectors import QUARTER, TARGET_DAYS, YEAR
from wpsmonitor.earlywarning.services import MAX_TEXT
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.shell.forms import IsoDateField, OperationField, raw_text

# The honeypot: a field people never see nor reach, which only a robot fills.
HONEYPOT = "website"


def _organisation(required: bool, message: str | Promise) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        Organisation.objects.all(),
        to_field_name="code",
        required=required,
        error_messages={"required": message, "invalid_choice": message},
    )


class IntakeForm(forms.Form):
    category = forms.ChoiceField(
        choices=Category.choices,
        error_messages={
            "required": _("Choose what was seen."),
            "invalid_choice": _("Choose what was seen."),
        },
    )
    area = forms.ModelChoiceField(
        Area.objects.none(),
        to_field_name="code",
        error_messages={
            "required": _("Say where it was seen."),
            "invalid_choice": _("Say where it was seen."),
        },
    )
    observed_on = IsoDateField()
    severity = forms.ChoiceField(
        choices=Severity.choices,
        error_messages={
            "required": _("Choose how severe it is."),
            "invalid_choice": _("Choose how severe it is."),
        },
    )
    source_type = forms.ChoiceField(
        choices=SourceType.choices,
        error_messages={
            "required": _("Choose who saw or told it."),
            "invalid_choice": _("Choose who saw or told it."),
        },
    )
    description = forms.CharField(
        max_length=MAX_TEXT,
        error_messages={
            "required": _("Describe what was seen."),
            "max_length": _("Write at most %(limit_value)d characters."),
        },
    )
    website = raw_text(max_length=200)

    def __init__(self, *args: object, areas: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if areas is not None:
            self.fields["area"].queryset = areas  # type: ignore[attr-defined]

    @property
    def robot(self) -> bool:
        """Whether the honeypot was filled: the sender is dropped, answered as if received."""
        return bool(self.data.get(HONEYPOT, ""))


class StepForm(forms.Form):
    """One step of the response loop (its button, `do`)."""

    do = OperationField(["acknowledge", "refer", "act", "close"])
    on = IsoDateField(required=False)
    to = _organisation(False, _("Choose the organisation the signal is referred to."))
    action = raw_text(max_length=MAX_TEXT)


class TokenForm(forms.Form):
    organisation = _organisation(True, _("Choose the trusted organisation."))
    label = raw_text(max_length=100)


class RevokeForm(forms.Form):
    token = forms.IntegerField(min_value=1)


class TimesForm(forms.Form):
    by = forms.ChoiceField(choices=[(QUARTER, _("Quarter")), (YEAR, _("Year"))], required=False)
    target = forms.IntegerField(min_value=1, max_value=MAX_TARGET_DAYS, required=False)

    def choices(self) -> tuple[str, int]:
        if not self.is_valid():
            return QUARTER, TARGET_DAYS
        return self.cleaned_data["by"] or QUARTER, self.cleaned_data["target"] or TARGET_DAYS


class AdoptForm(forms.Form):
    """The response times as indicators of the plan: the node they go on, the target."""

    node = forms.ModelChoiceField(
        FrameworkNode.objects.none(),
        to_field_name="code",
        error_messages={
            "required": _("Choose the part of the framework they belong to."),
            "invalid_choice": _("Choose the part of the framework they belong to."),
        },
    )
    # Its bounds are the service's (a number of days from 1 to MAX_TARGET_DAYS).
    target_days = forms.IntegerField(
        error_messages={
            "required": _("Give the target, in days."),
            "invalid": _("Give the target, in days."),
        },
    )

    def __init__(self, *args: object, plan: Plan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["node"].queryset = FrameworkNode.objects.filter(plan=plan)  # type: ignore[attr-defined]
