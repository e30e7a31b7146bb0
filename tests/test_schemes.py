import pytest
from django.core.exceptions import ValidationError

from wpsmonitor.indicators.cells import canonical_cell_code
from wpsmonitor.indicators.models import Cell
from wpsmonitor.indicators.services import dimension_ensure, scheme_ensure

pytestmark = pytest.mark.django_db


def test_a_scheme_has_every_combination_of_its_options_as_cells() -> None:
    scheme = scheme_ensure(dimension_codes=["sex", "age"])
    codes = set(scheme.cells.values_list("code", flat=True))
    assert len(codes) == 2 * 4
    assert "sex=F;age=18-29" in codes


def test_adding_an_option_adds_cells_to_schemes_using_it() -> None:
    scheme = scheme_ensure(dimension_codes=["sex", "disability"])
    dimension_ensure(code="sex", name="Sex", options=[("F", "F"), ("M", "M"), ("X", "Other")])
    assert Cell.objects.filter(scheme=scheme, code="sex=X;disability=yes").exists()


def test_unknown_dimension_is_refused() -> None:
    with pytest.raises(ValidationError):
        scheme_ensure(dimension_codes=["sex", "caste"])


def test_cell_text_is_normalised_to_scheme_order() -> None:
    assert canonical_cell_code(["sex", "age"], " age=18-29 ; sex=F") == "sex=F;age=18-29"
    assert canonical_cell_code([], "") == "total"
    for bad in ["sex=F", "sex=F;age=18-29;disability=yes", "sexF;age=1", "sex=F;sex=M;age=1"]:
        with pytest.raises(ValueError):
            canonical_cell_code(["sex", "age"], bad)
