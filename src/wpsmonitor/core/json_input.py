"""JSON from outside (an API body, a JSON plan file), read with its numbers bounded.

Python's json module converts every number it meets: one of 5,001 digits raised a ValueError
of its own ("Exceeds the limit (4300 digits) for integer string conversion") that no caller
expected, and one of a few hundred digits parsed, then failed where it became a float. No figure
needs more than MAX_NUMBER_CHARS characters (a double's longest form, -1.2345678901234567e-308,
has 24), so a longer number is refused while parsing, with a message that says so.

A text holding a NUL character (written `\u0000` in JSON) is refused too: no field accepts one,
and PostgreSQL refuses it in any text, even in a lookup, which turned a request naming an
organisation "\u0000" into a server error.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

MAX_NUMBER_CHARS = 40


class RefusedJson(ValueError):
    """JSON that parses but holds what no field accepts; its message says what."""


class NumberTooLong(RefusedJson):
    """A number in the JSON is longer than MAX_NUMBER_CHARS characters."""


class NulCharacter(RefusedJson):
    """A text (a value or a key) of the JSON holds a NUL character."""


def _bounded_number(text: str, convert: type[int] | type[float]) -> int | float:
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberTooLong(
            _("a number has %(length)s characters; numbers have at most %(max)s")
            % {"length": f"{len(text):,}", "max": MAX_NUMBER_CHARS}
        )
    return convert(text)


def _refuse_nul(value: Any) -> None:
    """Every text of a parsed JSON document, keys included, without a NUL character."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise NulCharacter(
                    _("a text holds a NUL character (\\u0000), which no field accepts")
                )
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def loads_bounded(text: str | bytes) -> Any:
    """json.loads with numbers bounded and texts without NUL; ValueError (JSONDecodeError, or
    a RefusedJson saying what) otherwise."""
    found = json.loads(
        text,
        parse_int=partial(_bounded_number, convert=int),
        parse_float=partial(_bounded_number, convert=float),
    )
    _refuse_nul(found)
    return found
