"""Sending a form to the collection server and pulling its submissions back.

The network is reached outside any transaction (no write lock is held while a server
answers); the services then record what came back in one transaction each.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.spreadsheets import FileRefused
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.fieldcollection import services
from wpsmonitor.fieldcollection.clients import FieldServer, ServerError, configured_server
from wpsmonitor.fieldcollection.models import FieldBatch, FieldForm
from wpsmonitor.fieldcollection.records import bounded
from wpsmonitor.fieldcollection.xlsform import form_spec, write_xlsx
from wpsmonitor.reporting.models import ReportingRound


def _server(server: FieldServer | None) -> FieldServer:
    server = server or configured_server()
    if server is None:
        raise ValidationError(_("No collection server is configured on this installation."))
    return server


def form_send(
    *,
    by: User,
    access: PlanAccess,
    round_: ReportingRound,
    organisation: Organisation,
    area: Area,
    language: str,
    server: FieldServer | None = None,
) -> FieldForm:
    """Put the assignment's XLSForm on the server (a new version when it is there already)."""
    if not access.can_use_field_server():
        raise PermissionDenied
    server = _server(server)
    spec = form_spec(round_, organisation, area, language)
    try:
        reference = server.publish(
            form_id=spec.form_id, version=spec.version, title=spec.title, xlsx=write_xlsx(spec)
        )
    except ServerError as exc:
        raise ValidationError(str(exc)) from None
    return services.form_sent(
        by=by,
        round_=round_,
        organisation=organisation,
        area=area,
        server=server.kind,
        spec=spec,
        reference=reference,
        access=access,
    )


def submissions_pull(
    *,
    by: User,
    access: PlanAccess,
    round_: ReportingRound,
    organisation: Organisation,
    area: Area,
    server: FieldServer | None = None,
) -> FieldBatch:
    """Every submission of the form on the server, kept as a batch for the organisation's
    focal points to import (records already imported are skipped then, by instanceID)."""
    if not access.can_use_field_server():
        raise PermissionDenied
    server = _server(server)
    form = FieldForm.objects.filter(
        round=round_, organisation=organisation, area=area, server=server.kind
    ).first()
    if form is None:
        raise ValidationError(_("Send the form to the server first."))
    try:
        records = bounded(server.submissions(form.reference))
    except (ServerError, FileRefused) as exc:
        raise ValidationError(str(exc)) from None
    return services.batch_receive(by=by, form=form, records=records, access=access)
