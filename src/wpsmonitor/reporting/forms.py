"""The forms of the reporting pages: each reads and checks what one form posts, then the view
hands `cleaned_data` to a service, which checks the rules again and writes.

The pages draw their forms by hand (plain HTML that works without JavaScript); these classes
only parse and check. Text goes to the services as typed (`strip=False`) wherever it did
before forms, so that the services' own checks and messages apply unchanged. A code that names
nothing (an organisation, an area) is refused with one sentence; where only a hand-made
request can send it (a hidden field), the view answers 404.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from wpsmonitor.accounts.models import PlanRole
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reporting.models import Assignment
from wpsmonitor.shell.forms import IsoDateField, OperationField, raw_text
from wpsmonitor.shell.uploads import check_upload

M = TypeVar("M", bound=Model)
DATE_MESSAGE = _("Give the date as YYYY-MM-DD.")
WORKBOOK_MAX_BYTES = 50 * 1024 * 1024  # through the web; bigger files go through the command


def _by_code(queryset: QuerySet[M], code: str) -> M | None:
    return queryset.filter(code=code).first()


def _limit_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


# The plan's reporting page: rounds and late-entry exceptions ---------------------------------


class RoundActionForm(forms.Form):
    do = OperationField(["open", "close", "exception"])
    period = raw_text()  # the round's period code, as the row's hidden field sends it


class RoundOpenForm(forms.Form):
    period = forms.CharField(required=False)  # the service says what a period code is
    deadline = IsoDateField(error_messages={"required": DATE_MESSAGE, "invalid": DATE_MESSAGE})


class ExceptionGrantForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        to_field_name="code",
        error_messages={
            "required": _("Choose an organisation."),
            "invalid_choice": _("Choose an organisation."),
        },
    )
    until = IsoDateField(error_messages={"required": DATE_MESSAGE, "invalid": DATE_MESSAGE})
    reason = raw_text()


# Assignments and people ------------------------------------------------------------------------


class AssignmentsActionForm(forms.Form):
    do = OperationField(["defaults", "remove"], fallback="add")


class AssignmentRemoveForm(forms.Form):
    """One of the plan's assignments, by the id its row's hidden field sends."""

    assignment = forms.ModelChoiceField(queryset=Assignment.objects.none())

    def __init__(self, data: Any, *, plan: Plan) -> None:
        super().__init__(data)
        _limit_choices(self, "assignment", Assignment.objects.filter(plan=plan))


class AssignmentAddForm(forms.Form):
    """Who (organisation), where (area) and what: an indicator ("i:CODE") or an action
    ("a:CODE") of the plan."""

    organisation = raw_text()
    area = raw_text()
    item = raw_text()

    def __init__(self, data: Any, *, plan: Plan) -> None:
        super().__init__(data)
        self.plan = plan

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = _by_code(Organisation.objects.all(), data.get("organisation", ""))
        area = _by_code(Area.objects.all(), data.get("area", ""))
        target = data.get("item", "")
        indicator = action = None
        if target.startswith("i:"):
            indicator = _by_code(
                Indicator.objects.filter(plan=self.plan, owner_organisation__isnull=True),
                target[2:],
            )
        elif target.startswith("a:"):
            action = _by_code(FrameworkNode.objects.filter(plan=self.plan), target[2:])
        if organisation is None or area is None or (indicator is None and action is None):
            raise ValidationError(_("Choose an organisation, an area and what they report."))
        return data | {
            "organisation": organisation,
            "area": area,
            "indicator": indicator,
            "action": action,
        }


class PeopleActionForm(forms.Form):
    do = OperationField(["remove"], fallback="add")


class RoleRemoveForm(forms.Form):
    """One of the plan's roles, by the id its row's hidden field sends."""

    role = forms.ModelChoiceField(queryset=PlanRole.objects.none())
    reason = raw_text()

    def __init__(self, data: Any, *, plan: Plan) -> None:
        super().__init__(data)
        _limit_choices(self, "role", PlanRole.objects.filter(plan=plan))


class RoleGrantForm(forms.Form):
    """An active user by user name (cleaned, `username` is the user); the role and, for some
    roles, an organisation and an area (the service says which roles need which). A code that
    names nothing counts as none."""

    username = forms.CharField(required=False)
    role = raw_text()
    organisation = raw_text()
    area = raw_text()
    reason = raw_text()

    def clean_username(self) -> Any:
        user = (
            get_user_model()
            .objects.filter(username=self.cleaned_data["username"], is_active=True)
            .first()
        )
        if user is None:
            raise ValidationError(_("No active user has this user name."))
        return user

    def clean_organisation(self) -> Organisation | None:
        code = self.cleaned_data["organisation"]
        return _by_code(Organisation.objects.all(), code) if code else None

    def clean_area(self) -> Area | None:
        code = self.cleaned_data["area"]
        return _by_code(Area.objects.all(), code) if code else None


# The plan's workbook ---------------------------------------------------------------------------


class WorkbookForm(forms.Form):
    # An empty file is the importer's to refuse, with the problems it lists.
    file = forms.FileField(required=False, allow_empty_file=True, widget=forms.FileInput)

    def clean_file(self) -> Any:
        return check_upload(
            self.cleaned_data["file"],
            missing=str(_("Choose a workbook (XLSX) or a plan file (JSON).")),
            max_bytes=WORKBOOK_MAX_BYTES,
        )


# Submissions: start, the entry sheet, the decision, evidence ----------------------------------


class StartForm(forms.Form):
    """The organisation and area of a submission to start (hidden fields of the to-do list);
    the view answers codes that name nothing with 404."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), to_field_name="code")
    area = forms.ModelChoiceField(queryset=Area.objects.all(), to_field_name="code")
    stream = raw_text()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["civil_society"] = data.get("stream") == "civil_society"
        return data


