"""What is left to translate in a plan (portal/translations.py): the counts and lists per
language, who reads them (page, downloads, API), and the plan's original language on the
create form and in plan_update."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wpsmonitor.accountability.models import Mechanism, Recommendation
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import ApiToken, PlanRole, Role
from wpsmonitor.core.translated import written_in
from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.directory.services import area_country_ensure
from wpsmonitor.indicators.models import Dimension, DimensionOption, IndicatorKind, TimeRule
from wpsmonitor.indicators.services import indicator_create, reference_data_ensure
from wpsmonitor.plans.models import Plan, PlanStatus
from wpsmonitor.plans.services import node_create, plan_create, plan_update, translations_set
from wpsmonitor.portal.forms import PlanCreateForm
from wpsmonitor.portal.translations import translation_report
from wpsmonitor.reporting.models import Assignment

pytestmark = pytest.mark.django_db


def french_plan(status: str = PlanStatus.ADOPTED) -> Plan:
    """A French plan with eight texts to translate, some translated:

    - title: es, ar  · node P1: es · indicator I1 title: es, definition: none, unit: none
    - option sexe.f: none · organisation (its own language, French): ar · recommendation: none
    Spanish lacks 5 of 8; Arabic lacks 6 of 8; English lacks 8 of 8.
    """
    area_country_ensure("COD")
    reference_data_ensure()
    ministry = Organisation.objects.create(
        code="mingenre",
        type=OrganisationType.GOVERNMENT,
        original_language="fr",
        **written_in("fr", name="Ministère du Genre"),
        name_ar="وزارة النوع الاجتماعي",
    )
    plan = plan_create(
        code="pan-3", title="Troisième plan d'action national", kind="national", area="COD",
        start=date(2024, 1, 1), end=date(2027, 12, 31), original_language="fr", status=status,
        lead_organisation=ministry,
    )  # fmt: skip
    translations_set(
        obj=plan, field="title", texts={"es": "Tercer plan", "ar": "الخطة الوطنية الثالثة"}
    )
    node = node_create(plan=plan, code="P1", title="Participation des femmes")
    translations_set(obj=node, field="title", texts={"es": "Participación de las mujeres"})
    indicator = indicator_create(
        plan=plan, node=node, code="I1", title="Femmes ministres", kind=IndicatorKind.NUMBER,
        time_rule=TimeRule.LAST, definition="Nombre de femmes au gouvernement", unit="femmes",
    )  # fmt: skip
    translations_set(obj=indicator, field="title", texts={"es": "Mujeres ministras"})
    sex = Dimension.objects.create(code="sexe", name="Sexe", plan=plan)
    DimensionOption.objects.create(dimension=sex, code="f", **written_in("fr", name="Femmes"))
    Recommendation.objects.create(
        plan=plan, source=Mechanism.CEDAW, issued_on=date(2024, 3, 1),
        **written_in("fr", text="Augmenter la part des femmes"),
    )  # fmt: skip
    return plan


def member(plan: Plan, username: str, role: str = Role.VIEWER) -> User:
    user = User.objects.create_user(username)
    PlanRole.objects.create(user=user, plan=plan, role=role)
    return user


def test_the_report_counts_and_lists_what_each_language_lacks() -> None:
    plan = french_plan()
    report = translation_report(PlanAccess(member(plan, "c", Role.COORDINATOR), plan))
    assert report.original_language == "fr"
    assert [language.language for language in report.languages] == ["en", "es", "ar"]
    spanish = report.language("es")
    assert spanish is not None
    assert (spanish.total, spanish.translated, spanish.percent) == (8, 3, 37)
    assert {(t.kind, t.code, t.field) for t in spanish.missing} == {
        ("indicator", "I1", "definition"),
        ("indicator", "I1", "unit"),
        ("option", "sexe.f", "name"),
        ("organisation", "mingenre", "name"),
        ("recommendation", str(Recommendation.objects.get().pk), "text"),
    }
    definition = next(t for t in spanish.missing if t.field == "definition")
    assert definition.original == "Nombre de femmes au gouvernement"
    arabic, english = report.language("ar"), report.language("en")
    assert arabic is not None and english is not None
    assert (arabic.total, len(arabic.missing)) == (8, 6)
    assert (english.total, len(english.missing), english.percent) == (8, 8, 0)
    # An empty text is nothing to translate; a translation given takes its text off the list.
    translations_set(obj=plan.nodes.get(), field="title", texts={"ar": "مشاركة المرأة"})
    arabic = translation_report(PlanAccess(member(plan, "v"), plan)).language("ar")
    assert arabic is not None and (arabic.total, len(arabic.missing)) == (8, 5)


def test_an_organisation_is_not_asked_for_its_own_original_language() -> None:
    plan = french_plan()
    Organisation.objects.filter(code="mingenre").update(
        original_language="es", name_es="Ministerio de Género"
    )
    report = translation_report(PlanAccess(member(plan, "c", Role.COORDINATOR), plan))
    spanish, english = report.language("es"), report.language("en")
    assert spanish is not None and english is not None
    assert spanish.total == 7  # the organisation's Spanish name is its original
    assert "mingenre" not in {t.code for t in spanish.missing}
    assert "mingenre" in {t.code for t in english.missing}


def test_assigned_organisations_and_the_options_the_plans_indicators_use_count() -> None:
    """A local plan lists the options of its national plan's dimension that its indicators
    break down by (their original language is the national plan's), not the shared
    dimensions' (the catalogue translates them), and the organisations it assigns reporting."""
    national = french_plan()
    local = plan_create(
        code="pan-3-kin", title="Plan local de Kinshasa", kind="local", area="COD",
        start=date(2024, 1, 1), end=date(2027, 12, 31), original_language="es", parent=national,
    )  # fmt: skip
    node = node_create(plan=local, code="L1", title="Participación")
    indicator = indicator_create(
        plan=local, node=node, code="L-I1", title="Mujeres formadas", kind=IndicatorKind.NUMBER,
        time_rule=TimeRule.SUM, scheme=["sexe", "sex"],
    )  # fmt: skip
    forum = Organisation.objects.create(
        code="forum", type=OrganisationType.CIVIL_SOCIETY, original_language="es",
        **written_in("es", name="Foro de mujeres"),
    )  # fmt: skip
    Assignment.objects.create(plan=local, organisation=forum, area=local.area, indicator=indicator)
    report = translation_report(PlanAccess(member(local, "v"), local))
    english = report.language("en")
    assert english is not None
    missing = {(t.kind, t.code): t for t in english.missing}
    assert missing["option", "sexe.f"].original_language == "fr"
    assert missing["option", "sexe.f"].original == "Femmes"
    assert not any(code.startswith("sex.") for _kind, code in missing)
    assert missing["organisation", "forum"].original == "Foro de mujeres"
    french = report.language("fr")
    assert french is not None
    # The national plan's option is written in French: not asked for again.
    assert ("option", "sexe.f") not in {(t.kind, t.code) for t in french.missing}


def test_the_page_is_for_members_only(client: Client) -> None:
    plan = french_plan()
    url = f"/plans/{plan.code}/translations/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/" in anonymous["Location"]
    client.force_login(User.objects.create_user("outsider"))
    assert client.get(url).status_code == 403
    client.force_login(member(plan, "viewer"))
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<caption>Texts with no Spanish text</caption>" in html
    assert "Nombre de femmes au gouvernement" in html
    assert "37%" in html or "37 %" in html


def test_a_draft_plans_report_is_not_found_by_outsiders(client: Client) -> None:
    plan = french_plan(status=PlanStatus.DRAFT)
    client.force_login(User.objects.create_user("outsider"))
    assert client.get(f"/plans/{plan.code}/translations/").status_code == 404


def test_the_tables_download(client: Client) -> None:
    plan = french_plan()
    client.force_login(member(plan, "viewer"))
    url = f"/plans/{plan.code}/translations/"
    csv = client.get(url, {"download": "csv", "table": "es"}, HTTP_ACCEPT_LANGUAGE="en")
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Kind,Code,Field,Original language,Original text"
    assert len(lines) == 1 + 5
    assert "Indicator,I1,Definition,fr,Nombre de femmes au gouvernement" in lines
    xlsx = client.get(url, {"download": "xlsx", "table": "ar"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(url, {"download": "csv", "table": "fr"}).status_code == 404


def _api(client: Client, user: User | None, path: str, **params: str) -> tuple[int, dict]:
    headers = {}
    if user is not None:
        _token, raw = ApiToken.issue(user=user, name="t")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    response = client.get(f"/api/v1/plans/{path}/translations", params, **headers)
    return response.status_code, response.json()


def test_the_api(client: Client) -> None:
    plan = french_plan()
    status, body = _api(client, member(plan, "viewer"), plan.code, language="es", limit="2")
    assert status == 200
    assert body["original_language"] == "fr"
    [spanish] = body["languages"]
    assert (spanish["total"], spanish["translated"], spanish["missing_count"]) == (8, 3, 5)
    assert spanish["percent"] == 37
    assert len(spanish["missing"]) == 2  # a page of them
    assert set(spanish["missing"][0]) == {"kind", "code", "field", "original_language", "original"}
    assert _api(client, User.objects.create_user("outsider"), plan.code)[0] == 403
    assert _api(client, member(plan, "v2"), plan.code, language="xx")[0] == 400
    assert _api(client, None, "no-such-plan")[0] in (401, 404)


def test_the_create_form_offers_the_original_language_in_the_creators_language() -> None:
    with translation.override("es"):
        form = PlanCreateForm()
        assert form["original_language"].initial == "es"
        assert [code for code, _name in form.fields["original_language"].choices] == [
            "en",
            "fr",
            "es",
            "ar",
        ]


def test_the_create_page_stores_the_original_language(client: Client) -> None:
    area_country_ensure("COD")
    client.force_login(User.objects.create_superuser("admin"))
    response = client.post(
        "/plans/new/",
        {
            "code": "pan-4", "title": "Cuarto plan", "kind": "national", "area": "COD",
            "start": "2025-01-01", "end": "2028-12-31", "original_language": "es",
        },
    )  # fmt: skip
    assert response.status_code == 302
    plan = Plan.objects.get(code="pan-4")
    assert (plan.original_language, plan.title_es, plan.title_en) == ("es", "Cuarto plan", None)


def test_the_original_language_changes_only_while_the_title_is_the_only_text() -> None:
    area_country_ensure("COD")
    plan = plan_create(
        code="pan-5", title="Cinquième plan", kind="national", area="COD",
        start=date(2024, 1, 1), end=date(2027, 12, 31),
    )  # fmt: skip
    assert (plan.original_language, plan.title_en) == ("en", "Cinquième plan")
    plan_update(plan=plan, original_language="fr")  # a wrong choice put right
    plan.refresh_from_db()
    assert (plan.original_language, plan.title_fr, plan.title_en) == ("fr", "Cinquième plan", None)
    node_create(plan=plan, code="P1", title="Participation")
    with pytest.raises(ValidationError, match="cannot change"):
        plan_update(plan=plan, original_language="es")
    with pytest.raises(ValidationError):
        plan_update(plan=plan, original_language="xx")
    plan.refresh_from_db()
    assert plan.original_language == "fr"


def test_the_plan_page_links_to_it_for_members_only(client: Client) -> None:
    plan = french_plan()
    link = f'href="/plans/{plan.code}/translations/"'
    assert link not in client.get(f"/plans/{plan.code}/").content.decode()
    client.force_login(User.objects.create_user("outsider"))
    assert link not in client.get(f"/plans/{plan.code}/").content.decode()
    client.force_login(member(plan, "viewer"))
    assert link in client.get(f"/plans/{plan.code}/").content.decode()


def test_the_report_costs_the_same_queries_whatever_the_plans_size() -> None:
    plan = french_plan()
    access = PlanAccess(member(plan, "c", Role.COORDINATOR), plan)
    access.grants  # noqa: B018 (the roles, read once per request whatever the page)
    with CaptureQueriesContext(connection) as small:
        translation_report(access)
    for n in range(2, 6):
        node = node_create(plan=plan, code=f"P{n}", title=f"Pilier {n}")
        indicator = indicator_create(
            plan=plan, node=node, code=f"I{n}", title=f"Indicateur {n}",
            kind=IndicatorKind.NUMBER, time_rule=TimeRule.LAST,
        )  # fmt: skip
        org = Organisation.objects.create(
            code=f"org{n}", type=OrganisationType.CIVIL_SOCIETY, name_en=f"Org {n}"
        )
        Assignment.objects.create(plan=plan, organisation=org, area=plan.area, indicator=indicator)
    with CaptureQueriesContext(connection) as large:
        report = translation_report(access)
    spanish = report.language("es")
    assert spanish is not None and spanish.total == 8 + 4 * 3
    assert len(large.captured_queries) == len(small.captured_queries) <= 6
