"""Password reset by e-mail (Django's own views, the product's templates): the login page links it; the answer never
says whether an address has a login; the mailed link sets a new password once, and that revokes every user token and
other session of the user, as a change does; the lockout still holds. And the change-password page works for every
kind of user."""

import logging
import re
import smtplib
import uuid

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts import password_reset, services, tasks
from accounts.models import ApiKey, AuditEvent, User

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
NEW_PASSWORD = "Reset-pass-2026!"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture(autouse=True)
def fresh_limits(monkeypatch):
    """Each test counts its reset requests afresh: its own cache keys (they expire with their window)."""
    run = uuid.uuid4().hex
    key = password_reset.limit_key
    monkeypatch.setattr(password_reset, "limit_key", lambda kind, value: f"{run}:{key(kind, value)}")


@pytest.fixture
def owner(world) -> User:
    user = world.users["owner"]
    user.email = "owner@example.com"
    user.save(update_fields=["email"])
    return user


def ask_for_link(email: str, language: str | None = None, ip: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=ip)
    if language:
        client.cookies["kos_language"] = language
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/done/"
    return client


def test_the_login_page_links_the_reset_in_chinese_and_english(client):
    page = client.get("/accounts/login/").content.decode()
    assert f'href="{RESET}"' in page and "忘记密码？" in page
    client.cookies["kos_language"] = "en"
    assert "Forgot your password?" in client.get("/accounts/login/").content.decode()


def test_the_reset_pages_are_in_the_products_look_and_language(client):
    form = client.get(RESET)
    assert form.status_code == 200
    content = form.content.decode()
    assert "重置密码" in content and 'name="email"' in content and "vendor/bootstrap" in content
    assert "<script>" not in content
    done = client.get("/accounts/password/reset/done/").content.decode()
    assert "请查收邮件" in done
    client.cookies["kos_language"] = "en"
    assert "Reset your password" in client.get(RESET).content.decode()


