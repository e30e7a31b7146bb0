"""Writes on stories and their consent (docs/stories.md). Every function checks the caller's
rights (PlanAccess) itself, and only the story's holder acts on it; refusals raise
PermissionDenied, bad input ValidationError, and nothing is changed in either case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.core.translated import language_codes
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import Plan
from wpsmonitor.shell.public_cache import bump_public_generation
from wpsmonitor.shell.uploads import safe_name
from wpsmonitor.stories import media
from wpsmonitor.stories.models import (
    Consent,
    ConsentMethod,
    Purpose,
    Story,
    StoryDeletion,
    StoryKind,
    StoryMedium,
    StorySensitivity,
    StoryStatus,
)
from wpsmonitor.stories.uses import Withdrawal, published_uses, tell_coordinators


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
    shared, and it is shared only with a consent. The storyteller's name is recorded with a
    consent to be named (`storyteller_name_set`), never here."""
    _require(PlanAccess.load(by, plan).can_record_story(holder.pk))
    if language not in language_codes():
        raise ValidationError(
            _("%(language)s is not one of the platform's languages (%(all)s).")
            % {"language": language, "all": ", ".join(language_codes())}
        )
    if happened_on is not None and happened_on > timezone.localdate():
        raise ValidationError(_("A story cannot have happened in the future."))
    attributes = storyteller or {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()):
        raise ValidationError(_("The storyteller's attributes are names and values."))
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
    that used it for a purpose that ended (stories/uses.py), and they are returned."""
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
    if used_in:
        ids, story_id, day = [u.pk for u in used_in], story.pk, consent.withdrawn_on
        transaction.on_commit(lambda: tell_coordinators(story_id, ids, day))
    bump_public_generation()  # a public page that showed it must not be served again
    return Withdrawal(consent=consent, used_in=used_in)


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
    """A photo, an audio recording or a document attached to the story by its holder: checked
    by its bytes and its kind's size, a photo re-encoded without its metadata (refused when it
    cannot be), stored encrypted (stories/media.py). `safe_to_share`: the holder judged it
    identifies no one, so readers of the coarse story get it too."""
    _holder(by, story)
    accepted = media.check(upload)
    data = media.prepared(upload, accepted)
    medium = StoryMedium(
        story=story,
        kind=accepted.kind,
        original_name=safe_name(upload.name or "") or accepted.kind,
        content_type=accepted.content_type,
        size=len(data),
        safe_to_share=safe_to_share,
        uploaded_by=by,
    )
    medium.file.save("medium", media.encrypted_file(data), save=False)
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
