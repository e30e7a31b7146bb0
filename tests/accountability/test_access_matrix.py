"""Role x object x action for recommendations, pages and API alike.

The answer must be the allowed one, or: 404 when the object is hidden from the role, 403 when
they may see it but not do this, a redirect to sign in (pages) or 401 (API) when anonymous.
A civil-society draft assessment is hidden from everyone outside its organisation, the
administrator included; no government role can change an assessment, published or not.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.accountability.conftest import Tracker, build_tracker

from wpsmonitor.accountability.models import Assessment, Decision, Recommendation, Response
from wpsmonitor.accounts.models import ApiToken

ROLES = [
    "admin",
    "coordinator",
    "focal",
    "focal_other_area",
    "police_focal",
    "monitor",
    "other_monitor",
    "viewer",
    "outsider",
    "anonymous",
]
SIGNED_IN = set(ROLES) - {"anonymous"}
COORD = {"admin", "coordinator"}
MINISTRY_FOCAL = {"focal", "focal_other_area"}

# action -> roles for which it succeeds; "sees": refused with 403; everyone else: hidden (404)
# or, anonymous, sent to sign in / 401.
MATRIX: dict[str, dict[str, Any]] = {
    "summary page": {"ok": set(ROLES)},
    "detail page": {"ok": set(ROLES)},
    "add recommendation": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "respond for the ministry": {"ok": MINISTRY_FOCAL, "sees": SIGNED_IN - MINISTRY_FOCAL},
    "assess for women-network": {"ok": {"monitor"}, "sees": SIGNED_IN - {"monitor"}},
    "edit published assessment": {"ok": {"monitor"}, "sees": SIGNED_IN - {"monitor"}},
    "publish the draft": {"ok": {"monitor"}},
    "record a decision": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "set the status": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "record a review": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "api summary": {"ok": SIGNED_IN},
    "api create": {"ok": COORD, "sees": SIGNED_IN - COORD},
    "api respond": {"ok": MINISTRY_FOCAL, "sees": SIGNED_IN - MINISTRY_FOCAL},
    "api assess": {"ok": {"monitor"}, "sees": SIGNED_IN - {"monitor"}},
    "api publish the draft": {"ok": {"monitor"}},
    "api decision": {"ok": COORD, "sees": SIGNED_IN - COORD},
}


def _outcomes(role: str, t: Tracker) -> dict[str, int]:
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        user = t.users[role]
        client.force_login(user)
        _token, raw = ApiToken.issue(user=user, name="matrix")
        headers = {"Authorization": f"Bearer {raw}"}
    code = t.plan.code
    base = f"/plans/{code}/recommendations"
    r1, r2 = t.recs["r1"].pk, t.recs["r2"].pk
    api = f"/api/v1/plans/{code}/recommendations"

    def post(url: str, data: dict[str, Any]) -> int:
        return client.post(url, data).status_code

    def send(method: str, url: str, body: dict[str, Any]) -> int:
        call = client.put if method == "put" else client.post
        return call(api + url, body, content_type="application/json", headers=headers).status_code

    return {
        "summary page": client.get(base + "/").status_code,
        "detail page": client.get(f"{base}/{r1}/").status_code,
        "add recommendation": post(
            base + "/add/",
            {
                "source": "upr",
                "issued_on": "2024-02-01",
                "text": "New",
                "addressees": ["mogender"],
            },
        ),
        "respond for the ministry": post(
            f"{base}/{r2}/act/",
            {"do": "respond", "organisation": "mogender", "text": "Done", "status": "partly"},
        ),
        "assess for women-network": post(
            f"{base}/{r2}/act/",
            {"do": "assess", "organisation": "women-network", "status": "partly"},
        ),
        "edit published assessment": post(
            f"{base}/{r1}/act/",
            {"do": "assess", "organisation": "women-network", "status": "fully"},
        ),
        "publish the draft": post(
            f"{base}/{r2}/act/", {"do": "publish", "assessment": t.draft.pk, "confirm": "yes"}
        ),
        "record a decision": post(
            f"{base}/{r1}/act/",
            {
                "do": "decide",
                "organisation": "mogender",
                "text": "Funded",
                "decided_on": "2025-01-01",
            },
        ),
        "set the status": post(f"{base}/{r1}/act/", {"do": "status", "status": "partly"}),
        "record a review": post(
            f"/plans/{code}/reviews/add/",
            {"kind": "final", "title": "Final", "held_on": "2027-12-01"},
        ),
        "api summary": client.get(api + "/summary", headers=headers).status_code,
        "api create": send(
            "post",
            "",
            {"source": "upr", "issued_on": "2024-02-01", "text": "New", "addressees": ["police"]},
        ),
        "api respond": send(
            "post",
            f"/{r2}/responses",
            {"organisation": "mogender", "text": "Done", "status": "partly"},
        ),
        "api assess": send(
            "put", f"/{r2}/assessment", {"organisation": "women-network", "status": "fully"}
        ),
        "api publish the draft": send(
            "post", f"/{r2}/assessment/publish", {"organisation": "women-network"}
        ),
        "api decision": send(
            "post",
            f"/{r1}/decisions",
            {"organisation": "mogender", "text": "Funded", "decided_on": "2025-01-01"},
        ),
    }


def _expected(action: str, role: str) -> set[int]:
    rule = MATRIX[action]
    if role in rule["ok"]:
        return {200, 201, 302}
    if role == "anonymous":
        return {401} if action.startswith("api") else {302}
    if role in rule.get("sees", set()):
        return {403}
    return {404}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrix(role: str) -> None:
    t = build_tracker()
    before = {
        "recs": Recommendation.objects.count(),
        "responses": Response.objects.count(),
        "decisions": Decision.objects.count(),
        "published": Assessment.objects.filter(published_at__isnull=False).count(),
    }
    got = _outcomes(role, t)
    wrong = {a: s for a, s in got.items() if s not in _expected(a, role)}
    assert not wrong, f"{role}: {wrong}"
    if not any(role in MATRIX[a]["ok"] for a in MATRIX if a not in ("summary page", "detail page")):
        # A role refused everything changed nothing.
        after = {
            "recs": Recommendation.objects.count(),
            "responses": Response.objects.count(),
            "decisions": Decision.objects.count(),
            "published": Assessment.objects.filter(published_at__isnull=False).count(),
        }
        assert after == before
    published = Assessment.objects.get(pk=t.published.pk)
    if role != "monitor":
        # Nobody but its organisation changed it, the administrator included.
        assert (published.status, published.comment) == ("partly", "The law is not applied.")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_draft_assessment_visible_to_its_organisation_only(role: str) -> None:
    t = build_tracker()
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        client.force_login(t.users[role])
        _token, raw = ApiToken.issue(user=t.users[role], name="t")
        headers = {"Authorization": f"Bearer {raw}"}
    r2 = t.recs["r2"].pk
    page = client.get(f"/plans/{t.plan.code}/recommendations/{r2}/").content.decode()
    summary = client.get(f"/plans/{t.plan.code}/recommendations/").content.decode()
    seen = "SECRET DRAFT" in page
    assert seen is (role == "monitor")
    assert "SECRET DRAFT" not in summary
    if role != "anonymous":
        body = client.get(
            f"/api/v1/plans/{t.plan.code}/recommendations/{r2}", headers=headers
        ).json()
        assert bool(body["assessments"]) is (role == "monitor")
    # The published one is public.
    r1 = t.recs["r1"].pk
    page1 = client.get(f"/plans/{t.plan.code}/recommendations/{r1}/").content.decode()
    assert "The law is not applied." in page1
