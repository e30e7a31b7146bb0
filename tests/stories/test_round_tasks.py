"""Selection rounds on "What to do now" (portal/tasks.py; docs/stories.md, "Selection
rounds"): a member of an open round's panel with an account is asked to choose, the
coordinator to decide, until the round is decided; no one else, and no one the panel names
without an account."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from tests.stories.conftest import StoryWorld

from wpsmonitor.accounts.models import PlanRole
from wpsmonitor.stories import services
from wpsmonitor.stories.models import SelectionRound

pytestmark = pytest.mark.django_db

HOME = reverse("portal:tasks")
CHOOSE = "Choose the most significant stories in National round, 2025"
DECIDE = "Decide National round, 2025"


def _home(client: Client, user: object) -> str:
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def _round(sw: StoryWorld) -> SelectionRound:
    return services.selection_round_create(
        by=sw.users["coordinator"],
        plan=sw.plan,
        level="national",
        period="2025",
        panel=[sw.users["viewer"], sw.users["coordinator"]],
        panel_others="outsider",  # a name one a line, whatever account bears it
    )


def _candidate(sw: StoryWorld) -> object:
    story = sw.story(happened_on=date(2025, 3, 14))
    sw.consent(story, "monitoring")
    return services.story_share(by=sw.users["monitor"], story=story)


def test_the_panel_chooses_and_the_coordinator_decides_until_the_round_is_decided(
    sw: StoryWorld, client: Client
) -> None:
    selection_round = _round(sw)
    url = reverse("stories:round", args=[sw.plan.code, selection_round.pk])
    viewer = _home(client, sw.users["viewer"])
    assert CHOOSE in viewer and url in viewer and DECIDE not in viewer
    assert "0 choices recorded" in viewer
    coordinator = _home(client, sw.users["coordinator"])
    assert DECIDE in coordinator and url in coordinator
    assert CHOOSE not in coordinator  # on the panel too: one task, the round's page does both
    # The link opens: the task leads where the user may act.
    client.force_login(sw.users["viewer"])
    assert client.get(url).status_code == 200
    story = _candidate(sw)
    services.selection_choose(
        by=sw.users["viewer"], selection_round=selection_round, story=story, reason="It mattered."
    )
    assert "1 choice recorded" in _home(client, sw.users["coordinator"])
    assert CHOOSE in _home(client, sw.users["viewer"])  # until decided
    services.selection_decide(by=sw.users["coordinator"], selection_round=selection_round)
    assert CHOOSE not in _home(client, sw.users["viewer"])
    assert DECIDE not in _home(client, sw.users["coordinator"])


@pytest.mark.parametrize("who", ["monitor", "second", "focal", "outsider", "named"])
def test_no_one_off_the_panel_gets_the_task(sw: StoryWorld, client: Client, who: str) -> None:
    selection_round = _round(sw)
    page = _home(client, sw.users[who])
    assert CHOOSE not in page and DECIDE not in page
    assert reverse("stories:round", args=[sw.plan.code, selection_round.pk]) not in page


def test_a_panel_member_who_left_the_plan_gets_nothing(sw: StoryWorld, client: Client) -> None:
    _round(sw)
    # The viewer also reports for the ministry: still on the plan after losing the panel's role.
    PlanRole.objects.create(
        user=sw.users["viewer"], plan=sw.plan, role="focal_point", organisation=sw.ministry
    )
    PlanRole.objects.filter(user=sw.users["viewer"], role="viewer").delete()
    assert CHOOSE in _home(client, sw.users["viewer"])  # a member still, by another role
    PlanRole.objects.filter(user=sw.users["viewer"]).delete()
    assert CHOOSE not in _home(client, sw.users["viewer"])
