"""What the Django admin may do: it is for structure (plans, areas, organisations, indicators,
sources), never for anyone's drafts, and it deletes nothing that has history.

Deleting a plan, a node, an indicator or a value in the admin cascaded to submissions, evidence
files and published values without an audit row; deleting a user dropped their name from the
history they made. Such changes go through the pages and services, which check rights and keep
the history; the admin only shows these rows (docs/architecture.md, "The admin").
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.db.models import Field, Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.translator import translator

_M = TypeVar("_M", bound=Model)


class NoDeleteAdmin:
    """A ModelAdmin mixin: rows are kept (no delete view, no "delete selected" action)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    """A ModelAdmin mixin: rows are shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OriginalLanguageForm(forms.ModelForm):  # type: ignore[type-arg]
    """The admin form of a model with texts in several languages: the text of a required field
    (a title, a name) is required in the object's original language, not in English
    (modeltranslation requires the first language's, which a French plan may not have)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        language = _original_language(self.instance, data)
        if language is None:
            return data
        options = translator.get_options_for_model(self._meta.model)
        for name in options.all_fields:
            if self._meta.model._meta.get_field(name).blank:
                continue
            column = f"{name}_{language}"
            if column in self.fields and not data.get(column):
                self.add_error(
                    column,
                    _("The text in the original language (%(language)s) is required.")
                    % {"language": language},
                )
        return data


def _original_language(instance: Any, data: dict[str, Any]) -> str | None:
    """The language the object's texts are written in: its own field (plans, organisations),
    else its plan's (nodes, indicators); None when not known yet."""
    if data.get("original_language"):
        return str(data["original_language"])
    if data.get("plan") is not None:
        return str(data["plan"].original_language)
    try:
        return str(instance.original_language)
    except AttributeError:  # a new node or indicator without its plan yet
        return None


class TranslatedAdmin(TranslationAdmin[_M]):
    """A ModelAdmin editing each language's text (modeltranslation: title_en, title_fr...), the
    original language's required instead of English's. Without tabs: modeltranslation's tabs
    load jQuery UI from a CDN, which the admin's pages do not."""

    form = OriginalLanguageForm

    def __init__(self, model: type[_M], admin_site: admin.AdminSite) -> None:
        if model not in translator.get_registered_models():
            # Django set up for mypy registers no translations (settings.py): a plain admin.
            admin.ModelAdmin.__init__(self, model, admin_site)
            return
        super().__init__(model, admin_site)

    def patch_translation_field(
        self, db_field: Field[Any, Any], field: forms.Field, request: HttpRequest, **kwargs: Any
    ) -> None:
        super().patch_translation_field(db_field, field, request, **kwargs)
        if getattr(db_field, "translated_field", None) is not None:
            field.required = False  # the form asks for the original language's text


class TranslatedTabularInline(TranslationTabularInline[_M, Any]):
    """An inline editing each language's text, none required: the original language's is
    checked by OriginalLanguageForm."""

    form = OriginalLanguageForm

    def patch_translation_field(
        self, db_field: Field[Any, Any], field: forms.Field, request: HttpRequest, **kwargs: Any
    ) -> None:
        super().patch_translation_field(db_field, field, request, **kwargs)
        if getattr(db_field, "translated_field", None) is not None:
            field.required = False
