"""Moving in, in the demo (docs/moving-in.md, "The demo"): the legacy export of a secretariat
that kept its data elsewhere, moved into the national plan through the mapping sheet.

Two files, invented but shaped as such exports are:

- `sigma1325-export.json`: another monitoring app's JSON export (its records under "data"),
  in French: the police's human-resources census of 30 June 2026 by province, sex and rank
  (PAR-07), the provinces spelled as the app spells them ("Nord Kivu", "Sud-Kivou", "Ville de
  Kinshasa"), the ranks as its rank categories ("Officiers supérieurs", "Agents de police").
- `ministere-genre-textes.xlsx`: the Ministry of Gender's spreadsheet of texts adopted (PRO-08),
  one sheet a year as the ministry keeps it, each year listing again the texts still in force.

The coordinator's first run (a dry run) gives the mapping sheet; the coordinator fills it
(COORDINATOR_CHOICES: what a person reading its suggestions writes); the second run imports,
all or nothing, and the plan keeps the mapping for next year's export.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from io import BytesIO
from pathlib import Path

from django.contrib.auth.models import User

from wpsmonitor.exchange.movein.records import read_records
from wpsmonitor.exchange.movein.run import MoveInResult
from wpsmonitor.exchange.services import plan_move_in
from wpsmonitor.plans.models import Plan

JSON_NAME = "sigma1325-export.json"
XLSX_NAME = "ministere-genre-textes.xlsx"
_PROVINCES = {"CD-KN": "Ville de Kinshasa", "CD-NK": "Nord Kivu", "CD-SK": "Sud-Kivou"}
_RANKS = {
    "senior": ("Officiers supérieurs", 0.06, 250),
    "officer": ("Officiers", 0.10, 1850),
    "nco": ("Sous-officiers", 0.13, 5100),
    "agent": ("Agents de police", 0.17, 15800),
}
_SHARE = {"CD-KN": 0.45, "CD-NK": 0.2, "CD-SK": 0.15}
_TEXTS = [
    (
        "Sud-Kivu",
        "Édit provincial portant création des comités locaux de paix paritaires",
        date(2025, 3, 14),
        "Édit 25/003/SK",
    ),
    (
        "Ville de Kinshasa",
        "Arrêté provincial créant la cellule genre de la police de Kinshasa",
        date(2025, 11, 4),
        "Arrêté 25/118/KN",
    ),
    (
        "Nord-Kivu",
        "Plan provincial de protection des défenseures des droits humains",
        date(2026, 4, 22),
        "Décision 26/041/NK",
    ),
]
# What the coordinator writes in the mapping sheet, reading its suggestions.
COORDINATOR_CHOICES = {
    "grade": "rank",
    "Sud-Kivou": "CD-SK",
    "Ville de Kinshasa": "CD-KN",
    "Officiers supérieurs": "senior",
    "Agents de police": "agent",
    "Lois, politiques et mécanismes adoptés (résolution 1325)": "PRO-08",
    "Intitulé du texte": "item",
}


def legacy_json() -> bytes:
    records: list[dict[str, object]] = []
    for code, province in _PROVINCES.items():
        for label, share, size in _RANKS.values():
            total = round(size * _SHARE[code])
            women = round(total * share)
            for sexe, figure in (("Femme", women), ("Homme", total - women)):
                records.append(
                    {
                        "id": len(records) + 1,
                        "indicateur": "Fonctionnaires de police, par sexe et par grade",
                        "province": province,
                        "annee": "2026",
                        "sexe": sexe,
                        "grade": label,
                        "valeur": figure,
                        "unite": "fonctionnaires",
                    }
                )
    export = {"application": "SIGMA-1325", "exported": "2026-07-02T08:15:00Z", "data": records}
    return json.dumps(export, ensure_ascii=False, indent=1).encode("utf-8")


def legacy_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    title = "Lois, politiques et mécanismes adoptés (résolution 1325)"
    for year in (2025, 2026):
        ws = workbook.create_sheet(f"Textes {year}")
        ws.append(
            [
                "Indicateur",
                "Province",
                "Année",
                "Intitulé du texte",
                "Date d'adoption",
                "Référence",
                "Observations",
            ]
        )
        for province, text, adopted, reference in _TEXTS:
            if adopted.year <= year:  # a text in force is listed again every year
                note = "nouveau" if adopted.year == year else "toujours en vigueur"
                ws.append([title, province, year, text, adopted, reference, note])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def legacy_files(folder: Path) -> list[Path]:
    """The two files of the legacy export, written into `folder`."""
    paths = [folder / JSON_NAME, folder / XLSX_NAME]
    paths[0].write_bytes(legacy_json())
    paths[1].write_bytes(legacy_workbook())
    return paths


def fill_mapping(sheet: bytes, path: Path, choices: dict[str, str]) -> Path:
    """The mapping sheet with the chosen codes written in its code column, as a coordinator
    fills it: read through the one bounded opener, written anew (values only, which is all
    the import reads)."""
    from openpyxl import Workbook

    from wpsmonitor.core.spreadsheets import open_workbook

    given = path.with_suffix(".given.xlsx")
    given.write_bytes(sheet)
    source = open_workbook(given)
    filled = Workbook()
    filled.remove(filled.active)
    for ws in source.worksheets:
        target = filled.create_sheet(ws.title)
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
        header = rows[0] if rows else []
        for number, row in enumerate(rows):
            if number and ws.title not in ("Instructions", "Codes") and row[0] in choices:
                row[header.index("code")] = choices[row[0]]
            target.append(row)
    source.close()
    filled.save(path)
    given.unlink()
    return path


def load(nap: Plan, user: User) -> MoveInResult:
    """Move the legacy export in: the dry run, the mapping sheet filled, the import."""
    with tempfile.TemporaryDirectory() as folder:
        paths = legacy_files(Path(folder))
        first = plan_move_in(by=user, plan=nap, files=read_records(paths), dry_run=True)
        mapping = [Path(folder) / "mapping.xlsx"]
        assert first.mapping_sheet is not None
        fill_mapping(first.mapping_sheet, mapping[0], COORDINATOR_CHOICES)
        second = plan_move_in(by=user, plan=nap, files=read_records(paths), mapping_paths=mapping)
        if second.mapping_sheet is not None:
            # The indicator column found, its titles show: the carried sheet, filled again.
            fill_mapping(second.mapping_sheet, mapping[0], COORDINATOR_CHOICES)
            second = plan_move_in(
                by=user, plan=nap, files=read_records(paths), mapping_paths=mapping
            )
        return second
