"""Areas, dimensions and options named by their names, in any of the platform's languages, as
well as by code (issue 12: "Nord-Kivu" for CD-NK, "Femme" for F); a name that fits none or
several is refused with the candidates, and a wrong cell names the option that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from wpsmonitor.core.names import LookupRefused, Named, NameIndex, folded
from wpsmonitor.directory.models import Area
from wpsmonitor.directory.services import area_subdivision_ensure
from wpsmonitor.exchange.importer import import_files
from wpsmonitor.indicators.models import Baseline, DataValue

from .helpers import refused, write_csv
from .workbooks import SHEETS, write_plan_workbook

pytestmark = pytest.mark.django_db


def test_names_are_compared_without_case_accents_or_hyphens() -> None:
    assert folded("Nord-Kivu") == folded("nord kivu") == folded("NORD\u2011KIVU") == "nord kivu"
    assert folded("Équateur") == "equateur"
    index = NameIndex(
        [
            Named(1, "CD-NK", ["Nord-Kivu"]),
            Named(2, "CD-SK", ["Sud-Kivu"]),
            Named(3, "X1", ["Central"]),
            Named(4, "X2", ["Central"]),
        ]
    )
    assert index.find("cd-nk").key == 1 and index.find("Sud Kivu").key == 2
    with pytest.raises(LookupRefused) as ambiguous:
        index.find("central")
    assert ambiguous.value.ambiguous and ambiguous.value.listed() == "X1 (Central), X2 (Central)"
    with pytest.raises(LookupRefused) as unknown:
        index.find("Nord Kivo")
    assert not unknown.value.ambiguous and unknown.value.listed() == "CD-NK (Nord-Kivu)"


def test_values_name_areas_and_options_by_name_in_any_language(small_plan, tmp_path) -> None:
    path = write_csv(
        tmp_path / "names.csv",
        [
            # Nairobi by name; Sex by its French name; Female by its French name, in lower case.
            "ken-nap-2,N1,2021Q1,nairobi,sexe=femme;age=18-29,,12,,,,",
            "ken-nap-2,N1,2021Q2,KE-30,Sex=Male; age=0-17,,3,,,,",
            "ken-nap-2,P1,2021,Kenya,sex=Female,,,30,120,,",
        ],
    )
    assert import_files(paths=[path]).created == 3
    stored = {(v.period.code, v.area.code, v.cell.code) for v in DataValue.objects.select_related()}
    assert stored == {
        ("2021Q1", "KE-30", "sex=F;age=18-29"),
        ("2021Q2", "KE-30", "sex=M;age=0-17"),
        ("2021", "KEN", "sex=F"),
    }


def test_a_wrong_name_is_refused_with_the_candidates(small_plan, tmp_path) -> None:
    country = Area.objects.get(code="KEN")
    area_subdivision_ensure(parent=country, code="KE-47", name="Central", depth=2)
    area_subdivision_ensure(parent=country, code="KE-48", name="Central", depth=2)
    path = write_csv(
        tmp_path / "wrong.csv",
        [
            "ken-nap-2,N1,2021Q1,Nairobbi,sex=F;age=18-29,,1,,,,",
            "ken-nap-2,N1,2021Q1,central,sex=F;age=18-29,,1,,,,",
            "ken-nap-2,N1,2021Q1,KE-30,sex=Femm;age=18-29,,1,,,,",
            "ken-nap-2,N1,2021Q1,KE-30,sex=F;age=adult,,1,,,,",
            "ken-nap-2,N1,2021Q1,KE-30,gender=F;age=18-29,,1,,,,",
        ],
    )
    assert refused(path) == [
        "wrong.csv:2:area: unknown area 'Nairobbi'; did you mean KE-30 (Nairobi)?",
        "wrong.csv:3:area: 'central' names more than one area: KE-47 (Central), KE-48 "
        "(Central); give its code",
        "wrong.csv:4:cell: 'Femm' is not an option of sex; did you mean F (Female)?",
        "wrong.csv:5:cell: 'adult' is not an option of age (0-17, 18-29, 30-59, 60+)",
        "wrong.csv:6:cell: dimension(s) gender are not in this indicator's disaggregation",
    ]


def test_plan_workbooks_name_areas_and_options_by_name(tmp_path: Path) -> None:
    areas = [dict(r) for r in SHEETS["Areas"]]
    areas[1]["parent"] = "Nairobi"  # Westlands under Nairobi, by its name
    baselines = [
        {
            "indicator": "IND1",
            "period": "2022Q4",
            "area": "Mombasa",
            "cell": "sex=Femme;displacement=Internally displaced",
            "value": 4,
        },
    ]
    path = write_plan_workbook(
        tmp_path / "names.xlsx", sheets={"Areas": areas, "Baselines": baselines}
    )
    import_files(paths=[path])
    assert Area.objects.get(code="KE-30-01").parent.code == "KE-30"
    baseline = Baseline.objects.get(indicator__code="IND1")
    assert (baseline.area.code, baseline.cell.code) == ("KE-28", "sex=F;displacement=idp")
