"""The forms of the peace pages: they read what was typed; the services say what is required
and refuse what is wrong (peace/services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.peace.models import (
    AgreementStage,
    AgreementType,
    ConsultationMethod,
    ConsultationStage,
    ImplementationStatus,
    InOutcome,
    PeaceProcess,
    ProcessLevel,
    ProcessStatus,
    SeatRole,
    SeatSex,
    WggCategory,
    budget_line_model,
)
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.shell.forms import IsoDateField

COUNT_MESSAGE = _("A count is a whole number, 0 or more.")


def seat_field_name(role: str, sex: str) -> str:
    return f"seats_{role}_{sex}"


class ProcessForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=ProcessLevel.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ProcessStatus.choices)
    area = forms.ModelChoiceField(
        label=_("Area (optional)"), queryset=Area.objects.none(), required=False
    )
    started_on = IsoDateField(label=_("Started (YYYY-MM-DD, optional)"), required=False)
    ended_on = IsoDateField(label=_("Ended (YYYY-MM-DD, optional)"), required=False)
    mediators = forms.CharField(
        label=_("Mediating organisations (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )

    def __init__(self, data: Any = None, *, plan: Plan, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = Area.objects.filter(path__startswith=plan.area.path).order_by("path")


class RoundForm(forms.Form):
    number = forms.IntegerField(label=pgettext_lazy("negotiation round", "Number"), min_value=1)
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    started_on = IsoDateField(label=_("First day (YYYY-MM-DD)"))
    ended_on = IsoDateField(label=_("Last day (YYYY-MM-DD, optional)"), required=False)
    place = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)


class DelegationForm(forms.Form):
    """The party, and one count per role and sex (blank counts 0)."""

    party = forms.CharField(label=_("Party"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Or an organisation of the directory"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for role, role_label in SeatRole.choices:
            for sex, sex_label in SeatSex.choices:
                self.fields[seat_field_name(role, sex)] = forms.IntegerField(
                    label=f"{role_label}: {sex_label}",
                    min_value=0,
                    required=False,
                    error_messages={"invalid": COUNT_MESSAGE, "min_value": COUNT_MESSAGE},
                    widget=forms.NumberInput(attrs={"min": 0, "size": 4}),
                )

    def seats(self) -> dict[tuple[str, str], int | None]:
        return {
            (role, sex): self.cleaned_data.get(seat_field_name(role, sex))
            for role in SeatRole.values
            for sex in SeatSex.values
        }

    def role_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The seat fields as a table: a row per role, a column per sex."""
        return [
            (str(label), [self[seat_field_name(role, sex)] for sex in SeatSex.values])
            for role, label in SeatRole.choices
        ]


class ConsultationForm(forms.Form):
    held_on = IsoDateField(label=_("Date (YYYY-MM-DD)"))
    stage = forms.ChoiceField(label=_("Stage"), choices=ConsultationStage.choices)
    method = forms.ChoiceField(label=_("How"), choices=ConsultationMethod.choices)
    organisations_consulted = forms.IntegerField(
        label=_("Organisations consulted"),
        min_value=0,
        error_messages={"invalid": COUNT_MESSAGE, "min_value": COUNT_MESSAGE},
    )
    womens_organisations = forms.IntegerField(
        label=_("Of which women's organisations"),
        min_value=0,
        error_messages={"invalid": COUNT_MESSAGE, "min_value": COUNT_MESSAGE},
    )
    organisation_names = forms.CharField(
        label=_("Names of the organisations (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    asked = forms.CharField(
        label=_("What they asked"), widget=forms.Textarea(attrs={"rows": 4, "cols": 40})
    )
    in_outcome = forms.ChoiceField(
        label=_("Does it appear in the outcome?"),
        choices=InOutcome.choices,
        initial=InOutcome.NOT_YET,
    )
    outcome_note = forms.CharField(
        label=_("Note on the outcome (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        organisations: list[Organisation],
        coordinator: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        if organisations:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Recorded for the organisation")
                if not coordinator
                else _("Recorded for the organisation (optional)"),
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
                required=not coordinator,
            )


# --- Agreements and gender provisions -------------------------------------------------------


class AgreementForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=500)
    stage = forms.ChoiceField(label=_("Stage (PA-X)"), choices=AgreementStage.choices)
    signed_on = IsoDateField(label=_("Date signed (YYYY-MM-DD, optional)"), required=False)
    agreement_type = forms.ChoiceField(
        label=_("Agreement type (optional)"),
        choices=[("", "—"), *AgreementType.choices],
        required=False,
    )
    parties = forms.CharField(
        label=_("Parties (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    process = forms.ModelChoiceField(
        label=_("Peace process (optional)"), queryset=PeaceProcess.objects.none(), required=False
    )
    pax_id = forms.IntegerField(
        label=_("PA-X agreement id, AgtId (optional)"), min_value=1, required=False
    )
    source_url = forms.CharField(label=_("Source (web address, optional)"), required=False)

    def __init__(self, data: Any = None, *, plan: Plan, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        process_field = self.fields["process"]
        assert isinstance(process_field, forms.ModelChoiceField)
        process_field.queryset = PeaceProcess.objects.filter(plan=plan).order_by("name")


class BudgetLineChoiceField(forms.ModelMultipleChoiceField[Any]):
    """Budget lines (finance.BudgetLine, never imported) named by action, year and code."""

    def label_from_instance(self, obj: Any) -> str:
        kind = obj.budget_code or obj.get_funding_kind_display()
        return f"{obj.action.code} · {obj.year} · {kind}"


class ProvisionForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category (PA-X, women, girls and gender)"), choices=WggCategory.choices
    )
    text = forms.CharField(
        label=_("Text of the provision (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 40}),
    )
    reference = forms.CharField(
        label=_("Article or page (optional)"), max_length=200, required=False
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("NAP actions that carry it out (optional)"),
        queryset=FrameworkNode.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    budget_lines = BudgetLineChoiceField(
        label=_("Budget lines that fund it (optional)"),
        queryset=FrameworkNode.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, data: Any = None, *, plan: Plan, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        actions = self.fields["actions"]
        assert isinstance(actions, forms.ModelMultipleChoiceField)
        actions.queryset = FrameworkNode.objects.filter(
            plan=plan, level__holds_actions=True
        ).order_by("path")
        lines = self.fields["budget_lines"]
        assert isinstance(lines, forms.ModelMultipleChoiceField)
        lines.queryset = (
            budget_line_model()
            ._default_manager.filter(action__plan=plan)
            .select_related("action")
            .order_by("action__path", "year", "pk")
        )


class ProvisionStatusForm(forms.Form):
    on = IsoDateField(label=_("Date (YYYY-MM-DD)"))
    status = forms.ChoiceField(
        label=_("Implementation status"), choices=ImplementationStatus.choices
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )


class ProvisionAssessmentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("For the organisation"), queryset=Organisation.objects.none()
    )
    assessed_on = IsoDateField(label=_("Date (YYYY-MM-DD)"))
    status = forms.ChoiceField(
        label=_("Implementation status, as your organisation sees it"),
        choices=ImplementationStatus.choices,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
    )
    publish = forms.BooleanField(label=_("Publish it now"), required=False)

    def __init__(
        self, data: Any = None, *, organisations: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by(
            "name"
        )


class PaxImportForm(forms.Form):
    file = forms.FileField(label=_("PA-X CSV file"))
    check_only = forms.BooleanField(
        label=_("Check only: show what would be imported, store nothing"), required=False
    )
