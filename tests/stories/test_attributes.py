"""The storyteller's attributes a plan's stories record (docs/stories.md, "The storyteller's
attributes"): the default three; the coordinator's choice, which the record form, the API, the
exports and the story's page follow; answers outside the vocabulary or the choice refused with a
sentence naming them; no one else changes the choice; a coarse reading carries none."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import django_otp
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.stories.conftest import StoryWorld

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import attributes, services
from wpsmonitor.stories.models import Story, StorySettings
from wpsmonitor.stories.reading import read_story

pytestmark = pytest.mark.django_db

DEFAULT = ["age", "disability", "displacement"]


def _client(sw: StoryWorld, name: str | None, *, verified: bool = False) -> Client:
    client = Client()
    if name is not None:
        client.force_login(sw.users[name])
    if verified:
        device = TOTPDevice.objects.create(user=sw.users[name], name="phone", confirmed=True)
        session = client.session
        session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _api(user: User) -> Client:
    # A token that reads sensitive items: the holder reads its own stories whole through it.
    _token, raw = ApiToken.issue(user=user, name="test", reads_sensitive=True)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _choose(sw: StoryWorld, *codes: str) -> None:
    services.story_settings_set(by=sw.users["coordinator"], plan=sw.plan, attributes=codes)


def _form_fields(sw: StoryWorld) -> list[str]:
    """The storyteller's selects of the record form, in order."""
    page = _client(sw, "monitor").get(f"/plans/{sw.plan.code}/stories/new/")
    assert page.status_code == 200
    fieldset = page.content.decode().split("never a name)</legend>")[1].split("</fieldset>")[0]
    return re.findall(r'<select id="st-[^"]+" name="([^"]+)"', fieldset)


def _post_story(sw: StoryWorld, **answers: str) -> Any:
    form = {
        "holder": "women-watch",
        "kind": "testimony",
        "title": "Return to the market",
        "text": "She told us how the patrols changed.",
        "language": "en",
        "sensitivity": "protected",
        **answers,
    }
    return _client(sw, "monitor").post(f"/plans/{sw.plan.code}/stories/new/", form)


def _api_post(sw: StoryWorld, storyteller: dict[str, str]) -> Any:
    body = {
        "kind": "testimony",
        "title": "Return to the market",
        "text": "She told us how the patrols changed.",
        "language": "en",
        "storyteller": storyteller,
    }
    return _api(sw.users["monitor"]).post(
        f"/api/v1/plans/{sw.plan.code}/stories", json.dumps(body), content_type="application/json"
    )


def _shared(sw: StoryWorld, storyteller: dict[str, str]) -> Story:
    story = sw.story(storyteller=storyteller)
    sw.consent(story, "monitoring")
    return services.story_share(by=sw.users["monitor"], story=story)


