"""Writes of the security-sector module (docs/security-sector.md). Every function checks the
caller's rights (PlanAccess) itself; refusals raise PermissionDenied, bad input ValidationError
(keyed by field where there is one), and nothing is changed in either case."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import InputProblems, LocatedProblem
from wpsmonitor.core.periods import PeriodCodeError, PeriodType
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import Dimension, Indicator, IndicatorKind, TimeRule
from wpsmonitor.indicators.services import (
    dimension_ensure,
    indicator_create,
    option_parents_set,
    period_ensure,
    scheme_ensure,
)
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanKind
from wpsmonitor.security import selectors
from wpsmonitor.security.assessment import score_field, themes_of
from wpsmonitor.security.models import (
    ASSESSMENT_SCALE_HIGH,
    ASSESSMENT_SCALE_LOW,
    DESK_KINDS,
    AssessmentConductor,
    AssessmentFramework,
    AssessmentStatus,
    Course,
    Deployment,
    DeskCases,
    DeskStatus,
    InstitutionAssessment,
    InstitutionKind,
    PackageAdoption,
    Participation,
    Personnel,
    RankBand,
    SecurityInstitution,
    SecurityUnit,
    Sex,
    ThemeScore,
    TrainingPhase,
    TrainingSession,
    TrainingTopic,
    UNCategory,
    WomensDesk,
)
from wpsmonitor.security.roster import RosterRow, read_roster

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
# The largest count a desk's period accepts (a typo guard, not a statistic).
MAX_CASES = 1_000_000


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


@service
def institution_create(
    *,
    by: User,
    plan: Plan,
    code: str,
    kind: str,
    organisation: Organisation | None,
    institutional_plan: Plan | None = None,
) -> SecurityInstitution:
    """A security institution's profile under the plan, with its internal WPS plan if it has
    one (a plan of the institutional kind whose parent is this plan)."""
    _require(PlanAccess.load(by, plan).can_manage_security())
    problems: dict[str, str] = {}
    code = (code or "").strip().upper()
    if not _CODE.match(code):
        problems["code"] = _(
            "Give a short code of letters, digits, - or _ (at most 20), such as PNC."
        )
    elif SecurityInstitution.objects.filter(plan=plan, code=code).exists():
        problems["code"] = _("The plan already has an institution with this code.")
    if kind not in InstitutionKind.values:
        problems["kind"] = _("Choose the kind of institution.")
    if organisation is None:
        problems["organisation"] = _("Choose the institution's organisation.")
    if institutional_plan is not None and (
        institutional_plan.kind != PlanKind.INSTITUTIONAL or institutional_plan.parent_id != plan.pk
    ):
        problems["institutional_plan"] = _(
            "The internal plan must be an institutional plan under this plan."
        )
    if problems:
        raise ValidationError(problems)
    assert organisation is not None
    return SecurityInstitution.objects.create(
        plan=plan,
        code=code,
        kind=kind,
        organisation=organisation,
        institutional_plan=institutional_plan,
    )


# The package ------------------------------------------------------------------------------
#
# NATO's national reports on gender perspectives: personnel by sex, service and rank;
# recruitment and retention; gender advisers; facilities. The dimensions are shared by all
# plans (names in English, shown translated: core/names.py); ranks sit under their category
# (indicators/hierarchy.py), so totals by category are derived from the ranks.

SERVICE_DIMENSION = "security_service"
CATEGORY_DIMENSION = "nato_rank_category"
RANK_DIMENSION = "nato_rank"
POST_DIMENSION = "gender_post"
LEVEL_DIMENSION = "post_level"

PACKAGE_DIMENSIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        SERVICE_DIMENSION,
        gettext_noop("Service"),
        [
            ("land", gettext_noop("Land forces")),
            ("maritime", gettext_noop("Maritime forces")),
            ("air", gettext_noop("Air forces")),
            ("joint", gettext_noop("Joint or central services")),
            ("other", gettext_noop("Other services")),
        ],
    ),
    (
        CATEGORY_DIMENSION,
        gettext_noop("Rank category"),
        [
            ("officers", gettext_noop("Officers")),
            ("ncos", gettext_noop("Non-commissioned officers")),
            ("other_ranks", gettext_noop("Other ranks")),
        ],
    ),
    (
        RANK_DIMENSION,
        gettext_noop("Rank"),
        [
            ("of_general", gettext_noop("General or flag officers (OF-6 and above)")),
            ("of_senior", gettext_noop("Senior officers (OF-3 to OF-5)")),
            ("of_junior", gettext_noop("Junior officers (OF-1 to OF-2)")),
            ("or_senior", gettext_noop("Senior NCOs (OR-6 to OR-9)")),
            ("or_junior", gettext_noop("Junior NCOs (OR-4 to OR-5)")),
            ("or_other", gettext_noop("Other ranks (OR-1 to OR-3)")),
        ],
    ),
    (
        POST_DIMENSION,
        gettext_noop("Gender post"),
        [
            ("adviser", gettext_noop("Gender adviser")),
            ("focal_point", gettext_noop("Gender focal point")),
        ],
    ),
    (
        LEVEL_DIMENSION,
        gettext_noop("Level"),
        [
            ("strategic", gettext_noop("Strategic")),
            ("operational", gettext_noop("Operational")),
            ("tactical", gettext_noop("Tactical")),
        ],
    ),
]

RANK_CATEGORY = {
    "of_general": "officers",
    "of_senior": "officers",
    "of_junior": "officers",
    "or_senior": "ncos",
    "or_junior": "ncos",
    "or_other": "other_ranks",
}

# (suffix, kind, dimensions, time rule, unit, title, definition); a share names its source.
PACKAGE: list[dict[str, object]] = [
    {
        "suffix": "PERS",
        "kind": IndicatorKind.NUMBER,
        "scheme": ["sex", SERVICE_DIMENSION, RANK_DIMENSION],
        "time_rule": TimeRule.LAST,
        "unit": gettext_noop("person|people"),
        "title": gettext_noop("Personnel by sex, service and rank"),
        "definition": gettext_noop(
            "Personnel in service at the end of the period, by sex, service and rank "
            "(totals by rank category are derived from the ranks)."
        ),
    },
    {
        "suffix": "PERS-W",
        "kind": IndicatorKind.SHARE,
        "share_of": "PERS",
        "scheme": [RANK_DIMENSION],
        "time_rule": TimeRule.LAST,
        "unit": "%",
        "title": gettext_noop("Women's share of personnel, by rank"),
        "definition": gettext_noop(
            "Women as a share of all personnel, by rank: computed from the personnel figures."
        ),
    },
    {
        "suffix": "REC",
        "kind": IndicatorKind.NUMBER,
        "scheme": ["sex"],
        "time_rule": TimeRule.SUM,
        "unit": gettext_noop("person|people"),
        "title": gettext_noop("People recruited, by sex"),
        "definition": gettext_noop("People who joined the institution in the period, by sex."),
    },
    {
        "suffix": "ATT",
        "kind": IndicatorKind.NUMBER,
        "scheme": ["sex"],
        "time_rule": TimeRule.SUM,
        "unit": gettext_noop("person|people"),
        "direction": "decrease",
        "title": gettext_noop("People who left the institution (attrition), by sex"),
        "definition": gettext_noop(
            "People who left the institution in the period (resignation, end of contract, "
            "dismissal, retirement), by sex."
        ),
    },
    {
        "suffix": "CMD",
        "kind": IndicatorKind.NUMBER,
        "scheme": ["sex"],
        "time_rule": TimeRule.LAST,
        "unit": gettext_noop("person|people"),
        "title": gettext_noop("People in command positions, by sex"),
        "definition": gettext_noop(
            "People holding a command position at the end of the period, by sex."
        ),
    },
    {
        "suffix": "CMD-W",
        "kind": IndicatorKind.SHARE,
        "share_of": "CMD",
        "scheme": [],
        "time_rule": TimeRule.LAST,
        "unit": "%",
        "title": gettext_noop("Women's share of command positions"),
        "definition": gettext_noop(
            "Women as a share of the people in command positions: computed."
        ),
    },
    {
        "suffix": "GA-POSTS",
        "kind": IndicatorKind.NUMBER,
        "scheme": [POST_DIMENSION, LEVEL_DIMENSION],
        "time_rule": TimeRule.LAST,
        "unit": gettext_noop("post|posts"),
        "title": gettext_noop("Gender adviser and focal point posts, by level"),
        "definition": gettext_noop(
            "Posts of gender advisers and gender focal points established at the end of the "
            "period, by level."
        ),
    },
    {
        "suffix": "GA-FILLED",
        "kind": IndicatorKind.NUMBER,
        "scheme": [POST_DIMENSION, LEVEL_DIMENSION],
        "time_rule": TimeRule.LAST,
        "unit": gettext_noop("post|posts"),
        "title": gettext_noop("Gender adviser and focal point posts filled, by level"),
        "definition": gettext_noop(
            "Of those posts, the ones held by someone at the end of the period, by level."
        ),
    },
    {
        "suffix": "GA-VACANT",
        "kind": IndicatorKind.FORMULA,
        "numerator": "{%(code)s-GA-POSTS} - {%(code)s-GA-FILLED}",
        "scheme": [],
        "time_rule": TimeRule.LAST,
        "unit": gettext_noop("post|posts"),
        "direction": "decrease",
        "title": gettext_noop("Gender adviser and focal point posts vacant"),
        "definition": gettext_noop("Posts established less posts filled: computed."),
    },
    {
        "suffix": "FAC",
        "kind": IndicatorKind.NUMBER,
        "scheme": [],
        "time_rule": TimeRule.LAST,
        "unit": gettext_noop("site|sites"),
        "title": gettext_noop("Sites with separate facilities for women"),
        "definition": gettext_noop(
            "Barracks, stations or sites with separate accommodation and sanitation for women "
            "at the end of the period."
        ),
    },
]


@service
def package_dimensions_ensure() -> dict[str, Dimension]:
    """The package's shared dimensions, ranks under their category (idempotent)."""
    found = {
        code: dimension_ensure(code=code, name=name, options=options)
        for code, name, options in PACKAGE_DIMENSIONS
    }
    categories = {o.code: o for o in found[CATEGORY_DIMENSION].options.all()}
    option_parents_set(
        dimension=found[RANK_DIMENSION],
        parents={rank: categories[category] for rank, category in RANK_CATEGORY.items()},
    )
    return found


