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


class Sensitivity(models.TextChoices):
    """How far an indicator's figures may travel (docs/publishing.md, "Sensitivity").

    Public figures are published as they are; the counts of a sensitive indicator go through
    disclosure control (small counts suppressed, and what would reveal them); a restricted
    indicator never leaves the platform except to the roles that may see it. It lives in the
    kernel so that accounts' rules can name it.
    """

    PUBLIC = "public", pgettext_lazy("sensitivity", "Public")
    SENSITIVE = "sensitive", pgettext_lazy("sensitivity", "Sensitive")
    RESTRICTED = "restricted", pgettext_lazy("sensitivity", "Restricted")
