"""`demo_load(moving_in=True)` (what `wpsmonitor demo` loads): the legacy export moved into the
national plan through the mapping sheet (demo/movein.py, docs/moving-in.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import TestCase

from wpsmonitor.demo import movein
from wpsmonitor.demo.builder import ADMIN_USERNAME, demo_load
from wpsmonitor.exchange.models import LabelMapping
from wpsmonitor.exchange.movein.records import read_records
from wpsmonitor.exchange.movein.run import movein_run
from wpsmonitor.exchange.services import plan_move_in
from wpsmonitor.indicators.models import AggregateValue, DataValue, Indicator, ListItem
from wpsmonitor.plans.models import Plan
from wpsmonitor.security.models import SecurityInstitution

NAP = "demo-cod-nap3"


class DemoMovingInTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        summary = demo_load(reports=False, moving_in=True)
        assert summary is not None
        cls.moved_in = summary.moved_in

    def test_the_census_and_the_texts_are_moved_in(self) -> None:
        self.assertEqual(self.moved_in, 24 + 5)  # 24 census records, 2 + 3 rows of texts
        census = DataValue.objects.filter(
            indicator__plan__code=NAP, indicator__code="PAR-07", period__code="2026"
        )
        self.assertEqual(
            sorted(set(census.values_list("area__code", flat=True))), ["CD-KN", "CD-NK", "CD-SK"]
        )
        self.assertEqual(census.count(), 24)
        self.assertTrue(census.filter(cell__code="sex=F;rank=senior", area__code="CD-SK").exists())
        # Listed again in the 2026 sheet, the 2025 texts stay in 2025.
        items = dict(
            ListItem.objects.filter(indicator__code="PRO-08", title__startswith=("É")).values_list(
                "title", "period__code"
            )
        )
        self.assertEqual(
            items,
            {"Édit provincial portant création des comités locaux de paix paritaires": "2025"},
        )
        self.assertEqual(
            ListItem.objects.filter(reference__in=["Arrêté 25/118/KN", "Décision 26/041/NK"])
            .order_by("reference")
            .values_list("period__code", flat=True)
            .count(),
            2,
        )

    def test_the_moved_in_ranks_give_the_totals_by_category(self) -> None:
        # "Officiers supérieurs" lands on rank senior, which sits under category officers
        # (with rank officer): the category's total is derived from the ranks, never typed.
        census = DataValue.objects.filter(
            indicator__plan__code=NAP, indicator__code="PAR-07", period__code="2026"
        )
        self.assertFalse(census.filter(cell__code__contains="category=").exists())
        figure = AggregateValue.objects.filter(
            indicator__plan__code=NAP,
            indicator__code="PAR-07",
            period_code="2026",
            area__code="CD-SK",
            source__code="gov",
        )
        margins = dict(figure.values_list("cell_key", "value"))
        self.assertEqual(
            margins["category=officers"], margins["rank=senior"] + margins["rank=officer"]
        )
        self.assertEqual(margins["category=agents"], margins["rank=agent"])
        sk_senior = sum(
            census.filter(area__code="CD-SK", cell__code__endswith="rank=senior").values_list(
                "value", flat=True
            )
        )
        self.assertEqual(margins["rank=senior"], sk_senior)  # 250 × 0.15, rounded: 38
        # The indicator page lists them, labelled as derived.
        self.client.force_login(get_user_model().objects.get(username=ADMIN_USERNAME))
        page = self.client.get(
            f"/plans/{NAP}/indicators/PAR-07/", {"period": "2026", "area": "CD-SK"}
        ).content.decode()
        self.assertIn("By Police category (derived from Police rank), 2026", page)
        self.assertIn("Senior officers (commissaires), Officers", page)

    def test_the_plan_keeps_the_coordinators_mapping(self) -> None:
        kept = set(LabelMapping.objects.filter(plan__code=NAP).values_list("kind", "label", "code"))
        self.assertEqual(len(kept), 7)
        self.assertIn(("area", "Sud-Kivou", "CD-SK"), kept)
        self.assertIn(("option", "Officiers supérieurs", "senior"), kept)

    def test_the_first_run_gives_the_mapping_sheet_with_suggestions(self) -> None:
        plan = Plan.objects.get(code=NAP)
        LabelMapping.objects.filter(plan=plan).delete()
        # The plan as it was when the export came in, before the army and the police adopted
        # the security package (demo/security.py, loaded after): its shared "Rank" reads
        # "Grade" in French and would take the census's column.
        SecurityInstitution.objects.filter(plan=plan).delete()
        Indicator.objects.filter(plan=plan, code__regex=r"^(FARDC|PNC)-").exclude(
            share_of=None
        ).delete()
        Indicator.objects.filter(plan=plan, code__regex=r"^(FARDC|PNC)-").delete()
        with tempfile.TemporaryDirectory() as folder:
            first = movein_run(
                plan=plan, files=read_records(movein.legacy_files(Path(folder))), dry_run=True
            )
        found = {(u.kind, u.label): u.suggestions for u in first.unmatched}
        self.assertEqual(found[("area", "Sud-Kivou")][0], "CD-SK (Sud-Kivu)")
        self.assertEqual(found[("area", "Ville de Kinshasa")][0], "CD-KN (Kinshasa)")
        self.assertIn(("column", "grade"), found)
        self.assertIn(("column", "Intitulé du texte"), found)
        self.assertTrue(
            found[("indicator", "Lois, politiques et mécanismes adoptés (résolution 1325)")][
                0
            ].startswith("PRO-08 (")
        )

    def test_next_years_export_needs_no_mapping(self) -> None:
        plan = Plan.objects.get(code=NAP)
        admin = get_user_model().objects.get(username=ADMIN_USERNAME)
        with tempfile.TemporaryDirectory() as folder:
            again = plan_move_in(
                by=admin,
                plan=plan,
                files=read_records(movein.legacy_files(Path(folder))),
                dry_run=True,
            )
        self.assertTrue(again.complete)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 24))
