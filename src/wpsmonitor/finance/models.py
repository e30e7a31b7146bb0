"""What a plan's actions cost and the money behind them, in the plan's own currency.

Costs are estimated while the plan is drafted (unit cost × quantity, or a lump sum, per year);
budget lines record the money from each funding source through its stages: allocated,
committed, disbursed, spent. Amounts keep the currency they were entered in; conversion to the
plan's currency uses only the rates of the plan's own table (never a silent assumption).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.encryption import EncryptedFileField

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def money(verbose_name: StrOrPromise) -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, null=True, blank=True)


class FundingKind(models.TextChoices):
    NATIONAL_BUDGET = "national_budget", _("National budget")
    DONOR = "donor", _("Bilateral or multilateral donor")
    UN = "un", _("United Nations")
    PRIVATE = "private", _("Private sector")
    OTHER = "other", _("Other")


class GenderMarker(models.TextChoices):
    """The OECD DAC gender equality policy marker; an empty score is "not screened", never 0."""

    NOT_SCREENED = "not_screened", _("Not screened")
    NOT_TARGETED = "0", _("0 – not targeted")
    SIGNIFICANT = "1", _("1 – significant objective")
    PRINCIPAL = "2", _("2 – principal objective")


class PlanFinance(models.Model):
    """A plan's reporting currency."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="finance")
    currency = models.CharField(_("currency"), max_length=3, default="USD")

    def __str__(self) -> str:
        return f"{self.plan.code} {self.currency}"


class ExchangeRate(models.Model):
    """How many units of the plan's currency one unit of `currency` is worth, for one year."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="rates")
    currency = models.CharField(_("currency"), max_length=3)
    year = models.PositiveSmallIntegerField(_("year"))
    rate = models.DecimalField(_("rate"), max_digits=20, decimal_places=8)
    source = models.CharField(_("source of the rate"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "currency", "year"], name="rate_unique"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]


class ActionCost(models.Model):
    """One costed item of an action for a year: unit cost × quantity, or a lump sum."""

    action = models.ForeignKey(
        "plans.FrameworkNode", on_delete=models.CASCADE, related_name="costs"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    item = models.CharField(_("item"), max_length=300)
    currency = models.CharField(_("currency"), max_length=3)
    unit_cost = money(_("unit cost"))
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    lump_sum = money(_("lump sum"))

    class Meta:
        ordering = ["action", "year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(lump_sum__isnull=False, unit_cost__isnull=True, quantity__isnull=True)
                    | models.Q(
                        lump_sum__isnull=True, unit_cost__isnull=False, quantity__isnull=False
                    )
                ),
                name="cost_lump_sum_or_unit_cost",
            ),
            models.CheckConstraint(
                condition=(
                    (models.Q(lump_sum__isnull=True) | models.Q(lump_sum__gte=0))
                    & (models.Q(unit_cost__isnull=True) | models.Q(unit_cost__gte=0))
                    & (models.Q(quantity__isnull=True) | models.Q(quantity__gte=0))
                ),
                name="cost_not_negative",
            ),
        ]

    @property
    def amount(self) -> Decimal:
        if self.lump_sum is not None:
            return self.lump_sum
        return (self.unit_cost or Decimal(0)) * (self.quantity or Decimal(0))


class BudgetLine(models.Model):
    """Money for one action and year from one funding source, through its stages."""

    action = models.ForeignKey(
        "plans.FrameworkNode", on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    funding_kind = models.CharField(_("funding source"), max_length=20, choices=FundingKind.choices)
    funder = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("ministry or funder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    budget_code = models.CharField(_("budget line"), max_length=100, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    allocated = money(_("allocated"))
    committed = money(_("committed"))
    disbursed = money(_("disbursed"))
    spent = money(_("spent"))
    earmarked = models.BooleanField(_("earmarked for the plan"), default=False)
    gender_marker = models.CharField(
        _("gender equality marker"),
        max_length=12,
        choices=GenderMarker.choices,
        default=GenderMarker.NOT_SCREENED,
    )
    note = models.TextField(_("note"), blank=True)

    STAGES = ("allocated", "committed", "disbursed", "spent")

    class Meta:
        ordering = ["action", "year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(allocated__isnull=True) | models.Q(allocated__gte=0))
                    & (models.Q(committed__isnull=True) | models.Q(committed__gte=0))
                    & (models.Q(disbursed__isnull=True) | models.Q(disbursed__gte=0))
                    & (models.Q(spent__isnull=True) | models.Q(spent__gte=0))
                ),
                name="budget_line_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(funding_kind__in=FundingKind.values),
                name="budget_line_funding_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(gender_marker__in=GenderMarker.values),
                name="budget_line_gender_marker",
            ),
        ]


# ----------------------------------------------------------------------------- civil society
# Civil society on the budget (docs/oversight.md, "Civil society on the budget").


class MoneyAccount(models.Model):
    """What a civil-society organisation observed of the money of one budget line, or of one
    action as a whole (`line` empty): allocated, released, reached the field, in the plan's
    currency, each optional, with its evidence. A draft is its organisation's monitors' alone;
    once published it is public and no longer changed."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="money_accounts")
    action = models.ForeignKey(
        "plans.FrameworkNode", on_delete=models.CASCADE, related_name="money_accounts"
    )
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="money_accounts",
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="money_accounts"
    )
    allocated = money(_("allocated"))
    released = money(_("released"))
    reached = money(_("reached the field"))
    evidence = models.TextField(_("evidence"))
    link = models.URLField(_("link to the evidence"), max_length=500, blank=True, default="")
    observed_on = models.DateField(_("observed on"))
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    STAGES = ("allocated", "released", "reached")

    class Meta:
        ordering = ["action", "line", "organisation", "-observed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(allocated__isnull=True) | models.Q(allocated__gte=0))
                    & (models.Q(released__isnull=True) | models.Q(released__gte=0))
                    & (models.Q(reached__isnull=True) | models.Q(reached__gte=0))
                ),
                name="money_account_not_negative",
            ),
        ]


