"""Every change to tenants, people, agencies, RED accounts and API keys; each writes its audit record."""

from datetime import datetime

from axes.models import AccessAttempt
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kos_platform import clock
from kos_platform.authentication import hash_key, new_raw_key
from kos_platform.errors import RuleViolation
from kos_platform.pii import protect_id_number
from kos_platform.tenancy import Actor, Workspace

from . import audit
from .choices import ApiKeyScope, Industry, Role
from .models import Agency, AgencyMembership, AgencyReport, ApiKey, Enterprise, Membership, RedAccount, User

ENTERPRISE_FIELDS = (
    "name",
    "industry",
    "certified",
    "annual_review_valid_until",
    "banned",
    "store_count",
    "serious_violation_at",
    "monthly_note_quota",
)
MIN_STORES = 10
SERIOUS_VIOLATION_DAYS = 365
USER_TOKEN_DAYS = 30


# Rules E01–E04 -------------------------------------------------------------------------------------------


def enterprise_state_reasons(enterprise: Enterprise) -> list[str]:
    """E01: why the enterprise's professional account cannot bind employees now (empty when it can)."""
    reasons = []
    if not enterprise.certified:
        reasons.append("not_certified")
    valid_until = enterprise.annual_review_valid_until
    if valid_until is None or valid_until < clock.local_today():
        reasons.append("annual_review_expired")
    if enterprise.banned:
        reasons.append("banned")
    return reasons


def kos_permission_reasons(enterprise: Enterprise) -> list[str]:
    """E03 (with E01): every reason the employee-account management permission cannot be granted."""
    reasons = enterprise_state_reasons(enterprise)
    if enterprise.industry != Industry.CULTURE_TOURISM and enterprise.store_count < MIN_STORES:
        reasons.append("too_few_stores")
    violation_at = enterprise.serious_violation_at
    if violation_at and clock.now() - violation_at < clock.days(SERIOUS_VIOLATION_DAYS):
        reasons.append("serious_violation_recent")
    return reasons


def ensure_enterprise_can_invite(enterprise: Enterprise) -> None:
    """E01, E02 and E04, checked when an invitation is created and again when it is accepted (I07)."""
    reasons = enterprise_state_reasons(enterprise)
    if reasons:
        raise RuleViolation("enterprise_not_eligible", reasons=reasons)
    if not enterprise.kos_permission:
        raise RuleViolation("kos_permission_missing")
    until = enterprise.invitations_restricted_until
    if until and clock.now() < until:
        raise RuleViolation("invitations_restricted", until=until)


# Enterprises ---------------------------------------------------------------------------------------------


@transaction.atomic
def enterprise_create(*, actor: Actor, **fields) -> Enterprise:
    enterprise = Enterprise.objects.create(**fields)
    audit.record(
        actor=actor,
        action="enterprise.created",
        obj=enterprise,
        enterprise=enterprise,
        after=audit.snapshot(enterprise, ENTERPRISE_FIELDS),
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: Actor, enterprise: Enterprise, reason: str = "", **fields) -> Enterprise:
    """Staff change an enterprise's settings (its monthly note-review quota among them), with why when given."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    changed = [name for name, value in fields.items() if getattr(enterprise, name) != value]
    if not changed:
        return enterprise
    before = audit.snapshot(enterprise, changed)
    for name in changed:
        setattr(enterprise, name, fields[name])
    enterprise.save(update_fields=changed)
    audit.record(
        actor=actor,
        action="enterprise.updated",
        obj=enterprise,
        enterprise=enterprise,
        before=before,
        after=audit.snapshot(enterprise, changed),
        reason=reason,
    )
    return enterprise


@transaction.atomic
def kos_permission_grant(*, actor: Actor, enterprise: Enterprise) -> Enterprise:
    """E02/E03: staff grant the employee-account management permission when every condition holds."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    reasons = kos_permission_reasons(enterprise)
    if reasons:
        raise RuleViolation("enterprise_not_eligible", reasons=reasons)
    if enterprise.kos_permission:
        return enterprise
    enterprise.kos_permission_granted_at = clock.now()
    enterprise.kos_permission_granted_by = actor.user
    enterprise.save(update_fields=["kos_permission_granted_at", "kos_permission_granted_by"])
    audit.record(
        actor=actor,
        action="enterprise.kos_permission_granted",
        obj=enterprise,
        enterprise=enterprise,
        before={"kos_permission": False},
        after={"kos_permission": True},
    )
    return enterprise


