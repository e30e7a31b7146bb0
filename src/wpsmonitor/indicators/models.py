"""Indicators, disaggregation (DHIS2 style), periods, sources, values and their aggregates.

A value sits on exactly one cell of its indicator's disaggregation scheme; totals and margins
are derived (see the aggregation package), never typed twice. Values are keyed by source: the
government's official figures and each civil-society or donor stream are never merged.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.models import TimeStamped
from wpsmonitor.core.periods import PeriodType
from wpsmonitor.core.vocabulary import Sensitivity, SourceKind
from wpsmonitor.plans.models import DISCLOSURE_THRESHOLD_FLOOR, disclosure_threshold_validate


class Dimension(models.Model):
    """A way to break a figure down: sex, age group, disability, area type, displacement..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    plan = models.ForeignKey(
        "plans.Plan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dimensions",
        help_text=_("Empty for dimensions shared by all plans."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return self.name


class DimensionOption(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # RESTRICT, not PROTECT: an option with children is not deleted alone, but deleting the
    # plan deletes parents and children together.
    # Hierarchical dimensions: the option of another dimension (or of its own) this one sits
    # under, e.g. rank "general" under category "officers". A cell holding both dimensions
    # exists only for the combinations the hierarchy allows (services._cells_generate), and a
    # cell naming the child without the parent's dimension still adds into the parent's margin
    # (aggregation/dimensions.py): totals by category are derived from the ranks.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="children",
    )

    class Meta:
        ordering = ["dimension", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="option_code_unique"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="option_parent_not_itself"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def original_language(self) -> str:
        """The language of its name: its plan's, English for the shared dimensions' options
        (whose names are msgids of the catalogue: core/names.py)."""
        plan = self.dimension.plan
        return plan.original_language if plan is not None else settings.LANGUAGE_CODE


class DisaggregationScheme(models.Model):
    """An ordered combination of dimensions. The scheme with no dimension has one cell: the total."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    dimensions: models.ManyToManyField[Dimension, SchemeDimension] = models.ManyToManyField(
        Dimension, through="SchemeDimension", related_name="schemes"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("disaggregation scheme")
        verbose_name_plural = _("disaggregation schemes")

    def __str__(self) -> str:
        return self.name


class SchemeDimension(models.Model):
    scheme = models.ForeignKey(DisaggregationScheme, on_delete=models.CASCADE)
    # RESTRICT, not PROTECT (as every link to a scheme or its cells): a dimension in a scheme
    # is not deleted alone, but a plan is deleted in one operation with the schemes made of its
    # own dimensions (demo/builder.py: plan_delete_whole; docs/architecture.md).
    dimension = models.ForeignKey(Dimension, on_delete=models.RESTRICT)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "dimension"], name="scheme_dimension_unique")
        ]


class Cell(models.Model):
    """One full combination of options of a scheme, e.g. sex=F;age=18-29;disability=yes.

    `code` is canonical: "dimension=option" pairs in the scheme's dimension order, joined by ";".
    The single cell of the empty scheme has the code "total".
    """

    scheme = models.ForeignKey(DisaggregationScheme, on_delete=models.CASCADE, related_name="cells")
    code = models.CharField(_("code"), max_length=255)
    options = models.ManyToManyField(DimensionOption, related_name="cells")

    class Meta:
        ordering = ["scheme", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="cell_code_unique")]

    def __str__(self) -> str:
        return self.code

    def option_map(self) -> dict[str, str]:
        """{"sex": "F", "age": "18-29"} from the canonical code."""
        if self.code == TOTAL_CELL:
            return {}
        return dict(pair.split("=", 1) for pair in self.code.split(";"))


TOTAL_CELL = "total"


class Period(models.Model):
    """A period with its ISO-style code (2025, 2025S1, 2025Q3, 2025-07)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    type = models.CharField(
        _("type"), max_length=10, choices=[(t.value, t.value) for t in PeriodType]
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["start", "-end"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")

    def __str__(self) -> str:
        return self.code


class Source(models.Model):
    """Who reports a value. Official and shadow figures are stored side by side, never merged."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    name = models.CharField(_("name"), max_length=255)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources",
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


GOVERNMENT_SOURCE = "gov"


class GlobalIndicator(models.Model):
    """An entry of a global catalogue (SG global WPS indicators, SDG, CEDAW GR30, GNWP).

    Loaded from the versioned JSON files in indicators/catalogues/, never typed in code.
    """

    vocabulary = models.SlugField(_("vocabulary"), max_length=40)
    code = models.CharField(_("code"), max_length=40)
    title = models.TextField(_("title"))
    pillar = models.CharField(_("pillar"), max_length=40, blank=True)
    catalogue_version = models.CharField(_("catalogue version"), max_length=40)
    # True when the wording in the catalogue's own language (English) was read in its source.
    verified = models.BooleanField(_("verified"), default=False)
    source_ref = models.TextField(_("source"), blank=True)
    # Per language (en, fr, es, ar): the official wording, where the source publishes one;
    # a non-official translation, kept apart so that it is never shown as official; and, for
    # each language whose wording was read in its source, the exact reference it was read in.
    titles = models.JSONField(_("official wordings"), default=dict, blank=True)
    working_titles = models.JSONField(_("working translations"), default=dict, blank=True)
    verified_in = models.JSONField(_("verified against"), default=dict, blank=True)

    class Meta:
        ordering = ["vocabulary", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="global_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"

    def wording(self, language: str) -> tuple[str, str]:
        """The text to show in a language, and what it is.

        "official" (the source's own wording in that language), "working" (a translation that
        is not official) or "fallback" (the catalogue's own title, in another language).
        """
        if self.titles.get(language):
            return self.titles[language], "official"
        if self.working_titles.get(language):
            return self.working_titles[language], "working"
        return self.title, "fallback"


class GlobalCatalogue(models.Model):
    """A catalogue as a whole: its version, title and source (its entries are GlobalIndicator).

    Written by the loader (the shipped files, after every migrate) and by the import of a
    metadata package, so that a catalogue can be exported again from the database.
    """

    vocabulary = models.SlugField(_("vocabulary"), max_length=40, unique=True)
    version = models.CharField(_("catalogue version"), max_length=40)
    title = models.TextField(_("title"))
    source_ref = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["vocabulary"]

    def __str__(self) -> str:
        return f"{self.vocabulary} {self.version}"


class CrosswalkRelation(models.TextChoices):
    SAME = "same", _("same measure")
    CLOSE = "close", _("close measure")
    BROADER = "broader", _("broader measure")


class GlobalIndicatorLink(models.Model):
    """A link of the crosswalk between catalogues, read from catalogues/crosswalk.json.

    BROADER reads "source is broader than target"; SAME and CLOSE read both ways.
    """

    source = models.ForeignKey(
        GlobalIndicator,
        on_delete=models.CASCADE,
        related_name="links_out",
        verbose_name=_("from entry"),
    )
    target = models.ForeignKey(
        GlobalIndicator,
        on_delete=models.CASCADE,
        related_name="links_in",
        verbose_name=_("to entry"),
    )
    relation = models.CharField(_("relation"), max_length=10, choices=CrosswalkRelation.choices)
    source_ref = models.TextField(_("source"))
    verified = models.BooleanField(_("verified"), default=False)
    crosswalk_version = models.CharField(_("crosswalk version"), max_length=40)

    class Meta:
        ordering = ["source", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"], name="global_indicator_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="global_indicator_link_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.relation} {self.target}"


class IndicatorKind(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage (numerator / denominator)")
    YES_NO = "yes_no", _("Yes / no")
    MILESTONE = "milestone", _("Milestone (stage reached)")
    SCALE = "scale", _("Qualitative scale")
    NARRATIVE = "narrative", _("Narrative")
    LIST = "list", _("List of items (laws, policies, mechanisms), counted")
    FORMULA = "formula", _("Derived: formula over other indicators")
    SHARE = "share", _("Derived: share of a disaggregation option")


# Units that count people or events, in the platform's languages (singular and plural): a number
# indicator with one of them counts whole things, so 1.5 is refused (a typo for 15, or a decimal
# comma read as a point). A unit that is a rate ("deaths per 100,000 live births") or a measure
# (days, USD, %) is not in the list: its figures keep their decimals.
_COUNT_WORDS = """
    people person persons individual individuals woman women man men girl girls boy boys
    child children survivor survivors victim victims member members officer officers
    negotiator negotiators staff participant participants beneficiary beneficiaries
    case cases incident incidents event events meeting meetings session sessions
    complaint complaints death deaths
    personne personnes femme femmes homme hommes fille filles garçon garçons enfant enfants
    survivante survivantes survivant survivants victime victimes membre membres officier
    officiers agent agents négociateur négociateurs négociatrice négociatrices participante
    participantes bénéficiaire bénéficiaires cas événement événements réunion réunions
    séance séances plainte plaintes décès
"""
COUNT_UNITS = frozenset(_COUNT_WORDS.split())
# Words that make a unit a rate or a share, whatever it counts.
_RATE_WORDS = frozenset({"per", "par", "pour", "%", "/", "‰"})


def counts_whole_things(kind: str, unit: str) -> bool:
    """A number indicator whose unit counts people or events: its figures are whole numbers."""
    if kind != IndicatorKind.NUMBER:
        return False
    # "member|members" (core/units.py: singular and plural) counts as both its words.
    words = unit.lower().replace("%", " % ").replace("/", " / ").replace("|", " ").split()
    if not words or any(word in _RATE_WORDS for word in words):
        return False
    return any(word.strip(".,;:()") in COUNT_UNITS for word in words)


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")
    MAINTAIN = "maintain", _("Keep at target")


class TimeRule(models.TextChoices):
    SUM = "sum", _("Sum over time")
    LAST = "last", _("Last value")
    AVERAGE = "average", _("Average")
    NONE = "none", _("Not added up over time")


class Indicator(TimeStamped):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="indicators")
    node = models.ForeignKey(
        "plans.FrameworkNode",
        verbose_name=_("framework node"),
        on_delete=models.RESTRICT,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    definition = models.TextField(_("definition"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices)
    unit = models.CharField(_("unit"), max_length=64, blank=True)
    direction = models.CharField(
        _("desired direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    time_rule = models.CharField(_("rule over time"), max_length=10, choices=TimeRule.choices)
    scheme = models.ForeignKey(
        DisaggregationScheme,
        verbose_name=_("disaggregation"),
        on_delete=models.RESTRICT,
        related_name="indicators",
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=10,
        choices=[(t.value, t.value) for t in PeriodType],
        default=PeriodType.QUARTER,
    )
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    responsible_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    references = models.ManyToManyField(
        GlobalIndicator, verbose_name=_("global references"), blank=True, related_name="indicators"
    )
    # Percentages and formulas: value = numerator / denominator × factor.
    factor = models.FloatField(_("factor"), default=1)
    # Scale and milestone: ordered labels; the value is the index reached (0-based).
    scale_labels = models.JSONField(_("scale or milestone labels"), default=list, blank=True)
    # Formula: "{IND-A} + {IND-B}" over other indicators' values, numerator and denominator.
    numerator_formula = models.CharField(_("numerator formula"), max_length=500, blank=True)
    denominator_formula = models.CharField(_("denominator formula"), max_length=500, blank=True)
    # Share: the share of one option (e.g. sex=F) of a source indicator's disaggregation.
    share_of = models.ForeignKey(
        "self",
        verbose_name=_("share of"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="share_indicators",
    )
    share_dimension = models.ForeignKey(
        Dimension, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    share_option = models.ForeignKey(
        DimensionOption, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    expected_min = models.FloatField(_("expected minimum"), null=True, blank=True)
    expected_max = models.FloatField(_("expected maximum"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    # Localisation (docs/localisation.md): the national indicator a local plan's indicator was
    # copied down from, and whether the national plan adds its local plans' figures up.
    source_indicator = models.ForeignKey(
        "self",
        verbose_name=_("national indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="localisations",
        help_text=_("The national indicator this local indicator localises."),
    )
    roll_up = models.BooleanField(
        _("add local figures up"),
        default=False,
        help_text=_(
            "Build a national figure from the local plans' figures: counts are summed, "
            "percentages from the sums of their numerators and denominators."
        ),
    )
    # A civil-society organisation's own indicator (e.g. GNWP's), reported on by its stream only.
    # None: one of the plan's indicators. Until published, only its organisation's monitors see it.
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("civil-society owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_indicators",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Disclosure control (docs/publishing.md): a sensitive indicator's counts below the
    # threshold are never published; a restricted one is never published at all.
    sensitivity = models.CharField(
        _("sensitivity"),
        max_length=10,
        choices=Sensitivity.choices,
        default=Sensitivity.PUBLIC,
        help_text=_(
            "Sensitive: counts of persons who could be identified (survivors, cases, "
            "defenders); small counts are suppressed when published. Restricted: never "
            "published."
        ),
    )
    disclosure_threshold = models.PositiveSmallIntegerField(
        _("disclosure threshold"),
        null=True,
        blank=True,
        validators=[disclosure_threshold_validate],
        help_text=format_lazy(
            _(
                "Smallest count published for this sensitive indicator; empty: the plan's. Never below {floor}."
            ),
            floor=DISCLOSURE_THRESHOLD_FLOOR,
        ),
    )
    # Dropped by a revision of the plan (docs/revisions.md): never deleted, so its figures keep
    # their history; the version that dropped it (a draft until approved).
    retired_in = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("dropped in version"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="retired_indicators",
    )

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique"),
            # plans.services.indicator_create: "The factor must be positive." (a percentage's
            # value is numerator / denominator x factor).
            models.CheckConstraint(condition=Q(factor__gt=0), name="indicator_factor_positive"),
            # plans.models.DISCLOSURE_THRESHOLD_FLOOR: a threshold below it protects no one.
            models.CheckConstraint(
                condition=Q(disclosure_threshold__isnull=True)
                | Q(disclosure_threshold__gte=DISCLOSURE_THRESHOLD_FLOOR),
                name="indicator_disclosure_threshold_floor",
            ),
            # plans.services and reporting.services: "The expected minimum is above the
            # expected maximum."
            models.CheckConstraint(
                condition=Q(expected_min__isnull=True)
                | Q(expected_max__isnull=True)
                | Q(expected_min__lte=F("expected_max")),
                name="indicator_expected_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def original_language(self) -> str:
        """The language of its texts: its plan's (core/translated.py)."""
        return self.plan.original_language

    @property
    def is_derived(self) -> bool:
        return self.kind in (IndicatorKind.FORMULA, IndicatorKind.SHARE)

    @property
    def whole_numbers(self) -> bool:
        """Its figures count people or events (see COUNT_UNITS): 1.5 is refused."""
        return counts_whole_things(self.kind, self.unit)


# --- Row rules the database holds -----------------------------------------------------------
# The importer (indicators/ingest.py) and plans.services check a figure before they store it,
# with a readable message per row; the database holds the same rules as CHECK constraints, so
# an admin edit, a shell session or a future app cannot store a row they would refuse. Only
# the facts of the row itself can be checks. The rules that depend on the indicator's kind
# (a number indicator needs a value, yes/no is 0 or 1, a scale step is below the number of
# labels, a count is not negative unless expected_min is, a percentage's value is numerator /
# denominator x factor) need a join to the indicator and stay in code. docs/import-formats.md
# lists both.


def _ratio_constraints(prefix: str) -> list[models.BaseConstraint]:
    """A percentage's numerator and denominator (only percentages have them, always both)."""
    return [
        # ingest: "a percentage needs a numerator" / "a percentage needs a denominator"; the
        # other kinds refuse both ("numerator is not used by a number indicator").
        models.CheckConstraint(
            condition=Q(numerator__isnull=True, denominator__isnull=True)
            | Q(numerator__isnull=False, denominator__isnull=False),
            name=f"{prefix}_ratio_terms_together",
        ),
        # ingest: "the numerator cannot be negative".
        models.CheckConstraint(
            condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
            name=f"{prefix}_numerator_not_negative",
        ),
        # ingest: "the denominator must be greater than 0".
        models.CheckConstraint(
            condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
            name=f"{prefix}_denominator_positive",
        ),
        # ingest: "the numerator (…) is above the denominator (…)".
        models.CheckConstraint(
            condition=Q(numerator__isnull=True)
            | Q(denominator__isnull=True)
            | Q(numerator__lte=F("denominator")),
            name=f"{prefix}_numerator_within_denominator",
        ),
    ]


def _finite(column: str) -> Q:
    """The column is empty or a finite number (NaN and infinities are outside any range)."""
    return Q(**{f"{column}__isnull": True}) | Q(
        **{f"{column}__gte": -sys.float_info.max, f"{column}__lte": sys.float_info.max}
    )


class ReferenceValue(models.Model):
    """Common shape of baselines and targets: per indicator, area, cell and period.

    Rules held by the database (see _reference_constraints): plans.services._reference_clean
    stores a value, or a percentage's numerator and denominator (with the value computed).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey(Cell, on_delete=models.RESTRICT, related_name="+")
    value = models.FloatField(_("value"), null=True, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        abstract = True


def _reference_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The rules of plans.services._reference_clean (the same as ingest's for a value)."""
    return [
        *_ratio_constraints(prefix),
        # plans.services: "Give a value." (or a percentage's numerator and denominator).
        models.CheckConstraint(
            condition=Q(value__isnull=False) | Q(numerator__isnull=False),
            name=f"{prefix}_has_figure",
        ),
    ]


class Baseline(ReferenceValue):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="baselines")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "cell"], name="baseline_unique"),
            *_reference_constraints("baseline"),
        ]


class Target(ReferenceValue):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "area", "cell"], name="target_unique"
            ),
            *_reference_constraints("target"),
        ]


