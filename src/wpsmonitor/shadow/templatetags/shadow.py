"""Shadow monitoring's template tags."""

from __future__ import annotations

from django import template

from wpsmonitor.shadow.selectors import gap_words

register = template.Library()


@register.simple_tag
def gap_text(gap: int | None) -> str:
    """How far apart two accounts of an action are, in words (shadow.selectors.gap_words)."""
    return gap_words(gap)
