"""What the platform keeps of the IATI files it imports.

Activities are kept with their participating organisations, sectors and transactions, in 2.0x
codes (the reader translates 1.0x). Organisations are shared between activities and files: they
are identified by their IATI ref (or, without one, by their name), so that the user-set flags
women-led / grassroots survive re-imports. Re-importing an activity updates its row in place and
replaces its children, so links made by users (plan, pillars, actions) are kept.

Flow tracing joins transactions to activities on `provider_activity_id` / `receiver_activity_id`
→ `Activity.iati_identifier` in memory (`flows`, over the records `selectors` rebuilds), so only
the identifiers and the keys to the activity are indexed: every other index would slow every
import.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wpsmonitor.iati.records import organisation_key


# Values up to 10^18 with IATI's decimals: real files (the USG sample) carry very large values.
def amount() -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(max_digits=24, decimal_places=4)


class Organisation(models.Model):
    """An organisation named in IATI data, as reporting org, participant, provider or receiver.

    `key` is the ref when there is one, else "name:" + the name folded to lower case: IATI
    files often name local partners without an identifier.
    """

    key = models.CharField(max_length=300, unique=True)
    ref = models.CharField(_("IATI identifier"), max_length=200, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=500, blank=True)
    # OrganisationType code: 10 government, 21 international NGO, 22 national NGO, 23 regional
    # NGO, 24 partner-country NGO, 40 multilateral... "" when no file gave it.
    type = models.CharField(_("IATI organisation type"), max_length=4, blank=True)
    # Set by users (IATI does not say it): counted as local women's organisations in flows.
    women_led = models.BooleanField(_("women-led"), default=False)
    grassroots = models.BooleanField(_("grassroots"), default=False)

    class Meta:
        ordering = ["name", "ref"]
        verbose_name = _("IATI organisation")
        verbose_name_plural = _("IATI organisations")

    def __str__(self) -> str:
        return self.name or self.ref

    @staticmethod
    def key_for(ref: str, name: str) -> str:
        return _organisation_key(ref, name)


@lru_cache(maxsize=65536)  # called for every organisation mention of every activity
def _organisation_key(ref: str, name: str) -> str:
    return organisation_key(ref, name)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One import of one or more IATI files: all or nothing.

    The run row itself is written outside the import's transaction, so that a failed or killed
    run stays visible (as failed) while none of its activities remain.
    """

    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    filenames = models.JSONField(_("files"), default=list)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="iati_runs"
    )
    # The relevance filter used, as the importer's WpsFilter.as_dict().
    filter = models.JSONField(_("filter"), default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The process that runs it: a run left "running" by a dead process is marked failed.
    pid = models.PositiveIntegerField(null=True, blank=True)
    bytes_total = models.BigIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
    # importer.Summary.as_dict(): activities read, kept, skipped by reason, transactions,
    # organisations, problems (each located by activity identifier).
    summary = models.JSONField(_("summary"), default=dict)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("IATI import")
        verbose_name_plural = _("IATI imports")

    def __str__(self) -> str:
        return f"IATI import {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_read / self.bytes_total))


class Activity(models.Model):
    iati_identifier = models.CharField(_("IATI identifier"), max_length=300, unique=True)
    reporting_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reported_activities"
    )
    title = models.TextField(_("title"), blank=True)
    humanitarian = models.BooleanField(_("humanitarian"), default=False)
    default_currency = models.CharField(_("default currency"), max_length=3, blank=True)
    # ISO 3166-1 alpha-2 codes, activity level and transaction level together.
    recipient_countries = models.JSONField(_("recipient countries"), default=list)
    # OECD DAC gender equality marker significance 0/1/2; None: not screened (no marker, or a
    # marker without significance). `has_gender_marker` says whether a marker was present.
    gender_marker = models.PositiveSmallIntegerField(_("gender marker"), null=True, blank=True)
    has_gender_marker = models.BooleanField(default=False)
    last_updated = models.CharField(max_length=40, blank=True)  # @last-updated-datetime as given
    run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    # Linked to a plan through its country (set by the import's --plan or by a user).
    plan = models.ForeignKey(
        "plans.Plan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iati_activities",
    )
    # Problems the reader found in this activity (currency missing, transactions skipped...).
    problems = models.JSONField(default=list)

    class Meta:
        ordering = ["iati_identifier"]
        verbose_name = _("IATI activity")
        verbose_name_plural = _("IATI activities")

    def __str__(self) -> str:
        return self.iati_identifier


class ParticipatingOrg(models.Model):
    class Role(models.TextChoices):
        # OrganisationRole codelist 2.0x (1.x names translated by the reader).
        FUNDING = "1", _("Funding")
        ACCOUNTABLE = "2", _("Accountable")
        EXTENDING = "3", _("Extending")
        IMPLEMENTING = "4", _("Implementing")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=2, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations", db_index=False
    )
    # participating-org/@activity-id (2.02+): the organisation's own activity.
    activity_ref = models.CharField(max_length=300, blank=True)


class ActivitySector(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sectors")
    vocabulary = models.CharField(max_length=4)  # 1 DAC 5-digit, 2 DAC 3-digit, 99 own...
    code = models.CharField(max_length=40)
    percentage = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)


class Transaction(models.Model):
    # Indexed by activity only: flows and markers read an activity's transactions and trace
    # provider/receiver activity ids in memory (`flows`), so an index on type or on those ids
    # would only slow every import (each index costs every row written). The organisation
    # keys are constrained but not indexed either: no query looks transactions up by
    # organisation, and organisations are never deleted (a delete would scan, once).
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="transactions")
    # TransactionType 2.0x: 1 incoming funds, 2 commitment, 3 disbursement, 4 expenditure,
    # 11 incoming commitment...
    type = models.CharField(max_length=3)
    value = amount()
    currency = models.CharField(max_length=3, blank=True)  # "" reported as a problem, not guessed
    value_date = models.DateField(null=True, blank=True)
    transaction_date = models.DateField(null=True, blank=True)
    provider = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provided",
        db_index=False,
    )
    provider_activity_id = models.CharField(max_length=300, blank=True)
    receiver = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received",
        db_index=False,
    )
    receiver_activity_id = models.CharField(max_length=300, blank=True)


class OrganisationBudget(models.Model):
    """A budget from an IATI organisation file: a donor's forward money, in total, per recipient
    organisation, country or region (the 'allocated' view for a plan's country)."""

    class Kind(models.TextChoices):
        TOTAL = "total", _("Total budget")
        ORGANISATION = "organisation", _("Budget for a recipient organisation")
        COUNTRY = "country", _("Budget for a recipient country")
        REGION = "region", _("Budget for a recipient region")
        EXPENDITURE = "expenditure", _("Total expenditure")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="budgets")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.CharField(max_length=300, blank=True)  # org ref, country or region code
    recipient_name = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=2, blank=True)  # BudgetStatus: 1 indicative, 2 committed
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    value = amount()
    currency = models.CharField(max_length=3, blank=True)
    run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="budgets"
    )


class ActivityLink(models.Model):
    """A user's mapping of a donor activity to a pillar or action of the plan it is linked to
    (written by the mapping service). Kept across re-imports: the activity row is updated in
    place."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="links")
    node = models.ForeignKey(
        "plans.FrameworkNode", on_delete=models.CASCADE, related_name="iati_links"
    )
    # Share of the activity's money attributed to the node, in percent; None: not apportioned.
    share = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "node"], name="iati_link_unique"),
        ]
