"""The oversight roles (docs/oversight.md, "Auditing bodies and parliament"; docs/security.md):
an auditor and parliamentary oversight, role x object x action. Neither is a member of the plan:
no draft plan, no civil-society draft, no story, signal or allegation beyond what the public
reads, figures as published. The auditor adds the money's evidence (approved government
submissions); parliament adds what the coordinator shares with it. Only the coordinator (and
the administrator) grants and revokes them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.accountability.conftest import Tracker, tracker  # noqa: F401 - the fixture
from tests.conduct.conftest import ConductWorld, cw  # noqa: F401 - the fixture
from tests.earlywarning.conftest import WarningWorld, ww  # noqa: F401 - the fixture
from tests.stories.conftest import StoryWorld, sw  # noqa: F401 - the fixture

from wpsmonitor.accounts.access import (
    SIGNAL_COARSE,
    STORY_COARSE,
    PlanAccess,
    plan_access,
    readable_plans,
    requires_two_factor,
)
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.errors import NotFound
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting import services as reporting

pytestmark = pytest.mark.django_db

OVERSIGHT = ("auditor", "parliament")


def _overseers(plan: Plan) -> dict[str, Any]:
    """An auditor for a court of audit, parliamentary oversight for a committee."""
    court = Organisation.objects.create(code="court", name="Court of Audit", type="government")
    committee = Organisation.objects.create(
        code="committee", name="Gender committee", type="parliament"
    )
    users = {}
    for name, role, body in (
        ("auditor", Role.AUDITOR, court),
        ("parliament", Role.PARLIAMENT, committee),
    ):
        users[name] = get_user_model().objects.create_user(username=f"{name}-x", password="x")
        PlanRole.objects.create(user=users[name], plan=plan, role=role, organisation=body)
    return users


def test_an_overseer_is_not_a_member_and_sees_no_detail(tracker: Tracker) -> None:  # noqa: F811
    users = _overseers(tracker.plan)
    for name in OVERSIGHT:
        access = PlanAccess(users[name], tracker.plan)
        assert not access.is_member
        assert not access.sees_detail
        assert not access.can_read_signals()
        assert not access.can_read_selection_rounds()
        assert not access.can_see_generated_reports()
        assert not access.can_read_desk_cases()
        assert not access.can_read_training_detail()
        # Response files: the auditor reads them as evidence, parliament does not.
        assert access.can_download_response_evidence() is (name == "auditor")
        assert not access.can_manage()
        assert not access.can_manage_recommendations()
        # They read something unpublished (evidence, shared documents): a second factor.
        assert requires_two_factor(users[name])
    assert PlanAccess(tracker.users["viewer"], tracker.plan).sees_detail  # the contrast


def test_no_draft_plan(tracker: Tracker) -> None:  # noqa: F811
    users = _overseers(tracker.plan)
    Plan.objects.filter(pk=tracker.plan.pk).update(status=PlanStatus.DRAFT)
    for name in OVERSIGHT:
        with pytest.raises(NotFound):
            plan_access(users[name], tracker.plan.code)
        assert not Plan.objects.filter(readable_plans(users[name]), pk=tracker.plan.pk).exists()
        assert Client().get(f"/plans/{tracker.plan.code}/oversight/").status_code in (302, 404)
    # The viewer, a member, reads the draft.
    assert plan_access(tracker.users["viewer"], tracker.plan.code)


def test_no_civil_society_draft_assessment(tracker: Tracker) -> None:  # noqa: F811
    users = _overseers(tracker.plan)
    for name in OVERSIGHT:
        access = PlanAccess(users[name], tracker.plan)
        assert not access.can_view_assessment(tracker.draft)
        assert access.can_view_assessment(tracker.published)
        assert not access.can_edit_assessment(tracker.published)
        assert not access.can_assess()


def _submission(plan: Plan, kind: str, status: str) -> Any:
    return SimpleNamespace(
        round=SimpleNamespace(plan_id=plan.pk),
        source=SimpleNamespace(kind=kind),
        organisation_id=-1,
        area=None,
        status=status,
    )


@pytest.mark.parametrize(
    ("kind", "status", "auditor"),
    [
        ("government", "approved", True),
        ("government", "published", True),
        ("government", "submitted", False),
        ("government", "draft", False),
        ("civil_society", "approved", False),
        ("civil_society", "published", False),
    ],
)
def test_the_auditor_reads_approved_government_evidence_only(
    tracker: Tracker,  # noqa: F811
    kind: str,
    status: str,
    auditor: bool,
) -> None:
    users = _overseers(tracker.plan)
    submission = _submission(tracker.plan, kind, status)
    assert PlanAccess(users["auditor"], tracker.plan).can_view_submission(submission) is auditor
    assert not PlanAccess(users["parliament"], tracker.plan).can_view_submission(submission)


def test_unpublished_civil_society_indicators_stay_hidden(tracker: Tracker) -> None:  # noqa: F811
    users = _overseers(tracker.plan)
    indicator = SimpleNamespace(
        owner_organisation_id=tracker.cycle.other_cso.pk,
        published_at=None,
        sensitivity="open",
        share_of_id=None,
    )
    restricted = SimpleNamespace(
        owner_organisation_id=None,
        published_at=None,
        sensitivity="restricted",
        share_of_id=None,
        responsible_organisation_id=tracker.cycle.police.pk,
        pk=-1,
    )
    for name in OVERSIGHT:
        access = PlanAccess(users[name], tracker.plan)
        assert not access.can_view_indicator(indicator)  # type: ignore[arg-type]
        assert not access.can_view_indicator(restricted)  # type: ignore[arg-type]


def test_stories_read_as_the_public_reads_them(sw: StoryWorld) -> None:  # noqa: F811
    users = _overseers(sw.plan)
    draft = sw.story()
    shared = sw.story(title="Shared")
    sw.consent(shared, "monitoring")
    from wpsmonitor.stories import services as stories

    stories.story_share(by=sw.users["monitor"], story=shared)
    assert PlanAccess(sw.users["viewer"], sw.plan).story_reading(shared) in (
        STORY_COARSE,
        "full",
    )
    for name in OVERSIGHT:
        access = PlanAccess(users[name], sw.plan)
        assert access.story_reading(draft) is None
        assert access.story_reading(shared) is None


def test_signals_only_as_counts(ww: WarningWorld) -> None:  # noqa: F811
    users = _overseers(ww.plan)
    signal = ww.acknowledged()
    assert PlanAccess(ww.users["viewer"], ww.plan).signal_reading(signal) == SIGNAL_COARSE
    for name in OVERSIGHT:
        access = PlanAccess(users[name], ww.plan)
        assert access.signal_reading(signal) is None
        assert access.can_read_signal_figures()


def test_no_allegation(cw: ConductWorld) -> None:  # noqa: F811
    users = _overseers(cw.plan)
    allegation = cw.allegation()
    for name in OVERSIGHT:
        access = PlanAccess(users[name], cw.plan)
        assert not access.can_read_allegations(verified=True)
        assert not access.holds_allegation(allegation, verified=True)
        assert access.can_read_allegation_figures()


def test_what_each_role_adds(tracker: Tracker) -> None:  # noqa: F811
    users = _overseers(tracker.plan)
    auditor = PlanAccess(users["auditor"], tracker.plan)
    parliament = PlanAccess(users["parliament"], tracker.plan)
    court = Organisation.objects.get(code="court")
    committee = Organisation.objects.get(code="committee")
    assert auditor.can_record_audit(court.pk) and not auditor.can_record_audit(committee.pk)
    assert not auditor.can_record_hearing()
    assert auditor.can_read_audit_evidence() and not parliament.can_read_audit_evidence()
    assert auditor.can_record_recommendation("audit")
    assert not auditor.can_record_recommendation("parliament")
    assert not auditor.can_record_recommendation("cedaw")
    assert parliament.can_record_hearing(committee.pk)
    assert not parliament.can_record_hearing(court.pk)
    assert not parliament.can_record_audit()
    assert parliament.can_record_recommendation("parliament")
    assert not parliament.can_record_recommendation("audit")
    assert parliament.can_read_parliament_shares() and not auditor.can_read_parliament_shares()
    assert not parliament.can_share_with_parliament()
    viewer = PlanAccess(tracker.users["viewer"], tracker.plan)
    assert not viewer.can_record_audit() and not viewer.can_read_parliament_shares()


# Who grants them: the coordinator and the administrator, as the other government roles; never
# an organisation administrator, a focal point, a monitor or an overseer.
GRANTERS = {"coordinator": True, "admin": True, "focal": False, "monitor": False, "viewer": False}


@pytest.mark.parametrize("granter", GRANTERS)
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PARLIAMENT])
def test_who_grants_the_oversight_roles(tracker: Tracker, granter: str, role: str) -> None:  # noqa: F811
    body = Organisation.objects.create(code="body", name="Body", type="government")
    user = get_user_model().objects.create_user(username="newcomer", password="x")
    by = tracker.users[granter]
    kwargs = {"by": by, "plan": tracker.plan, "user": user, "role": role, "organisation": body}
    if GRANTERS[granter]:
        reporting.role_grant(**kwargs)
        assert PlanRole.objects.filter(user=user, role=role, organisation=body).exists()
        reporting.role_revoke(
            by=by, role=PlanRole.objects.get(user=user, role=role), reason="Mandate ended"
        )
        assert not PlanRole.objects.filter(user=user).exists()
    else:
        with pytest.raises(PermissionDenied):
            reporting.role_grant(**kwargs)
        assert not PlanRole.objects.filter(user=user).exists()
    overseers = _overseers(tracker.plan)
    for name in OVERSIGHT:
        assert not PlanAccess(overseers[name], tracker.plan).can_grant_role(role, body.pk)


def test_an_oversight_role_needs_its_body(tracker: Tracker) -> None:  # noqa: F811
    user = get_user_model().objects.create_user(username="newcomer", password="x")
    with pytest.raises(ValidationError):
        reporting.role_grant(
            by=tracker.users["coordinator"], plan=tracker.plan, user=user, role=Role.AUDITOR
        )
    assert not PlanRole.objects.filter(user=user).exists()
