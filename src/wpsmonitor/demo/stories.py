"""Demo data of issue 16 (docs/stories.md): the national plan's stories with their consents, a
perception survey in two rounds, early-warning signals around the response loop, and a small
register of threats against defenders. Everything is fictitious and says so: no story is about
a real person, every title and text carries "(fictitious)" or "(fictif)".

It all goes through the apps' services, as a user's work would: the Coalition des femmes pour la
paix et le leadership (CFPL, fictitious), the civil-society organisation whose monitor the demo
already has, collects the stories and records the incidents; a second person of it approves;
the coordinator issues CFPL an intake link, sets the survey up, runs the response loop and
adopts its response times as indicators of the plan. One
thing the services do not offer is written directly, and said so where it is: back-dating when a
signal was received (the intake stamps today; the demo spreads its signals over 2025-2026, as
demo/boards.py back-dates its reports).

Loaded in two steps: `load` inside the demo's build (the aggregates built afterwards include the
survey's indicators, and the 2025 report prints the approved stories), then `withdraw_after_report`
once the reports are generated: one story's consent is withdrawn, so the coordinator is mailed
the published report that used it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.defenders import services as defenders
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.earlywarning import services as earlywarning
from wpsmonitor.earlywarning.models import Signal
from wpsmonitor.indicators.models import Cell, Indicator
from wpsmonitor.perceptions import services as perceptions
from wpsmonitor.perceptions.models import Survey
from wpsmonitor.perceptions.template import template_questions
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.stories import services as stories
from wpsmonitor.stories.models import Story

HOLDER = "demo-cfpl"
COLLECTOR = "monitor"  # the CFPL's monitor (demo/reporting.py)
APPROVER = "monitor-cfpl2"  # a second person of CFPL, who approves what the first collected

# The story whose consent is withdrawn after the 2025 report used it.
WITHDRAWN_TITLE = "Market women map safe routes in Kimbanseke (fictitious)"
SURVEY_CODE = "perceptions"
SURVEY_TITLE = "Women's perceptions of security (fictitious)"
# The target of the response-time indicators, in days.
RESPONSE_TARGET_DAYS = 3


@dataclass(frozen=True)
class StorySpec:
    kind: str
    title: str
    text: str
    language: str
    sensitivity: str
    domain: str
    area: str
    happened_on: date
    storyteller: dict[str, str]
    nodes: tuple[str, ...]
    indicators: tuple[str, ...]
    # (purposes, method, witness, given on); None: no consent recorded
    consent: tuple[set[str], str, str, date] | None
    status: str  # draft, shared, approved
    photo: bool = False


EVERYWHERE = {"monitoring", "report", "public"}

STORIES = [
    StorySpec(
        kind="significant_change",
        title="A women's peace committee settles a land dispute in Kabare (fictitious)",
        text=(
            "(Fictitious story written for the demonstration.) For two years a dispute over a "
            "field divided two villages. When the women's peace committee set up under the "
            "local plan was asked to mediate, the chief agreed for the first time that women "
            "sit at the table. After three meetings the families agreed on a boundary and a "
            "shared well. 'Before, we cooked for the meetings; now we speak in them.'"
        ),
        language="en",
        sensitivity="protected",
        domain="Women's participation in local peace-building",
        area="CD-SK-KABARE",
        happened_on=date(2025, 5, 14),
        storyteller={"age": "30-44"},
        nodes=("PAR",),
        indicators=("PAR-01",),
        consent=(EVERYWHERE, "written", "", date(2025, 6, 2)),
        status="approved",
        photo=True,
    ),
    StorySpec(
        kind="testimony",
        title="Une survivante trouve le centre intégré de Goma (fictif)",
        text=(
            "(Témoignage fictif écrit pour la démonstration.) Après l'agression, je ne savais "
            "pas où aller. Une paralégale de la coalition m'a accompagnée au centre intégré : "
            "soins, écoute, et une plainte enregistrée par une policière formée. La procédure "
            "est longue, mais pour la première fois on m'a crue."
        ),
        language="fr",
        sensitivity="protected",
        domain="Access to justice and care for survivors",
        area="CD-NK-GOMA",
        happened_on=date(2025, 3, 8),
        storyteller={"age": "18-29", "displacement": "idp"},
        nodes=("PRO",),
        indicators=("PRO-01",),
        consent=(EVERYWHERE, "oral_witnessed", "A CFPL paralegal (fictitious)", date(2025, 3, 20)),
        status="approved",
    ),
    StorySpec(
        kind="case_study",
        title=WITHDRAWN_TITLE,
        text=(
            "(Fictitious case study written for the demonstration.) Women who sell at the "
            "Kimbanseke market walked home after dark along unlit roads. With the commune they "
            "mapped the places where they felt unsafe; two streetlights and a night patrol "
            "followed. The group's spokeswoman later asked that the story no longer be "
            "published."
        ),
        language="en",
        sensitivity="open",
        domain="Safety of women in public spaces",
        area="CD-KN-KIMBANSEKE",
        happened_on=date(2025, 8, 21),
        storyteller={"age": "45-59"},
        nodes=("PRE",),
        indicators=(),
        consent=(EVERYWHERE, "recorded", "", date(2025, 9, 1)),
        status="approved",
    ),
    StorySpec(
        kind="observation",
        title="Réunion des femmes de Beni reportée après des menaces (fictif)",
        text=(
            "(Observation fictive écrite pour la démonstration.) La réunion mensuelle du "
            "groupe de femmes a été reportée : des messages menaçants ont circulé la veille. "
            "Les membres se sont retrouvées deux semaines plus tard dans un autre lieu."
        ),
        language="fr",
        sensitivity="protected",
        domain="Civic space for women's organisations",
        area="CD-NK-BENI",
        happened_on=date(2025, 10, 6),
        storyteller={},
        nodes=("PRE",),
        indicators=(),
        consent=({"monitoring"}, "written", "", date(2025, 10, 10)),
        status="shared",
    ),
    StorySpec(
        kind="testimony",
        title="A defender's account of threats in Uvira (fictitious)",
        text=(
            "(Fictitious testimony written for the demonstration.) After she spoke on the radio "
            "about the checkpoints, a defender received calls at night and was followed home. "
            "She moved her children to relatives. The coalition keeps this account restricted."
        ),
        language="en",
        sensitivity="restricted",
        domain="Safety of women human rights defenders",
        area="CD-SK-UVIRA",
        happened_on=date(2025, 11, 3),
        storyteller={"age": "30-44"},
        nodes=("PRO",),
        indicators=(),
        consent=({"monitoring"}, "oral_witnessed", "A CFPL lawyer (fictitious)", date(2025, 11, 5)),
        status="shared",
    ),
    StorySpec(
        kind="significant_change",
        title="Young women debate security on Bukavu radio (fictitious)",
        text=(
            "(Fictitious story written for the demonstration; a draft, its consent not yet "
            "recorded.) Students ran a radio debate on what makes the city safe for them."
        ),
        language="en",
        sensitivity="protected",
        domain="Women's participation in local peace-building",
        area="CD-SK-BUKAVU",
        happened_on=date(2026, 2, 12),
        storyteller={"age": "18-29"},
        nodes=("PAR",),
        indicators=(),
        consent=None,
        status="draft",
    ),
]

# Early-warning signals: (category, district, observed, received, severity, source, what,
# [(step, day, by or organisation)]). The steps: ack, refer (to an organisation), action (by
# whom: the coordinator or the referred organisation's user), close.
SIGNALS: list[tuple[str, str, date, date | None, str, str, str, list[tuple[str, date, str]]]] = [
    (
        "armed_presence",
        "CD-NK-RUTSHURU",
        date(2025, 2, 9),
        date(2025, 2, 10),
        "high",
        "womens_group",
        "Armed men seen near the market on market day (fictitious signal).",
        [
            ("ack", date(2025, 2, 11), ""),
            ("refer", date(2025, 2, 12), "demo-monusco"),
            ("action", date(2025, 2, 20), "Patrols on market days (fictitious)."),
            ("close", date(2025, 3, 5), ""),
        ],
    ),
    (
        "sexual_violence",
        "CD-SK-UVIRA",
        date(2025, 4, 2),
        date(2025, 4, 3),
        "critical",
        "monitor",
        "Several women attacked on the road to the fields (fictitious signal).",
        [
            ("ack", date(2025, 4, 4), ""),
            ("refer", date(2025, 4, 4), "demo-pnc"),
            ("action", date(2025, 4, 9), "Escorts and a mobile unit sent (fictitious)."),
            ("close", date(2025, 4, 30), ""),
        ],
    ),
    (
        "hate_speech",
        "CD-KN-KIMBANSEKE",
        date(2025, 6, 14),
        date(2025, 6, 16),
        "medium",
        "media",
        "Messages insulting women candidates shared on social media (fictitious signal).",
        [
            ("ack", date(2025, 6, 23), ""),
            ("refer", date(2025, 6, 25), "demo-mgfe"),
            ("action", date(2025, 7, 15), "Public statement by the ministry (fictitious)."),
            ("close", date(2025, 8, 1), ""),
        ],
    ),
    (
        "displacement",
        "CD-NK-MASISI",
        date(2025, 9, 7),
        date(2025, 9, 8),
        "high",
        "community_member",
        "Families, mostly women and children, arriving after clashes (fictitious signal).",
        [
            ("ack", date(2025, 9, 9), ""),
            ("refer", date(2025, 9, 10), "demo-unwomen"),
            ("action", date(2025, 9, 30), "Safe spaces opened in two sites (fictitious)."),
            ("close", date(2025, 10, 20), ""),
        ],
    ),
    (
        "threats_womens_groups",
        "CD-NK-GOMA",
        date(2025, 11, 13),
        date(2025, 11, 14),
        "high",
        "womens_group",
        "A women's association warned to stop its meetings (fictitious signal).",
        [
            ("ack", date(2025, 11, 15), ""),
            ("refer", date(2025, 11, 17), "demo-pnc"),
            ("action", date(2025, 12, 2), "Police visit and a contact officer named (fictitious)."),
        ],
    ),
    (
        "movement_restricted",
        "CD-SK-BUKAVU",
        date(2026, 1, 17),
        date(2026, 1, 19),
        "medium",
        "monitor",
        "Women stopped at a checkpoint and asked for a husband's permission (fictitious signal).",
        [("ack", date(2026, 1, 21), ""), ("refer", date(2026, 1, 26), "demo-gouv-sk")],
    ),
    (
        "armed_presence",
        "CD-SK-KABARE",
        date(2026, 2, 22),
        date(2026, 2, 23),
        "high",
        "womens_group",
        "An armed group camped near a school (fictitious signal).",
        [("ack", date(2026, 2, 24), "")],
    ),
    (
        "hate_speech",
        "CD-NK-BENI",
        date(2026, 3, 1),
        None,  # received today: in the moderation queue
        "low",
        "community_member",
        "Leaflets against a women's radio programme (fictitious signal).",
        [],
    ),
]

# The register: (kind, district, day, perpetrator, what, follow-up, measures, funding). Five
# threats in Nord-Kivu in 2025 make the one count the figures page shows; the others are below
# the plan's threshold (5) and withheld.
INCIDENTS: list[tuple[str, str, date, str, str, str, str, Decimal | None]] = [
    (
        "threat",
        "CD-NK-GOMA",
        date(2025, 2, 3),
        "unknown",
        "Anonymous calls threatening a coalition member (fictitious).",
        "Reported to the police (fictitious).",
        "Phone changed; safety plan (fictitious).",
        None,
    ),
    (
        "threat",
        "CD-NK-BENI",
        date(2025, 4, 18),
        "armed_group",
        "Note left at a member's door (fictitious).",
        "",
        "Temporary relocation for two weeks (fictitious).",
        Decimal("1200"),
    ),
    (
        "threat",
        "CD-NK-RUTSHURU",
        date(2025, 6, 9),
        "armed_group",
        "Threats at a checkpoint after a training (fictitious).",
        "",
        "",
        None,
    ),
    (
        "threat",
        "CD-NK-MASISI",
        date(2025, 9, 22),
        "community",
        "Threats after a meeting on land rights (fictitious).",
        "Mediation by the local chief (fictitious).",
        "",
        None,
    ),
    (
        "threat",
        "CD-NK-GOMA",
        date(2025, 11, 14),
        "unknown",
        "Messages warning the association to stop its meetings (fictitious).",
        "",
        "Meetings moved; a contact officer named (fictitious).",
        Decimal("800"),
    ),
    (
        "online_harassment",
        "CD-SK-BUKAVU",
        date(2025, 10, 1),
        "unknown",
        "Doctored photos of a member shared online (fictitious).",
        "Reported to the platform (fictitious).",
        "",
        None,
    ),
    (
        "arrest",
        "CD-KN-GOMBE",
        date(2026, 2, 10),
        "state_security",
        "A member held for a day after a peaceful march (fictitious).",
        "Released with the help of a lawyer (fictitious).",
        "Legal fees paid (fictitious).",
        Decimal("300"),
    ),
]

# Perception survey: respondents giving each option, per province and round, for the three
# questions used (the template's 1, 3 and 4), options in order (the last two favourable).
SURVEY_QUESTIONS = (0, 2, 3)
ANSWERS: dict[str, dict[str, list[list[int]]]] = {
    "2024": {
        "CD-KN": [[12, 18, 22, 8], [20, 19, 15, 6], [10, 16, 24, 10]],
        "CD-NK": [[25, 20, 10, 5], [28, 18, 10, 4], [18, 20, 15, 7]],
        "CD-SK": [[20, 22, 12, 6], [24, 20, 11, 5], [15, 21, 17, 7]],
    },
    "2025": {
        "CD-KN": [[9, 15, 26, 10], [16, 18, 18, 8], [8, 14, 26, 12]],
        "CD-NK": [[22, 19, 13, 6], [24, 18, 13, 5], [15, 19, 18, 8]],
        "CD-SK": [[15, 21, 16, 8], [19, 21, 14, 6], [12, 19, 20, 9]],
    },
}


def demo_photo() -> bytes:
    """A small PNG drawn here (no file in the repository): a field, hills and a sun, nobody."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 100), (135, 190, 235))
    draw = ImageDraw.Draw(image)
    draw.ellipse((118, 8, 146, 36), fill=(250, 210, 60))
    draw.polygon([(0, 70), (50, 35), (100, 70)], fill=(60, 130, 70))
    draw.polygon([(60, 70), (115, 30), (160, 70)], fill=(80, 150, 80))
    draw.rectangle((0, 70, 160, 100), fill=(150, 110, 60))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def users_ensure(nap: Plan, orgs: dict[str, Organisation], password: str | None) -> list[str]:
    """The second person of CFPL (who approves the stories the monitor collects): given the
    monitor role by the monitor, the organisation's administrator on the plan."""
    from wpsmonitor.accounts.models import Role
    from wpsmonitor.demo.reporting import user_ensure
    from wpsmonitor.reporting import services as reporting

    user = user_ensure(APPROVER, password)
    if not user.has_usable_password():
        # Same password as the other demo users (its hash, as demo/boards.py does).
        template = get_user_model().objects.filter(username="coordinator").first()
        if template is not None and template.has_usable_password():
            user.password = template.password
            user.save(update_fields=["password"])
    monitor = get_user_model().objects.get(username=COLLECTOR)
    reporting.role_grant(
        by=monitor, plan=nap, user=user, role=Role.MONITOR, organisation=orgs[HOLDER]
    )
    return [APPROVER]


