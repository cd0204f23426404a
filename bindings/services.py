"""Every change of an invitation or a binding: one transaction, the deciding rows locked, the rule's error with
its facts, an audit record (B10), and the notifications it causes."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction

from accounts import audit
from accounts.models import Enterprise, RedAccount
from accounts.services import ensure_enterprise_can_invite
from kos_platform import clock
from kos_platform.errors import RuleViolation
from kos_platform.pii import protect_id_number
from kos_platform.tenancy import Actor, Workspace
from notes.ownership import follow_binding

from . import rules
from .choices import LIVE_BINDING_STATUSES, OPEN_INVITATION_STATUSES, BindingStatus, EndReason, InvitationStatus, Mode
from .choices import NotificationKind as Kind
from .models import ACCEPT_WITHIN_HOURS, HOLDER_FIELDS, Binding, BindingFreeze, BindingHolder, Invitation
from .notifications import (
    close_employee_invitation_notices,
    close_platform_invitation_notices,
    notify_employee,
    notify_enterprise,
    notify_platform,
)
from .proofs import CleanProof, store_proof

INVITATION_VIOLATION_RESTRICTION_DAYS = 30  # E04
AUDITED_FIELDS = ("status", "mode", "position", "region", "name", "id_number_masked")


@dataclass(frozen=True)
class EmployeeDetails:
    """The employee part of the I02 form, already validated."""

    name: str
    id_number: str
    position: str
    region: str
    proof: CleanProof


def _new_holder(details: EmployeeDetails) -> dict:
    protected = protect_id_number(details.id_number)
    return {
        "name": details.name,
        "id_number_encrypted": protected.encrypted,
        "id_number_index": protected.index,
        "id_number_masked": protected.masked,
        "position": details.position,
        "region": details.region,
        "proof": store_proof(details.proof),
        "proof_content_type": details.proof.content_type,
    }


def _locked(model, obj):
    """The row, locked FOR NO KEY UPDATE: writers of the row wait, but inserting a row that references it (an
    invitation, a binding, an audit record) does not — with a plain FOR UPDATE, an acceptance (holding the account,
    inserting a binding of the enterprise) and a new invitation (holding the enterprise, waiting for the account)
    deadlock."""
    return model.objects.select_for_update(no_key=True).get(pk=obj.pk)


def _record(actor, action, obj, *, before: dict | None = None, reason: str = "") -> None:
    """Audit (B10): before → after of the fields that changed; every audited field when the object is new."""
    fields = list(before) if before else AUDITED_FIELDS
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        enterprise_id=obj.enterprise_id,
        reason=reason,
        before=before,
        after=audit.snapshot(obj, fields),
    )


# Invitations ------------------------------------------------------------------------------------------------


def _expire_lapsed(enterprise: Enterprise, account: RedAccount) -> None:
    """Mark this pair's sent invitations whose 48 hours are over, so a new one may be sent (I05, I08)."""
    for invitation in Invitation.objects.select_for_update(no_key=True).filter(
        enterprise=enterprise, red_account=account, status=InvitationStatus.SENT, expires_at__lte=clock.now()
    ):
        invitation.status = InvitationStatus.EXPIRED
        invitation.save(update_fields=["status"])
        _record(None, "invitation.expired", invitation, before={"status": InvitationStatus.SENT})
        notify_enterprise(Kind.INVITATION_EXPIRED, invitation=invitation)
        close_employee_invitation_notices(invitation)


