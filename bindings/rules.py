"""The binding rules as checks: account eligibility (A01–A08), the unbind lock (B07) and the cooldown (B09).

Each check returns facts (reason codes, instants); services turn them into RuleViolation at the moment they act.
Timed rules compare timestamps with the one clock, so they hold whether or not a job has run.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from accounts.models import Enterprise, RedAccount
from kos_platform import clock
from kos_platform.errors import RuleViolation

from .choices import LIVE_BINDING_STATUSES, BindingStatus, InvitationStatus, Mode
from .models import REBIND_COOLDOWN_DAYS, UNBIND_LOCK_DAYS, Binding, Invitation

MAX_FOLLOWERS = 100_000

# A01–A07, in the order the reasons are listed.
ACCOUNT_CHECKS = (
    ("followers_over_limit", lambda account: account.followers > MAX_FOLLOWERS),
    ("has_shop", lambda account: account.has_shop),
    ("is_creator", lambda account: account.is_creator),
    ("is_enterprise_account", lambda account: account.is_enterprise_account),
    ("has_violation", lambda account: account.has_violation),
    ("not_real_name_verified", lambda account: not account.real_name_verified),
    ("phone_not_bound", lambda account: not account.phone_bound),
)


def account_reasons(account: RedAccount) -> list[str]:
    """A01–A07: every reason the account cannot be an employee account."""
    return [code for code, fails in ACCOUNT_CHECKS if fails(account)]


def live_binding(account: RedAccount) -> Binding | None:
    return Binding.objects.filter(red_account=account, status__in=LIVE_BINDING_STATUSES).first()


def cooldown_until(account: RedAccount, enterprise: Enterprise) -> datetime | None:
    """B09: until when another enterprise cannot take the account as personal_authorized, or None."""
    last = (
        Binding.objects.filter(red_account=account, mode=Mode.PERSONAL_AUTHORIZED, status=BindingStatus.ENDED)
        .exclude(enterprise=enterprise)
        .order_by("-ended_at")
        .values_list("ended_at", flat=True)
        .first()
    )
    if last is None:
        return None
    until = last + clock.days(REBIND_COOLDOWN_DAYS)
    return until if clock.now() < until else None


@dataclass(frozen=True)
class ModeCheck:
    allowed: bool
    code: str | None = None
    available_at: datetime | None = None


def mode_check(account: RedAccount, enterprise: Enterprise, mode: str, *, bound: Binding | None) -> ModeCheck:
    """A08, B06 and B09 for one mode, given the account's live binding (if any)."""
    if bound is not None:
        if bound.enterprise_id == enterprise.pk and bound.mode != mode:
            return ModeCheck(False, "mode_conversion_unsupported")
        return ModeCheck(False, "account_already_bound")
    if mode == Mode.PERSONAL_AUTHORIZED:
        until = cooldown_until(account, enterprise)
        if until:
            return ModeCheck(False, "rebind_cooldown", until)
    return ModeCheck(True)


def ensure_account_can_bind(account: RedAccount, enterprise: Enterprise, mode: str) -> None:
    """A01–A08, B06, B09 for one mode; raises the first rule that refuses."""
    reasons = account_reasons(account)
    if reasons:
        raise RuleViolation("account_not_eligible", reasons=reasons)
    check = mode_check(account, enterprise, mode, bound=live_binding(account))
    if not check.allowed:
        facts = {"available_at": check.available_at} if check.available_at else {}
        raise RuleViolation(check.code, **facts)


def has_open_invitation(account: RedAccount, enterprise: Enterprise) -> bool:
    """I08: the enterprise already has an invitation to this account under review or awaiting the employee."""
    return (
        Invitation.objects.filter(enterprise=enterprise, red_account=account)
        .filter(Q(status=InvitationStatus.PENDING_REVIEW) | Q(status=InvitationStatus.SENT, expires_at__gt=clock.now()))
        .exists()
    )


def eligibility_report(account: RedAccount, enterprise: Enterprise) -> dict:
    """For each mode, whether an invitation could be sent now and, if not, the refusal it would meet first
    (the order of `invitation_create`): I08, then A01–A07, then A08/B06/B09."""
    reasons = account_reasons(account)
    bound = live_binding(account)
    open_invitation = has_open_invitation(account, enterprise)
    modes = {}
    for mode in Mode.values:
        if open_invitation:
            check = ModeCheck(False, "duplicate_open_invitation")
        elif reasons:
            check = ModeCheck(False, "account_not_eligible")
        else:
            check = mode_check(account, enterprise, mode, bound=bound)
        modes[mode] = {"allowed": check.allowed, "code": check.code, "available_at": check.available_at}
    return {
        "red_id": account.red_id,
        "nickname": account.nickname,
        "followers": account.followers,
        "eligible": not reasons,
        "reasons": reasons,
        "modes": modes,
    }


def unbind_available_at(binding: Binding) -> datetime:
    """B07: a personal authorisation can be unbound 30 days after it took effect; enterprise-owned at once (B08)."""
    if binding.mode == Mode.PERSONAL_AUTHORIZED:
        return binding.effective_at + clock.days(UNBIND_LOCK_DAYS)
    return binding.effective_at


def ensure_unbind_allowed(binding: Binding) -> None:
    available_at = unbind_available_at(binding)
    if clock.now() < available_at:
        raise RuleViolation("unbind_locked", available_at=available_at)


def effective_invitation_status(invitation) -> str:
    """I05: a sent invitation is expired from `expires_at` on, whether or not the sweep has marked it."""
    if invitation.status == "sent" and invitation.expires_at and clock.now() >= invitation.expires_at:
        return "expired"
    return invitation.status