def load(nap: Plan, orgs: dict[str, Organisation]) -> None:
    """The survey, the signals, the register and the stories (before the reports)."""
    people = get_user_model().objects.in_bulk(
        ["coordinator", COLLECTOR, APPROVER, "focal-police"], field_name="username"
    )
    areas = {a.code: a for a in Area.objects.filter(code__startswith="CD-")}
    survey_load(nap, orgs, areas, people)
    signals_load(nap, orgs, areas, people)
    incidents_load(nap, orgs, areas, people)
    stories_load(nap, orgs, areas, people)
    selection_load(nap, people)


def survey_load(
    nap: Plan, orgs: dict[str, Organisation], areas: dict[str, Area], people: dict[str, Any]
) -> Survey:
    questions = template_questions(nap.original_language)
    survey = perceptions.survey_set_up(
        by=people["coordinator"],
        plan=nap,
        code=SURVEY_CODE,
        title=SURVEY_TITLE,
        node="PRO",
        frequency="year",
        areas=[areas[code] for code in ("CD-KN", "CD-NK", "CD-SK")],
        questions=[questions[i] for i in SURVEY_QUESTIONS],
        note="Fictitious answers generated for the demonstration (sondage fictif).",
    )
    cell = Cell.objects.get(scheme_id=survey.scheme_id)
    asked = list(survey.questions.order_by("order"))
    for period, by_area in ANSWERS.items():
        round_ = perceptions.round_open(
            by=people["coordinator"], survey=survey, period=period, organisation=orgs[HOLDER]
        )
        for area_code, per_question in by_area.items():
            counts: dict[tuple[int, int, str], int | None] = {
                (question.pk, cell.pk, str(i + 1)): count
                for question, options in zip(asked, per_question, strict=True)
                for i, count in enumerate(options)
            }
            perceptions.answers_save(
                by=people[COLLECTOR], round_=round_, area=areas[area_code], counts=counts
            )
    return survey


