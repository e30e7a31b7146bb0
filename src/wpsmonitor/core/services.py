"""The one rule for writes: a service is one transaction, and says so once.

Every public function of an app's `services` module is decorated with `@service`: it runs in
`transaction.atomic()`, so a refusal half-way (a PermissionDenied, a ValidationError, a crash)
leaves nothing behind, and a service called from another joins the caller's transaction.
tests/test_services_convention.py checks that no public service function goes without it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

SERVICE_MARK = "__wpsmonitor_service__"


def service(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` as one transaction (nested calls join the outer one)."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic():
            return function(*args, **kwargs)

    setattr(run, SERVICE_MARK, True)
    return run


def is_service(function: object) -> bool:
    return bool(getattr(function, SERVICE_MARK, False))
