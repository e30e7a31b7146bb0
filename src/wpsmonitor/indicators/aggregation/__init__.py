"""The aggregate engine: rebuilds a plan's AggregateValue and NodeProgress rows from raw data.

Semantics (also in docs/computations.md)
----------------------------------------
Raw facts are DataValue rows (indicator, period, area, cell, source); a list indicator's raw fact
is the number of its ListItem rows per (period, area, source). Formula and share indicators have
no raw values. Only values at the indicator's frequency are aggregated (a yearly value on a
quarterly indicator would be counted twice under SUM); narrative indicators are not aggregated.

1. Time, per series (indicator x area x cell x source): every raw period also feeds each coarser
   standard period containing it (month -> quarter -> semester -> year) and "ALL", the plan to
   date. SUM adds periods; LAST takes the latest sub-period that has data; AVERAGE is the mean of
   the sub-periods that have data; NONE feeds no coarser period and no "ALL". A percentage applies
   the rule to numerator and denominator separately and divides only at the end.
2. Cells: cell_key "" is the total over all cells, "dim=opt" the one-dimension margin (the sum of
   the cells having that option). Full cross-tabs are computed on demand by
   selectors.indicator_table, not stored (that would triple the table for 16-cell schemes).
3. Areas (DHIS2): an area's figure is the sum over its subtree (its own values plus every
   descendant's), of the per-series figures of step 1. The ingest refuses a figure for an
   area whose sub-areas (or an area above) have one for the same indicator, period, cell and
   source, so the sum never counts one figure twice. Yes/no, scale and milestone indicators
   take the mean over the areas of the subtree that have a value instead (for yes/no: the share
   of areas saying yes) and are not disaggregated. Areas are limited to the plan's area subtree.
4. Percentages and shares: value = sum of numerators / sum of denominators x factor.
   Share indicators: numerator = the share_of indicator's cells with share_dimension =
   share_option, denominator = all its cells, same period, area and source (after step 1 for the
   share_of indicator's rule); for the total and per margin of every other dimension
   (e.g. women's share per rank: "rank=inspector").
5. Formula indicators: numerator_formula and denominator_formula over other indicators' totals
   ("{CODE}"), per (period, area, source); value = numerator / denominator x factor, or
   numerator x factor when there is no denominator formula. Unknown codes, missing values and
   division by zero give no value (no row); formulas in a reference cycle give no value.
6. Targets and achievement: the target is the Target row for the same period, area and cell
   (the cell "total" for cell_key "", the cell with the same code for a one-dimension scheme's
   margin); for "ALL" the target with the latest period for that area and cell, for levels
   only: a flow (SUM/AVERAGE) has no target at "ALL", its running total is never measured
   against a one-year target. Targets are not
   rolled up or split: a province without its own target has no achievement. The baseline is
   the Baseline row for the indicator, area and cell. Achievement, stored uncapped:
   increase: (actual - baseline) / (target - baseline), baseline 0 if none;
   decrease: the same formula, but only with a baseline (progress from an unknown start is
   unknown); none when target == baseline; maintain: 1 when actual >= target, else
   actual / target; yes/no: the value itself (0..1). Capping to [0, 1] happens in roll-ups.
7. Framework roll-up (NodeProgress): per node and per plan (node null), per period, area and
   source: the mean of the capped achievements of the indicators in the node's subtree that
   have one (total cell), with the count measured and the count of indicators (narratives
   excluded). Action counts depend on today's date and are computed live by selectors.
8. Sources are never merged: every figure is per source.

How: the heavy lifting is set-based SQL over temporary tables (time, then cells, then areas),
portable between SQLite and PostgreSQL except for the LAST pick. The new rows replace the
plan's old rows in one short transaction, so readers see either the old or the new figures.

Modules, in the order a rebuild runs them (rebuild.py drives them):
  kinds.py, periods.py  the kind sets and period codes the stages and the selectors share
  workspace.py   the temporary tables and views, and the state the stages share
  planning.py    what to compute: the plan's indicators, a partial rebuild's scope, and the
                 small mapping tables built in Python (dimensions.py: periods, areas, cells;
                 achievement.py: targets and baselines; framework.py: the framework tree)
  computing.py   steps 1-3: time rules, cells and areas, as set-based SQL
  derived.py     steps 4-5: shares and formulas
  achievement.py step 6: the value and achievement of every finished row (SQL)
  framework.py   step 7: the roll-up of achievements up the framework tree
  publishing.py  writes AggregateValue and NodeProgress in one transaction
"""

from wpsmonitor.indicators.aggregation.kinds import MEAN_KINDS, NOT_AGGREGATED, RATIO_KINDS
from wpsmonitor.indicators.aggregation.periods import ALL_PERIODS, period_sort_key
from wpsmonitor.indicators.aggregation.rebuild import rebuild_plan_aggregates
from wpsmonitor.indicators.aggregation.workspace import Progress

__all__ = [
    "ALL_PERIODS",
    "MEAN_KINDS",
    "NOT_AGGREGATED",
    "RATIO_KINDS",
    "Progress",
    "period_sort_key",
    "rebuild_plan_aggregates",
]
