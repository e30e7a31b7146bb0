"""The plan quality scorecard: an automatic, explained score from a plan's own structured content.

Every criterion (docs/quality.md gives each rule) is met, partly met (with the fraction) or not
met, says why in one sentence, and lists what is missing (the offending actions or indicators)
or links to where it is filled in. A criterion is worth one point; partly met earns its fraction.
The score is the points over the criteria that apply to the plan, as a percentage.

Facts are read for many plans at once with a fixed number of queries (`load_facts`), so the
cross-plan page costs the same whether it compares three plans or three hundred; the single-plan
page goes through the same code with a list of one.

The package, by concern: `vocabulary` (statuses, groups, pillars, the words looked for), `facts`
(what is read, in bulk), `card` (a criterion's result, the scorecard, the helpers criteria share),
the criteria by family as docs/quality.md groups them (`oecd`, `wilpf`, `content`),
`assessment` (all criteria in order, one plan's scorecard) and `comparison` (across plans).
The names below are what pages, the API and tests use.
"""

from wpsmonitor.quality.scoring.assessment import CRITERIA, assess, plan_scorecard
from wpsmonitor.quality.scoring.card import Criterion, Item, Link, Scorecard
from wpsmonitor.quality.scoring.comparison import (
    Comparison,
    Statistic,
    compare,
    compared_plans,
    score_text,
)
from wpsmonitor.quality.scoring.facts import IndicatorFact, NodeFact, PlanFacts, load_facts
from wpsmonitor.quality.scoring.vocabulary import (
    ALIGNMENT_VOCABULARIES,
    BALANCE_MAX_SHARE,
    CORE_PILLARS,
    DISARMAMENT,
    DISARMAMENT_TERMS,
    EARLY_WARNING,
    EARLY_WARNING_TERMS,
    GROUPS,
    STATUS_LABELS,
    Status,
    mentions,
    normalise,
)

__all__ = [
    "ALIGNMENT_VOCABULARIES",
    "BALANCE_MAX_SHARE",
    "CORE_PILLARS",
    "CRITERIA",
    "DISARMAMENT",
    "DISARMAMENT_TERMS",
    "EARLY_WARNING",
    "EARLY_WARNING_TERMS",
    "GROUPS",
    "STATUS_LABELS",
    "Comparison",
    "Criterion",
    "IndicatorFact",
    "Item",
    "Link",
    "NodeFact",
    "PlanFacts",
    "Scorecard",
    "Statistic",
    "Status",
    "assess",
    "compare",
    "compared_plans",
    "load_facts",
    "mentions",
    "normalise",
    "plan_scorecard",
    "score_text",
]
