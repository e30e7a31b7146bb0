"""How each indicator kind is aggregated (the kind sets the stages and the selectors share)."""

from __future__ import annotations

from wpsmonitor.indicators.models import IndicatorKind

# Kinds whose figure across areas is a mean, not a sum; they are not disaggregated.
MEAN_KINDS = {IndicatorKind.YES_NO, IndicatorKind.SCALE, IndicatorKind.MILESTONE}
# Kinds whose value is numerator / denominator x factor.
RATIO_KINDS = {IndicatorKind.PERCENTAGE, IndicatorKind.SHARE}
NOT_AGGREGATED = {IndicatorKind.NARRATIVE}
