"""What the exchange layer keeps: the labels a plan's move-in matched by hand (docs/moving-in.md).

A move-in from another system's export matches its labels (indicator titles, area names,
option labels, column headers, periods) to the plan's codes; what it cannot match the user
fills in the mapping sheet. Each filled line is kept here once an import succeeds, so the next
year's export of the same system needs no mapping again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.models import TimeStamped


class LabelKind(models.TextChoices):
    COLUMN = "column", _("Column")
    INDICATOR = "indicator", _("Indicator")
    AREA = "area", _("Area")
    OPTION = "option", _("Option")
    PERIOD = "period", _("Period")


class LabelMapping(TimeStamped):
    """One label of another system and the plan's code it stands for ("-": left out).

    `scope` is the dimension code of an option's label (the same label may be an option of two
    dimensions), empty for the other kinds; `folded` is the label as it is compared (case,
    accents, hyphens and spacing left out: core.names.folded)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=LabelKind.choices)
    scope = models.CharField(_("dimension"), max_length=40, blank=True)
    label = models.CharField(_("label"), max_length=500)
    folded = models.CharField(max_length=500)
    code = models.CharField(_("code"), max_length=100)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "kind", "scope", "folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "scope", "folded"], name="labelmapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} → {self.code}"
