"""The horse race (赛马, D03): accounts ranked by a metric over a range, cut into invest / keep / replace; each
finished month's tiers kept, so who moved in or out of the invest tier reads as the 汰换 history.

It reads the daily rollups (`NoteDay` for the notes' figures, `AccountDay` for GMV) only, with bindings and
accounts for names and the note count for the test phase (N07) — never the raw metric, spend or order rows."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from accounts.models import Enterprise, RedAccount
from bindings.models import Binding
from campaigns import services as campaign_services
from campaigns.choices import Objective, Placement
from campaigns.models import Campaign
from campaigns.models.campaign import MIN_DAILY_BUDGET
from kos_platform import clock
from kos_platform.guard import day_start
from kos_platform.tenancy import Workspace
from notes.models import Note

from .choices import RaceMetric, Tier
from .models import NOTE_FIGURES, AccountDay, EnterpriseDay, HorseRaceMonth, NoteDay

DEFAULT_SHARE = Decimal("0.2")
MAX_SHARE = Decimal("0.5")
MIN_ACCOUNTS_FOR_TIERS = 5  # from 5 accounts on, a tier with a share holds at least one
TEST_PHASE_NOTES = 10  # N07: an account starting tests should hold ≥ 10 notes
MONEY_METRICS = {RaceMetric.GMV}
NOTES_PER_UNIT = 3  # an invested account's best pushed notes


@dataclass(frozen=True)
class Row:
    rank: int
    red_id: str
    nickname: str
    holder_name: str
    value: int | Decimal
    tier: str
    test_phase: bool
    notes: int
    account_id: int


def month_range(month: str) -> tuple[date, date]:
    """The first and last day of `YYYY-MM`."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def previous_month(today: date | None = None) -> str:
    first = (today or clock.local_today()).replace(day=1)
    last = first - timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"


def tier_size(share: Decimal, n: int) -> int:
    """⌊share × n⌋, at least one when n ≥ 5 — unless the share is 0, which switches the tier off."""
    size = int((share * n).to_integral_value(rounding=ROUND_FLOOR))
    if share > 0 and n >= MIN_ACCOUNTS_FOR_TIERS:
        size = max(size, 1)
    return min(size, n)


def tiers(values: list, invest_share: Decimal, replace_share: Decimal) -> list[str]:
    """The tier of each value of `values` (sorted best first), as D03 decides: `invest` holds the first
    k = ⌊invest_share × n⌋ and every account tied with the k-th; `replace` the last ⌊replace_share × n⌋ and every
    account tied with the first of them; each at least one account when n ≥ 5 (a share of 0 leaves its tier empty).

    When the two overlap (a handful of accounts, or ties reaching across the middle, e.g. all equal) invest wins:
    an account that earned a place among the best is never also flagged for replacement."""
    n = len(values)
    result = [Tier.KEEP.value] * n
    replace = tier_size(replace_share, n)
    if replace:
        edge = values[n - replace]
        result = [Tier.REPLACE.value if value <= edge else tier for value, tier in zip(values, result, strict=True)]
    invest = tier_size(invest_share, n)
    if invest:
        edge = values[invest - 1]
        result = [Tier.INVEST.value if value >= edge else tier for value, tier in zip(values, result, strict=True)]
    return result


def _bound_in_range(enterprise: Enterprise, start: date, end: date):
    """Bindings to the enterprise that held at some moment of the range's days (Asia/Shanghai)."""
    return Binding.objects.filter(enterprise=enterprise, effective_at__lt=day_start(end + timedelta(days=1))).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=day_start(start))
    )


