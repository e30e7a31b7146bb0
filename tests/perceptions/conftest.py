"""A plan with a women's organisation that runs a perception survey, and a user in every
position."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import World, build_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.perceptions import services
from wpsmonitor.perceptions.models import Round, Survey
from wpsmonitor.perceptions.template import template_questions


@dataclass
class SurveyWorld:
    world: World
    women: Organisation  # the civil-society organisation that runs the rounds
    ministry: Organisation
    users: dict[str, User]

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan

    def area(self, key: str) -> Area:
        return self.world.areas[key]

    def survey(self, **kwargs: object) -> Survey:
        fields: dict[str, object] = {
            "code": "pps",
            "title": "Women's perceptions of security",
            "node": "O3",
            "frequency": "year",
            "areas": [self.area("D11"), self.area("D21")],
            "dimensions": ["sex"],
            "questions": template_questions("en"),
        }
        fields.update(kwargs)
        return services.survey_set_up(
            by=self.users["coordinator"],
            plan=self.plan,
            **fields,  # type: ignore[arg-type]
        )

    def round(self, survey: Survey, period: str = "2025", organisation: str = "women") -> Round:
        return services.round_open(
            by=self.users["coordinator"],
            survey=survey,
            period=period,
            organisation=getattr(self, organisation),
        )


def _user(name: str, **kwargs: object) -> User:
    return get_user_model().objects.create_user(username=name, password="x", **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def pw(db: None) -> SurveyWorld:
    world = build_world()
    women = Organisation.objects.create(
        code="women-watch", name="Women's Watch", type="civil_society", women_led=True
    )
    ministry = Organisation.objects.create(code="min-gender", name="Ministry", type="government")
    users = {
        name: _user(name)
        for name in ("monitor", "coordinator", "focal", "focal_p1", "viewer", "outsider")
    }
    users["admin"] = _user("admin", is_superuser=True, is_staff=True)
    grants = [
        ("monitor", Role.MONITOR, women, None),
        ("coordinator", Role.COORDINATOR, None, None),
        ("focal", Role.FOCAL_POINT, ministry, None),
        ("focal_p1", Role.FOCAL_POINT, ministry, world.areas["P1"]),
        ("viewer", Role.VIEWER, None, None),
    ]
    for name, role, organisation, area in grants:
        PlanRole.objects.create(
            user=users[name], plan=world.plan, role=role, organisation=organisation, area=area
        )
    return SurveyWorld(world=world, women=women, ministry=ministry, users=users)