def signals_load(
    nap: Plan, orgs: dict[str, Organisation], areas: dict[str, Area], people: dict[str, Any]
) -> None:
    coordinator = people["coordinator"]
    token, _raw = earlywarning.intake_token_issue(
        by=coordinator,
        plan=nap,
        organisation=orgs[HOLDER],
        label="CFPL monitors (fictitious)",
    )
    today = timezone.localdate()
    for category, area, observed, received, severity, source, what, steps in SIGNALS:
        if received is None:
            observed, received = today - timedelta(days=1), today
        signal = earlywarning.signal_receive(
            token=token,
            category=category,
            area=areas[area],
            observed_on=observed,
            severity=severity,
            source_type=source,
            description=what,
        )
        if received != signal.received_on:
            # Back-dated: the intake stamps today; the demo's signals came over 2025-2026.
            Signal.objects.filter(pk=signal.pk).update(received_on=received)
            signal.received_on = received
        referred_to = ""
        for step, day, detail in steps:
            if step == "ack":
                earlywarning.signal_acknowledge(by=coordinator, signal=signal, on=day)
            elif step == "refer":
                referred_to = detail
                earlywarning.signal_refer(by=coordinator, signal=signal, to=orgs[detail], on=day)
            elif step == "action":
                # The police's focal point records what the police did; the coordinator the rest.
                by = people["focal-police"] if referred_to == "demo-pnc" else coordinator
                earlywarning.signal_record_action(by=by, signal=signal, action=detail, on=day)
            else:
                earlywarning.signal_close(by=coordinator, signal=signal, on=day)
    # The response times become indicators of the protection pillar, beside the survey's; their
    # figures are computed from the signals above at once (docs/stories.md, "Response times").
    earlywarning.response_indicators_adopt(
        by=coordinator, plan=nap, node="PRO", target_days=RESPONSE_TARGET_DAYS
    )


