"""The pages of stories (docs/stories.md, "Pages"): the plan's list of the stories a reader may
read, recording a story and its consent, a story's page (what `read_story` returns; its
consents, media and read log for the holder), withdrawing a consent, media and their downloads.

Every story leaves the database through `read_story` / `read_stories`: a story the reader may
not read answers 404, exactly like one that does not exist. Only the holder's people act on a
story (403 for other readers; the services check again). A story is read whole only by a
session verified with a second factor (`PlanAccess.story_reading`); otherwise coarse, with a
link to verify. Pages are never cached (reads are logged, and a withdrawn consent ends a read
at once).
"""

from __future__ import annotations

import itertools
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import STORY_FULL, PlanAccess, plan_access
from wpsmonitor.accounts.two_factor import is_verified, step_url
from wpsmonitor.core.history import kept_name
from wpsmonitor.core.translated import language_codes, language_name
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.stories import attributes as storyteller_attributes
from wpsmonitor.stories import media, services
from wpsmonitor.stories.attributes import Attribute
from wpsmonitor.stories.forms import (
    ConsentForm,
    LinksForm,
    MediumForm,
    StoryActionForm,
    StoryForm,
    StorySettingsForm,
    WithdrawForm,
)
from wpsmonitor.stories.models import (
    Consent,
    ConsentMethod,
    Purpose,
    Story,
    StoryKind,
    StoryMedium,
    StoryRead,
    StorySensitivity,
    StoryStatus,
    WithdrawalNotice,
)
from wpsmonitor.stories.reading import read_stories, read_story, readable_stories
from wpsmonitor.stories.selectors import link_choices


def _verified(request: HttpRequest) -> bool:
    return request.user.is_authenticated and is_verified(request)


def _story(access: PlanAccess, uid: UUID) -> Story:
    """The plan's story, if this reader may read it at all; 404 otherwise (its existence does
    not leak)."""
    story = readable_stories(access.plan).filter(uid=uid).first()
    if story is None or access.story_reading(story) is None:
        raise Http404("No such story")
    return story


def _held(access: PlanAccess, uid: UUID) -> Story:
    """The story, for its holder's people to act on: 404 for whom may not read it, 403 for
    its other readers."""
    story = _story(access, uid)
    if not access.holds_story(story):
        raise PermissionDenied
    return story


def _story_url(story: Story) -> str:
    return reverse("stories:story", args=[story.plan.code, story.uid])


def _choice_or_blank(value: str, choices: list[str]) -> str:
    return value if value in choices else ""


@require_safe
@never_cache
def story_list(request: HttpRequest, code: str) -> HttpResponse:
    """The plan's stories this reader may read, each as they read it."""
    access = plan_access(request.user, code)
    filters = {
        "status": _choice_or_blank(request.GET.get("status", ""), StoryStatus.values),
        "kind": _choice_or_blank(request.GET.get("kind", ""), StoryKind.values),
    }
    stories = readable_stories(access.plan).filter(**{k: v for k, v in filters.items() if v})
    # What speaks to one of the plan's recommendations (its link to the list says so).
    recommendations = list(
        Recommendation.objects.filter(plan=access.plan).order_by("issued_on", "pk")
    )
    chosen = request.GET.get("recommendation", "")
    recommendation = next((r for r in recommendations if str(r.pk) == chosen), None)
    if recommendation is not None:
        stories = stories.filter(recommendations=recommendation)
    rows = read_stories(access, stories, channel="page", verified=_verified(request))
    return render(
        request,
        "stories/list.html",
        {
            "plan": access.plan,
            "rows": [
                {
                    "read": read,
                    "status": StoryStatus(story.status).label,
                    "kind": StoryKind(story.kind).label,
                    "url": _story_url(story),
                }
                for story, read in rows
            ],
            "filters": filters,
            "recommendations": recommendations,
            "recommendation": recommendation,
            "statuses": StoryStatus.choices,
            "kinds": StoryKind.choices,
            "can_record": bool(access.story_organisations()),
            "can_read_rounds": request.user.is_authenticated and access.can_read_selection_rounds(),
            "can_manage_settings": request.user.is_authenticated
            and access.can_manage_story_settings(),
        },
    )


