"""The page of a global indicator: every plan that reports it, with its latest PUBLISHED figure.

Figures side by side come from releases only, for every reader; the sentinel planted in the
fact tables after publication (4242, as in test_release_reading) must never show, nor a
restricted indicator, nor anything before a release is published.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from tests.portal.test_release_reading import LEAK, _plant_sentinel, _publish, _signed_in, _text
from tests.publishing.conftest import ReleaseWorld
from tests.publishing.conftest import rw as rw  # noqa: F401  (the fixture)

from wpsmonitor.indicators.models import GlobalIndicator
from wpsmonitor.publishing.models import ReleaseFigure
from wpsmonitor.publishing.services import release_withdraw

pytestmark = pytest.mark.django_db

URL = "/global-indicators/sdg/16.7.1/"


@pytest.fixture
def linked(rw: ReleaseWorld) -> ReleaseWorld:
    entry = GlobalIndicator.objects.get(vocabulary="sdg", code="16.7.1")
    for indicator in (rw.meetings, rw.survivors, rw.restricted):
        indicator.references.add(entry)
    return rw


def _government_total(rw: ReleaseWorld, indicator) -> ReleaseFigure:  # type: ignore[no-untyped-def]
    return ReleaseFigure.objects.get(
        release__plan=rw.plan,
        indicator=indicator,
        area=rw.plan.area,
        period_code="ALL",
        cell_key="",
        source_kind="government",
    )


def test_before_any_release_the_plan_is_listed_without_figures(linked: ReleaseWorld) -> None:
    response = Client().get(URL)
    assert response.status_code == 200
    reports = response.context["reports"]
    assert [r.indicator for r in reports] == sorted(
        [linked.meetings, linked.survivors], key=lambda i: (i.order, i.code)
    )
    assert all(r.release is None and r.figure.value is None for r in reports)
    assert "No figures published yet." in _text(response)


@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_every_reader_reads_the_published_release_only(linked: ReleaseWorld, reader: str) -> None:
    release = _publish(linked)
    assert _plant_sentinel(linked, release) > 0
    # The detail changes after publication: the page must still show the release's figure.
    meetings = _government_total(linked, linked.meetings)
    client = Client() if reader == "anonymous" else _signed_in(linked.coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    by_code = {r.indicator.code: r for r in response.context["reports"]}
    assert set(by_code) == {"PA-01", "PRO-01"}  # the restricted PRO-09 is left out
    assert by_code["PA-01"].release == release
    assert by_code["PA-01"].figure.value == float(meetings.value)
    survivors = _government_total(linked, linked.survivors)
    if survivors.flag:
        assert by_code["PRO-01"].figure.value is None and by_code["PRO-01"].figure.flag
    text = _text(response)
    assert not LEAK.search(text), text
    assert "PRO-09" not in text


def test_a_withdrawn_release_is_read_by_no_one(linked: ReleaseWorld) -> None:
    release = _publish(linked)
    release_withdraw(by=linked.coordinator, release=release, reason="wrong figures")
    reports = Client().get(URL).context["reports"]
    assert all(r.release is None and r.figure.value is None for r in reports)


def test_the_wording_says_what_it_is_in_each_language() -> None:
    client = Client()
    english = _text(client.get(URL, headers={"accept-language": "en"}))
    assert "Official wording, verified against: unstats.un.org" in english
    french = client.get("/global-indicators/sdg/5.5.1a/", headers={"accept-language": "fr"})
    assert french.context["wording_kind"] == "official"
    arabic = client.get("/global-indicators/sdg/5.5.1a/", headers={"accept-language": "ar"})
    assert arabic.context["wording_kind"] == "working"
    # An entry with no wording in the reader's language falls back to the English label.
    untranslated = client.get("/global-indicators/sg-wps/4/", headers={"accept-language": "ar"})
    assert untranslated.context["wording_kind"] == "fallback"
    assert 'lang="en" dir="ltr"' in untranslated.content.decode()


def test_the_crosswalk_is_shown_both_ways() -> None:
    links = Client().get("/global-indicators/sdg/5.5.1a/").context["links"]
    named = {(relation, str(other)) for relation, other, _verified in links}
    assert ("narrower", "sdg:16.7.1") in named  # 16.7.1 is broader than 5.5.1a
    assert ("same", "sdg-series:SG_GEN_PARL") in named
    assert ("close", "sg-wps:12a") in named


def test_an_unknown_entry_is_not_found() -> None:
    assert Client().get("/global-indicators/sdg/99.9.9/").status_code == 404


def test_the_reads_do_not_grow_with_the_indicators_reported(rw: ReleaseWorld) -> None:
    """One query for the releases and one for the figures, however many plans and indicators
    report the entry (it read one release a plan and one figure an indicator)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wpsmonitor.portal.public_selectors import global_indicator_across_plans

    entry = GlobalIndicator.objects.get(vocabulary="sdg", code="16.7.1")
    rw.meetings.references.add(entry)
    _publish(rw)
    anonymous = AnonymousUser()
    with CaptureQueriesContext(connection) as one:
        assert len(global_indicator_across_plans(anonymous, entry)) == 1
    rw.survivors.references.add(entry)
    with CaptureQueriesContext(connection) as two:
        reports = global_indicator_across_plans(anonymous, entry)
    assert len(reports) == 2 and all(r.release is not None for r in reports)
    assert all(r.figure.value is not None or r.figure.flag for r in reports)
    assert len(two) == len(one)
