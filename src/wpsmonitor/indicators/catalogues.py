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
to them; crosswalk links among the shipped catalogues are replaced by the file's.

The rules a catalogue and a crosswalk must follow are written once, here (`catalogue_from_data`,
`crosswalk_from_data`, `catalogues_check`, `json_document`), and so are the writes
(`catalogues_store`, `crosswalk_store`): the loader and the import of a metadata package
(`catalogue_packages.py`, docs/catalogues.md) both call them.

Versions only move forward unless asked: a shipped file is not loaded over a newer version of
its vocabulary that an administrator imported, nor the shipped crosswalk over newer links.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from wpsmonitor.core.json_input import RefusedJson, loads_bounded
from wpsmonitor.indicators.models import (
    CrosswalkRelation,
    GlobalCatalogue,
    GlobalIndicator,
    GlobalIndicatorLink,
)

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
# A catalogue file or a metadata package is read whole: the shipped files hold about 30 KB, every
# catalogue of the platform exported together less than 200 KB. A bigger file is refused before
# it is read, a deeper one after parsing (the format nests 6 levels: package, catalogues, one
# catalogue, entries, one entry, its wordings).
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 8


def catalogue_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded; the message names the file and the entry."""


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """The order of catalogue versions: runs of digits compare as numbers, the rest as text.

    "2026.2" < "2026.10" < "2027.1"; "1" < "1.1"; "2026.1" < "2026.1b".
    """
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", version)
    )


def version_older(version: str, than: str | None) -> bool:
    return than is not None and version_key(version) < version_key(than)


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
    where: str  # the file (and, in a package, which catalogue of it)


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
    where: str


@dataclass
class VocabularyChange:
    """What storing one catalogue changed (or would change)."""

    vocabulary: str
    version_before: str | None
    version: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class LinkChange:
    """What storing a crosswalk changed (or would change); `stored` links it holds."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    stored: int = 0


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    vocabularies: list[str] = field(default_factory=list)
    links: int = 0
    # Shipped vocabularies not loaded because the database holds a newer (imported) version;
    # True when the shipped crosswalk was not loaded over newer links.
    skipped: list[str] = field(default_factory=list)
    crosswalk_skipped: bool = False


# --- Reading a JSON file, bounded ------------------------------------------------------------


def _depth_exceeds(value: object, limit: int) -> bool:
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return False