def _attribute_fields(attributes: list[Attribute], request: HttpRequest) -> list[dict[str, Any]]:
    """The storyteller's fields of the record form, as posted."""
    return [
        {
            "code": a.code,
            "label": a.label,
            "answers": a.answers,
            "posted": request.POST.get(a.code, "") if request.method == "POST" else "",
        }
        for a in attributes
    ]


def _story_form_context(
    access: PlanAccess,
    organisations: list[Organisation],
    attributes: list[Attribute],
    request: HttpRequest,
) -> dict[str, Any]:
    plan = access.plan
    return {
        "plan": plan,
        "organisations": organisations,
        "kinds": StoryKind.choices,
        "sensitivities": StorySensitivity.choices,
        "languages": [(c, language_name(c)) for c in language_codes()],
        "areas": list(Area.objects.filter(path__startswith=plan.area.path).order_by("path")),
        "attribute_fields": _attribute_fields(attributes, request),
        "default_language": plan.original_language,
    }


def _links_context(access: PlanAccess, request: HttpRequest) -> dict[str, Any]:
    nodes, indicators, recommendations = link_choices(access)
    return {
        "link_nodes": nodes,
        "link_indicators": indicators,
        "link_recommendations": recommendations,
        "posted_nodes": request.POST.getlist("nodes"),
        "posted_indicators": request.POST.getlist("indicators"),
        "posted_recommendations": request.POST.getlist("recommendations"),
    }


def _links_form(data: Any, context: dict[str, Any]) -> LinksForm:
    return LinksForm(
        data,
        nodes=context["link_nodes"],
        indicators=context["link_indicators"],
        recommendations=context["link_recommendations"],
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def story_new(request: SignedInRequest, code: str) -> HttpResponse:
    """Record a story for one of the user's organisations; its consent is the next step."""
    access = plan_access(request.user, code)
    organisations = list(
        Organisation.objects.filter(pk__in=access.story_organisations()).order_by("name")
    )
    if not organisations:
        raise PermissionDenied
    attributes = storyteller_attributes.chosen(access.plan)
    context = _story_form_context(access, organisations, attributes, request) | _links_context(
        access, request
    )
    if request.method == "POST":
        form = StoryForm(
            request.POST, plan=access.plan, organisations=organisations, attributes=attributes
        )
        links = _links_form(request.POST, context)
        try:
            new = valid_data(form)
            linked = valid_data(links)
            with transaction.atomic():  # the story and its links, or neither
                story = services.story_record(
                    by=request.user,
                    plan=access.plan,
                    holder=new["holder"],
                    kind=new["kind"],
                    title=new["title"],
                    text=new["text"],
                    language=new["language"],
                    sensitivity=new["sensitivity"],
                    domain=new["domain"],
                    area=new["area"],
                    happened_on=new["happened_on"],
                    storyteller=form.storyteller(),
                )
                services.story_link(
                    by=request.user,
                    story=story,
                    nodes=linked["nodes"],
                    indicators=linked["indicators"],
                    recommendations=linked["recommendations"],
                )
        except ValidationError as exc:
            context.update({"error": error_text(exc), "posted": form.data})
            return render(request, "stories/story_form.html", context, status=400)
        messages.success(
            request,
            _(
                "The story is saved as a draft: only your organisation reads it. Record the "
                "storyteller's consent now: it cannot be shared until a consent is recorded."
            ),
        )
        return redirect("stories:consent_new", code=code, uid=story.uid)
    return render(request, "stories/story_form.html", context)


def _consents(story: Story) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "consent": c,
            "purposes": [label for value, label in Purpose.choices if getattr(c, f"for_{value}")],
            "method": ConsentMethod(c.method).label,
            "in_force": c.in_force(today),
            "withdraw_url": reverse(
                "stories:consent_withdraw", args=[story.plan.code, story.uid, c.pk]
            ),
        }
        for c in story.consents.all()
    ]


def _confirmation(story: Story, what: str) -> Confirmation:
    cancel = _story_url(story)
    if what == "approve":
        return Confirmation(
            title=_("Approve the story %(title)s for publication?") % {"title": story.title},
            button=_("Approve for publication"),
            cancel_url=cancel,
            public=[
                _(
                    "The story, as its sensitivity allows, to everyone who reads the plan while "
                    "a consent for the public portal is in force, and to the standard report "
                    "while a consent for the report is."
                )
            ],
        )
    return Confirmation(
        title=_("Remove the story %(title)s now?") % {"title": story.title},
        button=_("Remove the story now"),
        cancel_url=cancel,
        notes=[
            _(
                "The story, its consents, its media and its read log are deleted at once. Only "
                "the fact that your organisation removed a story is kept."
            ),
            _("This cannot be undone."),
        ],
    )