@transaction.atomic
def kos_permission_revoke(*, actor: Actor, enterprise: Enterprise, reason: str = "") -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not enterprise.kos_permission:
        return enterprise
    enterprise.kos_permission_granted_at = None
    enterprise.kos_permission_granted_by = None
    enterprise.save(update_fields=["kos_permission_granted_at", "kos_permission_granted_by"])
    audit.record(
        actor=actor,
        action="enterprise.kos_permission_revoked",
        obj=enterprise,
        enterprise=enterprise,
        before={"kos_permission": True},
        after={"kos_permission": False},
        reason=reason,
    )
    return enterprise


# People --------------------------------------------------------------------------------------------------


def _user_get_or_create(*, username: str, password: str | None, display_name: str = "") -> tuple[User, bool]:
    """The existing user, or a new one with `password` (validated by the caller)."""
    user = User.objects.filter(username=username).first()
    if user:
        return user, False
    user = User(username=username, display_name=display_name)
    user.set_password(password)
    user.save()
    return user, True


@transaction.atomic
def member_set(
    *,
    actor: Actor,
    enterprise: Enterprise,
    username: str,
    role: str,
    password: str | None = None,
    display_name: str = "",
) -> Membership:
    """Add a user to the enterprise with `role` (creating the user if new) or change the member's role; the last
    owner cannot be demoted (`last_owner`), by platform staff either."""
    user, _ = _user_get_or_create(username=username, password=password, display_name=display_name)
    locked = _team_lock(enterprise.pk)
    membership = next((row for row in locked.values() if row.user_id == user.pk), None)
    if membership and membership.role == role:
        return membership
    if membership and role != Role.OWNER:
        _ensure_not_last_owner(locked, membership)
    before = {"role": membership.role} if membership else None
    if membership:
        membership.role = role
        membership.save(update_fields=["role"])
    else:
        membership = Membership.objects.create(user=user, enterprise=enterprise, role=role)
    audit.record(
        actor=actor,
        action="membership.set",
        obj=membership,
        enterprise=enterprise,
        before=before,
        after={"user": user.username, "role": role},
    )
    return membership


# Team management (成员管理) ------------------------------------------------------------------------------------
#
# Owners and admins manage the brand's members. An admin manages admins, operators and analysts, never an owner: an
# admin cannot add an owner, make someone owner, or change or remove an owner (`PermissionDenied`, 403). The last
# owner can neither be demoted nor removed (`last_owner`, 409). Every change locks all the enterprise's memberships
# in id order first, so two changes at once (two owners demoting each other) queue, and the second one counts the
# owners the first one left.


def _team_lock(enterprise_id: int) -> dict[int, Membership]:
    """Every membership of the enterprise, locked in id order, by id (fresh rows: what the count of owners reads)."""
    rows = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(enterprise_id=enterprise_id)
        .order_by("pk")
    )
    return {row.pk: row for row in rows}


def _team_require(workspace: Workspace, *roles: str) -> None:
    """Only owners and admins manage the team, and only an owner touches the owner role (`roles`: the member's
    role before and after the change)."""
    if not workspace.can("manage"):
        raise PermissionDenied(_("Only owners and administrators can manage members."))
    if Role.OWNER in roles and workspace.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner can add, change or remove an owner."))


def _team_member(locked: dict[int, Membership], membership: Membership) -> Membership:
    current = locked.get(membership.pk)
    if current is None or current.user.is_service_account:
        raise Membership.DoesNotExist
    return current


def _ensure_not_last_owner(locked: dict[int, Membership], member: Membership) -> None:
    owners = [row for row in locked.values() if row.role == Role.OWNER and not row.user.is_service_account]
    if member.role == Role.OWNER and len(owners) <= 1:
        raise RuleViolation("last_owner")


