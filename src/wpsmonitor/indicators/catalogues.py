"""Global indicator catalogues: versioned JSON files loaded into GlobalIndicator.

Each file in catalogues/ holds one vocabulary:

    {"vocabulary": "sdg", "version": "2026.1", "title": "...", "source_ref": "...",
     "entries": [{"code": "5.5.1a", "title": "...", "pillar": "participation",
                  "verified": true, "source_ref": "...", "note": "optional"}]}

`verified` is true only where the entry was read in its primary source. Loading upserts by
(vocabulary, code) and is idempotent: it runs after every migrate. Entries that disappear from a
file are kept, because plans' indicators may still refer to them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from wpsmonitor.indicators.models import GlobalIndicator

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogues"
ENTRY_FIELDS = ("title", "pillar", "verified", "source_ref")
_VOCABULARY = re.compile(r"^[-a-z0-9_]{1,40}$")


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded; the message names the file and the entry."""


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    title: str
    pillar: str
    verified: bool
    source_ref: str


@dataclass(frozen=True)
class Catalogue:
    vocabulary: str
    version: str
    title: str
    source_ref: str
    entries: list[CatalogueEntry]
    path: Path


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    vocabularies: list[str] = field(default_factory=list)


def _text(raw: object, where: str, key: str, *, required: bool = True, limit: int = 0) -> str:
    if raw is None and not required:
        return ""
    if not isinstance(raw, str) or (required and not raw.strip()):
        raise CatalogueError(f"{where}: {key!r} must be a non-empty string")
    if limit and len(raw) > limit:
        raise CatalogueError(f"{where}: {key!r} is longer than {limit} characters")
    return raw.strip()


def catalogue_read(path: Path) -> Catalogue:
    """Parse and check one catalogue file; raise CatalogueError naming the problem."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"
        ) from exc
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: the file must hold one JSON object")
    missing = [k for k in ("vocabulary", "version", "title", "entries") if k not in data]
    if missing:
        raise CatalogueError(f"{path}: missing key(s) {', '.join(missing)}")
    vocabulary = _text(data["vocabulary"], str(path), "vocabulary")
    if not _VOCABULARY.match(vocabulary):
        raise CatalogueError(
            f"{path}: vocabulary {vocabulary!r} must be lower-case letters, digits, - or _"
        )
    version = _text(data["version"], str(path), "version", limit=40)
    entries_raw = data["entries"]
    if not isinstance(entries_raw, list) or not entries_raw:
        raise CatalogueError(f"{path}: 'entries' must be a non-empty list")
    entries: list[CatalogueEntry] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries_raw):
        where = f"{path}: entry {index + 1}"
        if not isinstance(raw, dict):
            raise CatalogueError(f"{where}: must be an object")
        code = _text(raw.get("code"), where, "code", limit=40)
        where = f"{path}: entry {index + 1} ({code})"
        if code in seen:
            raise CatalogueError(f"{where}: code {code!r} appears twice")
        seen.add(code)
        if not isinstance(raw.get("verified"), bool):
            raise CatalogueError(f"{where}: 'verified' must be true or false")
        entries.append(
            CatalogueEntry(
                code=code,
                title=_text(raw.get("title"), where, "title"),
                pillar=_text(raw.get("pillar"), where, "pillar", required=False, limit=40),
                verified=raw["verified"],
                source_ref=_text(raw.get("source_ref"), where, "source_ref", required=False),
            )
        )
    return Catalogue(
        vocabulary=vocabulary,
        version=version,
        title=_text(data["title"], str(path), "title"),
        source_ref=_text(data.get("source_ref"), str(path), "source_ref", required=False),
        entries=entries,
        path=Path(path),
    )


def catalogue_paths(directory: Path | None = None) -> list[Path]:
    return sorted(Path(directory or CATALOGUE_DIR).glob("*.json"))


@transaction.atomic
def catalogues_load(*, paths: list[Path] | None = None) -> LoadResult:
    """Upsert every catalogue (by default the shipped ones) into GlobalIndicator.

    All files are read and checked before anything is written, so one bad file loads nothing.
    """
    catalogues = [catalogue_read(p) for p in (catalogue_paths() if paths is None else paths)]
    vocabularies = [c.vocabulary for c in catalogues]
    duplicated = sorted({v for v in vocabularies if vocabularies.count(v) > 1})
    if duplicated:
        raise CatalogueError(f"vocabulary {', '.join(duplicated)} is defined by two files")
    result = LoadResult(vocabularies=vocabularies)
    existing = {
        (g.vocabulary, g.code): g
        for g in GlobalIndicator.objects.filter(vocabulary__in=vocabularies)
    }
    to_create: list[GlobalIndicator] = []
    to_update: list[GlobalIndicator] = []
    for catalogue in catalogues:
        for entry in catalogue.entries:
            row = existing.get((catalogue.vocabulary, entry.code))
            if row is None:
                to_create.append(
                    GlobalIndicator(
                        vocabulary=catalogue.vocabulary,
                        code=entry.code,
                        catalogue_version=catalogue.version,
                        **{name: getattr(entry, name) for name in ENTRY_FIELDS},
                    )
                )
                continue
            wanted = {name: getattr(entry, name) for name in ENTRY_FIELDS}
            wanted["catalogue_version"] = catalogue.version
            if all(getattr(row, name) == value for name, value in wanted.items()):
                result.unchanged += 1
                continue
            for name, value in wanted.items():
                setattr(row, name, value)
            to_update.append(row)
    GlobalIndicator.objects.bulk_create(to_create)
    if to_update:
        GlobalIndicator.objects.bulk_update(to_update, [*ENTRY_FIELDS, "catalogue_version"])
    result.created, result.updated = len(to_create), len(to_update)
    return result
