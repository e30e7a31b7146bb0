"""Training and deployments: the impact indicators on hand-worked cases, who may enter what,
the all-or-nothing roster import with located problems, the pre-deployment training of the
deployed and the women's share against the parity targets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.security.conftest import SecurityWorld

from wpsmonitor.security import selectors, services
from wpsmonitor.security.models import (
    RANK_BAND_CATEGORY,
    Participation,
    Personnel,
    SecurityInstitution,
    TrainingSession,
)
from wpsmonitor.security.selectors import ScoreRecord, impact_of

pytestmark = pytest.mark.django_db


# The computations, by hand ---------------------------------------------------------------------


def test_impact_by_hand() -> None:
    # Four attendances of three people. Paired: p1 (40 -> 70, +30), p2 (60 -> 50, -10);
    # p3 has a post-test only; p1 attends twice, the second time with no tests.
    records = [
        ScoreRecord(1, "F", "of_junior", 40, 70, 65),  # follow-up 65 >= 70 - 10: retained
        ScoreRecord(2, "M", "or_other", 60, 50, 30),  # 30 < 50 - 10: not retained
        ScoreRecord(3, "F", "or_junior", None, 90, None),
        ScoreRecord(1, "F", "of_junior", None, None, None),
    ]
    found = impact_of("Unit A", records)
    assert (found.participants, found.women, found.men, found.attendances) == (3, 2, 1, 4)
    assert found.by_rank == {"officers": 1, "ncos": 1, "other_ranks": 1}
    assert found.mean_pre == 50  # (40 + 60) / 2
    assert found.mean_post == 70  # (70 + 50 + 90) / 3
    assert found.paired == 2
    assert found.mean_gain == 10  # (30 - 10) / 2: only the paired
    assert found.improving == 0.5
    assert found.mean_follow_up == 47.5
    assert found.retained == 0.5


def test_impact_of_nothing_is_empty_not_zero() -> None:
    found = impact_of("Empty", [])
    assert found.participants == 0
    assert found.mean_gain is None and found.improving is None and found.retained is None


def test_rank_bands_match_the_package() -> None:
    assert RANK_BAND_CATEGORY == services.RANK_CATEGORY


def test_public_impact_suppresses_small_groups() -> None:
    records = [ScoreRecord(i, "F", "or_other", 50, 60, None) for i in range(4)]
    shown = selectors.public_impact(impact_of("x", records), threshold=5)
    assert shown.participants is None and shown.mean_gain is None and shown.women is None
    records.append(ScoreRecord(9, "M", "or_other", 50, 70, None))
    shown = selectors.public_impact(impact_of("x", records), threshold=5)
    assert shown.participants == 5 and shown.mean_gain == 12
    assert shown.women is None  # 4 women: fewer than 5
    assert shown.men is None  # 1 man


# Entering -------------------------------------------------------------------------------------


def _session(sw: SecurityWorld, inst: SecurityInstitution, **kw: object) -> TrainingSession:
    course = services.course_create(
        by=sw.users["coordinator"], institution=inst, title="PSEA before deployment", topic="sea"
    )
    fields: dict[str, object] = {
        "starts_on": date(2025, 1, 6),
        "ends_on": date(2025, 1, 10),
        "phase": "before",
    }
    fields.update(kw)
    return services.session_create(by=sw.users["coordinator"], course=course, **fields)  # type: ignore[arg-type]


def test_focal_point_of_the_institution_enters_others_may_not(sw: SecurityWorld) -> None:
    inst = sw.institution()
    session = _session(sw, inst)
    made = services.participant_record(
        by=sw.users["police_focal"],
        session=session,
        service_number="PN-001",
        sex="f",
        rank="or_other",
        pre_score=40,
        post_score=80,
    )
    assert made.person.sex == "F"
    for who in ("army_focal", "viewer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.participant_record(
                by=sw.users[who], session=session, service_number="X1", sex="M", rank="or_other"
            )
    assert Personnel.objects.count() == 1


def test_scores_and_names_are_refused(sw: SecurityWorld) -> None:
    session = _session(sw, sw.institution())
    with pytest.raises(ValidationError) as caught:
        services.participant_record(
            by=sw.users["coordinator"],
            session=session,
            service_number="Jean Mukendi",
            sex="X",
            rank="general",
            pre_score=101,
        )
    assert set(caught.value.message_dict) == {"service_number", "sex", "rank", "pre_score"}
    assert not Participation.objects.exists()


def test_session_dates_and_phase_are_checked(sw: SecurityWorld) -> None:
    with pytest.raises(ValidationError) as caught:
        _session(sw, sw.institution(), ends_on=date(2025, 1, 1), phase="sometime")
    assert set(caught.value.message_dict) == {"ends_on", "phase"}


def test_follow_up_after_the_session(sw: SecurityWorld) -> None:
    session = _session(sw, sw.institution())
    made = services.participant_record(
        by=sw.users["coordinator"], session=session, service_number="A1", sex="M", rank="or_other"
    )
    with pytest.raises(ValidationError):
        services.follow_up_record(
            by=sw.users["coordinator"], participation=made, evaluated_on=date(2025, 1, 2), score=50
        )
    services.follow_up_record(
        by=sw.users["coordinator"],
        participation=made,
        evaluated_on=date(2025, 7, 1),
        score=75,
        evaluated_by="Gender adviser, 2nd battalion",
    )
    made.refresh_from_db()
    assert made.follow_up_score == 75


# The roster import ------------------------------------------------------------------------------

GOOD = (
    "service_number,sex,rank,unit,pre_score,post_score,follow_up_on,follow_up_score,follow_up_by\n"
    "PN-001,F,or_other,FPU 1,40,70,2025-06-01,65,GA\n"
    "PN-002,M,of_junior,FPU 1,60,50,,,\n"
    "PN-003,F,or_junior,,,90,,,\n"
)


def _file(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_roster_import_stores_the_roster_and_replaces_it(sw: SecurityWorld, tmp_path: Path) -> None:
    inst = sw.institution()
    services.unit_create(by=sw.users["coordinator"], institution=inst, name="FPU 1")
    session = _session(sw, inst)
    stored = services.roster_import(
        by=sw.users["police_focal"],
        session=session,
        path=_file(tmp_path, GOOD),
        filename="roster.csv",
    )
    assert stored == 3
    rows = {u.label: i for u, i in [(i, i) for _u, i in selectors.training_impact(inst)]}
    assert rows["FPU 1"].paired == 2 and rows["FPU 1"].mean_gain == 10
    assert rows["All units"].participants == 3
    assert rows["No unit recorded"].participants == 1
    # A second file replaces the session's roster.
    services.roster_import(
        by=sw.users["coordinator"],
        session=session,
        path=_file(tmp_path, "service_number,sex,rank\nPN-009,M,or_other\n"),
        filename="roster.csv",
    )
    assert list(selectors.roster(session).values_list("person__service_number", flat=True)) == [
        "PN-009"
    ]


def test_roster_import_is_all_or_nothing_with_located_problems(
    sw: SecurityWorld, tmp_path: Path
) -> None:
    inst = sw.institution()
    session = _session(sw, inst)
    bad = (
        "service_number,sex,rank,unit,pre_score,post_score\n"
        "PN-001,F,or_other,,40,70\n"
        "PN-002,W,of_junior,,60,150\n"
        "PN-001,M,or_other,Ghost unit,,\n"
    )
    with pytest.raises(services.RosterRefused) as caught:
        services.roster_import(
            by=sw.users["coordinator"], session=session, path=_file(tmp_path, bad), filename="r.csv"
        )
    messages = [p.message for p in caught.value.located()]
    assert any(m.startswith("r.csv:3:sex:") for m in messages)
    assert any(m.startswith("r.csv:3:post_score:") for m in messages)
    assert any(m.startswith("r.csv:4:service_number:") and "r.csv:2" in m for m in messages)
    assert any(m.startswith("r.csv:4:unit:") for m in messages)
    assert not Participation.objects.exists() and not Personnel.objects.exists()


def test_roster_with_a_name_column_or_hostile_file_is_refused(
    sw: SecurityWorld, tmp_path: Path
) -> None:
    session = _session(sw, sw.institution())
    with pytest.raises(services.RosterRefused) as caught:
        services.roster_import(
            by=sw.users["coordinator"],
            session=session,
            path=_file(tmp_path, "service_number,name,sex,rank\nA1,Jean,M,or_other\n"),
            filename="r.csv",
        )
    assert "name" in caught.value.located()[0].message
    zip_bomb = tmp_path / "bomb.xlsx"
    zip_bomb.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(services.RosterRefused) as caught:
        services.roster_import(
            by=sw.users["coordinator"], session=session, path=zip_bomb, filename="bomb.xlsx"
        )
    assert caught.value.located()[0].message.startswith("bomb.xlsx")


def test_roster_xlsx_locates_by_sheet(sw: SecurityWorld, tmp_path: Path) -> None:
    import openpyxl

    session = _session(sw, sw.institution())
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Roster"
    sheet.append(["service_number", "sex", "rank", "pre_score", "post_score"])
    sheet.append(["A1", "F", "or_other", 30, 60])
    sheet.append(["A2", "M", "or_other", "lots", 60])
    path = tmp_path / "r.xlsx"
    book.save(path)
    with pytest.raises(services.RosterRefused) as caught:
        services.roster_import(
            by=sw.users["coordinator"], session=session, path=path, filename="r.xlsx"
        )
    assert caught.value.located()[0].message.startswith("r.xlsx:Roster:3:pre_score:")
    sheet.delete_rows(3)
    book.save(path)
    assert (
        services.roster_import(
            by=sw.users["coordinator"], session=session, path=path, filename="r.xlsx"
        )
        == 1
    )


# Deployments ----------------------------------------------------------------------------------


def test_trained_before_deployment_counts_only_earlier_before_sessions(sw: SecurityWorld) -> None:
    inst = sw.institution()
    before = _session(sw, inst)  # ends 2025-01-10
    late = _session(sw, inst, starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 5))
    garrison = _session(sw, inst, phase="garrison")
    coordinator = sw.users["coordinator"]
    for number, sex, session in (
        ("P1", "F", before),  # trained
        ("P2", "M", late),  # a "before" session that ended after the start: not counted
        ("P3", "F", garrison),  # not a pre-deployment session
    ):
        services.participant_record(
            by=coordinator, session=session, service_number=number, sex=sex, rank="or_other"
        )
    services.participant_record(
        by=coordinator, session=before, service_number="P4", sex="M", rank="or_other"
    )
    made = services.deployment_create(
        by=coordinator,
        institution=inst,
        mission="MONUSCO",
        category="fpu",
        starts_on=date(2025, 2, 1),
        service_numbers=["P1", "P2", "P3", "P4"],
    )
    found = selectors.deployed(made)
    assert (found.women, found.men, found.women_trained, found.men_trained) == (2, 2, 1, 1)
    assert found.trained_share == 0.5 and found.entered is False
    rows = selectors.parity(sw.plan)
    assert [(r.year, r.category, r.women, r.total) for r in rows] == [(2025, "fpu", 2, 4)]
    assert rows[0].share == 0.5 and rows[0].end_target == 0.20


def test_deployment_by_counts_and_its_checks(sw: SecurityWorld) -> None:
    inst = sw.institution("FARDC", "army")
    coordinator = sw.users["coordinator"]
    with pytest.raises(ValidationError) as caught:
        services.deployment_create(
            by=coordinator,
            institution=inst,
            mission="",
            category="navy",
            starts_on=date(2021, 5, 1),
            women=10,
            men=None,
            women_trained=12,
        )
    assert {"mission", "category", "men", "women_trained"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError):
        services.deployment_create(
            by=coordinator,
            institution=inst,
            mission="MINUSCA",
            category="contingent",
            starts_on=date(2021, 5, 1),
            service_numbers=["NOBODY"],
        )
    made = services.deployment_create(
        by=coordinator,
        institution=inst,
        mission="MINUSCA",
        category="contingent",
        starts_on=date(2021, 5, 1),
        women=60,
        men=690,
        women_trained=50,
        men_trained=600,
    )
    found = selectors.deployed(made)
    assert found.entered and found.women_share == 0.08 and found.trained == 650
    (row,) = selectors.parity(sw.plan)
    assert row.target == 0.08 and row.meets is True
    with pytest.raises(PermissionDenied):
        services.deployment_create(
            by=sw.users["police_focal"],  # the army's deployment, not the police's
            institution=inst,
            mission="MINUSCA",
            category="contingent",
            starts_on=date(2021, 5, 1),
            women=1,
            men=1,
        )


def test_public_parity_suppresses_small_counts() -> None:
    row = selectors.ParityRow(2025, "ipo", "IPO", women=3, men=40, trained=40, known=43)
    shown = selectors.public_parity(row, threshold=5)
    assert shown.women is None and shown.men == 40 and shown.share is None
    assert shown.trained_share is None  # 3 untrained: fewer than 5


def test_deleting_the_plan_removes_training_and_deployments(sw: SecurityWorld) -> None:
    inst = sw.institution()
    unit = services.unit_create(by=sw.users["coordinator"], institution=inst, name="U1")
    session = _session(sw, inst)
    services.participant_record(
        by=sw.users["coordinator"],
        session=session,
        service_number="P1",
        sex="F",
        rank="or_other",
        unit=unit,
    )
    services.deployment_create(
        by=sw.users["coordinator"],
        institution=inst,
        unit=unit,
        mission="UNMISS",
        category="fpu",
        starts_on=date(2025, 2, 1),
        service_numbers=["P1"],
    )
    SecurityInstitution.objects.filter(pk=inst.pk).delete()
    assert not Personnel.objects.exists() and not TrainingSession.objects.exists()


def test_a_huge_roster_is_refused_without_storing(sw: SecurityWorld, tmp_path: Path) -> None:
    from wpsmonitor.security.roster import MAX_ROWS

    session = _session(sw, sw.institution())
    rows = "".join(f"N{i},F,or_other\n" for i in range(MAX_ROWS + 2))
    with pytest.raises(services.RosterRefused) as caught:
        services.roster_import(
            by=sw.users["coordinator"],
            session=session,
            path=_file(tmp_path, "service_number,sex,rank\n" + rows),
            filename="big.csv",
        )
    assert "more than" in caught.value.located()[0].message
    assert not Personnel.objects.exists()
