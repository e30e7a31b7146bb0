"""`demo_load(stories=True)` (what `wpsmonitor demo` loads): the national plan's stories with
their consents, a perception survey in two rounds, early-warning signals with their response
times, and a register of threats against defenders, as the pages show them."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import ClassVar

from django.contrib.auth import get_user_model
from django.test import Client, TestCase, override_settings

from wpsmonitor.defenders.selectors import figures
from wpsmonitor.demo.builder import DemoSummary, demo_load
from wpsmonitor.demo.stories import STORIES, WITHDRAWN_TITLE
from wpsmonitor.directory.models import Area
from wpsmonitor.earlywarning.models import Signal, SignalStatus
from wpsmonitor.earlywarning.selectors import response_times
from wpsmonitor.indicators.models import AggregateValue, DataValue
from wpsmonitor.perceptions.models import Survey
from wpsmonitor.plans.models import Plan
from wpsmonitor.stories.models import Story, StoryMedium, StoryStatus, StoryUse

NAP = "demo-cod-nap3"
PUBLIC = [s.title for s in STORIES if s.status == "approved" and s.title != WITHDRAWN_TITLE]
NOT_PUBLIC = [s.title for s in STORIES if s.status != "approved"]


class DemoStoriesTests(TestCase):
    summary: DemoSummary
    mail_dir: ClassVar[Path]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.mail_dir = Path(tempfile.mkdtemp(prefix="demo-mail-"))
        backend = "django.core.mail.backends.filebased.EmailBackend"
        with (
            override_settings(EMAIL_BACKEND=backend, EMAIL_FILE_PATH=str(cls.mail_dir)),
            cls.captureOnCommitCallbacks(execute=True),
        ):
            summary = demo_load(stories=True)
        assert summary is not None
        cls.summary = summary

    def setUp(self) -> None:
        self.nap = Plan.objects.get(code=NAP)

    def test_the_public_stories_page_shows_the_approved_consented_stories_only(self) -> None:
        page = Client().get(f"/plans/{NAP}/public/stories/").content.decode()
        assert len(PUBLIC) >= 2 and len(NOT_PUBLIC) >= 3
        for title in PUBLIC:
            assert title.replace("'", "&#x27;") in page, title
        for title in [*NOT_PUBLIC, WITHDRAWN_TITLE]:
            assert title.replace("'", "&#x27;") not in page, title
        # Held by the coalition, collected by one person, approved by another.
        held = Story.objects.filter(plan=self.nap)
        assert held.count() == len(STORIES)
        for story in held.filter(status=StoryStatus.APPROVED):
            assert story.approved_by_id and story.approved_by_id != story.collected_by_id
        assert all("(fictitious)" in s.title or "(fictif)" in s.title for s in held)
        assert set(held.values_list("status", flat=True)) == set(StoryStatus.values)
        assert held.filter(sensitivity="restricted").exists()
        photo = StoryMedium.objects.get(story__plan=self.nap)
        assert photo.safe_to_share and photo.kind == "photo"

    def test_the_withdrawn_story_was_in_the_report_and_the_coordinator_is_mailed(self) -> None:
        used = StoryUse.objects.filter(
            story__plan=self.nap, kind="report", published_at__isnull=False
        )
        assert WITHDRAWN_TITLE in set(used.values_list("story__title", flat=True))
        withdrawn = Story.objects.get(plan=self.nap, title=WITHDRAWN_TITLE)
        assert not withdrawn.consented_to("report") and not withdrawn.consented_to("public")
        mails = [p.read_text() for p in self.mail_dir.iterdir()]
        told = [m for m in mails if "lost its consent" in m]
        assert len(told) == 1, mails
        assert "To: coordinator@example.org" in told[0]
        assert WITHDRAWN_TITLE in told[0] and "Annual report 2025" in told[0]

    def test_the_national_selection_round_chose_with_its_reason_and_told_the_holder(self) -> None:
        from wpsmonitor.demo.stories import CHOSEN_REASON, CHOSEN_TITLE
        from wpsmonitor.stories.models import SelectionRound

        selection_round = SelectionRound.objects.get(plan=self.nap)
        assert (selection_round.level, selection_round.status) == ("national", "decided")
        [choice] = selection_round.choices.select_related("story")
        assert choice.story.title == CHOSEN_TITLE and choice.reason == CHOSEN_REASON
        mails = [p.read_text() for p in self.mail_dir.iterdir()]
        chosen = [m for m in mails if "most significant change" in m]
        assert len(chosen) == 1, [m[:300] for m in mails]
        assert "monitor@example.org" in chosen[0] and CHOSEN_REASON[:40] in chosen[0]

    def test_the_survey_indicators_have_figures_for_2024_and_2025(self) -> None:
        survey = Survey.objects.get(plan=self.nap)
        assert "(fictitious)" in survey.title
        rounds = {r.period.code: r for r in survey.rounds.select_related("period")}
        assert set(rounds) == {"2024", "2025"}
        country = Area.objects.get(code="COD")
        for question in survey.questions.all():
            assert DataValue.objects.filter(indicator=question.indicator).count() == 6
        first = survey.questions.get(order=1).indicator
        shown = dict(
            AggregateValue.objects.filter(
                indicator=first, area=country, cell_key="", source=rounds["2025"].source
            ).values_list("period_code", "value")
        )
        # Favourable answers over all respondents of the three provinces: 63/180 and 79/180.
        assert round(shown["2025"], 1) == 43.9
        shown_2024 = AggregateValue.objects.get(
            indicator=first,
            area=country,
            cell_key="",
            source=rounds["2024"].source,
            period_code="2024",
        )
        assert round(shown_2024.value or 0, 1) == 35.0

    def test_the_signals_response_times_and_the_plan_page(self) -> None:
        states = set(Signal.objects.filter(plan=self.nap).values_list("status", flat=True))
        assert states == set(SignalStatus.values)
        rows = {(r.period, r.province): r for r in response_times(self.nap, by="year")}
        year = rows[("2025", None)]
        assert year.received == 5
        assert (year.acknowledge.done, year.acknowledge.median) == (5, 1.0)
        assert year.acknowledge.within == 0.8  # one acknowledged after a week
        assert (year.respond.done, year.respond.median) == (5, 18.0)
        assert rows[("2026", None)].acknowledge.done == 2
        client = Client()
        client.force_login(get_user_model().objects.get(username="coordinator"))
        page = client.get(f"/plans/{NAP}/").content.decode()
        # Adopted as indicators of the protection pillar: links to them instead of the table.
        section = page.split('id="response-times-title"')[1].split("</section>")[0]
        assert "EW-ACK" in section and "EW-ACT" in section
        country = Area.objects.get(code="COD")
        shown = dict(
            AggregateValue.objects.filter(
                indicator__plan=self.nap, area=country, cell_key="", period_code="2025"
            )
            .filter(indicator__code__in=["EW-ACK", "EW-ACT"])
            .values_list("indicator__code", "value")
        )
        # 2025: four of the five signals acknowledged within 3 days, none acted on within them.
        assert shown == {"EW-ACK": 80.0, "EW-ACT": 0.0}
        times = client.get(f"/plans/{NAP}/early-warning/response-times/")
        assert times.status_code == 200 and "2025" in times.content.decode()

    def test_the_defenders_figures_show_the_threats_and_withhold_small_counts(self) -> None:
        shown = figures(self.nap)
        assert shown.threshold == 5
        columns = [p.code for p in shown.provinces] + [None]
        counts = {
            (table.year, label, columns[i]): n
            for table in shown.tables
            for label, row in table.rows
            for i, n in enumerate(row)
        }
        assert counts[(2025, "Threat", "CD-NK")] == 5
        # Every other count (one harassment online, one arrest, zeros) is withheld.
        assert [k for k, n in counts.items() if n is not None] == [(2025, "Threat", "CD-NK")]
        page = Client().get(f"/plans/{NAP}/defenders/")
        assert page.status_code == 200
        assert "Fewer than 5" in page.content.decode() or "fewer than 5" in page.content.decode()
