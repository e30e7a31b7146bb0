"""Role x action for the standard reports in the cycle, pages and API alike
(accounts/access.py, "Standard reports"; docs/reports.md, "Rights").

The answer must be the allowed one, or: 404 when the report is hidden from the role, 403 when
they may see the page but not do this, a redirect to sign in (pages) or 401 (API) for an
anonymous visitor where signing in is needed. An internal version is never reachable
anonymously; a published public version is, by anyone who reads the plan.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from tests.boards.conftest import Built, build_board

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.reports.models import GeneratedReport

ROLES = [
    "admin",
    "coordinator",
    "focal",
    "monitor",
    "viewer",
    "gov_member",
    "cs_member",
    "former_member",
    "outsider",
    "anonymous",
]
SIGNED_IN = set(ROLES) - {"anonymous"}
COORD = {"admin", "coordinator"}
DETAIL = COORD | {"focal", "monitor", "viewer"}  # sees_detail: the plan's members
BOARD = {"focal", "monitor", "gov_member", "cs_member"}  # current seats with an account

# action -> roles for which it succeeds; "sees": refused with 403; everyone else: hidden (404),
# or, anonymous, sent to sign in / 401 where "login" is set.
MATRIX: dict[str, dict[str, Any]] = {
    "list page": {"ok": set(ROLES)},
    "internal page": {"ok": DETAIL},
    "internal pdf": {"ok": DETAIL},
    "internal xlsx": {"ok": DETAIL},
    "unpublished public page": {"ok": DETAIL},
    "board's document pdf": {"ok": DETAIL | BOARD},
    "published pdf": {"ok": set(ROLES)},
    "published docx": {"ok": set(ROLES)},
    "request a report": {"ok": COORD, "sees": SIGNED_IN - COORD, "login": True},
    "publish": {"ok": COORD, "sees": DETAIL - COORD, "login": True},
    "regenerate": {"ok": COORD, "sees": DETAIL - COORD, "login": True},
    "narratives page": {"ok": COORD, "sees": SIGNED_IN - COORD, "login": True},
    "template page": {"ok": COORD, "sees": SIGNED_IN - COORD, "login": True},
    "api list": {"ok": SIGNED_IN, "login": True},
    "api internal": {"ok": DETAIL, "login": True},
    "api internal document": {"ok": DETAIL, "login": True},
    "api internal file": {"ok": DETAIL, "login": True},
    "api published document": {"ok": SIGNED_IN, "login": True},
    "api request": {"ok": COORD, "sees": SIGNED_IN - COORD, "login": True},
    "api publish": {"ok": COORD, "sees": DETAIL - COORD, "login": True},
}


def ready(built: Built, version: str, *, published: bool = False, periodic: Any = None) -> Any:
    """A generated report as the task leaves it (small files: the rights do not read them)."""
    report = GeneratedReport(
        plan=built.plan,
        scope="year",
        year=2024,
        version=version,
        language="en",
        status="ready",
        progress=100,
        title=f"Annual report 2024 ({version}{', published' if published else ''})",
        content_hash="a" * 64,
        document={"plan": built.plan.code, "sections": []},
        periodic_report=periodic,
        published=published,
        published_at=timezone.now() if published else None,
        requested_by=built.users["coordinator"],
        finished_at=timezone.now(),
    )
    report.pdf.save("pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    report.docx.save("docx", ContentFile(b"PK docx"), save=False)
    report.xlsx.save("xlsx", ContentFile(b"PK xlsx"), save=False)
    report.save()
    return report


def _outcomes(role: str, b: Built) -> dict[str, int]:
    internal = ready(b, "internal")
    draft = ready(b, "public")
    document = ready(b, "public", periodic=b.awaiting)
    published = ready(b, "public", published=True)
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        user = b.users[role]
        client.force_login(user)
        _token, raw = ApiToken.issue(user=user, name="matrix")
        headers = {"Authorization": f"Bearer {raw}"}
    base = f"/plans/{b.plan.code}/standard-reports"
    api = f"/api/v1/plans/{b.plan.code}/standard-reports"

    def get(url: str) -> int:
        return client.get(url).status_code

    def api_get(url: str) -> int:
        return client.get(api + url, headers=headers).status_code

    def api_post(url: str, body: dict[str, Any]) -> int:
        return client.post(
            api + url, body, content_type="application/json", headers=headers
        ).status_code

    year = b.plan.start.year
    asked = {"scope": "year", "year": year, "version": "internal", "language": "en"}
    return {
        "list page": get(base + "/"),
        "internal page": get(f"{base}/{internal.pk}/"),
        "internal pdf": get(f"{base}/{internal.pk}/pdf/"),
        "internal xlsx": get(f"{base}/{internal.pk}/xlsx/"),
        "unpublished public page": get(f"{base}/{draft.pk}/"),
        "board's document pdf": get(f"{base}/{document.pk}/pdf/"),
        "published pdf": get(f"{base}/{published.pk}/pdf/"),
        "published docx": get(f"{base}/{published.pk}/docx/"),
        "request a report": client.post(base + "/request/", asked).status_code,
        "publish": client.post(
            f"{base}/{draft.pk}/act/", {"do": "publish", "confirm": "yes"}
        ).status_code,
        "regenerate": client.post(f"{base}/{internal.pk}/act/", {"do": "regenerate"}).status_code,
        "narratives page": get(base + "/narratives/"),
        "template page": get(base + "/template/"),
        "api list": api_get(""),
        "api internal": api_get(f"/{internal.pk}"),
        "api internal document": api_get(f"/{internal.pk}/document"),
        "api internal file": api_get(f"/{internal.pk}/files/pdf"),
        "api published document": api_get(f"/{published.pk}/document"),
        "api request": api_post("", asked),
        "api publish": api_post(f"/{ready(b, 'public').pk}/publish", {}),
    }


def _expected(action: str, role: str) -> set[int]:
    rule = MATRIX[action]
    page = not action.startswith("api")
    if role in rule["ok"]:
        # Page writes redirect after POST (302); the API's request answers 202.
        return {200, 302} if page else {200, 202}
    if role == "anonymous" and (rule.get("login") or not page):
        return {302} if page else {401}
    if role in rule.get("sees", set()):
        return {403}
    return {404}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(db: None, role: str, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    found = _outcomes(role, build_board())
    wrong = {a: s for a, s in found.items() if s not in _expected(a, role)}
    assert not wrong, f"{role}: {wrong}"


def test_anonymous_visitors_never_reach_an_internal_version(
    db: None, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    b = build_board()
    internal = ready(b, "internal")
    published = ready(b, "public", published=True)
    anonymous = Client()
    base = f"/plans/{b.plan.code}/standard-reports"
    listing = anonymous.get(base + "/").content.decode()
    assert published.title in listing and internal.title not in listing
    for fmt in ("pdf", "docx", "xlsx"):
        assert anonymous.get(f"{base}/{internal.pk}/{fmt}/").status_code == 404
        answer = anonymous.get(f"{base}/{published.pk}/{fmt}/")
        assert answer.status_code == 200
        assert answer["Content-Disposition"].startswith("attachment")
    assert anonymous.get(f"{base}/{internal.pk}/").status_code == 404


def test_writes_that_succeed_really_happened(db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    b = build_board()
    draft = ready(b, "public")
    client = Client()
    client.force_login(b.users["coordinator"])
    base = f"/plans/{b.plan.code}/standard-reports"
    # Publishing asks first: without confirm=yes, nothing is published.
    assert client.post(f"{base}/{draft.pk}/act/", {"do": "publish"}).status_code == 200
    assert not GeneratedReport.objects.get(pk=draft.pk).published
    client.post(f"{base}/{draft.pk}/act/", {"do": "publish", "confirm": "yes"})
    assert GeneratedReport.objects.get(pk=draft.pk).published
