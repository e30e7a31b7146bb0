"""Metadata packages: the catalogues exported from the database and imported into another.

A package is one JSON document (docs/catalogues.md, "Metadata packages"):

    {"format": "wpsmonitor-catalogues", "format_version": 1, "platform_version": "0.1.0",
     "exported_at": "2026-12-06T07:00:00+00:00",
     "catalogues": [<a catalogue in file format 2, with its version>, ...],
     "crosswalk": {"version": "2026.1", "links": [<the links among the exported entries>]}}

Export reads the database, so a catalogue imported earlier is exported too; the same data gives
the same bytes but for `exported_at`. Import checks a package (or one catalogue file) with the
loader's own rules (`catalogues.py`), then writes it in one transaction, or, in a dry run, only
says what it would change. It never deletes an entry, and refuses a version older than the
database's unless asked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

import wpsmonitor
from wpsmonitor.indicators.catalogues import (
    Catalogue,
    CatalogueError,
    Crosswalk,
    LinkChange,
    VocabularyChange,
    catalogue_from_data,
    catalogue_languages,
    catalogue_names,
    catalogues_check,
    catalogues_store,
    crosswalk_from_data,
    crosswalk_store,
    json_document,
    newer_links,
    stored_versions,
    version_key,
    version_older,
)
from wpsmonitor.indicators.models import GlobalCatalogue, GlobalIndicator, GlobalIndicatorLink

PACKAGE_FORMAT = "wpsmonitor-catalogues"
PACKAGE_FORMAT_VERSION = 1
FILE_FORMAT = 2  # the format of each catalogue in a package (docs/catalogues.md)


@dataclass(frozen=True)
class Package:
    where: str
    catalogues: list[Catalogue]
    crosswalk: Crosswalk | None


@dataclass
class ImportReport:
    vocabularies: list[VocabularyChange] = field(default_factory=list)
    links: LinkChange | None = None
    dry_run: bool = False


# --- Export ----------------------------------------------------------------------------------


def catalogue_summaries() -> list[dict[str, Any]]:
    """Every catalogue the database holds: vocabulary, version, title and number of entries."""
    counts: dict[str, int] = {}
    for vocabulary in GlobalIndicator.objects.values_list("vocabulary", flat=True):
        counts[vocabulary] = counts.get(vocabulary, 0) + 1
    headers = {g.vocabulary: g for g in GlobalCatalogue.objects.all()}
    return [
        {
            "vocabulary": vocabulary,
            "version": headers[vocabulary].version if vocabulary in headers else "",
            "title": headers[vocabulary].title if vocabulary in headers else vocabulary,
            "entries": counts[vocabulary],
        }
        for vocabulary in sorted(counts)
    ]


def _languages_sorted(values: dict[str, str]) -> dict[str, str]:
    order = {code: index for index, code in enumerate(catalogue_languages())}
    return {k: values[k] for k in sorted(values, key=lambda k: (order.get(k, len(order)), k))}


def _entry_out(row: GlobalIndicator) -> dict[str, Any]:
    out: dict[str, Any] = {"code": row.code, "title": row.title}
    out["titles"] = _languages_sorted(row.titles)
    if row.working_titles:
        out["working_titles"] = _languages_sorted(row.working_titles)
    languages = [*catalogue_languages(), *sorted(set(row.verified_in) - set(catalogue_languages()))]
    out["verified"] = {lang: row.verified_in.get(lang) for lang in languages}
    if row.pillar:
        out["pillar"] = row.pillar
    if row.source_ref:
        out["source_ref"] = row.source_ref
    return out


def package_build(vocabularies: list[str] | None, *, exported_at: datetime) -> dict[str, Any]:
    """The package of the named vocabularies (every one when None), from the database.

    Raises CatalogueError naming a vocabulary the database does not hold."""
    rows = GlobalIndicator.objects.all()
    held = sorted(set(rows.values_list("vocabulary", flat=True)))
    wanted = held if vocabularies is None else sorted(set(vocabularies))
    unknown = [v for v in wanted if v not in held]
    if unknown:
        raise CatalogueError(
            _("no catalogue %(vocabularies)s in the database")
            % {"vocabularies": ", ".join(unknown)}
        )
    headers = {g.vocabulary: g for g in GlobalCatalogue.objects.filter(vocabulary__in=wanted)}
    entries: dict[str, list[GlobalIndicator]] = {v: [] for v in wanted}
    # Sorted here, not by the database, whose collation may order codes otherwise.
    for row in sorted(rows.filter(vocabulary__in=wanted), key=lambda r: r.code):
        entries[row.vocabulary].append(row)
    catalogues = []
    for vocabulary in wanted:
        header = headers.get(vocabulary)
        versions = [row.catalogue_version for row in entries[vocabulary]]
        catalogue: dict[str, Any] = {
            "vocabulary": vocabulary,
            "version": header.version if header else max(versions, key=version_key),
            "format": FILE_FORMAT,
            "title": header.title if header else vocabulary,
        }
        if header and header.source_ref:
            catalogue["source_ref"] = header.source_ref
        catalogue["entries"] = [_entry_out(row) for row in entries[vocabulary]]
        catalogues.append(catalogue)
    package: dict[str, Any] = {
        "format": PACKAGE_FORMAT,
        "format_version": PACKAGE_FORMAT_VERSION,
        "platform_version": wpsmonitor.__version__,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "catalogues": catalogues,
    }
    links = list(
        GlobalIndicatorLink.objects.filter(
            source__vocabulary__in=wanted, target__vocabulary__in=wanted
        ).select_related("source", "target")
    )
    if links:
        out = []
        for link in sorted(links, key=lambda x: (str(x.source), str(x.target))):
            item: dict[str, Any] = {
                "from": str(link.source),
                "to": str(link.target),
                "type": link.relation,
                "verified": link.verified,
                "source_ref": link.source_ref,
            }
            out.append(item)
        package["crosswalk"] = {
            "version": max((x.crosswalk_version for x in links), key=version_key),
            "links": out,
        }
    return package


def package_dumps(package: dict[str, Any]) -> str:
    """The package as text: the same package gives the same bytes."""
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


# --- Import ----------------------------------------------------------------------------------


def package_from_data(data: object, where: str) -> Package:
    """Check a package, or a single catalogue in file format 2, with the loader's rules.

    A crosswalk link may name an entry of the package or one the database already holds."""
    if isinstance(data, dict) and "format" in data and "vocabulary" not in data:
        if data.get("format") != PACKAGE_FORMAT:
            raise CatalogueError(
                _("%(where)s: 'format' must be %(format)s")
                % {"where": where, "format": repr(PACKAGE_FORMAT)}
            )
        if data.get("format_version") != PACKAGE_FORMAT_VERSION:
            raise CatalogueError(
                _(
                    "%(where)s: 'format_version' %(found)s is not one this platform reads (%(known)s)"
                )
                % {
                    "where": where,
                    "found": repr(data.get("format_version")),
                    "known": PACKAGE_FORMAT_VERSION,
                }
            )
        raw = data.get("catalogues")
        if not isinstance(raw, list) or not raw:
            raise CatalogueError(
                _("%(where)s: 'catalogues' must be a non-empty list") % {"where": where}
            )
        catalogues = [
            catalogue_from_data(
                item, _("%(where)s: catalogue %(number)s") % {"where": where, "number": i + 1}
            )
            for i, item in enumerate(raw)
        ]
        walk_raw = data.get("crosswalk")
    elif isinstance(data, dict) and "vocabulary" in data:
        catalogues, walk_raw = [catalogue_from_data(data, where)], None
    else:
        raise CatalogueError(
            _("%(where)s: neither a catalogue package nor a catalogue file") % {"where": where}
        )
    catalogues_check(catalogues)
    walk = None
    if walk_raw is not None:
        known = catalogue_names(catalogues) | {
            f"{vocabulary}:{code}"
            for vocabulary, code in GlobalIndicator.objects.values_list("vocabulary", "code")
        }
        walk = crosswalk_from_data(walk_raw, _("%(where)s: crosswalk") % {"where": where}, known)
    return Package(where=where, catalogues=catalogues, crosswalk=walk)


def package_read(path: Path) -> Package:
    """Read and check a package file: bounded (size, nesting, numbers, NUL), then the rules."""
    return package_from_data(json_document(path), str(path))


def package_import(
    package: Package, *, dry_run: bool = False, allow_older: bool = False
) -> ImportReport:
    """Write a checked package in one transaction (rolled back in a dry run).

    A vocabulary (or the crosswalk) whose version is older than the database's is refused,
    and nothing is written, unless `allow_older`."""
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        stored = stored_versions()
        if not allow_older:
            for catalogue in package.catalogues:
                if version_older(catalogue.version, stored.get(catalogue.vocabulary)):
                    raise CatalogueError(
                        _(
                            "%(where)s: version %(version)s of %(vocabulary)s is older than "
                            "the database's %(stored)s (--allow-older imports it anyway)"
                        )
                        % {
                            "where": catalogue.where,
                            "version": catalogue.version,
                            "vocabulary": catalogue.vocabulary,
                            "stored": stored[catalogue.vocabulary],
                        }
                    )
        scope = {c.vocabulary for c in package.catalogues}
        if package.crosswalk is not None and not allow_older:
            newer = newer_links(package.crosswalk.version, scope)
            if newer:
                raise CatalogueError(
                    _(
                        "%(where)s: version %(version)s is older than the database's links "
                        "(%(stored)s) (--allow-older imports it anyway)"
                    )
                    % {
                        "where": package.crosswalk.where,
                        "version": package.crosswalk.version,
                        "stored": newer[-1],
                    }
                )
        report.vocabularies = catalogues_store(package.catalogues)
        if package.crosswalk is not None:
            report.links = crosswalk_store(package.crosswalk, scope)
        if dry_run:
            transaction.set_rollback(True)
    return report
