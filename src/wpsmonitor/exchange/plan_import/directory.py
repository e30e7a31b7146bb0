"""The Organisations and Areas sheets: the organisations and sub-national areas a plan names."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.core.translated import column as language_column
from wpsmonitor.core.translated import language_codes, shown
from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.directory.services import area_subdivision_ensure
from wpsmonitor.exchange import formats as f
from wpsmonitor.exchange.export import area_row, organisation_row
from wpsmonitor.exchange.plan_import.reader import PlanReader, text, with_held


def organisations_load(reader: PlanReader) -> None:
    sheet = "Organisations"
    types = [t.value for t in OrganisationType]
    for row, given in reader.rows(sheet):
        existing = Organisation.objects.filter(code=text(given.get("code"))).first()
        language = _original_language_read(reader, row, given, existing)
        data = with_held(given, f.ORGANISATIONS, partial(_held_organisation, existing, language))
        if not reader.required(sheet, row, data, "code", "name", "type") or language is None:
            continue
        kind = reader.choice(sheet, row, "type", data.get("type"), types)
        country = reader.area(sheet, row, "country", data.get("country"))
        flags = {
            flag: bool(reader.boolean(sheet, row, flag, data.get(flag)))
            for flag in ("women_led", "grassroots", "youth_led")
        }
        # The name in the organisation's original language, the others in theirs (not in the
        # language the import runs in).
        names = reader.texts(sheet, row, data, "name", language)
        if kind is None:
            continue
        org, _created = Organisation.objects.update_or_create(
            code=text(data["code"]),
            defaults={
                **names,
                "original_language": language,
                "acronym": text(data.get("acronym")),
                "type": kind,
                "country": country,
                "iati_ref": text(data.get("iati_ref")),
                **flags,
            },
        )
        reader.orgs[org.code] = org


def areas_load(reader: PlanReader) -> None:
    sheet = "Areas"
    for row, given in reader.rows(sheet):
        data = with_held(given, f.AREAS, _held_area)
        if not reader.required(sheet, row, data, "code", "parent"):
            continue
        parent = reader.area(sheet, row, "parent", data.get("parent"))
        if parent is None:
            continue
        depth = reader.whole(sheet, row, "level", data.get("level"), None) or (
            parent.level.depth + 1
        )
        if not 2 <= depth <= 4:
            reader.err(sheet, row, "level", _("the level must be 2, 3 or 4"))
            continue
        try:
            area = area_subdivision_ensure(
                parent=parent, code=text(data["code"]), name=text(data.get("name")), depth=depth
            )
        except ValueError as exc:
            reader.err(sheet, row, "code", str(exc))
            continue
        name = text(data.get("name"))
        urban = reader.boolean(sheet, row, "is_urban", data.get("is_urban"))
        if (name and area.name != name) or area.is_urban != urban:
            area.name = name or area.name
            area.is_urban = urban
            Area.objects.filter(pk=area.pk).update(name=area.name, is_urban=urban)


def _original_language_read(
    reader: PlanReader, row: int, data: dict[str, Any], existing: Organisation | None
) -> str | None:
    """The organisation's original language: the row's; when blank or left out, an existing
    organisation's own, else the plan's (a new organisation named by the plan's file). None
    when refused."""
    code = text(data.get("original_language")).lower()
    if not code:
        return existing.original_language if existing else reader.plan_language()
    if code not in language_codes():
        reader.err(
            "Organisations",
            row,
            "original_language",
            _("%(code)r is not one of the platform's languages (%(all)s)")
            % {"code": text(data.get("original_language")), "all": ", ".join(language_codes())},
        )
        return None
    return code


def _held_organisation(
    found: Organisation | None, language: str | None, _data: dict[str, Any]
) -> dict[str, Any] | None:
    """What an existing organisation holds, its names read against the row's original
    `language` (which may differ from the stored one: each other language keeps its text; the
    original language's own column is not held, `name` says it)."""
    if found is None:
        return None
    row = organisation_row(found)
    if language is None or language == found.original_language:
        return {
            k: v
            for k, v in row.items()
            if k not in f.original_columns(f.ORGANISATIONS.columns, found.original_language)
        }
    row["name"] = shown(found, "name", language, original=found.original_language).text
    for code in language_codes():
        row[language_column("name", code)] = getattr(found, language_column("name", code)) or ""
    del row[language_column("name", language)]
    return row


def _held_area(data: dict[str, Any]) -> dict[str, Any] | None:
    found = Area.objects.filter(code=text(data.get("code"))).select_related("level").first()
    return None if found is None else area_row(found)