def _csv(client: Client, sw: StoryWorld) -> list[dict[str, str]]:
    response = client.get(f"/plans/{sw.plan.code}/stories/export/", {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# --- the default --------------------------------------------------------------------------------


def test_a_plan_that_never_chose_records_the_three_it_always_did(sw: StoryWorld) -> None:
    assert not StorySettings.objects.exists()
    assert attributes.chosen_codes(sw.plan) == DEFAULT
    assert _form_fields(sw) == DEFAULT
    answer = _client(sw, "viewer").get(f"/api/v1/plans/{sw.plan.code}/stories/attributes")
    assert answer.status_code == 200
    assert [a["code"] for a in answer.json()] == DEFAULT
    assert {"code": "18-29", "label": "18 to 29"} in answer.json()[0]["answers"]
    # Recorded as before.
    assert _post_story(sw, age="18-29", displacement="idp").status_code == 302
    assert Story.objects.get().storyteller == {"age": "18-29", "displacement": "idp"}


# --- a plan's choice ------------------------------------------------------------------------


def test_a_plan_choosing_sex_and_setting_asks_exactly_those(sw: StoryWorld) -> None:
    _choose(sw, "setting", "sex")  # kept in the vocabulary's order
    assert StorySettings.objects.get(plan=sw.plan).attributes == ["sex", "setting"]
    assert _form_fields(sw) == ["sex", "setting"]
    api = _client(sw, "viewer").get(f"/api/v1/plans/{sw.plan.code}/stories/attributes").json()
    assert [a["code"] for a in api] == ["sex", "setting"]

    assert _post_story(sw, sex="woman", setting="camp").status_code == 302
    story = Story.objects.get()
    assert story.storyteller == {"sex": "woman", "setting": "camp"}

    # The holder's page, read whole, and the holder's export: the plan's attributes, named.
    body = _client(sw, "monitor", verified=True).get(f"/plans/{sw.plan.code}/stories/{story.uid}/")
    text = body.content.decode()
    assert "<dt>Sex</dt><dd>Woman or girl</dd>" in text
    assert (
        "<dt>Rural or urban setting</dt><dd>A camp or settlement of displaced people</dd>" in text
    )
    assert "<dt>Age</dt>" not in text and "<dt>Disability</dt>" not in text
    (row,) = _csv(_client(sw, "monitor"), sw)
    columns = [c for c in row if c.startswith("Storyteller:")]
    assert columns == ["Storyteller: Sex", "Storyteller: Rural or urban setting"]
    assert row["Storyteller: Sex"] == "Woman or girl"
    assert row["Storyteller: Rural or urban setting"] == "A camp or settlement of displaced people"


def test_a_plan_may_record_nothing_about_the_storyteller(sw: StoryWorld) -> None:
    _choose(sw)
    assert _form_fields(sw) == []
    assert _api_post(sw, {}).status_code == 200
    assert _api_post(sw, {"age": "18-29"}).status_code == 400


def test_an_attribute_no_longer_asked_stays_with_the_stories_that_have_it(sw: StoryWorld) -> None:
    story = sw.story(storyteller={"age": "18-29", "disability": "yes"})
    _choose(sw, "sex")
    story.refresh_from_db()
    assert story.storyteller == {"age": "18-29", "disability": "yes"}  # nothing erased
    assert _form_fields(sw) == ["sex"]
    # Whoever reads it whole still reads them, after the plan's own.
    text = (
        _client(sw, "monitor", verified=True)
        .get(f"/plans/{sw.plan.code}/stories/{story.uid}/")
        .content.decode()
    )
    assert "<dt>Sex</dt><dd>Not recorded</dd>" in text
    assert "<dt>Age</dt><dd>18 to 29</dd>" in text
    assert "<dt>Disability</dt><dd>Has a disability</dd>" in text
    (row,) = _csv(_client(sw, "monitor"), sw)
    assert row["Storyteller: Sex"] == "" and row["Storyteller: Age"] == "18 to 29"
    api = _api(sw.users["monitor"]).get(f"/api/v1/plans/{sw.plan.code}/stories/{story.uid}")
    assert api.json()["storyteller"] == {"age": "18-29", "disability": "yes"}


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        ({"sex": "female-ish"}, "Choose an answer on sex from the list."),
        ({"setting": "village"}, "Choose a setting from the list."),
        # A page opened before the coordinator stopped asking the age.
        ({"sex": "woman", "age": "18-29"}, "no longer records the storyteller's attribute"),
    ],
)
def test_the_form_refuses_an_answer_outside_the_plans_choice(
    sw: StoryWorld, answers: dict[str, str], says: str
) -> None:
    _choose(sw, "sex", "setting")
    response = _post_story(sw, **answers)
    assert response.status_code == 400
    assert says in response.content.decode().replace("&#x27;", "'")
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    ("storyteller", "says"),
    [
        ({"colour": "red"}, '"colour" is not a storyteller\'s attribute'),
        ({"age": "18-29"}, 'does not record the storyteller\'s attribute "age"'),
        ({"sex": "female-ish"}, '"female-ish" is not an answer for the attribute "sex"'),
        ({"sex": "female-ish"}, "woman, man, other"),
    ],
)
def test_the_api_refuses_an_attribute_or_answer_naming_it(
    sw: StoryWorld, storyteller: dict[str, str], says: str
) -> None:
    _choose(sw, "sex", "setting")
    response = _api_post(sw, storyteller)
    assert response.status_code == 400, response.content
    body = response.json()
    assert says in body["detail"]
    assert body["errors"][0]["field"] == "storyteller"
    assert not Story.objects.exists()


