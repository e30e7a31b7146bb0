"""One date format per language on every page: "4 January 2027", never "01/04/2027" beside
"Jan. 4, 2027" (shell/formats, settings.FORMAT_MODULE_PATH)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format
from tests.reporting.conftest import Cycle

from wpsmonitor.reporting import services

DAY = date(2027, 1, 4)
MOMENT = datetime(2027, 1, 4, 14, 30, tzinfo=UTC)
# What Django's own formats would have put on a page: 01/04/2027, 04/01/2027, Jan. 4, 2027.
NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
ABBREVIATED = re.compile(r"\b(Jan|Feb|Aug|Sept|Oct|Nov|Dec)\. \d")


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_short_and_long_formats_are_one_per_language(language: str) -> None:
    with translation.override(language):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == date_format(DAY, "DATE_FORMAT")
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == date_format(
            MOMENT, "DATETIME_FORMAT"
        )
        assert "2027" in date_format(DAY, "DATE_FORMAT")
        assert not NUMERIC_DATE.search(date_format(DAY, "SHORT_DATE_FORMAT"))


def test_the_formats_read_naturally() -> None:
    with translation.override("en"):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "4 January 2027"
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "4 January 2027, 14:30"
    with translation.override("fr"):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "4 janvier 2027"
    with translation.override("es"):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "4 de enero de 2027"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_reporting_page_shows_its_dates_in_one_format(cycle: Cycle, language: str) -> None:
    """The coordinator's reporting page showed a round's deadline as 01/04/2027 beside the
    plan's dates as Jan. 4, 2027; now every date reads the same way."""
    services.round_open(
        by=cycle.users["coordinator"],
        plan=cycle.plan,
        period_code="2025Q2",
        deadline=timezone.localdate() + timedelta(days=40),
    )
    client = Client(headers={"accept-language": language})
    client.force_login(cycle.users["coordinator"])
    pages = [
        client.get(f"/plans/{cycle.plan.code}/reporting/").content.decode(),
        client.get(f"/plans/{cycle.plan.code}/").content.decode(),
    ]
    with translation.override(language):
        deadline = date_format(cycle.round.deadline, "DATE_FORMAT")
    assert any(deadline in page for page in pages), deadline
    for page in pages:
        text = re.sub(r"<[^>]+>", " ", page)
        assert not NUMERIC_DATE.search(text), NUMERIC_DATE.search(text)
        assert not ABBREVIATED.search(text), ABBREVIATED.search(text)
