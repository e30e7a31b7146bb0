"""History outlives accounts, and the admin deletes nothing with history or files (issue 12 §1).

A deleted user's name stays on the history that user made: each history table keeps the
actor's name beside the foreign key that deletion sets to null (core/history.py). The admin
refuses to delete every model holding history or files; the few it may delete hold neither
(docs/security.md, "What the admin may delete").
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from tests.api.conftest import ApiClient, World
from tests.reporting.conftest import build_cycle

from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.history import kept_name
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import DataValueAudit, Source
from wpsmonitor.reporting import services
from wpsmonitor.reporting.models import SubmissionEvent


def test_a_deleted_users_name_stays_on_the_value_audit(world: World) -> None:
    world.writer.first_name, world.writer.last_name = "Amina", "Odhiambo"
    world.writer.save()
    # An update through the ingest writes its audit rows in SQL, not through the models.
    values_ingest(
        plan=world.nap.code,
        user=world.writer,
        rows=[
            {"indicator": "PAR-1", "period": "2024Q1", "area": "KEN", "cell": "sex=F", "value": 13}
        ],
    )
    world.writer.delete()
    audit = DataValueAudit.objects.get()
    assert audit.changed_by is None
    assert kept_name(audit, "changed_by") == audit.changed_by_name == "Amina Odhiambo"


@pytest.mark.django_db
def test_a_deleted_users_name_stays_on_the_submission_history_and_is_shown() -> None:
    cycle = build_cycle()
    focal = cycle.users["focal"]
    submission = services.submission_start(
        by=focal, round_=cycle.round, organisation=cycle.built.ministry, area=cycle.province
    )
    assert SubmissionEvent.objects.get(submission=submission).actor_name == "focal"  # on write
    focal.delete()
    _token, raw = ApiToken.issue(user=cycle.users["coordinator"], name="t")
    body = ApiClient(raw).get(f"/submissions/{submission.pk}").json()
    assert [e["actor"] for e in body["events"]] == ["focal"]
    page = Client()
    page.force_login(cycle.users["coordinator"])
    html = page.get(reverse("reporting:submission", args=[submission.pk]))
    assert html.status_code == 200
    history = html.content.decode().split('class="history"', 1)[-1]
    assert "focal" in history and "unknown" not in history.split("</ol>", 1)[0]


def test_names_kept_when_a_user_is_deleted_even_on_rows_written_without_them(
    world: World,
) -> None:
    # A bulk insert skips pre_save: the name is taken just before the account goes.
    user = User.objects.create_user("gone", first_name="Grace")
    baseline = world.par1.baselines.get()
    DataValueAudit.objects.bulk_create(
        [
            DataValueAudit(
                indicator=world.par1,
                period_id=baseline.period_id,
                area=world.ken,
                cell_id=baseline.cell_id,
                source=Source.objects.get(code="gov"),
                action="update",
                changed_by=user,
                changed_at=timezone.now(),
            )
        ]
    )
    assert DataValueAudit.objects.get(changed_by=user).changed_by_name == ""
    user.delete()
    assert DataValueAudit.objects.get(changed_by=None).changed_by_name == "Grace"


def test_every_history_table_keeps_the_names_of_its_users() -> None:
    # A history row (an event, an audit, a change) that points at a user with SET_NULL keeps
    # that user's name beside the key.
    history = [
        m
        for m in apps.get_models()
        if m.__name__.endswith(("Event", "Audit", "Change"))
        and m._meta.app_label not in ("admin", "axes")
    ]
    assert {m.__name__ for m in history} >= {
        "DataValueAudit",
        "SubmissionEvent",
        "StatusChange",
        "ReportEvent",
        "RoleEvent",
    }
    for model in history:
        users = {
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey)
            and f.related_model is User
            and f.remote_field.on_delete is models.SET_NULL
        }
        assert users <= set(getattr(model, "kept_names", {})), model.__name__


# Models the admin may delete: structure that holds no file and no history of its own; what
# refers to them with history protects them (PROTECT), so the admin refuses while it does.
MAY_DELETE = {"directory.organisation", "directory.arealevel", "directory.area"}
MAY_DELETE |= {"indicators.globalindicator", "auth.group"}
# A lockout counter: deleting it is how the administrator unlocks an account (the sign-in
# audit itself, axes' access logs, is read-only).
MAY_DELETE |= {"axes.accessattempt"}
# A lost phone: the administrator deletes the account's authenticator and recovery codes, and
# the account sets up a new one at its next sign-in (docs/security.md, two-factor sign-in).
MAY_DELETE |= {"otp_totp.totpdevice", "otp_static.staticdevice"}


def _has_files(model: type[models.Model]) -> bool:
    return any(isinstance(f, models.FileField) for f in model._meta.get_fields())


@pytest.mark.django_db
def test_the_admin_deletes_only_what_holds_no_history_or_files() -> None:
    root = User.objects.create_superuser("root", password="x")
    request: Any = RequestFactory().get("/admin/")
    request.user = root
    deletable = set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        assert not _has_files(model), f"{label} has files: the admin must not hold it"
        if model_admin.has_delete_permission(request):
            deletable.add(label)
    assert deletable <= MAY_DELETE, deletable - MAY_DELETE
    assert "auth.user" not in deletable  # users are deactivated, their history kept


@pytest.mark.django_db
def test_what_the_admin_may_delete_is_protected_while_history_refers_to_it(
    world: World,
) -> None:
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        world.ken.delete()  # values, plans and roles refer to it
