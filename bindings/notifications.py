"""In-app notifications: created by services in their transaction and by the sweeps, set-based; read through an
`Inbox` (what one reader sees in one place) and rendered in the reader's language by `describe`.

Read state. An employee's notice has one reader: `read_at` is theirs. A shared notice (an enterprise's, read by its
members and by the agencies it reported; the platform's, read by every staff member) is read per user with a
`NotificationRead` row, so one member reading it leaves it unread for the others. `read_at` on a shared notice
closes it for everyone: the work it announced is done (an invitation reviewed). An employee's invitation notice
("accept within 48 hours") is closed the same way when the invitation is accepted, declined, withdrawn or expires.

Note reviews awaiting a staff decision (N05) are not stored as notices: the platform's inbox counts them where they
are (the review queue's partial index), so one leaves the bell the moment it is decided, for every staff member —
as an invitation's notice closes once it is reviewed — and the centre leads to the queue.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import AgencyReport, User
from kos_platform import clock
from notes.choices import ReviewStatus
from notes.models import NoteReview

from .choices import Audience, InvitationStatus, NotificationKind
from .models import Binding, Invitation, Notification, NotificationRead

Kind = NotificationKind
UNREAD_COUNT_CAP = 100  # the bell shows "99+" beyond; counting stops there, so a long history costs nothing

# An employee's notices that ask them to act on an invitation; closed when the invitation is answered or ends.
EMPLOYEE_INVITATION_KINDS = (Kind.INVITATION_SENT, Kind.INVITATION_EXPIRING)
# The platform's notices that ask staff to act on an invitation; closed when it is reviewed or withdrawn.
PLATFORM_INVITATION_KINDS = (Kind.INVITATION_AWAITING_REVIEW,)


# Creating -------------------------------------------------------------------------------------------------------


def _notify(audience: Audience, kind: NotificationKind, invitation: Invitation | None, binding: Binding | None):
    """One notification about an invitation or a binding; a repeated one (same invitation event) is dropped."""
    subject = invitation or binding
    if audience == Audience.EMPLOYEE:
        recipient = {"red_account_id": subject.red_account_id}
    else:  # an enterprise's notice, or the platform's about an enterprise's invitation
        recipient = {"enterprise_id": subject.enterprise_id}
    Notification.objects.bulk_create(
        [
            Notification(
                audience=audience,
                kind=kind,
                invitation=invitation,
                binding=binding,
                created_at=clock.now(),
                **recipient,
            )
        ],
        ignore_conflicts=True,
    )


def notify_employee(kind: NotificationKind, *, invitation: Invitation | None = None, binding: Binding | None = None):
    _notify(Audience.EMPLOYEE, kind, invitation, binding)


def notify_enterprise(kind: NotificationKind, *, invitation: Invitation | None = None, binding: Binding | None = None):
    _notify(Audience.ENTERPRISE, kind, invitation, binding)


def notify_platform(kind: NotificationKind, *, invitation: Invitation):
    """Work for platform staff (an invitation awaiting review): one notice, closed when the work is done."""
    _notify(Audience.PLATFORM, kind, invitation, None)


# Closing --------------------------------------------------------------------------------------------------------


def close_invitation_notices(invitation: Invitation, *, audience: Audience, kinds) -> int:
    """Close (for every reader) the still-open notices that asked someone to act on this invitation. One UPDATE;
    called by the service that makes the transition, in its transaction."""
    return Notification.objects.filter(
        invitation_id=invitation.pk, audience=audience, kind__in=kinds, read_at__isnull=True
    ).update(read_at=clock.now())


def close_employee_invitation_notices(invitation: Invitation) -> int:
    return close_invitation_notices(invitation, audience=Audience.EMPLOYEE, kinds=EMPLOYEE_INVITATION_KINDS)


def close_platform_invitation_notices(invitation: Invitation) -> int:
    return close_invitation_notices(invitation, audience=Audience.PLATFORM, kinds=PLATFORM_INVITATION_KINDS)


# Reading --------------------------------------------------------------------------------------------------------


@dataclass
class Inbox:
    """The notices one user reads in one place, and their read state. `shared`: read per user (NotificationRead);
    otherwise the notice's own `read_at` is the reader's."""

    user: User
    queryset: QuerySet[Notification]
    shared: bool
    audience: str  # "employee", "enterprise", "agency", "platform": how notices are worded and where they lead
    note_reviews: bool = False  # the platform's: note reviews awaiting a decision count as work, beside the notices

    def _read_by_me(self):
        return Exists(NotificationRead.objects.filter(notification=OuterRef("pk"), user=self.user))

    def notices(self) -> QuerySet[Notification]:
        """Newest first, each with `read_by_me`."""
        queryset = self.queryset
        if self.shared:
            queryset = queryset.annotate(read_by_me=self._read_by_me())
        return queryset.order_by("-created_at", "-id")

    def unread(self, queryset: QuerySet[Notification] | None = None) -> QuerySet[Notification]:
        queryset = self.queryset if queryset is None else queryset
        queryset = queryset.filter(read_at__isnull=True)
        return queryset.filter(~self._read_by_me()) if self.shared else queryset

    def unread_count(self) -> int:
        """At most UNREAD_COUNT_CAP: one bounded COUNT."""
        return self.unread().order_by()[:UNREAD_COUNT_CAP].count()

    def note_reviews_awaiting(self) -> int:
        """Note reviews awaiting a staff decision (platform only): a COUNT on the review queue's partial index."""
        return _awaiting_note_reviews().count() if self.note_reviews else 0

    def bell_count(self) -> int:
        """What the bell shows: the unread notices, and for staff the note reviews awaiting them, in one bounded
        COUNT, at most UNREAD_COUNT_CAP."""
        unread = self.unread().order_by().values("pk")
        if self.note_reviews:
            unread = unread.union(_awaiting_note_reviews().values("pk"), all=True)
        return unread[:UNREAD_COUNT_CAP].count()

    def mark_read(self, notification: Notification) -> None:
        """Bookkeeping of one reader, not a change of a binding or invitation: not audited."""
        if notification.read_at is not None:
            return
        if self.shared:
            NotificationRead.objects.bulk_create(
                [NotificationRead(notification=notification, user=self.user, read_at=clock.now())],
                ignore_conflicts=True,
            )
        else:
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=clock.now())

    def mark_all_read(self) -> None:
        """Every unread notice of this inbox, in one statement whatever their number."""
        now = clock.now()
        if not self.shared:
            Notification.objects.filter(pk__in=self.unread().values("pk")).update(read_at=now)
            return
        sql, params = self.unread().order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {NotificationRead._meta.db_table} (notification_id, user_id, read_at) "
                f"SELECT unread.*, %s, %s FROM ({sql}) unread WHERE 1 = 1 ON CONFLICT DO NOTHING",
                [self.user.pk, connection.ops.adapt_datetimefield_value(now), *params],
            )

    def is_unread(self, notification: Notification) -> bool:
        return notification.read_at is None and not getattr(notification, "read_by_me", False)