@transaction.atomic
def invitation_create(
    *,
    workspace: Workspace,
    red_account: RedAccount,
    mode: str,
    details: EmployeeDetails | None = None,
    rebind_of: Binding | None = None,
) -> Invitation:
    """I02–I08: checks the enterprise (E01, E02, E04), the open invitations (I08) and the account (A01–A08, B06,
    B09), then stores the proof and the invitation, awaiting platform review."""
    enterprise = _locked(Enterprise, workspace.enterprise)
    ensure_enterprise_can_invite(enterprise)
    account = _locked(RedAccount, red_account)
    _expire_lapsed(enterprise, account)
    if Invitation.objects.filter(
        enterprise=enterprise, red_account=account, status__in=OPEN_INVITATION_STATUSES
    ).exists():
        raise RuleViolation("duplicate_open_invitation")
    rules.ensure_account_can_bind(account, enterprise, mode)
    holder = rebind_of.holder_fields() if rebind_of else _new_holder(details)
    invitation = Invitation.objects.create(
        enterprise=enterprise,
        red_account=account,
        mode=mode,
        commitment_signed=True,
        agreement_signed=True,
        rebind_of=rebind_of,
        created_by=workspace.user,
        via_agency=workspace.agency,
        created_at=clock.now(),
        **holder,
    )
    _record(workspace.actor, "invitation.created", invitation)
    notify_platform(Kind.INVITATION_AWAITING_REVIEW, invitation=invitation)
    return invitation


