"""Civil society's own indicators: a monitor adds, words, publishes or deletes them.

A civil-society organisation may report on indicators of its own beside the plan's (e.g. one
of GNWP's civil-society indicators the plan lacks). Only its monitors see and change them
until they publish one; only its monitors ever report on them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.core.translated import text_set, translations_check
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.translation import INDICATOR_TEXTS
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reporting.entry import DUE_KINDS
from wpsmonitor.reporting.services._rights import require

# Fields a monitor may change at any time; the kind, disaggregation and frequency are fixed once
# created (figures are read by them), so a draft with the wrong ones is deleted and made again.
OWN_INDICATOR_FIELDS = (
    "title",
    "definition",
    "unit",
    "means_of_verification",
    "node",
    "direction",
    "expected_min",
    "expected_max",
    "sensitivity",
    "disclosure_threshold",
)

# Texts in several languages (docs/languages.md): a change writes the original language's.
TEXT_FIELDS = INDICATOR_TEXTS


def _translations_write(indicator: Indicator, translations: dict[str, dict[str, str]]) -> None:
    """Texts in languages other than the original (saved with the indicator's other changes)."""
    try:
        translations_check(translations, TEXT_FIELDS)
    except ValueError as refused:
        raise ValidationError(str(refused)) from None
    for field, texts in translations.items():
        for language, value in texts.items():
            if language == indicator.original_language:
                raise ValidationError(
                    _("Change the text in the original language (%(language)s) with %(field)s.")
                    % {"language": language, "field": field}
                )
            text_set(indicator, field, (value or "").strip() or None, language)


def _own_indicator_checked(indicator: Indicator, by: User) -> PlanAccess:
    access = PlanAccess.load(by, indicator.plan)
    # The organisation's monitors, and no one else (no coordinator, no administrator).
    require(indicator.owner_organisation_id is not None and access.can_edit_indicator(indicator))
    return access


@service
def own_indicator_create(
    *,
    by: User,
    plan: Plan,
    organisation: Organisation,
    node: FrameworkNode,
    code: str,
    title: str,
    kind: str,
    scheme: list[str] | None = None,
    unit: str = "",
    definition: str = "",
    time_rule: str = "",
    frequency: str = "year",
    direction: str = "increase",
    scale_labels: list[str] | None = None,
    means_of_verification: str = "",
    sensitivity: str = "public",
    disclosure_threshold: int | None = None,
) -> Indicator:
    """A civil-society monitor adds an indicator of their organisation's own to the plan
    (e.g. one of GNWP's civil-society indicators the plan lacks): a draft, which only their
    organisation sees and reports on until they publish it.

    The plan's own rules for indicators apply (indicators.services.indicator_create); the kind is
    one a person enters, as only the organisation's monitors report on it.
    """
    from wpsmonitor.indicators.models import IndicatorKind, TimeRule
    from wpsmonitor.indicators.services import indicator_create

    access = PlanAccess.load(by, plan)
    require(access.can_define_indicators() and organisation.pk in access.monitor_organisations())
    if node.plan_id != plan.pk:
        raise ValidationError(_("Choose a part of this plan's framework."))
    if kind not in DUE_KINDS:
        raise ValidationError(
            _(
                "Your indicators are entered by your monitors: choose a number, a percentage, "
                "yes/no, a milestone, a scale or a narrative."
            )
        )
    if not time_rule:
        time_rule = {
            IndicatorKind.NUMBER: TimeRule.SUM,
            IndicatorKind.NARRATIVE: TimeRule.NONE,
        }.get(IndicatorKind(kind), TimeRule.LAST)
    indicator = indicator_create(
        plan=plan,
        node=node,
        code=code,
        title=title,
        kind=kind,
        time_rule=time_rule,
        scheme=scheme or [],
        definition=definition.strip(),
        unit=unit.strip(),
        direction=direction,
        frequency=frequency,
        means_of_verification=means_of_verification.strip(),
        scale_labels=scale_labels or [],
        sensitivity=sensitivity,
        disclosure_threshold=disclosure_threshold,
    )
    indicator.owner_organisation = organisation
    indicator.save(update_fields=["owner_organisation", "updated_at"])
    return indicator


@service
def own_indicator_update(
    *,
    by: User,
    indicator: Indicator,
    translations: dict[str, dict[str, str]] | None = None,
    **changes: Any,
) -> Indicator:
    """Change an own indicator's wording, place in the framework, direction or expected range.
    `translations`: texts in other languages, {"title": {"fr": "..."}} ("" removes one; the
    original language's text is changed by `title`...)."""
    from wpsmonitor.indicators.models import Direction

    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _own_indicator_checked(indicator, by)
    _translations_write(indicator, translations or {})
    unknown = sorted(set(changes) - set(OWN_INDICATOR_FIELDS))
    if unknown:
        raise ValidationError(
            _("These cannot be changed once the indicator exists: %(fields)s.")
            % {"fields": ", ".join(unknown)}
        )
    if "title" in changes and not str(changes["title"] or "").strip():
        raise ValidationError(_("Indicator %(code)s needs a title.") % {"code": indicator.code})
    node = changes.get("node")
    if node is not None and node.plan_id != indicator.plan_id:
        raise ValidationError(_("Choose a part of this plan's framework."))
    if "direction" in changes and changes["direction"] not in Direction.values:
        raise ValidationError(
            _("Unknown direction %(direction)r.") % {"direction": changes["direction"]}
        )
    low = changes.get("expected_min", indicator.expected_min)
    high = changes.get("expected_max", indicator.expected_max)
    if low is not None and high is not None and low > high:
        raise ValidationError(_("The expected minimum is above the expected maximum."))
    if "sensitivity" in changes or "disclosure_threshold" in changes:
        from wpsmonitor.plans.resolving import disclosure_clean

        disclosure_clean(
            changes.get("sensitivity") or indicator.sensitivity,
            changes.get("disclosure_threshold", indicator.disclosure_threshold),
        )
    for name, value in changes.items():
        if name == "node" and value is None:
            continue
        if name in TEXT_FIELDS:
            # The original language's text (core/translated.py), not the editor's language's.
            text_set(indicator, name, str(value or "").strip())
        else:
            setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    indicator.save()
    return indicator


@service
def own_indicator_publish(*, by: User, indicator: Indicator) -> Indicator:
    """Show the indicator to everyone who reads the plan; its figures can then be published."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _own_indicator_checked(indicator, by)
    if indicator.published_at is not None:
        raise ValidationError(_("This indicator is already published."))
    indicator.published_at = timezone.now()
    indicator.save(update_fields=["published_at", "updated_at"])
    return indicator


@service
def own_indicator_delete(*, by: User, indicator: Indicator) -> None:
    """Delete a draft (its draft figures in submissions go with it: a draft indicator never has
    stored figures). A published indicator stays: readers may have cited it."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _own_indicator_checked(indicator, by)
    if indicator.published_at is not None:
        raise ValidationError(_("A published indicator cannot be deleted."))
    indicator.delete()
