"""The pages a board member and a reader use: where a report stands in words, the dissent
beside the published report, the history, the edit warning, the PDF, bad input kept."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.boards.conftest import Built

from wpsmonitor.boards import services
from wpsmonitor.boards.models import PeriodicReport

PDF = b"%PDF-1.4\n% report\n%%EOF\n"


def _as(built: Built, name: str) -> Client:
    client = Client()
    client.force_login(built.users[name])
    return client


def _url(built: Built, report: PeriodicReport, tail: str = "") -> str:
    return f"/plans/{built.plan.code}/reports/{report.pk}/{tail}"


def test_a_one_sided_signature_is_spelled_out(built: Built) -> None:
    member = _as(built, "gov_member")
    page = member.get(_url(built, built.awaiting)).content.decode()
    assert "Awaiting government and civil-society signatures" in page
    assert "Sign the report" in page
    response = member.post(
        _url(built, built.awaiting, "act/"), {"do": "sign", "confirm": "yes"}, follow=True
    )
    page = response.content.decode()
    assert "Your signature is recorded." in page
    assert "Signed for government; awaiting civil-society signature" in page
    assert "Withdraw my signature" in page
    assert "Police Member (National Police)" in page  # in the signatures table


def test_the_published_report_carries_its_dissent_and_history(built: Built) -> None:
    u = built.users
    services.report_dissent(by=u["cs_member"], report=built.awaiting, text="Kivu is missing.")
    services.report_sign(by=u["focal"], report=built.awaiting)
    response = _as(built, "monitor").post(
        _url(built, built.awaiting, "act/"), {"do": "sign", "confirm": "yes"}, follow=True
    )
    assert "Both sides have signed: the report is published." in response.content.decode()
    page = Client().get(_url(built, built.awaiting)).content.decode()  # anonymous, public
    assert "Kivu is missing." in page
    assert "CS Member (Other Women&#x27;s Group, Civil society)" in page
    for step in (
        "Drafted",
        "Sent to the board for signature",
        "Dissenting statement attached",
        "Signed",
        "Published",
    ):
        assert step in page
    assert "Sign the report" not in page and "Edit the report" not in page
    assert f'href="/plans/{built.plan.code}/?period=2024"' in page  # the year's figures


def test_editing_after_signatures_warns_and_invalidates(built: Built) -> None:
    services.report_sign(by=built.users["focal"], report=built.awaiting)
    coordinator = _as(built, "coordinator")
    form = coordinator.get(_url(built, built.awaiting, "edit/")).content.decode()
    assert "Any change invalidates their signatures" in form
    coordinator.post(
        _url(built, built.awaiting, "edit/"),
        {"title": "Annual report 2024", "period": "2024", "summary": "Rewritten."},
    )
    assert services.signed_sides(built.awaiting) == set()
    page = coordinator.get(_url(built, built.awaiting)).content.decode()
    assert "Signature invalidated by an edit" in page
    assert "Awaiting government and civil-society signatures" in page


def test_bad_input_is_reported_and_changes_nothing(built: Built) -> None:
    coordinator = _as(built, "coordinator")
    response = coordinator.post(
        _url(built, built.draft, "edit/"),
        {"title": "Changed", "period": "twenty-five", "summary": "x"},
        follow=True,
    )
    assert "twenty-five is not a period" in response.content.decode()
    assert PeriodicReport.objects.get(pk=built.draft.pk).title == "Annual report 2025"
    response = coordinator.post(
        f"/plans/{built.plan.code}/reports/add/",
        {
            "title": "With a photo",
            "period": "2025",
            "summary": "x",
            "file": SimpleUploadedFile("p.pdf", b"\x89PNG\r\n\x1a\nxxxx"),
        },
        follow=True,
    )
    assert "Attach the report as a PDF file." in response.content.decode()
    # All or nothing: the report with the refused file is not kept either.
    assert not PeriodicReport.objects.filter(title="With a photo").exists()
    response = coordinator.post(
        f"/plans/{built.plan.code}/board/members/add/",
        {"name": "X", "side": "civil_society", "organisation": "mogender", "since": "2025-01-01"},
        follow=True,
    )
    assert "is not a civil-society organisation" in response.content.decode()


def test_a_pdf_attached_on_the_page_is_served_to_readers_only(built: Built) -> None:
    coordinator = _as(built, "coordinator")
    coordinator.post(
        _url(built, built.draft, "edit/"),
        {
            "title": "Annual report 2025",
            "period": "2025",
            "summary": "Draft.",
            "file": SimpleUploadedFile("../../Rapport 2025.pdf", PDF),
        },
    )
    report = PeriodicReport.objects.get(pk=built.draft.pk)
    assert report.filename == "Rapport 2025.pdf"  # no path parts
    assert "reports/" in report.file.name and "Rapport" not in report.file.name
    download = _as(built, "viewer").get(_url(built, report, "file/"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="Rapport 2025.pdf"' in download["Content-Disposition"]
    assert _as(built, "outsider").get(_url(built, report, "file/")).status_code == 404


def test_the_coordinator_manages_seats_on_the_pages(built: Built) -> None:
    coordinator = _as(built, "coordinator")
    seat = built.seats["official"]
    response = coordinator.post(
        f"/plans/{built.plan.code}/board/members/{seat.pk}/",
        {
            "name": "M. Official",
            "side": "government",
            "organisation": "mogender",
            "since": "2024-01-01",
            "until": "2024-12-31",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "2 government members, 2 civil-society members: parity" in page
    seat.refresh_from_db()
    assert str(seat.until) == "2024-12-31"
    services.report_sign(by=built.users["focal"], report=built.awaiting)
    response = coordinator.post(
        f"/plans/{built.plan.code}/board/members/{built.seats['focal'].pk}/",
        {"do": "remove"},
        follow=True,
    )
    assert "end the membership instead" in response.content.decode()


def test_without_a_board(built: Built) -> None:
    built.board.delete()
    page = Client().get(f"/plans/{built.plan.code}/board/").content.decode()
    assert "This plan has no monitoring board." in page
    coordinator = _as(built, "coordinator")
    page = coordinator.get(_url(built, built.draft)).content.decode()
    assert "Publish the report" in page and "Send to the board" not in page


def test_signing_asks_first_and_says_what_becomes_public(built: Built) -> None:
    """Issue 12 §6: one POST without confirmation signs nothing; the page it answers says
    whose signature becomes public, and that this signature publishes the report."""
    services.report_sign(by=built.users["focal"], report=built.awaiting)
    monitor = _as(built, "monitor")
    response = monitor.post(_url(built, built.awaiting, "act/"), {"do": "sign"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "What will become public" in page
    assert "Your signature: Monitor (Women&#x27;s Network), for the Civil society side" in page
    assert "Annual report 2024" in page and "to everyone who reads the plan" in page
    assert "No PDF of the full report is attached." in page  # still blank
    assert "Publishing cannot be undone" in page
    assert 'name="confirm" value="yes"' in page and 'name="do" value="sign"' in page
    assert "Sign and publish the report" in page
    built.awaiting.refresh_from_db()
    assert built.awaiting.status == "awaiting"
    assert not built.awaiting.signatures.filter(member=built.seats["monitor"]).exists()
    monitor.post(_url(built, built.awaiting, "act/"), {"do": "sign", "confirm": "yes"})
    built.awaiting.refresh_from_db()
    assert built.awaiting.status == "published"


def test_a_first_signature_says_it_does_not_publish_yet(built: Built) -> None:
    page = (
        _as(built, "gov_member")
        .post(_url(built, built.awaiting, "act/"), {"do": "sign"})
        .content.decode()
    )
    assert "Not signed yet for: Civil society" in page
    assert "You may withdraw your signature" in page
    assert "to everyone who reads the plan" not in page


def test_publishing_without_a_board_asks_first(built: Built) -> None:
    built.board.requires_cosignature = False
    built.board.save()
    coordinator = _as(built, "coordinator")
    response = coordinator.post(_url(built, built.draft, "act/"), {"do": "publish"})
    assert response.status_code == 200 and "Publish the report" in response.content.decode()
    built.draft.refresh_from_db()
    assert built.draft.status == "draft"
    coordinator.post(_url(built, built.draft, "act/"), {"do": "publish", "confirm": "yes"})
    built.draft.refresh_from_db()
    assert built.draft.status == "published"


def test_the_confirmation_page_is_refused_to_who_may_not_act(built: Built) -> None:
    for name, what in (("viewer", "sign"), ("focal", "publish"), ("coordinator", "sign")):
        response = _as(built, name).post(_url(built, built.awaiting, "act/"), {"do": what})
        assert response.status_code == 403, name
