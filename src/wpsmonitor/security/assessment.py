"""The themes of the self-assessment frameworks (docs/security-sector.md, "Self-assessment"):
reference data, fixed in code, shown translated.

- DCAF's Gender Self-Assessment Guide for the Police, Armed Forces and Justice Sector (Bastick,
  DCAF 2011) gathers its 16 dimensions of gender responsiveness into six themes.
- The Elsie Initiative's MOWIP method (Measuring Opportunities for Women in Peace Operations,
  DCAF and Cornell University, 2020) measures ten issue areas, each a barrier to or an
  opportunity for uniformed women's meaningful participation in peace operations.

Every theme is scored on one declared scale, 1 to 4 (SCALE below): the guide and the method
leave the scoring to the team, and one scale lets a theme be followed from one assessment to the
next whichever team scored it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wpsmonitor.security.models import (
    ASSESSMENT_SCALE_HIGH,
    ASSESSMENT_SCALE_LOW,
    AssessmentFramework,
)


@dataclass(frozen=True)
class Theme:
    code: str
    name: Promise
    hint: Promise


THEMES: dict[str, tuple[Theme, ...]] = {
    AssessmentFramework.DCAF: (
        Theme(
            "performance",
            _("Performance effectiveness"),
            _("Meeting the different security and justice needs of women, men, girls and boys."),
        ),
        Theme(
            "laws_policies",
            _("Laws, policies and planning"),
            _("Gender in the institution's laws, policies, plans and budgets."),
        ),
        Theme(
            "community",
            _("Community relations"),
            _("Relations with women, men and civil society, women's organisations included."),
        ),
        Theme(
            "accountability",
            _("Accountability and oversight"),
            _("Complaints, discipline and oversight of sexual harassment and abuse."),
        ),
        Theme(
            "personnel",
            _("Personnel"),
            _("Recruitment, retention, promotion, pay and conditions of women and men."),
        ),
        Theme(
            "culture",
            _("Institutional culture"),
            _("Attitudes, leadership and the working environment."),
        ),
    ),
    AssessmentFramework.MOWIP: (
        Theme(
            "eligible_pool",
            _("Eligible pool"),
            _("Enough women in the institution to deploy."),
        ),
        Theme(
            "deployment_criteria",
            _("Deployment criteria"),
            _("Whether the criteria for deployment suit women as well as men."),
        ),
        Theme(
            "deployment_selection",
            _("Deployment selection"),
            _("Whether everyone has a fair chance to be chosen for deployment."),
        ),
        Theme(
            "household_constraints",
            _("Household constraints"),
            _("Whether there are arrangements for children and families during deployment."),
        ),
        Theme(
            "infrastructure",
            _("Peace operations infrastructure"),
            _("Whether accommodation, equipment and health care meet women's needs."),
        ),
        Theme(
            "experiences",
            _("Peace operations experiences"),
            _("Whether the experiences of women and men on deployment are positive."),
        ),
        Theme(
            "career_value",
            _("Career value"),
            _("Whether deployment helps women's careers as it does men's."),
        ),
        Theme(
            "leadership",
            _("Top-down leadership"),
            _("Whether the leaders support women's deployment."),
        ),
        Theme(
            "gender_roles",
            _("Gender roles"),
            _("Whether ideas of women's and men's roles hold women back."),
        ),
        Theme(
            "social_exclusion",
            _("Social exclusion"),
            _("Whether women are treated as equal members of the institution."),
        ),
    ),
}

SCALE: tuple[tuple[int, Promise], ...] = (
    (1, _("1: a major barrier; nothing in place")),
    (2, _("2: a barrier; first steps taken")),
    (3, _("3: partly in place; progress made")),
    (4, _("4: in place; an opportunity")),
)
assert SCALE[0][0] == ASSESSMENT_SCALE_LOW and SCALE[-1][0] == ASSESSMENT_SCALE_HIGH


def themes_of(framework: str) -> tuple[Theme, ...]:
    return THEMES.get(framework, ())


def theme_name(framework: str, code: str) -> str:
    for theme in themes_of(framework):
        if theme.code == code:
            return str(theme.name)
    return code


def score_field(theme: str) -> str:
    """The name of a theme's score in forms and in a service's refusal."""
    return f"score_{theme}"
