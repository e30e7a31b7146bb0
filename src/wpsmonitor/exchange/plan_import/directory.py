"""The Organisations and Areas sheets: the organisations and sub-national areas a plan names."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.directory.services import area_subdivision_ensure
from wpsmonitor.exchange import formats as f
from wpsmonitor.exchange.export import area_row, organisation_row
from wpsmonitor.exchange.plan_import.reader import PlanReader, text, with_held


def organisations_load(reader: PlanReader) -> None:
    sheet = "Organisations"
    types = [t.value for t in OrganisationType]
    for row, given in reader.rows(sheet):
        data = with_held(given, f.ORGANISATIONS, _held_organisation)
        if not reader.required(sheet, row, data, "code", "name", "type"):
            continue
        kind = reader.choice(sheet, row, "type", data.get("type"), types)
        country = reader.area(sheet, row, "country", data.get("country"))
        flags = {
            flag: bool(reader.boolean(sheet, row, flag, data.get(flag)))
            for flag in ("women_led", "grassroots", "youth_led")
        }
        if kind is None:
            continue
        org, _created = Organisation.objects.update_or_create(
            code=text(data["code"]),
            defaults={
                "name": text(data["name"]),
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


def _held_organisation(data: dict[str, Any]) -> dict[str, Any] | None:
    found = Organisation.objects.filter(code=text(data.get("code"))).first()
    return None if found is None else organisation_row(found)


def _held_area(data: dict[str, Any]) -> dict[str, Any] | None:
    found = Area.objects.filter(code=text(data.get("code"))).select_related("level").first()
    return None if found is None else area_row(found)
