"""The daily rollups the dashboards read (D01): never the raw metric, spend or order rows.

The rollups' foreign keys have no database constraint: every row is written from the source rows it points to, in
the statement that reads them, and the constraint's checks (a trigger per row and key) doubled a full rebuild.
Deleting an enterprise, account or note still deletes its rollup rows (Django's cascade).

A day's note figures belong to the enterprise the author was bound to on that day (Asia/Shanghai); spend to the
enterprise that paid; orders to the order's enterprise, on the local day of `paid_at`. `analytics.rollups` keeps
the tables current for the (account, day) keys each ingest touches, and rebuilds any date range."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Enterprise, RedAccount, User
from notes.models import Note

from .choices import AwardKind, PeriodStatus, RaceMetric, Tier

ZERO_MONEY = {"max_digits": 14, "decimal_places": 2, "default": 0}
# The columns of `Results`: every figure of a day, the notes' own figures among them, and those in yuan.
NOTE_FIGURES = ("exposure", "reads", "engagement", "leads")
RATES = ("play_5s_rate", "read_3s_rate", "avg_view_seconds")  # a note-day's, as the metric row reports them
MONEY = ("spend", "gmv", "commission")
RESULTS = ("notes", *NOTE_FIGURES, "spend", "orders", "gmv", "commission")
# An account-day's columns: the day's results but the notes' figures, which the note-days hold (see `AccountDay`).
ACCOUNT_RESULTS = tuple(name for name in RESULTS if name not in NOTE_FIGURES)


def zero(name: str) -> Decimal | int:
    """A results column's zero: 0.00 for a sum in yuan, 0 for a count."""
    return Decimal("0.00") if name in MONEY else 0


class NoteDayQuerySet(models.QuerySet):
    def of_accounts(self, accounts):
        """The accounts' note-days, found through their notes: the note-days have no index by account, which would
        cost the metrics ingest an index entry for every new day."""
        return self.filter(note__author_id__any=accounts)


