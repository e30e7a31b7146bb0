"""Every sample file imports, and the counts the importer reports match the independent
counts of ../shared/iati-samples/README.md exactly (activities, activities with a gender
marker, activities with 15170 / 15180 / 15220, as written in the file)."""

from __future__ import annotations

import pytest

from wpsmonitor.iati import models as m
from wpsmonitor.iati.importer import WpsFilter, import_files

from .conftest import sample

# file: (activities, gender-marked activities, 15170, 15180, 15220) — the README's table.
README = {
    "v203_dportal_merged_large.xml": (2500, 949, 27, 31, 40),
    "v203_dportal_p16_aecid_spain_15170.xml": (100, 100, 19, 11, 5),
    "v203_dportal_p78_eu_fpi_15220.xml": (100, 100, 2, 0, 56),
    "v203_dportal_p45_sweden_gender.xml": (100, 100, 9, 5, 3),
    "v203_dportal_p07_canada_australia_bd_ngos.xml": (100, 77, 1, 16, 1),
    "v203_hdx_covid_fixture_multi_publisher.xml": (401, 188, 3, 7, 2),
    "v203_hdx_ukraine_humanitarian_pooled_funds.xml": (200, 56, 0, 4, 0),
    "v203_iom_humanitarian.xml": (577, 0, 0, 0, 20),
    "v203_nl_mfa_transitional_justice.xml": (13, 13, 0, 0, 3),
    "v201_spain_maec_indonesia.xml": (83, 83, 0, 0, 0),
    "v101_dfid_drc.xml": (205, 138, 3, 0, 17),
    "v100_sweden_sida.xml": (54, 53, 0, 0, 8),
    "v10_usg_big_values.xml": (198, 0, 0, 0, 0),
    "v100_cafod.xml": (57, 0, 0, 0, 0),
    "v1_noversion_tearfund_drc.xml": (1, 0, 0, 0, 0),
    "v1_noversion_worldvision_uk_drc.xml": (3, 0, 0, 0, 0),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(README))
def test_counts_match_readme(name: str) -> None:
    run = import_files(paths=[sample(name)], wps_filter=WpsFilter.build(criteria=["all"]))
    s = run.summary
    assert run.status == m.ImportStatus.DONE
    sectors = s["sector_activities"]
    assert (
        s["activities_read"],
        s["gender_marked"],
        sectors["15170"],
        sectors["15180"],
        sectors["15220"],
    ) == README[name]
    # Kept all of them ("all"), as many rows as activities, each transaction stored.
    assert s["kept"] == m.Activity.objects.count() == README[name][0]
    assert s["transactions"] == m.Transaction.objects.count()
    assert s["transactions"] == s["transactions_read"]  # stored = read well-formed


@pytest.mark.django_db
def test_readme_transaction_totals() -> None:
    # README: the merged file has 12,682 transactions (21 of them the covid fixture's
    # malformed ones), the Ukraine file 4,179.
    run = import_files(
        paths=[sample("v203_dportal_merged_large.xml")],
        wps_filter=WpsFilter.build(criteria=["all"]),
    )
    assert run.summary["transactions"] + run.summary["transactions_skipped"] == 12_682
    assert run.summary["transactions_skipped"] == 21
    run = import_files(
        paths=[sample("v203_hdx_ukraine_humanitarian_pooled_funds.xml")],
        wps_filter=WpsFilter.build(criteria=["all"]),
    )
    assert run.summary["transactions"] == 4_179


@pytest.mark.django_db
def test_organisation_file_imports() -> None:
    run = import_files(
        paths=[sample("org203_nl_mfa_based_organisation_file.xml")],
        wps_filter=WpsFilter.build(criteria=["all"]),
    )
    assert run.status == m.ImportStatus.DONE
    assert run.summary["organisations"] == 1 and run.summary["budgets"] == 200
    assert run.summary["activities_read"] == 0
    org = m.Organisation.objects.get(ref="XM-LMH-7")
    assert org.budgets.filter(kind="organisation").count() == 179
    assert org.budgets.filter(kind="country").count() == 17
    # Imported again: its budgets are replaced, not doubled.
    import_files(
        paths=[sample("org203_nl_mfa_based_organisation_file.xml")],
        wps_filter=WpsFilter.build(criteria=["all"]),
    )
    assert m.OrganisationBudget.objects.count() == 200
