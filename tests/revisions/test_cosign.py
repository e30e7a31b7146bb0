"""The board's co-signature of a plan version and abandoning a draft (docs/revisions.md, "The
board's co-signature", "Abandoning a draft"): who may sign, approval refused until a government
and a civil-society member have signed the draft as it stands, a signature given on an earlier
content no longer counting, the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import ApiToken, PlanRole, Role
from wpsmonitor.boards import selectors as board_selectors
from wpsmonitor.boards import services as board_services
from wpsmonitor.boards.models import VersionSignature
from wpsmonitor.boards.selectors import versions_to_sign
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.services import target_set
from wpsmonitor.plans.models import PlanVersion, VersionStatus
from wpsmonitor.plans.versions import board_cosigned, content_hash
from wpsmonitor.revisions import services

from .conftest import RevisionWorld, build_revision_world


@dataclass
class CosignWorld:
    rw: RevisionWorld
    users: dict[str, User]
    draft: PlanVersion

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.rw.plan

    def access(self, name: str) -> PlanAccess:
        return PlanAccess.load(self.users[name], self.plan)


def build_cosign_world() -> CosignWorld:
    rw = build_revision_world()
    users = dict(rw.users)
    ministry = Organisation.objects.create(code="mingender", name="Ministry", type="government")
    cso = Organisation.objects.create(code="coalition", name="Coalition", type="civil_society")
    court = Organisation.objects.create(code="court", name="Court of Audit", type="government")
    for name in ("gov_chair", "cs_chair", "monitor", "auditor", "former"):
        users[name] = get_user_model().objects.create_user(username=name, password="x")
    PlanRole.objects.create(
        user=users["monitor"], plan=rw.plan, role=Role.MONITOR, organisation=cso
    )
    PlanRole.objects.create(
        user=users["auditor"], plan=rw.plan, role=Role.AUDITOR, organisation=court
    )
    board = board_services.board_save(
        by=users["coordinator"], plan=rw.plan, name="Board", requires_cosignature=True
    )
    since = date(2024, 1, 1)
    for user, side, org in (
        ("gov_chair", "government", ministry),
        ("cs_chair", "civil_society", cso),
    ):
        board_services.member_add(
            by=users["coordinator"], board=board, name=user.replace("_", " ").title(),
            side=side, organisation=org, user=users[user], since=since,
        )  # fmt: skip
    board_services.member_add(
        by=users["coordinator"], board=board, name="Former", side="civil_society",
        organisation=cso, user=users["former"], since=date(2020, 1, 1), until=date(2021, 1, 1),
    )  # fmt: skip
    draft = services.revision_prepare(
        access=rw.access(), kind="midterm", reason="Mid-term", review=rw.review,
        board_cosign_required=True,
    )  # fmt: skip
    return CosignWorld(rw=rw, users=users, draft=draft)


@pytest.fixture
def cw(db: None) -> CosignWorld:
    return build_cosign_world()


def reread(version: PlanVersion) -> PlanVersion:
    return PlanVersion.objects.get(pk=version.pk)


# The role matrix: who may co-sign a draft that requires it.
SIGNERS = {
    "gov_chair": True,  # a current member with an account, government side
    "cs_chair": True,  # a current member with an account, civil-society side
    "coordinator": False,  # approves; signs only with a seat of their own
    "viewer": False,  # a plan member without a seat
    "monitor": False,  # a civil-society monitor without a seat
    "auditor": False,
    "outsider": False,  # no role, no seat
    "former": False,  # a seat that ended
}


@pytest.mark.parametrize(("name", "allowed"), SIGNERS.items())
def test_only_a_current_board_member_signs_for_their_side(
    cw: CosignWorld, name: str, allowed: bool
) -> None:
    assert cw.access(name).can_cosign_version(cw.draft) is allowed
    if allowed:
        board_services.version_sign(by=cw.users[name], version=cw.draft)
        signature = VersionSignature.objects.get(version=cw.draft)
        expected = "government" if name == "gov_chair" else "civil_society"
        assert signature.side == expected and signature.by == cw.users[name]
        assert signature.content_hash == content_hash(cw.draft)
    else:
        with pytest.raises(PermissionDenied):
            board_services.version_sign(by=cw.users[name], version=cw.draft)
        assert not VersionSignature.objects.exists()


def test_approval_waits_for_both_sides_then_goes_through(cw: CosignWorld) -> None:
    coordinator = cw.rw.access()
    with pytest.raises(ValidationError, match="co-signature of this version"):
        services.revision_approve(access=coordinator, version=cw.draft)
    board_services.version_sign(by=cw.users["gov_chair"], version=cw.draft)
    assert reread(cw.draft).board_cosigned_at is None
    state = board_selectors.version_signing(cw.draft)
    assert state.state_text() == "Signed for government; awaiting a civil-society signature."
    with pytest.raises(ValidationError):
        services.revision_approve(access=coordinator, version=reread(cw.draft))
    assert reread(cw.draft).status == VersionStatus.DRAFT
    with pytest.raises(ValidationError, match="already signed"):
        board_services.version_sign(by=cw.users["gov_chair"], version=cw.draft)
    board_services.version_sign(by=cw.users["cs_chair"], version=cw.draft)
    stamped = reread(cw.draft)
    assert stamped.board_cosigned_at is not None and board_cosigned(stamped)
    approved = services.revision_approve(access=coordinator, version=stamped)
    assert reread(approved).status == VersionStatus.CURRENT
    # The frozen version's content is the content signed: the co-signature still stands.
    assert board_cosigned(reread(approved))
    with pytest.raises(PermissionDenied):  # nothing to sign once approved
        board_services.version_withdraw(by=cw.users["gov_chair"], version=reread(approved))


def test_a_withdrawn_signature_unstamps_the_version(cw: CosignWorld) -> None:
    board_services.version_sign(by=cw.users["gov_chair"], version=cw.draft)
    board_services.version_sign(by=cw.users["cs_chair"], version=cw.draft)
    board_services.version_withdraw(by=cw.users["cs_chair"], version=cw.draft)
    assert reread(cw.draft).board_cosigned_at is None
    with pytest.raises(ValidationError):
        services.revision_approve(access=cw.rw.access(), version=reread(cw.draft))
    with pytest.raises(ValidationError, match="no signature to withdraw"):
        board_services.version_withdraw(by=cw.users["cs_chair"], version=cw.draft)


def test_a_change_of_the_draft_voids_the_signatures(cw: CosignWorld) -> None:
    board_services.version_sign(by=cw.users["gov_chair"], version=cw.draft)
    board_services.version_sign(by=cw.users["cs_chair"], version=cw.draft)
    signed_hash = content_hash(cw.draft)
    target_set(indicator=cw.rw.a, period="2025", value=250)  # the draft is the live framework
    assert content_hash(cw.draft) != signed_hash
    state = board_selectors.version_signing(cw.draft)
    assert state.sides == set() and len(state.stale) == 2
    assert versions_to_sign(cw.users["gov_chair"]) == [cw.draft]
    with pytest.raises(ValidationError, match="changed after the board co-signed"):
        services.revision_approve(access=cw.rw.access(), version=reread(cw.draft))
    # Signing the page's earlier content is refused: the draft is not signed unseen.
    with pytest.raises(ValidationError, match="changed since you opened it"):
        board_services.version_sign(
            by=cw.users["gov_chair"], version=cw.draft, expected_hash=signed_hash
        )
    for name in ("gov_chair", "cs_chair"):
        board_services.version_sign(by=cw.users[name], version=cw.draft)
    assert versions_to_sign(cw.users["gov_chair"]) == []
    services.revision_approve(access=cw.rw.access(), version=reread(cw.draft))
    assert reread(cw.draft).status == VersionStatus.CURRENT


def test_a_draft_without_the_requirement_is_approved_alone_and_not_signed(
    rw: RevisionWorld,
) -> None:
    draft = services.revision_prepare(access=rw.access(), kind="correction")
    assert not rw.access().can_cosign_version(draft)
    services.revision_approve(access=rw.access(), version=draft)
    assert reread(draft).status == VersionStatus.CURRENT


def test_abandoning_puts_dropped_indicators_back_and_keeps_the_row(cw: CosignWorld) -> None:
    coordinator = cw.rw.access()
    services.indicator_drop(access=coordinator, version=cw.draft, indicator=cw.rw.b)
    with pytest.raises(PermissionDenied):
        services.revision_abandon(access=cw.rw.access("viewer"), version=cw.draft)
    with pytest.raises(PermissionDenied):
        services.revision_abandon(access=cw.access("gov_chair"), version=cw.draft)
    services.revision_abandon(access=coordinator, version=cw.draft)
    gone = reread(cw.draft)
    assert gone.status == VersionStatus.ABANDONED and gone.abandoned_at is not None
    assert gone.abandoned_by == cw.users["coordinator"]
    assert Indicator.objects.get(pk=cw.rw.b.pk).retired_in is None
    with pytest.raises(ValidationError, match="never changed"):
        services.revision_abandon(access=coordinator, version=gone)
    with pytest.raises(ValidationError, match="never changed"):
        services.revision_approve(access=coordinator, version=gone)
    nxt = services.revision_prepare(access=coordinator, kind="correction")
    assert nxt.number == 3  # the abandoned number is not reused
    from wpsmonitor.revisions.selectors import previous_version

    assert previous_version(nxt).number == 1  # type: ignore[union-attr]


def test_a_current_version_is_not_abandoned(cw: CosignWorld) -> None:
    first = PlanVersion.objects.get(plan=cw.plan, number=1)
    with pytest.raises(ValidationError):
        services.revision_abandon(access=cw.rw.access(), version=first)


# Pages ----------------------------------------------------------------------------------------


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_signature_page_signs_after_confirmation_and_shows_sides(cw: CosignWorld) -> None:
    code, n = cw.plan.code, cw.draft.number
    page = f"/plans/{code}/versions/{n}/signatures/"
    act = page + "act/"
    gov = client_for(cw.users["gov_chair"])
    body = gov.get(page).content.decode()
    assert "Sign the version" in body and "Awaiting the signatures" in body
    asked = gov.post(act, {"do": "sign", "content": content_hash(cw.draft)})
    assert asked.status_code == 200 and "Sign version 2 of the plan?" in asked.content.decode()
    assert not VersionSignature.objects.exists()
    done = gov.post(act, {"do": "sign", "content": content_hash(cw.draft), "confirm": "yes"})
    assert done.status_code == 302
    body = gov.get(page).content.decode()
    assert "Gov Chair" in body and "Withdraw my signature" in body
    assert "Signed for government; awaiting a civil-society signature." in body
    for name in ("viewer", "monitor", "auditor", "coordinator"):
        reader = client_for(cw.users[name])
        assert reader.get(page).status_code == 200
        assert "Sign the version" not in reader.get(page).content.decode()
        assert reader.post(act, {"do": "sign", "confirm": "yes"}).status_code == 403
    outsider = client_for(cw.users["outsider"])
    assert outsider.post(act, {"do": "sign", "confirm": "yes"}).status_code == 403
    assert VersionSignature.objects.count() == 1
    version_page = client_for(cw.users["coordinator"]).get(f"/plans/{code}/versions/{n}/")
    text = version_page.content.decode()
    assert "awaiting the signatures" in text and "approval will be refused" in text


def test_approve_page_refuses_with_the_reason_then_abandon_asks_first(cw: CosignWorld) -> None:
    code, n = cw.plan.code, cw.draft.number
    coordinator = client_for(cw.users["coordinator"])
    answer = coordinator.post(f"/plans/{code}/versions/{n}/approve/", follow=True)
    assert "co-signature of this version" in answer.content.decode()
    assert reread(cw.draft).status == VersionStatus.DRAFT
    asked = coordinator.post(f"/plans/{code}/versions/{n}/abandon/")
    assert asked.status_code == 200 and "This cannot be undone." in asked.content.decode()
    assert reread(cw.draft).status == VersionStatus.DRAFT
    assert (
        client_for(cw.users["gov_chair"])
        .post(f"/plans/{code}/versions/{n}/abandon/", {"confirm": "yes"})
        .status_code
        == 403
    )
    coordinator.post(f"/plans/{code}/versions/{n}/abandon/", {"confirm": "yes"})
    assert reread(cw.draft).status == VersionStatus.ABANDONED
    page = client_for(cw.users["viewer"]).get(f"/plans/{code}/versions/{n}/").content.decode()
    assert "An abandoned draft: never approved" in page and "Abandon the draft" not in page


# API ------------------------------------------------------------------------------------------


def bearer(user: User) -> dict[str, str]:
    _token, key = ApiToken.issue(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_cosign_then_approve(cw: CosignWorld) -> None:
    code, n = cw.plan.code, cw.draft.number
    client = Client()
    base = f"/api/v1/plans/{code}/versions/{n}"
    refused = client.post(f"{base}/approve", **bearer(cw.users["coordinator"]))
    assert refused.status_code == 400
    assert client.post(f"{base}/signatures/sign", {}, content_type="application/json",
                       **bearer(cw.users["monitor"])).status_code == 403  # fmt: skip
    assert client.post(f"{base}/approve", **bearer(cw.users["gov_chair"])).status_code == 403
    for name in ("gov_chair", "cs_chair"):
        answer = client.post(
            f"{base}/signatures/sign", {}, content_type="application/json", **bearer(cw.users[name])
        )
        assert answer.status_code == 200, answer.content
    read = client.get(f"{base}/signatures", **bearer(cw.users["viewer"])).json()
    assert read["cosigned"] is True and read["signed_sides"] == ["civil_society", "government"]
    assert {s["member"] for s in read["signatures"]} == {"Gov Chair", "Cs Chair"}
    approved = client.post(f"{base}/approve", **bearer(cw.users["coordinator"]))
    assert approved.status_code == 200 and approved.json()["status"] == "current"
    assert approved.json()["board_cosigned"] is True
