"""Global indicator catalogues: versioned JSON files loaded into GlobalIndicator.

Each file in catalogues/ holds one vocabulary:

    {"vocabulary": "sdg", "version": "2026.1", "title": "...", "source_ref": "...",
     "entries": [{"code": "16.7.1", "titles": {"en": "...", "fr": "..."},
                  "working_titles": {"es": "..."},
                  "verified": {"en": "unstats.un.org/sdgs/metadata, target 16.7", "fr": null},
                  "pillar": "participation", "source_ref": "...", "note": "optional"}]}

`titles` holds official wordings only (the source's own text in that language); a translation
that is not official goes in `working_titles`, so that it is never shown as official. `verified`
names, per language, the exact reference the wording was read in (null: not verified). The older
form, one `title` (English) and `verified: true/false`, is still read.

catalogues/crosswalk.json links entries of different catalogues (same / close / broader), each
link with its source. Loading upserts by (vocabulary, code) and is idempotent: it runs after every
migrate. Entries that disappear from a file are kept, because plans' indicators may still refer
to them; crosswalk links are replaced by the file's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from wpsmonitor.indicators.models import CrosswalkRelation, GlobalIndicator, GlobalIndicatorLink

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogues"
CROSSWALK_NAME = "crosswalk.json"  # in CATALOGUE_DIR, but not a catalogue
ENTRY_FIELDS: tuple[str, ...] = (
    "title",
    "pillar",
    "verified",
    "source_ref",
    "titles",
    "working_titles",
    "verified_in",
)
ORIGINAL_LANGUAGE = "en"  # the language every catalogue's `title` is in
_VOCABULARY = re.compile(r"^[-a-z0-9_]{1,40}$")


def catalogue_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded; the message names the file and the entry."""


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    title: str
    pillar: str
    verified: bool
    source_ref: str
    titles: dict[str, str] = field(default_factory=dict)
    working_titles: dict[str, str] = field(default_factory=dict)
    verified_in: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalogue:
    vocabulary: str
    version: str
    title: str
    source_ref: str
    entries: list[CatalogueEntry]
    path: Path


@dataclass(frozen=True)
class CrosswalkLink:
    source: str  # "vocabulary:code"
    target: str
    relation: str
    source_ref: str
    verified: bool


@dataclass(frozen=True)
class Crosswalk:
    version: str
    links: list[CrosswalkLink]
    path: Path


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    vocabularies: list[str] = field(default_factory=list)
    links: int = 0


def _text(raw: object, where: str, key: str, *, required: bool = True, limit: int = 0) -> str:
    if raw is None and not required:
        return ""
    if not isinstance(raw, str) or (required and not raw.strip()):
        raise CatalogueError(f"{where}: {key!r} must be a non-empty string")
    if limit and len(raw) > limit:
        raise CatalogueError(f"{where}: {key!r} is longer than {limit} characters")
    return raw.strip()


