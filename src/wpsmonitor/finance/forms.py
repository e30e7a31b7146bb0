"""The forms of the finance pages.

A cost, a budget line or a rate typed on a page is read and checked by the same service as a
row of the budget workbook (numbers, codes, currencies, rights), so that both say the same
thing: the forms pass the cells on as typed. The workbook upload is checked here (present, not
too large) before the importer reads it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wpsmonitor.finance.services import COST_FIELDS, LINE_FIELDS
from wpsmonitor.shell.forms import raw_text
from wpsmonitor.shell.uploads import check_upload

UPLOAD_MAX_BYTES = 50 * 1024 * 1024  # through the web; bigger files go through the command


class RowForm(forms.Form):
    """A row of one sheet of the budget workbook: one text field per column but the row id."""

    columns: tuple[str, ...] = ()

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        for name in self.columns:
            if name != "id":
                self.fields[name] = raw_text()


class CostForm(RowForm):
    """A cost of an action (the Costs sheet's columns)."""

    columns = COST_FIELDS


class BudgetLineForm(RowForm):
    """A budget line of an action (the BudgetLines sheet's columns); earmarked is a box."""

    columns = LINE_FIELDS

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        self.fields["earmarked"] = forms.BooleanField(required=False)


class CurrencyForm(forms.Form):
    """The plan's reporting currency."""

    currency = raw_text()


class RateForm(forms.Form):
    """The rate of a currency for a year, in units of the plan's currency."""

    currency = raw_text()
    year = raw_text()
    rate = raw_text()
    source = raw_text()


class WorkbookForm(forms.Form):
    """A budget workbook to import."""

    file = forms.FileField(required=False, allow_empty_file=True, widget=forms.FileInput)

    def clean_file(self) -> UploadedFile:
        return check_upload(
            self.cleaned_data["file"],
            missing=_("Choose a budget workbook (XLSX)."),
            max_bytes=UPLOAD_MAX_BYTES,
        )


# Civil society on the budget (docs/oversight.md) ------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files under one name (none is fine); the service checks each of them."""

    def __init__(self) -> None:
        super().__init__(required=False, allow_empty_file=True, widget=MultipleFileInput)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items if d]


class OversightForm(forms.Form):
    """Every form of a budget line's civil-society page: which button (`do`), for which
    organisation, account or challenge, and the fields as typed (the services check them)."""

    do = raw_text()
    organisation = raw_text()
    account = raw_text()
    challenge = raw_text()
    allocated = raw_text()
    released = raw_text()
    reached = raw_text()
    evidence = raw_text()
    link = raw_text()
    observed_on = raw_text()
    subject = raw_text()
    text = raw_text()
    file = raw_text()
    attachments = MultipleFileField()
    files_public = forms.BooleanField(required=False)