@service
def package_adopt(
    *, by: User, institution: SecurityInstitution, node: FrameworkNode | None
) -> PackageAdoption:
    """Adopt the institution's indicator package in one step: its indicators, coded
    "<institution code>-<suffix>", on `node`, reported by the institution's organisation.
    Refused if the institution has adopted it already."""
    _require(PlanAccess.load(by, institution.plan).can_manage_security())
    if PackageAdoption.objects.filter(institution=institution).exists():
        raise ValidationError(
            _("%(code)s has already adopted the indicator package.") % {"code": institution.code}
        )
    if node is None or node.pk not in {n.pk for n in selectors.package_nodes(institution)}:
        raise ValidationError(
            {
                "node": _(
                    "Choose a part of the framework of the institution's internal plan or of "
                    "this plan."
                )
            }
        )
    package_dimensions_ensure()
    plan = node.plan
    created: dict[str, Indicator] = {}
    for spec in PACKAGE:
        suffix = str(spec["suffix"])
        code = f"{institution.code}-{suffix}"
        # Stored in the plan's language, as every text of the plan is (core/translated.py).
        with translation.override(plan.original_language):
            title = _(str(spec["title"]))
            definition = _(str(spec["definition"]))
            unit = _(str(spec["unit"])) if spec["unit"] != "%" else "%"
        kind = str(spec["kind"])
        extra: dict[str, object] = {}
        if kind == IndicatorKind.SHARE:
            extra = {
                "share_of": created[str(spec["share_of"])],
                "share_dimension": "sex",
                "share_option": "F",
            }
        if kind == IndicatorKind.FORMULA:
            extra = {"numerator_formula": str(spec["numerator"]) % {"code": institution.code}}
        created[suffix] = indicator_create(
            plan=plan,
            node=node,
            code=code,
            kind=kind,
            title=f"{title} ({institution.code})",
            definition=definition,
            unit=unit,
            time_rule=str(spec["time_rule"]),
            direction=str(spec.get("direction", "increase")),
            scheme=scheme_ensure(dimension_codes=list(spec["scheme"])),  # type: ignore[call-overload]
            frequency=PeriodType.YEAR,
            responsible_organisation=institution.organisation,
            **extra,  # type: ignore[arg-type]
        )
    adoption = PackageAdoption.objects.create(institution=institution, node=node, adopted_by=by)
    adoption.indicators.set(created.values())
    return adoption


