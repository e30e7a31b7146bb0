"""Selection rounds in the Most Significant Change manner (docs/stories.md, "Selection rounds
(Most Significant Change)"; Davies & Dart 2005): at each level a panel chooses, per domain of
change, the most significant story of a period and records why; the choices are fed back.

- **Candidates** (`candidates`): the stories the panel may read, asked at the moment of use:
  shared or approved, a consent for the plan's monitoring in force, never a draft, never a
  restricted story (whatever its named readers), in the round's domain, dated (when it
  happened, else when it was collected) in its period, and for a province round, lying in its
  province. Where there are rounds at a level below (national: the province rounds; board:
  the national rounds, else the province rounds) of a period within the round's, the
  candidates are only the stories those rounds chose, once decided.
- **The round's page** reads every story through `reading.read_stories` (`round_reading`):
  coarse for the readers outside a story's holder, logged, and a story the reader may no
  longer read (its consent withdrawn) is shown without its title or the panel's reason.
- **Feedback**: once decided, the holders' people of the chosen stories are mailed, each in
  their language (`tell_chosen`); every member of the plan, the holders of every candidate
  among them, reads the round's choices and reasons on its page.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import DateField, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.languages import LANGUAGE_LOOKUP, by_language
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.names import localized_name
from wpsmonitor.core.periods import parse_period
from wpsmonitor.directory.areas import province_id
from wpsmonitor.stories.models import (
    Purpose,
    RoundStatus,
    SelectionChoice,
    SelectionLevel,
    SelectionRound,
    Story,
    StorySensitivity,
    StoryStatus,
)
from wpsmonitor.stories.reading import StoryAsRead, read_stories, readable_stories

log = logging.getLogger(__name__)

# The levels a round's candidates come from, nearest first: the first with rounds wins.
LEVELS_BELOW = {
    SelectionLevel.PROVINCE: (),
    SelectionLevel.NATIONAL: (SelectionLevel.PROVINCE,),
    SelectionLevel.BOARD: (SelectionLevel.NATIONAL, SelectionLevel.PROVINCE),
}

# The holder's people: they are told when a story of theirs is chosen (PlanAccess.holds_story).
HOLDER_ROLES = (Role.FOCAL_POINT, Role.MONITOR, Role.ORGANISATION_ADMIN)


def round_title(selection_round: SelectionRound) -> str:
    """ "Province round for Province 1, 2025", "National round, 2025Q3"... in the active
    language (the province's name too, a report's included)."""
    period = selection_round.period
    if selection_round.level == SelectionLevel.PROVINCE and selection_round.area is not None:
        return _("Province round for %(province)s, %(period)s") % {
            "province": localized_name(selection_round.area.name),
            "period": period,
        }
    if selection_round.level == SelectionLevel.NATIONAL:
        return _("National round, %(period)s") % {"period": period}
    return _("Monitoring board round, %(period)s") % {"period": period}


def round_domain_words(domain: str) -> str:
    """A round's domain: blank is every domain."""
    return domain or _("All domains of change")


def choice_domain_words(domain: str) -> str:
    """A choice's domain: blank is the stories recorded without one."""
    return domain or _("No domain of change given")


def domain_of(selection_round: SelectionRound, story: Story) -> str:
    """The domain a story is chosen for in the round: the round's own, else the story's."""
    return selection_round.domain or story.domain


def _compatible(below: SelectionRound, selection_round: SelectionRound) -> bool:
    """A round below feeds this one: its period lies within this one's, and its domain covers
    this one's (or this one takes every domain)."""
    if not parse_period(selection_round.period).contains(parse_period(below.period)):
        return False
    mine = selection_round.domain.casefold()
    return not mine or not below.domain or below.domain.casefold() == mine


def rounds_below(selection_round: SelectionRound) -> list[SelectionRound]:
    """The rounds of the nearest level below with rounds feeding this one, decided or not."""
    for level in LEVELS_BELOW[SelectionLevel(selection_round.level)]:
        found = [
            r
            for r in SelectionRound.objects.filter(plan_id=selection_round.plan_id, level=level)
            if _compatible(r, selection_round)
        ]
        if found:
            return found
    return []


def may_be_candidate(story: Story, on: date) -> bool:
    """What every candidate is, whoever sits on the panel: shared or approved, never
    restricted, a consent for the plan's monitoring in force (the panel are the plan's
    members: `PlanAccess.story_reading` lets them read it)."""
    return (
        story.status in (StoryStatus.SHARED, StoryStatus.APPROVED)
        and story.sensitivity != StorySensitivity.RESTRICTED
        and story.consented_to(Purpose.MONITORING, on)
    )


def _eligible(selection_round: SelectionRound) -> QuerySet[Story]:
    """The plan's stories of the round's period and domain; `candidates` applies the rest."""
    period = parse_period(selection_round.period)
    found = (
        readable_stories(selection_round.plan)
        .annotate(dated=Coalesce("happened_on", "collected_on", output_field=DateField()))
        .filter(dated__range=(period.start, period.end))
    )
    if selection_round.domain:
        found = found.filter(domain__iexact=selection_round.domain)
    return found.order_by("dated", "pk")


