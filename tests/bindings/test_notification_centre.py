"""The header's bell and the notification centres (brand, agency, staff, employee): unread counts per reader, mark
one / all read per user, another tenant's notice is a 404, the employee's "accept within 48 hours" notice closes
when the invitation is accepted, declined, withdrawn or expires (I04, I05), and each list runs the same number of
queries whatever its page size."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent
from bindings import notifications as inboxes
from bindings import services
from bindings.choices import Audience, NotificationKind
from bindings.models import Notification, NotificationRead
from bindings.sweeps import expire_due_invitations
from kos_platform import clock
from kos_platform.tenancy import Actor
from notes import services as note_services

from ..factories import RedAccountFactory, UserFactory
from ..notes.factories import NoteFactory, submit
from .factories import BindingFactory, InvitationFactory
from .helpers import accept, brand, invite, send

pytestmark = pytest.mark.django_db
Kind = NotificationKind


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bell(response) -> int | None:
    """The bell's unread count in the page's header, or None when the page has no bell."""
    match = re.search(r'data-testid="notification-bell" data-unread="(\d+)"', response.content.decode())
    return int(match.group(1)) if match else None


def bell_href(response) -> str:
    return re.search(r'href="([^"]+)" data-testid="notification-bell"', response.content.decode()).group(1)


def enterprise_notice(enterprise, kind=Kind.BINDING_ENDED, **fields) -> Notification:
    if kind == Kind.BINDING_ENDED and "binding" not in fields:
        fields["binding"] = BindingFactory(enterprise=enterprise)
    return Notification.objects.create(
        audience=Audience.ENTERPRISE, enterprise=enterprise, kind=kind, created_at=clock.now(), **fields
    )


def unread_ids(response) -> list[int]:
    return [
        int(pk) for pk in re.findall(r'data-id="(\d+)" data-kind="[a-z_]+" data-unread="1"', response.content.decode())
    ]


def listed_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="notification" data-id="(\d+)"', response.content.decode())]


# The bell -------------------------------------------------------------------------------------------------------


def test_bell_counts_the_workspace_notices_on_every_brand_page(world):
    for _ in range(3):
        enterprise_notice(world.enterprise)
    enterprise_notice(world.other_enterprise)
    client = signed_in(world.users["operator"])
    eid = world.enterprise.pk
    for path in (f"/w/{eid}/", f"/w/{eid}/employees/", f"/w/{eid}/invitations/", f"/w/{eid}/audit/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert bell(response) == 3, path
        assert bell_href(response) == f"/w/{eid}/notifications/"
    # The old bell on the employee-account list is gone: the header's is the one way in.
    assert 'data-testid="notifications"' not in client.get(f"/w/{eid}/employees/").content.decode()


def test_bell_on_the_agency_console_counts_the_reporting_brands_notices_since_they_reported(world):
    report = world.enterprise.agency_reports.get()
    before = enterprise_notice(world.enterprise)
    Notification.objects.filter(pk=before.pk).update(created_at=report.created_at - timedelta(minutes=1))
    enterprise_notice(world.enterprise)
    enterprise_notice(world.enterprise, kind=Kind.CAMPAIGNS_PAUSED_NO_BALANCE, count=2)
    enterprise_notice(world.other_enterprise)  # did not report the agency
    response = signed_in(world.users["agency_reported"]).get("/agency/")
    assert bell(response) == 2 and bell_href(response) == "/agency/notifications/"
    assert bell(signed_in(world.users["agency_unreported"]).get("/agency/")) == 0


def test_bell_on_staff_pages_counts_invitations_awaiting_review_and_closes_once_reviewed(world, employee_account):
    invitation = invite(world.enterprise, employee_account)
    staff = signed_in(world.users["staff"])
    response = staff.get("/platform/invitations/")
    assert bell(response) == 1 and bell_href(response) == "/platform/notifications/"
    services.invitation_approve(actor=Actor(user=world.users["staff"]), invitation=invitation)
    assert bell(staff.get("/platform/invitations/")) == 0  # the work is done, for every staff member


def test_n05_bell_on_staff_pages_counts_note_reviews_awaiting_a_decision_until_decided(world, employee_account):
    """Note reviews are work for staff like invitations awaiting review: counted by the bell of every staff member
    beside the notices (one bounded COUNT), shown in the centre leading to the queue, gone once decided."""
    invite(world.enterprise, employee_account)
    first, second = submit(NoteFactory(), world.enterprise), submit(NoteFactory(), world.other_enterprise)
    staff, colleague = signed_in(world.users["staff"]), signed_in(UserFactory(username="staff2", is_staff=True))
    assert bell(staff.get("/platform/invitations/")) == bell(colleague.get("/platform/bindings/")) == 3

    centre = staff.get("/platform/notifications/").content.decode()
    item = re.search(r'<a [^>]*data-testid="note-reviews-awaiting">.*?</a>', centre, re.S).group(0)
    assert 'href="/platform/note-reviews/"' in item and "2篇笔记等待审核" in item
    assert 'data-unread="3"' in centre  # the centre's bell, without counting again

    note_services.review_approve(actor=Actor(user=world.users["staff"]), review=first)
    note_services.review_reject(actor=Actor(user=world.users["staff"]), review=second, reason="与品牌无关")
    assert bell(colleague.get("/platform/invitations/")) == 1  # only the invitation is left
    assert 'data-testid="note-reviews-awaiting"' not in staff.get("/platform/notifications/").content.decode()
    assert bell(signed_in(world.users["operator"]).get(f"/w/{world.enterprise.pk}/")) == 0  # staff work only


def test_the_staff_bell_is_one_count_with_note_reviews_and_stops_at_99_plus(world):
    for _ in range(60):
        submit(NoteFactory(), world.enterprise)
    Notification.objects.bulk_create(
        Notification(audience=Audience.PLATFORM, kind=Kind.INVITATION_AWAITING_REVIEW, created_at=clock.now())
        for _ in range(60)
    )
    inbox = inboxes.platform_inbox(world.users["staff"])
    with CaptureQueriesContext(connection) as queries:
        assert inbox.bell_count() == inboxes.UNREAD_COUNT_CAP
    assert len(queries.captured_queries) == 1
    assert inbox.note_reviews_awaiting() == 60


def test_a_page_without_a_reader_for_the_bell_has_none(world, employee_account):
    assert bell(signed_in(employee_account.user).get("/workspaces/")) is None


# Read state per user ------------------------------------------------------------------------------------------


def test_mark_one_read_is_the_readers_own(world):
    first, second = enterprise_notice(world.enterprise), enterprise_notice(world.enterprise)
    operator, admin = signed_in(world.users["operator"]), signed_in(world.users["admin"])
    centre = f"/w/{world.enterprise.pk}/notifications/"
    assert sorted(unread_ids(operator.get(centre))) == sorted([first.pk, second.pk])

    response = operator.post(f"{centre}{first.pk}/read/", {"next": centre})
    assert response.status_code == 302 and response["Location"] == centre
    assert unread_ids(operator.get(centre)) == [second.pk]
    assert bell(operator.get(centre)) == 1
    # A colleague still sees it unread; the notice itself is not closed.
    assert sorted(unread_ids(admin.get(centre))) == sorted([first.pk, second.pk])
    assert Notification.objects.get(pk=first.pk).read_at is None


def test_mark_all_read_is_the_readers_own_and_one_statement(world):
    notices = [enterprise_notice(world.enterprise) for _ in range(5)]
    operator, analyst = world.users["operator"], world.users["analyst"]
    NotificationRead.objects.create(notification=notices[0], user=operator, read_at=clock.now())  # read before
    centre = f"/w/{world.enterprise.pk}/notifications/"
    client = signed_in(analyst)  # analysts read: their read marks are their own
    client.post(f"{centre}{notices[1].pk}/read/")
    with CaptureQueriesContext(connection) as queries:
        signed_in(operator).post(f"{centre}read-all/")
    assert sum("INSERT" in q["sql"] and "notificationread" in q["sql"] for q in queries.captured_queries) == 1
    assert NotificationRead.objects.filter(user=operator).count() == 5
    assert unread_ids(signed_in(operator).get(centre)) == []
    assert len(unread_ids(client.get(centre))) == 4
    assert bell(signed_in(world.users["owner"]).get(f"/w/{world.enterprise.pk}/")) == 5


def test_unread_filter_lists_only_the_readers_unread(world):
    read, unread = enterprise_notice(world.enterprise), enterprise_notice(world.enterprise)
    operator = world.users["operator"]
    NotificationRead.objects.create(notification=read, user=operator, read_at=clock.now())
    client = signed_in(operator)
    centre = f"/w/{world.enterprise.pk}/notifications/"
    assert listed_ids(client.get(centre, {"filter": "unread"})) == [unread.pk]
    assert listed_ids(client.get(centre)) == [unread.pk, read.pk]  # newest first
    client.post(f"{centre}read-all/")
    assert 'data-testid="empty"' in client.get(centre, {"filter": "unread"}).content.decode()


def test_opening_a_notice_marks_it_read_and_goes_to_its_object(world):
    binding = BindingFactory(enterprise=world.enterprise)
    notice = enterprise_notice(world.enterprise, binding=binding)
    paused = enterprise_notice(world.enterprise, kind=Kind.CAMPAIGNS_PAUSED_NO_BALANCE, count=3)
    client = signed_in(world.users["operator"])
    eid = world.enterprise.pk
    response = client.post(f"/w/{eid}/notifications/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == f"/w/{eid}/employees/{binding.pk}/"
    assert client.post(f"/w/{eid}/notifications/{paused.pk}/open/")["Location"] == f"/w/{eid}/ads/account/"
    assert NotificationRead.objects.filter(user=world.users["operator"]).count() == 2
    # A GET on an action's URL acts on nothing.
    other = enterprise_notice(world.enterprise)
    assert client.get(f"/w/{eid}/notifications/{other.pk}/read/").status_code == 302
    assert not NotificationRead.objects.filter(notification=other).exists()


def test_notices_are_worded_in_the_readers_language_without_codes(world, employee_account):
    invitation = send(world.enterprise, employee_account)
    services.invitation_decline(actor=Actor(user=employee_account.user), invitation=invitation)
    enterprise_notice(world.enterprise, kind=Kind.CAMPAIGNS_PAUSED_NO_BALANCE, count=2)
    client = signed_in(world.users["operator"])
    page = client.get(f"/w/{world.enterprise.pk}/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "invitation_declined" not in visible and "campaigns_paused_no_balance" not in visible
    assert employee_account.red_id in visible
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = re.sub(r"<[^>]+>", " ", client.get(f"/w/{world.enterprise.pk}/notifications/").content.decode())
    assert f"{employee_account.nickname} ({employee_account.red_id}) declined the invitation." in english
    assert "2 active campaigns were paused" in english


# Tenancy ------------------------------------------------------------------------------------------------------


def test_another_tenants_notice_is_404(world, employee_account):
    foreign = enterprise_notice(world.other_enterprise)
    own = enterprise_notice(world.enterprise)
    client = signed_in(world.users["owner"])
    eid = world.enterprise.pk
    for op in ("read", "open"):
        assert client.post(f"/w/{eid}/notifications/{foreign.pk}/{op}/").status_code == 404
    assert signed_in(world.users["other_member"]).get(f"/w/{eid}/notifications/").status_code == 404
    assert signed_in(world.users["agency_unreported"]).post(f"/agency/notifications/{own.pk}/read/").status_code == 404
    employee_notice = Notification.objects.create(
        audience=Audience.EMPLOYEE, red_account=employee_account, kind=Kind.BINDING_FROZEN, created_at=clock.now()
    )
    assert signed_in(world.users["employee"]).post(f"/m/notifications/{employee_notice.pk}/read/").status_code == 404
    assert client.post(f"/w/{eid}/notifications/{employee_notice.pk}/read/").status_code == 404
    assert not NotificationRead.objects.exists()
    assert Notification.objects.get(pk=employee_notice.pk).read_at is None
    assert signed_in(world.users["operator"]).get("/platform/notifications/").status_code == 403
    assert signed_in(world.users["operator"]).get("/agency/notifications/").status_code == 403


def test_agency_opening_a_brand_notice_enters_the_workspace_recorded_with_the_agency(world):
    notice = enterprise_notice(world.enterprise)
    client = signed_in(world.users["agency_reported"])
    centre = client.get("/agency/notifications/").content.decode()
    assert world.enterprise.name in centre and listed_ids(client.get("/agency/notifications/")) == [notice.pk]
    response = client.post(f"/agency/notifications/{notice.pk}/open/")
    assert response["Location"] == f"/w/{world.enterprise.pk}/employees/{notice.binding_id}/"
    assert client.get(response["Location"]).status_code == 200  # entered: no detour through the console
    entry = AuditEvent.objects.get(action="agency.workspace_entered")
    assert entry.via_agency == world.agency
    # Read by the agency's member, it stays unread for the brand's members.
    assert bell(client.get(f"/w/{world.enterprise.pk}/")) == 0
    assert bell(signed_in(world.users["operator"]).get(f"/w/{world.enterprise.pk}/")) == 1


def test_staff_centre_lists_invitations_awaiting_review_and_opens_the_review(world, employee_account):
    invitation = invite(world.enterprise, employee_account)
    first, second = signed_in(world.users["staff"]), signed_in(UserFactory(username="staff2", is_staff=True))
    page = first.get("/platform/notifications/")
    assert listed_ids(page) == [Notification.objects.get(audience=Audience.PLATFORM).pk]
    assert world.enterprise.name in page.content.decode()
    notice = Notification.objects.get(audience=Audience.PLATFORM)
    response = first.post(f"/platform/notifications/{notice.pk}/open/")
    assert response["Location"] == f"/platform/invitations/{invitation.pk}/"
    assert bell(first.get("/platform/invitations/")) == 0
    assert bell(second.get("/platform/invitations/")) == 1  # another staff member has not seen it
    services.invitation_cancel(workspace=brand(world.enterprise), invitation=invitation)
    assert bell(second.get("/platform/invitations/")) == 0  # withdrawn: nothing left to review


# I04/I05: the employee's invitation notice closes itself -------------------------------------------------------


def _invitation_notices_open(invitation) -> int:
    return (
        Notification.objects.filter(
            audience=Audience.EMPLOYEE, invitation=invitation, kind__in=[Kind.INVITATION_SENT, Kind.INVITATION_EXPIRING]
        )
        .filter(read_at__isnull=True)
        .count()
    )


def test_i04_invitation_notice_closes_on_accept(world, employee_account):
    invitation = send(world.enterprise, employee_account)
    assert _invitation_notices_open(invitation) == 1
    accept(invitation)
    assert _invitation_notices_open(invitation) == 0
    assert bell_free_count(employee_account) == 0


def test_i04_invitation_notice_closes_on_decline(world, employee_account):
    invitation = send(world.enterprise, employee_account)
    services.invitation_decline(actor=Actor(user=employee_account.user), invitation=invitation)
    assert _invitation_notices_open(invitation) == 0


def test_i04_invitation_notice_closes_on_cancel_and_the_withdrawal_is_told(world, employee_account):
    invitation = send(world.enterprise, employee_account)
    services.invitation_cancel(workspace=brand(world.enterprise), invitation=invitation)
    assert _invitation_notices_open(invitation) == 0
    assert bell_free_count(employee_account) == 1  # "withdrawn by the enterprise" is new, and unread


def test_i05_invitation_notices_close_on_expiry_in_the_sweep(world, employee_account, travel, t0):
    invitation = send(world.enterprise, employee_account)
    Notification.objects.create(
        audience=Audience.EMPLOYEE,
        red_account=employee_account,
        kind=Kind.INVITATION_EXPIRING,
        invitation=invitation,
        created_at=clock.now(),
    )
    other = send(world.other_enterprise, RedAccountFactory())
    travel.move_to(invitation.expires_at - timedelta(seconds=1))
    assert expire_due_invitations() == 0 and _invitation_notices_open(invitation) == 2
    travel.move_to(invitation.expires_at)
    assert expire_due_invitations() == 2
    assert _invitation_notices_open(invitation) == 0 and _invitation_notices_open(other) == 0
    closed = Notification.objects.get(audience=Audience.EMPLOYEE, invitation=invitation, kind=Kind.INVITATION_SENT)
    assert closed.read_at == invitation.expires_at
    page = signed_in(employee_account.user).get("/m/notifications/").content.decode()
    assert 'data-testid="notification-state">' in page  # the notice says what became of the invitation


def test_i05_invitation_notice_closes_when_a_new_invitation_finds_the_old_one_lapsed(world, employee_account, travel):
    invitation = send(world.enterprise, employee_account)
    travel.move_to(invitation.expires_at + timedelta(minutes=1))
    invite(world.enterprise, employee_account)  # marks the lapsed one expired before checking I08
    assert _invitation_notices_open(invitation) == 0


def bell_free_count(account) -> int:
    """The employee's unread count as the phone's tab bar shows it."""
    page = signed_in(account.user).get("/m/notifications/").content.decode()
    match = re.search(r'data-testid="unread-count">(\d+)<', page)
    return int(match.group(1)) if match else 0


# The employee's centre ------------------------------------------------------------------------------------------


def test_employee_centre_opens_marks_one_and_all_read(world, employee_account):
    first = send(world.enterprise, employee_account)
    services.invitation_decline(actor=Actor(user=employee_account.user), invitation=first)
    second = send(world.other_enterprise, employee_account)
    client = signed_in(employee_account.user)
    page = client.get("/m/notifications/")
    # Viewing reads nothing: the employee reads a notice by opening it or marking it.
    sent = Notification.objects.get(red_account=employee_account, invitation=second, kind=Kind.INVITATION_SENT)
    assert unread_ids(page) == [sent.pk] and bell_free_count(employee_account) == 1
    response = client.post(f"/m/notifications/{sent.pk}/open/")
    assert response["Location"] == f"/m/invitations/{second.pk}/"
    assert bell_free_count(employee_account) == 0
    frozen = Notification.objects.create(
        audience=Audience.EMPLOYEE,
        red_account=employee_account,
        kind=Kind.BINDING_FROZEN,
        created_at=clock.now(),
        binding=BindingFactory(red_account=employee_account, enterprise=world.enterprise),
    )
    assert (
        client.get("/m/notifications/", {"filter": "unread"}).content.decode().count('data-testid="notification"') == 1
    )
    client.post("/m/notifications/read-all/")
    assert Notification.objects.get(pk=frozen.pk).read_at is not None
    assert (
        len(listed_ids(client.get("/m/notifications/")))
        == Notification.objects.filter(red_account=employee_account).count()
    )


# Constant queries -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["brand", "agency", "staff", "employee"])
def test_centre_list_runs_the_same_queries_for_page_sizes_1_20_100(world, employee_account, audience):
    enterprise = world.enterprise
    for i in range(110):
        if audience == "staff":
            invitation = InvitationFactory(enterprise=enterprise)
            Notification.objects.create(
                audience=Audience.PLATFORM,
                enterprise=enterprise,
                invitation=invitation,
                kind=Kind.INVITATION_AWAITING_REVIEW,
                created_at=clock.now(),
            )
        elif audience == "employee":
            invitation = InvitationFactory(
                enterprise=enterprise, red_account=employee_account, sent=True, status="declined"
            )
            Notification.objects.create(
                audience=Audience.EMPLOYEE,
                red_account=employee_account,
                invitation=invitation,
                kind=Kind.INVITATION_SENT,
                created_at=clock.now(),
            )
        elif i % 2:
            enterprise_notice(
                enterprise, kind=Kind.INVITATION_DECLINED, invitation=InvitationFactory(enterprise=enterprise)
            )
        else:
            enterprise_notice(enterprise)
    user, path = {
        "brand": (world.users["operator"], f"/w/{enterprise.pk}/notifications/"),
        "agency": (world.users["agency_reported"], "/agency/notifications/"),
        "staff": (world.users["staff"], "/platform/notifications/"),
        "employee": (employee_account.user, "/m/notifications/"),
    }[audience]
    client = signed_in(user)
    counts = {}
    for size in (1, 20, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, {"page_size": size})
        assert response.status_code == 200
        assert len(listed_ids(response)) == size
        counts[size] = len(queries.captured_queries)
    assert counts[1] == counts[20] == counts[100], counts


def test_the_bell_counts_at_most_99_plus(world):
    Notification.objects.bulk_create(
        Notification(
            audience=Audience.ENTERPRISE,
            enterprise=world.enterprise,
            kind=Kind.ADVANCED_RIGHTS_LOCKED,
            created_at=timezone.now(),
        )
        for _ in range(120)
    )
    page = signed_in(world.users["operator"]).get(f"/w/{world.enterprise.pk}/").content.decode()
    assert 'data-testid="bell-count">99+<' in page


# The API ------------------------------------------------------------------------------------------------------


def test_api_lists_the_enterprise_notices_with_the_callers_read_state(world):
    first, second = (
        enterprise_notice(world.enterprise),
        enterprise_notice(world.enterprise, kind=Kind.INVITATION_DECLINED),
    )
    foreign = enterprise_notice(world.other_enterprise)
    operator, admin = world.client("operator"), world.client("admin")
    url = f"/api/v1/enterprises/{world.enterprise.pk}/notifications/"
    rows = operator.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert [row["id"] for row in rows] == [second.pk, first.pk]
    assert rows[0]["title"] == "Invitation declined" and rows[0]["unread"] is True
    assert rows[1]["url"] == f"/w/{world.enterprise.pk}/employees/{first.binding_id}/"

    assert operator.post(f"{url}{first.pk}/read/").status_code == 204
    assert [row["id"] for row in operator.get(url, {"unread": "true"}).json()["results"]] == [second.pk]
    assert [row["id"] for row in operator.get(url, {"unread": "false"}).json()["results"]] == [first.pk]
    assert admin.get(url, {"unread": "true"}).json()["count"] == 2  # a colleague's read state is their own
    assert operator.post(f"{url}read/").status_code == 204
    assert operator.get(url, {"unread": "true"}).json()["count"] == 0
    assert operator.get(url, {"unread": "maybe"}).status_code == 400
    assert operator.post(f"{url}{foreign.pk}/read/").status_code == 404
    assert not NotificationRead.objects.filter(notification=foreign).exists()


def test_api_employee_marks_one_notice_read(world, employee_account):
    invitation = send(world.enterprise, employee_account)
    notice = Notification.objects.get(audience=Audience.EMPLOYEE, invitation=invitation)
    client = world.client("employee")  # another employee
    assert client.post(f"/api/v1/me/notifications/{notice.pk}/read/").status_code == 404
    from .helpers import client_for

    assert client_for(employee_account.user).post(f"/api/v1/me/notifications/{notice.pk}/read/").status_code == 204
    assert Notification.objects.get(pk=notice.pk).read_at is not None


def test_api_list_runs_the_same_queries_for_page_sizes_1_20_100(world):
    for i in range(110):
        if i % 2:
            enterprise_notice(
                world.enterprise,
                kind=Kind.INVITATION_DECLINED,
                invitation=InvitationFactory(enterprise=world.enterprise),
            )
        else:
            enterprise_notice(world.enterprise)
    client = world.client("operator")
    url = f"/api/v1/enterprises/{world.enterprise.pk}/notifications/"
    client.get(url)  # the token's first use records last_used_at; later requests do not
    counts = {}
    for size in (1, 20, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts[size] = len(queries.captured_queries)
    assert counts[1] == counts[20] == counts[100], counts
