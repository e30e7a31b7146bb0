"""wpsmonitor fieldcollection form|send|pull|import: field collection offline from the command line.

    wpsmonitor fieldcollection form PLAN ROUND ORGANISATION [AREA] [--language L] [-o FILE]
    wpsmonitor fieldcollection send PLAN ROUND ORGANISATION [AREA] --user USER [--language L]
    wpsmonitor fieldcollection pull PLAN ROUND ORGANISATION [AREA] --user USER
    wpsmonitor fieldcollection import PLAN FILE --user USER
    wpsmonitor fieldcollection import PLAN --batch N --user USER

The same services as the field collection page (docs/field-collection.md), so the same rules:
`--user` names who acts, with their rights on the plan (the coordinator sends and pulls, a focal
point of the organisation imports, into a draft); the import is all or nothing, each problem a
line "submission <instanceID>: field <name>: message". The form itself is read by whoever runs
commands on the server, the administrator. Exit code 1 when anything is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.spreadsheets import FileRefused
from wpsmonitor.core.translated import reader_language
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.fieldcollection import remote, selectors, services
from wpsmonitor.fieldcollection.models import BatchOrigin, FieldBatch
from wpsmonitor.fieldcollection.records import Record, read_file
from wpsmonitor.fieldcollection.xlsform import (
    ASSIGNMENT_FIELD,
    ROUND_FIELD,
    form_spec,
    write_xlsx,
)
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.models import ReportingRound


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class Command(BaseCommand):
    help = _(
        "Field collection offline: write an assignment's XLSForm, send it to the collection "
        "server, pull its submissions, import submissions into the organisation's draft."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="form|send|pull|import"
        )

        def assignment(sub: CommandParser) -> None:
            sub.add_argument("plan", metavar="PLAN", help=_("the plan's code"))
            sub.add_argument("round", metavar="ROUND", help=_("the round's period, e.g. 2026Q1"))
            sub.add_argument("organisation", metavar="ORGANISATION", help=_("organisation code"))
            sub.add_argument(
                "area",
                metavar="AREA",
                nargs="?",
                help=_("area code (default: the organisation's only area in the plan)"),
            )

        def language(sub: CommandParser) -> None:
            sub.add_argument(
                "--language",
                choices=_language_codes(),
                help=_(
                    "the respondent's language, the others as translations (default: the "
                    "language this command speaks)"
                ),
            )

        def user(sub: CommandParser, what: str) -> None:
            sub.add_argument("--user", required=True, metavar="USER", help=what)

        form = actions.add_parser(
            "form",
            help=_("write the XLSForm of what an organisation owes for an area in a round"),
            description=_(
                "Write the XLSForm of an assignment: each indicator due a group, each "
                "disaggregation cell a field, with the framework version it was made from."
            ),
        )
        assignment(form)
        language(form)
        form.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help=_("file or folder to write (default: the form's own name, here)"),
        )
        send = actions.add_parser(
            "send",
            help=_("put the XLSForm on the collection server (the plan's coordinator)"),
            description=_(
                "Put the assignment's XLSForm on the ODK Central or KoboToolbox server this "
                "installation is configured with (a new version when it is there already)."
            ),
        )
        assignment(send)
        language(send)
        user(send, _("the plan's coordinator, who sends the form"))
        pull = actions.add_parser(
            "pull",
            help=_("pull the form's submissions from the server (the plan's coordinator)"),
            description=_(
                "Pull every submission of the assignment's form from the collection server. "
                "They wait as a batch until a focal point of the organisation imports it."
            ),
        )
        assignment(pull)
        user(pull, _("the plan's coordinator, who pulls the submissions"))
        imp = actions.add_parser(
            "import",
            help=_("import submissions into the organisation's draft, all or nothing"),
            description=_(
                "Import exported submissions (CSV, XLSX or JSON), or a batch pulled from the "
                "server, into the draft of the organisation and area the form was made for. "
                "All or nothing; instances imported before are skipped."
            ),
        )
        imp.add_argument("plan", metavar="PLAN", help=_("the plan's code"))
        imp.add_argument(
            "file", metavar="FILE", nargs="?", help=_("the exported submissions (CSV, XLSX, JSON)")
        )
        imp.add_argument(
            "--batch", type=int, metavar="N", help=_("a pulled batch's number, instead of a file")
        )
        user(imp, _("a focal point of the organisation, in whose name the draft is saved"))

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(code=options["plan"]).first()
        if plan is None:
            raise CommandError(_("No plan with code %(code)s") % {"code": options["plan"]})
        action = options["action"]
        if action == "import":
            self._import(plan, options)
            return
        try:
            round_, organisation, area = selectors.assignment_named(
                plan, options["round"], options["organisation"], options["area"]
            )
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        if action == "form":
            self._form(round_, organisation, area, options)
        elif action == "send":
            self._send(round_, organisation, area, options)
        else:
            self._pull(round_, organisation, area, options)

    # --- the form ---------------------------------------------------------------------------

    def _language(self, options: dict[str, Any]) -> str:
        return str(options.get("language") or reader_language())

    def _form(
        self,
        round_: ReportingRound,
        organisation: Organisation,
        area: Area,
        options: dict[str, Any],
    ) -> None:
        try:
            spec = form_spec(round_, organisation, area, self._language(options))
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        output = Path(options["output"] or spec.filename())
        if output.is_dir():
            output = output / spec.filename()
        try:
            output.write_bytes(write_xlsx(spec))
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": output, "error": exc.strerror}
            ) from None
        self.stdout.write(
            _("Wrote %(path)s: the form %(form)s, framework version %(version)s.")
            % {"path": output, "form": spec.form_id, "version": spec.version}
        )

    # --- the server -------------------------------------------------------------------------

    def _user(self, name: str) -> User:
        found = get_user_model().objects.filter(username=name).first()
        if found is None:
            raise CommandError(_("Unknown user %(name)s") % {"name": name})
        return found  # type: ignore[no-any-return]

    def _coordinator(self, round_: ReportingRound, name: str) -> tuple[User, PlanAccess]:
        user = self._user(name)
        access = PlanAccess.load(user, round_.plan)
        if not access.can_use_field_server():
            raise CommandError(
                _("%(user)s may not use the collection server: only the plan's coordinator may.")
                % {"user": name}
            )
        return user, access

    def _send(
        self,
        round_: ReportingRound,
        organisation: Organisation,
        area: Area,
        options: dict[str, Any],
    ) -> None:
        user, access = self._coordinator(round_, options["user"])
        try:
            sent = remote.form_send(
                by=user,
                access=access,
                round_=round_,
                organisation=organisation,
                area=area,
                language=self._language(options),
            )
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        self.stdout.write(
            _(
                "The form %(form)s (framework version %(version)s) is on %(server)s as %(reference)s."
            )
            % {
                "form": sent.form_id,
                "version": sent.version,
                "server": sent.get_server_display(),
                "reference": sent.reference,
            }
        )

    def _pull(
        self,
        round_: ReportingRound,
        organisation: Organisation,
        area: Area,
        options: dict[str, Any],
    ) -> None:
        user, access = self._coordinator(round_, options["user"])
        try:
            batch = remote.submissions_pull(
                by=user, access=access, round_=round_, organisation=organisation, area=area
            )
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        self.stdout.write(
            _(
                "%(count)s submissions pulled as batch %(batch)s. A focal point of "
                "%(organisation)s imports them into the draft with: wpsmonitor "
                "fieldcollection import %(plan)s --batch %(batch)s --user USER"
            )
            % {
                "count": len(batch.records),
                "batch": batch.pk,
                "organisation": organisation.code,
                "plan": round_.plan.code,
            }
        )

    # --- the import -------------------------------------------------------------------------

    def _import(self, plan: Plan, options: dict[str, Any]) -> None:
        if bool(options["file"]) == (options["batch"] is not None):
            raise CommandError(_("Name either a FILE of submissions or a --batch, not both."))
        user = self._user(options["user"])
        access = PlanAccess.load(user, plan)
        try:
            if options["file"]:
                batch = self._import_file(plan, user, access, Path(options["file"]))
            else:
                batch = self._import_batch(plan, user, access, options["batch"])
        except services.FieldImportRefused as refused:
            for line in refused.lines():
                self.stderr.write(line)
            raise CommandError(refused.summary()) from None
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        self.stdout.write(
            _(
                "Imported into the draft of %(organisation)s, %(area)s, %(period)s (submission "
                "%(submission)s): %(imported)s submissions, %(skipped)s skipped as already "
                "imported. Review the draft, then submit it."
            )
            % {
                "organisation": batch.organisation.code,
                "area": batch.area.code,
                "period": batch.round.period.code,
                "submission": batch.submission_id,
                "imported": batch.imported,
                "skipped": batch.skipped,
            }
        )

    def _refused(self, organisation: Organisation, area: Area) -> CommandError:
        return CommandError(
            _(
                "Nothing was imported: only a focal point of %(organisation)s in %(area)s "
                "imports into its draft."
            )
            % {"organisation": organisation.code, "area": area.code}
        )

    def _import_file(self, plan: Plan, user: User, access: PlanAccess, path: Path) -> FieldBatch:
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            records = read_file(path)
        except FileRefused as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        period, organisation_code, area_code = _form_of(records, path.name)
        round_, organisation, area = selectors.assignment_named(
            plan, period, organisation_code, area_code
        )
        try:
            return services.records_import(
                by=user,
                round_=round_,
                organisation=organisation,
                area=area,
                records=records,
                origin=BatchOrigin.UPLOAD,
                filename=path.name,
                access=access,
            )
        except PermissionDenied:
            raise self._refused(organisation, area) from None

    def _import_batch(self, plan: Plan, user: User, access: PlanAccess, number: int) -> FieldBatch:
        batch = (
            FieldBatch.objects.select_related("round__period", "organisation", "area")
            .filter(pk=number, round__plan=plan)
            .first()
        )
        if batch is None:
            raise CommandError(
                _("The plan %(plan)s has no batch %(batch)s.")
                % {"plan": plan.code, "batch": number}
            )
        try:
            return services.batch_import(by=user, batch=batch, access=access)
        except PermissionDenied:
            raise self._refused(batch.organisation, batch.area) from None


def _form_of(records: Sequence[Record], filename: str) -> tuple[str, str, str]:
    """The round and assignment the submissions answer, from the form's hidden fields: one
    form a file (the service then checks every submission against it)."""
    found = {
        (r.get(ROUND_FIELD, ""), r.get(ASSIGNMENT_FIELD, ""))
        for r in records
        if r.get(ROUND_FIELD) or r.get(ASSIGNMENT_FIELD)
    }
    if not records:
        raise CommandError(_("%(file)s: no submissions to import") % {"file": filename})
    if len(found) > 1:
        raise CommandError(
            _("%(file)s holds the submissions of several forms (%(forms)s): import each alone.")
            % {"file": filename, "forms": ", ".join(sorted(f"{p} {a}" for p, a in found)[:5])}
        )
    period, assignment = next(iter(found), ("", ""))
    organisation, sep, area = assignment.partition("@")
    if not (period and organisation and sep and area):
        raise CommandError(
            _(
                "%(file)s does not say which form its submissions answer (%(fields)s): export "
                "them with every field, the hidden ones included."
            )
            % {"file": filename, "fields": f"{ROUND_FIELD}, {ASSIGNMENT_FIELD}"}
        )
    return period, organisation, area
