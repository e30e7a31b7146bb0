"""Reads on boards and reports: who sits (and the balance), which reports a reader may see,
and where a report stands in its signing. Pages and API share these, so they agree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.accounts.access import PlanAccess, Viewer, plan_access
from wpsmonitor.boards.models import (
    OPEN_STATUSES,
    Board,
    BoardKind,
    BoardMember,
    Decision,
    Dissent,
    Meeting,
    PeriodicReport,
    ReportStatus,
    Side,
    Signature,
    VersionSignature,
)
from wpsmonitor.core.errors import NotFound
from wpsmonitor.core.periods import PeriodCodeError, PeriodType, parse_period
from wpsmonitor.plans.models import Plan, PlanVersion, VersionStatus
from wpsmonitor.plans.versions import content_hash

BELOW_PARITY = "below_parity"
PARITY = "parity"
CIVIL_SOCIETY_MAJORITY = "civil_society_majority"
NO_MEMBERS = "no_members"


@dataclass(frozen=True)
class Balance:
    """How the board's current seats divide between the sides.

    Parity is the sources' "half from government, half from women's organisations": civil
    society below half the current seats is below parity (a warning); exactly half is parity;
    more than half, a civil-society majority. Seats without an account count too: signing is
    not sitting.
    """

    government: int
    civil_society: int

    @property
    def total(self) -> int:
        return self.government + self.civil_society

    @property
    def state(self) -> str:
        if self.total == 0:
            return NO_MEMBERS
        if 2 * self.civil_society < self.total:
            return BELOW_PARITY
        if 2 * self.civil_society == self.total:
            return PARITY
        return CIVIL_SOCIETY_MAJORITY

    @property
    def below_parity(self) -> bool:
        return self.state == BELOW_PARITY

    @property
    def label(self) -> str:
        """E.g. "4 government, 2 civil society: below parity"."""
        # Translators: the two sides' member counts, e.g. "4 government members, 2 civil-society
        # members".
        counts = _("%(government)s, %(civil_society)s") % {
            "government": ngettext(
                "%(n)d government member", "%(n)d government members", self.government
            )
            % {"n": self.government},
            "civil_society": ngettext(
                "%(n)d civil-society member", "%(n)d civil-society members", self.civil_society
            )
            % {"n": self.civil_society},
        }
        verdict = {
            NO_MEMBERS: _("no current member"),
            BELOW_PARITY: _("below parity: civil society holds less than half the seats"),
            PARITY: _("parity"),
            CIVIL_SOCIETY_MAJORITY: _("civil society holds more than half the seats"),
        }[self.state]
        # Translators: the member counts, then the verdict on parity, e.g. "4 government members,
        # 2 civil-society members: below parity: …". French puts a no-break space before the colon.
        return _("%(counts)s: %(verdict)s") % {"counts": counts, "verdict": verdict}


def balance(members: Iterable[BoardMember], today: date | None = None) -> Balance:
    today = today or timezone.localdate()
    current = [m for m in members if m.is_current(today)]
    return Balance(
        government=sum(1 for m in current if m.side == Side.GOVERNMENT),
        civil_society=sum(1 for m in current if m.side == Side.CIVIL_SOCIETY),
    )


def board_access(user: Viewer, code: str) -> PlanAccess:
    """The plan and the user's rights; 404 when the plan is hidden from them. A board member
    reads their board's pages even on a plan they could not otherwise read (a draft)."""
    return plan_access(user, code, may_open=PlanAccess.can_read_board)


def board_of(plan: Plan) -> Board | None:
    return (
        Board.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "members",
                BoardMember.objects.select_related("organisation", "user").order_by(
                    "side", "name", "pk"
                ),
            )
        )
        .first()
    )


