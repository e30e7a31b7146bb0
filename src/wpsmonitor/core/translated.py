"""Content in several languages: which text a reader sees, and where a write goes.

The texts registered in the apps' `translation.py` (django-modeltranslation) have a column a
language: `title_en`, `title_fr`, `title_es`, `title_ar`. Each object knows the language its
texts were written in, `original_language` (a field of plans and organisations; a property of
what belongs to a plan: its nodes, indicators, recommendations and dimension options).

The rule, in this one place (docs/languages.md, "Content in several languages"):

- a reader reads the text in their language when there is one;
- else the text in the original language, shown as such ("Shown in French: no Spanish text
  yet"), never silently;
- a write goes to the original language's column unless a language is chosen.

`obj.title` (modeltranslation's own reading: the active language, then every language in the
order of settings.LANGUAGES) stays for the places that do not go through here yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


class HasOriginalLanguage(Protocol):
    @property
    def original_language(self) -> str: ...


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def reader_language() -> str:
    """The active language as one of settings.LANGUAGES ("fr-ca" reads "fr")."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in language_codes() else settings.LANGUAGE_CODE


# Languages that write the names of languages in lower case inside a sentence (Django's own
# names are capitalised in Spanish: "Inglés"). A fifth language may need adding here.
LOWER_CASE_LANGUAGE_NAMES = {"fr", "es"}


def language_name(code: str) -> str:
    """A language's name in the reader's language, as inside a sentence ("French",
    "français", "francés")."""
    name = str(translation.get_language_info(code)["name_translated"])
    return name.lower() if reader_language() in LOWER_CASE_LANGUAGE_NAMES else name


@dataclass(frozen=True)
class Shown:
    """A text as shown to a reader: the text, its language and the language the reader wanted."""

    text: str
    language: str
    wanted: str

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.language != self.wanted

    @property
    def direction(self) -> str:
        return "rtl" if translation.get_language_info(self.language)["bidi"] else "ltr"

    def note(self) -> str:
        """ "Shown in French: no Spanish text yet", or "" when the reader has their language."""
        if not self.is_fallback:
            return ""
        return _("Shown in %(shown)s: no %(wanted)s text yet") % {
            "shown": language_name(self.language),
            "wanted": language_name(self.wanted),
        }

    def __str__(self) -> str:
        return self.text


def column(field: str, language: str) -> str:
    return f"{field}_{language}"


def shown(obj: Any, field: str, language: str | None = None, original: str | None = None) -> Shown:
    """The text of `obj.<field>` for a reader of `language` (default: the active language).
    `original`: the object's original language when the caller knows it (a page listing a
    plan's nodes), sparing the look-up of its plan."""
    wanted = language or reader_language()
    text = getattr(obj, column(field, wanted), None)
    if text:
        return Shown(text, wanted, wanted)
    original = original or obj.original_language
    # The original first; then any other language that has a text (an original language
    # changed after the texts were written).
    for code in [original, *language_codes()]:
        text = getattr(obj, column(field, code), None)
        if text:
            return Shown(text, code, wanted)
    return Shown("", wanted, wanted)


def written_in(language: str, **texts: Any) -> dict[str, Any]:
    """Keyword arguments storing each text in `language`'s column: title="X" → title_fr="X",
    for `Model.objects.create(...)` or `setattr`."""
    if language not in language_codes():
        raise ValueError(f"{language!r} is not one of the platform's languages")
    return {column(field, language): value for field, value in texts.items()}


def text_set(obj: HasOriginalLanguage, field: str, value: Any, language: str | None = None) -> None:
    """Write `obj.<field>` in `language`, by default the object's original language (not the
    editing user's: a form edits the original text unless a language is chosen)."""
    for name, text in written_in(language or obj.original_language, **{field: value}).items():
        setattr(obj, name, text)


def marked_html(shown_text: Shown) -> str:
    """The text as HTML, marked with its language and direction when it falls back, without the
    note: a cell of a table or an item of a list whose note is said once (`fallback_note`)."""
    text = escape(shown_text.text).replace("\n", "<br>")
    if not shown_text.is_fallback:
        return text
    return f'<span lang="{shown_text.language}" dir="{shown_text.direction}">{text}</span>'


def fallback_note(texts: Iterable[Shown]) -> str:
    """One note for a table or a list of texts, some of which fall back ("Some texts are shown
    in English: no Spanish text yet"), or "" when none does: a note per row would flood it."""
    languages = list(dict.fromkeys(t.language for t in texts if t.is_fallback))
    if not languages:
        return ""
    wanted = reader_language()
    # Texts of several original languages (plans written in French and in English side by side)
    # name each; the common case is one.
    return _("Some texts are shown in %(shown)s: no %(wanted)s text yet") % {
        "shown": pgettext("list separator", ", ").join(language_name(code) for code in languages),
        "wanted": language_name(wanted),
    }


def shown_html(shown_text: Shown) -> str:
    """The text as HTML: escaped; when it falls back, marked with its language and direction and
    followed by the note (the pages' {% translated %} tag and the tree written in Python)."""
    text = escape(shown_text.text).replace("\n", "<br>")
    if not shown_text.is_fallback:
        return text
    return (
        f'<span lang="{shown_text.language}" dir="{shown_text.direction}">{text}</span> '
        f'<small class="translation-note">({escape(shown_text.note())})</small>'
    )


def texts_by_language(obj: Any, *fields: str) -> dict[str, dict[str, str | None]]:
    """Every language's text of each field, as the API returns it (`translations`):
    {"title": {"en": "...", "fr": "...", "es": None, "ar": None}}; None where there is none."""
    return {
        field: {code: getattr(obj, column(field, code), None) or None for code in language_codes()}
        for field in fields
    }


def translations_check(texts: dict[str, dict[str, str]], fields: tuple[str, ...]) -> None:
    """Refuse a field that has no languages or a language the platform does not have
    (ValueError, its message for people)."""
    for field, by_language in texts.items():
        if field not in fields:
            raise ValueError(
                _("%(field)r has no texts in several languages (these do: %(all)s)")
                % {"field": field, "all": ", ".join(fields)}
            )
        for code in by_language:
            if code not in language_codes():
                raise ValueError(
                    _("%(code)r is not one of the platform's languages (%(all)s)")
                    % {"code": code, "all": ", ".join(language_codes())}
                )