# Women's desks -----------------------------------------------------------------------------


def _desk_clean(
    institution: SecurityInstitution,
    *,
    name: str,
    area: Area | None,
    status: str,
    opened_on: date | None,
    staffed_by: str,
) -> dict[str, object]:
    problems: dict[str, str] = {}
    if institution.kind not in DESK_KINDS:
        problems["__all__"] = _("Only a police or gendarmerie institution holds women's desks.")
    name = (name or "").strip()
    if not name:
        problems["name"] = _("Give the police station's name.")
    plan_area = institution.plan.area
    if area is None:
        problems["area"] = _("Choose the desk's area.")
    elif not area.path.startswith(plan_area.path):
        problems["area"] = _("The area is not within the plan's country or area.")
    if status not in DeskStatus.values:
        problems["status"] = _("Choose the desk's status.")
    elif status != DeskStatus.PLANNED and opened_on is None:
        problems["opened_on"] = _("Give the day the desk opened (YYYY-MM-DD).")
    if problems:
        raise ValidationError(problems)
    return {
        "name": name,
        "area": area,
        "status": status,
        "opened_on": opened_on,
        "staffed_by": (staffed_by or "").strip()[:200],
    }


@service
def desk_record(
    *,
    by: User,
    institution: SecurityInstitution,
    name: str,
    area: Area | None,
    status: str,
    opened_on: date | None = None,
    staffed_by: str = "",
) -> WomensDesk:
    """A women's and children's desk in the register (the coordinator)."""
    _require(PlanAccess.load(by, institution.plan).can_manage_security())
    fields = _desk_clean(
        institution,
        name=name,
        area=area,
        status=status,
        opened_on=opened_on,
        staffed_by=staffed_by,
    )
    return WomensDesk.objects.create(institution=institution, **fields)


@service
def desk_update(
    *,
    by: User,
    desk: WomensDesk,
    name: str,
    area: Area | None,
    status: str,
    opened_on: date | None = None,
    staffed_by: str = "",
) -> WomensDesk:
    """Change a desk (every field given again), e.g. a planned desk that opened."""
    _require(PlanAccess.load(by, desk.institution.plan).can_manage_security())
    fields = _desk_clean(
        desk.institution,
        name=name,
        area=area,
        status=status,
        opened_on=opened_on,
        staffed_by=staffed_by,
    )
    for key, value in fields.items():
        setattr(desk, key, value)
    desk.save()
    return desk


@service
def desk_cases_record(
    *, by: User, desk: WomensDesk, period: str, received: int | None, referred: int | None
) -> DeskCases:
    """The cases a desk received and referred in a period (a year, half, quarter or month);
    entering a period again replaces its figures."""
    institution = desk.institution
    access = PlanAccess.load(by, institution.plan)
    _require(access.can_enter_desk_cases(institution.organisation_id, desk.area))
    problems: dict[str, str] = {}
    try:
        period_obj = period_ensure((period or "").strip())
    except (ValueError, ValidationError, PeriodCodeError):
        period_obj = None
        problems["period"] = _("Give the period as 2025, 2025S1, 2025Q3 or 2025-07.")
    if received is None or not 0 <= received <= MAX_CASES:
        problems["received"] = _("Give the number of cases received (0 or more).")
    if referred is None or not 0 <= referred <= MAX_CASES:
        problems["referred"] = _("Give the number of cases referred (0 or more).")
    elif received is not None and referred > received:
        problems["referred"] = _("A desk cannot refer more cases than it received.")
    if problems:
        raise ValidationError(problems)
    assert period_obj is not None and received is not None and referred is not None
    cases, _created = DeskCases.objects.update_or_create(
        desk=desk,
        period=period_obj,
        defaults={"received": received, "referred": referred, "entered_by": by},
    )
    return cases


# Training and deployments (docs/security-sector.md, "Training", "Deployments and the parity
# targets") ---------------------------------------------------------------------------------

_SERVICE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/._-]{0,39}$")
# The most people a deployment entered as counts may hold (a typo guard).
MAX_DEPLOYED = 100_000


def _require_training(by: User, institution: SecurityInstitution) -> None:
    _require(PlanAccess.load(by, institution.plan).can_enter_training(institution.organisation_id))


def _area_problem(institution: SecurityInstitution, area: Area | None) -> str | None:
    if area is not None and not area.path.startswith(institution.plan.area.path):
        return _("The area is not within the plan's country or area.")
    return None


@service
def unit_create(
    *, by: User, institution: SecurityInstitution, name: str, area: Area | None = None
) -> SecurityUnit:
    """A unit of the institution (a battalion, a formed police unit, a station's company)."""
    _require_training(by, institution)
    problems: dict[str, str] = {}
    name = (name or "").strip()[:200]
    if not name:
        problems["name"] = _("Give the unit's name.")
    elif SecurityUnit.objects.filter(institution=institution, name=name).exists():
        problems["name"] = _("The institution already has a unit with this name.")
    if (problem := _area_problem(institution, area)) is not None:
        problems["area"] = problem
    if problems:
        raise ValidationError(problems)
    return SecurityUnit.objects.create(institution=institution, name=name, area=area)


@service
def course_create(
    *, by: User, institution: SecurityInstitution, title: str, topic: str, provider: str = ""
) -> Course:
    """A course the institution gives (on WPS, SGBV, the prevention of sexual exploitation and
    abuse, the gender perspective...)."""
    _require_training(by, institution)
    problems: dict[str, str] = {}
    title = (title or "").strip()[:200]
    if not title:
        problems["title"] = _("Give the course's title.")
    if topic not in TrainingTopic.values:
        problems["topic"] = _("Choose the course's topic.")
    if problems:
        raise ValidationError(problems)
    return Course.objects.create(
        institution=institution, title=title, topic=topic, provider=(provider or "").strip()[:200]
    )