def body_kind(plan: Plan) -> str:
    """What the plan's joint body is, in the reader's language ("Steering committee", "Joint
    task force", "Monitoring board"); empty when the plan has none. One query, for the plan's
    page (docs/oversight.md, "The steering committee")."""
    kind = Board.objects.filter(plan=plan).values_list("kind", flat=True).first()
    return str(BoardKind(kind).label) if kind in BoardKind.values else ""


def visible_reports(access: PlanAccess) -> QuerySet[PeriodicReport]:
    """The plan's reports this reader may see: published ones, and the rest for the plan's
    members, the administrator and the board's members."""
    reports = PeriodicReport.objects.filter(plan=access.plan)
    if access.admin or access.is_member or access.is_board_member:
        return reports
    return reports.filter(status=ReportStatus.PUBLISHED)


def report_for(access: PlanAccess, pk: int) -> PeriodicReport:
    """A report with its signatures, dissents and history; 404 when hidden from the reader."""
    report = (
        PeriodicReport.objects.filter(plan=access.plan, pk=pk)
        .select_related("plan", "created_by")
        .prefetch_related(
            Prefetch(
                "signatures",
                Signature.objects.select_related("member__organisation", "by"),
            ),
            Prefetch(
                "dissents",
                Dissent.objects.select_related("member__organisation", "by"),
            ),
            "events__by",
            "events__member__organisation",
        )
        .first()
    )
    if report is None or not access.can_read_report(report):
        raise NotFound(_("No report %(id)s.") % {"id": pk})
    return report


@dataclass(frozen=True)
class Signing:
    """Where a report stands with the board, in words and in data."""

    required: bool
    government: list[Signature]
    civil_society: list[Signature]

    @property
    def sides(self) -> set[str]:
        return {
            side
            for side, signed in (
                (Side.GOVERNMENT, self.government),
                (Side.CIVIL_SOCIETY, self.civil_society),
            )
            if signed
        }

    @property
    def signatures(self) -> list[Signature]:
        """Both sides' valid signatures: what the table's note about organisations' names reads."""
        return self.government + self.civil_society

    @property
    def missing(self) -> list[str]:
        return [s for s in (Side.GOVERNMENT, Side.CIVIL_SOCIETY) if s not in self.sides]

    def label(self, status: str) -> str:
        if status == ReportStatus.PUBLISHED:
            return _("Published")
        if status == ReportStatus.DRAFT:
            return _("Draft: not yet sent to the board")
        if not self.required:
            return _("With the board; the coordinator publishes it")
        missing = self.missing
        if missing == [Side.CIVIL_SOCIETY]:
            return _("Signed for government; awaiting civil-society signature")
        if missing == [Side.GOVERNMENT]:
            return _("Signed for civil society; awaiting government signature")
        return _("Awaiting government and civil-society signatures")


def signing(report: PeriodicReport, board: Board | None) -> Signing:
    """From the prefetched signatures: the valid ones, by side."""
    valid = [s for s in report.signatures.all() if s.is_valid]
    return Signing(
        required=bool(board and board.requires_cosignature),
        government=[s for s in valid if s.side == Side.GOVERNMENT],
        civil_society=[s for s in valid if s.side == Side.CIVIL_SOCIETY],
    )


def standing_dissents(report: PeriodicReport) -> list[Dissent]:
    return [d for d in report.dissents.all() if d.withdrawn_at is None]


def figures_query(period: str) -> str:
    """The plan page's filter for the report's period, when that page offers it (years and
    quarters); empty otherwise (the page then shows the whole plan)."""
    try:
        parsed = parse_period(period)
    except PeriodCodeError:
        return ""
    if parsed.type in (PeriodType.YEAR, PeriodType.QUARTER):
        return f"?period={period}"
    return ""


def signed_sides(report: PeriodicReport) -> set[str]:
    """The sides with at least one valid signature on the report."""
    return set(
        report.signatures.filter(withdrawn_at__isnull=True, invalidated_at__isnull=True)
        .values_list("side", flat=True)
        .distinct()
    )