# The sheet's own fields: a cell's value, numerator, denominator, text or comment
# ("v-<indicator id>-<cell id>"), an action's status, percentage, narrative or assessment
# ("as-<action id>").
SHEET_FIELD = re.compile(r"[vndtc]-\d+-\d+|a[spna]-\d+")


class SheetForm(forms.Form):
    """The entry sheet as posted: the button, the note to the reviewer, and every cell and
    action field as typed (one field per cell, as many as the sheet has). The figures are not
    checked here: the service checks each cell with the ingest rules and answers per cell, so
    that a draft keeps every good figure."""

    do = OperationField(["submit"], fallback="save")
    note = raw_text()

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        self.posted = data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The last value of each field, as QueryDict.get gives it; lists() is the fast way
        # through the thousands of fields of a large sheet.
        data["typed"] = {
            key: values[-1]
            for key, values in self.posted.lists()
            if values and SHEET_FIELD.fullmatch(key)
        }
        return data


class DecisionForm(forms.Form):
    do = OperationField(["return", "approve", "unlock"])
    note = raw_text()


class EvidenceForm(forms.Form):
    """A file to attach, optionally tied to one of the plan's indicators or actions (a code
    that names none ties it to nothing). The service checks the file's type and size."""

    file = forms.FileField(required=False, allow_empty_file=True, widget=forms.FileInput)
    indicator = raw_text()
    action = raw_text()
    description = raw_text()
    shared = forms.BooleanField(required=False)

    def __init__(self, data: Any, files: Any, *, plan: Plan) -> None:
        super().__init__(data, files)
        self.plan = plan

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload is None:
            raise ValidationError(_("Choose a file to attach."))
        return upload

    def clean_indicator(self) -> Indicator | None:
        return _by_code(Indicator.objects.filter(plan=self.plan), self.cleaned_data["indicator"])

    def clean_action(self) -> FrameworkNode | None:
        return _by_code(
            FrameworkNode.objects.filter(plan=self.plan, level__holds_actions=True),
            self.cleaned_data["action"],
        )
