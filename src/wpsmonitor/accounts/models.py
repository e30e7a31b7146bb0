"""Who may do what: API tokens and each user's roles on plans.

A user's rights on a plan come from their PlanRole rows (and from being a superuser, the
administrator). The rules that read them live in accounts/access.py, nowhere else.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its hash is stored; the raw token is shown once, at creation.

    An ordinary token reads sensitive items (stories, early-warning signals) only coarse. One
    that `reads_sensitive` reads them whole, as a session verified with a second factor does:
    it is issued only from such a session (services.token_issue) and stops working at
    `expires_at`, WPSMONITOR_SENSITIVE_TOKEN_DAYS after its issue (docs/security.md, "API
    tokens")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    reads_sensitive = models.BooleanField(_("reads sensitive items whole"), default=False)
    # Empty: the token does not expire (an ordinary token).
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reads_sensitive=False) | models.Q(expires_at__isnull=False),
                name="sensitive_token_expires",
                violation_error_message=_("A token that reads sensitive items must expire."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(
        cls, *, user: object, name: str, reads_sensitive: bool = False
    ) -> tuple[ApiToken, str]:
        """A new token and its raw secret. One that reads sensitive items expires after
        WPSMONITOR_SENSITIVE_TOKEN_DAYS; an ordinary one does not expire. Who may have one
        that reads sensitive items is the service's to check (services.token_issue)."""
        raw = "wps_" + secrets.token_urlsafe(32)
        expires_at = (
            timezone.now() + timedelta(days=settings.WPSMONITOR_SENSITIVE_TOKEN_DAYS)
            if reads_sensitive
            else None
        )
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(raw),
            prefix=raw[:8],
            reads_sensitive=reads_sensitive,
            expires_at=expires_at,
        )
        return token, raw

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Plan coordinator")
    FOCAL_POINT = "focal_point", _("Focal point")
    MONITOR = "monitor", _("Civil-society monitor")
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation administrator")
    VIEWER = "viewer", _("Viewer")
    AUDITOR = "auditor", _("Auditor")
    PARLIAMENT = "parliament", _("Parliamentary oversight")


# Roles held for a civil-society organisation, granted only from inside it (its organisation
# administrators; the platform administrator names only an organisation's first administrator
# on a plan). A user holding one of them on a plan holds no other role on that plan.
CIVIL_SOCIETY_ROLES = frozenset({Role.MONITOR, Role.ORGANISATION_ADMIN})

# Roles held for a body that oversees the plan from outside the government that runs it
# (docs/oversight.md, "Auditing bodies and parliament"): an auditor (a supreme audit
# institution, an internal audit unit) and parliamentary oversight (a committee, a caucus, a
# national human rights institution). Granted by the coordinator, for the body. They are not
# members of the plan: they read what the public reads, and what their role adds.
OVERSIGHT_ROLES = frozenset({Role.AUDITOR, Role.PARLIAMENT})


class PlanRole(models.Model):
    """A user's role on one plan, for an organisation and (focal points) an area.

    Focal points and civil-society monitors act for their organisation; a focal point's
    `area` limits where they report (empty: the plan's whole area). Coordinators and viewers
    may name their organisation for the record.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="plan_roles",
    )
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_roles",
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where a focal point reports; empty for the plan's whole area."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role on a plan")
        verbose_name_plural = _("roles on plans")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan", "role", "organisation", "area"],
                name="plan_role_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    role__in=[
                        "focal_point",
                        "monitor",
                        "organisation_admin",
                        "auditor",
                        "parliament",
                    ]
                )
                | models.Q(organisation__isnull=False),
                name="plan_role_organisation_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.plan_id}"


class RoleEvent(models.Model):
    """One grant or revocation of a role on a plan: the history of who was let in, by whom,
    when and why. Written by the role services only, never changed or deleted (it goes only
    with its plan). Names are kept as text too, so the history outlives a deleted account."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("granted")
        REVOKED = "revoked", _("revoked")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="role_events"
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField(_("by (user name)"), max_length=150)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    # The services write both names; core/history.py fills any left blank.
    kept_names = {"user": "user_name", "by": "by_name"}

    class Meta:
        verbose_name = _("role event")
        verbose_name_plural = _("role events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["plan", "organisation", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="revoked") | ~models.Q(reason=""),
                name="role_event_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind} {self.role} {self.user_name} by {self.by_name}"


class UserLanguage(models.Model):
    """The language a user reads the platform in: applied when they sign in, and the language
    of the mail they are sent (docs/languages.md). No row: the site's default language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_setting",
    )
    # A code of settings.LANGUAGES, checked by the forms (no choices here: a fifth language
    # needs no migration).
    language = models.CharField(_("language"), max_length=10)

    class Meta:
        verbose_name = _("user language")
        verbose_name_plural = _("user languages")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