class TargetChange(models.Model):
    """A target changed by a revision of the plan (docs/revisions.md): the value before and
    after, the version and the moment it changed. Achievement of a period that ended before
    `changed_at` is measured against `old_value` (aggregation/achievement.py); the Target row
    holds the value in force now. None: no target (one added or removed)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="target_changes"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey(Cell, on_delete=models.RESTRICT, related_name="+")
    old_value = models.FloatField(_("target before"), null=True, blank=True)
    new_value = models.FloatField(_("target after"), null=True, blank=True)
    version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("version"),
        on_delete=models.RESTRICT,
        related_name="target_changes",
    )
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["indicator", "period", "changed_at", "pk"]
        verbose_name = _("target change")
        verbose_name_plural = _("target changes")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_id}: {self.old_value} -> {self.new_value}"


class ImportBatch(models.Model):
    """One import or API write: who, what file, when, how many rows. Values point to it."""

    kind = models.CharField(max_length=20)  # plan, values, api
    filename = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class DataValue(models.Model):
    """The fact table. Unique on (indicator, period, area, cell, source).

    Foreign keys other than the leading indicator carry no index of their own: the unique
    index serves every read path, and fewer indexes keep million-row imports fast.

    The database holds the value rules that are facts of the row (Meta.constraints, each named
    after the ingest rule it mirrors); the rules that depend on the indicator's kind stay in
    indicators/ingest.py.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_index=False)
    area = models.ForeignKey(
        "directory.Area", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    cell = models.ForeignKey(Cell, on_delete=models.RESTRICT, related_name="+", db_index=False)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", db_index=False)
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    text_value = models.TextField(blank=True, default="")
    comment = models.TextField(blank=True, default="")
    stored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "area", "cell", "source"], name="datavalue_unique"
            ),
            *_ratio_constraints("datavalue"),
            # ingest: "text is not used by a percentage indicator; leave it empty".
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(text_value=""),
                name="datavalue_ratio_without_text",
            ),
            # ingest: every kind stores a figure: a number ("a value is required for a number
            # indicator", "a yes/no value is required", a scale step), a percentage's numerator
            # and denominator, or a narrative's text ("a narrative indicator needs its text").
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(numerator__isnull=False) | ~Q(text_value=""),
                name="datavalue_has_figure",
            ),
            # ingest (parse_number): "… is not a finite number".
            models.CheckConstraint(
                condition=_finite("value") & _finite("numerator") & _finite("denominator"),
                name="datavalue_figures_finite",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.period_id}/{self.area_id}/{self.cell_id}"


