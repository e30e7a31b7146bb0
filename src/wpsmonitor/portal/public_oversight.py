"""Auditing bodies and parliament on the public portal (docs/oversight.md, "On the public
portal"): the plan's published audits with their findings, and its published hearings with
their commitments, each with its recommendation's status in the tracker. Nothing unpublished,
no one's name (who recorded, who changed, who testified), no response, no shared document.

Not cached as a public page: oversight's writes and the tracker's status changes do not bump
the public generation (shell/public_cache.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.oversight import selectors as oversight
from wpsmonitor.portal.public_views import country_of


@require_safe
def plan_public_oversight(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code, may_open=lambda a: a.can_read_oversight())
    plan = access.plan
    return render(
        request,
        "portal/public/oversight.html",
        {
            "plan": plan,
            "country": country_of(plan),
            "audits": oversight.public_audits(plan),
            "hearings": oversight.public_hearings(plan),
        },
    )
