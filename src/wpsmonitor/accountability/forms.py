"""The forms of the recommendation tracker's pages.

A form turns the posted text into what the services take (dates, organisations and framework
nodes looked up by code) and refuses what cannot be read; the services check everything else
(vocabularies, required text, rights), the same for the pages and the API. Text fields are
therefore not required here: the service's sentence ("Write the text of the recommendation.")
is the one the reader sees.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wpsmonitor.accountability.models import Assessment, Finding, Recommendation, Review
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.shell.forms import IsoDateField, raw_text


def _choose_from(field: forms.Field, queryset: Any) -> None:
    """Limit a model choice field to the objects of this plan, review or recommendation."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class CodesField(forms.ModelMultipleChoiceField[Any]):
    """Objects chosen by their codes; empty entries are ignored, any unknown code refuses the
    whole list with one sentence (`message`)."""

    def __init__(self, queryset: Any, *, message: str | Promise, **kwargs: Any) -> None:
        messages = {key: message for key in ("invalid_list", "invalid_choice", "invalid_pk_value")}
        super().__init__(
            queryset, to_field_name="code", required=False, error_messages=messages, **kwargs
        )

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            value = [code for code in value if code]
        return list(super().clean(value))


def _organisation() -> forms.ModelChoiceField[Organisation]:
    message = _("Choose an organisation.")
    return forms.ModelChoiceField(
        Organisation.objects.all(),
        to_field_name="code",
        error_messages={"required": message, "invalid_choice": message},
    )


def _addressees() -> CodesField:
    return CodesField(
        Organisation.objects.all(),
        message=_("Every addressee must be an organisation of the directory."),
    )


NODES_MESSAGE = _("Every framework node must belong to this plan.")


class RecommendationForm(forms.Form):
    """A new recommendation (coordinators)."""

    source = raw_text()
    reference = raw_text()
    issued_on = IsoDateField()
    due_on = IsoDateField(required=False)
    text = raw_text()
    addressees = _addressees()
    nodes = CodesField(FrameworkNode.objects.none(), message=NODES_MESSAGE)

    def __init__(self, data: Any, *, plan: Plan) -> None:
        super().__init__(data)
        _choose_from(self.fields["nodes"], FrameworkNode.objects.filter(plan=plan))


class ResponseForm(forms.Form):
    """An addressee's response, with its evidence file if any (the service checks the file)."""

    organisation = _organisation()
    text = raw_text()
    status = raw_text()
    file = forms.FileField(required=False, allow_empty_file=True, widget=forms.FileInput)


class AssessmentForm(forms.Form):
    """A civil-society organisation's own assessment of the progress."""

    organisation = _organisation()
    status = raw_text()
    comment = raw_text()
    publish = forms.BooleanField(required=False)


class PublishForm(forms.Form):
    """Which of the recommendation's assessments to publish (an unknown one is not found)."""

    assessment = forms.ModelChoiceField(Assessment.objects.none())

    def __init__(self, data: Any, *, recommendation: Recommendation) -> None:
        super().__init__(data)
        _choose_from(
            self.fields["assessment"], Assessment.objects.filter(recommendation=recommendation)
        )


class DecisionForm(forms.Form):
    """A decision an office took on the recommendation."""

    organisation = _organisation()
    text = raw_text()
    decided_on = IsoDateField()


class StatusForm(forms.Form):
    """The coordinators' change of the recommendation's status."""

    status = raw_text()
    note = raw_text()


class ReviewForm(forms.Form):
    """A mid-term or final review of the plan."""

    kind = raw_text()
    title = raw_text()
    held_on = IsoDateField()


class FindingForm(forms.Form):
    """A finding of a review, on one framework node or on the plan as a whole."""

    text = raw_text()
    node = forms.ModelChoiceField(
        FrameworkNode.objects.none(),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": NODES_MESSAGE},
    )

    def __init__(self, data: Any, *, review: Review) -> None:
        super().__init__(data)
        _choose_from(self.fields["node"], FrameworkNode.objects.filter(plan=review.plan))


class FromFindingForm(forms.Form):
    """A recommendation made of a review's finding (an unknown finding is not found)."""

    finding = forms.ModelChoiceField(Finding.objects.none())
    text = raw_text()
    addressees = _addressees()
    due_on = IsoDateField(required=False)

    def __init__(self, data: Any, *, review: Review) -> None:
        super().__init__(data)
        _choose_from(self.fields["finding"], Finding.objects.filter(review=review))
