"""Server-rendered public pages. Views only parse the request, call selectors and render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wpsmonitor.portal import selectors
from wpsmonitor.portal.forms import language_names


def home(request: HttpRequest) -> HttpResponse:
    groups = selectors.plans_by_country(request.user)
    return render(request, "portal/home.html", {"groups": groups})


def plan_overview(request: HttpRequest, code: str) -> HttpResponse:
    plan = selectors.plan_for_viewer(request.user, code)
    context = {
        "plan": plan,
        "children": selectors.child_plans(request.user, plan),
        "plan_languages": language_names(plan.languages),
    }
    return render(request, "portal/plan.html", context)


def plan_areas(request: HttpRequest, code: str) -> HttpResponse:
    raise NotImplementedError


def indicator_detail(request: HttpRequest, code: str, indicator_code: str) -> HttpResponse:
    raise NotImplementedError
