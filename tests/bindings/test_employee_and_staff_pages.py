"""The employee's mobile pages (/m/) and the staff review console (/platform/) through Django's test client:
every change goes through the services, a rule's refusal is a 409 page, a bad form a 400, another employee's
object a 404, the console staff-only."""

import dataclasses
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bindings import services
from bindings.models import Binding, Notification
from bindings.proofs import CleanProof
from kos_platform.tenancy import Actor

from ..factories import RedAccountFactory
from .helpers import OWNED, PERSONAL, bind, brand, employee_details, invite, pdf_bytes, send

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def employee(employee_account) -> Client:
    return signed_in(employee_account.user)


@pytest.fixture
def staff(world) -> Client:
    return signed_in(world.users["staff"])


def page_ids(response) -> set[str]:
    return set(re.findall(r'data-testid="([^"]+)"', response.content.decode()))


# The employee ----------------------------------------------------------------------------------------------


def test_b01_accept_through_the_page_creates_the_binding(world, employee, employee_account):
    invitation = send(world.enterprise, employee_account)
    page = employee.get(f"/m/invitations/{invitation.pk}/")
    assert page.status_code == 200
    assert {"accept", "decline", "time-left", "identity-badge"} <= page_ids(page)
    body = page.content.decode()
    assert 'data-testid="identity-check" data-match="1"' in body
    assert "花漾美妆 · 导购" in body and invitation.id_number_masked in body
    assert "data-countdown-until=" in body and 'data-confirm="' in body

    response = employee.post(f"/m/invitations/{invitation.pk}/", {"action": "accept"})
    assert response.status_code == 302 and response.url == "/m/bindings/"
    binding = Binding.objects.get(red_account=employee_account)
    assert (binding.status, binding.enterprise, binding.invitation) == ("active", world.enterprise, invitation)

    bindings = employee.get("/m/bindings/")
    assert {"binding", "unbind-locked", "unbind-lock"} <= page_ids(bindings)  # B07: locked for 30 days
    assert "unbind" not in page_ids(bindings)