@transaction.atomic
def invitation_approve(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Platform review passes: the invitation is sent and the employee has 48 hours (I04, I05)."""
    invitation = _locked(Invitation, invitation)
    if invitation.status != InvitationStatus.PENDING_REVIEW:
        raise RuleViolation("invitation_not_open")
    now = clock.now()
    invitation.status = InvitationStatus.SENT
    invitation.reviewed_by, invitation.reviewed_at = actor.user, now
    invitation.sent_at, invitation.expires_at = now, now + timedelta(hours=ACCEPT_WITHIN_HOURS)
    invitation.save(update_fields=["status", "reviewed_by", "reviewed_at", "sent_at", "expires_at"])
    _record(actor, "invitation.approved", invitation, before={"status": InvitationStatus.PENDING_REVIEW})
    close_platform_invitation_notices(invitation)
    notify_employee(Kind.INVITATION_SENT, invitation=invitation)
    return invitation


@transaction.atomic
def invitation_reject(*, actor: Actor, invitation: Invitation, reason: str) -> Invitation:
    invitation = _locked(Invitation, invitation)
    if invitation.status != InvitationStatus.PENDING_REVIEW:
        raise RuleViolation("invitation_not_open")
    invitation.status = InvitationStatus.REJECTED
    invitation.reviewed_by, invitation.reviewed_at, invitation.review_reason = actor.user, clock.now(), reason
    invitation.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    _record(actor, "invitation.rejected", invitation, before={"status": InvitationStatus.PENDING_REVIEW}, reason=reason)
    close_platform_invitation_notices(invitation)
    notify_enterprise(Kind.INVITATION_REJECTED, invitation=invitation)
    return invitation


def _ensure_open(invitation: Invitation, *statuses: str) -> None:
    status = rules.effective_invitation_status(invitation)
    if status == InvitationStatus.EXPIRED:
        raise RuleViolation("invitation_expired")
    if status not in statuses:
        raise RuleViolation("invitation_not_open")


@transaction.atomic
def invitation_cancel(*, workspace: Workspace, invitation: Invitation, reason: str = "") -> Invitation:
    """The enterprise withdraws an invitation before it is accepted (I04)."""
    invitation = _locked(Invitation, invitation)
    _ensure_open(invitation, *OPEN_INVITATION_STATUSES)
    before = {"status": invitation.status}
    invitation.status, invitation.cancelled_at = InvitationStatus.CANCELLED, clock.now()
    invitation.save(update_fields=["status", "cancelled_at"])
    _record(workspace.actor, "invitation.cancelled", invitation, before=before, reason=reason)
    if before["status"] == InvitationStatus.SENT:
        close_employee_invitation_notices(invitation)
        notify_employee(Kind.INVITATION_CANCELLED, invitation=invitation)
    else:
        close_platform_invitation_notices(invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, actor: Actor, invitation: Invitation) -> Binding:
    """B01: the employee accepts within 48 hours; everything is checked again (I06, I07) and the binding starts."""
    invitation = _locked(Invitation, invitation)
    _ensure_open(invitation, InvitationStatus.SENT)
    enterprise = Enterprise.objects.get(pk=invitation.enterprise_id)
    ensure_enterprise_can_invite(enterprise)
    account = _locked(RedAccount, invitation.red_account)
    rules.ensure_account_can_bind(account, enterprise, invitation.mode)
    if account.real_name != invitation.name or account.id_number_index != invitation.id_number_index:
        raise RuleViolation("identity_mismatch")
    now = clock.now()
    try:
        with transaction.atomic():
            binding = Binding.objects.create(
                enterprise=enterprise,
                red_account=account,
                mode=invitation.mode,
                invitation=invitation,
                effective_at=now,
                **invitation.holder_fields(),
            )
    except IntegrityError:
        raise RuleViolation("account_already_bound") from None
    BindingHolder.objects.create(
        binding=binding,
        started_at=now,
        created_by=invitation.created_by,
        via_agency=invitation.via_agency,
        **invitation.holder_fields(),
    )
    invitation.status, invitation.responded_at = InvitationStatus.ACCEPTED, now
    invitation.save(update_fields=["status", "responded_at"])
    _record(actor, "invitation.accepted", invitation, before={"status": InvitationStatus.SENT})
    _record(actor, "binding.created", binding)
    if invitation.rebind_of_id:
        old = _locked(Binding, invitation.rebind_of)
        if old.status in LIVE_BINDING_STATUSES:
            _end(old, actor=actor, end_reason=EndReason.REBOUND, reason=f"→ {account.red_id}")
    follow_binding(account.pk)
    close_employee_invitation_notices(invitation)
    notify_enterprise(Kind.INVITATION_ACCEPTED, invitation=invitation)
    return binding


@transaction.atomic
def invitation_decline(*, actor: Actor, invitation: Invitation) -> Invitation:
    invitation = _locked(Invitation, invitation)
    _ensure_open(invitation, InvitationStatus.SENT)
    invitation.status, invitation.responded_at = InvitationStatus.DECLINED, clock.now()
    invitation.save(update_fields=["status", "responded_at"])
    _record(actor, "invitation.declined", invitation, before={"status": InvitationStatus.SENT})
    close_employee_invitation_notices(invitation)
    notify_enterprise(Kind.INVITATION_DECLINED, invitation=invitation)
    return invitation


# Bindings ---------------------------------------------------------------------------------------------------


def _locked_live(binding: Binding) -> Binding:
    binding = _locked(Binding, binding)
    if binding.status not in LIVE_BINDING_STATUSES:
        raise RuleViolation("binding_not_active")
    return binding


def _end(binding: Binding, *, actor: Actor | None, end_reason: str, reason: str = "", now=None) -> Binding:
    before = audit.snapshot(binding, ("status", "end_reason"))
    now = now or clock.now()
    binding.status, binding.ended_at, binding.end_reason = BindingStatus.ENDED, now, end_reason
    binding.ended_by = actor.user if actor else None
    binding.save(update_fields=["status", "ended_at", "end_reason", "ended_by"])
    binding.holders.filter(ended_at__isnull=True).update(ended_at=now)
    binding.freezes.filter(unfrozen_at__isnull=True).update(unfrozen_at=now)
    follow_binding(binding.red_account_id)
    _record(actor, "binding.ended", binding, before=before, reason=reason)
    if end_reason != EndReason.UNBOUND_BY_EMPLOYEE:  # nobody is told what they did themselves
        notify_employee(Kind.BINDING_ENDED, binding=binding)
    if end_reason != EndReason.UNBOUND_BY_ENTERPRISE:
        notify_enterprise(Kind.BINDING_ENDED, binding=binding)
    return binding


@transaction.atomic
def binding_unbind(*, actor: Actor, binding: Binding, reason: str = "", by_employee: bool = False) -> Binding:
    """B03, B07, B08: ends the binding. A personal authorisation returns to the employee and is locked for 30 days
    after it took effect; an enterprise-owned account stays the enterprise's and can be unbound at any time."""
    binding = _locked_live(binding)
    rules.ensure_unbind_allowed(binding)
    end_reason = EndReason.UNBOUND_BY_EMPLOYEE if by_employee else EndReason.UNBOUND_BY_ENTERPRISE
    return _end(binding, actor=actor, end_reason=end_reason, reason=reason)


@transaction.atomic
def binding_freeze(*, actor: Actor, binding: Binding, reason: str = "") -> Binding:
    """B02: every right suspended and the badge hidden; always allowed (B07 decision)."""
    binding = _locked(Binding, binding)
    if binding.status != BindingStatus.ACTIVE:
        raise RuleViolation("binding_not_active")
    binding.status, binding.frozen_at = BindingStatus.FROZEN, clock.now()
    binding.save(update_fields=["status", "frozen_at"])
    BindingFreeze.objects.create(binding=binding, frozen_at=binding.frozen_at)
    _record(actor, "binding.frozen", binding, before={"status": BindingStatus.ACTIVE}, reason=reason)
    notify_employee(Kind.BINDING_FROZEN, binding=binding)
    return binding


@transaction.atomic
def binding_unfreeze(*, actor: Actor, binding: Binding, reason: str = "") -> Binding:
    binding = _locked(Binding, binding)
    if binding.status != BindingStatus.FROZEN:
        raise RuleViolation("binding_not_active")
    binding.status, binding.frozen_at = BindingStatus.ACTIVE, None
    binding.save(update_fields=["status", "frozen_at"])
    binding.freezes.filter(unfrozen_at__isnull=True).update(unfrozen_at=clock.now())
    _record(actor, "binding.unfrozen", binding, before={"status": BindingStatus.FROZEN}, reason=reason)
    notify_employee(Kind.BINDING_UNFROZEN, binding=binding)
    return binding


@transaction.atomic
def binding_handover(*, workspace: Workspace, binding: Binding, details: EmployeeDetails, reason: str = "") -> Binding:
    """B04: an enterprise-owned account passes to another employee; account, followers and notes stay, and the
    history of holders is kept."""
    binding = _locked_live(binding)
    if binding.mode != Mode.ENTERPRISE_OWNED:
        raise RuleViolation("mode_not_transferable")
    before = audit.snapshot(binding, ("name", "id_number_masked", "position", "region"))
    now = clock.now()
    holder = _new_holder(details)
    binding.holders.filter(ended_at__isnull=True).update(ended_at=now)
    BindingHolder.objects.create(
        binding=binding, started_at=now, created_by=workspace.user, via_agency=workspace.agency, **holder
    )
    for field, value in holder.items():
        setattr(binding, field, value)
    binding.save(update_fields=list(HOLDER_FIELDS))
    _record(workspace.actor, "binding.handed_over", binding, before=before, reason=reason)
    return binding


@transaction.atomic
def binding_rebind(*, workspace: Workspace, binding: Binding, red_account: RedAccount) -> Invitation:
    """B05: the employee's record moves to another account through a new invitation; the old binding ends only
    when the new one is accepted."""
    binding = _locked_live(binding)
    if binding.red_account_id == red_account.pk:
        raise RuleViolation("account_already_bound")
    rules.ensure_unbind_allowed(binding)
    return invitation_create(workspace=workspace, red_account=red_account, mode=binding.mode, rebind_of=binding)


@transaction.atomic
def binding_remove_for_violation(*, actor: Actor, binding: Binding, reason: str) -> Binding:
    """E04: the platform removes the binding (ignoring the B07 lock); the enterprise cannot send new invitations
    for 30 days."""
    now = clock.now()
    binding = _end(
        _locked_live(binding), actor=actor, end_reason=EndReason.REMOVED_FOR_VIOLATION, reason=reason, now=now
    )
    enterprise = _locked(Enterprise, binding.enterprise)
    until = now + clock.days(INVITATION_VIOLATION_RESTRICTION_DAYS)
    if enterprise.invitations_restricted_until is None or enterprise.invitations_restricted_until < until:
        before = audit.snapshot(enterprise, ["invitations_restricted_until"])
        enterprise.invitations_restricted_until = until
        enterprise.save(update_fields=["invitations_restricted_until"])
        audit.record(
            actor=actor,
            action="enterprise.invitations_restricted",
            obj=enterprise,
            enterprise=enterprise,
            before=before,
            after=audit.snapshot(enterprise, ["invitations_restricted_until"]),
            reason=reason,
        )
    return binding


def notifications_mark_read(*, queryset) -> int:
    """Reading a notification is not a change of a binding or invitation; it is not audited."""
    return queryset.filter(read_at__isnull=True).update(read_at=clock.now())
