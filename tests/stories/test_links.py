"""A story's links to the plan's framework (docs/stories.md): its holder links it to the plan's
pillars, outcomes, actions and the indicators they may see, on the record form, an "Edit links"
step, and the API; every reader of the story sees them, a coarse one too."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.aggregation.conftest import build_world
from tests.stories.conftest import StoryWorld

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Story
from wpsmonitor.stories.reading import read_story

pytestmark = pytest.mark.django_db


def _shared(sw: StoryWorld) -> Story:
    story = sw.story()
    sw.consent(story, "monitoring")
    return services.story_share(by=sw.users["monitor"], story=story)


def test_the_holder_links_a_story_and_a_coarse_reader_sees_the_links(sw: StoryWorld) -> None:
    story = _shared(sw)
    indicator = sw.world.indicator("IND-1")
    services.story_link(
        by=sw.users["second"],
        story=story,
        nodes=[sw.world.pillars["PA"], sw.world.outcomes["O1"]],
        indicators=[indicator],
        recommendations=[],
    )
    assert {n.code for n in story.nodes.all()} == {"PA", "O1"}
    # A protected story is read coarse outside the holder; the links name no one.
    read = read_story(PlanAccess.load(sw.users["viewer"], sw.plan), story, channel="page")
    assert read is not None and read.coarse
    assert read.nodes == ("O1", "PA") and read.indicators == ("IND-1",)


def test_no_one_but_the_holder_links_a_story(sw: StoryWorld) -> None:
    story = _shared(sw)
    for name in ("coordinator", "focal", "admin"):
        with pytest.raises(PermissionDenied):
            services.story_link(
                by=sw.users[name],
                story=story,
                nodes=[sw.world.pillars["PA"]],
                indicators=[],
                recommendations=[],
            )
    assert not story.nodes.exists()


def test_a_node_or_indicator_of_another_plan_is_refused(sw: StoryWorld) -> None:
    story = sw.story()
    other = build_world(code="nap-other", country="GHA")
    with pytest.raises(ValidationError, match="PA"):
        services.story_link(
            by=sw.users["monitor"],
            story=story,
            nodes=[other.pillars["PA"]],
            indicators=[],
            recommendations=[],
        )
    with pytest.raises(ValidationError, match="OTHER-1"):
        services.story_link(
            by=sw.users["monitor"],
            story=story,
            nodes=[],
            indicators=[other.indicator("OTHER-1")],
            recommendations=[],
        )
    assert not story.nodes.exists() and not story.indicators.exists()


def test_an_indicator_the_holders_people_may_not_see_is_refused(sw: StoryWorld) -> None:
    story = sw.story()
    secret = sw.world.indicator("SECRET-1", sensitivity=Sensitivity.RESTRICTED)
    with pytest.raises(ValidationError, match="SECRET-1"):
        services.story_link(
            by=sw.users["monitor"], story=story, nodes=[], indicators=[secret], recommendations=[]
        )
    assert not story.indicators.exists()
    # Nor is it offered on the form.
    client = Client()
    client.force_login(sw.users["monitor"])
    page = client.get(f"/plans/{sw.plan.code}/stories/{story.uid}/links/").content.decode()
    assert "O1" in page and "SECRET-1" not in page


def _api(sw: StoryWorld, body: dict[str, object]):  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user=sw.users["monitor"], name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return client.post(
        f"/api/v1/plans/{sw.plan.code}/stories", json.dumps(body), content_type="application/json"
    )


def test_the_api_links_by_code_and_refuses_an_unknown_code(sw: StoryWorld) -> None:
    sw.world.indicator("IND-1")
    body = {"kind": "testimony", "title": "Market", "text": "Told.", "language": "en"}
    response = _api(sw, body | {"nodes": ["PA", "O1"], "indicators": ["IND-1"]})
    assert response.status_code == 200, response.content
    assert response.json()["nodes"] == ["O1", "PA"]
    assert response.json()["indicators"] == ["IND-1"]
    refused = _api(sw, body | {"title": "Other", "nodes": ["PA", "NOPE-9"]})
    assert refused.status_code == 400
    assert "NOPE-9" in refused.content.decode()
    assert not Story.objects.filter(title="Other").exists()


def test_the_form_and_the_story_page_show_the_links(sw: StoryWorld) -> None:
    sw.world.indicator("IND-1")
    client = Client()
    client.force_login(sw.users["monitor"])
    form = client.get(f"/plans/{sw.plan.code}/stories/new/").content.decode()
    assert 'value="O1"' in form and "Outcome 1" in form and 'value="IND-1"' in form
    response = client.post(
        f"/plans/{sw.plan.code}/stories/new/",
        {
            "holder": sw.women.code,
            "kind": "testimony",
            "title": "Market",
            "text": "Told.",
            "language": "en",
            "sensitivity": "protected",
            "nodes": ["O1"],
            "indicators": ["IND-1"],
        },
    )
    assert response.status_code == 302
    story = Story.objects.get(title="Market")
    page = client.get(f"/plans/{sw.plan.code}/stories/{story.uid}/").content.decode()
    assert "Outcome 1" in page and "IND-1" in page and "Edit links" in page
    # The Edit links step replaces them.
    client.post(f"/plans/{sw.plan.code}/stories/{story.uid}/links/", {"nodes": ["PR"]})
    assert [n.code for n in story.nodes.all()] == ["PR"] and not story.indicators.exists()
    # A reader outside the holder sees them, without the step.
    sw.consent(story, "monitoring")
    services.story_share(by=sw.users["monitor"], story=story)
    viewer = Client()
    viewer.force_login(sw.users["viewer"])
    page = viewer.get(f"/plans/{sw.plan.code}/stories/{story.uid}/").content.decode()
    assert "Protection" in page and "Edit links" not in page
    assert viewer.get(f"/plans/{sw.plan.code}/stories/{story.uid}/links/").status_code in (
        403,
        404,
    )
