"""Organisations' names in several languages (docs/languages.md, "Content in several
languages"): a column a language, falling back to the organisation's original language."""

from modeltranslation.translator import TranslationOptions, register

from wpsmonitor.directory.models import Organisation


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)
