"""Field collection tests: the reporting cycle's plan, and a transport that answers from
recorded exchanges (tests/fieldcollection/recorded/). Only `urllib.request.urlopen`, the HTTP
transport, is replaced: every line of our clients runs."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from tests.reporting.conftest import Cycle, build_cycle

RECORDED = Path(__file__).parent / "recorded"


@pytest.fixture
def cycle(db: None) -> Cycle:
    return build_cycle()


class Replay:
    """Answers each request with the next recorded exchange, checking method and URL."""

    def __init__(self, name: str, **values: str) -> None:
        text = (RECORDED / name).read_text()
        for key, value in values.items():
            text = text.replace(key, value)
        self.exchanges = json.loads(text)["exchanges"]
        self.requests: list[urllib.request.Request] = []

    def __call__(self, request: urllib.request.Request, timeout: float = 0) -> Any:
        self.requests.append(request)
        expected = self.exchanges.pop(0)
        assert (request.get_method(), request.full_url) == (expected["method"], expected["url"])
        body = json.dumps(expected["body"]).encode()
        if expected["status"] >= 400:
            raise urllib.error.HTTPError(
                request.full_url,
                expected["status"],
                "",
                {},
                io.BytesIO(body),  # type: ignore[arg-type]
            )
        return _Reply(expected["status"], body)


class _Reply(io.BytesIO):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(body)
        self.status = status


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def start(name: str, **values: str) -> Replay:
        player = Replay(name, **values)
        monkeypatch.setattr(urllib.request, "urlopen", player)
        return player

    return start
