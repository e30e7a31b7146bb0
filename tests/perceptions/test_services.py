"""Setting a survey up creates its indicators; answers become their shares, rebuilt."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wpsmonitor.indicators.models import AggregateValue, DataValue, IndicatorKind
from wpsmonitor.perceptions import services
from wpsmonitor.perceptions.models import Answer, Round

from .conftest import SurveyWorld


def _cell(survey: Any, code: str) -> int:
    return int(survey.scheme.cells.get(code=code).pk)


def _share(round_: Round, area: Any, cell_key: str = "", question: int = 1) -> float | None:
    indicator = round_.survey.questions.get(order=question).indicator
    row = AggregateValue.objects.filter(
        indicator=indicator,
        area=area,
        source=round_.source,
        cell_key=cell_key,
        period_code=round_.period.code,
    ).first()
    return None if row is None else row.value


def test_setting_up_creates_an_indicator_per_question(pw: SurveyWorld) -> None:
    survey = pw.survey()
    questions = list(survey.questions.select_related("indicator", "indicator__node"))
    assert len(questions) == 5
    first = questions[0].indicator
    assert first.code == "PPS-Q1"
    assert first.plan == pw.plan
    assert first.kind == IndicatorKind.PERCENTAGE
    assert first.node.code == "O3"
    assert first.frequency == "year"
    assert first.title == "How safe do you feel walking in your neighbourhood after dark?"
    assert list(first.scheme.dimensions.values_list("code", flat=True)) == ["sex"]
    assert first.sensitivity == "sensitive"  # counts of people: disclosure control applies
    assert "Safe / Very safe" in first.definition
    assert questions[0].favourable_codes == {"3", "4"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dimensions": ["nonsense"]}, "dimensions"),
        ({"areas": []}, "areas"),
        # A province and one of its districts: the district would be counted twice.
        ({"areas": ["P1", "D11"]}, "areas"),
        ({"frequency": "month"}, "frequency"),
        ({"code": "Bad Code!"}, "code"),
    ],
)
def test_a_bad_set_up_is_refused_and_creates_nothing(
    pw: SurveyWorld, change: dict[str, Any], field: str
) -> None:
    if "areas" in change:
        change = {"areas": [pw.area(a) for a in change["areas"]]}
    with pytest.raises(ValidationError) as refused:
        pw.survey(**change)
    assert field in refused.value.message_dict
    assert not pw.plan.indicators.filter(code__startswith="PPS").exists()


def test_a_question_without_a_favourable_option_is_refused(pw: SurveyWorld) -> None:
    from wpsmonitor.perceptions.template import QuestionSpec

    with pytest.raises(ValidationError):
        pw.survey(questions=[QuestionSpec("Safe?", ["No", "Yes"], [])])


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer", "outsider"])
def test_only_the_coordinator_sets_surveys_up(pw: SurveyWorld, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.survey_set_up(
            by=pw.users[who],
            plan=pw.plan,
            code="x",
            title="X",
            node="O3",
            frequency="year",
            areas=[pw.area("D11")],
            questions=[],
        )


def test_a_round_takes_a_period_of_the_survey_s_frequency_within_the_plan(
    pw: SurveyWorld,
) -> None:
    survey = pw.survey()
    with pytest.raises(ValidationError):
        pw.round(survey, "2025Q1")
    with pytest.raises(ValidationError):
        pw.round(survey, "2031")
    pw.round(survey, "2025")
    with pytest.raises(ValidationError):
        pw.round(survey, "2025")


def test_answers_give_the_shares_with_their_disaggregation(
    pw: SurveyWorld, django_capture_on_commit_callbacks: Any
) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    q1 = survey.questions.get(order=1).pk
    f, m = _cell(survey, "sex=F"), _cell(survey, "sex=M")
    with django_capture_on_commit_callbacks(execute=True):
        services.answers_save(
            by=pw.users["monitor"],
            round_=round_,
            area=pw.area("D11"),
            # Women: 5 of 10 feel safe or very safe; men: 3 of 4.
            counts={
                (q1, f, "1"): 2,
                (q1, f, "2"): 3,
                (q1, f, "3"): 4,
                (q1, f, "4"): 1,
                (q1, m, "1"): 1,
                (q1, m, "2"): None,
                (q1, m, "3"): 2,
                (q1, m, "4"): 1,
            },
        )
        services.answers_save(
            by=pw.users["monitor"],
            round_=round_,
            area=pw.area("D21"),
            counts={(q1, f, "3"): 6},
        )
    value = DataValue.objects.get(
        indicator__code="PPS-Q1", area=pw.area("D11"), cell_id=f, source=round_.source
    )
    assert (value.numerator, value.denominator, value.value) == (5, 10, 50)
    assert value.stored_by == pw.users["monitor"]
    assert (
        value.batch is not None and value.batch.filename == f"perception survey round {round_.pk}"
    )
    assert _share(round_, pw.area("D11"), "sex=F") == pytest.approx(50)
    assert _share(round_, pw.area("D11"), "sex=M") == pytest.approx(75)
    assert _share(round_, pw.area("D11")) == pytest.approx(8 / 14 * 100)
    # The plan's whole area: 14 of 20.
    assert _share(round_, pw.area("N")) == pytest.approx(70)
    assert _share(round_, pw.area("N"), "sex=F") == pytest.approx(11 / 16 * 100)
    # A question nobody answered has no figure.
    assert _share(round_, pw.area("N"), question=2) is None


def test_answers_typed_again_replace_the_figures(pw: SurveyWorld) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    q1 = survey.questions.get(order=1).pk
    f, m = _cell(survey, "sex=F"), _cell(survey, "sex=M")
    area = pw.area("D11")
    services.answers_save(
        by=pw.users["monitor"], round_=round_, area=area, counts={(q1, f, "1"): 2, (q1, m, "4"): 2}
    )
    services.answers_save(
        by=pw.users["monitor"], round_=round_, area=area, counts={(q1, f, "4"): 3}
    )
    values = DataValue.objects.filter(indicator__code="PPS-Q1", source=round_.source)
    assert [(v.cell_id, v.numerator, v.denominator) for v in values] == [(f, 3, 3)]
    assert Answer.objects.filter(round=round_).count() == 1


def test_a_negative_count_is_refused(pw: SurveyWorld) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    q1 = survey.questions.get(order=1).pk
    with pytest.raises(ValidationError):
        services.answers_save(
            by=pw.users["monitor"],
            round_=round_,
            area=pw.area("D11"),
            counts={(q1, _cell(survey, "sex=F"), "1"): -1},
        )
    assert not DataValue.objects.filter(indicator__code="PPS-Q1").exists()


@pytest.mark.parametrize(
    ("who", "organisation", "area", "allowed"),
    [
        ("monitor", "women", "D11", True),
        ("monitor", "ministry", "D11", False),  # not their organisation's round
        ("focal", "ministry", "D21", True),
        ("focal_p1", "ministry", "D11", True),
        ("focal_p1", "ministry", "D21", False),  # outside the area they cover
        ("focal", "women", "D11", False),
        ("coordinator", "women", "D11", False),  # the organisation that ran it answers
        ("viewer", "women", "D11", False),
        ("outsider", "women", "D11", False),
    ],
)
def test_the_organisation_running_the_round_enters_its_answers(
    pw: SurveyWorld, who: str, organisation: str, area: str, allowed: bool
) -> None:
    survey = pw.survey()
    round_ = pw.round(survey, organisation=organisation)
    q1 = survey.questions.get(order=1).pk
    save = lambda: services.answers_save(  # noqa: E731
        by=pw.users[who],
        round_=round_,
        area=pw.area(area),
        counts={(q1, _cell(survey, "sex=F"), "3"): 4},
    )
    if allowed:
        save()
        assert Answer.objects.filter(round=round_).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            save()
        assert not Answer.objects.exists()


def test_an_area_outside_the_survey_is_refused(pw: SurveyWorld) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    with pytest.raises(ValidationError):
        services.answers_save(by=pw.users["monitor"], round_=round_, area=pw.area("D12"), counts={})
