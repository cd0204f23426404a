"""Incentive periods (D02): their rules, the live leaderboard, and closing them with their awards.

A period counts the notes published in it by accounts bound to the enterprise at the instant of publishing, with
their interactions (the daily rollup's engagement: likes + collects + comments) on days up to the period's last
day. A person is a KOS account. Ranks are standard competition ranks (1, 2, 2, 4); everyone whose rank is within
an award's top N gets it. A period closes once, from the day after its last day; a closed period never changes."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import RedAccount
from bindings.choices import Audience, NotificationKind
from bindings.models import Binding, Notification
from campaigns.money import parse_amount
from kos_platform import clock
from kos_platform.errors import RuleViolation
from kos_platform.guard import day_start
from kos_platform.tenancy import Actor, Workspace
from notes.models import Note

from .choices import AwardKind, PeriodStatus
from .models import IncentiveAward, IncentivePeriod, NoteDay, default_rules

EDITABLE = ("name", "start_date", "end_date", "rules")
MAX_PLACES = 1000
MAX_THRESHOLD = 10**12
PRIZE_LENGTH = 100


# Rules ------------------------------------------------------------------------------------------------------------


def check_dates(start: date | None, end: date | None) -> None:
    """The last day not before the first: else a ValidationError on `end_date` (forms and serializers alike)."""
    if start and end and end < start:
        raise ValidationError({"end_date": [_("The last day cannot come before the first day.")]})


def _labels() -> dict:
    return {
        "viral": AwardKind.VIRAL_NOTE.label,
        "cumulative": AwardKind.CUMULATIVE.label,
        "honour": AwardKind.HONOUR.label,
        "min_interactions": _("interactions above"),
        "top": _("places"),
        "amount": _("amount"),
        "prize": _("prize"),
    }


RULE_FIELDS = {
    "viral": ("min_interactions", "top", "amount"),
    "cumulative": ("top", "amount"),
    "honour": ("top", "prize"),
}


def _whole(value, low: int, high: int) -> tuple[int | None, str | None]:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        return None, _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    number = int(str(value).strip())
    if not low <= number <= high:
        return None, _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    return number, None


def _rule_value(name: str, value) -> tuple[object, str | None]:
    if name == "min_interactions":
        return _whole(value, 0, MAX_THRESHOLD)
    if name == "top":
        return _whole(value, 1, MAX_PLACES)
    if name == "amount":
        amount, message = parse_amount(value)
        if message is None and amount <= 0:
            message = _("Enter an amount above ¥0.00.")
        return (f"{amount:.2f}" if message is None else None), message
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > PRIZE_LENGTH:
        return None, _("Describe the prize in 1 to %(n)s characters.") % {"n": PRIZE_LENGTH}
    return text, None


def clean_rules(value) -> tuple[dict, list[str]]:
    """The rules in their stored shape (whole numbers, money as "1000.00", the prize trimmed), or the problems in
    words. Every award and every field is required; nothing else is accepted."""
    labels = _labels()
    if not isinstance(value, dict) or set(value) != set(RULE_FIELDS):
        return {}, [_("Give the three awards: single viral note, cumulative ranking and honour roll.")]
    rules, problems = {}, []
    for award, names in RULE_FIELDS.items():
        given = value[award]
        if not isinstance(given, dict) or set(given) != set(names):
            problems.append(
                _("%(award)s: give %(fields)s.")
                % {
                    "award": labels[award],
                    "fields": _(", ").join(str(labels[name]) for name in names),
                }
            )
            continue
        rules[award] = {}
        for name in names:
            cleaned, message = _rule_value(name, given[name])
            if message:
                problems.append(f"{labels[award]} · {labels[name]}: {message}")
            rules[award][name] = cleaned
    return rules, problems


def rules_in_words(rules: dict) -> list[str]:
    """The awards as sentences, for the pages and the audit log."""
    viral, cumulative, honour = rules["viral"], rules["cumulative"], rules["honour"]
    return [
        _(
            "Single viral note: each person's best note, with more than %(min)s interactions and within the top "
            "%(top)s, wins ¥%(amount)s; at most one award per person."
        )
        % {"min": viral["min_interactions"], "top": viral["top"], "amount": f"{Decimal(viral['amount']):,.2f}"},
        _("Cumulative ranking: the top %(top)s by total interactions win ¥%(amount)s each, on top of the first.")
        % {"top": cumulative["top"], "amount": f"{Decimal(cumulative['amount']):,.2f}"},
        _("Honour roll: the top %(top)s by total interactions receive %(prize)s.")
        % {"top": honour["top"], "prize": honour["prize"]},
    ]


# The leaderboard --------------------------------------------------------------------------------------------------


@dataclass
class Standing:
    """One person's place: total interactions of their counted notes and their best note."""

    account_id: int
    red_id: str = ""
    nickname: str = ""
    interactions: int = 0
    notes: int = 0
    best_note: int | None = None  # Note pk
    best_note_id: str = ""
    best_title: str = ""
    best_interactions: int = 0
    best_published: object = None
    best_listed_here: bool = False  # the best note is among the enterprise's notes now (its detail page exists)
    rank: int = 0
    awards: list = field(default_factory=list)


