"""Writes on stories and their consent (docs/stories.md). Every function checks the caller's
rights (PlanAccess) itself, and only the story's holder acts on it; refusals raise
PermissionDenied, bad input ValidationError, and nothing is changed in either case."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import PlanRole
from wpsmonitor.core.history import display_name
from wpsmonitor.core.periods import PeriodCodeError, PeriodType, parse_period
from wpsmonitor.core.services import service
from wpsmonitor.core.translated import language_codes
from wpsmonitor.directory.areas import PROVINCE_DEPTH
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.shell.public_cache import bump_public_generation
from wpsmonitor.shell.uploads import safe_name
from wpsmonitor.stories import attributes as storyteller_attributes
from wpsmonitor.stories import media, selection
from wpsmonitor.stories.models import (
    Consent,
    ConsentMethod,
    NoticeOutcome,
    Purpose,
    RoundStatus,
    SelectionChoice,
    SelectionLevel,
    SelectionRank,
    SelectionRound,
    Story,
    StoryDeletion,
    StoryKind,
    StoryMedium,
    StorySensitivity,
    StorySettings,
    StoryStatus,
    WithdrawalNotice,
)
from wpsmonitor.stories.uses import Withdrawal, notices_create, published_uses, tell_coordinators


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _holder(by: User, story: Story) -> PlanAccess:
    access = PlanAccess.load(by, story.plan)
    _require(access.holds_story(story))
    return access


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _choice(value: str, choices: Any, what: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            _("%(value)s is not a %(what)s; use one of: %(choices)s.")
            % {"value": value, "what": what, "choices": ", ".join(choices.values)}
        )
    return value


@service
def story_record(
    *,
    by: User,
    plan: Plan,
    holder: Organisation,
    kind: str,
    title: str,
    text: str,
    language: str,
    sensitivity: str = StorySensitivity.PROTECTED,
    domain: str = "",
    area: Area | None = None,
    happened_on: date | None = None,
    storyteller: dict[str, Any] | None = None,
) -> Story:
    """A new story, a draft of its holder's: no one outside the holder reads it until it is
    shared, and it is shared only with a consent. `storyteller`: the attributes the plan
    records (stories/attributes.py), each with one of its answers. The storyteller's name is
    recorded with a consent to be named (`storyteller_name_set`), never here."""
    _require(PlanAccess.load(by, plan).can_record_story(holder.pk))
    if language not in language_codes():
        raise ValidationError(
            _("%(language)s is not one of the platform's languages (%(all)s).")
            % {"language": language, "all": ", ".join(language_codes())}
        )
    if happened_on is not None and happened_on > timezone.localdate():
        raise ValidationError(_("A story cannot have happened in the future."))
    attributes = storyteller_attributes.checked(
        storyteller, storyteller_attributes.chosen_codes(plan)
    )
    story = Story.objects.create(
        plan=plan,
        holder=holder,
        kind=_choice(kind, StoryKind, _("kind of story")),
        title=_text(title, _("A story needs a title (one that names no one).")),
        text=_text(text, _("A story needs its text.")),
        language=language,
        sensitivity=_choice(sensitivity, StorySensitivity, _("sensitivity")),
        domain=(domain or "").strip(),
        area=area,
        happened_on=happened_on,
        storyteller=attributes,
        collected_by=by,
    )
    return story


@service
def story_settings_set(*, by: User, plan: Plan, attributes: Iterable[str]) -> StorySettings:
    """Which of the storyteller's attributes the plan's stories record, among the vocabulary
    (stories/attributes.py): the plan's coordinator. An attribute left out is no longer asked;
    the answers already recorded stay with their stories."""
    _require(PlanAccess.load(by, plan).can_manage_story_settings())
    codes = list(attributes)
    unknown = [c for c in codes if c not in storyteller_attributes.BY_CODE]
    if unknown:
        raise ValidationError(
            {
                "attributes": _(
                    '"%(attribute)s" is not a storyteller\'s attribute; choose among: %(all)s.'
                )
                % {
                    "attribute": unknown[0],
                    "all": ", ".join(a.code for a in storyteller_attributes.VOCABULARY),
                }
            }
        )
    chosen, _created = StorySettings.objects.update_or_create(
        plan=plan,
        defaults={"attributes": storyteller_attributes.in_order(codes), "updated_by": by},
    )
    return chosen


@service
def story_link(
    *,
    by: User,
    story: Story,
    nodes: Iterable[FrameworkNode],
    indicators: Iterable[Indicator],
    recommendations: Iterable[Recommendation],
) -> Story:
    """The pillars, outcomes and actions (`nodes`), the indicators and the recommendations
    (accountability) the story speaks to, replacing those it had: each of the story's plan, and
    only indicators the holder's people may see. They name no one, so every reader of the story
    reads them."""
    access = _holder(by, story)
    nodes, indicators = list(nodes), list(indicators)
    recommendations = list(recommendations)
    for node in nodes:
        if node.plan_id != story.plan_id:
            raise ValidationError(
                _("%(code)s is not a pillar, outcome or action of this plan.") % {"code": node.code}
            )
    for indicator in indicators:
        if indicator.plan_id != story.plan_id:
            raise ValidationError(
                _("%(code)s is not an indicator of this plan.") % {"code": indicator.code}
            )
        if not access.can_view_indicator(indicator):
            raise ValidationError(
                _("You may not link the indicator %(code)s.") % {"code": indicator.code}
            )
    for recommendation in recommendations:
        # A recommendation is made on one plan (Recommendation.plan): only the story's plan's.
        if recommendation.plan_id != story.plan_id:
            raise ValidationError(
                _("Recommendation %(id)s is not a recommendation of this plan.")
                % {"id": recommendation.pk}
            )
    story.nodes.set(nodes)
    story.indicators.set(indicators)
    story.recommendations.set(recommendations)
    return story


@service
def consent_record(
    *,
    by: User,
    story: Story,
    given_by: str,
    purposes: set[str],
    method: str,
    given_on: date,
    valid_until: date | None = None,
    witness: str = "",
    to_be_named: bool = False,
) -> Consent:
    """A consent to use the story for some purposes, as it was given: by whom (the storyteller
    or their guardian), how, when, until when. An oral consent needs its witness."""
    _holder(by, story)
    unknown = set(purposes) - set(Purpose.values)
    if unknown or not purposes:
        raise ValidationError(
            _("Say what the consent is for: one or more of %(choices)s.")
            % {"choices": ", ".join(Purpose.values)}
        )
    _choice(method, ConsentMethod, _("way of giving consent"))
    if method == ConsentMethod.ORAL_WITNESSED and not (witness or "").strip():
        raise ValidationError(_("An oral consent needs the name of its witness."))
    if given_on > timezone.localdate():
        raise ValidationError(_("A consent cannot be given in the future."))
    if valid_until is not None and valid_until < given_on:
        raise ValidationError(_("A consent cannot end before it is given."))
    if story.status == StoryStatus.APPROVED and Purpose.PUBLIC in purposes:
        bump_public_generation()  # the portal may show it from now on
    return Consent.objects.create(
        story=story,
        given_by=_text(given_by, _("Say who gave the consent.")),
        for_monitoring=Purpose.MONITORING in purposes,
        for_report=Purpose.REPORT in purposes,
        for_public=Purpose.PUBLIC in purposes,
        to_be_named=to_be_named,
        method=method,
        witness=(witness or "").strip(),
        given_on=given_on,
        valid_until=valid_until,
        recorded_by=by,
    )


@service
def storyteller_name_set(*, by: User, story: Story, name: str) -> Story:
    """The storyteller's name, kept only with a consent in force to be named."""
    _holder(by, story)
    name = (name or "").strip()
    if name and not story.can_be_named():
        raise ValidationError(_("No consent in force allows the storyteller to be named."))
    story.storyteller_name = name
    story.save(update_fields=["storyteller_name", "updated_at"])
    return story


