"""Fixtures of the IATI reader and importer tests: the real sample files and small files
written by the tests themselves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SAMPLES = Path(
    os.environ.get(
        "WPSMONITOR_IATI_SAMPLES", Path(__file__).resolve().parents[3] / "shared" / "iati-samples"
    )
)


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"IATI sample {name} not found in {SAMPLES} (set WPSMONITOR_IATI_SAMPLES)")
    return path


def activity_xml(
    identifier: str,
    *,
    country: str = "CD",
    sector: str = "15170",
    marker: str | None = '<policy-marker vocabulary="1" code="1" significance="2"/>',
    currency: str = "EUR",
    transactions: str = "",
    extra: str = "",
) -> str:
    return f"""<iati-activity default-currency="{currency}" humanitarian="0">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="XM-DAC-7" type="10"><narrative>Netherlands MFA</narrative></reporting-org>
  <title><narrative>Activity {identifier}</narrative></title>
  <recipient-country code="{country}" percentage="100"/>
  <sector vocabulary="1" code="{sector}" percentage="100"/>
  {marker or ""}
  {extra}
  {transactions}
</iati-activity>"""


def activities_file(path: Path, *activities: str, version: str = "2.03") -> Path:
    body = "\n".join(activities)
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}">\n'
        f"{body}\n</iati-activities>\n",
        encoding="utf-8",
    )
    return path


TRANSACTION = """<transaction>
  <transaction-type code="{type}"/>
  <transaction-date iso-date="{date}"/>
  <value value-date="{date}"{currency}>{value}</value>
  <provider-org ref="XM-DAC-7" provider-activity-id="{provider_activity}" type="10"><narrative>Netherlands MFA</narrative></provider-org>
  <receiver-org ref="CD-RCCM-1" receiver-activity-id="" type="22"><narrative>Femmes pour la paix</narrative></receiver-org>
</transaction>"""


def transaction_xml(
    type: str = "3",
    value: str = "1000",
    date: str = "2023-05-01",
    currency: str | None = None,
    provider_activity: str = "",
) -> str:
    return TRANSACTION.format(
        type=type,
        value=value,
        date=date,
        currency=f' currency="{currency}"' if currency else "",
        provider_activity=provider_activity,
    )


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"IATI samples not found in {SAMPLES}")
    return SAMPLES


@pytest.fixture(scope="session")
def empty_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite data home, copied by the tests that run the command in a subprocess."""
    from tests.exchange.helpers import cli

    home = tmp_path_factory.mktemp("iati-empty-home")
    cli(home, "manage", "migrate", "-v0")
    return home