def test_decline_through_the_page(world, employee, employee_account):
    invitation = send(world.enterprise, employee_account)
    response = employee.post(f"/m/invitations/{invitation.pk}/", {"action": "decline"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "declined" and not Binding.objects.exists()
    page = employee.get(f"/m/invitations/{invitation.pk}/")
    assert "accept" not in page_ids(page) and 'data-status="declined"' in page.content.decode()


def test_unknown_action_is_400_and_changes_nothing(world, employee, employee_account, unchanged):
    invitation = send(world.enterprise, employee_account)
    with unchanged():
        response = employee.post(f"/m/invitations/{invitation.pk}/", {"action": "maybe"})
    assert response.status_code == 400 and "form-error" in page_ids(response)


def test_another_employees_invitation_and_binding_are_404(world, employee_account):
    invitation = send(world.enterprise, employee_account)
    other = signed_in(world.users["employee"])
    assert other.get(f"/m/invitations/{invitation.pk}/").status_code == 404
    assert other.post(f"/m/invitations/{invitation.pk}/", {"action": "accept"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "sent"
    binding = services.invitation_accept(actor=Actor(user=employee_account.user), invitation=invitation)
    assert other.post(f"/m/bindings/{binding.pk}/unbind/").status_code == 404
    binding.refresh_from_db()
    assert binding.status == "active"


def test_pending_review_invitation_is_not_shown_to_the_employee(world, employee, employee_account):
    invitation = invite(world.enterprise, employee_account)
    assert employee.get(f"/m/invitations/{invitation.pk}/").status_code == 404


def test_i05_expired_invitation_shows_no_buttons_and_post_answers_409(world, employee, employee_account, travel):
    invitation = send(world.enterprise, employee_account)
    travel.move_to(invitation.expires_at)
    page = employee.get(f"/m/invitations/{invitation.pk}/")
    assert page.status_code == 200
    ids = page_ids(page)
    assert "invitation-status" in ids and not {"accept", "decline", "time-left"} & ids
    assert 'data-status="expired"' in page.content.decode()

    response = employee.post(f"/m/invitations/{invitation.pk}/", {"action": "accept"})
    assert response.status_code == 409
    assert 'data-code="invitation_expired"' in response.content.decode()
    assert not Binding.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == "sent"  # the sweep marks it; the rule holds without it


def test_i06_identity_mismatch_is_announced_and_refused(world, employee, employee_account):
    invitation = send(world.enterprise, employee_account, name="李小梅")
    page = employee.get(f"/m/invitations/{invitation.pk}/")
    assert 'data-testid="identity-check" data-match="0"' in page.content.decode()
    response = employee.post(f"/m/invitations/{invitation.pk}/", {"action": "accept"})
    assert response.status_code == 409 and 'data-code="identity_mismatch"' in response.content.decode()
    assert "accept" in page_ids(response)  # still open: the invitation stays sent (I06)


def test_e04_refusal_shows_its_instant_in_local_time(world, employee, employee_account):
    invitation = send(world.enterprise, employee_account)
    world.enterprise.invitations_restricted_until = invitation.sent_at + timedelta(days=30)
    world.enterprise.save()
    response = employee.post(f"/m/invitations/{invitation.pk}/", {"action": "accept"})
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-code="invitations_restricted"' in body
    local = timezone.localtime(world.enterprise.invitations_restricted_until).strftime("%Y-%m-%d %H:%M")
    assert local in body


def test_notifications_newest_first_open_their_invitation_and_are_marked_read(world, employee, employee_account):
    first = send(world.enterprise, employee_account)
    second = send(world.other_enterprise, employee_account, mode=OWNED)
    assert Notification.objects.filter(red_account=employee_account, read_at__isnull=True).count() == 2

    home = employee.get("/m/")
    assert 'data-testid="unread-count">2<' in home.content.decode()

    page = employee.get("/m/notifications/")
    body = page.content.decode()
    assert body.count('data-testid="notification"') == 2 and body.count("data-unread") == 2
    notices = {n.invitation_id: n.pk for n in Notification.objects.filter(red_account=employee_account)}
    assert body.index(f"/m/notifications/{notices[second.pk]}/open/") < body.index(
        f"/m/notifications/{notices[first.pk]}/open/"
    )
    assert world.other_enterprise.name in body
    assert employee.post(f"/m/notifications/{notices[first.pk]}/open/")["Location"] == f"/m/invitations/{first.pk}/"
    employee.post("/m/notifications/read-all/")
    assert not Notification.objects.filter(red_account=employee_account, read_at__isnull=True).exists()
    again = employee.get("/m/notifications/").content.decode()
    assert "data-unread" not in again and 'data-testid="unread-count"' not in again


def test_opening_an_invitation_reads_its_notification(world, employee, employee_account):
    invitation = send(world.enterprise, employee_account)
    employee.get(f"/m/invitations/{invitation.pk}/")
    assert Notification.objects.get(red_account=employee_account, invitation=invitation).read_at is not None


def test_notifications_are_the_employees_own(world, employee_account):
    send(world.enterprise, employee_account)
    page = signed_in(world.users["employee"]).get("/m/notifications/")
    assert page.status_code == 200 and "empty" in page_ids(page) and "notification" not in page_ids(page)


def test_employee_home_summarises_notifications_invitations_and_bindings(world, employee, employee_account):
    invitation = send(world.enterprise, employee_account)
    page = employee.get("/m/")
    ids = page_ids(page)
    assert {"red-account", "summary-unread", "open-invitation", "tabbar"} <= ids
    assert f"/m/invitations/{invitation.pk}/" in page.content.decode()
    employee.post(f"/m/invitations/{invitation.pk}/", {"action": "accept"})
    page = employee.get("/m/")
    assert {"live-binding", "identity-badge", "no-open-invitations"} <= page_ids(page)


def test_pages_need_a_login(world, employee_account):
    for path in ("/m/", "/m/notifications/", "/m/bindings/", "/m/invitations/1/"):
        response = Client().get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), path


def test_b07_employee_unbind_is_locked_for_30_days_then_returns_the_account(
    world, employee, employee_account, travel, t0
):
    binding = bind(world.enterprise, employee_account)
    response = employee.post(f"/m/bindings/{binding.pk}/unbind/")
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-code="unbind_locked"' in body and "violation-instant" in body
    binding.refresh_from_db()
    assert binding.status == "active"

    travel.move_to(t0 + timedelta(days=30))
    employee.force_login(employee_account.user)  # the session has expired meanwhile
    page = employee.get("/m/bindings/")
    assert "unbind" in page_ids(page) and "unbind-locked" not in page_ids(page)
    response = employee.post(f"/m/bindings/{binding.pk}/unbind/")
    assert response.status_code == 302
    binding.refresh_from_db()
    assert (binding.status, binding.end_reason, binding.ended_by) == (
        "ended",
        "unbound_by_employee",
        employee_account.user,
    )


def test_b03_employee_cannot_unbind_an_enterprise_owned_account(world, employee, employee_account):
    binding = bind(world.enterprise, employee_account, OWNED)
    page = employee.get("/m/bindings/")
    assert "enterprise-owned-note" in page_ids(page) and not {"unbind", "unbind-locked"} & page_ids(page)
    assert employee.post(f"/m/bindings/{binding.pk}/unbind/").status_code == 403
    binding.refresh_from_db()
    assert binding.status == "active"


def test_frozen_binding_keeps_the_unbind_button_but_hides_the_badge(world, employee, employee_account, travel, t0):
    binding = bind(world.enterprise, employee_account)
    services.binding_freeze(actor=brand(world.enterprise).actor, binding=binding)
    travel.move_to(t0 + timedelta(days=31))
    employee.force_login(employee_account.user)
    page = employee.get("/m/bindings/")
    assert 'data-status="frozen"' in page.content.decode()
    assert "unbind" in page_ids(page) and "identity-badge" not in page_ids(page)


def test_i03_public_profile_shows_the_badge_only_while_active(world, employee_account):
    anonymous = Client()
    page = anonymous.get("/m/u/95270001/")
    assert page.status_code == 200 and "identity-badge" not in page_ids(page)
    assert "小美导购日记" in page.content.decode() and "tabbar" not in page_ids(page)

    binding = bind(world.enterprise, employee_account)
    page = anonymous.get("/m/u/95270001/")
    assert "identity-badge" in page_ids(page) and "花漾美妆 · 导购" in page.content.decode()

    services.binding_freeze(actor=brand(world.enterprise).actor, binding=binding)  # B02
    page = anonymous.get("/m/u/95270001/")
    assert "identity-badge" not in page_ids(page) and "花漾美妆" not in page.content.decode()

    assert anonymous.get("/m/u/00000000/").status_code == 404


# The staff console -----------------------------------------------------------------------------------------


CONSOLE = (
    "/platform/invitations/",
    "/platform/invitations/{invitation}/",
    "/platform/invitations/{invitation}/proof/",
    "/platform/bindings/",
    "/platform/bindings/{binding}/",
    "/platform/bindings/{binding}/proof/",
)


@pytest.mark.parametrize("actor", ["owner", "operator", "analyst", "agency_reported", "employee", "other_member"])
def test_console_is_403_for_everyone_but_staff(world, employee_account, actor):
    binding = bind(world.enterprise, employee_account)
    ids = {"invitation": binding.invitation_id, "binding": binding.pk}
    client = signed_in(world.users[actor])
    for path in CONSOLE:
        assert client.get(path.format(**ids)).status_code == 403, path
    assert client.post(f"/platform/invitations/{binding.invitation_id}/", {"action": "approve"}).status_code == 403
    assert client.post(f"/platform/bindings/{binding.pk}/", {"reason": "x"}).status_code == 403
    binding.refresh_from_db()
    assert binding.status == "active"


def test_console_sends_anonymous_users_to_log_in():
    response = Client().get("/platform/invitations/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_home_sends_staff_to_the_review_queue(staff):
    response = staff.get("/")
    assert response.status_code == 302 and response.url == "/platform/invitations/"


def test_review_queue_lists_pending_oldest_first_and_filters_by_status(world, staff, employee_account, travel, t0):
    older = invite(world.enterprise, employee_account)
    travel.move_to(t0 + timedelta(minutes=5))
    newer = invite(world.other_enterprise, RedAccountFactory())
    sent = send(world.other_enterprise, RedAccountFactory())

    body = staff.get("/platform/invitations/").content.decode()
    rows = re.findall(r'data-testid="queue-row" data-id="(\d+)"', body)
    assert rows == [str(older.pk), str(newer.pk)]
    assert older.id_number_masked in body and "上海·静安" in body

    body = staff.get("/platform/invitations/?status=sent").content.decode()
    assert re.findall(r'data-testid="queue-row" data-id="(\d+)"', body) == [str(sent.pk)]
    body = staff.get("/platform/invitations/?status=all&q=花漾").content.decode()
    assert re.findall(r'data-testid="queue-row" data-id="(\d+)"', body) == [str(older.pk)]


def test_review_queue_pages(world, staff):
    for _ in range(21):
        invite(world.enterprise, RedAccountFactory())
    first = staff.get("/platform/invitations/").content.decode()
    second = staff.get("/platform/invitations/?page=2").content.decode()
    assert first.count('data-testid="queue-row"') == 20 and second.count('data-testid="queue-row"') == 1


def test_review_detail_shows_the_facts_and_the_proof_inline(world, staff, employee_account):
    invitation = invite(world.enterprise, employee_account)
    page = staff.get(f"/platform/invitations/{invitation.pk}/")
    assert page.status_code == 200
    ids = page_ids(page)
    assert {"proof-image", "decision", "approve", "reject", "account-record", "account-eligible"} <= ids
    assert "enterprise-state" in ids and "acceptance-refusals" not in ids
    body = page.content.decode()
    assert f"/platform/invitations/{invitation.pk}/proof/" in body and invitation.id_number_masked in body


def test_review_detail_warns_of_what_acceptance_would_refuse(world, staff, employee_account):
    invitation = invite(world.enterprise, employee_account)
    employee_account.has_shop = True
    employee_account.save()
    page = staff.get(f"/platform/invitations/{invitation.pk}/")
    assert {"acceptance-refusals", "account-reasons"} <= page_ids(page)


def test_staff_approve_through_the_page(world, staff, employee_account):
    invitation = invite(world.enterprise, employee_account)
    response = staff.post(f"/platform/invitations/{invitation.pk}/", {"action": "approve"})
    assert response.status_code == 302 and response.url == "/platform/invitations/"
    invitation.refresh_from_db()
    assert invitation.status == "sent" and invitation.reviewed_by == world.users["staff"]
    assert invitation.expires_at - invitation.sent_at == timedelta(hours=48)
    again = staff.post(f"/platform/invitations/{invitation.pk}/", {"action": "approve"})
    assert again.status_code == 409 and 'data-code="invitation_not_open"' in again.content.decode()


def test_staff_reject_needs_a_reason(world, staff, employee_account, unchanged):
    invitation = invite(world.enterprise, employee_account)
    with unchanged():
        response = staff.post(f"/platform/invitations/{invitation.pk}/", {"action": "reject", "reason": "  "})
    assert response.status_code == 400 and "reason-error" in page_ids(response)
    response = staff.post(f"/platform/invitations/{invitation.pk}/", {"action": "reject", "reason": "证明模糊"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.status, invitation.review_reason) == ("rejected", "证明模糊")
    page = staff.get(f"/platform/invitations/{invitation.pk}/")
    assert "outcome" in page_ids(page) and "approve" not in page_ids(page)


def test_staff_unknown_action_is_400(world, staff, employee_account, unchanged):
    invitation = invite(world.enterprise, employee_account)
    with unchanged():
        assert staff.post(f"/platform/invitations/{invitation.pk}/", {"action": "?"}).status_code == 400


@pytest.mark.parametrize(
    ("proof", "content_type", "testid"),
    [
        (None, "image/png", "proof-image"),
        (CleanProof(pdf_bytes(), "application/pdf", ".pdf"), "application/pdf", "proof-pdf"),
    ],
)
def test_proof_is_served_inline_with_its_type_and_nosniff(world, staff, employee_account, proof, content_type, testid):
    details = employee_details(employee_account)
    if proof:
        details = dataclasses.replace(details, proof=proof)
    invitation = services.invitation_create(
        workspace=brand(world.enterprise), red_account=employee_account, mode=PERSONAL, details=details
    )
    assert testid in page_ids(staff.get(f"/platform/invitations/{invitation.pk}/"))
    response = staff.get(f"/platform/invitations/{invitation.pk}/proof/")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # shown in the review page's iframe, nowhere else
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:4] in (b"\x89PNG", b"%PDF")


def test_bindings_search_filters_and_pages(world, staff, employee_account):
    mine = bind(world.enterprise, employee_account)
    other = bind(world.other_enterprise, RedAccountFactory(nickname="别家员工"), OWNED)
    body = staff.get("/platform/bindings/").content.decode()
    assert set(re.findall(r'data-testid="binding-row" data-id="(\d+)"', body)) == {str(mine.pk), str(other.pk)}
    body = staff.get("/platform/bindings/?mode=enterprise_owned").content.decode()
    assert re.findall(r'data-testid="binding-row" data-id="(\d+)"', body) == [str(other.pk)]
    body = staff.get("/platform/bindings/?q=95270001&status=active").content.decode()
    assert re.findall(r'data-testid="binding-row" data-id="(\d+)"', body) == [str(mine.pk)]
    assert "empty" in page_ids(staff.get("/platform/bindings/?status=ended"))


def test_e04_removal_for_violation_needs_a_reason_and_ignores_the_unbind_lock(
    world, staff, employee_account, unchanged, travel
):
    binding = bind(world.enterprise, employee_account)  # inside the 30-day lock (B07)
    page = staff.get(f"/platform/bindings/{binding.pk}/")
    assert {"removal", "remove", "proof-image"} <= page_ids(page)
    assert "30" in page.content.decode().split('data-confirm="')[1].split('"')[0]
    with unchanged():
        response = staff.post(f"/platform/bindings/{binding.pk}/", {"reason": ""})
    assert response.status_code == 400 and "reason-error" in page_ids(response)

    response = staff.post(f"/platform/bindings/{binding.pk}/", {"reason": "在职证明系伪造"})
    assert response.status_code == 302
    binding.refresh_from_db()
    world.enterprise.refresh_from_db()
    assert (binding.status, binding.end_reason) == ("ended", "removed_for_violation")
    assert world.enterprise.invitations_restricted_until - binding.ended_at == timedelta(days=30)
    page = staff.get(f"/platform/bindings/{binding.pk}/")
    assert "removal" not in page_ids(page)
    again = staff.post(f"/platform/bindings/{binding.pk}/", {"reason": "again"})
    assert again.status_code == 409 and 'data-code="binding_not_active"' in again.content.decode()


def test_unknown_objects_are_404_for_staff(staff):
    for path in ("/platform/invitations/999999/", "/platform/bindings/999999/", "/platform/invitations/999999/proof/"):
        assert staff.get(path).status_code == 404, path


def test_staff_console_link_in_the_navbar(staff):
    assert 'href="/platform/invitations/"' in staff.get("/platform/bindings/").content.decode()


def test_empty_review_queue_says_so(staff):
    assert "empty" in page_ids(staff.get("/platform/invitations/"))


def test_b10_console_history_reads_each_record_in_words(world, staff, employee_account):
    """The review console's history renders through the audit display layer, as the brand's 操作日志: the action,
    the object by its name, each change with its field and states in words — never a code."""
    invitation = send(world.enterprise, employee_account)
    binding = services.invitation_accept(actor=Actor(user=employee_account.user), invitation=invitation)
    services.binding_freeze(actor=brand(world.enterprise).actor, binding=binding, reason="离职交接中")

    for url in (f"/platform/invitations/{invitation.pk}/", f"/platform/bindings/{binding.pk}/"):
        html = staff.get(url).content.decode()
        history = re.search(r'data-testid="history">(.*?)</ul>', html, re.S).group(1)
        text = re.sub(r"<[^>]+>", " ", history)
        assert 'data-testid="history-object"' in history and 'data-testid="history-changes"' in history
        assert f"小红书号{employee_account.red_id}" in text
        assert not re.search(r"\b(pending_review|sent|accepted|active|frozen|bindings\.\w+|status)\b", text)
    binding_history = staff.get(f"/platform/bindings/{binding.pk}/").content.decode()
    assert "离职交接中" in binding_history and "已冻结" in binding_history
