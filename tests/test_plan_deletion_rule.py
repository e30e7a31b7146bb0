"""Deleting a plan deletes everything under it: no PROTECT link stands in the way.

The rule (docs/architecture.md, "Deleting a plan"): the models deleted with a plan are those
reachable from `plans.Plan` through CASCADE links. A link from one of them to another of them is
CASCADE or RESTRICT, never PROTECT: PROTECT refuses the deletion even when both rows go in the
same delete, RESTRICT refuses it only when the target is deleted alone. Every other PROTECT link
points at a shared record that no plan deletion removes (an organisation, an area, a period...),
listed below with the reason its deletion is refused while used; a PROTECT link that is neither
fails here, with its name.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Field

# Shared records, never deleted with a plan: deleting one is refused while anything uses it.
SHARED_TARGETS = {
    "directory.Organisation": "referenced from many places (roles, submissions, values' "
    "sources, stories...): deleting an organisation must be refused while it is used",
    "directory.Area": "the country's areas: figures, plans and registers are located in them",
    "directory.AreaLevel": "an area's level: the area tree is shared by every plan",
    "indicators.Period": "periods are shared codes (2024-Q1); values and targets are dated by them",
    "indicators.Source": "a source is cited by values of several plans; its figures keep it",
    "iati.Organisation": "IATI publishers, shared by every activity that names them",
}

# PROTECT links to a record deleted with a plan, kept on purpose.
EXCEPTIONS = {
    "plans.Plan.parent": "a local plan is a plan of its own, not deleted with the national "
    "plan: deleting the national plan is refused while local plans derive from it (delete "
    "them first)",
}


def _label(field: Field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def deleted_with_a_plan() -> set[type[models.Model]]:
    """The models reachable from plans.Plan through CASCADE links (hidden ones included:
    `related_name="+"` links do not show in `_meta.related_objects`)."""
    plan = apps.get_model("plans", "Plan")
    reached = {plan}
    todo = [plan]
    while todo:
        model = todo.pop()
        for rel in model._meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
                continue
            if rel.on_delete is models.CASCADE and rel.related_model not in reached:
                reached.add(rel.related_model)
                todo.append(rel.related_model)
    return reached


def protect_links() -> list[Field]:
    links = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields(include_hidden=True):
            if (
                getattr(field, "concrete", False)
                and field.is_relation
                and (field.many_to_one or field.one_to_one)
                and field.remote_field.on_delete is models.PROTECT
            ):
                links.append(field)
    return links


def test_the_walk_reaches_the_plans_features() -> None:
    # A walker that missed hidden links would find nothing to refuse.
    reached = {m._meta.label for m in deleted_with_a_plan()}
    for label in (
        "plans.FrameworkNode",
        "indicators.Indicator",
        "indicators.DimensionOption",
        "indicators.DataValue",
        "security.PackageAdoption",
        "earlywarning.ResponseIndicators",
        "perceptions.Question",
        "publishing.Release",
        "reports.GeneratedReport",
        "conduct.Allegation",
    ):
        assert label in reached, label
    assert not {"directory.Organisation", "indicators.Period"} & reached


def test_no_protect_link_between_two_records_deleted_with_the_same_plan() -> None:
    reached = deleted_with_a_plan()
    offenders = [
        _label(f)
        for f in protect_links()
        if f.model in reached and f.related_model in reached and _label(f) not in EXCEPTIONS
    ]
    assert not offenders, f"PROTECT under a plan (make them RESTRICT or CASCADE): {offenders}"


def test_every_protect_link_is_accounted_for() -> None:
    reached = deleted_with_a_plan()
    unexplained = []
    for field in protect_links():
        target = field.related_model._meta.label
        if _label(field) in EXCEPTIONS:
            continue
        if target in SHARED_TARGETS and field.related_model not in reached:
            continue
        unexplained.append(f"{_label(field)} -> {target}")
    assert not unexplained, (
        "PROTECT to a record deleted with a plan blocks deleting the plan: make it RESTRICT "
        f"or CASCADE, or list it with a reason here: {unexplained}"
    )


def test_the_lists_name_real_protect_links() -> None:
    labels = {_label(f) for f in protect_links()}
    assert set(EXCEPTIONS) <= labels, set(EXCEPTIONS) - labels
    targets = {f.related_model._meta.label for f in protect_links()}
    assert set(SHARED_TARGETS) <= targets, set(SHARED_TARGETS) - targets
    assert all(reason.strip() for reason in (*EXCEPTIONS.values(), *SHARED_TARGETS.values()))
