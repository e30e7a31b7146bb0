"""The storyteller's attributes a story may record, and which of them each plan records
(docs/stories.md, "The storyteller's attributes").

A short, fixed vocabulary: each attribute has a few fixed answers, never free text that could
name someone, and every answer is optional (blank: not recorded). A plan chooses among them
(`StorySettings`, set by its coordinator); a plan that never chose records the first three
(age band, disability, displacement), as every plan did before the choice existed.

Deliberately absent: whether the storyteller survived sexual violence (or any other violation),
ethnicity, religion, political opinion and sexual orientation. Each marks a person out for
stigma or reprisal, and a structured answer makes a list of such people that any full reader or
export could sort by; what a storyteller chooses to tell of it belongs in the story's text,
which is encrypted. Gender identities beyond woman and man are one answer with "prefers not to
say", so the record never singles out a person whose identity is persecuted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wpsmonitor.plans.models import Plan
from wpsmonitor.stories.models import StorySettings


@dataclass(frozen=True)
class Attribute:
    code: str
    label: Promise
    answers: tuple[tuple[str, Promise], ...]
    # Why a plan would record it, or what it may cost the storyteller (the settings page).
    note: Promise
    # The form's sentence for an answer not in the list.
    invalid: Promise

    def answer_label(self, value: str) -> str:
        return str(dict(self.answers).get(value, value))

    @property
    def values(self) -> list[str]:
        return [value for value, _label in self.answers]


VOCABULARY: tuple[Attribute, ...] = (
    Attribute(
        code="age",
        label=gettext_lazy("Age"),
        answers=(
            ("under-18", gettext_lazy("Under 18")),
            ("18-29", gettext_lazy("18 to 29")),
            ("30-44", gettext_lazy("30 to 44")),
            ("45-59", gettext_lazy("45 to 59")),
            ("60+", gettext_lazy("60 or older")),
        ),
        note=gettext_lazy(
            "Five age bands. A child's story needs the consent of a parent or guardian."
        ),
        invalid=gettext_lazy("Choose an age band from the list."),
    ),
    Attribute(
        code="sex",
        label=gettext_lazy("Sex"),
        answers=(
            ("woman", gettext_lazy("Woman or girl")),
            ("man", gettext_lazy("Man or boy")),
            ("other", gettext_lazy("Another answer, or prefers not to say")),
        ),
        note=gettext_lazy(
            "As the storyteller describes themself. Another identity and not saying are one "
            "answer, so the record never singles out a person whose identity is persecuted."
        ),
        invalid=gettext_lazy("Choose an answer on sex from the list."),
    ),
    Attribute(
        code="disability",
        label=gettext_lazy("Disability"),
        answers=(
            ("yes", gettext_lazy("Has a disability")),
            ("no", gettext_lazy("Has no disability")),
        ),
        note=gettext_lazy("Whether the storyteller has a disability, as they say."),
        invalid=gettext_lazy("Choose an answer on disability from the list."),
    ),
    Attribute(
        code="displacement",
        label=gettext_lazy("Displacement"),
        answers=(
            ("idp", gettext_lazy("Internally displaced")),
            ("refugee", gettext_lazy("Refugee")),
            ("returnee", gettext_lazy("Returnee")),
            ("host", gettext_lazy("Host community")),
            ("not-displaced", gettext_lazy("Not displaced")),
        ),
        note=gettext_lazy("Internally displaced, refugee, returnee, host community or not."),
        invalid=gettext_lazy("Choose an answer on displacement from the list."),
    ),
    Attribute(
        code="setting",
        label=gettext_lazy("Rural or urban setting"),
        answers=(
            ("rural", gettext_lazy("Rural")),
            ("urban", gettext_lazy("Urban")),
            ("camp", gettext_lazy("A camp or settlement of displaced people")),
        ),
        note=gettext_lazy("Where the storyteller lives: rural, urban, or a camp."),
        invalid=gettext_lazy("Choose a setting from the list."),
    ),
    Attribute(
        code="ex_combatant",
        label=gettext_lazy("Former member of an armed force or group"),
        answers=(
            ("yes", gettext_lazy("Formerly in an armed force or group, as a combatant or not")),
            ("no", gettext_lazy("Never in an armed force or group")),
        ),
        note=gettext_lazy(
            "For plans that follow disarmament and reintegration. It can expose the storyteller "
            "where former members of armed groups face reprisals: record it only where they do "
            "not."
        ),
        invalid=gettext_lazy("Choose an answer on armed forces and groups from the list."),
    ),
    Attribute(
        code="head_of_household",
        label=gettext_lazy("Head of household"),
        answers=(
            ("yes", gettext_lazy("Heads a household")),
            ("no", gettext_lazy("Does not head a household")),
        ),
        note=gettext_lazy("Whether the storyteller heads a household."),
        invalid=gettext_lazy("Choose an answer on the head of household from the list."),
    ),
    Attribute(
        code="womens_organisation",
        label=gettext_lazy("Member of a women's organisation"),
        answers=(
            ("yes", gettext_lazy("Belongs to a women's organisation or group")),
            ("no", gettext_lazy("Belongs to no women's organisation or group")),
        ),
        note=gettext_lazy(
            "For the plan's participation pillar. It can expose the storyteller where women's "
            "organisations are threatened."
        ),
        invalid=gettext_lazy("Choose an answer on women's organisations from the list."),
    ),
)

BY_CODE: dict[str, Attribute] = {a.code: a for a in VOCABULARY}

# What a plan that never chose records: the attributes every plan recorded before the choice.
DEFAULT = ("age", "disability", "displacement")


def in_order(codes: Iterable[str]) -> list[str]:
    """The known codes among `codes`, each once, in the vocabulary's order."""
    wanted = set(codes)
    return [a.code for a in VOCABULARY if a.code in wanted]