@transaction.atomic
def member_add(
    *,
    workspace: Workspace,
    username: str,
    role: str,
    password: str | None = None,
    display_name: str = "",
    email: str = "",
) -> Membership:
    """Add a user to the brand with `role`: an existing login as it is (its password, name and e-mail untouched),
    or a new one with `password` (the caller has run the password validators), `display_name` and `email`.
    Refused: a member already (`member_exists`), an API key's login (`ValidationError` on `username`)."""
    _team_require(workspace, role)
    enterprise = workspace.enterprise
    _team_lock(enterprise.pk)
    existing = User.objects.filter(username=username).first()
    if existing is not None and existing.is_service_account:
        raise ValidationError({"username": [ValidationError(_("This login cannot be added."), code="invalid")]})
    if existing is not None and Membership.objects.filter(user=existing, enterprise=enterprise).exists():
        raise RuleViolation("member_exists")
    user = existing
    if user is None:
        user = User(username=username, display_name=display_name, email=email)
        user.set_password(password)
        user.save()
    membership = Membership.objects.create(user=user, enterprise=enterprise, role=role)
    audit.record(
        actor=workspace.actor,
        action="membership.added",
        obj=membership,
        enterprise=enterprise,
        after={"user": user.username, "role": role, "new_user": existing is None},
    )
    return membership


@transaction.atomic
def member_role_change(*, workspace: Workspace, membership: Membership, role: str) -> Membership:
    """Change a member's role; the last owner cannot be demoted (`last_owner`)."""
    locked = _team_lock(workspace.enterprise.pk)
    member = _team_member(locked, membership)
    _team_require(workspace, member.role, role)
    if member.role == role:
        return member
    if role != Role.OWNER:
        _ensure_not_last_owner(locked, member)
    before = member.role
    member.role = role
    member.save(update_fields=["role"])
    audit.record(
        actor=workspace.actor,
        action="membership.role_changed",
        obj=member,
        enterprise=workspace.enterprise,
        before={"user": member.user.username, "role": before},
        after={"user": member.user.username, "role": role},
    )
    return member


@transaction.atomic
def member_remove(*, workspace: Workspace, membership: Membership) -> None:
    """Remove a member (the login stays; it loses this workspace); the last owner cannot leave (`last_owner`)."""
    locked = _team_lock(workspace.enterprise.pk)
    member = _team_member(locked, membership)
    _team_require(workspace, member.role)
    _ensure_not_last_owner(locked, member)
    audit.record(
        actor=workspace.actor,
        action="membership.removed",
        obj=member,
        enterprise=workspace.enterprise,
        before={"user": member.user.username, "role": member.role},
    )
    member.delete()


@transaction.atomic
def agency_create(*, actor: Actor, name: str) -> Agency:
    agency = Agency.objects.create(name=name)
    audit.record(actor=actor, action="agency.created", obj=agency, after={"name": name})
    return agency


@transaction.atomic
def agency_staff_add(
    *, actor: Actor, agency: Agency, username: str, password: str | None = None, display_name: str = ""
) -> AgencyMembership:
    user, _ = _user_get_or_create(username=username, password=password, display_name=display_name)
    membership, created = AgencyMembership.objects.get_or_create(user=user, agency=agency)
    if created:
        audit.record(actor=actor, action="agency.staff_added", obj=membership, after={"user": user.username})
    return membership


# Agency reports (报备) ------------------------------------------------------------------------------------


@transaction.atomic
def agency_report(*, workspace: Workspace, agency: Agency) -> AgencyReport:
    """The brand reports an agency, whose staff may then act for it."""
    Enterprise.objects.select_for_update(no_key=True).get(pk=workspace.enterprise.pk)
    if AgencyReport.objects.filter(enterprise=workspace.enterprise, agency=agency, revoked_at__isnull=True).exists():
        raise RuleViolation("agency_already_reported")
    try:
        with transaction.atomic():
            report = AgencyReport.objects.create(
                enterprise=workspace.enterprise, agency=agency, created_by=workspace.user
            )
    except IntegrityError:
        raise RuleViolation("agency_already_reported") from None
    audit.record(
        actor=workspace.actor,
        action="agency_report.created",
        obj=report,
        enterprise=workspace.enterprise,
        after={"agency": agency.pk, "agency_name": agency.name},
    )
    return report


