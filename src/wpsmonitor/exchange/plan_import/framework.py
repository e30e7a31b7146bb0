"""The Levels and Framework sheets: the framework levels and its nodes (pillars to actions)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.exchange.formats import FRAMEWORK
from wpsmonitor.exchange.plan_import.reader import PlanReader, text
from wpsmonitor.plans.models import DEFAULT_LEVELS, ActionStatus, FrameworkLevel, FrameworkNode
from wpsmonitor.plans.proposals import changes_offer, texts_before
from wpsmonitor.plans.services import NODE_PROPOSED


def levels_load(reader: PlanReader) -> None:
    sheet = "Levels"
    assert reader.plan is not None
    rows = reader.rows(sheet)
    if not rows:
        if not reader.plan.levels.exists():
            for depth, (code, name, holds) in enumerate(DEFAULT_LEVELS, start=1):
                FrameworkLevel.objects.create(
                    plan=reader.plan, depth=depth, code=code, name=str(name), holds_actions=holds
                )
        return
    deepest = max((reader.whole(sheet, r, "depth", d.get("depth")) or 0) for r, d in rows)
    for row, data in rows:
        if not reader.required(sheet, row, data, "depth", "code", "name"):
            continue
        depth = reader.whole(sheet, row, "depth", data.get("depth"))
        holds_given = reader.boolean(sheet, row, "holds_actions", data.get("holds_actions"))
        FrameworkLevel.objects.update_or_create(
            plan=reader.plan,
            depth=depth,
            defaults={
                "code": text(data["code"]),
                "name": text(data["name"]),
                "holds_actions": depth == deepest if holds_given is None else holds_given,
            },
        )


def framework_load(reader: PlanReader) -> None:
    sheet = "Framework"
    assert reader.plan is not None
    levels = {lvl.code: lvl for lvl in reader.plan.levels.all()}
    reader.nodes = {n.code: n for n in reader.plan.nodes.all()}
    statuses = [s.value for s in ActionStatus]
    for row, data in reader.rows(sheet):
        if not reader.required(sheet, row, data, "code", "level", "title"):
            continue
        code = text(data["code"])
        level = levels.get(text(data["level"]))
        if level is None:
            reader.err(
                sheet,
                row,
                "level",
                _("unknown level %(code)r (the plan's levels are %(all)s)")
                % {"code": text(data["level"]), "all": ", ".join(levels)},
            )
            continue
        parent = None
        parent_code = text(data.get("parent"))
        if parent_code:
            parent = reader.nodes.get(parent_code)
            if parent is None:
                reader.err(
                    sheet,
                    row,
                    "parent",
                    _("unknown node %(code)r (parents come before their children)")
                    % {"code": parent_code},
                )
                continue
            if parent.level.depth >= level.depth:
                reader.err(
                    sheet,
                    row,
                    "level",
                    _("a %(level)s cannot sit under a %(parent)s")
                    % {"level": level.code, "parent": parent.level.code},
                )
                continue
        status = reader.choice(sheet, row, "status", data.get("status"), statuses, "not_started")
        percent = reader.whole(sheet, row, "percent_complete", data.get("percent_complete"), None)
        if percent is not None and percent > 100:
            reader.err(sheet, row, "percent_complete", _("a percentage of completion is 0 to 100"))
        start = reader.date(sheet, row, "planned_start", data.get("planned_start"))
        end = reader.date(sheet, row, "planned_end", data.get("planned_end"))
        if start and end and end < start:
            reader.err(sheet, row, "planned_end", _("the action ends before it starts"))
        responsible = reader.org(
            sheet, row, "responsible_organisation", data.get("responsible_organisation")
        )
        partners = [
            reader.org(sheet, row, "partner_organisations", code)
            for code in text(data.get("partner_organisations")).split(";")
            if code.strip()
        ]
        node = reader.nodes.get(code)
        new = node is None
        if node is None:
            node = FrameworkNode(plan=reader.plan, code=code)
        # A national node's wording changed by the re-import is offered to its local copies.
        before = texts_before(node, NODE_PROPOSED)
        node.parent = parent
        node.level = level
        # The title in the plan's original language, the others in theirs (not in the
        # language the import runs in).
        for name, value in reader.texts(
            sheet, row, data, "title", reader.plan.original_language
        ).items():
            setattr(node, name, value)
        # A column left out leaves an existing node's field as it is; a blank cell clears it.
        given = set(data) if not new else {column.name for column in FRAMEWORK.columns}
        optional: dict[str, Any] = {
            "description": text(data.get("description")),
            "order": reader.whole(sheet, row, "order", data.get("order")) or 0,
            "pillar_theme": text(data.get("pillar_theme")),
            "responsible_organisation": responsible,
            "planned_start": start,
            "planned_end": end,
            "status": status or ActionStatus.NOT_STARTED,
            "percent_complete": percent if percent is None or percent <= 100 else None,
        }
        for name, value in optional.items():
            if name in given:
                setattr(node, name, value)
        node.save()
        changes_offer(node, before)
        if "partner_organisations" in given:
            node.partner_organisations.set([p for p in partners if p is not None])
        reader.nodes[code] = node