def test_the_service_refuses_them_too(sw: StoryWorld) -> None:
    with pytest.raises(ValidationError, match="records: age, disability, displacement"):
        sw.story(storyteller={"ex_combatant": "yes"})
    with pytest.raises(ValidationError, match="use one of: yes, no"):
        sw.story(storyteller={"disability": "maybe"})
    assert not Story.objects.exists()


# --- who chooses ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["monitor", "second", "focal", "viewer", "outsider"])
def test_no_one_but_the_coordinator_changes_the_choice(sw: StoryWorld, who: str) -> None:
    url = f"/plans/{sw.plan.code}/stories/settings/"
    client = _client(sw, who)
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"attributes": ["sex"]}).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        services.story_settings_set(by=sw.users[who], plan=sw.plan, attributes=["sex"])
    assert not StorySettings.objects.exists()
    # The list links the page only for whom it lets in.
    sw.plan.status = PlanStatus.IMPLEMENTATION
    sw.plan.save(update_fields=["status"])
    assert url not in client.get(f"/plans/{sw.plan.code}/stories/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(sw: StoryWorld) -> None:
    response = Client().post(f"/plans/{sw.plan.code}/stories/settings/", {"attributes": ["sex"]})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not StorySettings.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_the_coordinator_chooses_on_a_page(sw: StoryWorld, who: str) -> None:
    url = f"/plans/{sw.plan.code}/stories/settings/"
    client = _client(sw, who)
    page = client.get(url).content.decode()
    for code in DEFAULT:
        assert f'value="{code}" checked' in page
    assert 'value="sex" aria' in page  # offered, not chosen
    assert url in client.get(f"/plans/{sw.plan.code}/stories/").content.decode()
    response = client.post(url, {"attributes": ["sex", "head_of_household"]})
    assert response.status_code == 302
    assert attributes.chosen_codes(sw.plan) == ["sex", "head_of_household"]
    # Unknown codes are refused, and the choice stays as it was.
    refused = client.post(url, {"attributes": ["sex", "survivor"]})
    assert refused.status_code == 400
    assert "Choose the storyteller" in refused.content.decode()
    with pytest.raises(ValidationError, match='"survivor" is not'):
        services.story_settings_set(by=sw.users[who], plan=sw.plan, attributes=["survivor"])
    assert attributes.chosen_codes(sw.plan) == ["sex", "head_of_household"]


def test_what_is_never_asked_is_not_in_the_vocabulary() -> None:
    codes = {a.code for a in attributes.VOCABULARY}
    assert not codes & {"survivor", "sexual_violence", "ethnicity", "religion", "name"}
    # Fixed answers only, each attribute with at least two.
    assert all(len(a.answers) >= 2 for a in attributes.VOCABULARY)


# --- coarse readings ------------------------------------------------------------------------


def test_a_coarse_reading_carries_no_attribute(sw: StoryWorld) -> None:
    _choose(sw, "age", "sex", "setting")
    story = _shared(sw, {"age": "60+", "sex": "woman", "setting": "camp"})
    coordinator = PlanAccess.load(sw.users["coordinator"], sw.plan)
    read = read_story(coordinator, story, channel="page")
    assert read is not None and read.coarse and read.storyteller == {}
    # The holder reads them whole (with a second factor).
    holder = read_story(
        PlanAccess.load(sw.users["monitor"], sw.plan), story, channel="page", verified=True
    )
    assert holder is not None and holder.storyteller == {
        "age": "60+",
        "sex": "woman",
        "setting": "camp",
    }

    client = _client(sw, "coordinator", verified=True)
    page = client.get(f"/plans/{sw.plan.code}/stories/{story.uid}/").content.decode()
    assert "60 or older" not in page and "Woman or girl" not in page
    assert "<dt>Sex</dt>" not in page and "Not recorded</dd>" not in page.split("<dt>When")[1]
    api = client.get(f"/api/v1/plans/{sw.plan.code}/stories/{story.uid}").json()
    assert api["reading"] == "coarse" and api["storyteller"] == {}
    listed = client.get(f"/api/v1/plans/{sw.plan.code}/stories").json()["items"]
    assert [s["storyteller"] for s in listed] == [{}]
    (row,) = _csv(client, sw)
    assert row["Reading"] == "coarse"
    assert all(row[c] == "" for c in row if c.startswith("Storyteller"))
    assert "60 or older" not in row.values() and "Woman or girl" not in row.values()
