"""The co-signing state machine, through the services: a one-sided signature does not publish;
a valid signature from each side does; withdrawal and edits take signatures away; dissents are
published with the report; every step is in the history; the board is told by mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.boards.conftest import Built

from wpsmonitor.boards import selectors, services
from wpsmonitor.boards.models import Board, PeriodicReport, ReportStatus


def _fresh(report: PeriodicReport) -> PeriodicReport:
    return PeriodicReport.objects.get(pk=report.pk)


def _label(built: Built, report: PeriodicReport) -> str:
    report = _fresh(report)
    return selectors.signing(report, Board.objects.get(pk=built.board.pk)).label(report.status)


def _kinds(report: PeriodicReport) -> list[tuple[str, str]]:
    return [
        (e.kind, e.member.name if e.member else e.by.get_username())
        for e in report.events.select_related("member", "by")
    ]


def test_one_sided_signatures_do_not_publish(built: Built) -> None:
    u, report = built.users, built.awaiting
    services.report_sign(by=u["focal"], report=report)
    assert _fresh(report).status == ReportStatus.AWAITING
    assert _label(built, report) == "Signed for government; awaiting civil-society signature"
    services.report_sign(by=u["gov_member"], report=report)  # a second government member
    report = _fresh(report)
    assert report.status == ReportStatus.AWAITING and report.published_at is None
    assert services.signed_sides(report) == {"government"}


def test_both_sides_publish_at_the_second_sides_signature(built: Built) -> None:
    u, report = built.users, built.awaiting
    services.report_sign(by=u["cs_member"], report=report)
    assert _label(built, report) == "Signed for civil society; awaiting government signature"
    services.report_sign(by=u["focal"], report=report)
    report = _fresh(report)
    assert report.status == ReportStatus.PUBLISHED and report.published_at is not None
    assert _kinds(report) == [
        ("created", "coordinator"),
        ("submitted", "coordinator"),
        ("signed", "CS Member"),
        ("signed", "Focal Point"),
        ("published", "Focal Point"),  # whose signature completed both sides
    ]
    # Published is final: no more signing, withdrawing, dissenting or editing.
    with pytest.raises(PermissionDenied):
        services.report_withdraw(by=u["focal"], report=report)
    with pytest.raises(PermissionDenied):
        services.report_dissent(by=u["monitor"], report=report, text="Too late")
    with pytest.raises(ValidationError):
        services.report_update(
            by=u["coordinator"], report=report, title="New", period="2024", summary="x"
        )


def test_a_withdrawn_signature_no_longer_counts(built: Built) -> None:
    u, report = built.users, built.awaiting
    services.report_sign(by=u["focal"], report=report)
    services.report_withdraw(by=u["focal"], report=report)
    services.report_sign(by=u["monitor"], report=report)
    report = _fresh(report)
    assert report.status == ReportStatus.AWAITING
    assert _label(built, report) == "Signed for civil society; awaiting government signature"
    with pytest.raises(ValidationError):  # nothing left to withdraw
        services.report_withdraw(by=u["focal"], report=report)
    # Signing again after withdrawing counts again, and completes both sides.
    services.report_sign(by=u["focal"], report=report)
    assert _fresh(report).status == ReportStatus.PUBLISHED
    kinds = [k for k, _who in _kinds(report)]
    assert kinds == [
        "created",
        "submitted",
        "signed",
        "withdrawn",
        "signed",
        "signed",
        "published",
    ]


def test_an_edit_invalidates_the_signatures_given(built: Built) -> None:
    u, report = built.users, built.awaiting
    coordinator = u["coordinator"]
    services.report_sign(by=u["focal"], report=report)
    # Saving the same text changes nothing: the signature stands.
    services.report_update(
        by=coordinator, report=report, title=report.title, period="2024", summary=report.summary
    )
    assert services.signed_sides(report) == {"government"}
    services.report_update(
        by=coordinator, report=report, title=report.title, period="2024", summary="Rewritten."
    )
    assert services.signed_sides(report) == set()
    signature = report.signatures.get()
    assert signature.invalidated_at is not None and not signature.is_valid
    # The civil-society signature alone does not publish the new text...
    services.report_sign(by=u["monitor"], report=report)
    assert _fresh(report).status == ReportStatus.AWAITING
    # ...until government signs the new text.
    services.report_sign(by=u["focal"], report=report)
    assert _fresh(report).status == ReportStatus.PUBLISHED
    assert [k for k, _who in _kinds(report)] == [
        "created",
        "submitted",
        "signed",
        "edited",
        "invalidated",
        "signed",
        "signed",
        "published",
    ]


def test_attaching_a_pdf_is_an_edit(built: Built) -> None:
    u, report = built.users, built.awaiting
    services.report_sign(by=u["monitor"], report=report)
    pdf = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    services.report_attach(by=u["coordinator"], report=report, upload=pdf)
    report = _fresh(report)
    assert report.filename == "rapport.pdf" and report.size == 15
    assert services.signed_sides(report) == set()


def test_only_pdfs_are_attached(built: Built) -> None:
    u, report = built.users, built.draft
    png = SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n0000", "application/pdf")
    with pytest.raises(ValidationError, match="as a PDF"):
        services.report_attach(by=u["coordinator"], report=report, upload=png)
    text = SimpleUploadedFile("notes.pdf", b"just text", "application/pdf")
    with pytest.raises(ValidationError):
        services.report_attach(by=u["coordinator"], report=report, upload=text)
    assert not _fresh(report).file


def test_who_may_sign(built: Built) -> None:
    u, report = built.users, built.awaiting
    for name in ("coordinator", "viewer", "outsider", "former_member", "admin", "other_monitor"):
        with pytest.raises(PermissionDenied):
            services.report_sign(by=u[name], report=report)
    with pytest.raises(PermissionDenied):  # a draft is not with the board yet
        services.report_sign(by=u["focal"], report=built.draft)
    services.report_sign(by=u["focal"], report=report)
    with pytest.raises(ValidationError, match="already signed"):
        services.report_sign(by=u["focal"], report=report)
    assert report.signatures.count() == 1


def test_the_coordinator_cannot_publish_around_the_board(built: Built) -> None:
    u = built.users
    with pytest.raises(ValidationError, match="co-sign"):
        services.report_publish(by=u["coordinator"], report=built.awaiting)
    with pytest.raises(PermissionDenied):
        services.report_publish(by=u["focal"], report=built.draft)
    assert _fresh(built.awaiting).status == ReportStatus.AWAITING


def test_without_the_requirement_the_coordinator_publishes(built: Built) -> None:
    u = built.users
    services.board_save(
        by=u["coordinator"], plan=built.plan, name="Comité", requires_cosignature=False
    )
    services.report_sign(by=u["focal"], report=built.awaiting)
    services.report_sign(by=u["monitor"], report=built.awaiting)
    assert _fresh(built.awaiting).status == ReportStatus.AWAITING  # signatures do not publish
    services.report_publish(by=u["coordinator"], report=built.awaiting)
    services.report_publish(by=u["coordinator"], report=built.draft)  # straight from a draft
    assert _fresh(built.awaiting).is_published and _fresh(built.draft).is_published


def test_without_a_board_the_coordinator_publishes(built: Built) -> None:
    u = built.users
    built.board.delete()
    with pytest.raises(ValidationError, match="no monitoring board"):
        services.report_submit(by=u["coordinator"], report=built.draft)
    services.report_publish(by=u["coordinator"], report=built.draft)
    assert _fresh(built.draft).is_published


def test_a_board_that_cannot_co_sign_is_not_sent_reports(built: Built) -> None:
    u = built.users
    for name in ("monitor", "cs_member"):  # no civil-society member with an account is left
        seat = built.seats[name]
        seat.user = None
        seat.save()
    with pytest.raises(ValidationError, match="each side"):
        services.report_submit(by=u["coordinator"], report=built.draft)
    assert _fresh(built.draft).status == ReportStatus.DRAFT


def test_dissent_is_published_with_the_report(built: Built) -> None:
    u, report = built.users, built.awaiting
    services.report_dissent(by=u["cs_member"], report=report, text="First thoughts.")
    services.report_dissent(by=u["cs_member"], report=report, text="The figures omit Kivu.")
    services.report_dissent(by=u["gov_member"], report=report, text="Police data is missing.")
    services.report_dissent_withdraw(by=u["gov_member"], report=report)
    with pytest.raises(ValidationError):
        services.report_dissent(by=u["monitor"], report=report, text="   ")
    with pytest.raises(PermissionDenied):
        services.report_dissent(by=u["viewer"], report=report, text="Not a member")
    services.report_sign(by=u["focal"], report=report)
    services.report_sign(by=u["monitor"], report=report)
    report = selectors.report_for(_access(built, "outsider"), report.pk)  # public now
    standing = selectors.standing_dissents(report)
    assert [(d.member.name, d.side, d.text) for d in standing] == [
        ("CS Member", "civil_society", "The figures omit Kivu.")
    ]
    assert [(k, who) for k, who in _kinds(report) if k.startswith("dissent")] == [
        ("dissented", "CS Member"),
        ("dissented", "CS Member"),
        ("dissented", "Police Member"),
        ("dissent_withdrawn", "Police Member"),
    ]


def _access(built: Built, name: str) -> Any:
    from wpsmonitor.accounts.access import PlanAccess

    return PlanAccess.load(built.users[name], built.plan)


def test_sending_to_the_board_mails_its_current_members(
    built: Built, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(by=built.users["coordinator"], report=built.draft)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    # Current members with an account; not the former member, not the seat without one.
    assert sorted(mail.to) == [
        "cs_member@example.org",
        "focal@example.org",
        "gov_member@example.org",
        "monitor@example.org",
    ]
    assert "Annual report 2025" in mail.subject
    assert f"/plans/{built.plan.code}/reports/{built.draft.pk}/" in mail.body


def test_an_edit_asks_the_board_again(
    built: Built, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    services.report_sign(by=built.users["focal"], report=built.awaiting)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_update(
            by=built.users["coordinator"],
            report=built.awaiting,
            title="Annual report 2024",
            period="2024",
            summary="Corrected.",
        )
    assert len(mailoutbox) == 1
    assert "no longer count" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("side", "donor", "not a side"),
        ("organisation", "women-network", "not a government institution"),  # CSO for government
        ("until", "before", "cannot end before"),
    ],
)
def test_bad_seats_are_refused(built: Built, field: str, value: str, message: str) -> None:
    from datetime import date

    from wpsmonitor.directory.models import Organisation

    args: dict[str, Any] = {
        "name": "New",
        "side": "government",
        "organisation": built.cycle.built.ministry,
        "since": date(2025, 1, 1),
    }
    if field == "organisation":
        args["organisation"] = Organisation.objects.get(code=value)
    elif field == "until":
        args["until"] = date(2024, 12, 31)
    else:
        args[field] = value
    before = built.board.members.count()
    with pytest.raises(ValidationError, match=message):
        services.member_add(by=built.users["coordinator"], board=built.board, **args)
    assert built.board.members.count() == before


def test_a_ministry_cannot_sit_for_civil_society_nor_a_un_agency_at_all(built: Built) -> None:
    from datetime import date

    from wpsmonitor.directory.models import Organisation, OrganisationType

    un = Organisation.objects.create(code="un-women", name="UN Women", type=OrganisationType.UN)
    coordinator = built.users["coordinator"]
    for side, org in (("civil_society", built.cycle.built.ministry), ("government", un)):
        with pytest.raises(ValidationError):
            services.member_add(
                by=coordinator,
                board=built.board,
                name="X",
                side=side,
                organisation=org,
                since=date(2025, 1, 1),
            )


def test_one_seat_at_a_time_per_person(built: Built) -> None:
    from datetime import date

    coordinator = built.users["coordinator"]
    with pytest.raises(ValidationError, match="already sits"):
        services.member_add(
            by=coordinator,
            board=built.board,
            name="",
            side="civil_society",
            organisation=built.cycle.built.cso,
            user=built.users["monitor"],
            since=date(2025, 1, 1),
        )
    # The former member may come back after their seat ended.
    back = services.member_add(
        by=coordinator,
        board=built.board,
        name="",
        side="civil_society",
        organisation=built.cycle.built.cso,
        user=built.users["former_member"],
        since=date(2022, 1, 1),
    )
    assert back.name == "former_member"  # the account's name, when none is given


def test_members_who_signed_stay_in_the_record(built: Built) -> None:
    u = built.users
    services.report_sign(by=u["focal"], report=built.awaiting)
    with pytest.raises(ValidationError, match="end the membership"):
        services.member_remove(by=u["coordinator"], member=built.seats["focal"])
    services.member_remove(by=u["coordinator"], member=built.seats["official"])
    assert not built.board.members.filter(name="M. Official").exists()
    with pytest.raises(PermissionDenied):
        services.member_remove(by=u["focal"], member=built.seats["cs_member"])
