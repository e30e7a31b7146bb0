"""Stories beyond the platform's own pages: the standard report and the public portal, and the
record of where each was printed (docs/stories.md, "In the report and on the portal").

Both are read by no one in particular, so both print the **coarse** reading whatever the
story's sensitivity and whoever asks: no collector, no storyteller's name and none of their
attributes, the month and the province. Both ask at the moment of use whether a consent in
force covers it (`accounts.access.story_in_report`, `PlanAccess.story_reading` for an anonymous
reader), and log the read (`StoryRead`, channel "report" or "page", no reader).

Each use is recorded (`StoryUse`): a generated report when it is generated (reports calls
`uses_record`) and when it is published (`uses_published`); the portal's page of stories when
it shows a story. When a consent is withdrawn, `stories.services.consent_withdraw` tells the
plan's coordinators which published documents used the story (`tell_coordinators`), each in
their own language, and each published report among them waits on their "What to do now"
(`WithdrawalNotice`: `notices_create`) until it is generated again (`notices_regenerated`) or
kept as published: what was generated before stays as it is; what is built afterwards leaves
the story out.

The report also prints the decided selection rounds of its years (`rounds_for_report`): a
chosen story's title and the panel's reason only when the story may be in the report.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import STORY_COARSE, PlanAccess, story_in_report
from wpsmonitor.accounts.languages import LANGUAGE_LOOKUP, by_language
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.history import display_name
from wpsmonitor.core.periods import parse_period
from wpsmonitor.core.services import service
from wpsmonitor.directory.areas import provinces_by_id
from wpsmonitor.directory.models import Area
from wpsmonitor.plans.models import Plan
from wpsmonitor.stories.models import (
    Consent,
    NoticeOutcome,
    Purpose,
    RoundStatus,
    SelectionChoice,
    SelectionLevel,
    SelectionRound,
    Story,
    StoryRead,
    StorySensitivity,
    StoryStatus,
    StoryUse,
    UseKind,
    WithdrawalNotice,
)
from wpsmonitor.stories.reading import StoryAsRead, month_of, province_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

# The reference of the portal's page of stories in StoryUse (one per story).
PORTAL_REFERENCE = "portal"


@dataclass(frozen=True)
class Withdrawal:
    """What `consent_withdraw` did: the consent, and the published documents that used the
    story for a purpose the withdrawal ended (the coordinators are mailed about them)."""

    consent: Consent
    used_in: list[StoryUse] = field(default_factory=list)


def _published(plan: Plan) -> QuerySet[Story]:
    """The plan's approved stories that may ever leave the platform (never a restricted one),
    oldest first by the day they are dated by: when it happened, else when it was
    collected."""
    return (
        Story.objects.filter(plan=plan, status=StoryStatus.APPROVED)
        .exclude(sensitivity=StorySensitivity.RESTRICTED)
        .order_by(Coalesce("happened_on", "collected_on"), "pk")
        .select_related("holder", "area")
        .prefetch_related("consents", "named_readers")
    )


def coarse_reading(story: Story, provinces: dict[int, Area] | None = None) -> StoryAsRead:
    """The story as a report or a public page prints it: without who collected it, the
    storyteller's name or attributes; to the month and the province (`provinces`: those
    already read, by id, so that a list reads them in one query)."""
    return StoryAsRead(
        uid=str(story.uid),
        reading=STORY_COARSE,
        kind=story.kind,
        title=story.title,
        text=story.text,
        domain=story.domain,
        language=story.language,
        holder=str(story.holder),
        area=province_of(story.area, provinces),
        happened=month_of(story.happened_on),
    )


def _read(stories: list[Story], channel: str) -> list[StoryAsRead]:
    StoryRead.objects.bulk_create(
        StoryRead(story=s, reader=None, channel=channel, reading=STORY_COARSE) for s in stories
    )
    provinces = provinces_by_id(s.area for s in stories)
    return [coarse_reading(s, provinces) for s in stories]


def stories_for_report(
    plan: Plan,
    first_year: int,
    last_year: int,
    *,
    on: date | None = None,
    also: Collection[str] = (),
) -> list[StoryAsRead]:
    """The stories the plan's standard report for these years prints, if built on `on`
    (default today): approved, not restricted, a consent for the report in force that day,
    dated (happened, else collected) in the years, and those of `also` (uids: the rounds'
    chosen stories) on the same terms whatever their date. Coarse, oldest first; each read
    logged."""
    on = on or timezone.localdate()
    years = (date(first_year, 1, 1), date(last_year, 12, 31))
    candidates = _published(plan).filter(
        Q(happened_on__range=years)
        | Q(happened_on__isnull=True, collected_on__range=years)
        | Q(uid__in=list(also))
    )
    found = [s for s in candidates if story_in_report(s, on)]
    return _read(found, "report")


# --- the selection rounds' choices in the report --------------------------------------------

# A report lists a period's rounds from the province up.
LEVEL_ORDER = {SelectionLevel.PROVINCE: 0, SelectionLevel.NATIONAL: 1, SelectionLevel.BOARD: 2}


@dataclass(frozen=True)
class ReportChoice:
    """A round's choice as the report prints it. A story that may not be in the report
    (`story_in_report`) is built without its title, its uid or the panel's reason (the reason
    may retell it): only its domain says that a choice was made."""

    domain: str
    uid: str | None = None
    title: str = ""
    reason: str = ""

    @property
    def shown(self) -> bool:
        return self.uid is not None


@dataclass(frozen=True)
class ReportRound:
    selection_round: SelectionRound
    choices: list[ReportChoice]


def rounds_for_report(
    plan: Plan, first_year: int, last_year: int, *, on: date | None = None
) -> list[ReportRound]:
    """The plan's decided selection rounds whose period lies in these years, with each
    domain's choice as a report built on `on` (default today) may print it: the chosen story's
    title and the panel's reason only when the story itself may be in the report (approved,
    not restricted, a consent for the report in force that day). By period, then level."""
    on = on or timezone.localdate()
    rounds = [
        r
        for r in SelectionRound.objects.filter(
            plan=plan, status=RoundStatus.DECIDED
        ).select_related("area")
        if first_year <= parse_period(r.period).start.year <= last_year
    ]
    choices: dict[int, list[ReportChoice]] = {}
    for choice in (
        SelectionChoice.objects.filter(round__in=rounds)
        .select_related("story")
        .prefetch_related("story__consents")
        .order_by("round_id", "domain", "pk")
    ):
        story = choice.story
        shown = story_in_report(story, on)
        choices.setdefault(choice.round_id, []).append(
            ReportChoice(
                domain=choice.domain,
                uid=str(story.uid) if shown else None,
                title=story.title if shown else "",
                reason=choice.reason if shown else "",
            )
        )
    found = [
        ReportRound(r, sorted(choices[r.pk], key=lambda c: c.domain.casefold()))
        for r in rounds
        if r.pk in choices
    ]
    found.sort(
        key=lambda f: (
            parse_period(f.selection_round.period).start,
            f.selection_round.period,
            LEVEL_ORDER[SelectionLevel(f.selection_round.level)],
            f.selection_round.area.name if f.selection_round.area else "",
            f.selection_round.pk,
        )
    )
    return found


def _public(plan: Plan) -> list[Story]:
    anonymous = PlanAccess(AnonymousUser(), plan)
    return [s for s in list(_published(plan))[::-1] if anonymous.story_reading(s) is not None]


def stories_for_portal(plan: Plan) -> list[StoryAsRead]:
    """The stories the public portal shows: those an anonymous reader may read (approved, a
    consent for the public portal in force today), coarse, newest first; each read logged."""
    return _read(_public(plan), "page")


def public_story_count(plan: Plan) -> int:
    """How many stories the portal's page of stories shows (read no further: not logged)."""
    return len(_public(plan))


