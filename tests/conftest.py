"""Test configuration shared by every test.

pytest-django loads the settings before any conftest runs, so environment variables set here
would come too late; the fixture below overrides settings instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _isolated_settings(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Background tasks run in the calling process, and uploads go to a throw-away folder.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = Path(tmp_path_factory.mktemp("media"))
