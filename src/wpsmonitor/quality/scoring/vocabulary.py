"""The words of the quality score: the statuses, the groups of criteria, the pillars, and the
words looked for in a plan's own text (docs/quality.md lists them)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext_lazy

from wpsmonitor.plans.models import AlignmentFramework


class Status:
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS = {
    Status.MET: gettext_lazy("Met"),
    Status.PARTLY: gettext_lazy("Partly met"),
    Status.NOT_MET: gettext_lazy("Not met"),
    Status.NOT_APPLICABLE: gettext_lazy("Does not apply"),
}

GROUPS = [
    ("oecd", gettext_lazy("OECD/SIGMA: quality of the operational action plan")),
    ("wilpf", gettext_lazy("PeaceWomen/WILPF flags")),
    ("content", gettext_lazy("Coverage, localisation and data")),
]

CORE_PILLARS = [
    ("participation", gettext_lazy("Participation")),
    ("protection", gettext_lazy("Protection")),
    ("prevention", gettext_lazy("Prevention")),
    ("relief_recovery", gettext_lazy("Relief and recovery")),
]
# A pillar holding more than this share of the actions unbalances the plan.
BALANCE_MAX_SHARE = 0.5

# Words and phrases, compared without accents or case, on whole words. Several languages,
# because plans are written in their country's language (docs/quality.md lists them).
DISARMAMENT_TERMS = [
    # English
    "disarmament", "disarm", "arms", "weapon", "weapons", "firearm", "firearms", "salw",
    "demobilisation", "demobilization", "ddr", "landmine", "landmines", "mine action",
    # French
    "desarmement", "armes", "arme a feu", "alpc", "demobiliser", "mines antipersonnel",
    # Spanish and Portuguese
    "desarme", "armas", "desmovilizacion", "desarmamento", "desmobilizacao",
    # Swahili
    "silaha",
]  # fmt: skip
EARLY_WARNING_TERMS = [
    "early warning",  # English (hyphens are read as spaces)
    "alerte precoce", "alerte rapide",  # French
    "alerta temprana", "alerta precoz",  # Spanish
    "alerta precoce", "alerta antecipado",  # Portuguese
    "tahadhari ya mapema",  # Swahili
]  # fmt: skip
# Catalogue vocabularies of Indicator.references that count as an alignment (indicators/catalogues).
ALIGNMENT_VOCABULARIES = {AlignmentFramework.CEDAW: "cedaw-gr30", AlignmentFramework.SDG: "sdg"}


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: "Désarmement" -> "desarmement"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[-\u2010-\u2015'\u2019_/]+", " ", plain)


def _terms_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted({normalise(t) for t in terms}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in ordered) + r")\b")


DISARMAMENT = _terms_pattern(DISARMAMENT_TERMS)
EARLY_WARNING = _terms_pattern(EARLY_WARNING_TERMS)


def mentions(pattern: re.Pattern[str], *texts: str) -> bool:
    return any(pattern.search(normalise(t)) for t in texts if t)
