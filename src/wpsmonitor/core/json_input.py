"""JSON from outside (an API body, a JSON plan file), read with its numbers bounded.

Python's json module converts every number it meets: one of 5,001 digits raised a ValueError
of its own ("Exceeds the limit (4300 digits) for integer string conversion") that no caller
expected, and one of a few hundred digits parsed, then failed where it became a float. No figure
needs more than MAX_NUMBER_CHARS characters (a double's longest form, -1.2345678901234567e-308,
has 24), so a longer number is refused while parsing, with a message that says so.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

MAX_NUMBER_CHARS = 40


class NumberTooLong(ValueError):
    """A number in the JSON is longer than MAX_NUMBER_CHARS characters."""


def _bounded_number(text: str, convert: type[int] | type[float]) -> int | float:
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberTooLong(
            _("a number has %(length)s characters; numbers have at most %(max)s")
            % {"length": f"{len(text):,}", "max": MAX_NUMBER_CHARS}
        )
    return convert(text)


def loads_bounded(text: str | bytes) -> Any:
    """json.loads with numbers bounded; ValueError (JSONDecodeError, NumberTooLong) otherwise."""
    return json.loads(
        text,
        parse_int=partial(_bounded_number, convert=int),
        parse_float=partial(_bounded_number, convert=float),
    )
