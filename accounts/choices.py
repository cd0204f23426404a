from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    SERVICE = "service", _("Service")
    CONSUMER_GOODS = "consumer_goods", _("Consumer goods")
    CULTURE_TOURISM = "culture_tourism", _("Culture & tourism")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    OPERATOR = "operator", _("Operator")
    ANALYST = "analyst", _("Analyst (read-only)")


class ApiKeyScope(models.TextChoices):
    USER = "user", _("User token")
    ENTERPRISE = "enterprise", _("Enterprise")
    AGENCY = "agency", _("Agency")
    PLATFORM = "platform", _("Platform")