@transaction.atomic
def agency_report_revoke(*, workspace: Workspace, report: AgencyReport) -> AgencyReport:
    report = AgencyReport.objects.select_for_update().get(pk=report.pk)
    if report.revoked_at:
        return report
    report.revoked_at = clock.now()
    report.revoked_by = workspace.user
    report.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=workspace.actor,
        action="agency_report.revoked",
        obj=report,
        enterprise=workspace.enterprise,
        before={"standing": True},
        after={"standing": False},
    )
    return report


def agency_workspace_enter(*, workspace: Workspace) -> None:
    """Agency staff enter a brand's workspace from the agency console; recorded with the agency."""
    audit.record(
        actor=workspace.actor,
        action="agency.workspace_entered",
        obj=workspace.enterprise,
        enterprise=workspace.enterprise,
    )


# RED accounts --------------------------------------------------------------------------------------------

RED_ACCOUNT_FIELDS = (
    "nickname",
    "followers",
    "has_shop",
    "is_creator",
    "is_enterprise_account",
    "has_violation",
    "real_name_verified",
    "real_name",
    "id_number_masked",
    "phone_bound",
)


def _apply_id_number(account: RedAccount, id_number: str) -> None:
    protected = protect_id_number(id_number)
    account.id_number_encrypted = protected.encrypted
    account.id_number_index = protected.index
    account.id_number_masked = protected.masked


@transaction.atomic
def red_account_create(
    *, actor: Actor, red_id: str, id_number: str = "", username: str = "", password: str | None = None, **fields
) -> RedAccount:
    """Register a RED account from the content platform, with the employee's login when given."""
    account = RedAccount(red_id=red_id, **fields)
    if id_number:
        _apply_id_number(account, id_number)
    if username:
        account.user, _ = _user_get_or_create(
            username=username, password=password, display_name=fields.get("real_name") or fields.get("nickname", "")
        )
    account.save()
    audit.record(
        actor=actor, action="red_account.created", obj=account, after=audit.snapshot(account, RED_ACCOUNT_FIELDS)
    )
    return account


