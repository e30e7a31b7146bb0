"""The indicators' texts in several languages (docs/languages.md, "Content in several
languages"): a column a language, falling back to the plan's original language."""

from modeltranslation.translator import TranslationOptions, register

from wpsmonitor.indicators.models import DimensionOption, Indicator

# The indicator's texts with a column a language (also the API's `translations` and the
# workbook's language columns).
INDICATOR_TEXTS = ("title", "definition", "unit", "means_of_verification")


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = INDICATOR_TEXTS


@register(DimensionOption)
class DimensionOptionTranslation(TranslationOptions):
    fields = ("name",)