class NoteDay(models.Model):
    """One note's figures on one day, with the enterprise its author was bound to that day (none when unbound)."""

    pk = models.CompositePrimaryKey("note", "date")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    date = models.DateField(_("date"))
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    red_account = models.ForeignKey(
        RedAccount, on_delete=models.CASCADE, related_name="note_days", db_index=False, db_constraint=False
    )
    # As narrow as the metric row: the metrics ingest reads and writes a note-day for each of its rows.
    exposure = models.IntegerField(_("exposure"), default=0)
    reads = models.IntegerField(_("reads"), default=0)
    engagement = models.BigIntegerField(_("engagement"), default=0)  # likes, collects and comments
    leads = models.IntegerField(_("leads"), default=0)
    read_uv = models.IntegerField(_("read UV"), default=0)
    # The day's rates, none when not reported: a range's rate is Σ(rate × reads) / Σ reads over the days with one.
    play_5s_rate = models.DecimalField(_("5 s play rate"), max_digits=5, decimal_places=4, null=True, blank=True)
    read_3s_rate = models.DecimalField(_("3 s read rate"), max_digits=5, decimal_places=4, null=True, blank=True)
    avg_view_seconds = models.DecimalField(
        _("average view seconds"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    objects = NoteDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily note figures")
        verbose_name_plural = _("daily note figures")
        indexes = [
            models.Index(fields=["enterprise", "date"]),
        ]

    def __str__(self):
        return f"{self.note_id} {self.date}"


class AccountResults(models.Model):
    """The results of a day but the notes' figures: notes published, spend, paid orders, GMV and commission."""

    notes = models.BigIntegerField(_("notes"), default=0)
    spend = models.DecimalField(_("spend"), **ZERO_MONEY)
    orders = models.BigIntegerField(_("orders"), default=0)
    gmv = models.DecimalField(_("GMV"), **ZERO_MONEY)
    commission = models.DecimalField(_("commission"), **ZERO_MONEY)

    class Meta:
        abstract = True


class Results(AccountResults):
    """The results of a day: `AccountResults` and the figures of the notes."""

    exposure = models.BigIntegerField(_("exposure"), default=0)
    reads = models.BigIntegerField(_("reads"), default=0)
    engagement = models.BigIntegerField(_("engagement"), default=0)
    leads = models.BigIntegerField(_("leads"), default=0)

    class Meta:
        abstract = True


class AccountDay(AccountResults):
    """One KOS account's results for one enterprise on one day: the notes it published there, the enterprise's
    spend on its notes, and the enterprise's paid orders through it. Its notes' figures while bound there are the
    note-days' (`NoteDay.enterprise`), summed when read: kept here too, they cost the metrics ingest an account-day
    row and two index entries for every note-day it writes, a quarter of its WAL (bench/README.md, Analytics)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    red_account = models.ForeignKey(
        RedAccount, on_delete=models.CASCADE, related_name="account_days", db_index=False, db_constraint=False
    )
    date = models.DateField(_("date"))
    notes = models.PositiveIntegerField(_("notes"), default=0)
    orders = models.PositiveIntegerField(_("orders"), default=0)

    class Meta:
        verbose_name = _("daily account results")
        verbose_name_plural = _("daily account results")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "date", "red_account"], name="one_account_day"),
        ]
        indexes = [models.Index(fields=["red_account", "date"])]

    def __str__(self):
        return f"{self.red_account_id} @ {self.enterprise_id} {self.date}"


class EnterpriseDay(Results):
    """An enterprise's results on one day: the sum of its `AccountDay` rows and of its `NoteDay` rows' figures, kept
    with them, so the data centre's summary and trend read one row a day instead of one per account and day. No
    column is checked positive (unlike an account-day's counts): a refresh takes its rows away and adds them back in
    upserts, and PostgreSQL checks a row before it finds the conflict."""

    pk = models.CompositePrimaryKey("enterprise", "date")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("daily enterprise results")
        verbose_name_plural = _("daily enterprise results")

    def __str__(self):
        return f"{self.enterprise_id} {self.date}"


class RollupState(models.Model):
    """The one row that serialises rollup refreshes and says up to which day the figures are complete."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    figures_through = models.DateField(_("figures complete through"), null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup state")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_rollup_state")]

    def __str__(self):
        return str(self.figures_through or "")


def default_rules() -> dict:
    """D02's template: the deck's awards, editable per period before it starts."""
    return {
        "viral": {"min_interactions": 100, "top": 5, "amount": "1000.00"},
        "cumulative": {"top": 10, "amount": "500.00"},
        "honour": {"top": 3, "prize": str(_("Brand merchandise"))},
    }


class IncentivePeriod(models.Model):
    """An incentive period of an enterprise (D02): notes published in it by accounts bound there when published,
    ranked by their interactions on days up to `end_date`; closed once, from the day after `end_date`."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="incentive_periods")
    name = models.CharField(_("name"), max_length=60)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    rules = models.JSONField(_("rules"), default=default_rules)
    status = models.CharField(_("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    via_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("incentive period")
        verbose_name_plural = _("incentive periods")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="period_in_order"),
            models.CheckConstraint(
                condition=models.Q(status=PeriodStatus.OPEN, closed_at__isnull=True)
                | models.Q(status=PeriodStatus.CLOSED, closed_at__isnull=False),
                name="closed_period_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self):
        return self.name


class IncentiveAward(models.Model):
    """One award of a closed period; written once when the period closes, never changed."""

    period = models.ForeignKey(IncentivePeriod, on_delete=models.CASCADE, related_name="awards")
    red_account = models.ForeignKey(RedAccount, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("award"), max_length=12, choices=AwardKind.choices)
    rank = models.PositiveIntegerField(_("rank"))
    interactions = models.BigIntegerField(_("interactions"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    prize = models.CharField(_("prize"), max_length=100, blank=True)
    note = models.ForeignKey(Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("incentive award")
        verbose_name_plural = _("incentive awards")
        ordering = ["period", "kind", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kind", "red_account"], name="one_award_per_kind_and_person")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.rank}"


class HorseRaceMonth(models.Model):
    """The horse race's tiers of a calendar month (D03), kept so the page can show who moved in or out of the
    invest tier (汰换 history). Written once per enterprise and month by the monthly job (default metric and
    shares)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.CharField(_("month"), max_length=7)
    red_account = models.ForeignKey(RedAccount, on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(_("metric"), max_length=12, choices=RaceMetric.choices)
    rank = models.PositiveIntegerField(_("rank"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    test_phase = models.BooleanField(_("in test phase"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("horse race month")
        verbose_name_plural = _("horse race months")
        ordering = ["enterprise", "-month", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month", "red_account"], name="one_tier_per_account_month")
        ]

    def __str__(self):
        return f"{self.month} #{self.rank}"