@service
def session_create(
    *,
    by: User,
    course: Course,
    starts_on: date | None,
    ends_on: date | None,
    phase: str,
    place: str = "",
    area: Area | None = None,
) -> TrainingSession:
    """A session of a course: its days, place and phase (before, during or after deployment,
    or in garrison)."""
    institution = course.institution
    _require_training(by, institution)
    problems: dict[str, str] = {}
    if starts_on is None:
        problems["starts_on"] = _("Give the session's first day (YYYY-MM-DD).")
    if ends_on is None:
        problems["ends_on"] = _("Give the session's last day (YYYY-MM-DD).")
    elif starts_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The last day cannot come before the first.")
    if phase not in TrainingPhase.values:
        problems["phase"] = _("Choose the phase of the session.")
    if (problem := _area_problem(institution, area)) is not None:
        problems["area"] = problem
    if problems:
        raise ValidationError(problems)
    assert starts_on is not None and ends_on is not None
    return TrainingSession.objects.create(
        course=course,
        starts_on=starts_on,
        ends_on=ends_on,
        phase=phase,
        place=(place or "").strip()[:200],
        area=area,
    )


def _score_problem(value: int | None) -> str | None:
    if value is not None and not 0 <= value <= 100:
        return _("A score is a whole number from 0 to 100.")
    return None


