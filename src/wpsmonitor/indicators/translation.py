"""The indicators' texts in several languages (docs/languages.md, "Content in several
languages"): a column a language, falling back to the plan's original language."""

from modeltranslation.translator import TranslationOptions, register

from wpsmonitor.indicators.models import DimensionOption, Indicator


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("title", "definition", "unit", "means_of_verification")


@register(DimensionOption)
class DimensionOptionTranslation(TranslationOptions):
    fields = ("name",)