def current_seats(user: Viewer) -> list[BoardMember]:
    """The user's current seats on any plan's board, with their plans (one query): what the
    signed-in home lists for a board member who holds no role on the plan."""
    if isinstance(user, AnonymousUser):
        return []
    today = timezone.localdate()
    return list(
        BoardMember.objects.filter(user=user, since__lte=today)
        .exclude(until__lt=today)
        .select_related("board__plan", "organisation")
        .order_by("board__plan__code")
    )


def reports_to_sign(user: Viewer) -> list[PeriodicReport]:
    """Reports awaiting the board's signatures on a board where the user sits today, which
    they have not signed (a valid signature of theirs): the signed-in home's "to sign" list."""
    seats = current_seats(user)
    if not seats:
        return []
    return list(
        PeriodicReport.objects.filter(
            plan_id__in={s.board.plan_id for s in seats}, status=ReportStatus.AWAITING
        )
        .exclude(
            pk__in=Signature.objects.filter(
                member__in=seats, withdrawn_at__isnull=True, invalidated_at__isnull=True
            ).values("report_id")
        )
        .select_related("plan")
        .order_by("created_at", "pk")
    )


# Steering committee: meetings and decisions --------------------------------------------------


def attendance(meeting: Meeting) -> Balance:
    """The balance of those who attended the meeting, by the side of their seat (the same
    verdict as the seats': civil society below half of those present is below parity)."""
    present = list(meeting.attendees.all())
    return Balance(
        government=sum(1 for m in present if m.side == Side.GOVERNMENT),
        civil_society=sum(1 for m in present if m.side == Side.CIVIL_SOCIETY),
    )


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("board__plan").prefetch_related(
        Prefetch("attendees", BoardMember.objects.select_related("organisation")),
        Prefetch(
            "decisions",
            Decision.objects.select_related("organisation", "member").prefetch_related("updates"),
        ),
    )


def visible_meetings(access: PlanAccess) -> list[Meeting]:
    """The body's meetings this reader may see, the latest first: published ones, and the rest
    for the plan's members, the administrator and the body's current members."""
    meetings = _meetings().filter(board__plan=access.plan)
    if not (access.admin or access.is_member or access.is_board_member):
        meetings = meetings.filter(published_at__isnull=False)
    return list(meetings)


def meeting_for(access: PlanAccess, pk: int) -> Meeting:
    """One meeting with its attendance and decisions; 404 when hidden from the reader."""
    meeting = _meetings().filter(board__plan=access.plan, pk=pk).first()
    if meeting is None or not access.can_read_meeting(meeting):
        raise NotFound(_("No such meeting."))
    return meeting


def decision_for(access: PlanAccess, pk: int) -> Decision:
    """One decision of the plan's body with its meeting and history; 404 when its meeting is
    hidden from the reader."""
    decision = (
        Decision.objects.select_related("meeting__board__plan", "organisation", "member")
        .prefetch_related("updates")
        .filter(meeting__board__plan=access.plan, pk=pk)
        .first()
    )
    if decision is None or not access.can_read_meeting(decision.meeting):
        raise NotFound(_("No such decision."))
    return decision


def visible_decisions(access: PlanAccess) -> list[Decision]:
    """Every decision of the meetings the reader may see, in the order they were taken."""
    return sorted(
        (d for m in visible_meetings(access) for d in m.decisions.all()),
        key=lambda d: (d.meeting.held_on, d.pk),
    )


def meetings_in(plan: Plan, start: date, end: date) -> list[Meeting]:
    """The published meetings held between two dates (inclusive): the report's reading."""
    return list(
        _meetings()
        .filter(board__plan=plan, published_at__isnull=False, held_on__range=(start, end))
        .order_by("held_on", "pk")
    )


