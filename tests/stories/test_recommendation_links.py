"""A story speaks to the plan's recommendations (docs/stories.md, "A story"): its holder links
them with `story_link`, on the links step and through the API; only recommendations of the
story's plan; every reader of the story reads them, a coarse one and an anonymous one too; the
files export them in a column."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from tests.aggregation.conftest import build_world
from tests.stories.conftest import StoryWorld

from wpsmonitor.accountability import services as accountability
from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.plans.models import Plan
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Story
from wpsmonitor.stories.reading import read_story

pytestmark = pytest.mark.django_db


def _recommendation(sw: StoryWorld, plan: Plan, text: str, reference: str = "") -> Recommendation:
    return accountability.recommendation_create(
        by=sw.users["admin"],
        plan=plan,
        source="cedaw",
        issued_on=date(2024, 5, 2),
        text=text,
        addressees=[sw.ministry],
        reference=reference,
    )


def _shared(sw: StoryWorld, **kwargs: object) -> Story:
    story = sw.story(**kwargs)
    sw.consent(story, "monitoring")
    return services.story_share(by=sw.users["monitor"], story=story)


def _link(sw: StoryWorld, story: Story, by: str, *recommendations: Recommendation) -> Story:
    return services.story_link(
        by=sw.users[by],
        story=story,
        nodes=[sw.world.pillars["PA"]],
        indicators=[],
        recommendations=recommendations,
    )


def test_the_holder_links_recommendations_and_a_coarse_reader_reads_them(sw: StoryWorld) -> None:
    rec = _recommendation(sw, sw.plan, "Fund the women's protection committees.", "CEDAW/C/8 §23")
    story = _shared(sw)
    _link(sw, story, "second", rec)
    assert list(story.recommendations.all()) == [rec]
    read = read_story(PlanAccess.load(sw.users["viewer"], sw.plan), story, channel="page")
    assert read is not None and read.coarse
    assert read.recommendations == (rec.pk,)
    # The story's page lists it to that reader, linked to the recommendation's own page.
    viewer = Client()
    viewer.force_login(sw.users["viewer"])
    page = viewer.get(f"/plans/{sw.plan.code}/stories/{story.uid}/").content.decode()
    assert "Fund the women&#x27;s protection committees." in page
    assert "CEDAW/C/8 §23" in page
    assert reverse("accountability:detail", args=[sw.plan.code, rec.pk]) in page
    # Linking again replaces them.
    _link(sw, story, "monitor")
    assert not story.recommendations.exists()


def test_a_recommendation_of_another_plan_is_refused_and_nothing_is_linked(
    sw: StoryWorld,
) -> None:
    other = build_world(code="nap-other", country="GHA")
    theirs = _recommendation(sw, other.plan, "Another plan's recommendation.")
    story = sw.story()
    with pytest.raises(ValidationError, match=f"Recommendation {theirs.pk} is not"):
        _link(sw, story, "monitor", theirs)
    assert not story.recommendations.exists() and not story.nodes.exists()


def test_no_one_but_the_holder_links_a_recommendation(sw: StoryWorld) -> None:
    rec = _recommendation(sw, sw.plan, "Fund the committees.")
    story = _shared(sw)
    for name in ("coordinator", "focal", "viewer", "admin"):
        with pytest.raises(PermissionDenied):
            _link(sw, story, name, rec)
    assert not story.recommendations.exists()


def test_the_links_step_offers_the_plans_recommendations_only(sw: StoryWorld) -> None:
    ours = _recommendation(sw, sw.plan, "Fund the committees.", "UPR 12.4")
    other = build_world(code="nap-other", country="GHA")
    theirs = _recommendation(sw, other.plan, "Not this plan's.")
    story = sw.story()
    client = Client()
    client.force_login(sw.users["monitor"])
    url = f"/plans/{sw.plan.code}/stories/{story.uid}/links/"
    form = client.get(url).content.decode()
    assert f'value="{ours.pk}"' in form and "UPR 12.4 · Fund the committees." in form
    assert "Not this plan" not in form
    refused = client.post(url, {"nodes": ["PA"], "recommendations": [str(theirs.pk)]})
    assert refused.status_code == 400
    assert not story.recommendations.exists() and not story.nodes.exists()
    assert client.post(url, {"recommendations": [str(ours.pk)]}).status_code == 302
    assert list(story.recommendations.all()) == [ours]
    # The step shows what is linked, chosen.
    assert f'value="{ours.pk}" selected' in client.get(url).content.decode()


def _api(sw: StoryWorld, body: dict[str, object]):  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user=sw.users["monitor"], name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return client, client.post(
        f"/api/v1/plans/{sw.plan.code}/stories", json.dumps(body), content_type="application/json"
    )


def test_the_api_takes_recommendations_by_id_and_answers_with_them(sw: StoryWorld) -> None:
    rec = _recommendation(sw, sw.plan, "Fund the committees.")
    other = build_world(code="nap-other", country="GHA")
    theirs = _recommendation(sw, other.plan, "Not this plan's.")
    body = {"kind": "testimony", "title": "Market", "text": "Told.", "language": "en"}
    client, response = _api(sw, body | {"recommendations": [rec.pk, rec.pk]})
    assert response.status_code == 200, response.content
    assert response.json()["recommendations"] == [rec.pk]
    uid = response.json()["uid"]
    url = f"/api/v1/plans/{sw.plan.code}/stories"
    assert client.get(f"{url}/{uid}").json()["recommendations"] == [rec.pk]
    assert client.get(url).json()["items"][0]["recommendations"] == [rec.pk]
    # Another plan's recommendation, or none at all: 400 naming it, nothing recorded.
    for unknown in (theirs.pk, 987654):
        _client, refused = _api(sw, body | {"title": "Other", "recommendations": [unknown]})
        assert refused.status_code == 400
        assert f"no recommendation {unknown}" in refused.json()["detail"]
        assert refused.json()["errors"][0]["field"] == "recommendations"
        assert not Story.objects.filter(title="Other").exists()


def test_an_anonymous_reader_of_an_approved_story_reads_its_recommendations(
    sw: StoryWorld,
) -> None:
    sw.plan.status = PlanStatus.IMPLEMENTATION
    sw.plan.save(update_fields=["status"])
    rec = _recommendation(sw, sw.plan, "Fund the committees.")
    story = sw.story(title="Approved one")
    sw.consent(story, "monitoring", "report", "public")
    services.story_share(by=sw.users["monitor"], story=story)
    services.story_approve(by=sw.users["second"], story=story)
    _link(sw, story, "monitor", rec)
    answer = Client().get(f"/api/v1/plans/{sw.plan.code}/stories/{story.uid}").json()
    assert answer["reading"] == "coarse" and answer["recommendations"] == [rec.pk]
    page = Client().get(f"/plans/{sw.plan.code}/stories/{story.uid}/").content.decode()
    assert "Fund the committees." in page


def test_the_files_export_the_recommendations_in_a_column(sw: StoryWorld) -> None:
    first = _recommendation(sw, sw.plan, "Fund the committees.", "CEDAW/C/8 §23")
    second = _recommendation(sw, sw.plan, "Train the police.")
    story = _shared(sw)
    _link(sw, story, "monitor", first, second)
    client = Client()
    client.force_login(sw.users["coordinator"])
    url = reverse("stories:export", kwargs={"code": sw.plan.code})
    content = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(content)))
    record = dict(zip(header, row, strict=True))
    assert record["Reading"] == "coarse"
    assert record["Recommendations"] == f"{first.pk} (CEDAW/C/8 §23); {second.pk}"
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    table = book.worksheets[0]
    values = {cell.value: column for column, cell in enumerate(table[1])}
    assert table[2][values["Recommendations"]].value == record["Recommendations"]


def test_the_list_shows_the_stories_speaking_to_one_recommendation(sw: StoryWorld) -> None:
    """From the list, a reader finds the stories that speak to a recommendation (only those
    they may read), and a recommendation of another plan or no number filters nothing."""
    fund = _recommendation(sw, sw.plan, "Fund the women's protection committees.", "CEDAW §23")
    train = _recommendation(sw, sw.plan, "Train the police in gender.", "UPR §7")
    speaking = _shared(sw, title="The committee of Kabare")
    other = _shared(sw, title="A training in Uvira")
    _link(sw, speaking, "second", fund)
    _link(sw, other, "second", train)
    viewer = Client()
    viewer.force_login(sw.users["viewer"])
    url = reverse("stories:list", args=[sw.plan.code])
    page = viewer.get(url, {"recommendation": fund.pk}).content.decode()
    assert "The committee of Kabare" in page and "A training in Uvira" not in page
    assert 'name="recommendation"' in page and "CEDAW §23" in page
    for ignored in ("999999", "x"):
        page = viewer.get(url, {"recommendation": ignored}).content.decode()
        assert "The committee of Kabare" in page and "A training in Uvira" in page
