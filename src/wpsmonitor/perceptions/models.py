"""Perception surveys: local women's perceptions of security as a barometer (docs/perceptions.md).

A survey of a plan asks a set of questions, each with its ordered answer options, some of them
favourable; it is run in rounds (a period each, by one organisation) in its areas. Each question
feeds one percentage indicator of the plan (the share of respondents answering a favourable
option), created when the survey is set up, so its figures go through the aggregation, the
pages, the releases and the disclosure control of every indicator. The answers are kept as
counts of respondents per option, area and disaggregation cell; the figures are derived from them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.models import TimeStamped


class Survey(TimeStamped):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="surveys")
    code = models.SlugField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    node = models.ForeignKey(
        "plans.FrameworkNode",
        verbose_name=_("framework node"),
        on_delete=models.RESTRICT,
        related_name="+",
    )
    scheme = models.ForeignKey(
        "indicators.DisaggregationScheme",
        verbose_name=_("disaggregation"),
        on_delete=models.RESTRICT,
        related_name="+",
    )
    frequency = models.CharField(_("frequency"), max_length=10)
    areas = models.ManyToManyField("directory.Area", related_name="+", verbose_name=_("areas"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("perception survey")
        verbose_name_plural = _("perception surveys")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="survey_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("question"), max_length=500)
    # The answer options in order: [{"code": "1", "label": "Very unsafe", "favourable": false}].
    options = models.JSONField(_("answer options"), default=list)
    indicator = models.OneToOneField(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.RESTRICT,
        related_name="perception_question",
    )

    class Meta:
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "order"], name="survey_question_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def option_codes(self) -> list[str]:
        return [str(option["code"]) for option in self.options]

    @property
    def favourable_codes(self) -> set[str]:
        return {str(option["code"]) for option in self.options if option.get("favourable")}


class Round(TimeStamped):
    """One administration of the survey: a period, and the organisation that runs it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    period = models.ForeignKey(
        "indicators.Period", verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation running the round"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.ForeignKey(
        "indicators.Source", on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )

    class Meta:
        ordering = ["survey", "period__start"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "period"], name="survey_round_period_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.survey.code} {self.period.code}"


class Answer(models.Model):
    """How many respondents of a round, in an area and a disaggregation cell, gave an option."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    area = models.ForeignKey("directory.Area", on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey("indicators.Cell", on_delete=models.RESTRICT, related_name="+")
    option = models.CharField(_("answer option"), max_length=20)
    count = models.IntegerField(_("respondents"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "question", "area", "cell", "option"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "question", "area", "cell", "option"], name="survey_answer_unique"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0), name="survey_answer_count_not_negative"
            ),
        ]
