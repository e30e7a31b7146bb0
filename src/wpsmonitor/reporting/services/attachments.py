"""Evidence attached to a submission: documents and photos, checked from their bytes."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.reporting import evidence as evidence_files
from wpsmonitor.reporting.models import EventKind, Evidence, Submission, SubmissionEvent
from wpsmonitor.reporting.services._rights import caller_access, require


@service
def evidence_attach(
    *,
    by: User,
    submission: Submission,
    upload: UploadedFile,
    description: str = "",
    indicator: Indicator | None = None,
    action: FrameworkNode | None = None,
    shared: bool = False,
    access: PlanAccess | None = None,
) -> Evidence:
    """Attach a document or photo (type checked from its bytes, size capped; a photo stored
    without its metadata, GPS position included). `shared`: shown
    to the plan's readers once the submission is approved or published (the author's choice:
    never for a file that could identify a survivor or a witness)."""
    require(caller_access(by, submission.round.plan, access).can_edit_submission(submission))
    content_type = evidence_files.check(upload)
    stored = evidence_files.without_metadata(upload, content_type)
    item = Evidence(
        submission=submission,
        indicator=indicator,
        action=action,
        filename=evidence_files.safe_name(upload.name or "file"),
        content_type=content_type,
        size=stored.size or 0,
        description=description.strip()[:500],
        shared=shared,
        uploaded_by=by,
    )
    item.file.save("evidence", stored, save=False)
    item.save()
    SubmissionEvent.objects.create(
        submission=submission, kind=EventKind.EVIDENCE, actor=by, note=item.filename
    )
    return item