def _account_file_path(instance: MoneyAccountFile, filename: str) -> str:
    # A random name, as for every evidence file: the original name (which may identify a
    # person) is kept in the row only, and files are never served from the media folder.
    return f"money-evidence/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class MoneyAccountFile(models.Model):
    """A file of evidence attached to civil society's account of the money (a bank statement,
    a photo of a notice board, a spreadsheet of payments): encrypted at rest, served only
    through a view that checks `PlanAccess.can_download_money_account_file`. Attached and
    removed while the account is a draft; fixed with it once published. `public`: the
    organisation chose to show it with the published account (off by default: a file may
    name or picture someone at risk)."""

    account = models.ForeignKey(MoneyAccount, on_delete=models.CASCADE, related_name="files")
    file = EncryptedFileField(upload_to=_account_file_path)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    public = models.BooleanField(_("shown with the published account"), default=False)
    uploaded_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    DISPUTED = "disputed", _("Disputed")
    RESOLVED = "resolved", _("Resolved")


class BudgetChallenge(models.Model):
    """A civil-society organisation's question or objection on a budget line, addressed to the
    line's ministry (its funder, or else the action's responsible organisation). Public from
    the moment it is opened; its exchange (`ChallengeMessage`) is never edited nor deleted."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="budget_challenges"
    )
    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.RESTRICT,
        related_name="challenges",
        verbose_name=_("budget line"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="budget_challenges"
    )
    addressee = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_challenges_received",
    )
    subject = models.CharField(_("subject"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ChallengeStatus.values),
                name="budget_challenge_status",
            ),
        ]


class MessageKind(models.TextChoices):
    QUESTION = "question", _("Question")
    ANSWER = "answer", _("Answer")
    DISPUTE = "dispute", _("Dispute")
    RESOLUTION = "resolution", _("Resolution")


class ChallengeMessage(models.Model):
    """One message of a challenge's exchange: written once, never changed nor deleted."""

    challenge = models.ForeignKey(
        BudgetChallenge, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    text = models.TextField(_("message"))
    author = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    # The organisation the author spoke for (None: the plan's coordinator).
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A challenge's message is never changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("A challenge's message is never deleted.")
