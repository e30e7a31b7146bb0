"""The starting question set a coordinator may begin a perception survey from.

Written after the security-sector workshop's call to take local women's perceptions of security
as a barometer; it is not an official or validated instrument. The coordinator edits the
questions and options before the survey is set up; they are stored in the words the coordinator
leaves, in the plan's language (the English texts here are msgids of the catalogues).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

TEMPLATE_NOTE = gettext_noop(
    "Written after the security-sector workshop's call for women's perceptions as a "
    "barometer; not an official instrument."
)

_SAFETY = [
    gettext_noop("Very unsafe"),
    gettext_noop("Unsafe"),
    gettext_noop("Safe"),
    gettext_noop("Very safe"),
]
_CONFIDENCE = [
    gettext_noop("Not at all confident"),
    gettext_noop("Not very confident"),
    gettext_noop("Fairly confident"),
    gettext_noop("Very confident"),
]
_FREEDOM = [
    gettext_noop("Not at all free"),
    gettext_noop("Not very free"),
    gettext_noop("Fairly free"),
    gettext_noop("Completely free"),
]
_COMPARED = [gettext_noop("Less safe"), gettext_noop("About the same"), gettext_noop("Safer")]

# (question, options in order, positions of the favourable options)
_QUESTIONS: list[tuple[str, list[str], list[int]]] = [
    (
        gettext_noop("How safe do you feel walking in your neighbourhood after dark?"),
        _SAFETY,
        [2, 3],
    ),
    (
        gettext_noop("How safe do you feel travelling to the market, to work or to school by day?"),
        _SAFETY,
        [2, 3],
    ),
    (
        gettext_noop(
            "If you or a woman you know faced violence, how confident are you that the police would respond?"
        ),
        _CONFIDENCE,
        [2, 3],
    ),
    (
        gettext_noop("How free do you feel to speak about security at community meetings?"),
        _FREEDOM,
        [2, 3],
    ),
    (gettext_noop("Compared with a year ago, is your community safer for women?"), _COMPARED, [2]),
]


@dataclass(frozen=True)
class QuestionSpec:
    """A question as set up: its text, its options' labels in order, the favourable positions."""

    text: str
    options: list[str]
    favourable: list[int]


def template_questions(language: str) -> list[QuestionSpec]:
    """The starting questions in `language` (the plan's)."""
    with translation.override(language):
        return [
            QuestionSpec(gettext(text), [gettext(o) for o in options], list(favourable))
            for text, options, favourable in _QUESTIONS
        ]


def template_note(language: str) -> str:
    with translation.override(language):
        return gettext(TEMPLATE_NOTE)
