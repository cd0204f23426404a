"""The ad platform's daily spend (C02, C03, E05): bulk upserts by (enterprise, note, day), up to 10,000 rows a request.

A batch is checked whole (every bad row named, nothing stored), then, with the enterprises' ad accounts locked, its
days replace the stored ones; the ledger takes each (enterprise, day)'s change, and an enterprise left at or below
zero has its active campaigns paused (`balance_exhausted`), audited and notified, in the same transaction."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Enterprise
from analytics import rollups
from bindings.choices import Audience
from bindings.choices import NotificationKind as Kind
from bindings.models import Notification
from kos_platform import clock
from kos_platform.tenancy import Actor
from notes.ingest import MAX_COUNT, RowErrors, _date, _duplicates, _note_id, check_batch
from notes.models import Note, NotePush

from . import ledger, statements
from .choices import CLICK_COMPONENTS, CampaignStatus, PauseReason
from .models import AdSpendDaily, Campaign, CampaignUnit
from .models.account import ZERO
from .money import row_amount

FIGURES = statements.SPEND_FIGURES
COMPONENT_NAMES = frozenset(CLICK_COMPONENTS)


@dataclass(frozen=True)
class SpendRow:
    enterprise_id: int
    note_id: str
    date: date
    unit_id: int | None
    amount: Decimal
    figures: tuple[int, ...]  # FIGURES, in order


def _whole(errors: RowErrors, index: int, field: str, value, *, required: bool = True) -> int | None:
    if value is None and not required:
        return None
    if type(value) is not int:
        errors.add(index, field, _("This field is required.") if value is None else _("Must be a whole number."))
        return None
    if not 0 <= value <= MAX_COUNT:
        errors.add(index, field, _("Must be between 0 and %(max)s.") % {"max": MAX_COUNT})
        return None
    return value


def _is_count(value) -> bool:
    return type(value) is int and 0 <= value <= MAX_COUNT  # bool, an int subclass, is not a count


def _component_clicks(errors: RowErrors, index: int, row: dict) -> tuple[int, ...]:
    clicks = row.get("component_clicks") or {}
    if type(clicks) is dict and clicks.keys() <= COMPONENT_NAMES:  # the usual case, checked in bulk
        values = tuple(clicks.get(name, 0) for name in CLICK_COMPONENTS)
        if all(map(_is_count, values)):
            return values
    if not isinstance(clicks, dict):
        errors.add(index, "component_clicks", _("An object of clicks per component."))
        return (0,) * len(CLICK_COMPONENTS)
    unknown = set(clicks) - set(CLICK_COMPONENTS)
    if unknown:
        errors.add(
            index,
            "component_clicks",
            _("Unknown components: %(names)s; one of %(choices)s.")
            % {"names": ", ".join(sorted(unknown)), "choices": ", ".join(CLICK_COMPONENTS)},
        )
    return tuple(
        _whole(errors, index, f"component_clicks.{name}", clicks.get(name, 0)) or 0 for name in CLICK_COMPONENTS
    )


def parse_spend_rows(rows) -> list[SpendRow]:
    errors = RowErrors()
    today = clock.local_today()
    parsed = []
    for index, row in enumerate(check_batch(rows)):
        enterprise_id = _whole(errors, index, "enterprise_id", row.get("enterprise_id"))
        note_id = _note_id(errors, index, row)
        day = _date(errors, index, row, today)
        unit_id = _whole(errors, index, "unit_id", row.get("unit_id"), required=False)
        amount = row_amount(errors, index, row, "amount")
        impressions = _whole(errors, index, "impressions", row.get("impressions"))
        clicks = _whole(errors, index, "clicks", row.get("clicks"))
        figures = (impressions or 0, clicks or 0, *_component_clicks(errors, index, row))
        parsed.append(SpendRow(enterprise_id, note_id, day, unit_id, amount, figures))
    _duplicates(errors, [(r.enterprise_id, r.note_id, r.date) for r in parsed])
    errors.raise_if_any()
    return parsed


def _resolve(parsed: list[SpendRow]) -> dict[str, int]:
    """Note ID → note pk, once every row's enterprise, note, push and unit are known to belong together: a note is
    spent on only by an enterprise that pushed it to ads (N06), a unit only by its campaign's enterprise."""
    errors = RowErrors()
    enterprise_ids = {r.enterprise_id for r in parsed}
    known = set(Enterprise.objects.filter(pk__in=enterprise_ids).values_list("pk", flat=True))
    notes = dict(Note.objects.filter(note_id__any={r.note_id for r in parsed}).values_list("note_id", "pk"))
    pushed = set(
        NotePush.objects.filter(enterprise_id__in=enterprise_ids, note_id__in=notes.values()).values_list(
            "enterprise_id", "note_id"
        )
    )
    units = dict(
        CampaignUnit.objects.filter(pk__in={r.unit_id for r in parsed if r.unit_id}).values_list(
            "pk", "campaign__enterprise_id"
        )
    )
    for index, row in enumerate(parsed):
        if row.enterprise_id not in known:
            errors.add(index, "enterprise_id", _("No enterprise has this id."))
        elif row.note_id not in notes:
            errors.add(index, "note_id", _("No synced note has this ID."))
        elif (row.enterprise_id, notes[row.note_id]) not in pushed:
            errors.add(index, "note_id", _("This enterprise has not pushed this note to the ad platform."))
        if row.unit_id is not None and units.get(row.unit_id) != row.enterprise_id:
            errors.add(index, "unit_id", _("No campaign unit of this enterprise has this id."))
    errors.raise_if_any()
    return notes