def ranking(
    enterprise: Enterprise,
    start: date,
    end: date,
    metric: str = RaceMetric.ENGAGEMENT,
    invest_share: Decimal = DEFAULT_SHARE,
    replace_share: Decimal = DEFAULT_SHARE,
) -> list[Row]:
    """Every account bound to the enterprise at any time in `start`–`end` (and any with results there), with the
    metric summed over the range (zero without results), ranked 1, 2, 2, 4 best first and cut into tiers (D03).
    Three queries whatever the number of accounts."""
    days = {
        rollup: rollup.objects.filter(enterprise=enterprise, date__gte=start, date__lte=end).order_by()
        for rollup in (NoteDay, AccountDay)
    }
    summed, other = (NoteDay, AccountDay) if metric in NOTE_FIGURES else (AccountDay, NoteDay)
    totals = dict(
        days[summed].values("red_account_id").annotate(total=Sum(metric)).values_list("red_account_id", "total")
    )
    with_results = Q(red_account_id__in=list(totals)) | Q(red_account_id__in=days[other].values("red_account_id"))
    accounts = {}
    bindings = Binding.objects.filter(
        Q(pk__in=_bound_in_range(enterprise, start, end).values("pk")) | Q(with_results, enterprise=enterprise)
    )
    for account_id, red_id, nickname, holder in bindings.order_by("effective_at", "id").values_list(
        "red_account_id", "red_account__red_id", "red_account__nickname", "name"
    ):
        accounts[account_id] = (red_id, nickname, holder)  # the latest binding's holder wins
    note_counts = dict(
        Note.objects.filter(author_id__in=list(accounts))
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    zero = Decimal("0.00") if metric in MONEY_METRICS else 0
    entries = sorted(
        ((totals.get(account_id) or zero, account_id) for account_id in accounts),
        key=lambda entry: (-entry[0], accounts[entry[1]][0]),
    )
    values = [value for value, _account in entries]
    cut = tiers(values, invest_share, replace_share)
    rows, rank = [], 0
    for position, ((value, account_id), tier) in enumerate(zip(entries, cut, strict=True)):
        if position == 0 or value != values[position - 1]:
            rank = position + 1
        red_id, nickname, holder = accounts[account_id]
        notes = note_counts.get(account_id, 0)
        rows.append(Row(rank, red_id, nickname, holder, value, tier, notes < TEST_PHASE_NOTES, notes, account_id))
    return rows


# Months ----------------------------------------------------------------------------------------------------------


def record_month(enterprise: Enterprise, month: str) -> int:
    """Keep the tiers of a finished month (default metric and shares): written once, never changed afterwards —
    a second call, or figures arriving late, leave the record as it is. Returns the rows written."""
    start, end = month_range(month)
    if end >= clock.local_today():
        raise ValueError(f"{month} is not over yet")
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()  # one recorder per enterprise
        if HorseRaceMonth.objects.filter(enterprise=enterprise, month=month).exists():
            return 0
        now = clock.now()
        rows = [
            HorseRaceMonth(
                enterprise=enterprise,
                month=month,
                red_account_id=row.account_id,
                metric=RaceMetric.ENGAGEMENT,
                rank=row.rank,
                value=row.value,
                tier=row.tier,
                test_phase=row.test_phase,
                recorded_at=now,
            )
            for row in ranking(enterprise, start, end)
        ]
        HorseRaceMonth.objects.bulk_create(rows)
        return len(rows)


def enterprises_with_results(month: str) -> list[int]:
    start, end = month_range(month)
    rows = EnterpriseDay.objects.filter(date__gte=start, date__lte=end)
    return sorted(set(rows.values_list("enterprise_id", flat=True).distinct()))


def movements(enterprise: Enterprise) -> list[dict]:
    """The 汰换 history, newest month first: each recorded month's invest and replace tiers, and who entered or left
    the invest tier against the recorded month before it (none before the first)."""
    months: dict[str, dict[str, list]] = {}
    for month, tier, red_id, nickname in (
        HorseRaceMonth.objects.filter(enterprise=enterprise)
        .order_by("month", "rank", "red_account__red_id")
        .values_list("month", "tier", "red_account__red_id", "red_account__nickname")
    ):
        cut = months.setdefault(month, {Tier.INVEST.value: [], Tier.REPLACE.value: []})
        if tier in cut:
            cut[tier].append({"red_id": red_id, "nickname": nickname})
    history, before = [], None
    for month, cut in months.items():
        invest = cut[Tier.INVEST.value]
        known = {a["red_id"] for a in before} if before is not None else None
        now_in = {a["red_id"] for a in invest}
        history.append(
            {
                "month": month,
                "invest": invest,
                "replace": cut[Tier.REPLACE.value],
                "entered": [] if known is None else [a for a in invest if a["red_id"] not in known],
                "left": [] if known is None else [a for a in before if a["red_id"] not in now_in],
                "first": known is None,
            }
        )
        before = invest
    return history[::-1]


# The campaign draft ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    campaign: Campaign | None  # None when no account had a pushed note: nothing was stored
    skipped: list[str]  # the RED IDs without a note pushed by this enterprise


def unknown_accounts(enterprise: Enterprise, red_ids: list[str]) -> list[str]:
    """The RED IDs never bound to the enterprise: unknown to it, whatever else they are."""
    known = set(
        Binding.objects.filter(enterprise=enterprise, red_account__red_id__in=red_ids).values_list(
            "red_account__red_id", flat=True
        )
    )
    return [red_id for red_id in red_ids if red_id not in known]


def best_pushed_notes(enterprise: Enterprise, account_ids: list[int]) -> dict[int, list[Note]]:
    """Up to three notes per account that this enterprise pushed to ads, the most engaging first (one query)."""
    place = Window(RowNumber(), partition_by=F("author_id"), order_by=[F("engagement").desc(), F("id").asc()])
    notes = (
        Note.objects.filter(author_id__in=account_ids, pushes__enterprise=enterprise)
        .annotate(place=place)
        .filter(place__lte=NOTES_PER_UNIT)
        .order_by("author_id", "place")
    )
    best: dict[int, list[Note]] = {}
    for note in notes:
        best.setdefault(note.author_id, []).append(note)
    return best


@transaction.atomic
def draft_campaign(workspace: Workspace, red_ids: list[str]) -> Draft:
    """One click from the invest tier: a campaign draft "赛马投资 YYYY-MM" (product seeding in the feed, the minimum
    daily budget, from today) with one unit per account holding its best pushed notes, in the order given. Accounts
    without a note pushed by this enterprise are skipped and reported. The campaign services audit each step."""
    accounts = {
        account.red_id: account
        for account in RedAccount.objects.filter(red_id__in=red_ids, bindings__enterprise=workspace.enterprise)
    }
    chosen = [accounts[red_id] for red_id in dict.fromkeys(red_ids) if red_id in accounts]
    notes = best_pushed_notes(workspace.enterprise, [account.pk for account in chosen])
    skipped = [account.red_id for account in chosen if account.pk not in notes]
    if len(skipped) == len(chosen):
        return Draft(campaign=None, skipped=skipped)
    campaign = campaign_services.campaign_create(
        workspace=workspace,
        name=_("Horse race investment %(month)s") % {"month": clock.month_label()},
        objective=Objective.PRODUCT_SEEDING,
        placement=Placement.FEED,
        daily_budget=MIN_DAILY_BUDGET,
        start_date=clock.local_today(),
    )
    for account in chosen:
        if account.pk in notes:
            campaign_services.unit_create(
                workspace=workspace,
                campaign=campaign,
                notes=notes[account.pk],
                keywords=[],
                name=f"{account.nickname} ({account.red_id})"[:60],
            )
    return Draft(campaign=campaign, skipped=skipped)
