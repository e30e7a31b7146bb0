"""Cell codes: how a combination of disaggregation options is written ("age=18-29;sex=F", in the
scheme's dimension order; "total" for an indicator that is not disaggregated). Imports may
name dimensions and options by any of their names too (cell_code_by_names)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from wpsmonitor.core.names import LookupRefused, Named, NameIndex, names_in_every_language
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


# ----------------------------------------------------------------------------- cells by names


@dataclass(frozen=True)
class SchemeNames:
    """A scheme's dimensions and, per dimension code, its options, findable by any name."""

    dimensions: NameIndex
    options: dict[str, NameIndex]


def scheme_names(scheme_id: int) -> SchemeNames:
    """The names of a scheme's dimensions and options, in every language (two queries)."""
    from wpsmonitor.indicators.models import DimensionOption, SchemeDimension

    links = list(
        SchemeDimension.objects.filter(scheme_id=scheme_id)
        .order_by("order")
        .values_list("dimension_id", "dimension__code", "dimension__name")
    )
    options: dict[int, list[Named]] = {pk: [] for pk, _code, _name in links}
    for dim_id, code, name in DimensionOption.objects.filter(dimension_id__in=options).values_list(
        "dimension_id", "code", "name"
    ):
        options[dim_id].append(Named(code, code, names_in_every_language(name)))
    return SchemeNames(
        dimensions=NameIndex(
            Named(code, code, names_in_every_language(name)) for _pk, code, name in links
        ),
        options={code: NameIndex(options[pk]) for pk, code, _name in links},
    )


def cell_code_by_names(names: SchemeNames, text: str) -> str:
    """A cell text whose dimensions and options may be named by code or by any name
    ("Sexe=Femme; age=18-29"), as codes ("sex=F;age=18-29", the user's order kept).

    Raises ValueError naming the option that is wrong, with the likeliest candidates; what is
    not dimension=option, or names no dimension of the scheme, is left as it is for
    canonical_cell_code to refuse.
    """
    pairs = []
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        if "=" not in part:
            return text
        dim_text, opt_text = (s.strip() for s in part.split("=", 1))
        try:
            dim = names.dimensions.find(dim_text).code
        except LookupRefused:
            pairs.append(part)  # canonical_cell_code names the dimensions that are not in it
            continue
        try:
            opt = names.options[dim].find(opt_text).code
        except LookupRefused as refused:
            raise ValueError(_option_refusal(names.options[dim], dim, refused)) from None
        pairs.append(f"{dim}={opt}")
    return ";".join(pairs)


def _listed(index: NameIndex) -> str:
    """Every object of the index, as LookupRefused lists candidates."""
    return LookupRefused("", index.objects, ambiguous=False).listed()


def _option_refusal(index: NameIndex, dim: str, refused: LookupRefused) -> str:
    if refused.ambiguous:
        return _("%(opt)r names more than one option of %(dim)s: %(candidates)s; give its code") % {
            "opt": refused.text,
            "dim": dim,
            "candidates": refused.listed(),
        }
    if refused.candidates:
        return _("%(opt)r is not an option of %(dim)s; did you mean %(candidates)s?") % {
            "opt": refused.text,
            "dim": dim,
            "candidates": refused.listed(),
        }
    return _("%(opt)r is not an option of %(dim)s (%(all)s)") % {
        "opt": refused.text,
        "dim": dim,
        "all": _listed(index),
    }
