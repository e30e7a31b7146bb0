"""Stories in the JSON API: the holder records a story and its consent and withdraws it; bad
input and the wrong caller get a 4xx in the API's error shape and nothing is written; lists are
paged and filtered; the read log is the holder's alone (docs/api.md, "Stories")."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.stories.conftest import StoryWorld

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Consent, Story, StoryRead

pytestmark = pytest.mark.django_db


def _client(user: User, *, reads_sensitive: bool = False) -> Client:
    _token, raw = ApiToken.issue(user=user, name="test", reads_sensitive=reads_sensitive)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client: Client, url: str, body: Any) -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, raw, content_type="application/json")


def _story_body(**changes: Any) -> dict[str, Any]:
    body = {
        "kind": "testimony",
        "title": "Return to the market",
        "text": "She told us how the patrols changed.",
        "language": "en",
        "area": "SEN-D11",
        "happened_on": "2025-03-14",
        "storyteller": {"age": "18-29"},
    }
    body.update(changes)
    return body


def _consent_body(**changes: Any) -> dict[str, Any]:
    body = {
        "given_by": "the storyteller",
        "purposes": ["monitoring", "report"],
        "method": "written",
        "given_on": "2025-03-14",
    }
    body.update(changes)
    return body


def _error_shape(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"], body
    return body  # type: ignore[no-any-return]


def test_the_holder_records_a_story_its_consent_and_withdraws_it(sw: StoryWorld) -> None:
    monitor = _client(sw.users["monitor"], reads_sensitive=True)  # it reads its own whole
    url = f"/api/v1/plans/{sw.plan.code}/stories"
    response = _post(monitor, url, _story_body())
    assert response.status_code == 200, response.content
    story = response.json()
    assert story["status"] == "draft" and story["reading"] == "full"
    assert story["sensitivity"] == "protected" and story["area"] == "SEN-D11"
    assert story["happened"] == "2025-03-14" and story["holder"] == "Women's Watch"
    assert story["consents"] == []
    saved = Story.objects.get(uid=story["uid"])
    assert saved.holder == sw.women and saved.collected_by == sw.users["monitor"]

    response = _post(monitor, f"{url}/{story['uid']}/consents", _consent_body())
    assert response.status_code == 200, response.content
    consent = response.json()
    assert consent["purposes"] == ["monitoring", "report"] and consent["in_force"]
    assert "given_by" not in consent  # who consented stays encrypted, never sent back

    detail = monitor.get(f"{url}/{story['uid']}").json()
    assert [c["id"] for c in detail["consents"]] == [consent["id"]]

    withdraw = f"{url}/{story['uid']}/consents/{consent['id']}/withdraw"
    response = _post(monitor, withdraw, {"note": "she asked us to"})
    assert response.status_code == 200, response.content
    assert response.json()["withdrawn_on"] is not None and not response.json()["in_force"]
    assert Consent.objects.get(pk=consent["id"]).withdrawal_note == "she asked us to"
    # A second withdrawal is refused, in the error shape.
    again = _post(monitor, withdraw, {})
    assert again.status_code == 400 and "already" in _error_shape(again)["detail"]


def _consent_count_after(sw: StoryWorld, body: Any) -> tuple[Any, int]:
    story = sw.story()
    response = _post(
        _client(sw.users["monitor"]),
        f"/api/v1/plans/{sw.plan.code}/stories/{story.uid}/consents",
        body,
    )
    return response, Consent.objects.count()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (_story_body(kind="rumour"), "kind of story"),
        (_story_body(sensitivity="secret"), "sensitivity"),
        (_story_body(language="xx"), "languages"),
        (_story_body(title="   "), "title"),
        (_story_body(happened_on="2999-01-01"), "future"),
        (_story_body(area="NOWHERE"), "area"),
        (_story_body(holder="no-such-org"), "organisation"),
        (_story_body(storyteller={"age": 7}), "Invalid request"),
        ('{"kind": "testimony", "title": "A\\u0000B", "text": "x", "language": "en"}', "NUL"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_stories_are_refused_in_the_error_shape_and_nothing_is_written(
    sw: StoryWorld, body: Any, says: str
) -> None:
    response = _post(_client(sw.users["monitor"]), f"/api/v1/plans/{sw.plan.code}/stories", body)
    assert response.status_code == 400, response.content
    assert says in json.dumps(_error_shape(response))
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"purposes": []}, "what the consent is for"),
        ({"purposes": ["advertising"]}, "what the consent is for"),
        ({"method": "oral_witnessed"}, "witness"),
        ({"method": "telepathy"}, "way of giving consent"),
        ({"given_on": "2999-01-01"}, "future"),
        ({"valid_until": "2024-01-01"}, "end before"),
        ({"given_by": "\u0000"}, "NUL"),
    ],
)
def test_bad_consents_are_refused_in_the_error_shape_and_nothing_is_written(
    sw: StoryWorld, changes: dict[str, Any], says: str
) -> None:
    response, consents = _consent_count_after(sw, _consent_body(**changes))
    assert response.status_code == 400, response.content
    assert says in _error_shape(response)["detail"]
    assert consents == 0


def test_an_oral_consent_with_its_witness_is_recorded(sw: StoryWorld) -> None:
    response, consents = _consent_count_after(
        sw, _consent_body(method="oral_witnessed", witness="the village elder")
    )
    assert response.status_code == 200, response.content
    assert consents == 1


@pytest.mark.parametrize("who", ["coordinator", "focal", "viewer"])
def test_only_the_holders_people_write_and_the_others_get_403_with_nothing_written(
    sw: StoryWorld, who: str
) -> None:
    story = sw.story()
    consent = sw.consent(story, "monitoring")
    services.story_share(by=sw.users["monitor"], story=story)  # they may read it
    client = _client(sw.users[who])
    base = f"/api/v1/plans/{sw.plan.code}/stories"
    for url, body in [
        (base, _story_body(holder="women-watch")),
        (f"{base}/{story.uid}/consents", _consent_body()),
        (f"{base}/{story.uid}/consents/{consent.pk}/withdraw", {}),
    ]:
        response = _post(client, url, body)
        assert response.status_code == 403, (url, response.content)
        _error_shape(response)
    assert Story.objects.count() == 1 and Consent.objects.count() == 1
    assert Consent.objects.get().withdrawn_on is None


def test_a_caller_who_may_not_read_the_story_gets_404_not_403(sw: StoryWorld) -> None:
    # An outsider, the platform's administrator, or a coordinator before the draft is shared:
    # the story "does not exist" for them.
    story = sw.story()
    consent = sw.consent(story, "monitoring")
    base = f"/api/v1/plans/{sw.plan.code}/stories/{story.uid}"
    sw.plan.status = PlanStatus.IMPLEMENTATION
    sw.plan.save(update_fields=["status"])
    for who in ("coordinator", "outsider", "admin"):
        client = _client(sw.users[who])
        for url in (f"{base}/consents", f"{base}/consents/{consent.pk}/withdraw"):
            response = _post(client, url, _consent_body())
            assert response.status_code == 404, (who, url)
            assert _error_shape(response)["detail"] == "No such story."
        assert client.get(f"{base}/reads").status_code == 404
    unknown = f"/api/v1/plans/{sw.plan.code}/stories/00000000-0000-0000-0000-000000000000"
    assert _client(sw.users["coordinator"]).get(unknown).json()["detail"] == "No such story."
    assert Consent.objects.count() == 1


def test_a_session_does_not_write(sw: StoryWorld) -> None:
    client = Client()
    client.force_login(sw.users["monitor"])
    response = _post(client, f"/api/v1/plans/{sw.plan.code}/stories", _story_body())
    assert response.status_code == 401
    _error_shape(response)
    assert not Story.objects.exists()


def test_a_consent_of_another_story_is_not_found(sw: StoryWorld) -> None:
    one, other = sw.story(), sw.story(title="Another")
    consent = sw.consent(other, "monitoring")
    url = f"/api/v1/plans/{sw.plan.code}/stories/{one.uid}/consents/{consent.pk}/withdraw"
    response = _post(_client(sw.users["monitor"]), url, {})
    assert response.status_code == 404
    assert Consent.objects.get().withdrawn_on is None


def _shared(sw: StoryWorld, **kwargs: Any) -> Story:
    story = sw.story(**kwargs)
    sw.consent(story, "monitoring")
    return services.story_share(by=sw.users["monitor"], story=story)


def test_the_list_is_paged_and_filtered_and_logs_only_what_it_shows(sw: StoryWorld) -> None:
    for i in range(3):
        _shared(sw, title=f"Shared {i}", kind="observation" if i == 0 else "testimony")
    sw.story(title="A draft")
    client = _client(sw.users["coordinator"])
    url = f"/api/v1/plans/{sw.plan.code}/stories"
    page = client.get(url, {"limit": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert page["next"] and "offset=2" in page["next"]
    assert StoryRead.objects.count() == 2  # the two stories shown, not the third
    last = client.get(url, {"limit": 2, "offset": 2}).json()
    assert len(last["items"]) == 1 and last["next"] is None
    assert [s["title"] for s in client.get(url, {"kind": "observation"}).json()["items"]] == [
        "Shared 0"
    ]
    assert client.get(url, {"status": "draft"}).json() == {"count": 0, "next": None, "items": []}
    mine = _client(sw.users["monitor"]).get(url, {"status": "draft"}).json()
    assert [s["title"] for s in mine["items"]] == ["A draft"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "published"}, "status"), ({"kind": "rumour"}, "kind"), ({"limit": 0}, "limit")],
)
def test_bad_list_parameters_are_a_400_naming_the_parameter(
    sw: StoryWorld, params: dict[str, Any], field: str
) -> None:
    response = _client(sw.users["coordinator"]).get(f"/api/v1/plans/{sw.plan.code}/stories", params)
    assert response.status_code == 400
    assert [e["field"] for e in _error_shape(response)["errors"]] == [field]


def test_the_read_log_is_the_holders_alone(sw: StoryWorld) -> None:
    story = _shared(sw)
    base = f"/api/v1/plans/{sw.plan.code}/stories/{story.uid}"
    coordinator = _client(sw.users["coordinator"])
    assert coordinator.get(base).status_code == 200
    # A reader who may read the story, but does not hold it: 403, in the error shape.
    response = coordinator.get(f"{base}/reads")
    assert response.status_code == 403
    _error_shape(response)
    log = _client(sw.users["second"]).get(f"{base}/reads").json()
    assert log["count"] == 1
    [entry] = log["items"]
    assert (entry["reader"], entry["channel"], entry["reading"]) == ("coordinator", "api", "coarse")
    # The holder's own reads are not logged.
    _client(sw.users["monitor"]).get(base)
    assert StoryRead.objects.count() == 1


def test_anonymous_readers_read_approved_stories_of_a_public_plan_only(sw: StoryWorld) -> None:
    sw.plan.status = PlanStatus.IMPLEMENTATION
    sw.plan.save(update_fields=["status"])
    approved = sw.story(title="Approved one")
    sw.consent(approved, "monitoring", "report", "public")
    services.story_share(by=sw.users["monitor"], story=approved)
    services.story_approve(by=sw.users["second"], story=approved)
    _shared(sw, title="Shared one")
    url = f"/api/v1/plans/{sw.plan.code}/stories"
    page = Client().get(url).json()
    assert [s["title"] for s in page["items"]] == ["Approved one"]
    assert page["items"][0]["reading"] == "coarse"
    assert Client().get(f"{url}/{approved.uid}/reads").status_code == 403
    # A draft plan: no plan at all for them.
    sw.plan.status = PlanStatus.DRAFT
    sw.plan.save(update_fields=["status"])
    assert Client().get(url).status_code == 404


def test_a_date_the_schema_refuses_names_its_field(sw: StoryWorld) -> None:
    response = _post(
        _client(sw.users["monitor"]),
        f"/api/v1/plans/{sw.plan.code}/stories",
        _story_body(happened_on="14/03/2025"),
    )
    assert response.status_code == 400
    assert [e["field"] for e in _error_shape(response)["errors"]] == ["happened_on"]
    assert not Story.objects.exists()
    assert date(2025, 3, 14)  # the accepted form: ISO 8601 (docs/api.md)
