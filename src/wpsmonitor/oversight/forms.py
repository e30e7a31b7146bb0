"""The forms of the oversight pages: they read what was typed; the services say what is
required and refuse what is wrong (oversight/services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.oversight.models import Severity
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.shell.forms import IsoDateField


def _bodies(access: PlanAccess, role: str) -> Any:
    """The bodies the user may record for: any organisation for the coordinator, their own
    bodies in this oversight role otherwise."""
    found = Organisation.objects.order_by("name")
    if access.is_coordinator:
        return found
    return found.filter(pk__in=access.oversight_organisations(role))


def _text(label: Any, rows: int = 4, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows, "cols": 40})
    )


class AuditForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Auditing body"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = IsoDateField(label=_("Date (YYYY-MM-DD)"))
    scope = _text(_("Scope (optional)"), 3, required=False)

    def __init__(self, *args: Any, access: PlanAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _bodies(access, Role.AUDITOR)


def _line_label(line: BudgetLine) -> str:
    return (
        f"{line.action.code} · {line.year} · {line.budget_code or line.get_funding_kind_display()}"
    )


class FindingForm(forms.Form):
    text = _text(_("Finding"))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    action = forms.ModelChoiceField(
        label=_("Action (optional)"), queryset=FrameworkNode.objects.none(), required=False
    )
    budget_line = forms.ModelChoiceField(
        label=_("Budget line (optional)"), queryset=BudgetLine.objects.none(), required=False
    )
    recommendation = _text(_("Recommendation"))
    addressees = forms.ModelMultipleChoiceField(
        label=_("Addressees (who must respond)"), queryset=Organisation.objects.order_by("name")
    )
    due_on = IsoDateField(label=_("Due date (YYYY-MM-DD, optional)"), required=False)

    def __init__(self, *args: Any, access: PlanAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ModelChoiceField)
        action.queryset = FrameworkNode.objects.filter(plan=access.plan).order_by("path")
        line = self.fields["budget_line"]
        assert isinstance(line, forms.ModelChoiceField)
        line.queryset = (
            BudgetLine.objects.filter(action__plan=access.plan)
            .select_related("action")
            .order_by("action__path", "year", "pk")
        )
        line.label_from_instance = _line_label  # type: ignore[method-assign,assignment]


class HearingForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = IsoDateField(label=_("Date (YYYY-MM-DD)"))
    testified = _text(_("Who testified (optional)"), 3, required=False)
    questions = _text(_("Questions asked (optional)"), 5, required=False)

    def __init__(self, *args: Any, access: PlanAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["committee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _bodies(access, Role.PARLIAMENT)


class CommitmentForm(forms.Form):
    text = _text(_("Commitment made"))
    addressees = forms.ModelMultipleChoiceField(
        label=_("Who committed (they must respond)"),
        queryset=Organisation.objects.order_by("name"),
    )
    due_on = IsoDateField(label=_("Due date (YYYY-MM-DD, optional)"), required=False)


class ShareForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    note = _text(_("Note (optional)"), 3, required=False)
    upload = forms.FileField(label=_("File (PDF, image or office document)"))