@transaction.atomic
def red_account_update(
    *,
    actor: Actor,
    account: RedAccount,
    id_number: str | None = None,
    username: str = "",
    password: str | None = None,
    **fields,
) -> RedAccount:
    account = RedAccount.objects.select_for_update().get(pk=account.pk)
    before = audit.snapshot(account, RED_ACCOUNT_FIELDS)
    for name, value in fields.items():
        setattr(account, name, value)
    if id_number:
        _apply_id_number(account, id_number)
    if username:
        account.user, _ = _user_get_or_create(username=username, password=password, display_name=account.nickname)
    account.save()
    after = audit.snapshot(account, RED_ACCOUNT_FIELDS)
    changed = [name for name in RED_ACCOUNT_FIELDS if before[name] != after[name]]
    if changed or username:
        audit.record(
            actor=actor,
            action="red_account.updated",
            obj=account,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return account


# API keys ------------------------------------------------------------------------------------------------


@transaction.atomic
def api_key_create(
    *,
    actor: Actor,
    name: str,
    scope: str,
    enterprise: Enterprise | None = None,
    agency: Agency | None = None,
    role: str = Role.OPERATOR,
) -> tuple[ApiKey, str]:
    """A key for an integration; its service user holds the scope. The raw key is returned once, never stored."""
    raw = new_raw_key()
    principal = User(username=f"key-{hash_key(raw)[:16]}", display_name=name, is_service_account=True)
    principal.is_staff = scope == ApiKeyScope.PLATFORM
    principal.set_unusable_password()
    principal.save()
    if scope == ApiKeyScope.ENTERPRISE:
        Membership.objects.create(user=principal, enterprise=enterprise, role=role)
    elif scope == ApiKeyScope.AGENCY:
        AgencyMembership.objects.create(user=principal, agency=agency)
    key = ApiKey.objects.create(
        name=name,
        scope=scope,
        prefix=raw[:12],
        key_hash=hash_key(raw),
        user=principal,
        enterprise=enterprise,
        agency=agency,
        created_by=actor.user,
    )
    audit.record(
        actor=actor, action="api_key.created", obj=key, enterprise=enterprise, after={"scope": scope, "name": name}
    )
    return key, raw


@transaction.atomic
def user_token_create(*, user: User) -> tuple[ApiKey, str]:
    """A bearer token acting as the user itself (`POST /api/v1/auth/token/`), valid for 30 days; the raw token is
    returned once, never stored."""
    raw = new_raw_key()
    issued_at = clock.now()
    key = ApiKey.objects.create(
        name=f"token {issued_at:%Y-%m-%d %H:%M}",
        scope=ApiKeyScope.USER,
        prefix=raw[:12],
        key_hash=hash_key(raw),
        user=user,
        created_by=user,
        expires_at=issued_at + clock.days(USER_TOKEN_DAYS),
    )
    audit.record(actor=Actor(user=user), action="api_key.token_issued", obj=key)
    return key, raw


@transaction.atomic
def api_key_revoke(*, actor: Actor, key: ApiKey) -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at:
        return key
    key.revoked_at = clock.now()
    key.save(update_fields=["revoked_at"])
    if key.scope != ApiKeyScope.USER:
        User.objects.filter(pk=key.user_id).update(is_active=False)
    audit.record(
        actor=actor,
        action="api_key.revoked",
        obj=key,
        enterprise=key.enterprise,
        before={"revoked": False},
        after={"revoked": True},
    )
    return key


# Passwords and sign-in -----------------------------------------------------------------------------------------


@transaction.atomic
def user_password_change(*, actor: Actor, user: User, old_password: str, new_password: str) -> User:
    """The user changes their password: the old one must be right and the new one pass Django's password validators
    (`ValidationError` naming `old_password` or `new_password` otherwise). Every user token of the user is revoked
    here, in one UPDATE; sessions signed in with the old password end by themselves (Django's session auth hash) —
    the caller keeps its own with `update_session_auth_hash`. A password set any other way revokes the tokens too:
    see `User.set_password`."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ValidationError(
            {
                "old_password": [
                    ValidationError(PasswordChangeForm.error_messages["password_incorrect"], code="password_incorrect")
                ]
            }
        )
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.error_list}) from None
    revoked = _password_set(user, new_password)
    audit.record(actor=actor, action="user.password_changed", obj=user, after={"tokens_revoked": revoked})
    return user


def _password_set(user: User, new_password: str) -> int:
    """Set the (validated) password of the locked `user` and revoke every user token of theirs, in one UPDATE;
    returns how many were revoked."""
    user.set_password(new_password)
    user.save(update_fields=["password", "password_changed_at"])
    return ApiKey.objects.filter(user=user, scope=ApiKeyScope.USER, revoked_at__isnull=True).update(
        revoked_at=user.password_changed_at
    )


@transaction.atomic
def user_password_reset(*, user: User, new_password: str) -> User:
    """The user sets a new password from the link of a reset e-mail (the link's token has been checked, and the new
    password has passed Django's password validators in the form). As a change does, it revokes every user token of
    the user, and every session signed in with the old password ends (Django's session auth hash)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    revoked = _password_set(user, new_password)
    audit.record(actor=Actor(user=user), action="user.password_reset", obj=user, after={"tokens_revoked": revoked})
    return user


@transaction.atomic
def sign_in_lockout_record(*, username: str, failures: int, locked_until: datetime, ip_address: str | None) -> None:
    """The audit record of a sign-in lockout (accounts.sign_in), written once: by the request whose failure reached
    the limit. The object is the user, or the attempt record when no user has that username."""
    obj = User.objects.filter(username=username).first()
    if obj is None:
        obj = AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
    if obj is None:
        return
    audit.record(
        actor=None,
        action="user.locked_out",
        obj=obj,
        after={
            "username": username,
            "failures": failures,
            "locked_until": clock.instant(locked_until),
            "ip_address": ip_address,
        },
    )
