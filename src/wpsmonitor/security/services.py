"""Writes of the security-sector module (docs/security-sector.md). Every function checks the
caller's rights (PlanAccess) itself; refusals raise PermissionDenied, bad input ValidationError
(keyed by field where there is one), and nothing is changed in either case."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wpsmonitor.accounts.access import PlanAccess
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
    DeskCases,
    DeskStatus,
    InstitutionAssessment,
    InstitutionKind,
    PackageAdoption,
    SecurityInstitution,
    ThemeScore,
    WomensDesk,
)

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


# Editing an institution (docs/security-sector.md, "Editing") ------------------------------


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
