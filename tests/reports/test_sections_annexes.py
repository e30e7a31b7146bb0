"""The report's annexes: the SG global indicators, the CEDAW GR30 checklist and SDG 5 and 16,
from the plan's indicators' global references (docs/reports.md, "Annexes")."""

from __future__ import annotations

from tests.reports.sections_base import DemoSectionTests

from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateValue,
    GlobalIndicator,
    Indicator,
)
from wpsmonitor.publishing.selectors import release_figures
from wpsmonitor.reports.document import INTERNAL, PUBLIC, Section, Table
from wpsmonitor.reports.sections import annexes
from wpsmonitor.shell.templatetags.shell import num


def links(plan_id: int, vocabulary: str) -> set[tuple[str, str]]:
    return set(
        Indicator.references.through.objects.filter(
            indicator__plan_id=plan_id,
            indicator__owner_organisation__isnull=True,
            globalindicator__vocabulary=vocabulary,
        ).values_list("globalindicator__code", "indicator__code")
    )


class AnnexTests(DemoSectionTests):
    def test_the_sg_table_has_every_plan_indicator_mapped_and_says_unverified(self) -> None:
        context = self.context()
        table = self.table(annexes.build(context), "annexes.sg_wps")
        rows = self.texts(table)
        assert {(r[0], r[3]) for r in rows} == links(context.plan.pk, "sg-wps")
        verified = dict(
            GlobalIndicator.objects.filter(vocabulary="sg-wps").values_list("code", "verified")
        )
        for row in rows:
            assert row[2] == ("verified" if verified[row[0]] else "unverified")
        assert {"verified", "unverified"} <= {r[2] for r in rows}
        codes = list(dict.fromkeys(r[0] for r in rows))
        assert codes[:4] == ["1b", "6", "11a", "12a"]  # numbers in order, not as text
        assert all(c.startswith("unnumbered-") for c in codes[4:])

    def test_the_sdg_table_holds_goals_5_and_16_only(self) -> None:
        context = self.context()
        rows = self.texts(self.table(annexes.build(context), "annexes.sdg"))
        assert {(r[0], r[3]) for r in rows} == links(context.plan.pk, "sdg")
        assert {r[0].split(".")[0] for r in rows} == {"5", "16"}
        assert rows[0][0].startswith("5.")

    def test_the_cedaw_checklist_answers_each_thematic_area(self) -> None:
        context = self.context()
        table = self.table(annexes.build(context), "annexes.cedaw_gr30")
        rows = {r[0]: r for r in self.texts(table)}
        entries = GlobalIndicator.objects.filter(vocabulary="cedaw-gr30")
        assert set(rows) == set(entries.values_list("title", flat=True))
        mapped = links(context.plan.pk, "cedaw-gr30")
        for entry in entries:
            codes = sorted(i for e, i in mapped if e == entry.code)
            row = rows[entry.title]
            assert sorted(row[3].split(", ")) == (codes or ["None"])
            assert row[1] == ("verified" if entry.verified else "unverified")
            if not codes:
                assert row[5] == "No data"
        conflict = rows["Conflict prevention"]
        assert "PRE Prevention" in conflict[2] and conflict[5] == "Data for 2025"

    def test_the_public_version_shows_a_withheld_figure_as_withheld(self) -> None:
        public = self.context(PUBLIC, year=2024)
        withheld = {
            f.indicator.code: f
            for f in release_figures(public.release)  # type: ignore[arg-type]
            .filter(
                period_code="2024",
                area=public.plan.area,
                cell_key="",
                source__code=GOVERNMENT_SOURCE,
            )
            .exclude(flag="")
            .select_related("indicator")
        }
        section = annexes.build(public)
        internal = annexes.build(self.context(INTERNAL, year=2024))

        def values(built: Section) -> dict[str, list[tuple[str, float | int | None, str]]]:
            found: dict[str, list[tuple[str, float | int | None, str]]] = {}
            for table in built.tables:
                if table.key == "annexes.cedaw_gr30":
                    continue
                for row in table.rows:
                    found.setdefault(row[3].text, []).append(
                        (row[5].text, row[5].value, row[5].flag)
                    )
            return found

        shown, detail = values(section), values(internal)
        hidden = [code for code in withheld if code in shown]
        assert hidden, "the demo's 2024 release withholds a mapped indicator's figure"
        for code in hidden:
            held = AggregateValue.objects.get(
                indicator__code=code,
                indicator__plan=public.plan,
                period_code="2024",
                area=public.plan.area,
                cell_key="",
                source__code=GOVERNMENT_SOURCE,
            ).value
            assert held is not None
            for text, value, flag in shown[code]:
                assert value is None and flag == withheld[code].flag
                assert num(held) not in text
            assert all(value == held for _t, value, _f in detail[code])

    def test_a_plan_without_references_says_so(self) -> None:
        section = annexes.build(self.empty_plan_context())
        assert section.title == "Annexes" and not section.subsections
        assert section.empty.startswith("No indicator of the plan is mapped")

    def test_each_annex_is_a_subsection_with_a_stable_key(self) -> None:
        section = annexes.build(self.context())
        assert [s.key for s in section.subsections] == [
            "annexes.sg_wps",
            "annexes.cedaw_gr30",
            "annexes.sdg",
        ]
        assert all(isinstance(s.blocks[0], Table) for s in section.subsections)

    def test_queries_are_bounded(self) -> None:
        assert self.queries(annexes.build, self.context(PUBLIC)) <= 5