def json_document(path: Path, *, limit: int = MAX_FILE_BYTES) -> Any:
    """The JSON value of a file, refused with CatalogueError when it is bigger than `limit`
    bytes (before reading it), not UTF-8, not JSON, holds a NUL character or a number longer
    than 40 characters (core/json_input.py), or nests deeper than MAX_DEPTH."""
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise CatalogueError(
            _("%(file)s: cannot be read (%(error)s)") % {"file": path, "error": exc.strerror}
        ) from exc
    if len(raw) > limit:
        raise CatalogueError(
            _("%(file)s: bigger than %(limit)s bytes; nothing was read")
            % {"file": path, "limit": f"{limit:,}"}
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(_("%(file)s: not UTF-8 text") % {"file": path}) from exc
    try:
        data = loads_bounded(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            _("%(file)s:%(line)s:%(column)s: not valid JSON (%(error)s)")
            % {"file": path, "line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from exc
    except RefusedJson as exc:
        raise CatalogueError(f"{path}: {exc}") from exc
    except (RecursionError, ValueError) as exc:
        raise CatalogueError(
            _("%(file)s: nested deeper than %(depth)s levels") % {"file": path, "depth": MAX_DEPTH}
            if isinstance(exc, RecursionError)
            else _("%(file)s: not valid JSON (%(error)s)") % {"file": path, "error": exc}
        ) from exc
    if _depth_exceeds(data, MAX_DEPTH):
        raise CatalogueError(
            _("%(file)s: nested deeper than %(depth)s levels") % {"file": path, "depth": MAX_DEPTH}
        )
    return data


# --- The rules of a catalogue and of a crosswalk ---------------------------------------------


def _text(raw: object, where: str, key: str, *, required: bool = True, limit: int = 0) -> str:
    if raw is None and not required:
        return ""
    if not isinstance(raw, str) or (required and not raw.strip()):
        raise CatalogueError(
            _("%(where)s: %(key)s must be a non-empty string") % {"where": where, "key": repr(key)}
        )
    if limit and len(raw) > limit:
        raise CatalogueError(
            _("%(where)s: %(key)s is longer than %(limit)s characters")
            % {"where": where, "key": repr(key), "limit": limit}
        )
    return raw.strip()


def _unknown_languages(where: str, key: str, unknown: list[str]) -> CatalogueError:
    return CatalogueError(
        _("%(where)s: %(key)s has unknown language(s) %(languages)s")
        % {"where": where, "key": repr(key), "languages": ", ".join(unknown)}
    )


def _per_language(raw: object, where: str, key: str) -> dict[str, str]:
    """A {language: text} object of the platform's languages; empty values are dropped."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CatalogueError(
            _("%(where)s: %(key)s must be an object keyed by language")
            % {"where": where, "key": repr(key)}
        )
    unknown = sorted(set(raw) - set(catalogue_languages()))
    if unknown:
        raise _unknown_languages(where, key, unknown)
    return {
        lang: _text(text, where, f"{key}.{lang}") for lang, text in raw.items() if text is not None
    }


def _entry_read(raw: dict[str, object], where: str, code: str) -> CatalogueEntry:
    if not isinstance(raw.get("verified"), (bool, dict)):
        raise CatalogueError(
            _("%(where)s: 'verified' must be true or false, or an object by language")
            % {"where": where}
        )
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
            _("%(where)s: %(languages)s has both an official wording and a working translation")
            % {"where": where, "languages": ", ".join(both)}
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
            raise _unknown_languages(where, "verified", unknown)
        verified_in = {}
        for lang, ref in verified_raw.items():
            if ref is None:
                continue
            if not isinstance(ref, str) or not ref.strip():
                raise CatalogueError(
                    _(
                        "%(where)s: 'verified.%(language)s' must name what the wording was "
                        "checked against (document and page or paragraph), or be null"
                    )
                    % {"where": where, "language": lang}
                )
            verified_in[lang] = ref.strip()
    for lang in verified_in:
        if lang not in titles:
            raise CatalogueError(
                _(
                    "%(where)s: 'verified.%(language)s' but no official wording in "
                    "'titles.%(language)s' (a working translation is never verified)"
                )
                % {"where": where, "language": lang}
            )
    if verified_in and not source_ref:
        raise CatalogueError(
            _("%(where)s: marked verified but has no 'source_ref'") % {"where": where}
        )
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


def catalogue_from_data(data: object, where: str) -> Catalogue:
    """Check one catalogue (the parsed content of a file, or one catalogue of a package);
    raise CatalogueError naming `where`, the entry and the field."""
    if not isinstance(data, dict):
        raise CatalogueError(
            _("%(where)s: the catalogue must be one JSON object") % {"where": where}
        )
    missing = [k for k in ("vocabulary", "version", "title", "entries") if k not in data]
    if missing:
        raise CatalogueError(
            _("%(where)s: missing key(s) %(keys)s") % {"where": where, "keys": ", ".join(missing)}
        )
    vocabulary = _text(data["vocabulary"], where, "vocabulary")
    if not _VOCABULARY.match(vocabulary):
        raise CatalogueError(
            _("%(where)s: vocabulary %(vocabulary)s must be lower-case letters, digits, - or _")
            % {"where": where, "vocabulary": repr(vocabulary)}
        )
    version = _text(data["version"], where, "version", limit=40)
    entries_raw = data["entries"]
    if not isinstance(entries_raw, list) or not entries_raw:
        raise CatalogueError(_("%(where)s: 'entries' must be a non-empty list") % {"where": where})
    entries: list[CatalogueEntry] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries_raw):
        at = _("%(where)s: entry %(number)s") % {"where": where, "number": index + 1}
        if not isinstance(raw, dict):
            raise CatalogueError(_("%(where)s: must be an object") % {"where": at})
        code = _text(raw.get("code"), at, "code", limit=40)
        at = f"{at} ({code})"
        if code in seen:
            raise CatalogueError(
                _("%(where)s: code %(code)s appears twice") % {"where": at, "code": repr(code)}
            )
        seen.add(code)
        entries.append(_entry_read(raw, at, code))
    return Catalogue(
        vocabulary=vocabulary,
        version=version,
        title=_text(data["title"], where, "title"),
        source_ref=_text(data.get("source_ref"), where, "source_ref", required=False),
        entries=entries,
        where=where,
    )


def catalogue_read(path: Path) -> Catalogue:
    """Parse and check one catalogue file; raise CatalogueError naming the problem."""
    return catalogue_from_data(json_document(path), str(path))


def catalogue_paths(directory: Path | None = None) -> list[Path]:
    paths = Path(directory or CATALOGUE_DIR).glob("*.json")
    return sorted(p for p in paths if p.name != CROSSWALK_NAME)


def catalogues_check(catalogues: list[Catalogue]) -> None:
    """The rule across catalogues loaded together: one vocabulary, one catalogue."""
    vocabularies = [c.vocabulary for c in catalogues]
    duplicated = sorted({v for v in vocabularies if vocabularies.count(v) > 1})
    if duplicated:
        raise CatalogueError(
            _("%(where)s: vocabulary %(vocabularies)s is defined twice")
            % {
                "where": " / ".join(c.where for c in catalogues if c.vocabulary in duplicated),
                "vocabularies": ", ".join(duplicated),
            }
        )


def catalogue_names(catalogues: list[Catalogue]) -> set[str]:
    """Every "vocabulary:code" the catalogues define."""
    return {f"{c.vocabulary}:{e.code}" for c in catalogues for e in c.entries}


def crosswalk_from_data(data: object, where: str, known: set[str] | None = None) -> Crosswalk:
    """Check a crosswalk; every link needs a source and two known entries.

    `known` is the set of "vocabulary:code" the link may name; None skips that check.
    """
    if not isinstance(data, dict) or not isinstance(data.get("links"), list):
        raise CatalogueError(
            _("%(where)s: must be an object with a 'links' list") % {"where": where}
        )
    version = _text(data.get("version"), where, "version", limit=40)
    relations = set(CrosswalkRelation.values)
    links: list[CrosswalkLink] = []
    seen: set[tuple[str, str]] = set()
    for index, raw in enumerate(data["links"]):
        at = _("%(where)s: link %(number)s") % {"where": where, "number": index + 1}
        if not isinstance(raw, dict):
            raise CatalogueError(_("%(where)s: must be an object") % {"where": at})
        source = _text(raw.get("from"), at, "from")
        target = _text(raw.get("to"), at, "to")
        at = f"{at} ({source} -> {target})"
        for name in (source, target):
            if known is not None and name not in known:
                raise CatalogueError(
                    _("%(where)s: %(name)s is not an entry of any catalogue")
                    % {"where": at, "name": repr(name)}
                )
        if source == target:
            raise CatalogueError(_("%(where)s: links an entry to itself") % {"where": at})
        if (source, target) in seen or (target, source) in seen:
            raise CatalogueError(_("%(where)s: appears twice") % {"where": at})
        seen.add((source, target))
        relation = raw.get("type")
        if relation not in relations:
            raise CatalogueError(
                _("%(where)s: 'type' must be one of %(types)s")
                % {"where": at, "types": ", ".join(sorted(relations))}
            )
        verified = raw.get("verified", False)
        if not isinstance(verified, bool):
            raise CatalogueError(_("%(where)s: 'verified' must be true or false") % {"where": at})
        links.append(
            CrosswalkLink(
                source=source,
                target=target,
                relation=str(relation),
                source_ref=_text(raw.get("source_ref"), at, "source_ref"),
                verified=verified,
            )
        )
    return Crosswalk(version=version, links=links, where=where)


def crosswalk_read(path: Path, known: set[str] | None = None) -> Crosswalk:
    """Parse and check a crosswalk file (see crosswalk_from_data)."""
    return crosswalk_from_data(json_document(path), str(path), known)


# --- Writing: shared by the loader and the import of a package -------------------------------


def stored_versions() -> dict[str, str]:
    """The version the database holds of each vocabulary."""
    return dict(GlobalCatalogue.objects.values_list("vocabulary", "version"))


def catalogues_store(catalogues: list[Catalogue]) -> list[VocabularyChange]:
    """Upsert the catalogues and their entries by (vocabulary, code); never delete an entry.

    Call inside a transaction, after the catalogues were checked."""
    vocabularies = [c.vocabulary for c in catalogues]
    headers = {g.vocabulary: g for g in GlobalCatalogue.objects.filter(vocabulary__in=vocabularies)}
    existing = {
        (g.vocabulary, g.code): g
        for g in GlobalIndicator.objects.filter(vocabulary__in=vocabularies)
    }
    changes: list[VocabularyChange] = []
    to_create: list[GlobalIndicator] = []
    to_update: list[GlobalIndicator] = []
    for catalogue in catalogues:
        header = headers.get(catalogue.vocabulary)
        change = VocabularyChange(
            catalogue.vocabulary, header.version if header else None, catalogue.version
        )
        changes.append(change)
        about = {
            "version": catalogue.version,
            "title": catalogue.title,
            "source_ref": catalogue.source_ref,
        }
        if header is None:
            GlobalCatalogue.objects.create(vocabulary=catalogue.vocabulary, **about)
        elif any(getattr(header, k) != v for k, v in about.items()):
            GlobalCatalogue.objects.filter(pk=header.pk).update(**about)
        for entry in catalogue.entries:
            wanted: dict[str, Any] = {name: getattr(entry, name) for name in ENTRY_FIELDS}
            wanted["catalogue_version"] = catalogue.version
            row = existing.get((catalogue.vocabulary, entry.code))
            if row is None:
                to_create.append(
                    GlobalIndicator(vocabulary=catalogue.vocabulary, code=entry.code, **wanted)
                )
                change.created.append(entry.code)
            elif all(getattr(row, name) == value for name, value in wanted.items()):
                change.unchanged += 1
            else:
                for name, value in wanted.items():
                    setattr(row, name, value)
                to_update.append(row)
                change.updated.append(entry.code)
    GlobalIndicator.objects.bulk_create(to_create)
    if to_update:
        GlobalIndicator.objects.bulk_update(to_update, [*ENTRY_FIELDS, "catalogue_version"])
    return changes


def _links_within(scope: set[str]) -> Any:
    """The stored links both of whose entries are in the vocabularies of `scope`."""
    return GlobalIndicatorLink.objects.filter(
        source__vocabulary__in=scope, target__vocabulary__in=scope
    )


def newer_links(version: str, scope: set[str]) -> list[str]:
    """The stored crosswalk versions, among the links within `scope`, newer than `version`."""
    stored = set(_links_within(scope).values_list("crosswalk_version", flat=True))
    return sorted((v for v in stored if version_older(version, v)), key=version_key)


def crosswalk_store(walk: Crosswalk, scope: set[str]) -> LinkChange:
    """Store the crosswalk's links: it speaks for the links among the vocabularies of `scope`,
    so a stored link within them that it leaves out is removed; links reaching outside them are
    added or updated, never removed. Links are data: nothing else points at them."""
    ids = {
        f"{vocabulary}:{code}": pk
        for pk, vocabulary, code in GlobalIndicator.objects.values_list("pk", "vocabulary", "code")
    }
    names = {pk: name for name, pk in ids.items()}
    # A link whose entry the database lacks is left out: that happens only at migrate, to a
    # shipped link naming an entry of a vocabulary whose newer imported version was kept.
    wanted = {
        (ids[link.source], ids[link.target]): link
        for link in walk.links
        if link.source in ids and link.target in ids
    }
    stored = {(row.source_id, row.target_id): row for row in GlobalIndicatorLink.objects.all()}
    within = set(_links_within(scope).values_list("pk", flat=True))
    # A stored link within the scope that the crosswalk leaves out, or one it names the other
    # way round, goes.
    stale = [
        row
        for key, row in stored.items()
        if key not in wanted and (row.pk in within or (key[1], key[0]) in wanted)
    ]
    change = LinkChange(stored=len(wanted))
    GlobalIndicatorLink.objects.filter(pk__in=[row.pk for row in stale]).delete()
    change.removed = sorted(f"{names[r.source_id]} -> {names[r.target_id]}" for r in stale)
    for (source_id, target_id), link in wanted.items():
        name = f"{link.source} -> {link.target}"
        values = {
            "relation": link.relation,
            "source_ref": link.source_ref,
            "verified": link.verified,
            "crosswalk_version": walk.version,
        }
        row = stored.get((source_id, target_id))
        if row is None:
            GlobalIndicatorLink.objects.create(source_id=source_id, target_id=target_id, **values)
            change.added.append(name)
        elif any(getattr(row, k) != v for k, v in values.items()):
            GlobalIndicatorLink.objects.filter(pk=row.pk).update(**values)
            change.updated.append(name)
        else:
            change.unchanged += 1
    return change


# --- The loader of the shipped files ---------------------------------------------------------


@transaction.atomic
def catalogues_load(
    *, paths: list[Path] | None = None, crosswalk: Path | None = None
) -> LoadResult:
    """Upsert every catalogue (by default the shipped ones) into GlobalIndicator.

    All files are read and checked before anything is written, so one bad file loads nothing.
    The crosswalk (by default the shipped one, with the shipped catalogues) is loaded after them.
    A catalogue whose vocabulary the database holds at a newer version (imported from a
    package) is not loaded over it; nor is the crosswalk over newer links among its catalogues.
    """
    catalogues = [catalogue_read(p) for p in (catalogue_paths() if paths is None else paths)]
    catalogues_check(catalogues)
    if crosswalk is None and paths is None and (CATALOGUE_DIR / CROSSWALK_NAME).exists():
        crosswalk = CATALOGUE_DIR / CROSSWALK_NAME
    walk = crosswalk_read(crosswalk, catalogue_names(catalogues)) if crosswalk else None
    result = LoadResult(vocabularies=[c.vocabulary for c in catalogues])
    stored = stored_versions()
    fresh = [c for c in catalogues if not version_older(c.version, stored.get(c.vocabulary))]
    result.skipped = [c.vocabulary for c in catalogues if c not in fresh]
    for change in catalogues_store(fresh):
        result.created += len(change.created)
        result.updated += len(change.updated)
        result.unchanged += change.unchanged
    if walk is not None:
        scope = set(result.vocabularies)
        if newer_links(walk.version, scope):
            result.crosswalk_skipped = True
        else:
            result.links = crosswalk_store(walk, scope).stored
    return result
