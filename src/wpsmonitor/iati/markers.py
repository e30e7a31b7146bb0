"""Checking the OECD DAC gender equality marker of donor activities.

Pure functions on the reader's records (`iati.records`), fed from the database by
`selectors`; docs/iati.md, "Flows and markers", states the rules for users.

- **Marker state.** Each activity is in one of five states: principal (2), significant (1),
  not targeted (0), *not screened* (a gender marker without a significance, missing or empty:
  never read as 0), or *no marker* at all. The profile merges the last two as "not screened",
  which is what both mean; the cross-tab keeps them apart, as the samples' README does.
- **The sector rule.** The OECD says activities coded 15170 (women's rights organisations and
  movements) or 15180 (ending violence against women and girls) are principal by definition.
  Real data disagrees, so `flag_sector_rule` lists every activity with either code (DAC
  vocabulary, at activity or transaction level; legacy 15164 counts as 15170) that is not
  marked principal, with its state: a warning to follow up, never a correction.
- **Profile per donor.** For peace-and-security funding (activities with one of the chosen DAC
  purpose codes, by default the WPS codes of the import filter), per reporting organisation
  (the publisher scores its own activities): how many activities and how much money in each
  state. The money of an activity is what it paid out: disbursements and expenditure (types 3
  and 4), scaled by the activity's share in the chosen sectors (an activity 40 % in 15220 counts
  40 %; when percentages are missing the share is split equally among its DAC sectors). Totals
  are per currency and, with a rate table, converted as in `flows` (never guessed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from wpsmonitor.iati.flows import ConvertedTotals, latest, org_key
from wpsmonitor.iati.importer import WPS_SECTORS
from wpsmonitor.iati.records import Activity

PRINCIPAL = "2"
SIGNIFICANT = "1"
NOT_TARGETED = "0"
NOT_SCREENED = "not_screened"  # a marker without significance
NO_MARKER = "none"
PROFILE_STATES = (PRINCIPAL, SIGNIFICANT, NOT_TARGETED, NOT_SCREENED)
RULE_SECTORS = frozenset({"15170", "15180"})
SPENDING = frozenset({"3", "4"})

# The WPS purpose codes of the import filter: the same default for the profile.
DEFAULT_SECTORS = WPS_SECTORS


def state(activity: Activity) -> str:
    """The activity's gender-marker state (see the module docstring)."""
    if activity.gender_marker in (0, 1, 2):
        return str(activity.gender_marker)
    return NOT_SCREENED if activity.has_gender_marker else NO_MARKER


def dac_codes(activity: Activity, *, as_written: bool = False) -> set[str]:
    """The activity's DAC 5-digit purpose codes; `as_written` keeps legacy codes untranslated."""
    return {
        (s.written_code or s.code) if as_written else s.code
        for s in activity.sectors
        if s.vocabulary == "1"
    }


@dataclass(frozen=True)
class Flagged:
    iati_identifier: str
    title: str
    reporting_org: str
    codes: tuple[str, ...]  # which of 15170 / 15180 it carries
    state: str


def flag_sector_rule(activities: Iterable[Activity]) -> list[Flagged]:
    """Activities coded 15170 or 15180 that are not marked principal, by reporter and id."""
    found = []
    for a in latest(activities):
        codes = dac_codes(a) & RULE_SECTORS
        current = state(a)
        if codes and current != PRINCIPAL:
            found.append(
                Flagged(
                    iati_identifier=a.iati_identifier,
                    title=a.title,
                    reporting_org=a.reporting_org.name or a.reporting_org.ref,
                    codes=tuple(sorted(codes)),
                    state=current,
                )
            )
    found.sort(key=lambda f: (f.reporting_org.casefold(), f.iati_identifier))
    return found


def crosstab(
    activities: Iterable[Activity],
    codes: Iterable[str] = ("15170", "15180", "15220"),
    *,
    as_written: bool = False,
) -> dict[str, Counter[str]]:
    """Per purpose code, how many activities are in each marker state (an activity counts once
    per code it carries)."""
    wanted = list(codes)
    table: dict[str, Counter[str]] = {code: Counter() for code in wanted}
    for a in activities:
        current = state(a)
        for code in dac_codes(a, as_written=as_written) & set(wanted):
            table[code][current] += 1
    return table


def sector_share(activity: Activity, sectors: frozenset[str]) -> Decimal:
    """The share of the activity in these purpose codes, 0 to 1 (module docstring)."""
    dac = [s for s in activity.sectors if s.vocabulary == "1"]
    chosen = [s for s in dac if s.code in sectors]
    if not chosen:
        return Decimal(0)
    if all(s.percentage is not None for s in chosen):
        share = sum((s.percentage or Decimal(0) for s in chosen), Decimal(0)) / 100
    else:
        share = Decimal(len({s.code for s in chosen})) / Decimal(len({s.code for s in dac}))
    return min(max(share, Decimal(0)), Decimal(1))


class StateTotals(ConvertedTotals):
    """One transaction state's totals in a donor's profile."""


@dataclass
class DonorProfile:
    key: str
    name: str
    states: dict[str, StateTotals]
    activities: int = 0
    converted: Decimal = Decimal(0)

    def share(self, state_key: str) -> float | None:
        """Share of the converted amount in one state."""
        if not self.converted:
            return None
        return float(self.states[state_key].converted / self.converted)


def donor_profiles(
    activities: Iterable[Activity],
    *,
    sectors: frozenset[str] = DEFAULT_SECTORS,
    rates: Mapping[tuple[str, int], Decimal] | None = None,
    target: str = "",
) -> list[DonorProfile]:
    """Gender-marker profile of peace-and-security funding per reporting organisation, the
    largest (converted amount, then activities) first."""
    profiles: dict[str, DonorProfile] = {}
    for a in latest(activities):
        share = sector_share(a, sectors)
        if not share:
            continue
        key = org_key(a.reporting_org.ref, a.reporting_org.name)
        profile = profiles.get(key)
        if profile is None:
            profile = profiles[key] = DonorProfile(
                key=key,
                name=a.reporting_org.name or a.reporting_org.ref,
                states={s: StateTotals() for s in PROFILE_STATES},
            )
        current = state(a)
        bucket = profile.states[NOT_SCREENED if current == NO_MARKER else current]
        bucket.activities += 1
        profile.activities += 1
        for t in a.transactions:
            if t.type not in SPENDING:
                continue
            amount = t.value * share
            bucket.by_currency[t.currency] = bucket.by_currency.get(t.currency, Decimal(0)) + (
                amount
            )
            if rates is None or not target:
                continue
            year = t.value_date.year if t.value_date else None
            if t.currency and t.currency == target:
                rate: Decimal | None = Decimal(1)
            elif t.currency and year is not None:
                rate = rates.get((t.currency, year))
            else:
                rate = None
            if rate is None:
                bucket.unconverted += 1
                bucket.missing.add((t.currency, year))
            else:
                bucket.counted += 1
                bucket.converted += amount * rate
                profile.converted += amount * rate
    return sorted(profiles.values(), key=lambda p: (-p.converted, -p.activities, p.name.casefold()))