def test_a_reset_mail_is_sent_and_its_link_sets_a_new_password_and_revokes_tokens_and_sessions(world, owner):
    used = services.user_token_create(user=owner)[1]
    other_token = services.user_token_create(user=owner)[1]
    signed_in = Client()
    signed_in.force_login(owner)
    assert signed_in.get("/").url == f"/w/{world.enterprise.pk}/"

    ask_for_link("OWNER@example.com")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.com"]
    assert message.subject == "重置你在 KOS 平台的密码"
    assert "brand_owner" in message.body and "三天后失效" in message.body
    path = LINK.search(message.body).group(1)

    browser = Client()
    landing = browser.get(path)  # Django swaps the token for a session key and redirects to .../set-password/
    assert landing.status_code == 302
    form = browser.get(landing.url)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    weak = browser.post(landing.url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 400
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)

    done = browser.post(landing.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done.url == "/accounts/password/reset/complete/"
    assert "密码已设置" in browser.get(done.url).content.decode()
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert bearer(used).get("/api/v1/me/").status_code == 401
    assert bearer(other_token).get("/api/v1/me/").status_code == 401
    assert not ApiKey.objects.filter(user=owner, revoked_at__isnull=True).exists()
    assert signed_in.get("/").url.startswith("/accounts/login/")
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.object_id == str(owner.pk) and event.actor == owner and event.after == {"tokens_revoked": 2}
    # the link works once
    again = Client().get(path, follow=True)
    assert 'data-testid="password-reset-invalid"' in again.content.decode()
    # and the new password signs in
    token = APIClient().post("/api/v1/auth/token/", {"username": "brand_owner", "password": NEW_PASSWORD})
    assert token.status_code == 200


def test_the_mail_is_in_english_for_an_english_reader(world, owner):
    ask_for_link("owner@example.com", language="en")
    assert mail.outbox[0].subject == "Reset your password on the KOS platform"
    assert "expires in three days" in mail.outbox[0].body


def test_the_answer_does_not_reveal_whether_an_address_has_a_login(world, owner):
    known = ask_for_link("owner@example.com")
    unknown = ask_for_link("nobody@example.com")

    assert len(mail.outbox) == 1
    known_page = known.get("/accounts/password/reset/done/").content.decode()
    unknown_page = unknown.get("/accounts/password/reset/done/").content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert strip.sub("", known_page) == strip.sub("", unknown_page)


def test_no_mail_for_an_inactive_user(world, owner):
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    ask_for_link("owner@example.com")
    assert mail.outbox == []


def test_a_malformed_address_is_said_and_nothing_is_sent(client):
    response = client.post(RESET, {"email": "not-an-address"})
    assert response.status_code == 200 and 'id="id_email_errors"' in response.content.decode()
    assert mail.outbox == []


def test_a_forged_link_does_not_work(world, owner):
    response = Client().get("/accounts/password/reset/MQ/forged-token/", follow=True)
    assert 'data-testid="password-reset-invalid"' in response.content.decode()


def test_the_sign_in_lockout_still_holds_after_a_reset(world, owner):
    """django-axes stays: ten failures lock the username, and a reset does not lift the lock."""
    client = APIClient()
    for _ in range(10):
        client.post("/api/v1/auth/token/", {"username": "brand_owner", "password": "wrong"}, format="json")
    ask_for_link("owner@example.com")
    path = LINK.search(mail.outbox[0].body).group(1)
    browser = Client()
    landing = browser.get(path)
    browser.post(landing.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    locked = client.post("/api/v1/auth/token/", {"username": "brand_owner", "password": NEW_PASSWORD}, format="json")
    assert locked.status_code == 429 and locked.json()["code"] == "throttled"


@pytest.mark.parametrize("actor", ["staff", "agency_reported", "analyst", "employee", "admin"])
def test_every_kind_of_user_changes_their_password_from_the_linked_page(world, actor):
    user = world.users[actor]
    client = Client()
    client.force_login(user)
    start = client.get("/", follow=True)
    assert 'href="/accounts/password/"' in start.content.decode()

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def done_page(client: Client) -> str:
    page = client.get("/accounts/password/reset/done/").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", page)


def test_resets_are_limited_to_5_an_hour_per_address_and_a_refusal_reads_the_same(world, owner):
    answered = [ask_for_link("owner@example.com", ip=f"10.0.0.{i}") for i in range(1, 7)]

    assert len(mail.outbox) == 5  # the sixth, from yet another IP, sends nothing
    assert done_page(answered[-1]) == done_page(answered[0])
    ask_for_link("other@example.com", ip="10.0.0.9")  # another address is counted on its own
    assert len(mail.outbox) == 5


def test_resets_are_limited_to_5_an_hour_per_client_ip(world, owner):
    for i in range(5):
        ask_for_link(f"nobody{i}@example.com", ip="10.0.0.1")
    refused = ask_for_link("owner@example.com", ip="10.0.0.1")
    assert mail.outbox == [] and "请查收邮件" in done_page(refused)
    ask_for_link("owner@example.com", ip="10.0.0.2")
    assert len(mail.outbox) == 1


def test_the_mail_is_queued_off_the_request_path(world, owner, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.send_password_reset_mail, "delay", lambda **kwargs: queued.append(kwargs))

    ask_for_link("owner@example.com")

    assert mail.outbox == [] and len(queued) == 1
    assert queued[0]["to_email"] == "owner@example.com" and queued[0]["user_id"] == owner.pk
    assert queued[0]["subject"] == "重置你在 KOS 平台的密码" and LINK.search(queued[0]["body"])


def test_an_smtp_failure_is_logged_and_the_answer_is_the_same(world, owner, monkeypatch, caplog):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("connection closed")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with caplog.at_level(logging.ERROR, logger="accounts.tasks"):
        client = ask_for_link("owner@example.com")

    assert "请查收邮件" in done_page(client)
    assert [record.getMessage() for record in caplog.records] == [f"Password-reset mail for user {owner.pk} not sent"]
