"""Words every layer shares: the states and kinds that rights and pages are decided on.

They live in the kernel so that a lower layer (accounts' rules) can name them without importing
the app that stores them; `plans.models` and `indicators.models` use them for their fields.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    # Contexts: French says "projet" for a plan not yet adopted, "brouillon" for a report, and
    # agrees "completed" with "plan" (masculine) or "action" (feminine).
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    ADOPTED = "adopted", _("Adopted")
    IMPLEMENTATION = "implementation", _("In implementation")
    COMPLETED = "completed", pgettext_lazy("plan status", "Completed")
    SUPERSEDED = "superseded", _("Superseded")


class SourceKind(models.TextChoices):
    GOVERNMENT = "government", _("Government (official)")
    CIVIL_SOCIETY = "civil_society", _("Civil society (independent)")
    DONOR = "donor", _("Donor")