def competition_ranks(values: list[int]) -> list[int]:
    """Standard competition ranks of values sorted from the highest: 1, 2, 2, 4."""
    ranks = []
    for index, value in enumerate(values):
        ranks.append(ranks[-1] if index and value == values[index - 1] else index + 1)
    return ranks


def counted_notes(period: IncentivePeriod):
    """The period's notes (published in it while their author was bound to the enterprise), each with
    `interactions`: its engagement on days up to the last day."""
    first, after = day_start(period.start_date), day_start(period.end_date + timedelta(days=1))
    enterprise = period.enterprise_id
    overlapping = Binding.objects.filter(enterprise_id=enterprise, effective_at__lt=after).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=first)
    )
    bound_then = Binding.objects.filter(
        enterprise_id=enterprise, red_account_id=OuterRef("author_id"), effective_at__lte=OuterRef("published_at")
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef("published_at")))
    interactions = (
        NoteDay.objects.filter(note_id=OuterRef("pk"), date__lte=period.end_date)
        .order_by()
        .values("note_id")
        .annotate(total=Sum("engagement"))
        .values("total")
    )
    return (
        Note.objects.filter(
            author_id__in=overlapping.values("red_account_id"), published_at__gte=first, published_at__lt=after
        )
        .filter(Exists(bound_then))
        .annotate(interactions=Coalesce(Subquery(interactions), 0))
        .order_by()
    )


def _counted_rows(periods: list[IncentivePeriod]):
    """The counted notes of all the periods in one query: for each, its period's pk first, then the note."""
    fields = ("incentive_period", "pk", "note_id", "title", "author_id", "published_at", "enterprise_id")
    parts = [
        counted_notes(period).annotate(incentive_period=Value(period.pk)).values_list(*fields, "interactions")
        for period in periods
    ]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def leaderboards(periods) -> dict[int, list[Standing]]:
    """Each period's leaderboard by its pk: everyone with a counted note, by total interactions (then RED ID), with
    competition ranks. Two queries whatever the number of periods (none without any)."""
    periods = {period.pk: period for period in periods}
    if not periods:
        return {}
    people: dict[int, dict[int, Standing]] = {pk: {} for pk in periods}
    for period_pk, pk, note_id, title, author, published_at, enterprise, interactions in _counted_rows(
        list(periods.values())
    ):
        person = people[period_pk].setdefault(author, Standing(account_id=author))
        person.interactions += interactions
        person.notes += 1
        better = (interactions, -published_at.timestamp(), -pk)
        if person.best_note is None or better > (
            person.best_interactions,
            -person.best_published.timestamp(),
            -person.best_note,
        ):
            person.best_note, person.best_note_id, person.best_title = pk, note_id, title
            person.best_interactions, person.best_published = interactions, published_at
            person.best_listed_here = enterprise == periods[period_pk].enterprise_id
    accounts = {account for board in people.values() for account in board}
    names = {
        pk: (red_id, nickname)
        for pk, red_id, nickname in RedAccount.objects.filter(pk__in=accounts).values_list("pk", "red_id", "nickname")
    }
    boards = {}
    for period_pk, standings in people.items():
        for standing in standings.values():
            standing.red_id, standing.nickname = names.get(standing.account_id, ("", ""))
        board = sorted(standings.values(), key=lambda s: (-s.interactions, s.red_id))
        for standing, rank in zip(board, competition_ranks([s.interactions for s in board]), strict=True):
            standing.rank = rank
        boards[period_pk] = board
    return boards


