"""The demo in several languages (issue 15): the national plan's texts in English, French,
Spanish and Arabic, its organisations and options too; and a fictitious Colombian plan written
in Spanish, with a Spanish-speaking secretariat (docs/languages.md, README's "Demo")."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, TestCase, override_settings
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.languages import stored_language
from wpsmonitor.core.names import localized_name
from wpsmonitor.demo import colombia, content, translations
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import DataValue, DimensionOption, Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.portal.translations import translation_report
from wpsmonitor.publishing.models import Release
from wpsmonitor.reporting.models import Submission

PASSWORD = "demo-secret-42"
COOKIE = settings.LANGUAGE_COOKIE_NAME
LANGUAGES = ("en", "fr", "es", "ar")
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


class DemoLanguagesTests(TestCase):
    """One load of the demo with its Spanish plan, its aggregates and releases (no reports)."""

    @classmethod
    def setUpTestData(cls) -> None:
        # The tests' hasher (tests/conftest.py applies it per test, after this class setup).
        with pytest.MonkeyPatch.context() as patch, override_settings(PASSWORD_HASHERS=MD5):
            patch.setenv("WPSMONITOR_DEMO_PASSWORD", PASSWORD)
            summary = demo_load(reports=False, spanish=True)
        assert summary is not None and summary.aggregates_rebuilt

    # The national plan in four languages ------------------------------------------------------

    def test_every_node_and_indicator_of_the_national_plan_reads_in_four_languages(self) -> None:
        nap = Plan.objects.get(code=content.NAP_CODE)
        assert all(getattr(nap, f"title_{code}") for code in LANGUAGES)
        nodes = FrameworkNode.objects.filter(plan=nap)
        assert nodes.count() == len(translations.NODES) == 60  # pillars ... actions
        for node in nodes:
            for code in LANGUAGES:
                assert getattr(node, f"title_{code}"), (node.code, code)
        indicators = Indicator.objects.filter(plan=nap)
        assert indicators.filter(owner_organisation__isnull=False).exists()  # civil society's
        for indicator in indicators:
            for code in LANGUAGES:
                assert getattr(indicator, f"title_{code}"), (indicator.code, code)
                if indicator.unit_en:
                    assert getattr(indicator, f"unit_{code}"), (indicator.code, code)
        # As a reader sees them: French units, in the singular and the plural.
        police = indicators.get(code="PAR-07")
        assert (police.title_fr, police.unit_es) == (
            "Fonctionnaires de police, par sexe et par grade",
            "agente de policía|agentes de policía",
        )

    def test_the_translation_report_finds_no_title_unit_name_or_option_missing(self) -> None:
        admin = get_user_model().objects.get(username="admin")
        report = translation_report(PlanAccess(admin, Plan.objects.get(code=content.NAP_CODE)))
        assert {r.language for r in report.languages} == {"fr", "es", "ar"}
        for language in report.languages:
            missing = [
                (text.kind, text.code, text.field)
                for text in language.missing
                if (text.kind, text.field)
                in {
                    ("plan", "title"),
                    ("node", "title"),
                    ("indicator", "title"),
                    ("indicator", "unit"),
                    ("option", "name"),
                    ("organisation", "name"),
                }
            ]
            assert missing == [], (language.language, missing)

    def test_organisations_have_their_own_original_language_and_four_names(self) -> None:
        ministry = Organisation.objects.get(code="demo-mgfe")
        assert ministry.original_language == "fr"
        assert ministry.name_fr == "Ministère du Genre, Famille et Enfant"
        assert ministry.name_en == "Ministry of Gender, Family and Children"
        assert Organisation.objects.get(code="demo-unwomen").original_language == "en"
        assert Organisation.objects.get(code="demo-unwomen").name_es == "ONU Mujeres"
        assert Organisation.objects.get(code="demo-col-policia").original_language == "es"
        codes = [code for code, *_rest in content.ORGANISATIONS]
        for organisation in Organisation.objects.filter(code__in=codes):
            for code in LANGUAGES:
                assert getattr(organisation, f"name_{code}"), (organisation.code, code)
        # The fictitious ones say so in every language.
        coalition = Organisation.objects.get(code="demo-cfpl")
        assert "(fictive)" in coalition.name_fr and "(ficticia)" in coalition.name_es
        assert "(fictitious)" in coalition.name_en and "(وهمي)" in coalition.name_ar

    def test_dimension_options_read_in_four_languages(self) -> None:
        ranks = DimensionOption.objects.filter(dimension__code="rank").order_by("order")
        assert [o.name_es for o in ranks] == [
            "Oficiales superiores (comisarios)",
            "Oficiales",
            "Suboficiales",
            "Agentes",
        ]
        for option in ranks:
            assert all(getattr(option, f"name_{code}") for code in LANGUAGES), option.code
        # Their categories, which the ranks sit under, too.
        corps = DimensionOption.objects.filter(dimension__code="category").order_by("order")
        assert [o.name_fr for o in corps] == [
            "Corps des officiers",
            "Corps des sous-officiers",
            "Corps des agents",
        ]
        assert [o.code for o in ranks if o.parent and o.parent.code == "officers"] == [
            "senior",
            "officer",
        ]
        # The shared dimensions' options (sex, disability) are translated by the catalogue.
        shared = DimensionOption.objects.filter(dimension__code__in=["sex", "disability"])
        for option in shared:
            for code in ("fr", "es", "ar"):
                with translation.override(code):
                    assert localized_name(option.name) != option.name_en, (option.code, code)

    # The Colombian plan, written in Spanish --------------------------------------------------

    def test_the_colombian_plan_is_written_in_spanish_and_marked_fictitious(self) -> None:
        plan = Plan.objects.get(code=colombia.COL_CODE)
        assert (plan.original_language, plan.area.code, plan.kind) == ("es", "COL", "national")
        assert "DATOS DE DEMOSTRACIÓN" in plan.description and "ficticios" in plan.description
        assert plan.title_es.startswith("Demostración: Plan de Acción Nacional")
        assert plan.title_en.startswith("Demo: National Action Plan")
        pillars = FrameworkNode.objects.filter(plan=plan, parent=None)
        assert pillars.count() == 3 and all(p.title_en for p in pillars)
        outcomes = FrameworkNode.objects.filter(plan=plan, level__depth=2)
        assert outcomes.count() == 6
        actions = FrameworkNode.objects.filter(plan=plan, level__holds_actions=True)
        assert actions.count() == 7 and all(a.responsible_organisation_id for a in actions)
        # Spanish only: an English reader falls back.
        assert not any(n.title_en for n in [*outcomes, *actions])
        indicators = Indicator.objects.filter(plan=plan)
        assert 8 <= indicators.count() <= 10
        assert indicators.filter(scheme__code="sex").count() >= 3
        assert all(i.title_es and not i.title_en for i in indicators)
        departments = dict(Area.objects.filter(parent__code="COL").values_list("code", "name"))
        assert departments == {"CO-ANT": "Antioquia", "CO-CAU": "Cauca", "CO-NAR": "Nariño"}
        # Approved figures from two organisations, and one published release.
        approved = Submission.objects.filter(round__plan=plan, status="approved")
        assert set(approved.values_list("organisation__code", flat=True)) == {
            "demo-col-igualdad",
            "demo-col-policia",
        }
        reported = DataValue.objects.filter(indicator__plan=plan, batch__kind="submission")
        assert reported.values("area").distinct().count() == 4  # the country, 3 departments
        release = Release.objects.get(plan=plan)
        assert release.status == "published"

    def test_its_public_page_answers_a_spanish_reader_in_spanish_with_figures(self) -> None:
        client = Client()
        client.cookies[COOKIE] = "es"
        page = _text(client.get(f"/plans/{colombia.COL_CODE}/public/"))
        assert '<html lang="es"' in page
        assert "Cifras de la versión publicada 1" in page
        assert "Participación de las mujeres en la construcción de paz" in page
        assert "Proporción de mujeres en las instancias territoriales de paz" in page
        assert "no Spanish text" not in page and "translation-note" not in page
        # Figures from the release: 214 women of 610 members (35.1 %), the police's by department.
        assert re.search(r"35,1\s*%", page), "the share of women is shown"
        assert re.search(r"Antioquia</[^>]+>\s*<td[^>]*>198\s*denuncias", page)

    def test_an_english_reader_reads_its_fallbacks_marked(self) -> None:
        client = Client()
        client.cookies[COOKIE] = "en"
        page = _text(client.get(f"/plans/{colombia.COL_CODE}/public/"))
        assert '<html lang="en"' in page
        assert "Women&#x27;s participation in peacebuilding" in page  # its English pillar
        assert 'lang="es"' in page  # the Spanish texts are marked as such
        assert "no English text yet" in page

    def test_its_coordinator_signs_in_and_reads_spanish_pages(self) -> None:
        user = get_user_model().objects.get(username="coordinacion-col")
        assert stored_language(user) == "es"
        # The Colombian plan's coordinator, not the Congolese one's.
        assert PlanAccess(user, Plan.objects.get(code=colombia.COL_CODE)).can_manage()
        assert not PlanAccess(user, Plan.objects.get(code=content.NAP_CODE)).can_manage()
        [device] = TOTPDevice.objects.filter(user=user, confirmed=True)
        client = Client()
        client.cookies[COOKIE] = "en"  # the browser last read English
        signed = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert signed.status_code == 302
        done = client.post("/accounts/two-factor/", {"code": f"{totp(device.bin_key):06d}"})
        assert done.status_code == 302
        assert client.cookies[COOKIE].value == "es"
        page = _text(client.get(f"/plans/{colombia.COL_CODE}/"))
        assert '<html lang="es"' in page
        own = client.get(f"/plans/{colombia.COL_CODE}/reporting/")
        assert own.status_code == 200 and '<html lang="es"' in _text(own)
        assert "2025" in _text(own)  # its round
        # Not a member of the Congolese plan's reporting: its rounds are not theirs to run.
        nap_rounds = client.get(f"/plans/{content.NAP_CODE}/reporting/")
        assert nap_rounds.status_code in (403, 404)
        assert "Demostración: Plan de Acción Nacional" in page
        # The secretariat's own pages: its plan's reporting, in Spanish.
        assert '<html lang="es"' in _text(client.get("/me/"))


@pytest.mark.django_db
def test_the_demo_without_its_spanish_plan_by_default() -> None:
    """Tests that do not read it are spared it; `wpsmonitor demo` loads it."""
    assert demo_load(rebuild=False) is not None
    assert not Plan.objects.filter(code=colombia.COL_CODE).exists()
    assert not get_user_model().objects.filter(username="coordinacion-col").exists()
