"""The reporting cycle and the recommendation tracker, as their own folders build them."""

from __future__ import annotations

import pytest
from tests.accountability.conftest import Tracker, build_tracker
from tests.reporting.conftest import Cycle, build_cycle


@pytest.fixture
def cycle(db: None) -> Cycle:
    return build_cycle()


@pytest.fixture
def tracker(db: None) -> Tracker:
    return build_tracker()