def incidents_load(
    nap: Plan, orgs: dict[str, Organisation], areas: dict[str, Area], people: dict[str, Any]
) -> None:
    for kind, area, day, perpetrator, what, follow_up, measures, amount in INCIDENTS:
        defenders.incident_record(
            by=people[COLLECTOR],
            plan=nap,
            holder=orgs[HOLDER],
            kind=kind,
            occurred_on=day,
            perpetrator=perpetrator,
            description=what,
            area=areas[area],
            follow_up=follow_up,
            protection_measures=measures,
            funding_amount=amount,
            funding_currency="USD" if amount is not None else "",
            funder=orgs["demo-donor"] if amount is not None else None,
        )


def stories_load(
    nap: Plan, orgs: dict[str, Organisation], areas: dict[str, Area], people: dict[str, Any]
) -> None:
    collector, approver = people[COLLECTOR], people[APPROVER]
    for spec in STORIES:
        story = stories.story_record(
            by=collector,
            plan=nap,
            holder=orgs[HOLDER],
            kind=spec.kind,
            title=spec.title,
            text=spec.text,
            language=spec.language,
            sensitivity=spec.sensitivity,
            domain=spec.domain,
            area=areas[spec.area],
            happened_on=spec.happened_on,
            storyteller=spec.storyteller,
        )
        stories.story_link(
            by=collector,
            story=story,
            nodes=FrameworkNode.objects.filter(plan=nap, code__in=spec.nodes),
            indicators=Indicator.objects.filter(plan=nap, code__in=spec.indicators),
            # The first recommendation (demo/accountability.py) on the story's pillars.
            recommendations=Recommendation.objects.filter(
                plan=nap, nodes__code__in=spec.nodes
            ).order_by("issued_on", "pk")[:1],
        )
        if spec.photo:
            stories.medium_attach(
                by=collector,
                story=story,
                upload=SimpleUploadedFile("kabare-field.png", demo_photo(), "image/png"),
                safe_to_share=True,
            )
        if spec.consent is None:
            continue
        purposes, method, witness, given_on = spec.consent
        stories.consent_record(
            by=collector,
            story=story,
            given_by="The storyteller (fictitious)",
            purposes=purposes,
            method=method,
            witness=witness,
            given_on=given_on,
        )
        if spec.status in ("shared", "approved"):
            stories.story_share(by=collector, story=story)
        if spec.status == "approved":
            stories.story_approve(by=approver, story=story)