class AuditAction(models.TextChoices):
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class DataValueAudit(models.Model):
    """Every change to a stored value: the old and new figures, who, when, through what.

    Creation is recorded on the value itself (stored_by, created_at, batch); updates and
    deletions land here, so the history of a value is its row plus its audit rows.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_index=False)
    area = models.ForeignKey(
        "directory.Area", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    cell = models.ForeignKey(Cell, on_delete=models.RESTRICT, related_name="+", db_index=False)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", db_index=False)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    old_value = models.FloatField(null=True)
    old_numerator = models.FloatField(null=True)
    old_denominator = models.FloatField(null=True)
    old_text = models.TextField(default="")
    new_value = models.FloatField(null=True)
    new_numerator = models.FloatField(null=True)
    new_denominator = models.FloatField(null=True)
    new_text = models.TextField(default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # Who changed it, kept when the account is deleted (core/history.py).
    changed_by_name = models.CharField(max_length=150, blank=True, default="")
    batch = models.ForeignKey(
        ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    changed_at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")

    kept_names = {"changed_by": "changed_by_name"}

    class Meta:
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["indicator", "period", "area", "cell", "source"])]


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    YEAR = "year", _("Year only")


class ListItem(TimeStamped):
    """An item of a list indicator: a law, policy or mechanism adopted, with date and reference.

    `period` is the period the item was first reported in, the one it counts in: reporting it
    again later never moves it (a later report adds a ListItemReport, its mention or status
    that year). `date` may be known to the year only (`date_precision`; stored as 1 January).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="items")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=500)
    item_type = models.CharField(_("type"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date known to"), max_length=4, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    reference = models.CharField(_("reference"), max_length=500, blank=True)

    @property
    def date_shown(self) -> str:
        """The date as known: 2019 for a year alone, else YYYY-MM-DD; empty without one."""
        if self.date is None:
            return ""
        if self.date_precision == DatePrecision.YEAR:
            return str(self.date.year)
        return self.date.isoformat()

    class Meta:
        ordering = ["indicator", "date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "source", "title"], name="list_item_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ListItemReport(models.Model):
    """One report of a list item in a period: the first (the period it counts in) and every
    later one, with the item's status that period ("adopted", "in force", "revised"...).
    Reports are never counted: the item counts once, in its first period."""

    item = models.ForeignKey(ListItem, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=200, blank=True)

    class Meta:
        ordering = ["item", "period__start"]
        constraints = [
            models.UniqueConstraint(fields=["item", "period"], name="list_item_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.period_id}"


class AggregateValue(models.Model):
    """Derived table, rebuilt off the request path by indicators.aggregation; pages and API read it.

    One row per (indicator, period, area, source, cell_key) where cell_key is "" for the
    total and "dim=opt" for a one-dimension margin (full cross-tabs are computed on demand by
    selectors.indicator_table); a share also stores every full cell of the dimensions it
    keeps ("age=18-29;rank=officer"). Periods include the coarser periods that contain reported
    ones (quarters -> semesters -> years) and "ALL", the whole plan period to date.
    """

    # No database-level foreign keys: a derived table rewritten millions of rows at a time
    # (PostgreSQL checked four constraints per inserted row); Django still cascades deletes.
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    period_code = models.CharField(max_length=10)
    area = models.ForeignKey(
        "directory.Area",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    cell_key = models.CharField(max_length=255, default="")
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    target = models.FloatField(null=True)
    baseline = models.FloatField(null=True)
    achievement = models.FloatField(null=True)  # raw progress from baseline to target, uncapped
    value_count = models.PositiveIntegerField(default=0)
    # The rebuild that last wrote the row (AggregateRun.generation): rebuilds update rows in
    # place and then drop the rows they did not write, instead of deleting everything first.
    run = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # Column order serves the series and cross-tab reads (indicator, area, source, cell).
            models.UniqueConstraint(
                fields=["indicator", "area", "source", "cell_key", "period_code"],
                name="aggregate_unique",
            )
        ]
        # No other index: every read names its indicators, and each extra index slowed the
        # rebuild's multi-million-row insert and delete.


class NodeProgress(models.Model):
    """Derived roll-up per framework node (and per plan, node = null), for one period/area/source.

    Action counts are not stored: they depend on today's date and are computed live by
    selectors (one query over the plan's action nodes).
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(
        "plans.FrameworkNode", null=True, on_delete=models.CASCADE, related_name="+"
    )
    period_code = models.CharField(max_length=10)
    area = models.ForeignKey("directory.Area", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    indicators_total = models.PositiveIntegerField(default=0)
    indicators_measured = models.PositiveIntegerField(default=0)
    achievement = models.FloatField(null=True)  # mean of capped indicator achievements

    class Meta:
        indexes = [models.Index(fields=["plan", "period_code", "area", "source"])]


class AggregateRun(models.Model):
    """When a plan's aggregates were last rebuilt; pages show it so nobody trusts stale figures."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(null=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    rows = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True)
    error = models.TextField(blank=True, default="")
    generation = models.PositiveIntegerField(default=0)