@service
def consent_withdraw(
    *, by: User, consent: Consent, on: date | None = None, note: str = ""
) -> Withdrawal:
    """The consent is withdrawn from `on` (default today): from then on the story is used for
    none of its purposes that no other consent covers, in no page, export or report built
    afterwards, and the public pages cached before are stale at once. Its name goes too when no
    consent to be named is left. The plan's coordinators are mailed the published documents
    that used it for a purpose that ended (stories/uses.py), and they are returned; each
    published report among them is a task on the coordinators' "What to do now"
    (`WithdrawalNotice`) until they generate it again or keep it as published."""
    story = consent.story
    _holder(by, story)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("A consent is withdrawn today or on a past day, not later."))
    uses = (Purpose.REPORT, Purpose.PUBLIC)
    before = {p for p in uses if story.consented_to(p)}
    consent.withdrawn_on = max(on, consent.given_on)
    consent.withdrawn_by = by
    consent.withdrawal_note = (note or "").strip()
    consent.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_note"])
    story.refresh_from_db()
    if story.storyteller_name and not story.can_be_named():
        story.storyteller_name = ""
        story.save(update_fields=["storyteller_name", "updated_at"])
    ended = {p for p in before if not story.consented_to(p)}
    used_in = published_uses(story, ended)
    # The published reports among them wait on the coordinators' "What to do now".
    notices_create(story, used_in, consent.withdrawn_on)
    if used_in:
        ids, story_id, day = [u.pk for u in used_in], story.pk, consent.withdrawn_on
        transaction.on_commit(lambda: tell_coordinators(story_id, ids, day))
    bump_public_generation()  # a public page that showed it must not be served again
    return Withdrawal(consent=consent, used_in=used_in)


