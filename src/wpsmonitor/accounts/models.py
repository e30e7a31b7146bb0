"""Who may do what: API tokens and each user's roles on plans.

A user's rights on a plan come from their PlanRole rows (and from being a superuser, the
administrator). The rules that read them live in accounts/access.py, nowhere else.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its hash is stored; the raw token is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: object, name: str) -> tuple[ApiToken, str]:
        raw = "wps_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8])
        return token, raw


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Plan coordinator")
    FOCAL_POINT = "focal_point", _("Focal point")
    MONITOR = "monitor", _("Civil-society monitor")
    VIEWER = "viewer", _("Viewer")


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
                condition=~models.Q(role__in=["focal_point", "monitor"])
                | models.Q(organisation__isnull=False),
                name="plan_role_organisation_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.plan_id}"
