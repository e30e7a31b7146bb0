"""Who may see or change what: the only place where roles are turned into rights.

Every view, API endpoint and service asks a PlanAccess, loaded once per request with one query.

- The administrator (an active superuser) manages everything and everything they do is recorded,
  but, like everyone outside a civil-society organisation, never sees its unpublished entries.
- A plan coordinator manages the plan: framework, roles, assignments, rounds, exceptions; reviews
  government submissions (returns or approves them, never edits their figures).
- A focal point enters and submits data for their organisation, in their area (and below).
- A civil-society monitor enters and publishes their own organisation's figures, on any
  indicator of the plan; government users can neither see nor alter them before publication.
- A viewer reads the plan, even while it is a draft; approved figures only.
- An organisation administrator gives and takes their civil-society organisation's roles on
  the plan (monitors, other administrators): nobody outside the organisation can, the
  coordinator and the administrator included. The administrator only names an organisation's
  first administrator on a plan, with a reason kept in the history (docs/reporting.md, "Roles").
  Government and civil-society roles never meet in one user on one plan.
Auditing bodies and parliament (docs/oversight.md): the coordinator grants the oversight roles,
for a body. An auditor records audits and findings for its body and reads the money's
evidence (approved government submissions); parliamentary oversight records hearings and
commitments for its committee and reads what the coordinator shares with it. Neither is a
member of the plan (`is_member`): no draft plan, no civil-society draft, no story, signal or
allegation beyond what the public reads, figures as published.
Anyone may read a plan that is not a draft (its approved figures are public). Only the
administrator creates plans (`can_create_plans`).

Two-factor sign-in (docs/security.md) is required of every account that can read anything that
is not public: `requires_two_factor` below.

Recommendations (docs/accountability.md): the coordinator records them, reviews and decisions;
an addressee's focal points respond; a civil-society monitor assesses for their organisation,
unseen by everyone else until published. Readers of the plan read the rest.

Restricted indicators (docs/publishing.md, "Restricted indicators"): their figures, and those of
a share computed from one, are seen only by the plan's coordinators, the administrator, the
focal points of the organisation responsible for the indicator or assigned to report it, and
the monitors of the civil-society organisation that owns it. Everyone else, board members,
viewers and other focal points included, does not see the indicator at all: every page,
download and API list that asks `can_view_indicator` or `hidden_indicators` leaves it out.

Monitoring boards (docs/boards.md): the coordinator manages the board and drafts the periodic
reports; a current board member with an account signs (for their side), withdraws or dissents;
plan members and board members read unpublished reports, everyone who reads the plan the
published ones.

Standard reports (docs/reports.md, "Rights"): the coordinator (the plan's secretariat) and the
administrator generate them, write their narratives, upload the plan's Word template and
publish public versions. An internal version is read by those who see the detail
(`sees_detail`), never published; a public version, by the plan's members until it is
published (and by the board's current members when it is their periodic report's document),
then by everyone who reads the plan. Civil society's chapter is built from what civil society
published itself: nobody writes a narrative in its name.
Early-warning signals (docs/stories.md, "Early warning and response"): the coordinator holds
the moderation queue, the intake links and the loop's steps; a received signal is the
coordinators' alone; once acknowledged, the reporting and the referred organisations' people
read it whole, the plan's other members coarse (province, month, no description).

Allegations of sexual exploitation and abuse and SGBV by personnel (docs/conduct.md): only the
plan's coordinators and the people they name as conduct readers record and read them, with a
session verified by a second factor; not the platform's administrator, no other role, civil
society never unless named. Whoever reads the plan reads their counts after disclosure control.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, cast

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.models import CIVIL_SOCIETY_ROLES, OVERSIGHT_ROLES, PlanRole, Role
from wpsmonitor.core.errors import NotFound
from wpsmonitor.core.vocabulary import PlanStatus, Sensitivity, SourceKind

# accounts sits below the apps whose objects it rules on (docs/architecture.md): at run time it
# imports none of them. It reads their objects' attributes, names their types for the type
# checker only, and reaches the plan and board tables by app label, as its own foreign keys do
# ("plans.Plan").
if TYPE_CHECKING:
    from wpsmonitor.accountability.models import Assessment
    from wpsmonitor.boards.models import BoardMember, Decision, Meeting, PeriodicReport
    from wpsmonitor.conduct.models import Allegation
    from wpsmonitor.defenders.models import Incident
    from wpsmonitor.directory.models import Area, Organisation
    from wpsmonitor.earlywarning.models import Signal
    from wpsmonitor.finance.models import BudgetChallenge, MoneyAccount, MoneyAccountFile
    from wpsmonitor.indicators.models import Indicator, Source
    from wpsmonitor.peace.models import Consultation, ProvisionAssessment
    from wpsmonitor.plans.models import Plan, PlanVersion
    from wpsmonitor.reporting.models import Submission
    from wpsmonitor.reports.models import GeneratedReport
    from wpsmonitor.stories.models import SelectionRound, Story


# Who reads: a signed-in user or an anonymous visitor (an API call without a token).
Viewer = User | AnonymousUser


class PlanNotFound(NotFound):
    """No plan with this code, or one hidden from the caller: both answer alike, so that the
    existence of a draft does not leak. The message may be shown (the API's 404 body)."""


def plan_model() -> type[Plan]:
    return cast("type[Plan]", apps.get_model("plans", "Plan"))


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int | None
    area_path: str | None  # None: the plan's whole area

    def covers(self, area: Area) -> bool:
        return self.area_path is None or area.path.startswith(self.area_path)


def is_admin(user: Viewer) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def can_create_plans(user: Viewer) -> bool:
    """Create a plan (from the site or the API): the administrator, who then names its
    coordinator on the plan's people page. Nobody else: a plan is the government's commitment,
    recorded once by whoever runs the platform."""
    return is_admin(user)


def requires_two_factor(user: Viewer) -> bool:
    """Whether this account must sign in with a second factor (an authenticator app's code, or a
    recovery code) after its password: the one rule, for pages, the admin and the tests.

    Every account that can read anything that is not public: the administrator and staff (the
    admin; every draft plan), anyone with a role on a plan and anyone with a board seat that has
    not ended. Each role reads something unpublished: a monitor and an organisation
    administrator their organisation's drafts, comments and testimony; a coordinator
    submissions and their evidence; a focal point their organisation's submissions and
    evidence; a viewer the plan while it is a draft, unpublished board reports and the files of
    responses (which may name people); a board member the reports before publication. An
    account with none of these reads only what anyone may, and signs in with its password.
    Bearer-token API calls are not signed in through a form and are unaffected.

    One query, and only for an active account that is neither staff nor administrator.
    """
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.is_staff or user.is_superuser:
        return True
    seats = cast("type[BoardMember]", apps.get_model("boards", "BoardMember"))
    today = timezone.localdate()
    unended_seat = seats.objects.filter(user=OuterRef("pk")).filter(
        Q(until__isnull=True) | Q(until__gte=today)
    )
    return (
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .filter(Exists(PlanRole.objects.filter(user=OuterRef("pk"))) | Exists(unended_seat))
        .exists()
    )


def readable_plans(user: Viewer) -> Q:
    """A filter on Plan: what the user may read (drafts only for staff and the plan's members)."""
    if is_admin(user) or (getattr(user, "is_active", False) and getattr(user, "is_staff", False)):
        return Q()
    public = ~Q(status=PlanStatus.DRAFT)
    if getattr(user, "is_authenticated", False) and user.is_active:
        # An oversight role (auditor, parliament) does not open a draft: it reads what the
        # plan publishes.
        members = PlanRole.objects.filter(user=user).exclude(role__in=OVERSIGHT_ROLES)
        return public | Q(pk__in=members.values("plan_id"))
    return public


def plan_access(
    user: Viewer, code: str, *, may_open: Callable[[PlanAccess], bool] | None = None
) -> PlanAccess:
    """The plan with this code and the user's rights on it, for pages and API alike.

    PlanNotFound (a 404) when there is no such plan or the user may not open it: by default
    when they may not read the plan (`PlanAccess.can_read_plan`); a page with a wider audience
    says who else may (`may_open=PlanAccess.can_read_board`: a board member reads their
    board's pages on a draft plan). A hidden plan answers exactly like one that does not exist.
    """
    plan = (
        plan_model()
        ._default_manager.select_related("area__level", "lead_organisation", "parent")
        .filter(code=code)
        .first()
    )
    if plan is not None:
        access = PlanAccess(user, plan)
        if (may_open or PlanAccess.can_read_plan)(access):
            return access
    raise PlanNotFound(_("No plan with code %(code)s.") % {"code": code})


def copy_down_maker_access(national: PlanAccess, local: Plan) -> PlanAccess:
    """The right of whoever makes a local plan by copy-down (`can_localise` on its national
    plan) to name themselves its first coordinator, in the same transaction: the new plan has
    no coordinator yet who could. Nothing else; the grant is kept in the roles' history."""
    if local.parent_id != national.plan.pk or not national.can_localise():
        return PlanAccess(national.user, local, grants=[])
    return PlanAccess(national.user, local, grants=[Grant(Role.COORDINATOR, None, None)])


def hidden_indicators_filter(user: Viewer, plan: Plan) -> Q:
    """A filter on Indicator: what `user` may not see of `plan` (the rule of
    `PlanAccess.can_view_indicator`), with the user's roles as subqueries, so that a list read
    costs no extra query.

    - An organisation's own indicator, until published, is hidden from all but its monitors.
    - A restricted indicator, and a share computed from one, is hidden from all but the plan's
      coordinators, the administrator, the focal points of its responsible or assigned
      organisations, and its owner's monitors.
    """
    drafts = Q(owner_organisation__isnull=False, published_at__isnull=True)
    restricted = Q(sensitivity=Sensitivity.RESTRICTED)
    share_of_restricted = Q(share_of__sensitivity=Sensitivity.RESTRICTED)
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return drafts | restricted | share_of_restricted
    roles = PlanRole.objects.filter(user=user, plan=plan)
    monitors = roles.filter(role=Role.MONITOR, organisation__isnull=False).values("organisation_id")
    hidden = drafts & ~Q(owner_organisation_id__in=monitors)
    if is_admin(user):
        return hidden
    focal = roles.filter(role=Role.FOCAL_POINT, organisation__isnull=False).values(
        "organisation_id"
    )
    assignments = apps.get_model("reporting", "Assignment")
    assigned = assignments.objects.filter(
        plan_id=plan.pk, organisation_id__in=focal, indicator__isnull=False
    ).values("indicator_id")

    def readers(prefix: str) -> Q:
        return (
            Q(**{f"{prefix}responsible_organisation_id__in": focal})
            | Q(**{f"{prefix}owner_organisation_id__in": monitors})
            | Q(**{f"{prefix}pk__in": assigned})
        )

    coordinator = Exists(roles.filter(role=Role.COORDINATOR))
    return hidden | (
        ~Q(coordinator)
        & ((restricted & ~readers("")) | (share_of_restricted & ~readers("share_of__")))
    )


class PlanAccess:
    """The rights of one user on one plan. The user's roles are read (one query) the first time
    a right is asked, so a page that only shows a public plan reads none."""

    def __init__(self, user: Viewer, plan: Plan, grants: list[Grant] | None = None) -> None:
        self.user = user
        self.plan = plan
        self.admin = is_admin(user)
        if grants is not None:
            self.grants = grants

    @classmethod
    def load(cls, user: Viewer, plan: Plan) -> PlanAccess:
        return cls(user, plan)

    @cached_property
    def grants(self) -> list[Grant]:
        if not (getattr(self.user, "is_authenticated", False) and self.user.is_active):
            return []
        return [
            Grant(role, org, path)
            for role, org, path in PlanRole.objects.filter(
                user=self.user, plan_id=self.plan.pk
            ).values_list("role", "organisation_id", "area__path")
        ]

    def _has(self, role: str) -> bool:
        return any(g.role == role for g in self.grants)

    @property
    def is_member(self) -> bool:
        """A role on the plan that makes one of its people. An oversight role (auditor,
        parliamentary oversight) does not: it oversees the plan from outside and reads what
        the public reads, and what its role adds (`is_auditor`, `is_parliament`)."""
        return any(g.role not in OVERSIGHT_ROLES for g in self.grants)

    def oversight_organisations(self, role: str) -> set[int]:
        """The bodies this user acts for on the plan in this oversight role."""
        return {
            g.organisation_id
            for g in self.grants
            if g.role == role and g.organisation_id is not None
        }

    @property
    def is_auditor(self) -> bool:
        return self._has(Role.AUDITOR)

    @property
    def is_parliament(self) -> bool:
        return self._has(Role.PARLIAMENT)

    @property
    def is_coordinator(self) -> bool:
        return self.admin or self._has(Role.COORDINATOR)

    @property
    def sees_detail(self) -> bool:
        """Whether this reader sees the plan's figures as the platform holds them (approved and
        published, at full detail) rather than its latest published release, after disclosure
        control (docs/publishing.md, "Who reads what"): the plan's members, whatever their role,
        and the platform's administrators. Anonymous readers and everyone else read the release.
        """
        return self.admin or self.is_member

    def can_read_plan(self) -> bool:
        if self.plan.status != PlanStatus.DRAFT:
            return True
        return self.admin or bool(getattr(self.user, "is_staff", False)) or self.is_member

    def can_manage(self) -> bool:
        """Framework, roles, assignments, rounds and late-entry exceptions."""
        return self.is_coordinator

    def focal_organisations(self, area: Area | None = None) -> set[int]:
        """Organisations this user reports for as a focal point (in `area`, if given)."""
        return {
            g.organisation_id
            for g in self.grants
            if g.role == Role.FOCAL_POINT
            and g.organisation_id is not None
            and (area is None or g.covers(area))
        }

    def monitor_organisations(self) -> set[int]:
        return {
            g.organisation_id
            for g in self.grants
            if g.role == Role.MONITOR and g.organisation_id is not None
        }

    def administered_organisations(self) -> set[int]:
        """Civil-society organisations whose roles on the plan this user gives and takes."""
        return {
            g.organisation_id
            for g in self.grants
            if g.role == Role.ORGANISATION_ADMIN and g.organisation_id is not None
        }

    # Roles on the plan ------------------------------------------------------------------------

    def can_manage_people(self) -> bool:
        """Open the people page: the coordinator (government roles) and an organisation
        administrator (their organisation's roles)."""
        return self.is_coordinator or bool(self.administered_organisations())

    def can_grant_role(
        self, role: str, organisation_id: int | None, *, first_administrator: bool = False
    ) -> bool:
        """Government roles: the coordinator (and the administrator). A civil-society
        organisation's roles: its own administrators on the plan, never the coordinator; the
        platform administrator only names an organisation's first administrator
        (`first_administrator`: the organisation has none on the plan yet), never a monitor."""
        if role in CIVIL_SOCIETY_ROLES:
            if organisation_id is not None and organisation_id in self.administered_organisations():
                return True
            return self.admin and role == Role.ORGANISATION_ADMIN and first_administrator
        return self.is_coordinator

    def can_revoke_role(self, role: str, organisation_id: int | None) -> bool:
        """Take a role away: the same hands that give it (never the platform administrator for
        a civil-society role: it names a first administrator, nothing more)."""
        if role in CIVIL_SOCIETY_ROLES:
            return (
                organisation_id is not None and organisation_id in self.administered_organisations()
            )
        return self.is_coordinator

    def focal_areas(self, organisation_id: int) -> list[str | None]:
        """Area paths a focal point of this organisation covers (None: everywhere)."""
        return [
            g.area_path
            for g in self.grants
            if g.role == Role.FOCAL_POINT and g.organisation_id == organisation_id
        ]

    def can_enter_for(self, organisation_id: int, area: Area, *, civil_society: bool) -> bool:
        """May this user enter figures for this organisation in this area?"""
        if civil_society:
            return organisation_id in self.monitor_organisations()
        return organisation_id in self.focal_organisations(area)

    def may_write_values(self) -> bool:
        """Direct writes of values (API bulk write), bypassing review: the authority's own."""
        return self.is_coordinator or bool(self.monitor_organisations())

    def can_write_source(self, source: Source) -> bool:
        """Government figures are the coordinator's; a civil-society stream its organisation's."""
        if self.admin:
            return True
        if source.kind == SourceKind.CIVIL_SOCIETY:
            return source.organisation_id in self.monitor_organisations()
        return self.is_coordinator

    # Finance ----------------------------------------------------------------------------------

    def can_manage_finance(self) -> bool:
        """The plan's currency, exchange rates, budget workbook imports: the coordinator."""
        return self.is_coordinator

    def can_edit_action_finance(self, responsible_organisation_id: int | None) -> bool:
        """Costs and budget lines of an action: the coordinator, or a focal point of the
        action's responsible organisation (the ministry costs and budgets its own actions)."""
        if self.is_coordinator:
            return True
        return (
            responsible_organisation_id is not None
            and responsible_organisation_id in self.focal_organisations()
        )

    def can_edit_some_finance(self) -> bool:
        """Whether to offer the finance entry forms at all."""
        return self.is_coordinator or bool(self.focal_organisations())

    # Civil society on the budget (docs/oversight.md, "Civil society on the budget") ----------

    def can_keep_money_accounts(self, organisation: Organisation) -> bool:
        """Write, change and publish civil society's account of the money (allocated, released,
        reached the field) in an organisation's name: that civil-society organisation's
        monitors only. Never a government role, the coordinator or the administrator."""
        return organisation.is_civil_society and organisation.pk in self.monitor_organisations()

    def can_view_money_account(self, account: MoneyAccount) -> bool:
        """Published: whoever reads the plan. A draft: its organisation's monitors only (not
        the coordinator, not the administrator, not the ministry)."""
        if account.plan_id != self.plan.pk:
            return False
        if account.published_at is not None:
            return self.can_read_plan()
        return account.organisation_id in self.monitor_organisations()

    def can_edit_money_account(self, account: MoneyAccount) -> bool:
        """Change, publish or delete a draft account: its organisation's monitors. A published
        account is no longer changed by anyone (readers may have cited it)."""
        return (
            account.plan_id == self.plan.pk
            and account.published_at is None
            and account.organisation_id in self.monitor_organisations()
        )

    def can_attach_money_account_file(self, account: MoneyAccount) -> bool:
        """Attach a file of evidence to an account, or remove one: while it is a draft, its
        organisation's monitors (as for every change of a draft)."""
        return self.can_edit_money_account(account)

    def can_download_money_account_file(self, item: MoneyAccountFile) -> bool:
        """A file of an account's evidence. Its organisation's monitors, draft or published.
        Anyone else (the coordinator, the ministry, auditors, the public) only a file the
        organisation marked public, once the account is published and to whoever reads the
        plan: a file may name or picture someone at risk, so it stays the organisation's
        unless it chose otherwise."""
        account = item.account
        if account.plan_id != self.plan.pk:
            return False
        if account.organisation_id in self.monitor_organisations():
            return True
        return account.published_at is not None and item.public and self.can_read_plan()

    def can_open_budget_challenge(self, organisation: Organisation) -> bool:
        """Open a challenge on a budget line in an organisation's name: that civil-society
        organisation's monitors only (the challenge is public from the moment it is opened)."""
        return self.can_keep_money_accounts(organisation)

    def can_answer_budget_challenge(self, challenge: BudgetChallenge) -> bool:
        """Answer for the government: a focal point of the organisation it is addressed to (the
        line's ministry), or the plan's coordinator (who answers when the line names no
        ministry, or when the ministry has no focal point)."""
        if challenge.plan_id != self.plan.pk:
            return False
        if self.is_coordinator:
            return True
        return (
            challenge.addressee_id is not None
            and challenge.addressee_id in self.focal_organisations()
        )

    def speaks_for_challenger(self, challenge: BudgetChallenge) -> bool:
        """Dispute an answer or resolve the challenge: the monitors of the organisation that
        opened it, no one else (nobody acts in civil society's name, the coordinator and the
        administrator included)."""
        return (
            challenge.plan_id == self.plan.pk
            and challenge.organisation_id in self.monitor_organisations()
        )

    # Localisation (docs/localisation.md) ---------------------------------------------------------

    def can_localise(self) -> bool:
        """Make a local plan from this national plan by copy-down: its coordinators and the
        administrator. The maker becomes the new plan's first coordinator
        (`copy_down_maker_access`)."""
        return self.plan.kind == "national" and self.is_coordinator

    def can_decide_proposals(self) -> bool:
        """Accept or decline the national plan's changes offered to this local plan (and read
        them): the local plan's coordinators and the administrator, never the national
        plan's, since nothing is forced on a local plan."""
        return self.plan.parent_id is not None and self.is_coordinator

    # Civil society's own indicators ------------------------------------------------------------

    def can_define_indicators(self) -> bool:
        """Add indicators of one's own to the plan: a civil-society monitor, for their organisation."""
        return bool(self.monitor_organisations())

    def can_view_indicator(self, indicator: Indicator) -> bool:
        """The plan's indicators follow the plan; an organisation's own, once published, too.

        A restricted indicator, or a share computed from one, only to those who may read it
        (`may_read_restricted`).
        """
        owner = indicator.owner_organisation_id
        if (
            owner is not None
            and indicator.published_at is None
            and owner not in self.monitor_organisations()
        ):
            return False
        if indicator.sensitivity == Sensitivity.RESTRICTED:
            return self.may_read_restricted(indicator)
        if indicator.share_of_id is not None:
            base = indicator.share_of
            if base is not None and base.sensitivity == Sensitivity.RESTRICTED:
                return self.may_read_restricted(base)
        return True

    def may_read_restricted(self, indicator: Indicator) -> bool:
        """The readers of a restricted indicator's figures: the coordinators, the administrator,
        the focal points of its responsible organisation or of an organisation assigned to
        report it, and the monitors of its owner. Board members, viewers and everyone else:
        no (docs/publishing.md, "Restricted indicators")."""
        if self.is_coordinator:
            return True
        focal = self.focal_organisations()
        if indicator.responsible_organisation_id in focal:
            return True
        owner = indicator.owner_organisation_id
        if owner is not None and owner in self.monitor_organisations():
            return True
        if not focal:
            return False
        assignments = apps.get_model("reporting", "Assignment")
        return bool(
            assignments.objects.filter(
                plan_id=self.plan.pk, indicator_id=indicator.pk, organisation_id__in=focal
            ).exists()
        )

    def can_edit_indicator(self, indicator: Indicator) -> bool:
        """The plan's are the coordinator's; an organisation's own its monitors' alone, ever."""
        if indicator.owner_organisation_id is None:
            return self.is_coordinator
        return indicator.owner_organisation_id in self.monitor_organisations()

    def hidden_indicators(self) -> Q:
        """A filter on Indicator excluding what this user may not see (for list queries): the
        rule of `can_view_indicator`, as `hidden_indicators_filter`."""
        return hidden_indicators_filter(self.user, self.plan)

    # Submissions ------------------------------------------------------------------------------

    @staticmethod
    def _is_civil_society(submission: Submission) -> bool:
        return submission.source.kind != SourceKind.GOVERNMENT

    def can_view_submission(self, submission: Submission) -> bool:
        if submission.round.plan_id != self.plan.pk:
            return False
        if self._is_civil_society(submission):
            # Theirs alone, published or not: the submission holds comments and evidence.
            return submission.organisation_id in self.monitor_organisations()
        if submission.status in ("approved", "published") and self.is_auditor:
            # The auditor reads the money's evidence once the coordinator approved it.
            return True
        return self.is_coordinator or submission.organisation_id in self.focal_organisations(
            submission.area
        )

    def can_edit_submission(self, submission: Submission) -> bool:
        """Enter or change figures, attach evidence: the authors' side only, never reviewers."""
        if submission.round.plan_id != self.plan.pk or not submission.is_editable:
            return False
        return self.can_enter_for(
            submission.organisation_id,
            submission.area,
            civil_society=self._is_civil_society(submission),
        )

    def can_review_submission(self, submission: Submission) -> bool:
        """Return or approve (and unlock) a government submission."""
        return (
            submission.round.plan_id == self.plan.pk
            and not self._is_civil_society(submission)
            and self.is_coordinator
        )

    # Field collection (docs/field-collection.md) ------------------------------------------------

    def can_collect_in_field(self) -> bool:
        """Open the field collection page: the coordinator and the plan's focal points."""
        return self.is_coordinator or bool(self.focal_organisations())

    def can_download_field_form(self, organisation_id: int, area: Area) -> bool:
        """The XLSForm of an assignment: the coordinator, and the focal points who enter it."""
        return self.is_coordinator or self.can_enter_for(organisation_id, area, civil_society=False)

    def can_use_field_server(self) -> bool:
        """Send a form to the collection server and pull its submissions: the coordinator
        (the secretariat runs the server). Only the authors' side imports them as a draft."""
        return self.is_coordinator

    # Recommendations -------------------------------------------------------------------------

    def can_manage_recommendations(self) -> bool:
        """Record recommendations, reviews, findings and decisions; set the status."""
        return self.is_coordinator

    def can_respond(self, addressee_ids: set[int]) -> bool:
        """Respond for an addressee: a focal point of one of the recommendation's addressees."""
        return bool(self.focal_organisations() & addressee_ids)

    def can_assess(self) -> bool:
        """Record and publish an assessment: a civil-society monitor, for their organisation."""
        return bool(self.monitor_organisations())

    def can_view_assessment(self, assessment: Assessment) -> bool:
        """Published ones are public; before that, its organisation's monitors only (not the
        administrator, nor any government role)."""
        return (
            assessment.published_at is not None
            or assessment.organisation_id in self.monitor_organisations()
        )

    def can_edit_assessment(self, assessment: Assessment) -> bool:
        """Its organisation's monitors, published or not; no one else, ever."""
        return assessment.organisation_id in self.monitor_organisations()

    def can_download_response_evidence(self) -> bool:
        """Responses are public; their files (which may name people) go to the plan's members,
        and to its auditors (the evidence of what was done on their findings and others)."""
        return self.admin or self.is_member or self.is_auditor

    # Monitoring boards ------------------------------------------------------------------------

    @cached_property
    def board_seat(self) -> BoardMember | None:
        """The user's current seat on the plan's board (one query, once), if they have one."""
        if not (getattr(self.user, "is_authenticated", False) and self.user.is_active):
            return None
        today = timezone.localdate()
        seats = cast("type[BoardMember]", apps.get_model("boards", "BoardMember"))
        return (
            seats.objects.filter(board__plan=self.plan, user=self.user, since__lte=today)
            .filter(Q(until__isnull=True) | Q(until__gte=today))
            .first()
        )

    @property
    def is_board_member(self) -> bool:
        return self.board_seat is not None

    def can_read_versions(self) -> bool:
        """A plan's versions and their differences (docs/revisions.md): as public as the plan;
        the board's current members read them in any case (they must read what they co-sign)."""
        return self.can_read_plan() or self.is_board_member

    def can_revise_framework(self) -> bool:
        """Prepare a revision of the framework, drop indicators in it, approve or abandon it:
        the coordinator (docs/revisions.md)."""
        return self.is_coordinator

    def can_cosign_version(self, version: PlanVersion) -> bool:
        """Co-sign a draft version that requires the board's co-signature, or withdraw one's
        signature (docs/revisions.md, "The board's co-signature"): a current board member
        with an account, for their side, as for periodic reports."""
        return (
            version.plan_id == self.plan.pk
            and version.status == "draft"
            and version.board_cosign_required
            and self.board_seat is not None
        )

    def can_read_board(self) -> bool:
        """The board's composition is as public as the plan; its members see it in any case."""
        return self.can_read_plan() or self.is_board_member

    def can_manage_board(self) -> bool:
        """Create the board, set its rule, add, change and end memberships: the coordinator."""
        return self.is_coordinator

    # Steering committee (docs/oversight.md, "The steering committee") --------------------------

    def is_board_secretary(self) -> bool:
        """The user's current seat is the one the board names as its secretary."""
        seat = self.board_seat
        return seat is not None and seat.board.secretary_id == seat.pk

    def can_manage_meetings(self) -> bool:
        """Record meetings (attendance, agenda, minutes), their decisions, and publish them:
        the coordinator and the committee's secretary (a current seat)."""
        return self.is_coordinator or self.is_board_secretary()

    def can_read_meeting(self, meeting: Meeting) -> bool:
        """Published: whoever reads the board (decisions of a joint body are public). Before:
        the plan's members, the administrator and the board's current members."""
        if meeting.board.plan_id != self.plan.pk:
            return False
        if meeting.published_at is not None:
            return self.can_read_board()
        return self.admin or self.is_member or self.is_board_member

    def can_update_decision(self, decision: Decision) -> bool:
        """Add a dated status update: those who record meetings, and the current member who
        carries the decision out."""
        if not self.can_read_meeting(decision.meeting):
            return False
        if self.can_manage_meetings():
            return True
        seat = self.board_seat
        return seat is not None and decision.member_id == seat.pk

    def can_read_translation_report(self) -> bool:
        """The plan's missing-translation report (docs/languages.md, "What is left to
        translate"): the plan's members, whatever their role (those who translate are often
        given a viewer's role; every member reads the plan's texts anyway) and the
        administrator. It is a to-do list, not a public page."""
        return self.admin or self.is_member

    def can_prepare_release(self) -> bool:
        """Prepare, publish and withdraw the plan's releases and read their disclosure audit
        (docs/publishing.md, "The release"): the coordinator (the plan's secretariat) and the
        administrator."""
        return self.is_coordinator

    def can_draft_reports(self) -> bool:
        """Draft, edit, send to the board and (without co-signature) publish: the coordinator."""
        return self.is_coordinator

    def can_read_report(self, report: PeriodicReport) -> bool:
        """Published: whoever reads the plan. Before: the plan's members, the administrator and
        the board's current members (who may not be plan members: they must read what they
        sign)."""
        if report.plan_id != self.plan.pk:
            return False
        if report.status == "published":
            return self.can_read_board()
        return self.admin or self.is_member or self.is_board_member

    def can_sign(self, report: PeriodicReport) -> bool:
        """Sign, or withdraw one's signature: a current member with an account, for their side,
        while the report awaits the board's signatures."""
        return (
            report.plan_id == self.plan.pk
            and report.status == "awaiting"
            and self.board_seat is not None
        )

    def can_dissent(self, report: PeriodicReport) -> bool:
        """Attach (or withdraw) a dissenting statement: a current member, before publication."""
        return (
            report.plan_id == self.plan.pk
            and report.status != "published"
            and self.board_seat is not None
        )

    # Standard reports ------------------------------------------------------------------------

    def can_generate_reports(self) -> bool:
        """Ask for a standard report (any scope, either version), regenerate one, and make a
        public one the board's periodic report's document: the secretariat (coordinator) and
        the administrator."""
        return self.is_coordinator

    def can_write_report_narratives(self) -> bool:
        """Write the report's summary and per-pillar narratives: the secretariat's words.
        Civil society's chapter has no narrative written by the platform's users: it is what
        civil society published itself."""
        return self.is_coordinator

    def can_upload_report_template(self) -> bool:
        """Upload (or replace) the plan's Word template for the DOCX."""
        return self.is_coordinator

    def can_publish_generated(self, report: GeneratedReport) -> bool:
        """Publish a ready public version: the coordinator. An internal version never is."""
        return (
            report.plan_id == self.plan.pk
            and self.is_coordinator
            and report.version == "public"
            and report.status == "ready"
            and not report.published
        )

    def can_settle_withdrawal_notices(self) -> bool:
        """See, and settle, the tasks a consent withdrawn leaves on a published report that
        used the story (docs/stories.md, "In the report and on the portal"): generate it again
        or keep it as published. The coordinators (the secretariat, who publish reports) and
        the administrator."""
        return self.is_coordinator

    def can_see_generated_reports(self) -> bool:
        """The plan's page of generated reports, drafts included: those who see the detail."""
        return self.sees_detail

    def can_read_generated(self, report: GeneratedReport) -> bool:
        """Read and download one generated report. Internal: those who see the detail, only.
        Public, published: whoever reads the plan. Public, not yet published: those who see the
        detail, and the board's current members when it is the document they sign."""
        if report.plan_id != self.plan.pk:
            return False
        if report.version != "public":
            return self.sees_detail
        if report.published:
            return self.can_read_plan()
        if self.sees_detail:
            return True
        return report.periodic_report_id is not None and self.is_board_member

    # --- stories (docs/stories.md, "Who reads what") ------------------------------------------

    def story_organisations(self) -> set[int]:
        """The organisations whose stories this user records and holds: those they report or
        monitor for, or administer, on this plan."""
        return (
            self.focal_organisations()
            | self.monitor_organisations()
            | self.administered_organisations()
        )

    def can_record_story(self, organisation_id: int) -> bool:
        return organisation_id in self.story_organisations()

    def can_manage_story_settings(self) -> bool:
        """Choose which of the storyteller's attributes the plan's stories record
        (stories/attributes.py): the plan's coordinators and the administrator. The holders
        record the answers; nobody else changes the choice."""
        return self.is_coordinator

    def holds_story(self, story: Story) -> bool:
        """The holder's people: they read it whole, record its consent, share, approve and
        delete it. No one else acts on it, whatever their role."""
        return story.plan_id == self.plan.pk and story.holder_id in self.story_organisations()

    def story_reading(self, story: Story, *, verified: bool = True) -> str | None:
        """How much of the story this reader reads: STORY_FULL (as recorded), STORY_COARSE
        (without who collected it or the storyteller's name and attributes, to the month and the
        province), or None.

        `verified`: whether the reader's session was verified with a second factor (pages ask
        `two_factor.is_verified`). A story is read whole only by a verified session, unless
        anyone reads it whole (open, approved, a consent for the public portal in force);
        otherwise it is read coarse. Every account with a role on a plan must verify its
        session anyway (`requires_two_factor`); this rule reaches the others a restricted story
        names.

        - The holder's people read it whole, always.
        - A draft is the holder's alone (civil society's independence: no government role, not
          even the platform's administrator, reads it).
        - A restricted story: the holder and the people it names, no one else, never public.
        - Shared, with a consent for the plan's monitoring in force: the plan's members.
        - Approved by a second person, with a consent for the public portal in force: everyone.
        An open story is read as recorded by those who may read it; a protected one coarse.
        """
        reading = self._story_reading(story)
        if reading == STORY_FULL and not verified and not read_whole_by_anyone(story):
            return STORY_COARSE
        return reading

    def _story_reading(self, story: Story) -> str | None:
        if story.plan_id != self.plan.pk:
            return None
        if self.holds_story(story):
            return STORY_FULL
        if story.status == "draft":
            return None
        as_allowed = STORY_FULL if story.sensitivity == "open" else STORY_COARSE
        if story.sensitivity == "restricted":
            named = self.user.is_authenticated and any(
                u.pk == self.user.pk for u in story.named_readers.all()
            )
            return STORY_FULL if named else None
        if self.is_member and story.consented_to("monitoring"):
            return as_allowed
        if story.status == "approved" and story.consented_to("public") and self.can_read_plan():
            return as_allowed
        return None

    # --- early warning (docs/stories.md, "Early warning and response") -----------------------

    def can_manage_early_warning(self) -> bool:
        """The moderation queue, the intake links of trusted organisations, and the response
        loop's steps but the action taken (acknowledge, refer, close): the plan's coordinators
        and the administrator."""
        return self.is_coordinator

    def can_read_signals(self) -> bool:
        """The plan's list of signals and their response times: those who see the plan's detail
        (its members, whatever their role, and the administrator). Of early warning, only the
        counts after disclosure control are public (`can_read_signal_figures`)."""
        return self.sees_detail

    def can_read_signal_figures(self) -> bool:
        """The plan's counts of signals acknowledged or later, after disclosure control, never
        one signal nor the moderation queue: whoever reads the plan (its members while it is a
        draft, then everyone)."""
        return self.can_read_plan()

    def signal_reading(self, signal: Signal, *, verified: bool = True) -> str | None:
        """How much of a signal this reader reads: SIGNAL_FULL (as reported: the place, the day,
        the description, who reported it, the action taken in words), SIGNAL_COARSE (its
        category, severity and steps, the province and the month, without the description, the
        reporter or the action's words), or None.

        `verified`: whether the reader proved a second factor (a session verified with one, an
        API token that reads sensitive items), as for a story: without it a whole reading is
        coarse.

        - Received (the moderation queue): the coordinators alone, whoever reported it.
        - The coordinators: whole, always.
        - The people (focal points, monitors, organisation administrators) of the organisation
          that reported it, and of the organisation it was referred to: whole.
        - The plan's other members: coarse. Anyone else: nothing.
        """
        reading = self._signal_reading(signal)
        if reading == SIGNAL_FULL and not verified:
            return SIGNAL_COARSE
        return reading

    def _signal_reading(self, signal: Signal) -> str | None:
        if signal.plan_id != self.plan.pk:
            return None
        if self.is_coordinator:
            return SIGNAL_FULL
        if signal.status == "received":
            return None
        own = self.story_organisations()
        if signal.organisation_id in own or (
            signal.referred_to_id is not None and signal.referred_to_id in own
        ):
            return SIGNAL_FULL
        return SIGNAL_COARSE if self.is_member else None

    def can_record_action(self, signal: Signal) -> bool:
        """Record the action taken on a referred signal: the coordinators, or the people of the
        organisation it was referred to."""
        if signal.plan_id != self.plan.pk or signal.status != "referred":
            return False
        if self.is_coordinator:
            return True
        return signal.referred_to_id in self.story_organisations()

    def can_adopt_response_indicators(self) -> bool:
        """Adopt the response times as indicators of the plan, on a node of its framework, and
        have their figures computed again (docs/stories.md, "Response times"): those who run
        the response loop, the plan's coordinators and the administrator."""
        return self.can_manage_early_warning()

    # --- perception surveys (docs/perceptions.md, "Rights") -----------------------------------

    def can_set_up_surveys(self) -> bool:
        """Set up a perception survey (its questions become indicators) and open its rounds:
        the coordinator."""
        return self.is_coordinator

    def can_enter_survey_answers(self, organisation_id: int, area: Area | None = None) -> bool:
        """Enter the answers of a round run by this organisation (in `area`, if given): its
        focal points, in the areas they cover, and its civil-society monitors. No one else,
        the coordinator included: the organisation that ran the survey answers for it."""
        return any(
            g.role in (Role.FOCAL_POINT, Role.MONITOR)
            and g.organisation_id == organisation_id
            and (area is None or g.covers(area))
            for g in self.grants
        )

    # --- threats against defenders (docs/stories.md, "Threats against defenders") -------------

    def can_hold_incidents(self, organisation: Organisation) -> bool:
        """Record and keep incidents in the register for this organisation: a civil-society
        organisation, by its own people on the plan (its focal points, monitors and
        organisation administrators). No government role, not the coordinator, not the
        platform's administrator: the register is civil society's own."""
        return organisation.is_civil_society and organisation.pk in self.story_organisations()

    def holds_incident(self, incident: Incident) -> bool:
        """The holder's people: the only ones who read, change and remove an incident. (Only
        a civil-society organisation holds one: `defenders.services.incident_record`.)"""
        return incident.plan_id == self.plan.pk and incident.holder_id in self.story_organisations()

    def can_read_incident_figures(self) -> bool:
        """The plan's counts of incidents after disclosure control, never one incident:
        whoever reads the plan (its members while it is a draft, then everyone)."""
        return self.can_read_plan()

    # --- security sector (docs/security-sector.md, "Rights") ------------------------------

    def can_manage_security(self) -> bool:
        """Keep the plan's security institutions (profiles, their indicator package) and the
        register of women's desks: the coordinator."""
        return self.is_coordinator

    def can_enter_desk_cases(self, organisation_id: int, area: Area) -> bool:
        """Enter a desk's cases received and referred: the coordinator, or the focal points of
        the desk's institution's organisation whose area covers the desk's."""
        return self.is_coordinator or organisation_id in self.focal_organisations(area)

    def can_read_desk_cases(self) -> bool:
        """Read the desks' case counts: the plan's members and the administrator. They are never
        published (counts of survivors by station are small and could point to people)."""
        return self.sees_detail

    def can_enter_training(self, organisation_id: int) -> bool:
        """Record an institution's courses, sessions, rosters, scores and follow-ups: the
        coordinator, or a focal point of the institution's organisation (docs/security-sector.md,
        "Training")."""
        return self.is_coordinator or organisation_id in self.focal_organisations()

    def can_read_training_detail(self) -> bool:
        """Read the per-person rows of training and deployments (service numbers, scores): the
        plan's members and the administrator. The public reads aggregates after disclosure
        control, never one person."""
        return self.sees_detail

    def can_manage_assessments(self, organisation_id: int) -> bool:
        """Record, change, publish and remove an institution's self-assessments: the
        coordinator, or the focal points of the institution's organisation (in any area: the
        assessment is the whole institution's). A published assessment is no longer changed."""
        return self.is_coordinator or organisation_id in self.focal_organisations()

    def can_read_assessment(self, published: bool) -> bool:
        """A published self-assessment, its scores, findings and recommendations: whoever reads
        the plan (the institution chose to publish it). A draft: the plan's members and the
        administrator only."""
        return self.can_read_plan() if published else self.sees_detail

    # --- selection rounds (docs/stories.md, "Selection rounds (Most Significant Change)") ----

    def can_manage_selection_rounds(self) -> bool:
        """Open a selection round and name its panel: the plan's coordinators (and the
        administrator)."""
        return self.is_coordinator

    def can_read_selection_rounds(self) -> bool:
        """The plan's rounds, their candidates (each as `story_reading` allows) and, once
        decided, their choices and reasons: the plan's members, whatever their role, and the
        administrator. The panel's members with an account are members of the plan, and so are
        the holders' people of the candidate stories (their roles on the plan make them
        holders): the feedback reaches them all. Nothing of it is public."""
        return self.sees_detail

    def on_selection_panel(self, selection_round: SelectionRound) -> bool:
        """A member of the round's panel, still a member of the plan."""
        return (
            selection_round.plan_id == self.plan.pk
            and self.is_member
            and any(u.pk == self.user.pk for u in selection_round.panel.all())
        )

    def can_choose_in(self, selection_round: SelectionRound) -> bool:
        """Record the round's choices and reasons, and decide it: a member of its panel, or
        the plan's coordinator (who records what a panel without accounts agreed)."""
        if selection_round.plan_id != self.plan.pk:
            return False
        return self.is_coordinator or self.on_selection_panel(selection_round)

    # --- auditing bodies and parliament (docs/oversight.md) -----------------------------------

    def can_read_oversight(self) -> bool:
        """The plan's audits, their findings and the parliament's hearings and commitments:
        public documents, read by whoever reads the plan. The recommendations they feed are
        the tracker's, as public as every other."""
        return self.can_read_plan()

    def can_read_unpublished_oversight(self) -> bool:
        """An audit or a hearing before it is published (docs/oversight.md, "Publishing"):
        the plan's members, the administrator and the plan's auditors and parliamentary
        oversight. Everyone else reads the published ones only."""
        return self.admin or self.is_member or self.is_auditor or self.is_parliament

    def can_record_audit(self, body_id: int | None = None) -> bool:
        """Record an audit and its findings: the coordinator (who records what an auditor
        without an account published), or an auditor, for their own auditing body (`body_id`;
        None: for some body of theirs). The same people change, remove (while nothing follows
        it up in the tracker) and publish it (docs/oversight.md, "Changing and removing")."""
        if self.is_coordinator:
            return True
        bodies = self.oversight_organisations(Role.AUDITOR)
        return bool(bodies) if body_id is None else body_id in bodies

    def can_record_hearing(self, committee_id: int | None = None) -> bool:
        """Record a hearing, its questions and commitments: the coordinator, or a parliamentary
        oversight role, for its own committee (`committee_id`; None: for some committee of
        theirs). The same people change, remove and publish it, as for audits."""
        if self.is_coordinator:
            return True
        bodies = self.oversight_organisations(Role.PARLIAMENT)
        return bool(bodies) if committee_id is None else committee_id in bodies

    def can_record_recommendation(self, source: str) -> bool:
        """Put a recommendation in the tracker: the coordinator, any source; an auditor, from
        an audit's finding ("audit"); parliamentary oversight, a hearing's commitment
        ("parliament"). Its status then changes through the tracker as any other's."""
        if self.can_manage_recommendations():
            return True
        if source == "audit":
            return self.is_auditor
        if source == "parliament":
            return self.is_parliament
        return False

    def can_read_audit_evidence(self) -> bool:
        """The money's evidence behind the finance pages, government submissions once approved,
        with their evidence files: the coordinator and the auditors. Never civil society's
        submissions (`can_view_submission`)."""
        return self.is_coordinator or self.is_auditor

    def can_share_with_parliament(self) -> bool:
        """Share a document with the plan's parliamentary oversight: the coordinator."""
        return self.is_coordinator

    def can_read_parliament_shares(self) -> bool:
        """The documents shared with parliament: the coordinator and parliamentary oversight."""
        return self.is_coordinator or self.is_parliament

    # --- peace processes (docs/peace-processes.md, "Who reads, who records") ------------------

    def can_read_peace(self) -> bool:
        """The plan's peace processes, rounds, delegations' seats, women's shares and
        consultations: whoever reads the plan (its members while it is a draft, then everyone).
        Delegates at peace talks are public figures and a seat is a count: nothing is withheld."""
        return self.can_read_plan()

    def can_manage_peace(self) -> bool:
        """Record and change the processes, their rounds and delegations: the plan's
        coordinators and the administrator."""
        return self.is_coordinator

    # --- UN missions (docs/missions.md, "Who reads, who records") --------------------------

    def can_read_missions(self) -> bool:
        """The plan's UN missions, their mandates' WPS provisions, the transition plan, its
        benchmarks and their history: public documents, read by whoever reads the plan. The
        watched indicators' figures are read through `publishing.selectors.reading_for`."""
        return self.can_read_plan()

    def can_manage_missions(self) -> bool:
        """Record missions, mandates, provisions, the transition plan, its phases, benchmarks
        and their status, and the indicators watched: the plan's coordinators and the
        administrator."""
        return self.is_coordinator

    def consultation_organisations(self) -> set[int]:
        """The organisations for which this user records consultations of civil society: those
        they monitor for on the plan (only a civil-society organisation is accepted,
        `can_record_consultation`)."""
        return self.monitor_organisations()

    def can_record_consultation(self, organisation: Organisation | None) -> bool:
        """Record a consultation: the coordinator, for the plan (`organisation` None) or for an
        organisation; a civil-society organisation's monitors, for their own organisation."""
        if self.is_coordinator:
            return True
        return (
            organisation is not None
            and organisation.is_civil_society
            and organisation.pk in self.consultation_organisations()
        )

    def can_change_consultation(self, consultation: Consultation) -> bool:
        """Change or remove a consultation: the coordinator, or the monitors of the organisation
        that recorded it."""
        if self.is_coordinator:
            return True
        return (
            consultation.organisation_id is not None
            and consultation.organisation_id in self.consultation_organisations()
        )

    # --- conduct: allegations of sexual exploitation and abuse (docs/conduct.md) -------------

    def coordinates(self) -> bool:
        """A coordinator's role on this plan itself: the administrator's standing is not one."""
        return self._has(Role.COORDINATOR)

    def can_name_conduct_readers(self) -> bool:
        """Name and remove the plan's conduct readers, and read the log of reads: the plan's
        coordinators. Not the platform's administrator: its standing over every plan does not
        reach the most sensitive records of one (it names the coordinator, who names)."""
        return self.coordinates()

    @cached_property
    def named_conduct_reader(self) -> bool:
        """Named a conduct reader of this plan by its coordinator, and still a member of it
        (removing someone's last role on the plan ends the naming's effect)."""
        if not self.is_member:
            return False
        readers = apps.get_model("conduct", "ConductReader")
        return bool(readers.objects.filter(plan_id=self.plan.pk, user_id=self.user.pk).exists())

    def can_read_allegations(self, *, verified: bool) -> bool:
        """Record allegations, read them whole and record their steps: the plan's coordinators
        and the conduct readers they named, in a session verified with a second factor
        (`verified`: pages pass `two_factor.is_verified`). No one else, whatever their role:
        not the administrator, not a focal point or monitor who was not named. Without the
        second factor nothing of an allegation is read, not even coarse."""
        if not verified:
            return False
        return self.coordinates() or self.named_conduct_reader

    def holds_allegation(self, allegation: Allegation, *, verified: bool) -> bool:
        return allegation.plan_id == self.plan.pk and self.can_read_allegations(verified=verified)

    def can_read_allegation_figures(self) -> bool:
        """The plan's counts of allegations by category and kind × year after disclosure
        control, never an allegation: whoever reads the plan."""
        return self.can_read_plan()

    # --- peace agreements and gender provisions (docs/peace-processes.md, "Agreements") ------

    def can_read_agreements(self) -> bool:
        """Agreements, their gender provisions, links and the government's statuses: public
        documents, read by whoever reads the plan. Civil society's assessments are read through
        `can_view_provision_assessment`."""
        return self.can_read_plan()

    def can_manage_agreements(self) -> bool:
        """Record agreements and provisions, import PA-X, link provisions to actions and budget
        lines, record the government's implementation status: the plan's coordinators (and the
        administrator)."""
        return self.is_coordinator

    def can_assess_provision(self, organisation: Organisation) -> bool:
        """Write (and publish) a civil-society assessment of a provision in an organisation's
        name: that civil-society organisation's monitors only. Never a government role, the
        coordinator or the administrator (civil society's independence)."""
        return organisation.is_civil_society and organisation.pk in self.monitor_organisations()

    def can_view_provision_assessment(self, assessment: ProvisionAssessment) -> bool:
        """Published: whoever reads the plan. A draft: its organisation's monitors only."""
        if assessment.published_at is not None:
            return self.can_read_agreements()
        return assessment.organisation_id in self.monitor_organisations()

    def can_edit_provision_assessment(self, assessment: ProvisionAssessment) -> bool:
        """Its organisation's monitors, published or not; no one else, ever."""
        return assessment.organisation_id in self.monitor_organisations()


# How much of a story a reader reads (PlanAccess.story_reading).
STORY_FULL = "full"
STORY_COARSE = "coarse"

# How much of an early-warning signal a reader reads (PlanAccess.signal_reading).
SIGNAL_FULL = "full"
SIGNAL_COARSE = "coarse"


def story_in_report(story: Story, on: date) -> bool:
    """Whether the standard report built on `on` prints the story (docs/stories.md, "In the
    report and on the portal"): approved by a second person of its holder, never restricted,
    and a consent for the report in force that day. The report leaves the platform and has no
    reader to ask about: it prints the coarse reading, whatever its version."""
    return (
        story.status == "approved"
        and story.sensitivity != "restricted"
        and story.consented_to("report", on)
    )


def read_whole_by_anyone(story: Story) -> bool:
    """An open story approved for publication with a consent for the public portal in force:
    everyone who reads the plan reads it as recorded."""
    return (
        story.sensitivity == "open" and story.status == "approved" and story.consented_to("public")
    )
