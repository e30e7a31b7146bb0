"""The survey pages: set-up from the template, the answer form, the upload, rights per role,
and the figures on the indicator's own page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from wpsmonitor.indicators.models import DataValue
from wpsmonitor.perceptions.forms import count_name
from wpsmonitor.perceptions.models import Answer, Survey

from .conftest import SurveyWorld


def _client(pw: SurveyWorld, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(pw.users[who])
    return client


def _setup_post(pw: SurveyWorld) -> dict[str, Any]:
    return {
        "code": "barometer",
        "title": "Barometer",
        "note": "",
        "node": "O3",
        "frequency": "year",
        "sensitivity": "sensitive",
        "areas": ["SEN-D11", "SEN-D21"],
        "dimensions": ["sex"],
        "question_1": "Do you feel safe at the market?",
        "options_1": "No\n+ Yes",
        "question_2": "",
        "options_2": "",
    }


def test_the_coordinator_sets_a_survey_up_from_the_template(pw: SurveyWorld) -> None:
    client = _client(pw, "coordinator")
    page = client.get(reverse("perceptions:survey_new", args=[pw.plan.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "How safe do you feel walking in your neighbourhood after dark?" in text
    assert "+ Safe" in text
    assert "not an official instrument" in text
    done = client.post(reverse("perceptions:survey_new", args=[pw.plan.code]), _setup_post(pw))
    survey = Survey.objects.get(code="barometer")
    assert done.status_code == 302
    assert [q.indicator.code for q in survey.questions.all()] == ["BAROMETER-Q1"]
    shown = client.get(done["Location"]).content.decode()
    assert "Do you feel safe at the market?" in shown
    indicator_url = reverse("portal:indicator", args=[pw.plan.code, "BAROMETER-Q1"])
    assert f'href="{indicator_url}"' in shown


@pytest.mark.parametrize("who", ["monitor", "focal", "viewer"])
def test_others_cannot_set_a_survey_up(pw: SurveyWorld, who: str) -> None:
    client = _client(pw, who)
    url = reverse("perceptions:survey_new", args=[pw.plan.code])
    assert client.get(url).status_code == 403
    assert client.post(url, _setup_post(pw)).status_code == 403
    assert not Survey.objects.exists()


def test_a_refused_set_up_says_why(pw: SurveyWorld) -> None:
    client = _client(pw, "coordinator")
    post = {**_setup_post(pw), "areas": ["SEN-P1", "SEN-D11"]}
    page = client.post(reverse("perceptions:survey_new", args=[pw.plan.code]), post)
    assert page.status_code == 400
    assert "SEN-D11 lies within SEN-P1" in page.content.decode()
    assert not Survey.objects.exists()


def test_answers_typed_on_the_form_reach_the_indicator_page(
    pw: SurveyWorld, django_capture_on_commit_callbacks: Any
) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    q1 = survey.questions.get(order=1)
    f = survey.scheme.cells.get(code="sex=F").pk
    m = survey.scheme.cells.get(code="sex=M").pk
    monitor = _client(pw, "monitor")
    detail = monitor.get(
        reverse("perceptions:survey", args=[pw.plan.code, survey.pk])
    ).content.decode()
    url = reverse("perceptions:answers", args=[pw.plan.code, survey.pk, round_.pk, "SEN-D11"])
    assert f'href="{url}"' in detail
    form = monitor.get(url)
    assert form.status_code == 200
    assert count_name(q1.pk, f, "1") in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        saved = monitor.post(
            url,
            {
                count_name(q1.pk, f, "1"): "3",
                count_name(q1.pk, f, "4"): "1",
                count_name(q1.pk, m, "3"): "",
            },
        )
    assert saved.status_code == 302
    value = DataValue.objects.get(indicator=q1.indicator, cell_id=f)
    assert (value.numerator, value.denominator) == (1, 4)
    # The coordinator reads the indicator's page with the survey's figures: 25 % of women.
    page = _client(pw, "coordinator").get(
        reverse("portal:indicator", args=[pw.plan.code, q1.indicator.code]),
        {"source": round_.source.code, "period": "2025"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    assert (
        "Figures shown 2025 · Senegal · Women&#x27;s perceptions of security (Women&#x27;s Watch)"
        in shown
    )
    assert "Value 25.0% (1 / 4)" in shown
    assert "Female 25.0% 1 / 4" in shown


def test_a_negative_count_on_the_form_is_refused(pw: SurveyWorld) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    q1 = survey.questions.get(order=1)
    f = survey.scheme.cells.get(code="sex=F").pk
    url = reverse("perceptions:answers", args=[pw.plan.code, survey.pk, round_.pk, "SEN-D11"])
    page = _client(pw, "monitor").post(url, {count_name(q1.pk, f, "1"): "-2"})
    assert page.status_code == 400
    assert "cannot be negative" in page.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("monitor", 200), ("focal", 403), ("coordinator", 403), ("viewer", 403)],
)
def test_the_answer_pages_are_the_running_organisation_s(
    pw: SurveyWorld, who: str, status: int
) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    client = _client(pw, who)
    answers = reverse("perceptions:answers", args=[pw.plan.code, survey.pk, round_.pk, "SEN-D11"])
    upload = reverse("perceptions:upload", args=[pw.plan.code, survey.pk, round_.pk])
    assert client.get(answers).status_code == status
    assert client.get(upload).status_code == status
    detail = client.get(reverse("perceptions:survey", args=[pw.plan.code, survey.pk]))
    # The links are offered only to whom the pages let in.
    assert (answers in detail.content.decode()) == (status == 200)


def test_a_refused_upload_lists_its_located_problems(pw: SurveyWorld) -> None:
    survey = pw.survey()
    round_ = pw.round(survey)
    url = reverse("perceptions:upload", args=[pw.plan.code, survey.pk, round_.pk])
    file = SimpleUploadedFile(
        "round.csv", b"question,area,cell,option,count\n1,SEN-D11,sex=F,7,2\n", "text/csv"
    )
    page = _client(pw, "monitor").post(url, {"file": file})
    assert page.status_code == 400
    assert (
        "round.csv:2:option: &#x27;7&#x27; is not an answer to question 1" in page.content.decode()
    )
    assert not Answer.objects.exists()


def test_anyone_reading_the_plan_reads_its_surveys(pw: SurveyWorld) -> None:
    survey = pw.survey()
    assert (
        _client(pw, None).get(reverse("perceptions:surveys", args=[pw.plan.code])).status_code
        == 404
    )
    pw.plan.status = "adopted"  # a draft is its members' only
    pw.plan.save()
    page = _client(pw, None).get(reverse("perceptions:surveys", args=[pw.plan.code]))
    assert page.status_code == 200
    assert escape(survey.title) in page.content.decode()
    assert reverse("perceptions:survey_new", args=[pw.plan.code]) not in page.content.decode()


def test_the_template_is_offered_in_the_plan_s_language(pw: SurveyWorld) -> None:
    pw.plan.original_language = "fr"
    pw.plan.save()
    page = _client(pw, "coordinator").get(reverse("perceptions:survey_new", args=[pw.plan.code]))
    text = page.content.decode()
    assert (
        escape("Vous sentez-vous en sécurité en marchant dans votre quartier à la nuit tombée ?")
        in text
    )
    assert "+ En sécurité" in text
