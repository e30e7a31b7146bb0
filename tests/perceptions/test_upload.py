"""An upload of answers is stored whole, or refused whole with every problem located."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from wpsmonitor.indicators.models import DataValue
from wpsmonitor.perceptions import services
from wpsmonitor.perceptions.models import Answer

from .conftest import SurveyWorld

HEADER = ["question", "area", "cell", "option", "count"]


def _xlsx(tmp_path: Path, rows: list[list[object]], name: str = "answers.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Answers"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _csv(tmp_path: Path, text: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _upload(pw: SurveyWorld, round_, path: Path, who: str = "monitor") -> int:  # type: ignore[no-untyped-def]
    return services.answers_upload(by=pw.users[who], round_=round_, path=path, filename=path.name)


def test_a_good_workbook_is_stored(pw: SurveyWorld, tmp_path: Path) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    path = _xlsx(
        tmp_path,
        [
            [1, "SEN-D11", "sex=F", 1, 2],
            [1, "SEN-D11", "sex=F", "Safe", 3],  # an option by its label
            ["PPS-Q1", "SEN-D11", "sex=M", "4", 1],  # a question by its indicator's code
            [5, "SEN-D21", "sex=F", "Safer", 4],
        ],
    )
    assert _upload(pw, round_, path) == 4
    value = DataValue.objects.get(
        indicator__code="PPS-Q1", area=pw.area("D11"), cell__code="sex=F", source=round_.source
    )
    assert (value.numerator, value.denominator) == (3, 5)
    q5 = DataValue.objects.get(indicator__code="PPS-Q5", area=pw.area("D21"))
    assert (q5.numerator, q5.denominator, q5.value) == (4, 4, 100)


def test_a_semicolon_csv_is_read(pw: SurveyWorld, tmp_path: Path) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    path = _csv(
        tmp_path, "question;area;cell;option;count\n1;SEN-D11;sex=F;3;7\n1;SEN-D11;sex=F;1;3\n"
    )
    assert _upload(pw, round_, path) == 2
    value = DataValue.objects.get(indicator__code="PPS-Q1", cell__code="sex=F")
    assert value.value == pytest.approx(70)


def test_a_bad_workbook_is_refused_whole_with_each_problem_located(
    pw: SurveyWorld, tmp_path: Path
) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    # Stored before: the refused file must leave it as it was.
    services.answers_save(
        by=pw.users["monitor"],
        round_=round_,
        area=pw.area("D11"),
        counts={
            (survey.questions.get(order=1).pk, survey.scheme.cells.get(code="sex=F").pk, "3"): 9
        },
    )
    path = _xlsx(
        tmp_path,
        [
            [1, "SEN-D11", "sex=F", 1, 2],  # row 2: fine
            [1, "SEN-D11", "sex=F", "Rather safe", 3],  # row 3: unknown option
            [1, "SEN-D11", "sex=M", 2, -4],  # row 4: negative count
            [1, "SEN-D12", "sex=F", 3, 5],  # row 5: not one of the survey's areas
            [1, "SEN-D21", "sex=X", 3, 5],  # row 6: unknown cell
        ],
    )
    with pytest.raises(services.AnswersRefused) as refused:
        _upload(pw, round_, path)
    messages = [p.message for p in refused.value.located()]
    assert messages[0].startswith("answers.xlsx:Answers:3:option: 'Rather safe' is not an answer")
    assert messages[1].startswith("answers.xlsx:Answers:4:count:")
    assert messages[2].startswith(
        "answers.xlsx:Answers:5:area: 'SEN-D12' is not one of the survey's areas"
    )
    assert messages[3].startswith("answers.xlsx:Answers:6:cell:")
    assert len(messages) == 4
    # Nothing of the file is stored; what was there stays.
    assert [(a.option, a.count) for a in Answer.objects.all()] == [("3", 9)]
    assert DataValue.objects.get(indicator__code="PPS-Q1").denominator == 9


def test_a_csv_problem_is_located_by_file_row_and_column(pw: SurveyWorld, tmp_path: Path) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    path = _csv(
        tmp_path, "question,area,cell,option,count\n9,SEN-D11,sex=F,1,2\n1,SEN-D11,sex=F,1,two\n"
    )
    with pytest.raises(services.AnswersRefused) as refused:
        _upload(pw, round_, path)
    messages = [p.message for p in refused.value.located()]
    assert messages[0].startswith("answers.csv:2:question: unknown question '9'")
    assert messages[1].startswith("answers.csv:3:count:")
    assert not Answer.objects.exists()


def test_a_file_without_a_required_column_is_refused(pw: SurveyWorld, tmp_path: Path) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    path = _csv(tmp_path, "question,area,cell,option\n1,SEN-D11,sex=F,1\n")
    with pytest.raises(services.AnswersRefused) as refused:
        _upload(pw, round_, path)
    assert refused.value.located()[0].message == "answers.csv:1:count: the column count is missing"


def test_a_focal_point_uploading_for_an_area_they_do_not_cover_is_refused(
    pw: SurveyWorld, tmp_path: Path
) -> None:
    survey = pw.survey()
    round_ = pw.round(survey, organisation="ministry")
    path = _xlsx(tmp_path, [[1, "SEN-D11", "sex=F", 1, 2], [1, "SEN-D21", "sex=F", 1, 2]])
    with pytest.raises(services.AnswersRefused) as refused:
        _upload(pw, round_, path, who="focal_p1")
    messages = [p.message for p in refused.value.located()]
    assert messages == ["answers.xlsx:Answers:3:area: you do not enter answers for SEN-D21"]
    assert not Answer.objects.exists()


def test_another_organisation_cannot_upload(pw: SurveyWorld, tmp_path: Path) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    path = _xlsx(tmp_path, [[1, "SEN-D11", "sex=F", 1, 2]])
    for who in ("focal", "coordinator", "viewer"):
        with pytest.raises(PermissionDenied):
            _upload(pw, round_, path, who=who)
    assert not Answer.objects.exists()