def chosen_codes(plan: Plan) -> list[str]:
    """The codes of the attributes the plan's stories record, in the vocabulary's order."""
    settings = StorySettings.objects.filter(plan=plan).first()
    return in_order(settings.attributes if settings is not None else DEFAULT)


def chosen(plan: Plan) -> list[Attribute]:
    return [BY_CODE[code] for code in chosen_codes(plan)]


def label_of(code: str) -> str:
    """An attribute's label; an attribute recorded before the vocabulary existed, its code."""
    attribute = BY_CODE.get(code)
    return str(attribute.label) if attribute is not None else code


def answer_of(code: str, value: str) -> str:
    attribute = BY_CODE.get(code)
    return attribute.answer_label(value) if attribute is not None else value


def words(recorded: Mapping[str, Any], codes: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(label, answer) for each attribute of `codes` (a plan's choice: "Not recorded" where the
    story has none) and then every other attribute the story recorded (one the plan has since
    stopped recording, or an older one outside the vocabulary), the vocabulary's first."""
    codes = list(codes)
    shown = [
        (label_of(c), answer_of(c, str(recorded[c])) if c in recorded else _("Not recorded"))
        for c in codes
    ]
    others = in_order(k for k in recorded if k not in codes)
    others += sorted(str(k) for k in recorded if k not in codes and k not in BY_CODE)
    return shown + [(label_of(c), answer_of(c, str(recorded[c]))) for c in others]


def checked(attributes: Mapping[Any, Any] | None, codes: list[str]) -> dict[str, str]:
    """The storyteller's attributes as a story stores them, checked against the plan's choice
    (`codes`): a blank answer is not recorded; refused (keyed "storyteller") are an attribute
    outside the vocabulary or the plan's choice, and an answer not in its list."""
    given = dict(attributes or {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in given.items()):
        raise ValidationError(
            {"storyteller": _("The storyteller's attributes are names and values.")}
        )
    stored: dict[str, str] = {}
    for code, value in given.items():
        value = value.strip()
        if not value:
            continue
        if code not in codes:
            records = ", ".join(codes) if codes else _("none")
            raise ValidationError(
                {
                    "storyteller": (
                        _(
                            "This plan does not record the storyteller's attribute "
                            '"%(attribute)s"; it records: %(chosen)s.'
                        )
                        if code in BY_CODE
                        else _(
                            '"%(attribute)s" is not a storyteller\'s attribute; this plan '
                            "records: %(chosen)s."
                        )
                    )
                    % {"attribute": code, "chosen": records}
                }
            )
        attribute = BY_CODE[code]
        if value not in attribute.values:
            raise ValidationError(
                {
                    "storyteller": _(
                        '"%(value)s" is not an answer for the attribute "%(attribute)s"; use one '
                        "of: %(answers)s."
                    )
                    % {
                        "value": value,
                        "attribute": code,
                        "answers": ", ".join(attribute.values),
                    }
                }
            )
        stored[code] = value
    return stored
