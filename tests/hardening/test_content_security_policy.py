"""A Content-Security-Policy on every page, and nothing in our pages that it would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

SRC = Path(__file__).resolve().parents[2] / "src" / "wpsmonitor"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


def test_the_policy_allows_our_own_origin_only() -> None:
    directives = dict(
        part.strip().split(" ", 1) for part in settings.CONTENT_SECURITY_POLICY.split(";")
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in settings.CONTENT_SECURITY_POLICY


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/api/v1/docs", "/api/v1/schema", "/no-such-page/"]
)
def test_pages_carry_the_policy(client: Client, path: str) -> None:
    response = client.get(path)
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_admin_pages_carry_the_policy(admin_client: Client) -> None:
    assert admin_client.get("/admin/")["Content-Security-Policy"]


def _sources() -> list[Path]:
    return [
        path
        for path in SRC.rglob("*")
        if path.suffix in {".html", ".py", ".svg"} and "migrations" not in path.parts
    ]


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("inline script", INLINE_SCRIPT),
        ("event-handler attribute", EVENT_HANDLER),
        ("style attribute", STYLE_ATTRIBUTE),
        ("style element", STYLE_ELEMENT),
    ],
)
def test_no_template_or_markup_needs_unsafe_inline(what: str, pattern: re.Pattern[str]) -> None:
    found = [
        f"{path.relative_to(SRC)}: {match.group(0)}"
        for path in _sources()
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"{what} (blocked by the Content-Security-Policy): {found}"
