"""Every service write is one transaction: each public function of an app's `services` module
(or package) is decorated with core.services.service, which runs it in transaction.atomic()."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest
from django.contrib.auth.models import User
from django.db import transaction

import wpsmonitor
from wpsmonitor.core.services import is_service, service


def _service_modules() -> list[ModuleType]:
    """Each app's `services` module, or each public module of its `services` package (a module
    whose name starts with _ holds helpers that the package's services share)."""
    found = []
    for info in pkgutil.walk_packages(wpsmonitor.__path__, "wpsmonitor."):
        parts = info.name.split(".")
        if parts[1] == "core" or parts[-1].startswith("_"):
            continue
        if parts[2:3] == ["services"]:
            found.append(importlib.import_module(info.name))
    return found


def _public_functions(module: ModuleType) -> list[tuple[str, object]]:
    return [
        (name, obj)
        for name, obj in vars(module).items()
        if inspect.isfunction(obj)
        and not name.startswith("_")
        # Defined here, not imported from elsewhere (a helper of another layer, say).
        and (obj.__module__ == module.__name__ or is_service(obj))
    ]


def test_there_are_service_modules_to_check() -> None:
    names = {m.__name__ for m in _service_modules()}
    assert {"wpsmonitor.plans.services", "wpsmonitor.boards.services"} <= names


@pytest.mark.parametrize("module", _service_modules(), ids=lambda m: m.__name__)
def test_every_public_service_function_is_one_transaction(module: ModuleType) -> None:
    bare = [name for name, function in _public_functions(module) if not is_service(function)]
    assert bare == [], f"{module.__name__}: decorate with @service: {bare}"


@pytest.mark.django_db(transaction=True)
def test_a_service_that_fails_half_way_leaves_nothing_behind() -> None:
    @service
    def create_then_fail() -> None:
        User.objects.create(username="half-way")
        raise ValueError("refused after the first write")

    with pytest.raises(ValueError):
        create_then_fail()
    assert not User.objects.filter(username="half-way").exists()


@pytest.mark.django_db(transaction=True)
def test_a_service_called_from_another_joins_its_transaction() -> None:
    @service
    def inner() -> None:
        assert transaction.get_connection().in_atomic_block
        User.objects.create(username="inner")

    @service
    def outer() -> None:
        inner()
        raise ValueError("the outer service fails after the inner one wrote")

    with pytest.raises(ValueError):
        outer()
    assert not User.objects.filter(username="inner").exists()