@service
def uses_record(
    *,
    story_uids: Iterable[str],
    kind: str,
    reference: str,
    title: str = "",
    link: str = "",
    published: bool = False,
) -> int:
    """Record that a document or page printed these stories (once per story and document);
    how many stories were found."""
    stories = list(Story.objects.filter(uid__in=list(story_uids)))
    now = timezone.now()
    StoryUse.objects.bulk_create(
        [
            StoryUse(
                story=story,
                kind=UseKind(kind),
                reference=reference,
                title=title[:300],
                link=link[:300],
                used_at=now,
                published_at=now if published else None,
            )
            for story in stories
        ],
        ignore_conflicts=True,
    )
    return len(stories)


@service
def uses_published(*, kind: str, reference: str) -> int:
    """The document was published: its uses become public ones (the coordinators are told of
    them when a consent is withdrawn)."""
    return StoryUse.objects.filter(
        kind=UseKind(kind), reference=reference, published_at__isnull=True
    ).update(published_at=timezone.now())


# The uses a purpose's end concerns.
KINDS_OF_PURPOSE = {
    Purpose.REPORT: (UseKind.REPORT, UseKind.RELEASE),
    Purpose.PUBLIC: (UseKind.PAGE,),
}


def published_uses(story: Story, ended: Iterable[str]) -> list[StoryUse]:
    """The published documents that used the story for one of the purposes that ended."""
    kinds = [k for p in ended for k in KINDS_OF_PURPOSE.get(Purpose(p), ())]
    if not kinds:
        return []
    return list(
        StoryUse.objects.filter(story=story, kind__in=kinds, published_at__isnull=False).order_by(
            "published_at", "pk"
        )
    )