def leaderboard(period: IncentivePeriod) -> list[Standing]:
    """The period's leaderboard (see `leaderboards`). Two queries."""
    return leaderboards([period])[period.pk]


def gap_to_next_place(board: list[Standing], standing: Standing) -> int | None:
    """Interactions the person lacks to draw level with the next better total; None at rank 1."""
    better = [s.interactions for s in board if s.interactions > standing.interactions]
    return min(better) - standing.interactions if better else None


def awards_of(period: IncentivePeriod, board: list[Standing]) -> list[IncentiveAward]:
    """D02's awards from a leaderboard: viral by each person's best note above the threshold (one per person),
    cumulative and honour by total interactions; a person without any interaction wins nothing."""
    rules = period.rules
    awards = []
    viral = rules["viral"]
    by_best = sorted(board, key=lambda s: (-s.best_interactions, s.red_id))
    for standing, rank in zip(by_best, competition_ranks([s.best_interactions for s in by_best]), strict=True):
        if rank <= viral["top"] and standing.best_interactions > viral["min_interactions"]:
            awards.append(
                IncentiveAward(
                    period=period,
                    red_account_id=standing.account_id,
                    kind=AwardKind.VIRAL_NOTE,
                    rank=rank,
                    interactions=standing.best_interactions,
                    amount=Decimal(viral["amount"]),
                    note_id=standing.best_note,
                )
            )
    for kind, rule in ((AwardKind.CUMULATIVE, rules["cumulative"]), (AwardKind.HONOUR, rules["honour"])):
        for standing in board:
            if standing.rank <= rule["top"] and standing.interactions > 0:
                awards.append(
                    IncentiveAward(
                        period=period,
                        red_account_id=standing.account_id,
                        kind=kind,
                        rank=standing.rank,
                        interactions=standing.interactions,
                        amount=Decimal(rule["amount"]) if "amount" in rule else None,
                        prize=rule.get("prize", ""),
                    )
                )
    return awards


# Changes ----------------------------------------------------------------------------------------------------------


def has_started(period: IncentivePeriod) -> bool:
    return clock.local_today() >= period.start_date


def is_over(period: IncentivePeriod) -> bool:
    return clock.local_today() > period.end_date


def _record(actor: Actor | None, action: str, period: IncentivePeriod, **fields) -> None:
    audit.record(actor=actor, action=action, obj=period, enterprise_id=period.enterprise_id, **fields)


@transaction.atomic
def period_create(*, workspace: Workspace, name: str, start_date: date, end_date: date, rules=None) -> IncentivePeriod:
    """A new open period; the deck's template when no rules are given. The caller cleaned the rules."""
    period = IncentivePeriod.objects.create(
        enterprise=workspace.enterprise,
        name=name,
        start_date=start_date,
        end_date=end_date,
        rules=rules or default_rules(),
        created_at=clock.now(),
        created_by=workspace.user,
        via_agency=workspace.agency,
    )
    _record(workspace.actor, "incentive_period.created", period, after=audit.snapshot(period, EDITABLE))
    return period


def _locked(period: IncentivePeriod) -> IncentivePeriod:
    return IncentivePeriod.objects.select_for_update().get(pk=period.pk)


