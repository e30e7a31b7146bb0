"""The auditor's list of approved submissions (docs/oversight.md): who opens it, what it lists
(approved or published government submissions and their files, never civil society's, a draft
or one under review), its filters and pages, every file it links downloadable by its reader,
and a fixed number of queries whatever the number of submissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.oversight.conftest import OversightWorld
from tests.reporting.helpers import field, save

from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Source
from wpsmonitor.reporting import services
from wpsmonitor.reporting.models import Evidence, Submission, SubmissionValue

pytestmark = pytest.mark.django_db


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence of " + name.encode(), "application/pdf")


def _org(code: str) -> Organisation:
    return Organisation.objects.create(code=code, name=f"Ministry {code}", type="government")


def _row(
    ow: OversightWorld, organisation: Any, status: str, filename: str, **kw: Any
) -> Submission:
    """A submission as it stands at some step, with one file: what the list must leave out
    (or, approved, what it lists), written directly for the read's sake."""
    c = ow.tracker.cycle
    source = kw.pop("source", None) or Source.objects.get(code=GOVERNMENT_SOURCE)
    submission = Submission.objects.create(
        round=c.round,
        organisation=organisation,
        area=kw.pop("area", c.province),
        source=source,
        status=status,
    )
    item = Evidence(
        submission=submission, filename=filename, content_type="application/pdf", size=9
    )
    item.file.save("evidence", ContentFile(b"%PDF-1.4 x"), save=False)
    item.save()
    return submission


@pytest.fixture
def world(ow: OversightWorld) -> dict[str, Submission]:
    c = ow.tracker.cycle
    u = ow.users
    approved = services.submission_start(
        by=u["focal"], round_=c.round, organisation=c.built.ministry, area=c.province
    )
    changes = {field(c.grid, "sex=F;age=18-29"): "7", field(c.yes_no, "total"): "1"}
    assert save(u["focal"], approved, changes).ok
    services.evidence_attach(
        by=u["focal"], submission=approved, upload=_pdf("approved-vouchers.pdf"), indicator=c.grid
    )
    assert services.submission_submit(by=u["focal"], submission=approved).ok
    services.submission_approve(by=u["coordinator"], submission=approved)
    cso_source = services.source_for(c.built.cso, civil_society=True)
    return {
        "approved": approved,
        "submitted": _row(ow, c.police, "submitted", "under-review.pdf"),
        "draft": _row(ow, c.police, "draft", "draft-file.pdf", area=c.other_province),
        "returned": _row(ow, c.built.ministry, "returned", "returned.pdf", area=c.other_province),
        "cso": _row(ow, c.built.cso, "published", "cso-testimony.pdf", source=cso_source),
        "cso draft": _row(
            ow,
            c.other_cso,
            "draft",
            "cso-draft.pdf",
            source=services.source_for(c.other_cso, civil_society=True),
        ),
    }


def _client(ow: OversightWorld, who: str | None) -> Client:
    client = Client()
    if who is not None:
        client.force_login(ow.users[who])
    return client


def _url(ow: OversightWorld, query: str = "") -> str:
    return f"/plans/{ow.plan.code}/oversight/evidence/{query}"


# who -> status of the page. The coordinator and the auditor read the money's evidence
# (`can_read_audit_evidence`); parliament, civil society, focal points, viewers do not.
MATRIX = {
    "coordinator": 200,
    "admin": 200,
    "auditor": 200,
    "parliament": 403,
    "monitor": 403,
    "focal": 403,
    "viewer": 403,
    "outsider": 403,
}


@pytest.mark.parametrize("who", [*MATRIX, None])
def test_who_opens_the_list(
    ow: OversightWorld, world: dict[str, Submission], who: str | None
) -> None:
    response = _client(ow, who).get(_url(ow))
    if who is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == MATRIX[who]
    index = _client(ow, who).get(f"/plans/{ow.plan.code}/oversight/").content.decode()
    # The oversight index links it for those who may open it, and only for them.
    assert (_url(ow) in index) == (MATRIX[who] == 200)