def _line(use: StoryUse) -> str:
    link = settings.WPSMONITOR_BASE_URL.rstrip("/") + use.link if use.link else ""
    if use.kind == UseKind.PAGE:
        what = _("The public portal's page of stories (it no longer shows the story)")
    else:
        assert use.published_at is not None
        what = _("%(title)s, published on %(date)s") % {
            "title": use.title or use.reference,
            "date": date_format(timezone.localtime(use.published_at).date(), "DATE_FORMAT"),
        }
    return f"- {what}" + (f": {link}" if link else "")


def tell_coordinators(story_id: int, use_ids: list[int], withdrawn_on: date) -> int:
    """Mail the plan's coordinators, each in their language, the published documents that used
    a story whose consent was withdrawn. Sent once the withdrawal is stored; a mail server down
    never undoes it."""
    story = Story.objects.select_related("plan", "holder").filter(pk=story_id).first()
    uses = list(StoryUse.objects.filter(pk__in=use_ids).order_by("published_at", "pk"))
    if story is None or not uses:
        return 0
    recipients = PlanRole.objects.filter(
        plan_id=story.plan_id, role=Role.COORDINATOR, user__is_active=True
    ).values_list("user__email", f"user__{LANGUAGE_LOOKUP}")
    sent = 0
    for language, emails in by_language(recipients).items():
        with translation.override(language):
            subject = _("%(plan)s: a story used in published documents lost its consent") % {
                "plan": story.plan.title
            }
            body = "\n\n".join(
                (
                    _(
                        "The consent for the story “%(title)s”, held by %(holder)s, was "
                        "withdrawn on %(date)s."
                    )
                    % {
                        "title": story.title,
                        "holder": story.holder,
                        "date": date_format(withdrawn_on, "DATE_FORMAT"),
                    },
                    _(
                        "Reports generated from now on leave it out, and the public portal no "
                        "longer shows it. These published documents used it: regenerate or "
                        "withdraw those that must not keep it."
                    ),
                    "\n".join(_line(u) for u in uses),
                )
            )
        try:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
        except Exception:  # the withdrawal stands; the failure is logged
            log.exception("could not send %r", subject)
    return sent


# --- the coordinators' task once a withdrawal ended a published report's use ----------------


def notices_create(story: Story, used_in: Iterable[StoryUse], withdrawn_on: date) -> int:
    """A task for the plan's coordinators for each published report that used the story for
    a purpose the withdrawal ended (in the withdrawal's own transaction)."""
    made = WithdrawalNotice.objects.bulk_create(
        WithdrawalNotice(
            plan_id=story.plan_id,
            story=story,
            withdrawn_on=withdrawn_on,
            reference=use.reference,
            title=use.title,
            link=use.link,
        )
        for use in used_in
        if use.kind == UseKind.REPORT
    )
    return len(made)


@service
def notices_regenerated(*, by: User | None, plan: Plan, references: Iterable[str]) -> int:
    """The published reports `references` were generated again (reports/generation.py, once
    the new one is ready; it reads consent on the day it is built): their open notices are
    settled, by whoever asked for the new one. How many."""
    return WithdrawalNotice.objects.filter(
        plan=plan, reference__in=list(references), outcome=""
    ).update(
        outcome=NoticeOutcome.REGENERATED,
        settled_by=by,
        settled_by_name=display_name(by) if by is not None else "",
        settled_at=timezone.now(),
    )