def candidates(selection_round: SelectionRound, on: date | None = None) -> list[Story]:
    """The stories the round's panel chooses among, as of `on` (default today)."""
    on = on or timezone.localdate()
    found = _eligible(selection_round)
    below = rounds_below(selection_round)
    if below:
        decided = [r.pk for r in below if r.status == RoundStatus.DECIDED]
        found = found.filter(
            pk__in=SelectionChoice.objects.filter(round_id__in=decided).values("story_id")
        )
    province = selection_round.area_id
    return [
        s
        for s in found
        if may_be_candidate(s, on)
        and (
            selection_round.level != SelectionLevel.PROVINCE
            or (s.area is not None and province_id(s.area) == province)
        )
    ]


# --- the round's page ---------------------------------------------------------------------


@dataclass
class ShownChoice:
    domain: str
    choice: SelectionChoice
    # None: the reader may not read the story (its consent withdrawn, or never theirs to read):
    # neither its title nor the panel's reason is shown.
    read: StoryAsRead | None
    ranked: list[tuple[int, StoryAsRead | None]] = field(default_factory=list)


@dataclass
class ShownDomain:
    domain: str
    candidates: list[StoryAsRead]
    choice: ShownChoice | None = None


@dataclass
class RoundReading:
    domains: list[ShownDomain]
    # The candidates the reader may not read (they exist: the panel reads them).
    unreadable: int
    # Rounds below exist but none has decided: no candidate yet.
    waiting_for_below: bool


def round_reading(
    access: PlanAccess, selection_round: SelectionRound, *, verified: bool
) -> RoundReading:
    """The round as this reader reads it: an open round's candidates by domain, with the
    choices recorded so far for those who choose; a decided round's choices, reasons and
    rankings. Every story through `read_stories` (logged; coarse outside its holder)."""
    choices = list(selection_round.choices.select_related("story").prefetch_related("ranks").all())
    show_choices = not selection_round.is_open or access.can_choose_in(selection_round)
    pool = candidates(selection_round) if selection_round.is_open else []
    wanted = {s.pk for s in pool}
    if show_choices:
        wanted |= {c.story_id for c in choices}
        wanted |= {r.story_id for c in choices for r in c.ranks.all()}
    read = {
        story.pk: as_read
        for story, as_read in read_stories(
            access,
            readable_stories(selection_round.plan).filter(pk__in=wanted),
            channel="page",
            verified=verified,
        )
    }
    grouped: dict[str, list[StoryAsRead]] = defaultdict(list)
    for story in pool:
        if story.pk in read:
            grouped[domain_of(selection_round, story)].append(read[story.pk])
    domains = {d: ShownDomain(domain=d, candidates=grouped[d]) for d in grouped}
    if show_choices:
        for choice in choices:
            shown = ShownChoice(
                domain=choice.domain,
                choice=choice,
                read=read.get(choice.story_id),
                ranked=[(r.position, read.get(r.story_id)) for r in choice.ranks.all()],
            )
            domains.setdefault(choice.domain, ShownDomain(domain=choice.domain, candidates=[]))
            domains[choice.domain].choice = shown
    below = rounds_below(selection_round) if selection_round.is_open else []
    return RoundReading(
        domains=[domains[d] for d in sorted(domains, key=str.casefold)],
        unreadable=len([s for s in pool if s.pk not in read]),
        waiting_for_below=bool(below) and not pool,
    )


# --- feedback -------------------------------------------------------------------------------


def round_link(selection_round: SelectionRound) -> str:
    path = reverse("stories:round", args=[selection_round.plan.code, selection_round.pk])
    return settings.WPSMONITOR_BASE_URL.rstrip("/") + path


def tell_chosen(round_id: int) -> int:
    """Mail the holders' people of each story the decided round chose, each in their
    language: which story, in which domain, why, and the round's page. Sent once the decision
    is stored; a mail server down never undoes it."""
    selection_round = (
        SelectionRound.objects.select_related("plan", "area").filter(pk=round_id).first()
    )
    if selection_round is None or selection_round.is_open:
        return 0
    link = round_link(selection_round)
    sent = 0
    for choice in selection_round.choices.select_related("story__holder").order_by("domain"):
        story = choice.story
        recipients = (
            PlanRole.objects.filter(
                plan_id=selection_round.plan_id,
                organisation_id=story.holder_id,
                role__in=HOLDER_ROLES,
                user__is_active=True,
            )
            .order_by("user__email")
            .values_list("user__email", f"user__{LANGUAGE_LOOKUP}")
        )
        for language, emails in by_language(recipients).items():
            with translation.override(language):
                subject = _("%(plan)s: your story was chosen as a most significant change") % {
                    "plan": selection_round.plan.title
                }
                body = "\n\n".join(
                    (
                        _(
                            "The story “%(title)s”, held by %(holder)s, was chosen as the most "
                            "significant change in the domain “%(domain)s” (%(round)s)."
                        )
                        % {
                            "title": story.title,
                            "holder": story.holder,
                            "round": round_title(selection_round),
                            "domain": choice_domain_words(choice.domain),
                        },
                        _("Why the panel chose it:") + "\n" + choice.reason,
                        _("The round's choices and reasons: %(link)s") % {"link": link},
                    )
                )
            try:
                sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
            except Exception:  # the decision stands; the failure is logged
                log.exception("could not send %r", subject)
    return sent
