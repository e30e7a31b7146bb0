"""Who an organisation is: an IATI identifier names one organisation, a channel code many."""

from __future__ import annotations

from wpsmonitor.iati.flows import org_key
from wpsmonitor.iati.models import Organisation
from wpsmonitor.iati.records import organisation_key


def test_an_iati_identifier_is_the_identity_whatever_the_name() -> None:
    assert (
        organisation_key("GB-GOV-1", "DFID")
        == organisation_key(" GB-GOV-1", "UK aid")
        == ("GB-GOV-1")
    )


def test_a_crs_channel_code_as_ref_does_not_merge_different_organisations() -> None:
    # DFID's 1.0x files write "22000" (donor-country NGOs) as the ref of each of these.
    keys = {organisation_key("22000", n) for n in ("Christian Aid", "Concern Worldwide", "MAG")}
    assert len(keys) == 3
    assert organisation_key("22000", "Christian  aid") == organisation_key("", "christian aid")


def test_a_bare_ref_with_no_name_is_still_kept_apart() -> None:
    assert organisation_key("Excluded", "") == "Excluded"
    assert organisation_key("", "") == "name:"


def test_the_store_and_the_flow_tracer_use_the_same_rule() -> None:
    for ref, name in [("XM-DAC-41114", "UNDP"), ("22000", "Heal Africa"), ("", "SOFEPADI")]:
        assert Organisation.key_for(ref, name) == org_key(ref, name) == organisation_key(ref, name)