@service
def withdrawal_notice_keep(*, by: User, notice: WithdrawalNotice) -> WithdrawalNotice:
    """The coordinators keep the published report as it is, though it prints a story whose
    consent was withdrawn since: the task is done, with who and when."""
    _require(PlanAccess.load(by, notice.plan).can_settle_withdrawal_notices())
    notice = WithdrawalNotice.objects.select_for_update().get(pk=notice.pk)
    if not notice.is_open:
        raise ValidationError(_("This task is already done."))
    notice.outcome = NoticeOutcome.KEPT
    notice.settled_by = by
    notice.settled_at = timezone.now()
    notice.save(update_fields=["outcome", "settled_by", "settled_by_name", "settled_at"])
    return notice


@service
def story_share(*, by: User, story: Story) -> Story:
    """Share a draft with the plan's members: only with a consent in force for the plan's
    monitoring (or wider), and never a restricted story's text beyond the people it names."""
    _holder(by, story)
    if story.status != StoryStatus.DRAFT:
        raise ValidationError(_("Only a draft is shared."))
    if not any(story.consented_to(p) for p in Purpose.values):
        raise ValidationError(_("A story is shared only with a consent recorded and in force."))
    story.status = StoryStatus.SHARED
    story.save(update_fields=["status", "updated_at"])
    return story


@service
def story_approve(*, by: User, story: Story) -> Story:
    """Approve a shared story for the report and the public portal: by a second person of the
    holder (not the one who collected it), with a consent for the report or the portal in
    force. Restricted stories are never published."""
    _holder(by, story)
    if story.status != StoryStatus.SHARED:
        raise ValidationError(_("Only a shared story is approved for publication."))
    if story.sensitivity == StorySensitivity.RESTRICTED:
        raise ValidationError(_("A restricted story is never published."))
    if story.collected_by_id == by.pk:
        raise ValidationError(_("A second person approves a story, not the one who collected it."))
    if not (story.consented_to(Purpose.REPORT) or story.consented_to(Purpose.PUBLIC)):
        raise ValidationError(
            _(
                "A story is approved for publication only with a consent for the report or the "
                "public portal in force."
            )
        )
    story.status = StoryStatus.APPROVED
    story.approved_by = by
    story.approved_at = timezone.now()
    story.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    bump_public_generation()  # the portal's page of stories may show it
    return story


