"""Recommendations in several languages (docs/languages.md, "Content in several languages"):
a column a language, falling back to the plan's original language."""

from modeltranslation.translator import TranslationOptions, register

from wpsmonitor.accountability.models import Recommendation


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("text",)
