"""The stories a reader may read, as a CSV or XLSX file (docs/stories.md, "API and exports").

The same list as the page and the API (`selectors.stories_for`): each row is the story as this
reader reads it, through `reading.read_story` with the channel "export", so each row is logged
for the story's holder and a coarse row is built without the fields it hides. Text is
formula-neutralised (shell.downloads, core.spreadsheets); the XLSX file's "About" sheet says
where the rows come from and what a coarse row leaves out. Never cached: each file is one
reader's. The storyteller's attributes are one column each: those the plan records, then
those a row read whole still carries.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import plan_access
from wpsmonitor.accounts.two_factor import is_verified
from wpsmonitor.core.names import localized_name
from wpsmonitor.shell import downloads
from wpsmonitor.stories import attributes
from wpsmonitor.stories.models import StoryKind, StorySensitivity, StoryStatus
from wpsmonitor.stories.reading import StoryAsRead
from wpsmonitor.stories.selectors import stories_for


def _label(choices: type, value: str) -> str:
    return str(dict(choices.choices).get(value, value))  # type: ignore[attr-defined]


def _recommendations(read: StoryAsRead, references: dict[int, str]) -> str:
    """ "12 (CEDAW/C/COD/CO/8 §23); 14": each recommendation's id, its source reference if any."""
    return "; ".join(
        f"{pk} ({references[pk]})" if references.get(pk) else str(pk) for pk in read.recommendations
    )


def _row(
    read: StoryAsRead, codes: list[str], references: dict[int, str]
) -> list[downloads.CellValue]:
    return [
        read.title,
        _label(StoryKind, read.kind),
        _label(StoryStatus, read.status),
        _label(StorySensitivity, read.sensitivity),
        _("coarse") if read.coarse else _("full"),
        read.holder,
        read.domain,
        read.language,
        localized_name(read.area.name) if read.area else "",
        read.area.code if read.area else "",
        read.happened,
        *(
            attributes.answer_of(code, str(read.storyteller[code]))
            if code in read.storyteller
            else ""
            for code in codes
        ),
        read.storyteller_name,
        read.collected_by,
        _recommendations(read, references),
        read.text,
    ]


def attribute_columns(reads: list[StoryAsRead], chosen: list[str]) -> list[str]:
    """The storyteller's attributes as columns: those the plan records (`chosen`), then those
    it no longer records that a row read whole carries (the vocabulary's first, then any older
    one by its code)."""
    recorded = {str(k) for read in reads for k in read.storyteller}
    others = attributes.in_order(recorded - set(chosen))
    others += sorted(recorded - set(chosen) - set(attributes.BY_CODE))
    return [*chosen, *others]


def stories_table(reads: list[StoryAsRead], chosen: list[str]) -> downloads.Table:
    """`chosen`: the codes of the attributes the plan records (attributes.chosen_codes)."""
    codes = attribute_columns(reads, chosen)
    references = dict(
        Recommendation.objects.filter(
            pk__in={pk for read in reads for pk in read.recommendations}
        ).values_list("pk", "reference")
    )
    return downloads.Table(
        key="stories",
        title=_("Stories"),
        columns=[
            _("Title"),
            _("Kind"),
            _("Status"),
            _("Sensitivity"),
            _("Reading"),
            _("Held by"),
            _("Domain of change"),
            _("Language"),
            _("Area"),
            _("Area code"),
            _("When"),
            *(
                _("Storyteller: %(attribute)s") % {"attribute": attributes.label_of(code)}
                for code in codes
            ),
            _("Storyteller's name"),
            _("Collected by"),
            _("Recommendations"),
            _("Text"),
        ],
        rows=[_row(read, codes, references) for read in reads],
    )


def _filter(request: HttpRequest, name: str, choices: type) -> str:
    value = request.GET.get(name, "").strip()
    return value if value in choices.values else ""  # type: ignore[attr-defined]


@require_safe
def export(request: HttpRequest, code: str) -> HttpResponse:
    """`?format=csv|xlsx` (and the list's filters, `status` and `kind`): 404 for a plan the
    reader may not read or an unknown format."""
    access = plan_access(request.user, code)
    fmt = request.GET.get("format", "csv")
    if fmt not in downloads.FORMATS:
        raise Http404("No such download format")
    found = stories_for(
        access,
        channel="export",
        status=_filter(request, "status", StoryStatus),
        kind=_filter(request, "kind", StoryKind),
        verified=request.user.is_authenticated and is_verified(request),
    )
    plan = access.plan
    about = [
        (_("Plan"), plan.title),
        (
            _("Content"),
            _(
                "The plan's stories that you may read, as you may read them; your reading is logged."
            ),
        ),
        (
            _("Reading"),
            _(
                "A coarse row leaves out who collected the story and the storyteller's name and "
                "attributes, gives the month instead of the day and the province instead of the "
                "district."
            ),
        ),
        (_("Exported"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")),
        (_("Page"), request.build_absolute_uri(request.path)),
    ]
    response = downloads.respond(
        downloads.Wanted(format=fmt, table="stories"),
        {"stories": lambda: stories_table(found.items, attributes.chosen_codes(plan))},
        name=[plan.code],
        about=about,
    )
    response["Cache-Control"] = "private, no-store"
    return response
