"""Selection rounds in the Most Significant Change manner (docs/stories.md, "Selection rounds
(Most Significant Change)"): who opens a round and who chooses, which stories are candidates,
the reason a choice needs, deciding freezes the round, and the feedback (the round's page and
the mail to the chosen stories' holders, in their language)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.stories.conftest import StoryWorld

from wpsmonitor.accounts.services import language_set
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import selection, services
from wpsmonitor.stories.models import SelectionChoice, SelectionRound, Story, StoryRead

pytestmark = pytest.mark.django_db


def _shared(sw: StoryWorld, by: str = "monitor", **kwargs: object) -> Story:
    if by == "focal":  # the ministry's focal point records the ministry's stories
        fields: dict[str, Any] = {
            "kind": "observation",
            "text": "What the ministry saw.",
            "language": "en",
            "area": sw.world.areas["D11"],
            "happened_on": date(2025, 3, 14),
        }
        fields.update(kwargs)
        story = services.story_record(by=sw.users[by], plan=sw.plan, holder=sw.ministry, **fields)
    else:
        story = sw.story(by=by, **kwargs)
    consent = services.consent_record(
        by=sw.users[by],
        story=story,
        given_by="the storyteller",
        purposes={"monitoring"},
        method="written",
        given_on=date(2025, 3, 14),
    )
    assert consent.pk
    return services.story_share(by=sw.users[by], story=story)


def _round(sw: StoryWorld, level: str = "province", **kwargs: Any) -> SelectionRound:
    fields: dict[str, Any] = {
        "period": "2025",
        "area": sw.world.areas["P1"] if level == "province" else None,
        "panel": [sw.users["viewer"]],
    }
    fields.update(kwargs)
    return services.selection_round_create(
        by=sw.users["coordinator"], plan=sw.plan, level=level, **fields
    )


def _titles(stories: list[Story]) -> set[str]:
    return {s.title for s in stories}


# --- opening a round ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer", "outsider"])
def test_only_the_coordinator_opens_a_round(sw: StoryWorld, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.selection_round_create(
            by=sw.users[who], plan=sw.plan, level="national", period="2025", panel_others="A"
        )
    opened = _round(sw, "national", panel_others="Aminata (elders' council)\n\n")
    assert opened.is_open and opened.others() == ["Aminata (elders' council)"]
    assert list(opened.panel.all()) == [sw.users["viewer"]]


@pytest.mark.parametrize(
    ("level", "changes", "message"),
    [
        ("province", {"area": None}, "names one of the plan's provinces"),
        ("province", {"area": "D11"}, "names one of the plan's provinces"),
        ("national", {"area": "P1"}, "Only a province round names an area"),
        ("national", {"period": "2025-03"}, "a year \\(2025\\) or a quarter"),
        ("national", {"period": "soon"}, "a year \\(2025\\) or a quarter"),
        ("board", {"level": "village"}, "is not a level"),
        ("national", {"panel": ["outsider"]}, "Only members of the plan"),
        ("national", {"panel": []}, "needs its panel"),
    ],
)
def test_a_round_refuses_what_does_not_fit(
    sw: StoryWorld, level: str, changes: dict[str, Any], message: str
) -> None:
    fields: dict[str, Any] = {
        "level": level,
        "period": "2025",
        "area": sw.world.areas["P1"] if level == "province" else None,
        "panel": [sw.users["viewer"]],
    }
    for key, value in changes.items():
        if key == "area" and value is not None:
            value = sw.world.areas[value]
        if key == "panel":
            value = [sw.users[name] for name in value]
        fields[key] = value
    with pytest.raises(ValidationError, match=message):
        services.selection_round_create(by=sw.users["coordinator"], plan=sw.plan, **fields)
    assert not SelectionRound.objects.exists()


# --- candidates ---------------------------------------------------------------------------------


def test_the_candidates_are_the_stories_the_panel_may_read(sw: StoryWorld) -> None:
    _shared(sw, title="Shared in District 11")
    _shared(sw, title="Shared in District 12", area=sw.world.areas["D12"])
    # A draft with its consent is still its holder's alone.
    sw.consent(sw.story(title="A draft"), "monitoring", "report", "public")
    _shared(sw, title="Restricted", sensitivity="restricted")
    withdrawn = _shared(sw, title="Consent withdrawn")
    services.consent_withdraw(by=sw.users["monitor"], consent=withdrawn.consents.get())
    _shared(sw, title="In the other province", area=sw.world.areas["D21"])
    _shared(sw, title="Another year", happened_on=date(2024, 6, 1))
    _shared(sw, title="No area", area=None)
    # With no round below, a national round reads every province (and no area at all).
    national = _round(sw, "national")
    assert _titles(selection.candidates(national)) == {
        "Shared in District 11",
        "Shared in District 12",
        "In the other province",
        "No area",
    }
    province = _round(sw)
    assert _titles(selection.candidates(province)) == {
        "Shared in District 11",
        "Shared in District 12",
    }


def test_a_round_of_one_domain_reads_that_domain_only(sw: StoryWorld) -> None:
    _shared(sw, title="Safety", domain="Safety in the market")
    _shared(sw, title="Voice", domain="Women's voice in councils")
    one = _round(sw, domain="safety in the market")
    assert _titles(selection.candidates(one)) == {"Safety"}
    every = _round(sw)
    assert _titles(selection.candidates(every)) == {"Safety", "Voice"}


def test_the_national_candidates_are_the_province_rounds_choices(sw: StoryWorld) -> None:
    chosen = _shared(sw, title="Chosen in Province 1")
    _shared(sw, title="Not chosen", area=sw.world.areas["D12"])
    _shared(sw, title="Province 2, no round chose it", area=sw.world.areas["D21"])
    province = _round(sw)
    national = _round(sw, "national")
    # Rounds below exist but none decided: no candidate yet.
    assert selection.candidates(national) == []
    services.selection_choose(
        by=sw.users["viewer"], selection_round=province, story=chosen, reason="It changed most."
    )
    assert selection.candidates(national) == []
    services.selection_decide(by=sw.users["viewer"], selection_round=province)
    assert _titles(selection.candidates(national)) == {"Chosen in Province 1"}
    # The board reads the nearest level below with rounds: the national one, undecided.
    board = _round(sw, "board")
    assert selection.candidates(board) == []
    # A quarter's province round feeds the year's national round too; another year's does not.
    other_year = _round(sw, "national", period="2024")
    assert selection.candidates(other_year) == []


# --- choosing -----------------------------------------------------------------------------------


def test_a_panel_member_and_the_coordinator_choose_no_one_else(sw: StoryWorld) -> None:
    story = _shared(sw)
    other = _shared(sw, title="Second story")
    province = _round(sw)
    for who in ("focal", "monitor", "outsider", "admin"):
        if who == "admin":
            continue  # the administrator acts as a coordinator, as everywhere
        with pytest.raises(PermissionDenied):
            services.selection_choose(
                by=sw.users[who], selection_round=province, story=story, reason="Because."
            )
    choice = services.selection_choose(
        by=sw.users["viewer"],
        selection_round=province,
        story=story,
        reason="  The patrols changed for every woman at the market.  ",
        ranking=[other],
    )
    assert choice.reason == "The patrols changed for every woman at the market."
    assert [(r.story_id, r.position) for r in choice.ranks.all()] == [(other.pk, 2)]
    # The coordinator records a choice too; it replaces the panel's for that domain.
    again = services.selection_choose(
        by=sw.users["coordinator"], selection_round=province, story=other, reason="Agreed."
    )
    assert SelectionChoice.objects.get().pk == again.pk and again.story_id == other.pk
    assert not again.ranks.exists()


def test_a_viewer_not_on_the_panel_may_not_choose(sw: StoryWorld) -> None:
    story = _shared(sw)
    province = _round(sw, panel=[sw.users["focal"]])
    with pytest.raises(PermissionDenied):
        services.selection_choose(
            by=sw.users["viewer"], selection_round=province, story=story, reason="Because."
        )


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_choice_without_its_reason_is_refused(sw: StoryWorld, reason: str) -> None:
    story = _shared(sw)
    province = _round(sw)
    with pytest.raises(ValidationError, match="Say why the panel chose this story"):
        services.selection_choose(
            by=sw.users["viewer"], selection_round=province, story=story, reason=reason
        )
    assert not SelectionChoice.objects.exists()


def test_only_a_candidate_is_chosen_or_ranked(sw: StoryWorld) -> None:
    story = _shared(sw)
    draft = sw.story(title="A draft")
    elsewhere = _shared(sw, title="Province 2", area=sw.world.areas["D21"])
    province = _round(sw)
    with pytest.raises(ValidationError, match="not a candidate"):
        services.selection_choose(
            by=sw.users["viewer"], selection_round=province, story=draft, reason="Because."
        )
    with pytest.raises(ValidationError, match="Rank only the other candidates"):
        services.selection_choose(
            by=sw.users["viewer"],
            selection_round=province,
            story=story,
            reason="Because.",
            ranking=[elsewhere],
        )
    with pytest.raises(ValidationError, match="Rank only the other candidates"):
        services.selection_choose(
            by=sw.users["viewer"],
            selection_round=province,
            story=story,
            reason="Because.",
            ranking=[story],
        )


def test_deciding_freezes_the_round(sw: StoryWorld) -> None:
    story = _shared(sw)
    other = _shared(sw, title="Second story")
    province = _round(sw)
    with pytest.raises(ValidationError, match="at least one choice"):
        services.selection_decide(by=sw.users["viewer"], selection_round=province)
    services.selection_choose(
        by=sw.users["viewer"], selection_round=province, story=story, reason="Most change."
    )
    with pytest.raises(PermissionDenied):
        services.selection_decide(by=sw.users["focal"], selection_round=province)
    services.selection_decide(by=sw.users["viewer"], selection_round=province)
    province.refresh_from_db()
    assert province.status == "decided" and province.decided_by == sw.users["viewer"]
    assert set(province.candidates.all()) == {story, other}
    with pytest.raises(ValidationError, match="frozen"):
        services.selection_choose(
            by=sw.users["coordinator"], selection_round=province, story=other, reason="Later."
        )
    with pytest.raises(ValidationError, match="frozen"):
        services.selection_decide(by=sw.users["coordinator"], selection_round=province)
    assert SelectionChoice.objects.get().story_id == story.pk


def test_a_choice_whose_consent_was_withdrawn_is_not_decided(sw: StoryWorld) -> None:
    story = _shared(sw)
    province = _round(sw)
    services.selection_choose(
        by=sw.users["viewer"], selection_round=province, story=story, reason="Most change."
    )
    services.consent_withdraw(by=sw.users["monitor"], consent=story.consents.get())
    with pytest.raises(ValidationError, match="no longer a candidate"):
        services.selection_decide(by=sw.users["viewer"], selection_round=province)


# --- feedback -----------------------------------------------------------------------------------


def test_the_holders_of_the_chosen_stories_are_told_in_their_language(
    sw: StoryWorld, django_capture_on_commit_callbacks: Any
) -> None:
    for name in ("monitor", "second", "focal", "coordinator", "viewer"):
        sw.users[name].email = f"{name}@example.org"
        sw.users[name].save()
    language_set(user=sw.users["monitor"], language="fr")
    chosen = _shared(sw, title="Return to the market")
    # A candidate of the ministry's (its focal point holds it), not chosen: no mail to them.
    _shared(sw, by="focal", title="The ministry's story")
    province = _round(sw)
    services.selection_choose(
        by=sw.users["viewer"],
        selection_round=province,
        story=chosen,
        reason="The patrols changed for every woman.",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_decide(by=sw.users["viewer"], selection_round=province)
    sent = {tuple(m.to): m for m in mail.outbox}
    assert set(sent) == {("second@example.org",), ("monitor@example.org",)}
    english, french = sent[("second@example.org",)], sent[("monitor@example.org",)]
    assert "chosen as a most significant change" in english.subject
    assert "Return to the market" in english.body
    assert "The patrols changed for every woman." in english.body
    assert f"/plans/{sw.plan.code}/stories/rounds/{province.pk}/" in english.body
    assert "chosen as a most significant change" not in french.subject
    assert "Return to the market" in french.body and "The patrols changed" in french.body


def _client(sw: StoryWorld, name: str) -> Client:
    client = Client()
    client.force_login(sw.users[name])
    return client


def _decided(sw: StoryWorld) -> tuple[SelectionRound, Story]:
    story = _shared(sw, title="Return to the market")
    _shared(sw, title="The ministry's story", by="focal")
    province = _round(sw)
    services.selection_choose(
        by=sw.users["viewer"],
        selection_round=province,
        story=story,
        reason="WHY-IT-MATTERS: the patrols changed.",
    )
    services.selection_decide(by=sw.users["viewer"], selection_round=province)
    return province, story


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("monitor", 200),  # the chosen story's holder
        ("focal", 200),  # a candidate's holder, not chosen
        ("viewer", 200),  # the panel
        ("coordinator", 200),
        ("outsider", 404),  # the plan is a draft: it does not exist for them
    ],
)
def test_the_round_feeds_its_choices_back_to_the_plan(
    sw: StoryWorld, reader: str, status: int
) -> None:
    province, _story = _decided(sw)
    page = _client(sw, reader).get(f"/plans/{sw.plan.code}/stories/rounds/{province.pk}/")
    assert page.status_code == status
    if status == 200:
        body = page.content.decode()
        assert "WHY-IT-MATTERS" in body and "Return to the market" in body


def test_the_round_page_reads_each_story_through_read_story(sw: StoryWorld) -> None:
    province, story = _decided(sw)
    StoryRead.objects.all().delete()
    body = (
        _client(sw, "coordinator")
        .get(f"/plans/{sw.plan.code}/stories/rounds/{province.pk}/")
        .content.decode()
    )
    # Coarse for a reader outside the holder: the province, not the district; the month.
    assert "Province 1" in body and "District 11" not in body
    assert "2025-03" in body and "2025-03-14" not in body
    assert StoryRead.objects.filter(story=story, channel="page", reading="coarse").exists()
    # Once its consent is withdrawn, neither its title nor the panel's reason is shown.
    services.consent_withdraw(by=sw.users["monitor"], consent=story.consents.get())
    body = (
        _client(sw, "coordinator")
        .get(f"/plans/{sw.plan.code}/stories/rounds/{province.pk}/")
        .content.decode()
    )
    assert "Return to the market" not in body and "WHY-IT-MATTERS" not in body


# --- pages --------------------------------------------------------------------------------------


def test_the_pages_open_choose_and_decide(sw: StoryWorld) -> None:
    story = _shared(sw, title="Return to the market")
    coordinator = _client(sw, "coordinator")
    base = f"/plans/{sw.plan.code}/stories/rounds/"
    assert _client(sw, "viewer").get(base + "new/").status_code == 403
    assert coordinator.get(base + "new/").status_code == 200
    posted = coordinator.post(
        base + "new/",
        {
            "level": "province",
            "area": sw.world.areas["P1"].code,
            "period": "2025",
            "domain": "",
            "panel": [str(sw.users["viewer"].pk)],
            "panel_others": "",
        },
    )
    province = SelectionRound.objects.get()
    assert posted.status_code == 302 and posted["Location"] == f"{base}{province.pk}/"
    assert "Province round for Province 1, 2025" in coordinator.get(base).content.decode()
    viewer = _client(sw, "viewer")
    page = viewer.get(f"{base}{province.pk}/").content.decode()
    assert f'value="{story.uid}"' in page and "Record the choice" in page
    # Not on the panel: the candidates, no form.
    focal_page = _client(sw, "focal").get(f"{base}{province.pk}/").content.decode()
    assert "Record the choice" not in focal_page
    assert (
        _client(sw, "focal")
        .post(f"{base}{province.pk}/", {"story": str(story.uid), "reason": "x"})
        .status_code
        == 403
    )
    # Without a reason: refused, said, nothing recorded.
    answer = viewer.post(
        f"{base}{province.pk}/", {"story": str(story.uid), "reason": " "}, follow=True
    )
    assert "Say why the panel chose this story" in answer.content.decode()
    assert not SelectionChoice.objects.exists()
    viewer.post(f"{base}{province.pk}/", {"story": str(story.uid), "reason": "It changed most."})
    assert SelectionChoice.objects.get().reason == "It changed most."
    # Until the round is decided, its choices are the panel's (and the coordinator's).
    assert "It changed most." in viewer.get(f"{base}{province.pk}/").content.decode()
    assert "It changed most." in coordinator.get(f"{base}{province.pk}/").content.decode()
    assert (
        "It changed most." not in _client(sw, "focal").get(f"{base}{province.pk}/").content.decode()
    )
    # Deciding asks first.
    asked = viewer.post(f"{base}{province.pk}/decide/")
    assert asked.status_code == 200 and 'name="confirm"' in asked.content.decode()
    province.refresh_from_db()
    assert province.is_open
    viewer.post(f"{base}{province.pk}/decide/", {"confirm": "yes"})
    province.refresh_from_db()
    assert not province.is_open
    assert "Record the choice" not in viewer.get(f"{base}{province.pk}/").content.decode()


def test_on_a_public_plan_the_rounds_are_still_the_members_own(sw: StoryWorld) -> None:
    province, _story = _decided(sw)
    sw.plan.status = PlanStatus.IMPLEMENTATION
    sw.plan.save(update_fields=["status"])
    base = f"/plans/{sw.plan.code}/stories/rounds/"
    for url in (base, f"{base}{province.pk}/"):
        assert _client(sw, "outsider").get(url).status_code == 403
        assert Client().get(url).status_code == 302  # to the sign-in page
    assert "WHY-IT-MATTERS" in _client(sw, "viewer").get(f"{base}{province.pk}/").content.decode()
    # The list of stories links the rounds only to those who read them.
    assert (
        base not in _client(sw, "outsider").get(f"/plans/{sw.plan.code}/stories/").content.decode()
    )
    assert base in _client(sw, "viewer").get(f"/plans/{sw.plan.code}/stories/").content.decode()
