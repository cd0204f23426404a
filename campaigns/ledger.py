"""The ad account's money (E05): every movement is a ledger line written in the transaction of the change that causes
it, after the account row is locked; the balance is checked under that lock. Recharges add, boosts and spend take."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Enterprise
from kos_platform import clock
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Actor, Workspace

from .choices import LedgerKind
from .models import AdAccount, LedgerLine, PlatformSettings
from .models.account import ZERO


def platform_settings() -> PlatformSettings:
    """The platform's ad settings: the one row, or the defaults until staff first change them (reading writes
    nothing)."""
    return PlatformSettings.objects.filter(pk=1).first() or PlatformSettings(pk=1)


def first_recharge_minimum(enterprise: Enterprise, settings: PlatformSettings | None = None) -> Decimal:
    return (settings or platform_settings()).first_recharge_minimum(enterprise.industry)


@dataclass(frozen=True)
class AccountFacts:
    """What the ad account page and `GET ad-account/` show."""

    industry: str
    first_recharge_minimum: Decimal
    first_recharge_met: bool
    balance: Decimal
    recharged_total: Decimal
    spent_total: Decimal


def account_facts(enterprise: Enterprise) -> AccountFacts:
    account = AdAccount.objects.filter(pk=enterprise.pk).first() or AdAccount(enterprise=enterprise)
    return AccountFacts(
        industry=enterprise.industry,
        first_recharge_minimum=first_recharge_minimum(enterprise),
        first_recharge_met=account.first_recharge_at is not None,
        balance=account.balance,
        recharged_total=account.recharged_total,
        spent_total=account.spent_total,
    )


def lock_accounts(enterprise_ids) -> dict[int, AdAccount]:
    """The enterprises' ad accounts, created if new, locked in id order (so concurrent writers cannot deadlock)."""
    ids = sorted(set(enterprise_ids))
    AdAccount.objects.bulk_create([AdAccount(enterprise_id=pk) for pk in ids], ignore_conflicts=True)
    return {account.pk: account for account in AdAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def lock_account(enterprise: Enterprise) -> AdAccount:
    return lock_accounts([enterprise.pk])[enterprise.pk]


def require_first_recharge(account: AdAccount, enterprise: Enterprise) -> None:
    """E05: no campaign starts and no note is boosted before the first recharge met the industry minimum."""
    if account.first_recharge_at is None:
        raise RuleViolation("recharge_below_minimum", minimum=str(first_recharge_minimum(enterprise)))


def _post(account: AdAccount, kind: str, amount: Decimal, *, actor: Actor | None, reference: str, **fields):
    """One ledger line moving `account` by `amount`, and the account row with it (already locked)."""
    account.balance += amount
    if kind == LedgerKind.RECHARGE:
        account.recharged_total += amount
    else:
        account.spent_total -= amount
    AdAccount.objects.filter(pk=account.pk).update(
        balance=account.balance, recharged_total=account.recharged_total, spent_total=account.spent_total
    )
    return LedgerLine.objects.create(
        account=account,
        at=clock.now(),
        kind=kind,
        amount=amount,
        balance_after=account.balance,
        reference=reference[:200],
        created_by=actor.user if actor else None,
        via_agency=actor.agency if actor else None,
        **fields,
    )


@transaction.atomic
def recharge(*, workspace: Workspace, amount: Decimal) -> LedgerLine:
    """充值 (E05): the first recharge must reach the industry minimum (`recharge_below_minimum`, with `minimum`);
    later ones may be any positive amount."""
    enterprise = workspace.enterprise
    account = lock_account(enterprise)
    first = account.first_recharge_at is None
    if first:
        minimum = first_recharge_minimum(enterprise)
        if amount < minimum:
            raise RuleViolation("recharge_below_minimum", minimum=str(minimum))
    line = _post(account, LedgerKind.RECHARGE, amount, actor=workspace.actor, reference=_("Recharge"))
    if first:
        AdAccount.objects.filter(pk=account.pk).update(first_recharge_at=line.at)
    audit.record(
        actor=workspace.actor,
        action="ad_account.recharged",
        obj=account,
        enterprise=enterprise,
        after={"amount": str(amount), "balance": str(account.balance), "first": first},
    )
    return line


def draw_boost(*, workspace: Workspace, budget: Decimal, note_id: str) -> LedgerLine:
    """A boost's budget taken from the account (N06 with E05), inside the boost's transaction: the first recharge
    must be met and the balance must cover it (`insufficient_balance`, with `balance`)."""
    account = lock_account(workspace.enterprise)
    require_first_recharge(account, workspace.enterprise)
    if account.balance < budget:
        raise RuleViolation("insufficient_balance", balance=str(max(account.balance, ZERO)))
    return _post(
        account,
        LedgerKind.BOOST,
        -budget,
        actor=workspace.actor,
        reference=_("Boost of note %(note_id)s") % {"note_id": note_id},
    )


def post_spend_changes(accounts: dict[int, AdAccount], changes: dict[tuple[int, date], Decimal]) -> list[LedgerLine]:
    """The ledger's side of a spend batch: one line per (enterprise, day) whose ingested spend changed, taking the
    change (a restatement that lowers a day gives money back). `accounts` are locked by the caller."""
    now = clock.now()
    lines = []
    for (enterprise_id, day), change in sorted(changes.items()):
        if not change:
            continue
        account = accounts[enterprise_id]
        account.balance -= change
        account.spent_total += change
        lines.append(
            LedgerLine(
                account=account,
                at=now,
                kind=LedgerKind.SPEND,
                amount=-change,
                balance_after=account.balance,
                spend_date=day,
                reference=_("Ad spend of %(day)s") % {"day": day.isoformat()},
            )
        )
    LedgerLine.objects.bulk_create(lines)
    touched = {line.account_id: accounts[line.account_id] for line in lines}
    AdAccount.objects.bulk_update(touched.values(), ["balance", "spent_total"])
    return lines


def ledger_sum(enterprise: Enterprise) -> Decimal:
    """What the ledger says the balance is (the balance row must always equal it)."""
    return LedgerLine.objects.filter(account_id=enterprise.pk).aggregate(total=Sum("amount"))["total"] or ZERO
