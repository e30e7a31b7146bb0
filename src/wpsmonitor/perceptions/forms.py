"""The forms of the survey pages: set-up, a round, the answers of a round in an area, an upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.perceptions.selectors import Grid
from wpsmonitor.perceptions.template import QuestionSpec
from wpsmonitor.shell.forms import raw_text

QUESTION_SLOTS = 8


def options_text(spec: QuestionSpec) -> str:
    """A question's options as typed: one a line, the favourable ones marked with "+"."""
    return "\n".join(
        ("+ " if i in spec.favourable else "") + label for i, label in enumerate(spec.options)
    )


def options_parse(text: str) -> tuple[list[str], list[int]]:
    labels: list[str] = []
    favourable: list[int] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("+"):
            favourable.append(len(labels))
            line = line[1:].strip()
        labels.append(line)
    return labels, favourable


class SurveyForm(forms.Form):
    code = raw_text(max_length=20)
    title = raw_text(max_length=300)
    note = raw_text(max_length=2000)
    node = forms.ChoiceField(choices=())
    frequency = forms.ChoiceField(choices=[("year", _("Year")), ("quarter", _("Quarter"))])
    areas = forms.MultipleChoiceField(choices=(), required=False)
    dimensions = forms.MultipleChoiceField(choices=(), required=False)
    sensitivity = forms.ChoiceField(choices=Sensitivity.choices, initial=Sensitivity.SENSITIVE)

    def __init__(
        self,
        *args: Any,
        nodes: list[tuple[str, str]],
        areas: list[tuple[str, str]],
        dimensions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = nodes  # type: ignore[attr-defined]
        self.fields["areas"].choices = areas  # type: ignore[attr-defined]
        self.fields["dimensions"].choices = dimensions  # type: ignore[attr-defined]
        for slot in range(1, QUESTION_SLOTS + 1):
            self.fields[f"question_{slot}"] = raw_text(max_length=500)
            self.fields[f"options_{slot}"] = raw_text(max_length=2000)

    def questions(self) -> list[QuestionSpec]:
        specs = []
        for slot in range(1, QUESTION_SLOTS + 1):
            text = self.cleaned_data.get(f"question_{slot}") or ""
            options = self.cleaned_data.get(f"options_{slot}") or ""
            if not text.strip():
                continue
            labels, favourable = options_parse(options)
            specs.append(QuestionSpec(text, labels, favourable))
        return specs


class RoundForm(forms.Form):
    period = raw_text(max_length=10)
    organisation = forms.ChoiceField(choices=())

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]


def count_name(question_id: int, cell_id: int, option: str) -> str:
    return f"c-{question_id}-{cell_id}-{option}"


class AnswersForm(forms.Form):
    """A count of respondents per question, cell and option, as on the grid shown."""

    def __init__(self, *args: Any, grids: list[Grid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys: dict[str, tuple[int, int, str]] = {}
        for grid in grids:
            for row in grid.rows:
                for option, _count in row.counts:
                    name = count_name(grid.question.pk, row.cell.pk, option)
                    self.keys[name] = (grid.question.pk, row.cell.pk, option)
                    self.fields[name] = forms.IntegerField(
                        required=False,
                        min_value=0,
                        error_messages={
                            "invalid": _("A count of respondents is a whole number, 0 or more."),
                            "min_value": _("A count of respondents cannot be negative."),
                        },
                    )

    def counts(self) -> dict[tuple[int, int, str], int | None]:
        return {key: self.cleaned_data.get(name) for name, key in self.keys.items()}


class UploadForm(forms.Form):
    file = forms.FileField(required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            raise ValidationError(_("Choose a CSV or XLSX file."))
        return upload
