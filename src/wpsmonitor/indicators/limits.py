"""The bounds of a disaggregation, shared by every path that makes one (plan import, API,
services, admin) and by the rebuild that computes its figures (docs/import-formats.md, "Limits").

Why these figures: a scheme's cells are its options' full cross product, each a row with its
options, and the entry grid shows every one; the rebuild computes a scheme's total and one
margin per option ("sex=F", "age=18-29"...) side by side, four columns each, in one row of its
work tables, which PostgreSQL caps at 1,600 columns (SQLite at 2,000). A dimension of 500
options crashed the rebuild after the import had committed (issue 12); the bounds refuse it
up front instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.translation import gettext as _

# Options of one dimension.
DIMENSION_MAX_OPTIONS = 100
# Dimensions an indicator is broken down by at once.
SCHEME_MAX_DIMENSIONS = 5
# Cells of one disaggregation: the product of its dimensions' option counts.
SCHEME_MAX_CELLS = 5_000
# Options of a disaggregation's dimensions together (the margins the rebuild computes).
SCHEME_MAX_OPTIONS = 200


def dimension_refusal(code: str, options: int) -> str | None:
    """Why a dimension of so many options is refused; None when it is not."""
    if options > DIMENSION_MAX_OPTIONS:
        return _("the dimension %(code)s would have %(count)s options; the limit is %(limit)s") % {
            "code": code,
            "count": options,
            "limit": DIMENSION_MAX_OPTIONS,
        }
    return None


def scheme_refusal(dimensions: Sequence[tuple[str, int]]) -> str | None:
    """Why a disaggregation by these (dimension code, option count) is refused; None when not."""
    codes = " × ".join(code for code, _count in dimensions)
    if len(dimensions) > SCHEME_MAX_DIMENSIONS:
        return _(
            "a disaggregation by %(count)s dimensions (%(dims)s) is refused; the limit is %(limit)s"
        ) % {"count": len(dimensions), "dims": codes, "limit": SCHEME_MAX_DIMENSIONS}
    for code, count in dimensions:
        refused = dimension_refusal(code, count)
        if refused:
            return refused
    cells = math.prod(count for _code, count in dimensions)
    if cells > SCHEME_MAX_CELLS:
        return _(
            "the disaggregation %(dims)s would have %(count)s cells; the limit is %(limit)s"
        ) % {"dims": codes, "count": cells, "limit": SCHEME_MAX_CELLS}
    options = sum(count for _code, count in dimensions)
    if options > SCHEME_MAX_OPTIONS:
        return _(
            "the dimensions of the disaggregation %(dims)s have %(count)s options together; "
            "the limit is %(limit)s"
        ) % {"dims": codes, "count": options, "limit": SCHEME_MAX_OPTIONS}
    return None