def employee_inbox(user: User) -> Inbox:
    queryset = Notification.objects.filter(audience=Audience.EMPLOYEE, red_account__user=user).select_related(
        "invitation__enterprise", "binding__enterprise"
    )
    return Inbox(user=user, queryset=queryset, shared=False, audience="employee")


def enterprise_inbox(workspace) -> Inbox:
    """The enterprise's notices, for a member or a reported agency's staff acting in the workspace."""
    queryset = Notification.objects.filter(audience=Audience.ENTERPRISE, enterprise=workspace.enterprise)
    return Inbox(user=workspace.user, queryset=_with_subjects(queryset), shared=True, audience="enterprise")


def agency_inbox(user: User) -> Inbox:
    """The notices of every brand that reported one of the user's agencies, from the report on: an agency's staff
    follow all the brands they act for in one place, and see nothing from before a brand reported them or after
    it revoked the report."""
    reported = AgencyReport.objects.filter(
        enterprise=OuterRef("enterprise"),
        revoked_at__isnull=True,
        agency__memberships__user=user,
        created_at__lte=OuterRef("created_at"),
    )
    queryset = Notification.objects.filter(Q(audience=Audience.ENTERPRISE), Exists(reported))
    return Inbox(
        user=user, queryset=_with_subjects(queryset).select_related("enterprise"), shared=True, audience="agency"
    )