def overdue_decisions(user: Viewer, today: date | None = None) -> list[Decision]:
    """Overdue decisions that a current seat of the user carries out: "What to do now"."""
    seats = current_seats(user)
    if not seats:
        return []
    today = today or timezone.localdate()
    return list(
        Decision.objects.filter(
            member__in=seats, due_on__lt=today, status__in=[s.value for s in OPEN_STATUSES]
        )
        .select_related("meeting__board__plan")
        .order_by("due_on", "pk")
    )


# The board's co-signature of a plan version (docs/revisions.md, "The board's co-signature") ---


@dataclass
class VersionSigning:
    """Where the board's co-signature of a version stands: the content hash now, every
    signature (with whether it still counts), the sides that count, and the verdict."""

    version: PlanVersion
    content_hash: str
    signatures: list[tuple[VersionSignature, bool]]
    sides: set[str]

    @property
    def cosigned(self) -> bool:
        return self.sides == {Side.GOVERNMENT, Side.CIVIL_SOCIETY}

    @property
    def stale(self) -> list[VersionSignature]:
        """Signatures given on an earlier content of the draft, not withdrawn."""
        return [s for s, counts in self.signatures if not counts and s.withdrawn_at is None]

    def counting_by_side(self) -> dict[str, list[VersionSignature]]:
        found: dict[str, list[VersionSignature]] = {Side.GOVERNMENT: [], Side.CIVIL_SOCIETY: []}
        for signature, counts in self.signatures:
            if counts:
                found[signature.side].append(signature)
        return found

    def state_text(self) -> str:
        if not self.version.board_cosign_required:
            return _("The plan does not require the board's co-signature of this version.")
        if self.cosigned:
            return _("Co-signed by the board: a government and a civil-society member signed.")
        if Side.GOVERNMENT in self.sides:
            return _("Signed for government; awaiting a civil-society signature.")
        if Side.CIVIL_SOCIETY in self.sides:
            return _("Signed for civil society; awaiting a government signature.")
        return _("Awaiting the signatures of a government and a civil-society member.")


def version_signing(version: PlanVersion) -> VersionSigning:
    """The co-signature of a version, bound to its content now (plans.versions.content_hash):
    a signature counts while not withdrawn and given on this very content."""
    current = content_hash(version)
    rows = list(
        VersionSignature.objects.filter(version=version).select_related(
            "member", "member__organisation", "by"
        )
    )
    marked = [(s, s.counts_for(current)) for s in rows]
    return VersionSigning(
        version=version,
        content_hash=current,
        signatures=marked,
        sides={s.side for s, counts in marked if counts},
    )


def version_reader(user: Viewer, code: str) -> PlanAccess:
    """The plan and the user's rights to read its versions' signatures: whoever reads its
    versions (the board's current members too, even on a draft plan); 403 otherwise."""
    access = plan_access(user, code, may_open=PlanAccess.can_read_versions)
    if not access.can_read_versions():
        raise PermissionDenied
    return access


def signing_version(plan: Plan, number: int) -> PlanVersion:
    found = PlanVersion.objects.filter(plan=plan, number=number).select_related("review").first()
    if found is None:
        raise NotFound()
    return found


def versions_to_sign(user: Viewer) -> list[PlanVersion]:
    """Draft versions requiring the board's co-signature on a board where the user sits
    today, which their current signature does not cover (none, or given on an earlier
    content): the signed-in home's "to sign" list."""
    seats = current_seats(user)
    if not seats:
        return []
    drafts = list(
        PlanVersion.objects.filter(
            plan_id__in={s.board.plan_id for s in seats},
            status=VersionStatus.DRAFT,
            board_cosign_required=True,
        )
        .select_related("plan")
        .order_by("created_at", "pk")
    )
    waiting = []
    for version in drafts:
        current = content_hash(version)
        if not VersionSignature.objects.filter(
            version=version, member__in=seats, withdrawn_at__isnull=True, content_hash=current
        ).exists():
            waiting.append(version)
    return waiting