# The Most Significant Change round of 2025: the national panel chooses the Kabare story in the
# domain of participation, and says why.
CHOSEN_TITLE = "A women's peace committee settles a land dispute in Kabare (fictitious)"
CHOSEN_REASON = (
    "(Fictitious.) The first time the committee's women sat at the table rather than cooked for "
    "it, and the settlement held: the change the plan's participation pillar is about."
)


def selection_load(nap: Plan, people: dict[str, Any]) -> None:
    """A national selection round of 2025 over every domain, its panel the coordinator, CFPL's
    second person and a caucus member without an account; one choice with its reason, decided:
    the Kabare story's holders are mailed the panel's reason (stories/selection.py)."""
    coordinator = people["coordinator"]
    selection_round = stories.selection_round_create(
        by=coordinator,
        plan=nap,
        level="national",
        period="2025",
        panel=[coordinator, people[APPROVER]],
        panel_others="A member of the parliamentary women's caucus (fictitious)",
    )
    stories.selection_choose(
        by=coordinator,
        selection_round=selection_round,
        story=Story.objects.get(plan=nap, title=CHOSEN_TITLE),
        reason=CHOSEN_REASON,
    )
    stories.selection_decide(by=coordinator, selection_round=selection_round)


def withdraw_after_report(nap: Plan) -> None:
    """The Kimbanseke group withdraws its consent after the published 2025 report printed the
    story: the portal stops showing it, later reports leave it out, and the coordinator is
    mailed that report (stories/uses.py)."""
    story = Story.objects.get(plan=nap, title=WITHDRAWN_TITLE)
    consent = story.consents.get(withdrawn_on=None)
    stories.consent_withdraw(
        by=get_user_model().objects.get(username=COLLECTOR),
        consent=consent,
        note="The group's spokeswoman asked that it no longer be published (fictitious).",
    )
