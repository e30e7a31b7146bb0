"""The forms of the stories' pages: they read and check what a page posts; the services
(stories/services.py) check the rules again and write. Texts go to the services as typed (they
say what is missing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.shell.forms import IsoDateField, OperationField, raw_text
from wpsmonitor.stories.attributes import VOCABULARY, Attribute
from wpsmonitor.stories.models import Purpose


def _optional_choice(attribute: Attribute) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", ""), *attribute.answers],
        required=False,
        error_messages={"invalid_choice": str(attribute.invalid)},
    )


class StoryForm(forms.Form):
    """A new story: whose (one of the user's organisations), what, where, when, who told it."""

    holder = forms.CharField(required=False)
    kind = raw_text()
    title = raw_text()
    text = raw_text()
    language = raw_text()
    sensitivity = raw_text()
    domain = raw_text()
    area = forms.CharField(required=False)
    happened_on = IsoDateField(required=False)
    # One optional field per attribute the plan records (stories/attributes.py), named by its
    # code, added in __init__.

    def __init__(
        self,
        data: Any,
        *,
        plan: Plan,
        organisations: list[Organisation],
        attributes: list[Attribute],
    ) -> None:
        super().__init__(data)
        self.plan = plan
        self.organisations = {o.code: o for o in organisations}
        self.attributes = attributes
        for attribute in attributes:
            self.fields[attribute.code] = _optional_choice(attribute)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # An answer to an attribute the plan does not record (a page opened before the
        # coordinator stopped asking it): said, not dropped unseen.
        asked = {a.code for a in self.attributes}
        for attribute in VOCABULARY:
            if attribute.code not in asked and (self.data.get(attribute.code) or "").strip():
                raise ValidationError(
                    _(
                        "This plan no longer records the storyteller's attribute "
                        '"%(attribute)s": the form no longer asks it.'
                    )
                    % {"attribute": attribute.label}
                )
        return cleaned

    def clean_holder(self) -> Organisation:
        organisation = self.organisations.get(self.cleaned_data["holder"])
        if organisation is None:
            raise ValidationError(_("Choose one of your organisations."))
        return organisation

    def clean_area(self) -> Area | None:
        code = self.cleaned_data["area"]
        if not code:
            return None
        area = Area.objects.filter(code=code, path__startswith=self.plan.area.path).first()
        if area is None:
            raise ValidationError(_("Choose an area of the plan."))
        return area

    def storyteller(self) -> dict[str, str]:
        """The answers given, by attribute code (blank: not recorded)."""
        return {
            a.code: self.cleaned_data[a.code] for a in self.attributes if self.cleaned_data[a.code]
        }


class StorySettingsForm(forms.Form):
    """The attributes the plan's stories record, by code (stories/attributes.py)."""

    attributes = forms.MultipleChoiceField(
        choices=[(a.code, a.label) for a in VOCABULARY],
        required=False,
        error_messages={"invalid_choice": _("Choose the storyteller's attributes from the list.")},
    )


class LinksForm(forms.Form):
    """The pillars, outcomes, actions, indicators and recommendations a story speaks to, chosen
    among those offered (`selectors.link_choices`): nodes and indicators by code,
    recommendations by id."""

    nodes = forms.MultipleChoiceField(
        required=False,
        error_messages={"invalid_choice": _("Choose pillars, outcomes and actions of the plan.")},
    )
    indicators = forms.MultipleChoiceField(
        required=False,
        error_messages={"invalid_choice": _("Choose indicators of the plan from the list.")},
    )
    recommendations = forms.MultipleChoiceField(
        required=False,
        error_messages={"invalid_choice": _("Choose recommendations of the plan from the list.")},
    )

    def __init__(
        self,
        data: Any,
        *,
        nodes: list[FrameworkNode],
        indicators: list[Indicator],
        recommendations: list[Recommendation],
    ) -> None:
        super().__init__(data)
        self.node_codes = {n.code: n for n in nodes}
        self.indicator_codes = {i.code: i for i in indicators}
        self.recommendation_ids = {str(r.pk): r for r in recommendations}
        self.fields["nodes"].choices = [(c, c) for c in self.node_codes]  # type: ignore[attr-defined]
        self.fields["indicators"].choices = [(c, c) for c in self.indicator_codes]  # type: ignore[attr-defined]
        self.fields["recommendations"].choices = [(i, i) for i in self.recommendation_ids]  # type: ignore[attr-defined]

    def clean_nodes(self) -> list[FrameworkNode]:
        return [self.node_codes[c] for c in self.cleaned_data["nodes"]]

    def clean_indicators(self) -> list[Indicator]:
        return [self.indicator_codes[c] for c in self.cleaned_data["indicators"]]

    def clean_recommendations(self) -> list[Recommendation]:
        return [self.recommendation_ids[i] for i in self.cleaned_data["recommendations"]]


class ConsentForm(forms.Form):
    given_by = raw_text()
    purposes = forms.MultipleChoiceField(
        choices=Purpose.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose what the consent is for from the list.")},
    )
    to_be_named = forms.BooleanField(required=False)
    method = raw_text()
    witness = raw_text()
    given_on = IsoDateField()
    valid_until = IsoDateField(required=False)


class WithdrawForm(forms.Form):
    on = IsoDateField(required=False)
    note = raw_text()


class MediumForm(forms.Form):
    file = forms.FileField(
        required=False, error_messages={"invalid": _("Attach a file.")}, allow_empty_file=True
    )
    safe_to_share = forms.BooleanField(required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload:
            raise ValidationError(_("Attach a file."))
        return upload


class StoryActionForm(forms.Form):
    """The story page's buttons."""

    do = OperationField(["share", "approve", "delete"])


# --- Selection rounds -----------------------------------------------------------------------


class SelectionRoundForm(forms.Form):
    """A new round: level, province (a province round), period, domain, panel."""

    level = raw_text()
    area = forms.CharField(required=False)
    period = raw_text()
    domain = raw_text()
    panel = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choose the panel among the plan's members.")},
    )
    panel_others = raw_text()

    def __init__(self, data: Any, *, plan: Plan, members: list[tuple[int, str]]) -> None:
        super().__init__(data)
        self.plan = plan
        self.fields["panel"].choices = members  # type: ignore[attr-defined]

    def clean_area(self) -> Area | None:
        code = self.cleaned_data["area"]
        if not code:
            return None
        area = Area.objects.filter(code=code, path__startswith=self.plan.area.path).first()
        if area is None:
            raise ValidationError(_("Choose a province of the plan."))
        return area


class SelectionChoiceForm(forms.Form):
    """The panel's choice in one domain: the story (one of the candidates shown), why, and an
    optional rank for each other candidate (`rank-<uid>`: 2 is the next after the chosen)."""

    story = forms.UUIDField(
        error_messages={"required": _("Choose a story."), "invalid": _("Choose a story.")}
    )
    reason = raw_text()

    def __init__(self, data: Any, *, uids: list[str]) -> None:
        super().__init__(data)
        self.uids = uids
        for uid in uids:
            self.fields[f"rank-{uid}"] = forms.IntegerField(
                required=False,
                min_value=2,
                max_value=999,
                error_messages={
                    "invalid": _("A rank is a whole number, 2 or more."),
                    "min_value": _("A rank is a whole number, 2 or more."),
                    "max_value": _("A rank is a whole number, 2 or more."),
                },
            )

    def ranking(self) -> list[str]:
        """The other candidates' uids the panel ranked, in their rank's order (ties as
        shown)."""
        chosen = str(self.cleaned_data["story"])
        ranked = [
            (rank, number, uid)
            for number, uid in enumerate(self.uids)
            if uid != chosen and (rank := self.cleaned_data.get(f"rank-{uid}")) is not None
        ]
        return [uid for _rank, _number, uid in sorted(ranked)]