@pytest.mark.parametrize("who", ["coordinator", "auditor"])
def test_only_approved_government_submissions_are_listed(
    ow: OversightWorld, world: dict[str, Submission], who: str
) -> None:
    page = _client(ow, who).get(_url(ow)).content.decode()
    assert "approved-vouchers.pdf" in page
    assert f"/submissions/{world['approved'].pk}/" in page
    for left_out in (
        "under-review.pdf",
        "draft-file.pdf",
        "returned.pdf",
        "cso-testimony.pdf",
        "cso-draft.pdf",
    ):
        assert left_out not in page
    for key in ("submitted", "draft", "returned", "cso", "cso draft"):
        assert f"/submissions/{world[key].pk}/" not in page
    assert "1 approved submission" in page
    # Its figures: the two typed (a grid cell and a yes/no).
    assert '<td class="num">2</td>' in page


def test_every_file_listed_downloads_for_the_auditor_and_no_other(
    ow: OversightWorld, world: dict[str, Submission]
) -> None:
    client = _client(ow, "auditor")
    page = client.get(_url(ow)).content.decode()
    listed = Evidence.objects.filter(submission=world["approved"])
    for item in listed:
        assert f"/evidence/{item.pk}/" in page
        response = client.get(f"/evidence/{item.pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
        assert client.get(f"/submissions/{world['approved'].pk}/").status_code == 200
    for key in ("submitted", "draft", "cso", "cso draft"):
        hidden = Evidence.objects.get(submission=world[key])
        assert client.get(f"/evidence/{hidden.pk}/").status_code == 404


def test_a_published_government_submission_is_listed_too(
    ow: OversightWorld, world: dict[str, Submission]
) -> None:
    later = _row(ow, _org("interior"), "published", "interior-published.pdf")
    page = _client(ow, "auditor").get(_url(ow)).content.decode()
    assert "interior-published.pdf" in page and f"/submissions/{later.pk}/" in page


def test_filters_by_organisation_and_period(
    ow: OversightWorld, world: dict[str, Submission]
) -> None:
    c = ow.tracker.cycle
    police = _row(ow, _org("interior"), "approved", "police-approved.pdf", area=c.other_province)
    client = _client(ow, "auditor")
    only_police = client.get(_url(ow, "?organisation=interior")).content.decode()
    assert "police-approved.pdf" in only_police and "approved-vouchers.pdf" not in only_police
    assert f"/submissions/{police.pk}/" in only_police
    in_period = client.get(_url(ow, "?period=2025Q1")).content.decode()
    assert "police-approved.pdf" in in_period and "approved-vouchers.pdf" in in_period
    # A code that is no choice filters nothing (the form says "Any"), and tells nothing.
    unknown = client.get(_url(ow, "?period=1999&organisation=nobody"))
    assert unknown.status_code == 200
    assert "2 approved submissions" in unknown.content.decode()
    # The civil-society organisation is no choice: it has no approved government submission.
    assert 'value="cso"' not in in_period and 'value="interior"' in in_period
    assert 'value="police"' not in in_period  # under review and a draft only


def test_pages_of_the_list(
    ow: OversightWorld, world: dict[str, Submission], monkeypatch: pytest.MonkeyPatch
) -> None:
    from wpsmonitor.oversight import evidence_views

    monkeypatch.setattr(evidence_views, "PAGE_SIZE", 1)
    _row(ow, _org("interior"), "approved", "police-approved.pdf")
    client = _client(ow, "auditor")
    first = client.get(_url(ow, "?organisation=&period=2025Q1")).content.decode()
    assert "Page 1 of 2" in first and "period=2025Q1&amp;page=2" in first
    second = client.get(_url(ow, "?period=2025Q1&page=2")).content.decode()
    assert "Page 2 of 2" in second


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_fixed_number_of_queries(ow: OversightWorld, world: dict[str, Submission]) -> None:
    client = _client(ow, "auditor")
    _queries(client, _url(ow))  # the session's and the site's first reads
    one = _queries(client, _url(ow))
    c = ow.tracker.cycle
    for n in range(9):
        org = _org(f"min-{n}")
        s = _row(ow, org, "approved", f"file-{n}-a.pdf")
        Evidence.objects.create(
            submission=s,
            filename=f"file-{n}-b.pdf",
            content_type="application/pdf",
            size=3,
            file="evidence/x",
            indicator=c.grid,
            action=c.action,
        )
        SubmissionValue.objects.create(
            submission=s,
            indicator=c.yes_no,
            period=c.round.period,
            cell=c.yes_no.scheme.cells.first(),
            value=1,
        )
    page = client.get(_url(ow)).content.decode()
    assert "10 approved submissions" in page and "file-8-b.pdf" in page
    assert _queries(client, _url(ow)) == one
