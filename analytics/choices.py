from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Running")
    CLOSED = "closed", _("Closed")


class AwardKind(models.TextChoices):
    VIRAL_NOTE = "viral_note", _("Single viral note")
    CUMULATIVE = "cumulative", _("Cumulative ranking")
    HONOUR = "honour", _("Honour roll")


class RaceMetric(models.TextChoices):
    ENGAGEMENT = "engagement", _("Engagement")
    LEADS = "leads", _("Leads")
    GMV = "gmv", _("GMV")
    EXPOSURE = "exposure", _("Exposure")


class Tier(models.TextChoices):
    INVEST = "invest", _("Invest")
    KEEP = "keep", _("Keep")
    REPLACE = "replace", _("Replace")