def _per_language(raw: object, where: str, key: str) -> dict[str, str]:
    """A {language: text} object of the platform's languages; empty values are dropped."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: {key!r} must be an object keyed by language")
    unknown = sorted(set(raw) - set(catalogue_languages()))
    if unknown:
        raise CatalogueError(f"{where}: {key!r} has unknown language(s) {', '.join(unknown)}")
    return {
        lang: _text(text, where, f"{key}.{lang}") for lang, text in raw.items() if text is not None
    }


def _entry_read(raw: dict[str, object], where: str, code: str) -> CatalogueEntry:
    if not isinstance(raw.get("verified"), (bool, dict)):
        raise CatalogueError(f"{where}: 'verified' must be true or false, or an object by language")
    titles = _per_language(raw.get("titles"), where, "titles")
    working = _per_language(raw.get("working_titles"), where, "working_titles")
    # `title` is the English label shown where no wording in the reader's language exists; it
    # may be WPS Monitor's own (a theme, a shortened label). Without it, the English wording.
    if "title" in raw or ORIGINAL_LANGUAGE not in titles:
        label = _text(raw.get("title"), where, "title")
    else:
        label = titles[ORIGINAL_LANGUAGE]
    if raw.get("verified") is True and ORIGINAL_LANGUAGE not in titles:
        titles[ORIGINAL_LANGUAGE] = label  # older form: true means `title` is the wording read
    both = sorted(set(titles) & set(working))
    if both:
        raise CatalogueError(
            f"{where}: {', '.join(both)} has both an official wording and a working translation"
        )
    source_ref = _text(raw.get("source_ref"), where, "source_ref", required=False)
    verified_raw = raw.get("verified")
    if isinstance(verified_raw, bool):
        # Older form: true means the English wording was read in the entry's source.
        verified_in = {ORIGINAL_LANGUAGE: source_ref} if verified_raw else {}
    else:
        assert isinstance(verified_raw, dict)
        unknown = sorted(set(verified_raw) - set(catalogue_languages()))
        if unknown:
            raise CatalogueError(
                f"{where}: 'verified' has unknown language(s) {', '.join(unknown)}"
            )
        verified_in = {}
        for lang, ref in verified_raw.items():
            if ref is None:
                continue
            if not isinstance(ref, str) or not ref.strip():
                raise CatalogueError(
                    f"{where}: 'verified.{lang}' must name what the wording was checked "
                    "against (document and page or paragraph), or be null"
                )
            verified_in[lang] = ref.strip()
    for lang in verified_in:
        if lang not in titles:
            raise CatalogueError(
                f"{where}: 'verified.{lang}' but no official wording in 'titles.{lang}' "
                "(a working translation is never verified)"
            )
    if verified_in and not source_ref:
        raise CatalogueError(f"{where}: marked verified but has no 'source_ref'")
    return CatalogueEntry(
        code=code,
        title=label,
        pillar=_text(raw.get("pillar"), where, "pillar", required=False, limit=40),
        verified=ORIGINAL_LANGUAGE in verified_in,
        source_ref=source_ref,
        titles=titles,
        working_titles=working,
        verified_in=verified_in,
    )


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
        entries.append(_entry_read(raw, where, code))
    return Catalogue(
        vocabulary=vocabulary,
        version=version,
        title=_text(data["title"], str(path), "title"),
        source_ref=_text(data.get("source_ref"), str(path), "source_ref", required=False),
        entries=entries,
        path=Path(path),
    )


def catalogue_paths(directory: Path | None = None) -> list[Path]:
    paths = Path(directory or CATALOGUE_DIR).glob("*.json")
    return sorted(p for p in paths if p.name != CROSSWALK_NAME)


def crosswalk_read(path: Path, known: set[str] | None = None) -> Crosswalk:
    """Parse and check the crosswalk; every link needs a source and two known entries.

    `known` is the set of "vocabulary:code" the catalogues define; None skips that check.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("links"), list):
        raise CatalogueError(f"{path}: must be an object with a 'links' list")
    version = _text(data.get("version"), str(path), "version", limit=40)
    relations = set(CrosswalkRelation.values)
    links: list[CrosswalkLink] = []
    seen: set[tuple[str, str]] = set()
    for index, raw in enumerate(data["links"]):
        where = f"{path}: link {index + 1}"
        if not isinstance(raw, dict):
            raise CatalogueError(f"{where}: must be an object")
        source = _text(raw.get("from"), where, "from")
        target = _text(raw.get("to"), where, "to")
        where = f"{path}: link {index + 1} ({source} -> {target})"
        for name in (source, target):
            if known is not None and name not in known:
                raise CatalogueError(f"{where}: {name!r} is not an entry of any catalogue")
        if source == target:
            raise CatalogueError(f"{where}: links an entry to itself")
        if (source, target) in seen or (target, source) in seen:
            raise CatalogueError(f"{where}: appears twice")
        seen.add((source, target))
        relation = raw.get("type")
        if relation not in relations:
            raise CatalogueError(f"{where}: 'type' must be one of {', '.join(sorted(relations))}")
        verified = raw.get("verified", False)
        if not isinstance(verified, bool):
            raise CatalogueError(f"{where}: 'verified' must be true or false")
        links.append(
            CrosswalkLink(
                source=source,
                target=target,
                relation=str(relation),
                source_ref=_text(raw.get("source_ref"), where, "source_ref"),
                verified=verified,
            )
        )
    return Crosswalk(version=version, links=links, path=Path(path))


@transaction.atomic
def catalogues_load(
    *, paths: list[Path] | None = None, crosswalk: Path | None = None
) -> LoadResult:
    """Upsert every catalogue (by default the shipped ones) into GlobalIndicator.

    All files are read and checked before anything is written, so one bad file loads nothing.
    The crosswalk (by default the shipped one, with the shipped catalogues) is loaded after them.
    """
    catalogues = [catalogue_read(p) for p in (catalogue_paths() if paths is None else paths)]
    vocabularies = [c.vocabulary for c in catalogues]
    duplicated = sorted({v for v in vocabularies if vocabularies.count(v) > 1})
    if duplicated:
        raise CatalogueError(f"vocabulary {', '.join(duplicated)} is defined by two files")
    if crosswalk is None and paths is None and (CATALOGUE_DIR / CROSSWALK_NAME).exists():
        crosswalk = CATALOGUE_DIR / CROSSWALK_NAME
    walk = None
    if crosswalk is not None:
        known = {f"{c.vocabulary}:{e.code}" for c in catalogues for e in c.entries}
        walk = crosswalk_read(crosswalk, known)
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
    if walk is not None:
        result.links = _crosswalk_store(walk)
    return result


def _crosswalk_store(walk: Crosswalk) -> int:
    """Replace the stored links by the file's (links are data, nothing else points at them)."""
    by_name = {str(g): g for g in GlobalIndicator.objects.all()}
    wanted = {(by_name[link.source].pk, by_name[link.target].pk): link for link in walk.links}
    stored = {(row.source_id, row.target_id): row for row in GlobalIndicatorLink.objects.all()}
    stale = [row.pk for key, row in stored.items() if key not in wanted]
    GlobalIndicatorLink.objects.filter(pk__in=stale).delete()
    for (source_id, target_id), link in wanted.items():
        values = {
            "relation": link.relation,
            "source_ref": link.source_ref,
            "verified": link.verified,
            "crosswalk_version": walk.version,
        }
        row = stored.get((source_id, target_id))
        if row is None:
            GlobalIndicatorLink.objects.create(source_id=source_id, target_id=target_id, **values)
        elif any(getattr(row, k) != v for k, v in values.items()):
            GlobalIndicatorLink.objects.filter(pk=row.pk).update(**values)
    return len(wanted)
