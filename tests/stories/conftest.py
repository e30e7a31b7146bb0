"""A plan with a women's organisation that holds stories, and one user in every position."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import World, build_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Story

# Planted in every encrypted field: it must never be found in the database's own bytes.
MARKER = "ZEBRA-7731"


@dataclass
class StoryWorld:
    world: World
    women: Organisation  # the civil-society organisation that holds the stories
    ministry: Organisation
    users: dict[str, User]

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan

    def story(self, by: str = "monitor", **kwargs: object) -> Story:
        fields: dict[str, object] = {
            "kind": "testimony",
            "title": "Return to the market",
            "text": f"She told us how the patrols changed. {MARKER}",
            "language": "en",
            "area": self.world.areas["D11"],
            "happened_on": date(2025, 3, 14),
            "storyteller": {"age": "18-29"},
        }
        fields.update(kwargs)
        return services.story_record(
            by=self.users[by],
            plan=self.plan,
            holder=self.women,
            **fields,  # type: ignore[arg-type]
        )

    def consent(self, story: Story, *purposes: str, **kwargs: object):  # type: ignore[no-untyped-def]
        fields: dict[str, object] = {
            "given_by": f"the storyteller {MARKER}",
            "method": "written",
            "given_on": date(2025, 3, 14),
        }
        fields.update(kwargs)
        return services.consent_record(
            by=self.users["monitor"],
            story=story,
            purposes=set(purposes),
            **fields,  # type: ignore[arg-type]
        )


def _user(name: str, **kwargs: object) -> User:
    return get_user_model().objects.create_user(username=name, password="x", **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def sw(db: None) -> StoryWorld:
    world = build_world()
    women = Organisation.objects.create(
        code="women-watch", name="Women's Watch", type="civil_society", women_led=True
    )
    ministry = Organisation.objects.create(code="min-gender", name="Ministry", type="government")
    users = {
        name: _user(name)
        for name in ("monitor", "second", "coordinator", "focal", "viewer", "outsider", "named")
    }
    users["admin"] = _user("admin", is_superuser=True, is_staff=True)
    plan = world.plan
    grants = [
        ("monitor", Role.MONITOR, women),
        ("second", Role.ORGANISATION_ADMIN, women),
        ("coordinator", Role.COORDINATOR, None),
        ("focal", Role.FOCAL_POINT, ministry),
        ("viewer", Role.VIEWER, None),
    ]
    for name, role, organisation in grants:
        PlanRole.objects.create(user=users[name], plan=plan, role=role, organisation=organisation)
    return StoryWorld(world=world, women=women, ministry=ministry, users=users)
