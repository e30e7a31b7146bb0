"""The forms of the security pages: they read what was typed; the services say what is required
and refuse what is wrong (security/services.py), field by field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanKind
from wpsmonitor.security.assessment import score_field, themes_of
from wpsmonitor.security.models import Course, SecurityUnit
from wpsmonitor.shell.forms import IsoDateField, raw_text

_COUNT = {"invalid": _("Give a whole number, such as 12.")}
_SCORE = {"invalid": _("A score is a whole number from 1 to 4.")}


class InstitutionForm(forms.Form):
    code = raw_text()
    kind = raw_text()
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), to_field_name="code", required=False
    )
    institutional_plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(), to_field_name="code", required=False
    )

    def __init__(self, data: Any, *, plan: Plan, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["institutional_plan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Plan.objects.filter(parent=plan, kind=PlanKind.INSTITUTIONAL)


class AdoptForm(forms.Form):
    node = forms.ModelChoiceField(queryset=FrameworkNode.objects.all(), required=False)


class DeskForm(forms.Form):
    name = raw_text()
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False)
    status = raw_text()
    opened_on = IsoDateField(required=False)
    staffed_by = raw_text()

    def __init__(self, data: Any, *, plan: Plan, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Area.objects.filter(path__startswith=plan.area.path)


class CasesForm(forms.Form):
    period = raw_text()
    received = forms.IntegerField(required=False, error_messages=_COUNT)
    referred = forms.IntegerField(required=False, error_messages=_COUNT)


# Training and deployments ------------------------------------------------------------------

_SCORE = {"invalid": _("Give a whole number from 0 to 100.")}


class _InstitutionForm(forms.Form):
    """A form whose unit, course or area choices are the institution's own."""

    def __init__(self, data: Any, *, institution: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            if name == "unit":
                field.queryset = SecurityUnit.objects.filter(institution=institution)
            elif name == "course":
                field.queryset = Course.objects.filter(institution=institution)
            elif name == "area":
                field.queryset = Area.objects.filter(path__startswith=institution.plan.area.path)


class UnitForm(_InstitutionForm):
    name = raw_text()
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False)


class CourseForm(forms.Form):
    title = raw_text()
    topic = raw_text()
    provider = raw_text()


class SessionForm(_InstitutionForm):
    course = forms.ModelChoiceField(
        queryset=Course.objects.none(),
        required=True,
        error_messages={
            "required": _("Choose the course."),
            "invalid_choice": _("Choose the course."),
        },
    )
    starts_on = IsoDateField(required=False)
    ends_on = IsoDateField(required=False)
    phase = raw_text()
    place = raw_text()
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False)


class ParticipantForm(_InstitutionForm):
    service_number = raw_text()
    sex = raw_text()
    rank = raw_text()
    unit = forms.ModelChoiceField(queryset=SecurityUnit.objects.none(), required=False)
    pre_score = forms.IntegerField(required=False, error_messages=_SCORE)
    post_score = forms.IntegerField(required=False, error_messages=_SCORE)


class FollowUpForm(forms.Form):
    participation = forms.IntegerField(required=True)
    evaluated_on = IsoDateField(required=False)
    score = forms.IntegerField(required=False, error_messages=_SCORE)
    evaluated_by = raw_text()


class RosterForm(forms.Form):
    file = forms.FileField(required=False)


class DeploymentForm(_InstitutionForm):
    mission = raw_text()
    category = raw_text()
    starts_on = IsoDateField(required=False)
    ends_on = IsoDateField(required=False)
    unit = forms.ModelChoiceField(queryset=SecurityUnit.objects.none(), required=False)
    service_numbers = raw_text()
    women = forms.IntegerField(required=False, error_messages=_COUNT)
    men = forms.IntegerField(required=False, error_messages=_COUNT)
    women_trained = forms.IntegerField(required=False, error_messages=_COUNT)
    men_trained = forms.IntegerField(required=False, error_messages=_COUNT)

    def clean_service_numbers(self) -> list[str]:
        text = str(self.cleaned_data.get("service_numbers") or "")
        return [n for n in text.replace(",", " ").replace(";", " ").split() if n]


class SessionEditForm(_InstitutionForm):
    """A session's days, phase and place (its course stays)."""

    starts_on = IsoDateField(required=False)
    ends_on = IsoDateField(required=False)
    phase = raw_text()
    place = raw_text()
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False)


class DeploymentEditForm(_InstitutionForm):
    """A deployment's facts and, for one given by counts, its counts (its individuals are
    added and removed with MembersForm and MemberRemoveForm)."""

    mission = raw_text()
    category = raw_text()
    starts_on = IsoDateField(required=False)
    ends_on = IsoDateField(required=False)
    unit = forms.ModelChoiceField(queryset=SecurityUnit.objects.none(), required=False)
    women = forms.IntegerField(required=False, error_messages=_COUNT)
    men = forms.IntegerField(required=False, error_messages=_COUNT)
    women_trained = forms.IntegerField(required=False, error_messages=_COUNT)
    men_trained = forms.IntegerField(required=False, error_messages=_COUNT)


class MembersForm(forms.Form):
    service_numbers = raw_text()

    def clean_service_numbers(self) -> list[str]:
        text = str(self.cleaned_data.get("service_numbers") or "")
        return [n for n in text.replace(",", " ").replace(";", " ").split() if n]


class MemberRemoveForm(forms.Form):
    service_number = raw_text()


class AssessmentForm(forms.Form):
    """A self-assessment: its facts, and a score, findings and recommendations per theme of its
    framework (fields score_<theme>, findings_<theme>, recommendations_<theme>)."""

    assessed_on = IsoDateField(required=False)
    conducted_by = raw_text()
    conducting_organisation = raw_text()
    method = raw_text()

    def __init__(self, data: Any, *, framework: str) -> None:
        super().__init__(data)
        self.framework = framework
        for theme in themes_of(framework):
            self.fields[score_field(theme.code)] = forms.IntegerField(
                required=False, error_messages=_SCORE
            )
            self.fields[f"findings_{theme.code}"] = raw_text()
            self.fields[f"recommendations_{theme.code}"] = raw_text()

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        codes = [t.code for t in themes_of(self.framework)]
        return {
            "framework": self.framework,
            "assessed_on": data.get("assessed_on"),
            "conducted_by": data.get("conducted_by", ""),
            "conducting_organisation": data.get("conducting_organisation", ""),
            "method": data.get("method", ""),
            "scores": {c: data.get(score_field(c)) for c in codes},
            "findings": {c: data.get(f"findings_{c}", "") for c in codes},
            "recommendations": {c: data.get(f"recommendations_{c}", "") for c in codes},
        }
