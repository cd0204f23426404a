from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    """I01: who owns the account. Both modes give the employee the same rights."""

    ENTERPRISE_OWNED = "enterprise_owned", _("Enterprise employee account")
    PERSONAL_AUTHORIZED = "personal_authorized", _("Personal account authorisation")


class Position(models.TextChoices):
    """I03: the fixed list; no custom positions."""

    SHOPPING_GUIDE = "shopping_guide", _("Shopping guide")
    STORE_MANAGER = "store_manager", _("Store manager")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    STAFF = "staff", _("Employee")
    ASSISTANT = "assistant", _("Assistant")
    HOST = "host", _("Host")


class InvitationStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("Awaiting platform review")
    REJECTED = "rejected", _("Rejected by the platform")
    SENT = "sent", _("Sent, awaiting the employee")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_INVITATION_STATUSES = (InvitationStatus.PENDING_REVIEW, InvitationStatus.SENT)


class BindingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FROZEN = "frozen", _("Frozen")
    ENDED = "ended", _("Ended")


LIVE_BINDING_STATUSES = (BindingStatus.ACTIVE, BindingStatus.FROZEN)


class EndReason(models.TextChoices):
    UNBOUND_BY_ENTERPRISE = "unbound_by_enterprise", _("Unbound by the enterprise")
    UNBOUND_BY_EMPLOYEE = "unbound_by_employee", _("Unbound by the employee")
    REMOVED_FOR_VIOLATION = "removed_for_violation", _("Removed by the platform for a violation")
    REBOUND = "rebound", _("Replaced by another account (rebind)")


class Audience(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    ENTERPRISE = "enterprise", _("Enterprise")
    PLATFORM = "platform", _("Platform staff")


class NotificationKind(models.TextChoices):
    INVITATION_SENT = "invitation_sent", _("Invitation received")
    INVITATION_EXPIRING = "invitation_expiring", _("Invitation expires in 6 hours")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_DECLINED = "invitation_declined", _("Invitation declined")
    INVITATION_EXPIRED = "invitation_expired", _("Invitation expired")
    INVITATION_REJECTED = "invitation_rejected", _("Invitation rejected by the platform")
    INVITATION_CANCELLED = "invitation_cancelled", _("Invitation withdrawn by the enterprise")
    BINDING_ENDED = "binding_ended", _("Binding ended")
    BINDING_FROZEN = "binding_frozen", _("Binding frozen")
    BINDING_UNFROZEN = "binding_unfrozen", _("Binding restored")
    CAMPAIGNS_PAUSED_NO_BALANCE = "campaigns_paused_no_balance", _("Campaigns paused: the ad account is out of balance")
    ADVANCED_RIGHTS_UNLOCKED = "advanced_rights_unlocked", _("Advanced rights unlocked")
    ADVANCED_RIGHTS_LOCKED = "advanced_rights_locked", _("Advanced rights locked again")
    INVITATION_AWAITING_REVIEW = "invitation_awaiting_review", _("Invitation awaiting review")
    INCENTIVE_AWARDED = "incentive_awarded", _("Incentive award")
    INCENTIVE_PERIOD_CLOSED = "incentive_period_closed", _("Incentive period closed")
