"""The plans' texts in several languages (docs/languages.md, "Content in several languages"):
django-modeltranslation adds a column a language (title_en, title_fr...); the text in the
plan's original language is the one every other falls back to (core/translated.py)."""

from modeltranslation.translator import TranslationOptions, register

from wpsmonitor.plans.models import FrameworkNode, Plan


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title",)


@register(FrameworkNode)
class FrameworkNodeTranslation(TranslationOptions):
    fields = ("title",)
