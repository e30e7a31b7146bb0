"""Who reads the register of allegations (accounts/access.py, can_read_allegations,
can_name_conduct_readers, can_read_allegation_figures): the coordinator and the named conduct
readers only, never the administrator nor an unnamed member; the figures, everyone who reads
the plan; an unverified session, nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.conduct.conftest import MARKER, ConductWorld

from wpsmonitor.accounts.models import PlanRole
from wpsmonitor.conduct.models import AllegationRead, ConductReader

pytestmark = pytest.mark.django_db

READERS = {"coordinator", "reader", "cso_reader"}
EVERYONE = [
    "coordinator",
    "reader",
    "cso_reader",
    "focal",
    "viewer",
    "monitor",
    "org_admin",
    "outsider",
    "admin",
    "anonymous",
]


def _client(cw: ConductWorld, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(cw.users[who])
    return client


@pytest.mark.parametrize("who", EVERYONE)
def test_the_register_and_an_allegation_are_read_by_named_roles_only(
    cw: ConductWorld, who: str
) -> None:
    allegation = cw.allegation()
    client = _client(cw, who)
    listed = client.get(reverse("conduct:register", args=[cw.plan.code]))
    page = client.get(reverse("conduct:allegation", args=[cw.plan.code, allegation.uid]))
    new = client.get(reverse("conduct:new", args=[cw.plan.code]))
    if who in READERS:
        assert listed.status_code == 200 and page.status_code == 200 and new.status_code == 200
        assert MARKER in page.content.decode()
    elif who == "anonymous":
        for response in (listed, page, new):
            assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    else:
        assert (listed.status_code, page.status_code, new.status_code) == (403, 403, 403)
        assert MARKER not in page.content.decode()
    # Whoever may not read it leaves no read in the log; each reader's reads are there.
    logged = AllegationRead.objects.filter(reader__username=who).count()
    assert logged == (2 if who in READERS else 0)


@pytest.mark.parametrize("who", EVERYONE)
def test_the_figures_page_and_api_answer_everyone_who_reads_the_plan(
    cw: ConductWorld, who: str
) -> None:
    cw.allegation()
    client = _client(cw, who)
    page = client.get(reverse("conduct:figures", args=[cw.plan.code]))
    api = client.get(f"/api/v1/plans/{cw.plan.code}/conduct/figures")
    # The API answers signed-in users and tokens (an anonymous call is asked to sign in).
    assert page.status_code == 200
    assert api.status_code == (401 if who == "anonymous" else 200)
    assert MARKER not in page.content.decode() + api.content.decode()
    shows_register = reverse("conduct:register", args=[cw.plan.code]) in page.content.decode()
    assert shows_register == (who in READERS)


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_coordinator_names_readers_and_reads_the_log(cw: ConductWorld, who: str) -> None:
    client = _client(cw, who)
    readers = client.get(reverse("conduct:readers", args=[cw.plan.code]))
    reads = client.get(reverse("conduct:reads", args=[cw.plan.code]))
    named = client.post(reverse("conduct:readers", args=[cw.plan.code]), {"username": "focal"})
    if who == "coordinator":
        assert (readers.status_code, reads.status_code, named.status_code) == (200, 200, 302)
        assert ConductReader.objects.filter(user=cw.users["focal"]).exists()
    else:
        assert named.status_code in (302, 403)
        if who != "anonymous":
            assert (readers.status_code, reads.status_code, named.status_code) == (403, 403, 403)
        assert not ConductReader.objects.filter(user=cw.users["focal"]).exists()


def test_a_draft_plans_figures_are_hidden_from_outsiders(cw: ConductWorld) -> None:
    cw.plan.status = "draft"
    cw.plan.save(update_fields=["status"])
    for who in ("outsider", "anonymous"):
        client = _client(cw, who)
        assert client.get(reverse("conduct:figures", args=[cw.plan.code])).status_code == 404
        assert client.get(f"/api/v1/plans/{cw.plan.code}/conduct/figures").status_code in (
            401,
            404,
        )


def test_a_removed_reader_and_one_without_a_role_read_nothing(cw: ConductWorld) -> None:
    allegation = cw.allegation()
    url = reverse("conduct:allegation", args=[cw.plan.code, allegation.uid])
    reader = ConductReader.objects.get(user=cw.users["reader"])
    client = _client(cw, "coordinator")
    client.post(reverse("conduct:remove", args=[cw.plan.code, reader.pk]))
    assert not ConductReader.objects.filter(pk=reader.pk).exists()
    assert _client(cw, "reader").get(url).status_code == 403
    # Named, then their role removed: the naming no longer counts.
    PlanRole.objects.filter(user=cw.users["cso_reader"]).delete()
    assert _client(cw, "cso_reader").get(url).status_code == 403


def test_the_coordinator_cannot_name_someone_without_a_role(cw: ConductWorld) -> None:
    response = _client(cw, "coordinator").post(
        reverse("conduct:readers", args=[cw.plan.code]), {"username": "outsider"}
    )
    assert response.status_code == 400
    assert not ConductReader.objects.filter(user=cw.users["outsider"]).exists()


@pytest.mark.usefixtures("two_factor_flow")
def test_an_unverified_session_reads_nothing_of_an_allegation(cw: ConductWorld) -> None:
    allegation = cw.allegation()
    for who in ("coordinator", "reader"):
        client = _client(cw, who)
        for url in (
            reverse("conduct:register", args=[cw.plan.code]),
            reverse("conduct:allegation", args=[cw.plan.code, allegation.uid]),
        ):
            response = client.get(url)
            assert response.status_code == 302
            assert "two-factor" in response["Location"] or "two_factor" in response["Location"]
            assert MARKER not in response.content.decode()
    assert not AllegationRead.objects.exists()


def test_the_log_shows_who_read_what(cw: ConductWorld) -> None:
    allegation = cw.allegation()
    _client(cw, "reader").get(reverse("conduct:allegation", args=[cw.plan.code, allegation.uid]))
    read = AllegationRead.objects.get()
    assert (read.reader, read.channel, read.allegation) == (cw.users["reader"], "page", allegation)
    body = _client(cw, "coordinator").get(reverse("conduct:reads", args=[cw.plan.code]))
    assert "reader" in body.content.decode() and "Its page" in body.content.decode()