def _changes_by_orm(parsed: list[SpendRow], notes: dict[str, int]) -> tuple[dict[tuple[int, date], Decimal], int]:
    """The embedded SQLite default's way: read the stored days, then write the batch with the ORM."""
    keys = {(r.enterprise_id, notes[r.note_id], r.date) for r in parsed}
    stored = {
        (e, n, d): amount
        for e, n, d, amount in AdSpendDaily.objects.filter(
            enterprise_id__in={k[0] for k in keys}, note_id__in={k[1] for k in keys}, date__in={k[2] for k in keys}
        ).values_list("enterprise_id", "note_id", "date", "amount")
        if (e, n, d) in keys
    }
    changes: dict[tuple[int, date], Decimal] = {}
    for r in parsed:
        key = (r.enterprise_id, r.date)
        changes[key] = changes.get(key, ZERO) + r.amount - stored.get((r.enterprise_id, notes[r.note_id], r.date), ZERO)
    AdSpendDaily.objects.bulk_create(
        [
            AdSpendDaily(
                enterprise_id=r.enterprise_id,
                note_id=notes[r.note_id],
                date=r.date,
                unit_id=r.unit_id,
                amount=r.amount,
                **dict(zip(FIGURES, r.figures, strict=True)),
            )
            for r in parsed
        ],
        update_conflicts=True,
        unique_fields=["enterprise", "note", "date"],
        update_fields=["unit", "amount", *FIGURES],
    )
    return changes, len(stored)


def _write(parsed: list[SpendRow], notes: dict[str, int]) -> tuple[dict[tuple[int, date], Decimal], int]:
    """Upsert the batch's days; each (enterprise, day)'s change of spend, and how many rows replaced a stored day."""
    if connection.vendor != "postgresql":
        return _changes_by_orm(parsed, notes)
    columns = [
        [r.enterprise_id for r in parsed],
        [notes[r.note_id] for r in parsed],
        [r.date for r in parsed],
        [r.unit_id for r in parsed],
        [r.amount for r in parsed],
        *(list(figure) for figure in zip(*(r.figures for r in parsed), strict=True)),
    ]
    return statements.upsert_spend_days(columns)


def _pause_for_balance(enterprise_ids: list[int]) -> int:
    """Pause the active campaigns of enterprises whose balance is gone; audited and notified per enterprise."""
    campaigns = list(
        Campaign.objects.filter(enterprise_id__in=enterprise_ids, status=CampaignStatus.ACTIVE).values_list(
            "pk", "enterprise_id", "name"
        )
    )
    if not campaigns:
        return 0
    Campaign.objects.filter(pk__in=[pk for pk, _e, _n in campaigns]).update(
        status=CampaignStatus.PAUSED, paused_reason=PauseReason.BALANCE_EXHAUSTED
    )
    now = clock.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=now,
            enterprise_id=enterprise_id,
            action="campaign.paused_no_balance",
            object_type=Campaign._meta.label_lower,
            object_id=str(pk),
            object_repr=name,
            before={"status": CampaignStatus.ACTIVE},
            after={"status": CampaignStatus.PAUSED, "paused_reason": PauseReason.BALANCE_EXHAUSTED},
        )
        for pk, enterprise_id, name in campaigns
    )
    per_enterprise: dict[int, int] = {}
    for _pk, enterprise_id, _name in campaigns:
        per_enterprise[enterprise_id] = per_enterprise.get(enterprise_id, 0) + 1
    Notification.objects.bulk_create(
        Notification(
            audience=Audience.ENTERPRISE,
            enterprise_id=pk,
            kind=Kind.CAMPAIGNS_PAUSED_NO_BALANCE,
            count=n,
            created_at=now,
        )
        for pk, n in per_enterprise.items()
    )
    return len(campaigns)


@transaction.atomic
def upsert_spend(*, actor: Actor, rows) -> dict:
    """Create or replace each (enterprise, note, day)'s spend; the ledger and the campaigns follow."""
    parsed = parse_spend_rows(rows)
    notes = _resolve(parsed)
    accounts = ledger.lock_accounts(r.enterprise_id for r in parsed)
    changes, replaced = _write(parsed, notes)
    rollups.touch(rollups.SPEND, {(notes[r.note_id], r.date) for r in parsed})
    lines = ledger.post_spend_changes(accounts, changes)
    exhausted = [pk for pk, account in accounts.items() if account.balance <= 0]
    paused = _pause_for_balance(exhausted)
    result = {
        "received": len(parsed),
        "created": len(parsed) - replaced,
        "updated": replaced,
        "ledger_lines": len(lines),
        "paused_campaigns": paused,
    }
    AuditEvent.objects.create(
        at=clock.now(),
        actor=actor.user,
        action="ad_spend.synced",
        object_type=AdSpendDaily._meta.label_lower,
        object_id="",
        object_repr=_("%(n)s rows") % {"n": len(parsed)},
        after=result,
    )
    return result
