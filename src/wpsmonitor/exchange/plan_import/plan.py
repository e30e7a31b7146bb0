"""The Plan sheet: the plan's own fields, one per row (field, value)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wpsmonitor.core.translated import language_codes
from wpsmonitor.exchange import formats as f
from wpsmonitor.exchange.export import plan_fields
from wpsmonitor.exchange.plan_import.reader import PlanReader, text
from wpsmonitor.plans.models import (
    DISCLOSURE_THRESHOLD_DEFAULT,
    Plan,
    PlanKind,
    PlanStatus,
    disclosure_threshold_validate,
)
from wpsmonitor.plans.resolving import alignment_references_clean, civil_society_roles_clean
from wpsmonitor.plans.services import RESERVED_PLAN_CODES

SHEET = "Plan"
Field = tuple[int, Any]  # (row, value) of one plan field


def plan_fields_load(reader: PlanReader) -> Plan | None:
    """Create or update the plan from its fields; None when a field is refused.

    A field the workbook leaves out (no row on the Plan sheet, no key in JSON) leaves an
    existing plan's field as it is; only a field given blank clears it (issue 12). A new plan
    takes the defaults for the fields left out.
    """
    sheet = SHEET
    fields = reader.sections.plan
    code = text(fields.get("code", (1, None))[1])
    existing = Plan.objects.filter(code=code).first() if code else None
    if existing is not None:
        # The fields left out are read as the plan holds them, so they stay as they are.
        # The original language's own column is not held: `title` says it.
        fields = {
            name: (1, value)
            for name, value in plan_fields(existing).items()
            if name not in f.original_columns(f.PLAN_FIELDS, existing.original_language)
        } | fields

    def get(name: str) -> Field:
        return fields.get(name, (1, None))

    if not _plan_fields_complete(reader, fields):
        return None
    kind = reader.choice(sheet, get("kind")[0], "value", get("kind")[1], PlanKind)
    status = reader.choice(sheet, get("status")[0], "value", get("status")[1], PlanStatus, "draft")
    area = reader.area(sheet, get("area")[0], "value", get("area")[1])
    start = reader.date(sheet, get("start")[0], "value", get("start")[1])
    end = reader.date(sheet, get("end")[0], "value", get("end")[1])
    if start and end and end < start:
        reader.err(sheet, get("end")[0], "value", _("the plan ends before it starts"))
        end = None
    parent = _parent_read(reader, get("parent"))
    lead = reader.org(sheet, get("lead_organisation")[0], "value", get("lead_organisation")[1])
    generation = reader.whole(sheet, get("generation")[0], "value", get("generation")[1], None)
    adopted_on = reader.date(sheet, get("adopted_on")[0], "value", get("adopted_on")[1])
    languages = _languages_read(reader, get("languages"))
    if code.lower() in RESERVED_PLAN_CODES:
        reader.err(
            sheet,
            get("code")[0],
            "value",
            _("%(code)r is reserved; choose another plan code") % {"code": code},
        )
    roles = _plan_list(reader, sheet, get("civil_society_roles"), civil_society_roles_clean)
    alignment = _plan_list(reader, sheet, get("alignment_references"), alignment_references_clean)
    threshold = _threshold_read(reader, get("disclosure_threshold"))
    zeros_safe = reader.boolean(
        sheet, get("structural_zeros_safe")[0], "value", get("structural_zeros_safe")[1]
    )
    original = _original_language_read(reader, get("original_language"))
    if None in (kind, status, area, start, end, roles, alignment, threshold, original):
        return None
    assert original is not None
    # The title in the original language's column, the others in theirs (core/translated.py).
    given = {name: value for name, (_row, value) in fields.items()}
    titles = reader.texts(sheet, get("title")[0], given, "title", original)
    plan, _created = Plan.objects.update_or_create(
        code=code,
        defaults={
            "original_language": original,
            **titles,
            "kind": kind,
            "parent": parent,
            "area": area,
            "generation": generation,
            "start": start,
            "end": end,
            "adopted_on": adopted_on,
            "status": status,
            "lead_organisation": lead,
            "coordination_mechanism": text(get("coordination_mechanism")[1]),
            "languages": languages,
            "description": text(get("description")[1]),
            "document_url": text(get("document_url")[1]),
            "me_description": text(get("me_description")[1]),
            "civil_society_roles": roles,
            "alignment_references": alignment,
            "disclosure_threshold": threshold,
            "structural_zeros_safe": bool(zeros_safe),
        },
    )
    return plan


def _plan_fields_complete(reader: PlanReader, fields: dict[str, Field]) -> bool:
    """Unknown fields are listed as problems; False when a required field is empty."""
    known = {c.name for c in f.PLAN_FIELDS}
    for name, (row, _value) in fields.items():
        if name not in known:
            reader.err(
                SHEET,
                row,
                "field",
                f.unknown_column_message(name, f.PLAN_FIELDS)
                or _("unknown plan field %(name)r") % {"name": name},
            )
    ok = True
    for column in f.PLAN_FIELDS:
        row, value = fields.get(column.name, (1, None))
        if column.required and text(value) == "":
            reader.err(
                SHEET,
                row,
                "value",
                _("the plan field %(name)s is required") % {"name": column.name},
            )
            ok = False
    return ok


def _threshold_read(reader: PlanReader, field: Field) -> int | None:
    """The plan's disclosure threshold: blank is the default; below the floor is refused."""
    row, value = field
    threshold = reader.whole(SHEET, row, "value", value, None)
    if threshold is None:
        return None if text(value) else DISCLOSURE_THRESHOLD_DEFAULT
    try:
        disclosure_threshold_validate(threshold)
    except ValidationError as refused:
        reader.err(SHEET, row, "value", " ".join(refused.messages))
        return None
    return threshold


def _original_language_read(reader: PlanReader, field: Field) -> str | None:
    """One of the platform's languages; blank (a new plan leaving it out) is the default."""
    row, value = field
    code = text(value).lower() or settings.LANGUAGE_CODE
    if code not in language_codes():
        reader.err(
            SHEET,
            row,
            "value",
            _("%(code)r is not one of the platform's languages (%(all)s)")
            % {"code": text(value), "all": ", ".join(language_codes())},
        )
        return None
    return code


def _parent_read(reader: PlanReader, field: Field) -> Plan | None:
    row, value = field
    parent_code = text(value)
    if not parent_code:
        return None
    parent = Plan.objects.filter(code=parent_code).first()
    if parent is None:
        reader.err(SHEET, row, "value", _("unknown plan %(code)r") % {"code": parent_code})
    return parent


def _languages_read(reader: PlanReader, field: Field) -> list[str]:
    """ISO 639-1 codes separated by ; or , (an unknown one is listed as a problem and kept)."""
    row, value = field
    languages = [c.strip().lower() for c in re.split(r"[;,]", text(value)) if c.strip()]
    for code in languages:
        if pycountry.languages.get(alpha_2=code) is None:
            reader.err(
                SHEET,
                row,
                "value",
                _("%(code)r is not an ISO 639-1 language code") % {"code": code},
            )
    return languages


def _plan_list(
    reader: PlanReader,
    sheet: str,
    field: Field,
    clean: Callable[[Iterable[str] | None], list[str]],
) -> list[str] | None:
    """A ;-separated list of codes, checked by the plans service that owns the vocabulary."""
    row, value = field
    codes = [c.strip() for c in re.split(r"[;,]", text(value)) if c.strip()]
    try:
        return clean(codes)
    except ValidationError as error:
        for message in error.messages:
            reader.err(sheet, row, "value", message)
        return None
