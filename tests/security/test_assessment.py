"""Self-assessments of a security institution: who records, publishes and reads them; bad
scores refused; the change over time worked by hand; the pages, the API, the report section
and the demo's loader."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.security.conftest import SecurityWorld

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.demo.security_assessment import assessment_load
from wpsmonitor.reports.context import report_context
from wpsmonitor.reports.document import INTERNAL, YEAR, Table
from wpsmonitor.reports.sections.security_assessment import build
from wpsmonitor.security import selectors, services
from wpsmonitor.security.assessment import THEMES
from wpsmonitor.security.models import (
    InstitutionAssessment,
    SecurityInstitution,
    ThemeScore,
)

pytestmark = pytest.mark.django_db

DCAF = [t.code for t in THEMES["dcaf"]]
MOWIP = [t.code for t in THEMES["mowip"]]


def _record(
    sw: SecurityWorld,
    institution: SecurityInstitution,
    scores: list[int],
    *,
    on: date,
    framework: str = "dcaf",
    who: str = "coordinator",
    publish: bool = True,
) -> InstitutionAssessment:
    codes = DCAF if framework == "dcaf" else MOWIP
    made = services.assessment_record(
        by=sw.users[who],
        institution=institution,
        framework=framework,
        assessed_on=on,
        conducted_by="internal",
        scores=dict(zip(codes, scores, strict=True)),
        findings={codes[0]: "Few women in patrol units."},
        recommendations={codes[0]: "Recruit women patrol officers."},
    )
    if publish:
        services.assessment_publish(by=sw.users[who], assessment=made)
    return made


def _client(sw: SecurityWorld, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(sw.users[who])
    return client


# Services --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("coordinator", True),
        ("police_focal", True),  # the institution's organisation, whatever its area
        ("army_focal", False),  # another institution's organisation
        ("viewer", False),
        ("outsider", False),
    ],
)
def test_who_records_an_assessment(sw: SecurityWorld, who: str, allowed: bool) -> None:
    police = sw.institution()
    if allowed:
        _record(sw, police, [1, 2, 3, 4, 1, 2], on=date(2024, 1, 10), who=who)
        assert ThemeScore.objects.filter(assessment__institution=police).count() == 6
    else:
        with pytest.raises(PermissionDenied):
            _record(sw, police, [1, 2, 3, 4, 1, 2], on=date(2024, 1, 10), who=who)
        assert not InstitutionAssessment.objects.exists()


@pytest.mark.parametrize("bad", [0, 5, -1, 100, True, "3"])
def test_a_score_out_of_the_scale_is_refused_beside_its_theme(
    sw: SecurityWorld, bad: object
) -> None:
    police = sw.institution()
    scores: dict[str, object] = dict.fromkeys(DCAF, 3)
    scores["personnel"] = bad
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(
            by=sw.users["coordinator"],
            institution=police,
            framework="dcaf",
            assessed_on=date(2024, 1, 10),
            conducted_by="internal",
            scores=scores,  # type: ignore[arg-type]
        )
    assert set(refused.value.message_dict) == {"score_personnel"}
    assert not InstitutionAssessment.objects.exists()


def test_every_theme_must_be_scored_and_no_other(sw: SecurityWorld) -> None:
    police = sw.institution()
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(
            by=sw.users["coordinator"],
            institution=police,
            framework="mowip",
            assessed_on=date(2024, 1, 10),
            conducted_by="external",
            scores={"eligible_pool": 2, "performance": 3},
        )
    problems = refused.value.message_dict
    # Nine issue areas unscored, the DCAF theme unknown to MOWIP, the external team unnamed.
    assert {f"score_{c}" for c in MOWIP if c != "eligible_pool"} <= set(problems)
    assert "performance" in problems["__all__"][0]
    assert "conducting_organisation" in problems
    assert not InstitutionAssessment.objects.exists()


def test_bad_framework_date_and_conductor(sw: SecurityWorld) -> None:
    police = sw.institution()
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(
            by=sw.users["coordinator"],
            institution=police,
            framework="nato",
            assessed_on=date(2999, 1, 1),
            conducted_by="someone",
            scores={},
        )
    assert {"framework", "assessed_on", "conducted_by"} <= set(refused.value.message_dict)


def test_a_draft_is_changed_a_published_one_is_not(sw: SecurityWorld) -> None:
    police = sw.institution()
    draft = _record(sw, police, [1, 1, 1, 1, 1, 1], on=date(2024, 1, 10), publish=False)
    services.assessment_record(
        by=sw.users["police_focal"],
        institution=police,
        framework="dcaf",
        assessed_on=date(2024, 1, 11),
        conducted_by="internal",
        scores=dict.fromkeys(DCAF, 2),
        assessment=draft,
    )
    draft.refresh_from_db()
    assert draft.assessed_on == date(2024, 1, 11)
    assert sorted(draft.scores.values_list("score", flat=True)) == [2] * 6
    services.assessment_publish(by=sw.users["coordinator"], assessment=draft)
    with pytest.raises(ValidationError):
        services.assessment_record(
            by=sw.users["coordinator"],
            institution=police,
            framework="dcaf",
            assessed_on=date(2024, 1, 11),
            conducted_by="internal",
            scores=dict.fromkeys(DCAF, 4),
            assessment=draft,
        )
    with pytest.raises(ValidationError):
        services.assessment_remove(by=sw.users["coordinator"], assessment=draft)
    assert sorted(draft.scores.values_list("score", flat=True)) == [2] * 6


def test_a_wrong_role_cannot_publish_or_remove(sw: SecurityWorld) -> None:
    police = sw.institution()
    draft = _record(sw, police, [1, 1, 1, 1, 1, 1], on=date(2024, 1, 10), publish=False)
    for who in ("army_focal", "viewer"):
        with pytest.raises(PermissionDenied):
            services.assessment_publish(by=sw.users[who], assessment=draft)
        with pytest.raises(PermissionDenied):
            services.assessment_remove(by=sw.users[who], assessment=draft)
    services.assessment_remove(by=sw.users["police_focal"], assessment=draft)
    assert not InstitutionAssessment.objects.exists()


# Selectors: the change over time, by hand --------------------------------------------------


def test_change_since_the_previous_assessment_worked_by_hand(sw: SecurityWorld) -> None:
    """DCAF, three assessments: performance 1 → 2 → 4 (change +2); laws 3 → 3 → 2 (−1);
    community 2 → 2 → 2 (0). A MOWIP assessment between them is compared with none of them."""
    police = sw.institution()
    _record(sw, police, [1, 3, 2, 1, 1, 1], on=date(2022, 5, 1))
    _record(sw, police, [2, 3, 2, 1, 1, 1], on=date(2023, 5, 1))
    _record(sw, police, [1] * 10, on=date(2023, 9, 1), framework="mowip")
    _record(sw, police, [4, 2, 2, 1, 1, 3], on=date(2024, 5, 1))
    dcaf, mowip = selectors.trends(selectors.assessments_of(police, drafts=False))
    assert [a.assessed_on.year for a in dcaf.assessments] == [2022, 2023, 2024]
    rows = {r.code: r for r in dcaf.rows}
    assert rows["performance"].scores == [1, 2, 4] and rows["performance"].change == 2
    assert rows["laws_policies"].change == -1
    assert rows["community"].change == 0
    assert rows["culture"].change == 2
    assert [r.change for r in mowip.rows] == [None] * 10


def test_drafts_are_left_out_of_the_published_trend(sw: SecurityWorld) -> None:
    police = sw.institution()
    _record(sw, police, [1] * 6, on=date(2022, 5, 1))
    _record(sw, police, [4] * 6, on=date(2023, 5, 1), publish=False)
    (published,) = selectors.trends(selectors.assessments_of(police, drafts=False))
    assert len(published.assessments) == 1
    (members,) = selectors.trends(selectors.assessments_of(police, drafts=True))
    assert [r.change for r in members.rows] == [3] * 6


# Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_draft"),
    [("coordinator", True), ("viewer", True), ("outsider", False), ("anonymous", False)],
)
def test_published_assessments_are_public_drafts_are_not(
    sw: SecurityWorld, who: str, sees_draft: bool
) -> None:
    police = sw.institution()
    published = _record(sw, police, [1, 2, 3, 4, 1, 2], on=date(2023, 3, 1))
    draft = _record(sw, police, [2, 2, 3, 4, 1, 2], on=date(2024, 3, 1), publish=False)
    client = _client(sw, who)
    listing = client.get(reverse("security:assessments", args=[sw.plan.code, "PNC"]))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "<svg" in body and "Performance effectiveness" in body
    assert ("draft, read by the plan" in body) is sees_draft
    page = client.get(reverse("security:assessment", args=[sw.plan.code, "PNC", published.pk]))
    assert page.status_code == 200 and "Recruit women patrol officers." in page.content.decode()
    hidden = client.get(reverse("security:assessment", args=[sw.plan.code, "PNC", draft.pk]))
    assert hidden.status_code == (200 if sees_draft else 404)


def test_the_institution_page_links_to_its_assessments(sw: SecurityWorld) -> None:
    sw.institution()
    page = _client(sw, "anonymous").get(reverse("security:institution", args=[sw.plan.code, "PNC"]))
    assert reverse("security:assessments", args=[sw.plan.code, "PNC"]) in page.content.decode()


def test_record_change_and_publish_through_the_pages(sw: SecurityWorld) -> None:
    sw.institution()
    client = _client(sw, "police_focal")
    new = reverse("security:assessment_new", args=[sw.plan.code, "PNC"])
    assert client.get(new).status_code == 200
    assert "Top-down leadership" in client.get(new + "?framework=mowip").content.decode()
    post = {
        "framework": "dcaf",
        "assessed_on": "2024-02-01",
        "conducted_by": "internal",
        **{f"score_{c}": "2" for c in DCAF},
    }
    post["score_culture"] = "7"
    refused = client.post(new, post)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'href="#f-score_culture"' in body and 'id="f-score_culture-error"' in body
    assert not InstitutionAssessment.objects.exists()
    post["score_culture"] = "3"
    saved = client.post(new, post)
    made = InstitutionAssessment.objects.get()
    assert saved.status_code == 302 and made.status == "draft"
    edit = reverse("security:assessment_edit", args=[sw.plan.code, "PNC", made.pk])
    assert 'value="2024-02-01"' in client.get(edit).content.decode()
    client.post(edit, {**post, "score_culture": "4"})
    assert made.scores.get(theme="culture").score == 4
    client.post(reverse("security:assessment_publish", args=[sw.plan.code, "PNC", made.pk]))
    made.refresh_from_db()
    assert made.status == "published"
    assert client.get(edit).status_code == 302


def test_a_wrong_role_gets_403_on_the_forms(sw: SecurityWorld) -> None:
    police = sw.institution()
    made = _record(sw, police, [1] * 6, on=date(2023, 3, 1), publish=False)
    client = _client(sw, "army_focal")
    assert (
        client.get(reverse("security:assessment_new", args=[sw.plan.code, "PNC"])).status_code
        == 403
    )
    for name in ("assessment_edit", "assessment_delete"):
        url = reverse(f"security:{name}", args=[sw.plan.code, "PNC", made.pk])
        assert client.get(url).status_code == 403
    url = reverse("security:assessment_publish", args=[sw.plan.code, "PNC", made.pk])
    assert client.post(url).status_code == 403


# API --------------------------------------------------------------------------------------


def test_the_api_gives_scores_and_changes_published_only_to_the_public(sw: SecurityWorld) -> None:
    police = sw.institution()
    _record(sw, police, [1, 2, 3, 4, 1, 2], on=date(2023, 3, 1))
    _record(sw, police, [2, 2, 2, 4, 1, 2], on=date(2024, 3, 1))
    _record(sw, police, [4] * 6, on=date(2024, 6, 1), publish=False)
    url = f"/api/v1/plans/{sw.plan.code}/security/institutions/PNC/assessments"
    outsider = _client(sw, "outsider").get(url).json()
    assert outsider["scale"] == [1, 2, 3, 4]
    assert [a["assessed_on"] for a in outsider["assessments"]] == ["2023-03-01", "2024-03-01"]
    latest = {s["theme"]: s for s in outsider["assessments"][1]["scores"]}
    assert latest["performance"]["change"] == 1 and latest["laws_policies"]["change"] == 0
    assert latest["community"]["change"] == -1
    member = _client(sw, "viewer").get(url).json()
    assert len(member["assessments"]) == 3
    assert _client(sw, "outsider").get(url.replace("PNC", "NOPE")).status_code == 404


# Report section ---------------------------------------------------------------------------


def test_the_report_section_shows_the_latest_with_its_change(sw: SecurityWorld) -> None:
    police = sw.institution()
    army = sw.institution("FARDC", "army")
    _record(sw, police, [1, 2, 3, 4, 1, 2], on=date(2023, 3, 1))
    _record(sw, police, [3, 2, 3, 1, 1, 2], on=date(2024, 3, 1))
    _record(sw, police, [4] * 6, on=date(2024, 6, 1), publish=False)  # a draft: not shown
    _record(sw, army, [2] * 6, on=date(2024, 4, 1))
    access = PlanAccess.load(sw.users["coordinator"], sw.plan)
    context = report_context(access, scope=YEAR, year=2024, version=INTERNAL)
    section = build(context)
    assert section.key == "security.assessment"
    tables = [b for b in section.blocks if isinstance(b, Table)]
    assert [t.key for t in tables] == [
        "security.assessment.FARDC.dcaf",
        "security.assessment.PNC.dcaf",
    ]
    police_rows = {r[0].text: r for r in tables[1].rows}
    performance = police_rows["Performance effectiveness"]
    assert (performance[1].value, performance[2].value, performance[3].text) == (3, 1, "+2")
    assert police_rows["Accountability and oversight"][3].text == "-3"
    assert tables[0].rows[0][3].value is None  # the army's first assessment: no change


def test_the_report_section_is_empty_without_a_published_assessment(sw: SecurityWorld) -> None:
    sw.institution()
    access = PlanAccess.load(sw.users["coordinator"], sw.plan)
    context = report_context(access, scope=YEAR, year=sw.plan.start.year, version=INTERNAL)
    section = build(context)
    assert section.blocks == () and section.empty


# Demo -------------------------------------------------------------------------------------


def test_the_demo_loader_is_labelled_idempotent_and_cascades_with_the_plan(
    sw: SecurityWorld,
) -> None:
    police = sw.institution()
    army = sw.institution("FARDC", "army")
    assert assessment_load(army, police) == 3
    assert assessment_load(army, police) == 0
    (mowip,) = selectors.trends(selectors.assessments_of(police, drafts=False))
    assert mowip.framework == "mowip" and len(mowip.assessments) == 2
    gap = mowip.assessments[1].assessed_on.year - mowip.assessments[0].assessed_on.year
    assert gap == 2
    assert all("fictitious" in a.method for a in InstitutionAssessment.objects.all())
    sw.plan.delete()
    assert not InstitutionAssessment.objects.exists() and not ThemeScore.objects.exists()


def test_huge_texts_are_refused_beside_their_theme(sw: SecurityWorld) -> None:
    police = sw.institution()
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(
            by=sw.users["coordinator"],
            institution=police,
            framework="dcaf",
            assessed_on=date(2024, 1, 10),
            conducted_by="internal",
            scores=dict.fromkeys(DCAF, 2),
            findings={"personnel": "x" * 20_001},
            method="y" * 20_001,
        )
    assert {"findings_personnel", "method"} <= set(refused.value.message_dict)
    assert not InstitutionAssessment.objects.exists()
