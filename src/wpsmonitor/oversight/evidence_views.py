"""The auditor's list of approved submissions (docs/oversight.md, "The auditor's list of
approved submissions"): `/plans/<code>/oversight/evidence/`, for whom
`PlanAccess.can_read_audit_evidence` lets in (the coordinator and the plan's auditors),
filtered by period and organisation, paginated. Each file links to reporting's
access-checked download; each submission to its page (`can_view_submission`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.oversight import evidence_selectors as selectors
from wpsmonitor.shell.requests import SignedInRequest

PAGE_SIZE = 25


@require_safe
@login_required
def evidence(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_read_audit_evidence():
        raise PermissionDenied
    periods = selectors.evidence_periods(access.plan)
    organisations = selectors.evidence_organisations(access.plan)
    # A value that is not one of the choices (an old link, a typo) filters nothing: the form
    # then shows "Any", as the list does.
    period = request.GET.get("period", "")
    organisation = request.GET.get("organisation", "")
    filters = selectors.EvidenceFilters(
        period=period if period in {p.code for p in periods} else "",
        organisation=organisation if organisation in {o.code for o in organisations} else "",
    )
    page = Paginator(selectors.approved_submissions(access.plan, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode({k: v for k, v in vars(filters).items() if v})
    context = {
        "plan": access.plan,
        "page": page,
        "submissions": list(page.object_list),
        "periods": periods,
        "organisations": organisations,
        "filters": filters,
        "query": query,
        "here": _("Evidence of approved submissions"),
    }
    return render(request, "oversight/evidence.html", context)
