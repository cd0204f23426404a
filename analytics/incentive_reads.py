"""Reading incentive periods (D02) for the API and the pages: awards as rows and as a download, and an employee's
periods with their place."""

from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RedAccount
from bindings.models import Binding
from kos_platform import exports

from . import incentives
from .choices import AwardKind
from .models import IncentiveAward, IncentivePeriod
from .rollups import local_day


def closable_from(period: IncentivePeriod) -> date:
    return period.end_date + timedelta(days=1)


def awards_of_period(period: IncentivePeriod) -> list[IncentiveAward]:
    """Viral, cumulative, honour; each by rank."""
    awards = IncentiveAward.objects.filter(period=period).select_related("red_account", "note")
    return sorted(awards, key=lambda a: (KIND_ORDER[a.kind], a.rank, a.red_account.red_id))


def award_rows(period: IncentivePeriod) -> list[dict]:
    """The awards as the API gives them: viral, cumulative, honour; each by rank."""
    return [
        {
            "red_id": award.red_account.red_id,
            "nickname": award.red_account.nickname,
            "kind": award.kind,
            "rank": award.rank,
            "interactions": award.interactions,
            "amount": award.amount,
            "prize": award.prize,
            "note_id": award.note.note_id if award.note else None,
        }
        for award in awards_of_period(period)
    ]


KIND_ORDER = {kind: index for index, kind in enumerate(AwardKind.values)}
AWARD_COLUMNS = (
    gettext_lazy("RED ID"),
    gettext_lazy("Nickname"),
    gettext_lazy("Award"),
    gettext_lazy("Rank"),
    gettext_lazy("Interactions"),
    gettext_lazy("Amount (yuan)"),
    gettext_lazy("Prize"),
    gettext_lazy("Note ID"),
)


def awards_export(kind: str, period: IncentivePeriod):
    labels = {value: str(label) for value, label in AwardKind.choices}
    rows = (
        (
            r["red_id"],
            r["nickname"],
            labels[r["kind"]],
            r["rank"],
            r["interactions"],
            r["amount"],
            r["prize"],
            r["note_id"] or "",
        )
        for r in award_rows(period)
    )
    stem = _("incentive-awards-%(period)s-%(date)s") % {"period": period.name, "date": period.end_date}
    return exports.export_response(kind, [str(label) for label in AWARD_COLUMNS], rows, stem)


# The employee -----------------------------------------------------------------------------------------------------


def periods_of_account(account: RedAccount):
    """The periods of every enterprise the account was bound to at some time while the period ran, newest first."""
    spells = Binding.objects.filter(red_account=account).values_list("enterprise_id", "effective_at", "ended_at")
    overlap = Q(pk__in=[])
    for enterprise, effective_at, ended_at in spells:
        spell = Q(enterprise_id=enterprise, end_date__gte=local_day(effective_at))
        if ended_at:
            spell &= Q(start_date__lte=local_day(ended_at))
        overlap |= spell
    return IncentivePeriod.objects.filter(overlap).select_related("enterprise").order_by("-start_date", "-id")


def my_rows(account: RedAccount, periods) -> list[dict]:
    """Each period with the account's rank, interactions, gap to the next place and awards: the leaderboards of all
    the periods at once, so the same few queries whatever their number."""
    periods = list(periods)
    awards: dict[int, list] = {}
    for award in IncentiveAward.objects.filter(period__in=periods, red_account=account).select_related("note"):
        awards.setdefault(award.period_id, []).append(award)
    boards = incentives.leaderboards(periods)
    rows = []
    for period in periods:
        board = boards[period.pk]
        mine = next((s for s in board if s.account_id == account.pk), None)
        rows.append(
            {
                "id": period.pk,
                "enterprise_id": period.enterprise_id,
                "enterprise_name": period.enterprise.name,
                "name": period.name,
                "start_date": period.start_date,
                "end_date": period.end_date,
                "status": period.status,
                "rules": period.rules,
                "participants": len(board),
                "rank": mine.rank if mine else None,
                "interactions": mine.interactions if mine else 0,
                "gap": incentives.gap_to_next_place(board, mine) if mine else None,
                "awards": [
                    {
                        "kind": a.kind,
                        "rank": a.rank,
                        "interactions": a.interactions,
                        "amount": a.amount,
                        "prize": a.prize,
                        "note_id": a.note.note_id if a.note else None,
                    }
                    for a in sorted(awards.get(period.pk, []), key=lambda a: KIND_ORDER[a.kind])
                ],
            }
        )
    return rows
