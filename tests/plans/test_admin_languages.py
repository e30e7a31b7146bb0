"""The admin edits each language of the texts registered for translation (issue 15, part 2):
a plan's, a node's, an indicator's titles, an organisation's name, a dimension option's; the
text required is the original language's, not English's."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wpsmonitor.core.translated import written_in
from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.directory.services import area_country_ensure
from wpsmonitor.indicators.models import Dimension, DimensionOption, IndicatorKind, TimeRule
from wpsmonitor.indicators.services import indicator_create, reference_data_ensure
from wpsmonitor.plans.models import Plan
from wpsmonitor.plans.services import node_create, plan_create

pytestmark = pytest.mark.django_db

PASSWORD = "a long admin passphrase 1"


def _admin() -> Client:
    """A superuser signed in with both factors, as the admin asks."""
    user = User.objects.create_superuser("root", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "root", "password": PASSWORD}).status_code
        == 302
    )
    step = client.post("/accounts/two-factor/", {"code": f"{totp(device.bin_key):06d}"})
    assert step.status_code == 302
    return client


def _french_plan() -> Plan:
    area_country_ensure("COD")
    reference_data_ensure()
    ministry = Organisation.objects.create(
        code="mingenre", type=OrganisationType.GOVERNMENT, original_language="fr",
        **written_in("fr", name="Ministère du Genre"),
    )  # fmt: skip
    plan = plan_create(
        code="pan-3", title="Troisième plan", kind="national", area="COD",
        start=date(2024, 1, 1), end=date(2027, 12, 31), original_language="fr",
        lead_organisation=ministry,
    )  # fmt: skip
    node = node_create(plan=plan, code="P1", title="Participation des femmes")
    indicator_create(
        plan=plan, node=node, code="I1", title="Femmes ministres", kind=IndicatorKind.NUMBER,
        time_rule=TimeRule.LAST,
    )  # fmt: skip
    displacement = Dimension.objects.create(code="deplacement", name="Déplacement", plan=plan)
    DimensionOption.objects.create(
        dimension=displacement, code="pdi", **written_in("fr", name="Personnes déplacées")
    )
    return plan


def test_the_change_pages_show_a_field_a_language() -> None:
    plan = _french_plan()
    client = _admin()
    ministry = Organisation.objects.get(code="mingenre")
    pages = [
        ("title", reverse("admin:plans_plan_change", args=[plan.pk])),
        ("title", reverse("admin:plans_frameworknode_change", args=[plan.nodes.get().pk])),
        ("title", reverse("admin:indicators_indicator_change", args=[plan.indicators.get().pk])),
        (
            "definition",
            reverse("admin:indicators_indicator_change", args=[plan.indicators.get().pk]),
        ),
        ("name", reverse("admin:directory_organisation_change", args=[ministry.pk])),
    ]
    for field, url in pages:
        html = client.get(url).content.decode()
        for code in ("en", "fr", "es", "ar"):
            assert f'name="{field}_{code}"' in html, (url, code)
        # Not the field without a language, which would write the editor's language's column.
        assert f'name="{field}"' not in html, url
    option_page = client.get(
        reverse("admin:indicators_dimension_change", args=[Dimension.objects.get(plan=plan).pk])
    ).content.decode()
    assert 'name="options-0-name_ar"' in option_page
    assert "Personnes déplacées" in option_page


def test_a_french_organisation_is_saved_without_an_english_name() -> None:
    """modeltranslation alone requires the first language's text (English); the admin asks for
    the original language's instead."""
    _french_plan()
    client = _admin()
    org = Organisation.objects.get(code="mingenre")
    url = reverse("admin:directory_organisation_change", args=[org.pk])
    form = {
        "code": "mingenre", "type": "government", "original_language": "fr",
        "name_en": "", "name_fr": "Ministère du Genre et de la Famille", "name_es": "",
        "name_ar": "وزارة النوع الاجتماعي", "acronym": "", "iati_ref": "",
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    org.refresh_from_db()
    assert (org.name_fr, org.name_ar, org.name_en) == (
        "Ministère du Genre et de la Famille",
        "وزارة النوع الاجتماعي",
        None,
    )
    refused = client.post(url, {**form, "name_fr": "", "name_en": "Ministry of Gender"})
    assert refused.status_code == 200
    assert "The text in the original language (fr) is required." in refused.content.decode()