@service
def story_delete_now(*, by: User, story: Story) -> StoryDeletion:
    """Remove the story at once, with its consents and its read log: the platform keeps only
    the fact that the holder deleted a story, and when (no title, no text)."""
    _holder(by, story)
    deletion = StoryDeletion.objects.create(plan=story.plan, holder=story.holder, deleted_by=by)
    if story.status == StoryStatus.APPROVED:
        bump_public_generation()  # the portal's page of stories may have shown it
    files = [m.file for m in story.media.all()]
    story.delete()
    # The files go once the rows are gone for good (they are encrypted meanwhile).
    transaction.on_commit(lambda: _remove_files(files))
    return deletion


def _remove_files(files: list[Any]) -> None:
    for stored in files:
        stored.storage.delete(stored.name)


@service
def medium_attach(
    *, by: User, story: Story, upload: UploadedFile, safe_to_share: bool = False
) -> StoryMedium:
    """A photo, an audio recording, a video or a document attached to the story by its holder:
    checked by its bytes and its kind's size, a photo re-encoded and a recording remuxed without
    their metadata (refused when they cannot be), stored encrypted (stories/media.py).
    `safe_to_share`: the holder judged it identifies no one, so readers of the coarse story get
    it too."""
    _holder(by, story)
    accepted = media.check(upload)
    with media.prepared(upload, accepted) as bare, media.encrypted(bare.file) as sealed:
        medium = StoryMedium(
            story=story,
            kind=bare.kind,
            original_name=safe_name(upload.name or "") or bare.kind,
            content_type=bare.content_type,
            size=bare.size,
            safe_to_share=safe_to_share,
            uploaded_by=by,
        )
        medium.file.save("medium", sealed, save=False)
    stored = medium.file
    try:
        medium.save()
    except Exception:
        stored.storage.delete(stored.name)
        raise
    return medium


@service
def medium_remove(*, by: User, medium: StoryMedium) -> None:
    """The medium is removed, its file at once."""
    _holder(by, medium.story)
    stored = medium.file
    medium.delete()
    transaction.on_commit(lambda: _remove_files([stored]))


# --- Selection rounds (docs/stories.md, "Selection rounds (Most Significant Change)") --------