def _person_problems(service_number: str, sex: str, rank: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not _SERVICE_NUMBER.match(service_number):
        problems["service_number"] = _(
            "Give the service number (letters, digits, / . _ or -, at most 40), never a name."
        )
    if sex not in Sex.values:
        problems["sex"] = _("Give the sex as F or M.")
    if rank not in RankBand.values:
        problems["rank"] = _("Choose a NATO rank band (%(bands)s).") % {
            "bands": ", ".join(RankBand.values)
        }
    return problems


@service
def participant_record(
    *,
    by: User,
    session: TrainingSession,
    service_number: str,
    sex: str,
    rank: str,
    unit: SecurityUnit | None = None,
    pre_score: int | None = None,
    post_score: int | None = None,
) -> Participation:
    """One participant of a session and their pre- and post-test scores; the personnel record
    (service number, sex, rank, unit) is created or brought up to date. Entering the same
    service number again replaces the scores."""
    institution = session.course.institution
    _require_training(by, institution)
    service_number = (service_number or "").strip()
    sex = (sex or "").strip().upper()
    rank = (rank or "").strip().lower()
    problems = _person_problems(service_number, sex, rank)
    for key, value in (("pre_score", pre_score), ("post_score", post_score)):
        if (problem := _score_problem(value)) is not None:
            problems[key] = problem
    if unit is not None and unit.institution_id != institution.pk:
        problems["unit"] = _("Choose one of the institution's units.")
    if problems:
        raise ValidationError(problems)
    person, _made = Personnel.objects.update_or_create(
        institution=institution,
        service_number=service_number,
        defaults={"sex": sex, "rank": rank, "unit": unit},
    )
    found, _made = Participation.objects.update_or_create(
        session=session,
        person=person,
        defaults={"pre_score": pre_score, "post_score": post_score},
    )
    return found


@service
def follow_up_record(
    *,
    by: User,
    participation: Participation,
    evaluated_on: date | None,
    score: int | None,
    evaluated_by: str = "",
) -> Participation:
    """The follow-up evaluation of a participant's practice, months after the session."""
    session = participation.session
    _require_training(by, session.course.institution)
    problems: dict[str, str] = {}
    if evaluated_on is None:
        problems["evaluated_on"] = _("Give the day of the evaluation (YYYY-MM-DD).")
    elif evaluated_on < session.ends_on:
        problems["evaluated_on"] = _("A follow-up comes after the session's last day.")
    if score is None:
        problems["score"] = _("Give the follow-up score (0 to 100).")
    elif (problem := _score_problem(score)) is not None:
        problems["score"] = problem
    if problems:
        raise ValidationError(problems)
    participation.follow_up_on = evaluated_on
    participation.follow_up_score = score
    participation.follow_up_by = (evaluated_by or "").strip()[:200]
    participation.save(update_fields=["follow_up_on", "follow_up_score", "follow_up_by"])
    return participation


@dataclass(frozen=True)
class _RosterItem:
    number: str
    sex: str
    rank: str
    unit: SecurityUnit | None
    pre: int | None
    post: int | None
    follow_on: date | None
    follow: int | None
    follow_by: str


class RosterRefused(InputProblems):
    """A roster refused whole: every problem, located file:sheet:row:column."""


def _roster_score(row: RosterRow, column: str, refuse: object) -> int | None:
    text = row.text(column)
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        refuse(row, column, _("%(text)r is not a whole number from 0 to 100") % {"text": text})  # type: ignore[operator]
        return None
    return value


@service
def roster_import(*, by: User, session: TrainingSession, path: Path, filename: str) -> int:
    """A session's roster from a CSV or XLSX file (roster.py), all or nothing: any problem
    refuses the whole file (RosterRefused, each problem located by file, sheet, row and
    column) and nothing is stored. The session's roster is replaced by the file's; the
    personnel records are created or brought up to date. Returns the participants stored."""
    institution = session.course.institution
    _require_training(by, institution)
    rows, problems = read_roster(path, filename)
    units = {
        u.name.strip().lower(): u for u in SecurityUnit.objects.filter(institution=institution)
    }
    resolved: list[_RosterItem] = []
    seen: dict[str, str] = {}

    def refuse(row: RosterRow, column: str, message: str) -> None:
        problems.append(LocatedProblem(row.index, column, f"{row.where(column)}: {message}"))

    for row in rows:
        number = row.text("service_number")
        sex = row.text("sex").upper()
        rank = row.text("rank").lower()
        for key, message in _person_problems(number, sex, rank).items():
            refuse(row, key, message)
        if number in seen:
            refuse(
                row,
                "service_number",
                _("%(number)s is already on the roster (%(where)s)")
                % {"number": number, "where": seen[number]},
            )
        seen.setdefault(number, row.where("service_number"))
        unit_name = row.text("unit")
        unit = units.get(unit_name.lower()) if unit_name else None
        if unit_name and unit is None:
            refuse(
                row,
                "unit",
                _("%(text)r is not one of the institution's units (%(units)s)")
                % {"text": unit_name, "units": ", ".join(sorted(u.name for u in units.values()))},
            )
        pre = _roster_score(row, "pre_score", refuse)
        post = _roster_score(row, "post_score", refuse)
        follow = _roster_score(row, "follow_up_score", refuse)
        follow_text = row.text("follow_up_on")
        follow_on: date | None = None
        if follow_text:
            try:
                follow_on = date.fromisoformat(follow_text)
            except ValueError:
                refuse(
                    row,
                    "follow_up_on",
                    _("%(text)r is not a date (YYYY-MM-DD)") % {"text": follow_text},
                )
            else:
                if follow_on < session.ends_on:
                    refuse(row, "follow_up_on", _("a follow-up comes after the session's last day"))
        if bool(follow_text) != bool(row.text("follow_up_score")):
            refuse(
                row,
                "follow_up_on" if not follow_text else "follow_up_score",
                _("give both the follow-up's day and its score, or neither"),
            )
        resolved.append(
            _RosterItem(
                number=number,
                sex=sex,
                rank=rank,
                unit=unit,
                pre=pre,
                post=post,
                follow_on=follow_on,
                follow=follow,
                follow_by=row.text("follow_up_by")[:200],
            )
        )
    if not rows and not problems:
        problems.append(
            LocatedProblem(None, None, f"{filename}: " + _("the roster has no participant"))
        )
    if problems:
        raise RosterRefused(
            _("The file is refused and nothing is stored. Problems found: %(count)d.")
            % {"count": len(problems)},
            problems,
        )
    Participation.objects.filter(session=session).delete()
    for item in resolved:
        person, _made = Personnel.objects.update_or_create(
            institution=institution,
            service_number=item.number,
            defaults={"sex": item.sex, "rank": item.rank, "unit": item.unit},
        )
        Participation.objects.create(
            session=session,
            person=person,
            pre_score=item.pre,
            post_score=item.post,
            follow_up_on=item.follow_on,
            follow_up_score=item.follow,
            follow_up_by=item.follow_by,
        )
    return len(resolved)


@service
def deployment_create(
    *,
    by: User,
    institution: SecurityInstitution,
    mission: str,
    category: str,
    starts_on: date | None,
    ends_on: date | None = None,
    unit: SecurityUnit | None = None,
    service_numbers: list[str] | None = None,
    women: int | None = None,
    men: int | None = None,
    women_trained: int | None = None,
    men_trained: int | None = None,
) -> Deployment:
    """A deployment to a peace operation, its people either as individuals (service numbers of
    the institution's personnel records) or as counts by sex, with the entered counts of those
    trained before deployment; never both."""
    _require_training(by, institution)
    problems: dict[str, str] = {}
    mission = (mission or "").strip()[:60]
    if not mission:
        problems["mission"] = _("Give the mission's name, such as MONUSCO.")
    if category not in UNCategory.values:
        problems["category"] = _("Choose the category of personnel.")
    if starts_on is None:
        problems["starts_on"] = _("Give the day the deployment started (YYYY-MM-DD).")
    elif ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The end cannot come before the start.")
    if unit is not None and unit.institution_id != institution.pk:
        problems["unit"] = _("Choose one of the institution's units.")
    numbers = sorted({n.strip() for n in (service_numbers or []) if n.strip()})
    counted = any(v is not None for v in (women, men, women_trained, men_trained))
    people: list[Personnel] = []
    if numbers and counted:
        problems["__all__"] = _(
            "Give the deployed people either as service numbers or as counts by sex, not both."
        )
    elif numbers:
        people = list(Personnel.objects.filter(institution=institution, service_number__in=numbers))
        unknown = sorted(set(numbers) - {p.service_number for p in people})
        if unknown:
            problems["service_numbers"] = _(
                "No personnel record of the institution has these service numbers: %(numbers)s."
            ) % {"numbers": ", ".join(unknown[:20])}
    elif counted:
        problems.update(_counts_problems(women, men, women_trained, men_trained))
    else:
        problems["__all__"] = _(
            "Give the deployed people as service numbers or as counts of women and men."
        )
    if problems:
        raise ValidationError(problems)
    assert starts_on is not None
    made = Deployment.objects.create(
        institution=institution,
        unit=unit,
        mission=mission,
        category=category,
        starts_on=starts_on,
        ends_on=ends_on,
        women=women,
        men=men,
        women_trained=women_trained,
        men_trained=men_trained,
    )
    if people:
        made.members.set(people)
    return made


# Editing training and deployments (docs/security-sector.md, "Editing training and
# deployments"). The same people who record them change and remove them
# (`can_enter_training`); nothing that carries scores is removed with it.


@service
def unit_update(
    *, by: User, unit: SecurityUnit, name: str, area: Area | None = None
) -> SecurityUnit:
    """Rename a unit or change its area (every field given again)."""
    institution = unit.institution
    _require_training(by, institution)
    problems: dict[str, str] = {}
    name = (name or "").strip()[:200]
    if not name:
        problems["name"] = _("Give the unit's name.")
    elif (
        SecurityUnit.objects.filter(institution=institution, name=name).exclude(pk=unit.pk).exists()
    ):
        problems["name"] = _("The institution already has a unit with this name.")
    if (problem := _area_problem(institution, area)) is not None:
        problems["area"] = problem
    if problems:
        raise ValidationError(problems)
    unit.name = name
    unit.area = area
    unit.save(update_fields=["name", "area"])
    return unit


@service
def unit_remove(*, by: User, unit: SecurityUnit) -> None:
    """Remove a unit nobody is in and no deployment names: a unit with people would silently
    move them (and their scores) to "without a unit" in the impact by unit."""
    _require_training(by, unit.institution)
    people = Personnel.objects.filter(unit=unit).count()
    if people:
        raise ValidationError(
            ngettext(
                "The unit is not removed: %(count)d personnel record is in it, and its scores "
                "count in the unit's impact. Record the person in another unit first.",
                "The unit is not removed: %(count)d personnel records are in it, and their "
                "scores count in the unit's impact. Record the people in another unit first.",
                people,
            )
            % {"count": people}
        )
    if Deployment.objects.filter(unit=unit).exists():
        raise ValidationError(
            _("The unit is not removed: a deployment names it. Change the deployment first.")
        )
    unit.delete()


@service
def course_update(
    *, by: User, course: Course, title: str, topic: str, provider: str = ""
) -> Course:
    """Change a course's title, topic or provider (every field given again)."""
    _require_training(by, course.institution)
    problems: dict[str, str] = {}
    title = (title or "").strip()[:200]
    if not title:
        problems["title"] = _("Give the course's title.")
    if topic not in TrainingTopic.values:
        problems["topic"] = _("Choose the course's topic.")
    if problems:
        raise ValidationError(problems)
    course.title = title
    course.topic = topic
    course.provider = (provider or "").strip()[:200]
    course.save(update_fields=["title", "topic", "provider"])
    return course


@service
def course_remove(*, by: User, course: Course) -> None:
    """Remove a course without sessions (a session carries participants and their scores,
    which the course's deletion would take with it)."""
    _require_training(by, course.institution)
    sessions = TrainingSession.objects.filter(course=course).count()
    if sessions:
        raise ValidationError(
            ngettext(
                "The course is not removed: it has %(count)d session. Remove the session "
                "first (a session with participants is not removed).",
                "The course is not removed: it has %(count)d sessions. Remove the sessions "
                "first (a session with participants is not removed).",
                sessions,
            )
            % {"count": sessions}
        )
    course.delete()


@service
def session_update(
    *,
    by: User,
    session: TrainingSession,
    starts_on: date | None,
    ends_on: date | None,
    phase: str,
    place: str = "",
    area: Area | None = None,
) -> TrainingSession:
    """Change a session's days, phase, place or area (every field given again). Its
    participants and scores stay; "trained before deployment" follows the new days and phase.
    A follow-up evaluation must stay after the session's last day."""
    institution = session.course.institution
    _require_training(by, institution)
    problems: dict[str, str] = {}
    if starts_on is None:
        problems["starts_on"] = _("Give the session's first day (YYYY-MM-DD).")
    if ends_on is None:
        problems["ends_on"] = _("Give the session's last day (YYYY-MM-DD).")
    elif starts_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The last day cannot come before the first.")
    elif Participation.objects.filter(session=session, follow_up_on__lt=ends_on).exists():
        problems["ends_on"] = _(
            "A follow-up evaluation of this session is dated before this last day: a "
            "follow-up comes after the session."
        )
    if phase not in TrainingPhase.values:
        problems["phase"] = _("Choose the phase of the session.")
    if (problem := _area_problem(institution, area)) is not None:
        problems["area"] = problem
    if problems:
        raise ValidationError(problems)
    assert starts_on is not None and ends_on is not None
    session.starts_on = starts_on
    session.ends_on = ends_on
    session.phase = phase
    session.place = (place or "").strip()[:200]
    session.area = area
    session.save(update_fields=["starts_on", "ends_on", "phase", "place", "area"])
    return session


@service
def session_remove(*, by: User, session: TrainingSession) -> None:
    """Remove a session without participants (their scores would go with it)."""
    _require_training(by, session.course.institution)
    people = Participation.objects.filter(session=session).count()
    if people:
        raise ValidationError(
            ngettext(
                "The session is not removed: %(count)d participant is recorded with their "
                "scores, which would be lost.",
                "The session is not removed: %(count)d participants are recorded with their "
                "scores, which would be lost.",
                people,
            )
            % {"count": people}
        )
    session.delete()


def _counts_problems(
    women: int | None, men: int | None, women_trained: int | None, men_trained: int | None
) -> dict[str, str]:
    problems: dict[str, str] = {}
    for key, value in (
        ("women", women),
        ("men", men),
        ("women_trained", women_trained),
        ("men_trained", men_trained),
    ):
        if value is not None and not 0 <= value <= MAX_DEPLOYED:
            problems[key] = _("Give a whole number, 0 or more.")
    if women is None or men is None:
        problems["women" if women is None else "men"] = _(
            "Give both the women and the men deployed."
        )
    if "women_trained" not in problems and (women_trained or 0) > (women or 0):
        problems["women_trained"] = _("More women trained than deployed.")
    if "men_trained" not in problems and (men_trained or 0) > (men or 0):
        problems["men_trained"] = _("More men trained than deployed.")
    return problems


@service
def deployment_update(
    *,
    by: User,
    deployment: Deployment,
    mission: str,
    category: str,
    starts_on: date | None,
    ends_on: date | None = None,
    unit: SecurityUnit | None = None,
    women: int | None = None,
    men: int | None = None,
    women_trained: int | None = None,
    men_trained: int | None = None,
) -> Deployment:
    """Change a deployment (every field given again). A deployment given by counts takes its
    counts again; one given as individuals takes none (its individuals are added and removed
    one by one: `deployment_members_add`, `deployment_member_remove`)."""
    institution = deployment.institution
    _require_training(by, institution)
    problems: dict[str, str] = {}
    mission = (mission or "").strip()[:60]
    if not mission:
        problems["mission"] = _("Give the mission's name, such as MONUSCO.")
    if category not in UNCategory.values:
        problems["category"] = _("Choose the category of personnel.")
    if starts_on is None:
        problems["starts_on"] = _("Give the day the deployment started (YYYY-MM-DD).")
    elif ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The end cannot come before the start.")
    if unit is not None and unit.institution_id != institution.pk:
        problems["unit"] = _("Choose one of the institution's units.")
    counted = any(v is not None for v in (women, men, women_trained, men_trained))
    if deployment.by_counts:
        problems.update(_counts_problems(women, men, women_trained, men_trained))
    elif counted:
        problems["__all__"] = _(
            "This deployment's people are individuals: add or remove them by service number "
            "rather than giving counts."
        )
    if problems:
        raise ValidationError(problems)
    assert starts_on is not None
    deployment.mission = mission
    deployment.category = category
    deployment.starts_on = starts_on
    deployment.ends_on = ends_on
    deployment.unit = unit
    fields = ["mission", "category", "starts_on", "ends_on", "unit"]
    if deployment.by_counts:
        deployment.women = women
        deployment.men = men
        deployment.women_trained = women_trained
        deployment.men_trained = men_trained
        fields += ["women", "men", "women_trained", "men_trained"]
    deployment.save(update_fields=fields)
    return deployment


@service
def deployment_remove(*, by: User, deployment: Deployment) -> None:
    """Remove a deployment (a mistake, a duplicate). Its individuals' personnel records and
    their training stay; only the record that they were deployed goes."""
    _require_training(by, deployment.institution)
    deployment.delete()


# The most service numbers one addition takes (a hostile or mistaken paste is refused before
# any query).
MAX_MEMBERS_ADDED = 5_000


def _individuals_only(deployment: Deployment) -> None:
    if deployment.by_counts:
        raise ValidationError(
            {
                "service_numbers": _(
                    "This deployment's people are given as counts of women and men: change the "
                    "counts instead."
                )
            }
        )


@service
def deployment_members_add(*, by: User, deployment: Deployment, service_numbers: list[str]) -> int:
    """Add individuals to a deployment given as individuals, by the service numbers of the
    institution's personnel records; all or nothing. Returns how many were added."""
    _require_training(by, deployment.institution)
    _individuals_only(deployment)
    if len(service_numbers) > MAX_MEMBERS_ADDED:
        raise ValidationError(
            {
                "service_numbers": _("Add at most %(count)d service numbers at a time.")
                % {"count": MAX_MEMBERS_ADDED}
            }
        )
    numbers = sorted({n.strip() for n in service_numbers if n.strip()})
    if not numbers:
        raise ValidationError({"service_numbers": _("Give one service number or more.")})
    people = list(
        Personnel.objects.filter(institution=deployment.institution, service_number__in=numbers)
    )
    unknown = sorted(set(numbers) - {p.service_number for p in people})
    if unknown:
        raise ValidationError(
            {
                "service_numbers": _(
                    "No personnel record of the institution has these service numbers: %(numbers)s."
                )
                % {"numbers": ", ".join(unknown[:20])}
            }
        )
    already = sorted(
        deployment.members.filter(pk__in=[p.pk for p in people]).values_list(
            "service_number", flat=True
        )
    )
    if already:
        raise ValidationError(
            {
                "service_numbers": _("Already in this deployment: %(numbers)s.")
                % {"numbers": ", ".join(already[:20])}
            }
        )
    deployment.members.add(*people)
    return len(people)


@service
def deployment_member_remove(*, by: User, deployment: Deployment, service_number: str) -> None:
    """Take one individual out of a deployment (their personnel record and training stay).
    The last one is not taken out: a deployment without people is removed instead."""
    _require_training(by, deployment.institution)
    _individuals_only(deployment)
    number = (service_number or "").strip()
    person = deployment.members.filter(service_number=number).first()
    if person is None:
        raise ValidationError(
            {
                "service_number": _("%(number)s is not in this deployment.")
                % {"number": number[:40] or "—"}
            }
        )
    if deployment.members.count() == 1:
        raise ValidationError(
            {
                "service_number": _(
                    "%(number)s is the deployment's only individual: remove the deployment instead."
                )
                % {"number": number}
            }
        )
    deployment.members.remove(person)


# Editing an institution (docs/security-sector.md, "Editing") ------------------------------


@service
def institution_remove(*, by: User, institution: SecurityInstitution) -> None:
    """Remove an institution recorded by mistake: only while nothing hangs on it."""
    _require(PlanAccess.load(by, institution.plan).can_manage_security())
    refusal = selectors.institution_removal_refused(institution)
    if refusal:
        raise ValidationError(refusal)
    institution.delete()


@service
def desk_remove(*, by: User, desk: WomensDesk) -> None:
    """Remove a desk recorded by mistake: only without case counts."""
    _require(PlanAccess.load(by, desk.institution.plan).can_manage_security())
    refusal = selectors.desk_removal_refused(desk)
    if refusal:
        raise ValidationError(refusal)
    desk.delete()


@service
def institution_update(
    *,
    by: User,
    institution: SecurityInstitution,
    code: str,
    kind: str,
    organisation: Organisation | None,
    institutional_plan: Plan | None = None,
) -> SecurityInstitution:
    """Change an institution's profile (every field given again). Its code begins the codes of
    the indicators of its package: once the package is adopted, the code cannot change; nor
    can the kind of a police institution that holds desks become one that holds none."""
    plan = institution.plan
    _require(PlanAccess.load(by, plan).can_manage_security())
    problems: dict[str, str] = {}
    code = (code or "").strip().upper()
    if code != institution.code:
        if PackageAdoption.objects.filter(institution=institution).exists():
            problems["code"] = _(
                "The code cannot change: it begins the codes of the indicators of the package "
                "the institution adopted (%(code)s-PERS and the others)."
            ) % {"code": institution.code}
        elif not _CODE.match(code):
            problems["code"] = _(
                "Give a short code of letters, digits, - or _ (at most 20), such as PNC."
            )
        elif (
            SecurityInstitution.objects.filter(plan=plan, code=code)
            .exclude(pk=institution.pk)
            .exists()
        ):
            problems["code"] = _("The plan already has an institution with this code.")
    if kind not in InstitutionKind.values:
        problems["kind"] = _("Choose the kind of institution.")
    elif kind not in DESK_KINDS and institution.desks.exists():
        problems["kind"] = _(
            "The institution holds women's desks: only a police or gendarmerie institution does."
        )
    if organisation is None:
        problems["organisation"] = _("Choose the institution's organisation.")
    if institutional_plan is not None and (
        institutional_plan.kind != PlanKind.INSTITUTIONAL or institutional_plan.parent_id != plan.pk
    ):
        problems["institutional_plan"] = _(
            "The internal plan must be an institutional plan under this plan."
        )
    if problems:
        raise ValidationError(problems)
    assert organisation is not None
    institution.code = code
    institution.kind = kind
    institution.organisation = organisation
    institution.institutional_plan = institutional_plan
    institution.save()
    return institution


# Self-assessment (docs/security-sector.md, "Self-assessment") -----------------------------

# The longest text a theme's findings or recommendations, or the method note, accept.
MAX_ASSESSMENT_TEXT = 20_000


def _assessment_clean(
    institution: SecurityInstitution,
    *,
    framework: str,
    assessed_on: date | None,
    method: str,
    conducted_by: str,
    conducting_organisation: str,
    scores: Mapping[str, int | None],
    findings: Mapping[str, str],
    recommendations: Mapping[str, str],
    assessment: InstitutionAssessment | None,
) -> tuple[dict[str, object], list[ThemeScore]]:
    problems: dict[str, str] = {}
    if framework not in AssessmentFramework.values:
        problems["framework"] = _("Choose the framework: DCAF or MOWIP.")
    if assessed_on is None:
        problems["assessed_on"] = _("Give the date of the assessment (YYYY-MM-DD).")
    elif assessed_on > timezone.localdate():
        problems["assessed_on"] = _("An assessment is recorded once it has taken place.")
    elif framework in AssessmentFramework.values:
        same = InstitutionAssessment.objects.filter(
            institution=institution, framework=framework, assessed_on=assessed_on
        )
        if assessment is not None:
            same = same.exclude(pk=assessment.pk)
        if same.exists():
            problems["assessed_on"] = _(
                "The institution already has an assessment of this framework on that day."
            )
    if conducted_by not in AssessmentConductor.values:
        problems["conducted_by"] = _("Say who conducted the assessment.")
    organisation = (conducting_organisation or "").strip()
    if (
        conducted_by in (AssessmentConductor.EXTERNAL, AssessmentConductor.JOINT)
        and not organisation
    ):
        problems["conducting_organisation"] = _("Name the external organisation that conducted it.")
    if len(organisation) > 200:
        problems["conducting_organisation"] = _("At most 200 characters.")
    method = (method or "").strip()
    if len(method) > MAX_ASSESSMENT_TEXT:
        problems["method"] = _("At most %(max)d characters.") % {"max": MAX_ASSESSMENT_TEXT}
    themes = themes_of(framework)
    known = {t.code for t in themes}
    unknown = sorted(set(scores) - known)
    if themes and unknown:
        problems["__all__"] = _("Unknown theme for this framework: %(themes)s.") % {
            "themes": ", ".join(unknown)
        }
    rows: list[ThemeScore] = []
    for theme in themes:
        value = scores.get(theme.code)
        field = score_field(theme.code)
        if value is None:
            problems[field] = _("Score the theme “%(theme)s” from 1 to 4.") % {"theme": theme.name}
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not ASSESSMENT_SCALE_LOW <= value <= ASSESSMENT_SCALE_HIGH
        ):
            problems[field] = _("A score is a whole number from 1 to 4.")
            continue
        found = (findings.get(theme.code) or "").strip()
        advised = (recommendations.get(theme.code) or "").strip()
        if len(found) > MAX_ASSESSMENT_TEXT or len(advised) > MAX_ASSESSMENT_TEXT:
            problems[f"findings_{theme.code}"] = _("At most %(max)d characters.") % {
                "max": MAX_ASSESSMENT_TEXT
            }
            continue
        rows.append(
            ThemeScore(theme=theme.code, score=value, findings=found, recommendations=advised)
        )
    if problems:
        raise ValidationError(problems)
    fields: dict[str, object] = {
        "framework": framework,
        "assessed_on": assessed_on,
        "method": method,
        "conducted_by": conducted_by,
        "conducting_organisation": organisation,
    }
    return fields, rows


