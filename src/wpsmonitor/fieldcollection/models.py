"""Field collection offline (docs/field-collection.md): the XLSForms sent to a server, the
batches of submissions pulled or uploaded, and every instance imported, by its instanceID.

A batch's figures never live here: importing it saves them into the assignment's submission
(a draft of the reporting cycle) through the reporting services. What stays is where they came
from, so that an instance is never imported twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServerKind(models.TextChoices):
    ODK = "odk", "ODK Central"
    KOBO = "kobo", "KoboToolbox"


class BatchOrigin(models.TextChoices):
    UPLOAD = "upload", _("Uploaded file")
    ODK = "odk", "ODK Central"
    KOBO = "kobo", "KoboToolbox"


class FieldForm(models.Model):
    """An XLSForm sent to a collection server for one assignment (organisation and area) of a
    round; `reference` is the server's name for it (ODK's xmlFormId, Kobo's asset uid)."""

    round = models.ForeignKey(
        "reporting.ReportingRound", on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    server = models.CharField(_("server"), max_length=8, choices=ServerKind.choices)
    form_id = models.CharField(_("form ID"), max_length=200)
    version = models.CharField(_("framework version"), max_length=64)
    reference = models.CharField(_("reference on the server"), max_length=200)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("field form")
        verbose_name_plural = _("field forms")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "area", "server"], name="fieldform_unique"
            )
        ]


class FieldBatch(models.Model):
    """Submissions received at once, from a file or a pull: imported all or nothing.

    A pull by the coordinator waits here (`records`) until a focal point of the organisation
    imports it: only the authors' side writes a draft (docs/reporting.md, "Roles")."""

    round = models.ForeignKey(
        "reporting.ReportingRound", on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(_("origin"), max_length=8, choices=BatchOrigin.choices)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    records = models.JSONField(default=list, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    submission = models.ForeignKey(
        "reporting.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("field batch")
        verbose_name_plural = _("field batches")

    @property
    def is_pending(self) -> bool:
        return self.imported_at is None


class FieldInstance(models.Model):
    """One collected instance imported into a draft: its instanceID is never imported again."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    instance_id = models.CharField(_("instance ID"), max_length=200)
    batch = models.ForeignKey(FieldBatch, on_delete=models.CASCADE, related_name="instances")
    submission = models.ForeignKey(
        "reporting.Submission", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("field instance")
        verbose_name_plural = _("field instances")
        constraints = [
            models.UniqueConstraint(fields=["plan", "instance_id"], name="fieldinstance_unique")
        ]
