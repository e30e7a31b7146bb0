"""Background IATI imports (django-tasks): uploads are imported off the request path."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django_tasks import task

from wpsmonitor.iati.importer import ImportRefused, WpsFilter, import_files
from wpsmonitor.iati.models import ImportRun, ImportStatus


def upload_folder(run_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "iati" / "uploads" / str(run_id)


@task()
def import_iati_run(run_id: int) -> str:
    """Import a queued run's uploaded files; the uploads are deleted afterwards, imported or
    not (a refused file is fixed and uploaded again). Returns the run's status."""
    run = ImportRun.objects.select_related("plan__area", "user").filter(pk=run_id).first()
    if run is None or run.status != ImportStatus.QUEUED:
        return run.status if run else "missing"
    saved = dict(run.filter)
    wps_filter = WpsFilter.build(
        countries=saved.get("countries", []),
        criteria=saved.get("criteria", []),
        sectors=saved.get("sectors") or None,
    )
    paths = [Path(p) for p in run.filenames]
    try:
        import_files(paths=paths, wps_filter=wps_filter, plan=run.plan, user=run.user, run=run)
    except ImportRefused:
        pass  # the run records why
    finally:
        shutil.rmtree(upload_folder(run_id), ignore_errors=True)
    run.refresh_from_db(fields=["status"])
    return str(run.status)