@transaction.atomic
def period_update(*, workspace: Workspace, period: IncentivePeriod, **fields) -> IncentivePeriod:
    """Name, dates and rules change only before the period starts (and so never once closed)."""
    period = _locked(period)
    if period.status == PeriodStatus.CLOSED or has_started(period):
        raise RuleViolation("period_started", start_date=period.start_date.isoformat())
    changed = {name: value for name, value in fields.items() if getattr(period, name) != value}
    if not changed:
        return period
    before = audit.snapshot(period, changed)
    for name, value in changed.items():
        setattr(period, name, value)
    period.save(update_fields=list(changed))
    _record(workspace.actor, "incentive_period.updated", period, before=before, after=audit.snapshot(period, changed))
    return period


@transaction.atomic
def period_close(*, actor: Actor | None, period: IncentivePeriod) -> IncentivePeriod:
    """Close a period that is over and write its awards, once, under the period's row lock; closing a closed
    period changes nothing. `actor` None: the daily job."""
    period = _locked(period)
    if period.status == PeriodStatus.CLOSED:
        return period
    if not is_over(period):
        raise RuleViolation("period_not_over", available_on=(period.end_date + timedelta(days=1)).isoformat())
    awards = IncentiveAward.objects.bulk_create(awards_of(period, leaderboard(period)))
    period.status, period.closed_at = PeriodStatus.CLOSED, clock.now()
    period.closed_by = actor.user if actor else None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    total = sum((award.amount or Decimal(0) for award in awards), Decimal(0))
    _record(
        actor,
        "incentive_period.closed",
        period,
        after={
            "status": PeriodStatus.CLOSED,
            "awards": len(awards),
            "winners": len({award.red_account_id for award in awards}),
            "amount": f"{total:.2f}",
        },
    )
    _notify(period, awards)
    return period


def _notify(period: IncentivePeriod, awards: list[IncentiveAward]) -> None:
    """Each awarded employee once (with the binding to the enterprise, which names it), and the enterprise."""
    now = clock.now()
    winners = {award.red_account_id for award in awards}
    bindings = {}
    for binding_id, account in (
        Binding.objects.filter(enterprise_id=period.enterprise_id, red_account_id__in=winners)
        .order_by("effective_at", "id")
        .values_list("pk", "red_account_id")
    ):
        bindings[account] = binding_id  # the latest one
    notices = [
        Notification(
            audience=Audience.EMPLOYEE,
            red_account_id=account,
            binding_id=bindings.get(account),
            kind=NotificationKind.INCENTIVE_AWARDED,
            created_at=now,
        )
        for account in sorted(winners)
    ]
    notices.append(
        Notification(
            audience=Audience.ENTERPRISE,
            enterprise_id=period.enterprise_id,
            kind=NotificationKind.INCENTIVE_PERIOD_CLOSED,
            count=len(winners) or 1,
            created_at=now,
        )
    )
    Notification.objects.bulk_create(notices)


def close_due_periods() -> int:
    """The daily job: close every open period whose last day is over, each in its own transaction."""
    today = clock.local_today()
    closed = 0
    for period in IncentivePeriod.objects.filter(status=PeriodStatus.OPEN, end_date__lt=today).order_by("pk"):
        closed += period_close(actor=None, period=period).status == PeriodStatus.CLOSED
    return closed


def periods_for(enterprise):
    """The enterprise's periods, newest first, each with `participants`: the people with a counted note."""
    same_enterprise = OuterRef(OuterRef("enterprise_id"))
    bound_then = Binding.objects.filter(
        enterprise_id=same_enterprise, red_account_id=OuterRef("author_id"), effective_at__lte=OuterRef("published_at")
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef("published_at")))
    people = (
        Note.objects.filter(
            author_id__in=Binding.objects.filter(enterprise_id=same_enterprise).values("red_account_id"),
            published_at__date__gte=OuterRef("start_date"),
            published_at__date__lte=OuterRef("end_date"),
        )
        .filter(Exists(bound_then))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("author_id", distinct=True))
        .values("n")
    )
    return IncentivePeriod.objects.filter(enterprise=enterprise).annotate(participants=Coalesce(Subquery(people), 0))