def platform_inbox(user: User) -> Inbox:
    queryset = Notification.objects.filter(audience=Audience.PLATFORM).select_related(
        "enterprise", "invitation__red_account"
    )
    return Inbox(user=user, queryset=queryset, shared=True, audience="platform", note_reviews=True)


def _awaiting_note_reviews() -> QuerySet[NoteReview]:
    return NoteReview.objects.filter(status=ReviewStatus.IN_REVIEW).order_by()


def _with_subjects(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    return queryset.select_related("invitation__red_account", "binding__red_account")


# Wording --------------------------------------------------------------------------------------------------------


@dataclass
class Described:
    notification: Notification
    title: str
    body: str
    url: str
    unread: bool
    enterprise: str = ""  # the brand, where the reader follows several
    state: str = ""  # what became of the invitation since, when the notice is about one


def _account(subject) -> str:
    account = subject.red_account if subject else None
    if account is None:
        return _("an account")
    return f"{account.nickname} ({account.red_id})" if account.nickname else account.red_id


def _invitation_state(invitation: Invitation | None, asked: str) -> str:
    """What became of the invitation the notice asked someone to act on; nothing while it still waits for that."""
    if invitation is None:
        return ""
    status = invitation.status
    if status == InvitationStatus.SENT and invitation.expires_at and invitation.expires_at <= clock.now():
        status = InvitationStatus.EXPIRED  # I05 holds at the instant, before the sweep marks it
    return "" if status == asked else InvitationStatus(status).label


def _enterprise_body(n: Notification) -> str:
    subject = n.invitation or n.binding
    account = _account(subject)
    if n.kind == Kind.INVITATION_ACCEPTED:
        return _("%(account)s accepted the invitation and is now an employee account.") % {"account": account}
    if n.kind == Kind.INVITATION_DECLINED:
        return _("%(account)s declined the invitation.") % {"account": account}
    if n.kind == Kind.INVITATION_EXPIRED:
        if n.count > 1 or n.invitation_id is None:
            return ngettext(
                "%(count)s invitation was not accepted within 48 hours; send a new one if still needed.",
                "%(count)s invitations were not accepted within 48 hours; send new ones if still needed.",
                n.count,
            ) % {"count": n.count}
        return _("The invitation to %(account)s was not accepted within 48 hours; send a new one if still needed.") % {
            "account": account
        }
    if n.kind == Kind.INVITATION_REJECTED:
        reason = n.invitation.review_reason if n.invitation else ""
        if reason:
            return _("The platform rejected the invitation to %(account)s: %(reason)s") % {
                "account": account,
                "reason": reason,
            }
        return _("The platform rejected the invitation to %(account)s.") % {"account": account}
    if n.kind == Kind.BINDING_ENDED:
        return _("%(account)s is no longer an employee account of the enterprise.") % {"account": account}
    if n.kind == Kind.CAMPAIGNS_PAUSED_NO_BALANCE:
        return ngettext(
            "%(count)s active campaign was paused: the ad account has no balance left. Recharge to start it again.",
            "%(count)s active campaigns were paused: the ad account has no balance left. Recharge to start them again.",
            n.count,
        ) % {"count": n.count}
    if n.kind == Kind.ADVANCED_RIGHTS_UNLOCKED:
        return _(
            "Ad spend on employee notes over the last 30 days reached the threshold: the DM service, dial card and "
            "lead card are served."
        )
    if n.kind == Kind.INCENTIVE_PERIOD_CLOSED:
        return ngettext(
            "An incentive period closed: %(count)s person was awarded. The awards are listed on its page.",
            "An incentive period closed: %(count)s people were awarded. The awards are listed on its page.",
            n.count,
        ) % {"count": n.count}
    if n.kind == Kind.ADVANCED_RIGHTS_LOCKED:
        return _(
            "Ad spend on employee notes over the last 30 days fell below the threshold: the DM service, dial card "
            "and lead card are no longer served."
        )
    return ""


def _enterprise_url(n: Notification) -> str:
    eid = n.enterprise_id
    if n.binding_id:
        return reverse("binding-detail", args=[eid, n.binding_id])
    if n.kind == Kind.CAMPAIGNS_PAUSED_NO_BALANCE:
        return reverse("ads-account", args=[eid])
    if n.kind in (Kind.ADVANCED_RIGHTS_UNLOCKED, Kind.ADVANCED_RIGHTS_LOCKED):
        return reverse("advanced-rights", args=[eid])
    if n.kind == Kind.INCENTIVE_PERIOD_CLOSED:
        return reverse("analytics-incentives", args=[eid])
    status = {
        Kind.INVITATION_ACCEPTED: InvitationStatus.ACCEPTED,
        Kind.INVITATION_DECLINED: InvitationStatus.DECLINED,
        Kind.INVITATION_EXPIRED: InvitationStatus.EXPIRED,
        Kind.INVITATION_REJECTED: InvitationStatus.REJECTED,
    }.get(n.kind)
    url = reverse("invitation-list", args=[eid])
    return f"{url}?status={status}" if status else url


def _employee_body(n: Notification) -> str:
    subject = n.invitation or n.binding
    enterprise = subject.enterprise.name if subject else ""
    if n.kind == Kind.INVITATION_SENT:
        return _(
            "%(enterprise)s invites you to bind your Xiaohongshu account as its employee account. "
            "Accept within 48 hours."
        ) % {"enterprise": enterprise}
    if n.kind == Kind.INVITATION_EXPIRING:
        return _("Accept soon, or the enterprise will have to send a new invitation.")
    if n.kind == Kind.INVITATION_CANCELLED:
        return _("%(enterprise)s withdrew the invitation; nothing changes for your account.") % {
            "enterprise": enterprise
        }
    if n.kind == Kind.BINDING_FROZEN:
        return _("The identity badge and the employee-account rights are suspended until the enterprise restores them.")
    if n.kind == Kind.BINDING_UNFROZEN:
        return _("The identity badge and the employee-account rights are back.")
    if n.kind == Kind.BINDING_ENDED:
        return _("The account is no longer an employee account of this enterprise.")
    if n.kind == Kind.INCENTIVE_AWARDED:
        return _("%(enterprise)s's incentive period is closed and you won an award: see My incentives.") % {
            "enterprise": enterprise
        }
    return ""


def _employee_url(n: Notification) -> str:
    if n.kind == Kind.INCENTIVE_AWARDED:
        return reverse("employee-incentives")
    if n.invitation_id:
        return reverse("employee-invitation", args=[n.invitation_id])
    if n.binding_id:
        return f"{reverse('employee-bindings')}#binding-{n.binding_id}"
    return reverse("employee-notifications")


def _platform_body(n: Notification) -> str:
    invitation = n.invitation
    if n.kind == Kind.INVITATION_AWAITING_REVIEW and invitation:
        text = _("%(enterprise)s invites %(account)s as %(mode)s. Check the employment proof, then approve or reject.")
        return text % {
            "enterprise": n.enterprise.name if n.enterprise else "",
            "account": _account(invitation),
            "mode": invitation.get_mode_display(),
        }
    return ""


def _platform_url(n: Notification) -> str:
    if n.invitation_id:
        return reverse("platform-invitation", args=[n.invitation_id])
    return reverse("platform-review-queue")


def describe(inbox: Inbox, notification: Notification) -> Described:
    """A notice as its reader sees it: title, sentence with its facts, where opening it leads, and read state."""
    n = notification
    if inbox.audience == "employee":
        body, url = _employee_body(n), _employee_url(n)
        subject = n.invitation or n.binding
        enterprise = subject.enterprise.name if subject else ""
        state = _invitation_state(n.invitation, InvitationStatus.SENT) if n.kind in EMPLOYEE_INVITATION_KINDS else ""
    elif inbox.audience == "platform":
        body, url = _platform_body(n), _platform_url(n)
        enterprise = n.enterprise.name if n.enterprise else ""
        asked = InvitationStatus.PENDING_REVIEW
        state = _invitation_state(n.invitation, asked) if n.kind in PLATFORM_INVITATION_KINDS else ""
    else:
        body, url = _enterprise_body(n), _enterprise_url(n)
        enterprise = n.enterprise.name if inbox.audience == "agency" else ""
        state = ""
    return Described(
        notification=n,
        title=n.get_kind_display(),
        body=body,
        url=url,
        unread=inbox.is_unread(n),
        enterprise=enterprise,
        state=state,
    )
