"""Cell codes: how a combination of disaggregation options is written ("age=18-29;sex=F", in the
scheme's dimension order; "total" for an indicator that is not disaggregated)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.indicators.models import TOTAL_CELL


def cell_code(pairs: list[tuple[str, str]]) -> str:
    return ";".join(f"{dim}={opt}" for dim, opt in pairs) if pairs else TOTAL_CELL


def canonical_cell_code(scheme_dimension_codes: list[str], text: str) -> str:
    """Normalise a user's cell text ("age=18-29; sex=F", any order) to the scheme's canonical code.

    Raises ValueError with a readable message when the text does not name exactly one
    option of every dimension of the scheme.
    """
    text = (text or "").strip()
    if not scheme_dimension_codes:
        if text in ("", TOTAL_CELL):
            return TOTAL_CELL
        raise ValueError(_("this indicator is not disaggregated; leave the cell empty"))
    pairs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        if "=" not in part:
            raise ValueError(_("%(part)r is not of the form dimension=option") % {"part": part})
        dim, opt = (s.strip() for s in part.split("=", 1))
        if dim in pairs:
            raise ValueError(_("dimension %(dim)s is given twice") % {"dim": dim})
        pairs[dim] = opt
    unknown = sorted(set(pairs) - set(scheme_dimension_codes))
    missing = [d for d in scheme_dimension_codes if d not in pairs]
    if unknown:
        raise ValueError(
            _("dimension(s) %(dims)s are not in this indicator's disaggregation")
            % {"dims": ", ".join(unknown)}
        )
    if missing:
        raise ValueError(_("missing dimension(s) %(dims)s") % {"dims": ", ".join(missing)})
    return cell_code([(d, pairs[d]) for d in scheme_dimension_codes])
