"""The global indicator catalogues in the API: public reference data, read by anyone.

    GET /api/v1/catalogues               every catalogue: vocabulary, version, title, entries
    GET /api/v1/catalogues/{vocabulary}  the metadata package of one catalogue

No credentials are needed (the catalogues are published frameworks, the same for every reader);
nothing here writes: importing a package is for the server's administrator, on the command line
(docs/catalogues.md, "Metadata packages").
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.core.api import ErrorOut, not_found
from wpsmonitor.indicators.catalogue_packages import (
    catalogue_summaries,
    package_build,
    package_dumps,
)

router = Router(tags=["catalogues"])
VOCABULARY_PATTERN = r"^[-a-z0-9_]{1,40}$"
_VOCABULARY = re.compile(VOCABULARY_PATTERN)
Vocabulary = Annotated[
    str,
    Field(
        max_length=40,
        pattern=VOCABULARY_PATTERN,
        description="lower-case letters, digits, - or _ (sdg, sg-wps)",
    ),
]


class CatalogueOut(Schema):
    vocabulary: str = Field(description="The catalogue's name in references: sdg in sdg:5.5.1a")
    version: str
    title: str
    entries: int = Field(description="How many entries the platform holds")


class CatalogueListOut(Schema):
    count: int
    items: list[CatalogueOut]


class CatalogueFileOut(Schema):
    vocabulary: str
    version: str
    format: int = Field(description="The catalogue file format (2)")
    title: str
    source_ref: str | None = None
    entries: list[dict[str, Any]] = Field(
        description="code, title, titles and working_titles by language, verified (per "
        "language: what the wording was read in, or null), pillar, source_ref"
    )


class CrosswalkLinkOut(Schema):
    from_: str = Field(alias="from", description="vocabulary:code")
    to: str
    type: str = Field(description="same, close or broader (from is broader than to)")
    verified: bool
    source_ref: str


class CrosswalkOut(Schema):
    version: str
    links: list[CrosswalkLinkOut]


class CataloguePackageOut(Schema):
    format: str = Field(description="wpsmonitor-catalogues")
    format_version: int
    platform_version: str
    exported_at: str
    catalogues: list[CatalogueFileOut]
    crosswalk: CrosswalkOut | None = Field(
        None, description="The links among the package's entries (left out when none)"
    )


@router.get(
    "/catalogues",
    response={200: CatalogueListOut},
    summary="Global indicator catalogues",
    operation_id="catalogues_list",
    url_name="catalogues_list",
)
def catalogues_list(request: HttpRequest) -> dict[str, Any]:
    """Every catalogue the platform holds (the shipped ones and any imported)."""
    items = catalogue_summaries()
    return {"count": len(items), "items": items}


@router.get(
    "/catalogues/{vocabulary}",
    response={200: CataloguePackageOut, 400: ErrorOut, 404: ErrorOut},
    summary="One catalogue as a metadata package",
    operation_id="catalogue_get",
    url_name="catalogue_get",
)
def catalogue_get(request: HttpRequest, vocabulary: Vocabulary) -> HttpResponse:
    """The metadata package of one catalogue, as `wpsmonitor catalogues export` writes it:
    `wpsmonitor catalogues import` reads it on another server."""
    held = {item["vocabulary"] for item in catalogue_summaries()}
    if not _VOCABULARY.match(vocabulary) or vocabulary not in held:
        raise not_found(_("No catalogue %(vocabulary)s.") % {"vocabulary": vocabulary})
    text = package_dumps(package_build([vocabulary], exported_at=timezone.now()))
    return HttpResponse(text, content_type="application/json; charset=utf-8")
