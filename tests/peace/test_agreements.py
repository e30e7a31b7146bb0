"""Agreements and gender provisions: the services, the government's latest status beside civil
society's assessment and where they differ (worked by hand), and who may do what."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.peace.agreement_world import AgreementWorld, build_agreement_world

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.peace import selectors, services
from wpsmonitor.peace.models import Agreement, GenderProvision, ProvisionAssessment


@pytest.fixture
def aw(db: None) -> AgreementWorld:
    return build_agreement_world()


def _status(aw: AgreementWorld, provision: GenderProvision, on: date, status: str) -> None:
    services.provision_status_record(
        by=aw.users["coordinator"], provision=provision, on=on, status=status
    )


def _assess(aw: AgreementWorld, provision: GenderProvision, status: str, publish: bool = True):  # type: ignore[no-untyped-def]
    return services.provision_assessment_save(
        by=aw.users["monitor"],
        provision=provision,
        organisation=aw.pw.women,
        assessed_on=date(2025, 10, 1),
        status=status,
        comment="Seen from the field.",
        publish=publish,
    )


def _view(aw: AgreementWorld, provision: GenderProvision, who: str = "viewer"):  # type: ignore[no-untyped-def]
    access = PlanAccess.load(aw.users[who], aw.plan)
    views = selectors.provision_views([aw.agreement], access.can_view_provision_assessment)
    return next(v for v in views if v.provision.pk == provision.pk)


# --- latest status and "differs", worked by hand ----------------------------------------------


def test_the_latest_status_is_the_one_of_the_latest_date_not_the_last_typed(
    aw: AgreementWorld,
) -> None:
    # Typed out of order: 2025-06 intermediate, then 2024-12 minimal. Latest: 2025-06.
    _status(aw, aw.participation, date(2025, 6, 30), "intermediate")
    _status(aw, aw.participation, date(2024, 12, 31), "minimal")
    view = _view(aw, aw.participation)
    assert [s.on for s in view.statuses] == [date(2024, 12, 31), date(2025, 6, 30)]
    assert view.latest is not None and view.latest.status == "intermediate"


def test_a_second_status_on_the_same_date_replaces_the_first(aw: AgreementWorld) -> None:
    _status(aw, aw.participation, date(2025, 6, 30), "minimal")
    _status(aw, aw.participation, date(2025, 6, 30), "full")
    view = _view(aw, aw.participation)
    assert len(view.statuses) == 1 and view.latest.status == "full"  # type: ignore[union-attr]


def test_differs_counts_steps_on_the_scale(aw: AgreementWorld) -> None:
    """Government latest: full (3). Civil society: minimal (1) → −2 steps, differs.
    On the violence provision: government minimal (1), civil society minimal → 0, same."""
    _status(aw, aw.participation, date(2024, 12, 31), "intermediate")
    _status(aw, aw.participation, date(2025, 9, 30), "full")
    _assess(aw, aw.participation, "minimal")
    _status(aw, aw.violence, date(2025, 9, 30), "minimal")
    _assess(aw, aw.violence, "minimal")
    (participation,) = _view(aw, aw.participation).comparisons
    assert participation.steps == -2 and participation.size == 2 and participation.differs
    (violence,) = _view(aw, aw.violence).comparisons
    assert violence.steps == 0 and not violence.differs
    assert _view(aw, aw.participation).differs and not _view(aw, aw.violence).differs


def test_civil_society_may_see_more_done_than_the_government(aw: AgreementWorld) -> None:
    _status(aw, aw.violence, date(2025, 9, 30), "not_initiated")
    _assess(aw, aw.violence, "intermediate")
    (c,) = _view(aw, aw.violence).comparisons
    assert c.steps == 2 and c.differs


def test_without_a_government_status_nothing_is_compared(aw: AgreementWorld) -> None:
    _assess(aw, aw.violence, "full")
    (c,) = _view(aw, aw.violence).comparisons
    assert c.steps is None and not c.differs


def test_a_status_before_the_signature_is_refused(aw: AgreementWorld) -> None:
    with pytest.raises(ValidationError):
        _status(aw, aw.participation, date(2024, 1, 1), "minimal")
    with pytest.raises(ValidationError):
        _status(aw, aw.participation, date(2025, 1, 1), "halfway")


# --- services ----------------------------------------------------------------------------------


def test_links_to_actions_and_budget_lines_are_kept(aw: AgreementWorld) -> None:
    assert list(aw.participation.actions.all()) == [aw.actions[0]]
    assert list(aw.participation.budget_lines.all()) == [aw.line]


def test_a_link_to_another_plan_s_budget_line_or_a_non_action_is_refused(
    aw: AgreementWorld,
) -> None:
    coordinator = aw.users["coordinator"]
    with pytest.raises(ValidationError):
        services.provision_record(
            by=coordinator, agreement=aw.agreement, category="WggEq", budget_lines=[aw.other_line]
        )
    with pytest.raises(ValidationError):
        services.provision_record(
            by=coordinator,
            agreement=aw.agreement,
            category="WggEq",
            actions=[aw.pw.world.outcomes["O1"]],
        )
    with pytest.raises(ValidationError):
        services.provision_record(by=coordinator, agreement=aw.agreement, category="WggNope")
    assert aw.agreement.provisions.count() == 2


def test_an_agreement_s_pax_id_is_unique_in_the_plan(aw: AgreementWorld) -> None:
    coordinator = aw.users["coordinator"]
    services.agreement_record(by=coordinator, plan=aw.plan, name="A", stage="Cea", pax_id=101)
    with pytest.raises(ValidationError):
        services.agreement_record(by=coordinator, plan=aw.plan, name="B", stage="Cea", pax_id=101)
    with pytest.raises(ValidationError):
        services.agreement_record(by=coordinator, plan=aw.plan, name="C", stage="Peace")
    with pytest.raises(ValidationError):
        services.agreement_record(
            by=coordinator, plan=aw.plan, name="D", stage="Cea", source_url="javascript:alert(1)"
        )


def test_an_assessment_is_one_per_organisation_changed_in_place(aw: AgreementWorld) -> None:
    first = _assess(aw, aw.violence, "minimal", publish=False)
    second = _assess(aw, aw.violence, "full", publish=False)
    assert first.pk == second.pk and second.status == "full" and second.published_at is None
    services.provision_assessment_publish(by=aw.users["monitor"], assessment=second)
    second.refresh_from_db()
    assert second.published_at is not None


def test_deleting_the_plan_deletes_agreements_and_all_under_them(aw: AgreementWorld) -> None:
    _status(aw, aw.participation, date(2025, 1, 1), "minimal")
    _assess(aw, aw.participation, "minimal")
    aw.plan.delete()
    assert not Agreement.objects.exists()
    assert not GenderProvision.objects.exists() and not ProvisionAssessment.objects.exists()


# --- rights: the role matrix ------------------------------------------------------------------

WRITERS = {"coordinator", "admin"}


@pytest.mark.parametrize(
    "who", ["coordinator", "admin", "monitor", "other_monitor", "focal", "viewer", "outsider"]
)
def test_only_the_coordinator_manages_agreements(aw: AgreementWorld, who: str) -> None:
    def write() -> None:
        services.agreement_record(by=aw.users[who], plan=aw.plan, name="X", stage="Pre")
        services.provision_status_record(
            by=aw.users[who], provision=aw.violence, on=date(2025, 1, 1), status="minimal"
        )
        services.provision_record(by=aw.users[who], agreement=aw.agreement, category="WggDev")

    if who in WRITERS:
        write()
    else:
        with pytest.raises(PermissionDenied):
            write()


@pytest.mark.parametrize(
    "who", ["coordinator", "admin", "focal", "viewer", "outsider", "other_monitor"]
)
def test_no_one_but_the_organisation_s_monitors_writes_in_its_name(
    aw: AgreementWorld, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.provision_assessment_save(
            by=aw.users[who],
            provision=aw.violence,
            organisation=aw.pw.women,
            assessed_on=date(2025, 1, 1),
            status="minimal",
        )
    assert not ProvisionAssessment.objects.exists()


def test_a_government_organisation_cannot_be_assessed_for(aw: AgreementWorld) -> None:
    with pytest.raises(PermissionDenied):
        services.provision_assessment_save(
            by=aw.users["focal"],
            provision=aw.violence,
            organisation=aw.pw.ministry,
            assessed_on=date(2025, 1, 1),
            status="minimal",
        )


@pytest.mark.parametrize(
    "who,sees",
    [
        ("monitor", True),
        ("other_monitor", False),
        ("coordinator", False),
        ("admin", False),
        ("focal", False),
        ("viewer", False),
        ("outsider", False),
    ],
)
def test_a_draft_assessment_is_read_by_its_organisation_only(
    aw: AgreementWorld, who: str, sees: bool
) -> None:
    draft = _assess(aw, aw.violence, "minimal", publish=False)
    access = PlanAccess.load(aw.users[who], aw.plan)
    assert access.can_view_provision_assessment(draft) is sees
    assert bool(_view(aw, aw.violence, who).comparisons) is sees
    assert access.can_edit_provision_assessment(draft) is sees
    if not sees:
        with pytest.raises(PermissionDenied):
            services.provision_assessment_publish(by=aw.users[who], assessment=draft)


def test_a_published_assessment_is_read_by_everyone_who_reads_the_plan(
    aw: AgreementWorld,
) -> None:
    published = _assess(aw, aw.violence, "minimal", publish=True)
    for who in ("coordinator", "focal", "viewer", "outsider", "other_monitor"):
        assert PlanAccess.load(aw.users[who], aw.plan).can_view_provision_assessment(published)
        assert not PlanAccess.load(aw.users[who], aw.plan).can_edit_provision_assessment(published)