@service
def assessment_record(
    *,
    by: User,
    institution: SecurityInstitution,
    framework: str,
    assessed_on: date | None,
    conducted_by: str,
    scores: Mapping[str, int | None],
    findings: Mapping[str, str] | None = None,
    recommendations: Mapping[str, str] | None = None,
    method: str = "",
    conducting_organisation: str = "",
    assessment: InstitutionAssessment | None = None,
) -> InstitutionAssessment:
    """Record an institution's self-assessment, a score from 1 to 4 on every theme of its
    framework (scores by theme code), as a draft; or, with `assessment`, change a draft
    (every field and score given again). A published assessment is not changed."""
    access = PlanAccess.load(by, institution.plan)
    _require(access.can_manage_assessments(institution.organisation_id))
    if assessment is not None:
        if assessment.institution_id != institution.pk:
            raise PermissionDenied(_("You may not do this."))
        if assessment.is_published:
            raise ValidationError(
                _("A published assessment is not changed: record a new assessment instead.")
            )
    fields, rows = _assessment_clean(
        institution,
        framework=framework,
        assessed_on=assessed_on,
        method=method,
        conducted_by=conducted_by,
        conducting_organisation=conducting_organisation,
        scores=scores,
        findings=findings or {},
        recommendations=recommendations or {},
        assessment=assessment,
    )
    found = assessment or InstitutionAssessment(institution=institution, recorded_by=by)
    for key, value in fields.items():
        setattr(found, key, value)
    found.save()
    ThemeScore.objects.filter(assessment=found).delete()
    for row in rows:
        row.assessment = found
    ThemeScore.objects.bulk_create(rows)
    return found


@service
def assessment_publish(*, by: User, assessment: InstitutionAssessment) -> InstitutionAssessment:
    """Publish a draft: whoever reads the plan then reads it, and it is no longer changed."""
    institution = assessment.institution
    _require(
        PlanAccess.load(by, institution.plan).can_manage_assessments(institution.organisation_id)
    )
    if assessment.is_published:
        raise ValidationError(_("The assessment is already published."))
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.save(update_fields=["status", "published_at", "updated_at"])
    return assessment


@service
def assessment_remove(*, by: User, assessment: InstitutionAssessment) -> None:
    """Remove a draft (a published assessment stays: others may have read and cited it)."""
    institution = assessment.institution
    _require(
        PlanAccess.load(by, institution.plan).can_manage_assessments(institution.organisation_id)
    )
    if assessment.is_published:
        raise ValidationError(_("A published assessment is not removed."))
    assessment.delete()