def _story_post(request: SignedInRequest, access: PlanAccess, story: Story) -> HttpResponse:
    if not access.holds_story(story):
        raise PermissionDenied
    try:
        what = valid_data(StoryActionForm(request.POST))["do"]
        if what in ("approve", "delete") and not confirmed(request):
            return confirm_page(request, _confirmation(story, what))
        if what == "share":
            services.story_share(by=request.user, story=story)
            messages.success(request, _("The story is shared with the plan's members."))
        elif what == "approve":
            services.story_approve(by=request.user, story=story)
            messages.success(request, _("The story is approved for publication."))
        else:
            services.story_delete_now(by=request.user, story=story)
            messages.success(request, _("The story is removed."))
            return redirect("stories:list", code=access.plan.code)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(_story_url(story))


@require_http_methods(["GET", "POST"])
@never_cache
def story_detail(request: HttpRequest, code: str, uid: UUID) -> HttpResponse:
    """One story as this reader reads it; for its holder, its consents, media, read log and
    actions."""
    access = plan_access(request.user, code)
    story = _story(access, uid)
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDenied
        return _story_post(request, access, story)  # type: ignore[arg-type]
    verified = _verified(request)
    read = read_story(access, story, channel="page", verified=verified)
    if read is None:
        raise Http404("No such story")
    holds = access.holds_story(story)
    shown_media = [m for m in story.media.all() if media.shown_to(read.reading, m)]
    context: dict[str, Any] = {
        "plan": access.plan,
        "story": story,
        "read": read,
        "holds": holds,
        "status": StoryStatus(story.status).label,
        "kind": StoryKind(story.kind).label,
        "sensitivity": StorySensitivity(story.sensitivity).label,
        "media": [
            {
                "medium": m,
                "name": media.download_name(read.reading, m, number),
                "url": reverse("stories:medium", args=[code, story.uid, m.pk]),
                "remove_url": reverse("stories:medium_remove", args=[code, story.uid, m.pk]),
            }
            for number, m in enumerate(shown_media, start=1)
        ],
        # Read coarse only for want of a second factor: the way to read it whole.
        "verify_url": (
            step_url(request.user, request.get_full_path())
            if read.coarse
            and request.user.is_authenticated
            and access.story_reading(story) == STORY_FULL
            else ""
        ),
        # Read whole: the plan's attributes (those not recorded say so), then any other the
        # story recorded; coarse: none (the reading has none).
        "storyteller": (
            []
            if read.coarse
            else storyteller_attributes.words(
                read.storyteller, storyteller_attributes.chosen_codes(access.plan)
            )
        ),
        "linked_nodes": list(
            FrameworkNode.objects.filter(plan=access.plan, code__in=read.nodes).order_by("path")
        ),
        "linked_indicators": list(
            Indicator.objects.filter(plan=access.plan, code__in=read.indicators).order_by("code")
        ),
        "linked_recommendations": list(
            Recommendation.objects.filter(plan=access.plan, pk__in=read.recommendations).order_by(
                "issued_on", "pk"
            )
        ),
    }
    if holds:
        context.update(
            {
                "consents": _consents(story),
                "in_force": any(story.consented_to(p) for p in Purpose.values),
                "reads": [
                    {"read": r, "reader": kept_name(r, "reader") or _("Not signed in")}
                    for r in StoryRead.objects.filter(story=story).select_related("reader")[:200]
                ],
                "can_approve": story.status == StoryStatus.SHARED
                and story.sensitivity != StorySensitivity.RESTRICTED
                and story.collected_by_id != request.user.pk,
                "consent_url": reverse("stories:consent_new", args=[code, story.uid]),
                "upload_url": reverse("stories:medium_upload", args=[code, story.uid]),
                "links_url": reverse("stories:links", args=[code, story.uid]),
            }
        )
    return render(request, "stories/story.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def story_links(request: SignedInRequest, code: str, uid: UUID) -> HttpResponse:
    """Edit the pillars, outcomes, actions and indicators the story speaks to (its holder)."""
    access = plan_access(request.user, code)
    story = _held(access, uid)
    context: dict[str, Any] = {"plan": access.plan, "story": story} | _links_context(
        access, request
    )
    if request.method == "POST":
        form = _links_form(request.POST, context)
        try:
            linked = valid_data(form)
            services.story_link(
                by=request.user,
                story=story,
                nodes=linked["nodes"],
                indicators=linked["indicators"],
                recommendations=linked["recommendations"],
            )
        except ValidationError as exc:
            context.update({"error": error_text(exc), "posted": True})
            return render(request, "stories/links_form.html", context, status=400)
        messages.success(request, _("The story's links to the plan are saved."))
        return redirect(_story_url(story))
    context.update(
        {
            "posted_nodes": list(story.nodes.values_list("code", flat=True)),
            "posted_indicators": list(story.indicators.values_list("code", flat=True)),
            "posted_recommendations": [
                str(pk) for pk in story.recommendations.values_list("pk", flat=True)
            ],
        }
    )
    return render(request, "stories/links_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def consent_new(request: SignedInRequest, code: str, uid: UUID) -> HttpResponse:
    """Record a consent to the story, as it was given."""
    access = plan_access(request.user, code)
    story = _held(access, uid)
    context: dict[str, Any] = {
        "plan": access.plan,
        "story": story,
        "purposes": Purpose.choices,
        "methods": ConsentMethod.choices,
        "today": timezone.localdate().isoformat(),
        "first": not story.consents.exists(),
    }
    if request.method == "POST":
        form = ConsentForm(request.POST)
        try:
            given = valid_data(form)
            services.consent_record(
                by=request.user,
                story=story,
                given_by=given["given_by"],
                purposes=set(given["purposes"]),
                method=given["method"],
                given_on=given["given_on"],
                valid_until=given["valid_until"],
                witness=given["witness"],
                to_be_named=given["to_be_named"],
            )
        except ValidationError as exc:
            context.update(
                {
                    "error": error_text(exc),
                    "posted": form.data,
                    "posted_purposes": request.POST.getlist("purposes"),
                }
            )
            return render(request, "stories/consent_form.html", context, status=400)
        messages.success(request, _("The consent is recorded."))
        return redirect(_story_url(story))
    return render(request, "stories/consent_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def consent_withdraw(request: SignedInRequest, code: str, uid: UUID, pk: int) -> HttpResponse:
    """Withdraw a consent from a day, with a note: asks first."""
    access = plan_access(request.user, code)
    story = _held(access, uid)
    consent = Consent.objects.filter(story=story, pk=pk).first()
    if consent is None:
        raise Http404("No such consent")
    context: dict[str, Any] = {
        "plan": access.plan,
        "story": story,
        "consent": consent,
        "today": timezone.localdate().isoformat(),
    }
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        try:
            given = valid_data(form)
            if not confirmed(request):
                return confirm_page(
                    request,
                    Confirmation(
                        title=_("Withdraw this consent?"),
                        button=_("Withdraw the consent"),
                        cancel_url=_story_url(story),
                        notes=[
                            _(
                                "From that day the story is used for none of this consent's "
                                "purposes that no other consent covers: in no page, export or "
                                "report made afterwards."
                            ),
                            _(
                                "A withdrawal cannot be undone: record a new consent if it is given again."
                            ),
                        ],
                    ),
                )
            services.consent_withdraw(
                by=request.user, consent=consent, on=given["on"], note=given["note"]
            )
        except ValidationError as exc:
            context.update({"error": error_text(exc), "posted": form.data})
            return render(request, "stories/withdraw.html", context, status=400)
        messages.success(request, _("The consent is withdrawn."))
        return redirect(_story_url(story))
    return render(request, "stories/withdraw.html", context)


@require_POST
@login_required
def medium_upload(request: SignedInRequest, code: str, uid: UUID) -> HttpResponse:
    access = plan_access(request.user, code)
    story = _held(access, uid)
    try:
        given = valid_data(MediumForm(request.POST, request.FILES))
        services.medium_attach(
            by=request.user,
            story=story,
            upload=given["file"],
            safe_to_share=given["safe_to_share"],
        )
        messages.success(request, _("The file is attached."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(_story_url(story) + "#media")


def _medium(story: Story, pk: int) -> StoryMedium:
    medium = StoryMedium.objects.filter(story=story, pk=pk).first()
    if medium is None:
        raise Http404("No such file")
    return medium


@require_safe
@never_cache
def medium_download(request: HttpRequest, code: str, uid: UUID, pk: int) -> HttpResponseBase:
    """A medium of the story, decrypted, to a reader of the story who gets it
    (`media.shown_to`); 404 to anyone else."""
    access = plan_access(request.user, code)
    story = _story(access, uid)
    medium = _medium(story, pk)
    read = read_story(access, story, channel="page", verified=_verified(request))
    if read is None or not media.shown_to(read.reading, medium):
        raise Http404("No such file")
    shown = [m for m in story.media.all() if media.shown_to(read.reading, m)]
    number = next(i for i, m in enumerate(shown, start=1) if m.pk == medium.pk)
    # Decrypted a chunk at a time (a video may be 100 MB); the first chunk before the answer
    # starts, so that a file no key opens is an error page, not a cut download.
    chunks = media.chunks_of(medium)
    first = next(chunks, b"")
    response = StreamingHttpResponse(
        itertools.chain([first], chunks), content_type=medium.content_type
    )
    response["Content-Length"] = str(medium.size)
    name = media.download_name(read.reading, medium, number)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def medium_remove(request: SignedInRequest, code: str, uid: UUID, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    story = _held(access, uid)
    medium = _medium(story, pk)
    if not confirmed(request):
        return confirm_page(
            request,
            Confirmation(
                title=_("Remove this file?"),
                button=_("Remove the file"),
                cancel_url=_story_url(story) + "#media",
                notes=[_("This cannot be undone.")],
            ),
        )
    services.medium_remove(by=request.user, medium=medium)
    messages.success(request, _("The file is removed."))
    return redirect(_story_url(story) + "#media")


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def story_settings(request: SignedInRequest, code: str) -> HttpResponse:
    """Which of the storyteller's attributes the plan's stories record: the coordinator."""
    access = plan_access(request.user, code)
    if not access.can_manage_story_settings():
        raise PermissionDenied
    chosen = storyteller_attributes.chosen_codes(access.plan)
    context: dict[str, Any] = {
        "plan": access.plan,
        "vocabulary": storyteller_attributes.VOCABULARY,
        "chosen": chosen,
    }
    if request.method == "POST":
        form = StorySettingsForm(request.POST)
        try:
            given = valid_data(form)
            services.story_settings_set(
                by=request.user, plan=access.plan, attributes=given["attributes"]
            )
        except ValidationError as exc:
            context.update({"error": error_text(exc), "chosen": request.POST.getlist("attributes")})
            return render(request, "stories/settings.html", context, status=400)
        messages.success(request, _("The storyteller's attributes the plan records are saved."))
        return redirect("stories:list", code=code)
    return render(request, "stories/settings.html", context)


@require_POST
@login_required
def notice_keep(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """The coordinators keep a published report that prints a story whose consent was
    withdrawn since, as it is: the task on "What to do now" is done (asks first)."""
    access = plan_access(request.user, code)
    if not access.can_settle_withdrawal_notices():
        raise PermissionDenied
    notice = (
        WithdrawalNotice.objects.select_related("plan", "story")
        .filter(plan=access.plan, pk=pk)
        .first()
    )
    if notice is None:
        raise Http404("No such task")
    done = str(settings.LOGIN_REDIRECT_URL)  # "What to do now", where the task is listed
    if not confirmed(request):
        return confirm_page(
            request,
            Confirmation(
                title=_("Keep “%(report)s” as published?") % {"report": notice.title},
                button=_("Keep it as published"),
                cancel_url=reverse(done),
                notes=[
                    _(
                        "The report stays public with the story “%(story)s”, whose consent "
                        "was withdrawn on %(date)s. Your name and today's date are recorded."
                    )
                    % {
                        "story": notice.story.title
                        if notice.story
                        else _("a story its holder has since removed"),
                        "date": date_format(notice.withdrawn_on, "DATE_FORMAT"),
                    },
                    _("Reports generated from now on leave the story out."),
                ],
            ),
        )
    try:
        services.withdrawal_notice_keep(by=request.user, notice=notice)
        messages.success(request, _("The report is kept as published; the task is done."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(done)