@service
def selection_round_create(
    *,
    by: User,
    plan: Plan,
    level: str,
    period: str,
    domain: str = "",
    area: Area | None = None,
    panel: Iterable[User] = (),
    panel_others: str = "",
) -> SelectionRound:
    """A selection round of the plan, open: its level (a province round names its province),
    its period (a year or a quarter), its domain of change (blank: every domain) and its
    panel: members of the plan with an account, and others named one a line."""
    _require(PlanAccess.load(by, plan).can_manage_selection_rounds())
    level = _choice(level, SelectionLevel, _("level"))
    try:
        parsed = parse_period(period)
    except PeriodCodeError:
        parsed = None
    if parsed is None or parsed.type not in (PeriodType.YEAR, PeriodType.QUARTER):
        raise ValidationError(_("A round's period is a year (2025) or a quarter (2025Q3)."))
    if level == SelectionLevel.PROVINCE:
        if (
            area is None
            or not area.path.startswith(plan.area.path)
            or len(area.ancestor_ids) != PROVINCE_DEPTH
        ):
            raise ValidationError(_("A province round names one of the plan's provinces."))
    elif area is not None:
        raise ValidationError(_("Only a province round names an area."))
    users = list({u.pk: u for u in panel}.values())
    members = set(
        PlanRole.objects.filter(plan=plan, user__in=users, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    strangers = [display_name(u) for u in users if u.pk not in members]
    if strangers:
        raise ValidationError(
            _(
                "Only members of the plan sit on a panel with their account: %(names)s. Name "
                "the others among the panel members without an account."
            )
            % {"names": ", ".join(strangers)}
        )
    others = "\n".join(line.strip() for line in (panel_others or "").splitlines() if line.strip())
    if not users and not others:
        raise ValidationError(_("A round needs its panel: at least one member."))
    created = SelectionRound.objects.create(
        plan=plan,
        level=level,
        area=area if level == SelectionLevel.PROVINCE else None,
        period=parsed.code,
        domain=(domain or "").strip(),
        panel_others=others,
        created_by=by,
    )
    created.panel.set(users)
    return created


def _open_round(by: User, selection_round: SelectionRound) -> None:
    _require(PlanAccess.load(by, selection_round.plan).can_choose_in(selection_round))
    if not selection_round.is_open:
        raise ValidationError(_("This round is decided: its choices are frozen."))


@service
def selection_choose(
    *,
    by: User,
    selection_round: SelectionRound,
    story: Story,
    reason: str,
    ranking: Sequence[Story] = (),
) -> SelectionChoice:
    """The panel's choice for the story's domain of change (the round's, when it has one),
    and why; optionally its ranking of the other candidates of that domain, the next first. A
    new choice for the domain replaces the previous one while the round is open. By a member
    of the panel or the plan's coordinator; only a candidate of the round is chosen or
    ranked."""
    _open_round(by, selection_round)
    reason = _text(reason, _("Say why the panel chose this story: the reason is required."))
    pool = {s.pk: s for s in selection.candidates(selection_round)}
    if story.pk not in pool:
        raise ValidationError(_("This story is not a candidate of this round."))
    domain = selection.domain_of(selection_round, story)
    ranked = [pool.get(s.pk) for s in ranking]
    if (
        any(s is None or selection.domain_of(selection_round, s) != domain for s in ranked)
        or story.pk in {s.pk for s in ranking}
        or len({s.pk for s in ranking}) != len(ranking)
    ):
        raise ValidationError(
            _("Rank only the other candidates of the same domain of change, each once.")
        )
    choice, _created = SelectionChoice.objects.update_or_create(
        round=selection_round,
        domain=domain,
        defaults={"story": story, "reason": reason, "chosen_by": by, "chosen_at": timezone.now()},
    )
    choice.ranks.all().delete()
    SelectionRank.objects.bulk_create(
        SelectionRank(choice=choice, story=s, position=position)
        for position, s in enumerate(ranking, start=2)
    )
    return choice


@service
def selection_decide(*, by: User, selection_round: SelectionRound) -> SelectionRound:
    """Decide the round: its choices are frozen, its candidates recorded, and the holders of
    the chosen stories are mailed (stories/selection.py, `tell_chosen`) once it is stored.
    Refused while a chosen story is no longer a candidate (its consent withdrawn)."""
    _open_round(by, selection_round)
    choices = list(selection_round.choices.select_related("story"))
    if not choices:
        raise ValidationError(_("Record at least one choice before deciding the round."))
    pool = selection.candidates(selection_round)
    lost = [c for c in choices if c.story_id not in {s.pk for s in pool}]
    if lost:
        raise ValidationError(
            _(
                "The story chosen for %(domain)s is no longer a candidate (its consent may have "
                "been withdrawn): choose again."
            )
            % {"domain": selection.choice_domain_words(lost[0].domain)}
        )
    selection_round.status = RoundStatus.DECIDED
    selection_round.decided_by = by
    selection_round.decided_at = timezone.now()
    selection_round.save(update_fields=["status", "decided_by", "decided_at"])
    selection_round.candidates.set(pool)
    round_id = selection_round.pk
    transaction.on_commit(lambda: selection.tell_chosen(round_id))
    return selection_round
