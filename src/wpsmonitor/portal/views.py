from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wpsmonitor.plans.models import Plan


def home(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.select_related("area").order_by("area__name", "-start")
    return render(request, "portal/home.html", {"plans": plans})
