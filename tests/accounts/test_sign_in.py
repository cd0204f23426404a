"""Sign-in protection (API.md "Sign-in"): the lockout after 10 failures, user tokens' expiry and revocation, and
password changes."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient, APIRequestFactory

from accounts import services
from accounts.choices import ApiKeyScope
from accounts.models import ApiKey, AuditEvent, User
from kos_platform import clock
from kos_platform.authentication import BearerKeyAuthentication
from kos_platform.tenancy import Actor

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
LOGIN = "/accounts/login/"
PASSWORD_API = "/api/v1/me/password/"
PASSWORD_PAGE = "/accounts/password/"
NEW_PASSWORD = "spring-tide-2027"
LOCKED_ZH = "该用户名登录失败次数过多，请在15分钟后重试。"


@pytest.fixture
def frozen():
    with time_machine.travel(clock.now().replace(microsecond=0), tick=False) as traveller:
        yield traveller


def token_attempt(username: str, password: str, **headers):
    return APIClient().post(TOKEN, {"username": username, "password": password}, format="json", **headers)


def page_attempt(username: str, password: str, client: Client | None = None):
    return (client or Client()).post(LOGIN, {"username": username, "password": password})


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def fail(times: int, username: str = "brand_owner", via=token_attempt) -> list[int]:
    return [via(username, "wrong-password").status_code for _ in range(times)]


# The lockout ------------------------------------------------------------------------------------------------------


def test_ten_wrong_passwords_on_the_token_endpoint_refuse_the_right_one_with_429(world, frozen):
    assert fail(10) == [400] * 9 + [429]

    response = token_attempt("brand_owner", PASSWORD)

    assert response.status_code == 429
    assert response.json() == {"code": "throttled", "detail": LOCKED_ZH, "retry_after": 900}
    assert response["Retry-After"] == "900"
    assert not ApiKey.objects.filter(user=world.users["owner"]).exists()
    english = token_attempt("brand_owner", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Too many failed sign-in attempts for this username. Try again in 15 minutes."


def test_failures_on_the_token_endpoint_lock_the_login_page_too(world, frozen):
    fail(10)
    frozen.shift(timedelta(minutes=5))
    client = Client()

    response = page_attempt("brand_owner", PASSWORD, client)

    assert response.status_code == 429
    page = response.content.decode()
    assert "该用户名登录失败次数过多，请在10分钟后重试。" in page
    assert 'value="brand_owner"' in page and 'name="password"' in page  # the login page again, not axes' own
    assert response["Retry-After"] == "600"
    assert "_auth_user_id" not in client.session


def test_failures_on_the_login_page_lock_the_token_endpoint_too(world, frozen):
    assert fail(10, via=page_attempt) == [200] * 9 + [429]

    response = token_attempt("brand_owner", PASSWORD)

    assert response.status_code == 429 and response.json()["retry_after"] == 900


def test_failures_from_both_sides_add_up(world, frozen):
    fail(5)
    fail(5, via=page_attempt)

    assert token_attempt("brand_owner", PASSWORD).status_code == 429


def test_another_username_is_unaffected(world, frozen):
    fail(10)

    assert token_attempt("brand_admin", PASSWORD).status_code == 200
    assert page_attempt("brand_admin", PASSWORD).status_code == 302
    assert token_attempt("brand_owner", PASSWORD).status_code == 429


def test_nine_failures_do_not_lock(world, frozen):
    fail(9)

    assert token_attempt("brand_owner", PASSWORD).status_code == 200


def test_the_right_password_works_again_15_minutes_after_the_failures(world, frozen):
    fail(10)
    frozen.shift(timedelta(minutes=14, seconds=59))
    still = token_attempt("brand_owner", PASSWORD)
    assert still.status_code == 429 and still.json()["retry_after"] == 1

    frozen.shift(timedelta(seconds=2))

    assert token_attempt("brand_owner", PASSWORD).status_code == 200
    assert page_attempt("brand_owner", PASSWORD).status_code == 302


def test_attempts_during_the_lockout_do_not_extend_it(world, frozen):
    fail(10)
    for minutes in (3, 5, 2):  # at +3, +8 and +10 minutes: wrong and right passwords, both sides
        frozen.shift(timedelta(minutes=minutes))
        assert fail(2) == [429, 429] and fail(1, via=page_attempt) == [429]
        assert token_attempt("brand_owner", PASSWORD).status_code == 429
    assert token_attempt("brand_owner", PASSWORD).json()["retry_after"] == 300

    frozen.shift(timedelta(minutes=5, seconds=1))

    assert token_attempt("brand_owner", PASSWORD).status_code == 200
    assert AccessAttempt.objects.get(username="brand_owner").failures_since_start == 10


def test_a_lockout_writes_one_audit_record_and_staff_see_it_in_the_admin(world, frozen):
    fail(10)
    fail(3)
    fail(2, via=page_attempt)
    token_attempt("brand_owner", PASSWORD)

    events = AuditEvent.objects.filter(action="user.locked_out")
    assert events.count() == 1
    event = events.get()
    assert (event.object_type, event.object_id) == ("accounts.user", str(world.users["owner"].pk))
    assert event.after["username"] == "brand_owner" and event.after["failures"] == 10
    assert event.after["locked_until"] == clock.instant(clock.now() + timedelta(minutes=15))
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(root)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "brand_owner" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="brand_owner")
    assert admin.get(f"/admin/axes/accessattempt/{attempt.pk}/change/").status_code == 200
    audit_list = admin.get("/admin/accounts/auditevent/?action=user.locked_out")
    assert audit_list.status_code == 200 and str(world.users["owner"]) in audit_list.content.decode()


def test_a_second_lockout_writes_a_second_record(world, frozen):
    fail(10)
    frozen.shift(timedelta(minutes=15, seconds=1))
    assert fail(10) == [400] * 9 + [429]

    assert AuditEvent.objects.filter(action="user.locked_out").count() == 2


def test_a_lockout_of_an_unknown_username_is_recorded_on_the_attempt(world, frozen):
    assert fail(10, username="nobody") == [400] * 9 + [429]

    event = AuditEvent.objects.get(action="user.locked_out")
    assert event.object_type == "axes.accessattempt" and event.after["username"] == "nobody"


# User tokens ------------------------------------------------------------------------------------------------------


def test_a_user_token_lives_30_days(world, frozen):
    response = token_attempt("brand_owner", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["expires_at"] == clock.instant(clock.now() + timedelta(days=30))
    assert body["expires_at"].endswith("+08:00")
    client = bearer(body["token"])

    frozen.shift(timedelta(days=29))
    assert client.get("/api/v1/me/").status_code == 200

    frozen.shift(timedelta(days=2))
    expired = client.get("/api/v1/me/")
    assert expired.status_code == 401 and expired.json()["code"] == "authentication_failed"


def test_a_user_token_stops_at_its_expiry_instant(world, frozen):
    client = bearer(token_attempt("brand_owner", PASSWORD).json()["token"])

    frozen.shift(timedelta(days=30) - timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 200
    frozen.shift(timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401


def test_integration_keys_do_not_expire(world, frozen):
    _key, raw = services.api_key_create(actor=Actor(user=world.users["staff"]), name="ops", scope=ApiKeyScope.PLATFORM)
    assert _key.expires_at is None

    frozen.shift(timedelta(days=400))

    assert bearer(raw).get("/api/v1/me/").status_code == 200


def test_delete_token_revokes_the_token_of_the_request(world):
    raw = token_attempt("brand_owner", PASSWORD).json()["token"]
    other = services.user_token_create(user=world.users["owner"])[1]
    client = bearer(raw)

    response = client.delete(TOKEN)

    assert response.status_code == 204
    after = client.get("/api/v1/me/")
    assert after.status_code == 401 and after.json()["code"] == "authentication_failed"
    assert bearer(other).get("/api/v1/me/").status_code == 200
    revoked = ApiKey.objects.get(prefix=raw[:12])
    assert AuditEvent.objects.filter(action="api_key.revoked", object_id=str(revoked.pk)).exists()


def test_delete_token_without_a_user_token_is_400(world, unchanged):
    _key, raw = services.api_key_create(
        actor=Actor(user=world.users["owner"]), name="erp", scope=ApiKeyScope.ENTERPRISE, enterprise=world.enterprise
    )
    session = APIClient()
    session.force_login(world.users["owner"])

    with unchanged():
        by_key = bearer(raw).delete(TOKEN)
        by_session = session.delete(TOKEN)
        anonymous = APIClient().delete(TOKEN)

    for response in (by_key, by_session):
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
        assert response.json()["fields"]["non_field_errors"] == ["此处只能撤销用户令牌，请使用用户令牌调用。"]
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    assert bearer(raw).get("/api/v1/me/").status_code == 200


def test_a_bearer_token_is_checked_in_one_query(world):
    raw = services.user_token_create(user=world.users["owner"])[1]
    bearer(raw).get("/api/v1/me/")  # stamps last_used_at, which is then fresh for a minute
    request = APIRequestFactory().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}")

    with CaptureQueriesContext(connection) as queries:
        user, key = BearerKeyAuthentication().authenticate(request)

    assert len(queries) == 1 and user == world.users["owner"] and key.scope == ApiKeyScope.USER


# Password change --------------------------------------------------------------------------------------------------


def test_password_change_through_the_api_revokes_every_token_and_the_other_sessions(world):
    owner = world.users["owner"]
    used = services.user_token_create(user=owner)[1]
    other = services.user_token_create(user=owner)[1]
    browser = Client()
    browser.force_login(owner)
    assert browser.get("/").url == f"/w/{world.enterprise.pk}/"

    response = bearer(used).post(PASSWORD_API, {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json")

    assert response.status_code == 204
    assert bearer(used).get("/api/v1/me/").status_code == 401
    assert bearer(other).get("/api/v1/me/").status_code == 401
    assert not ApiKey.objects.filter(user=owner, revoked_at__isnull=True).exists()
    assert browser.get("/").url.startswith(LOGIN)
    assert token_attempt("brand_owner", PASSWORD).status_code == 400
    fresh = token_attempt("brand_owner", NEW_PASSWORD)
    assert fresh.status_code == 200 and bearer(fresh.json()["token"]).get("/api/v1/me/").status_code == 200
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.object_id == str(owner.pk) and event.after == {"tokens_revoked": 2}


def test_password_change_through_the_api_keeps_the_session_that_made_it(world):
    owner = world.users["owner"]
    session = APIClient()
    session.force_login(owner)

    response = session.post(PASSWORD_API, {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json")

    assert response.status_code == 204
    assert session.get("/api/v1/me/").status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)


def test_a_wrong_old_password_is_400_naming_old_password_and_changes_nothing(world, unchanged):
    raw = services.user_token_create(user=world.users["owner"])[1]

    with unchanged():
        response = bearer(raw).post(
            PASSWORD_API, {"old_password": "not-my-password", "new_password": NEW_PASSWORD}, format="json"
        )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["old_password"]
    assert bearer(raw).get("/api/v1/me/").status_code == 200
    assert token_attempt("brand_owner", PASSWORD).status_code == 200


@pytest.mark.parametrize("weak", ["12345678", "password", "short1"])
def test_a_weak_new_password_is_400_naming_new_password(world, unchanged, weak):
    raw = services.user_token_create(user=world.users["owner"])[1]

    with unchanged():
        response = bearer(raw).post(
            PASSWORD_API, {"old_password": PASSWORD, "new_password": weak}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["new_password"]
    assert body["fields"]["new_password"] and all(isinstance(m, str) for m in body["fields"]["new_password"])


def test_a_password_set_through_the_admin_revokes_the_users_tokens(world):
    employee = world.users["employee"]
    raw = services.user_token_create(user=employee)[1]
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(root)

    response = admin.post(
        f"/admin/accounts/user/{employee.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert bearer(raw).get("/api/v1/me/").status_code == 401
    assert token_attempt("employee", NEW_PASSWORD).status_code == 200


def test_set_password_and_save_revokes_the_users_tokens(world):
    employee = User.objects.get(username="employee")
    raw = services.user_token_create(user=employee)[1]

    employee.set_password(NEW_PASSWORD)
    employee.save()

    assert bearer(raw).get("/api/v1/me/").status_code == 401
    assert bearer(services.user_token_create(user=employee)[1]).get("/api/v1/me/").status_code == 200


def test_integration_keys_survive_a_password_change_of_their_principal(world):
    key, raw = services.api_key_create(actor=Actor(user=world.users["staff"]), name="ops", scope=ApiKeyScope.PLATFORM)
    key.user.set_password(NEW_PASSWORD)
    key.user.save()

    assert bearer(raw).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize(("actor", "start"), [("employee", "/m/"), ("owner", "/w/{eid}/")])
def test_the_change_password_page_changes_the_password_and_keeps_this_session(world, actor, start):
    user = world.users[actor]
    raw = services.user_token_create(user=user)[1]
    other = Client()
    other.force_login(user)
    client = Client()
    client.force_login(user)
    home = client.get(start.format(eid=world.enterprise.pk)).content.decode()
    assert f'href="{PASSWORD_PAGE}"' in home

    page = client.get(PASSWORD_PAGE)
    assert page.status_code == 200
    assert "修改密码" in page.content.decode() and 'name="old_password"' in page.content.decode()

    response = client.post(
        PASSWORD_PAGE, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302 and response.url == "/"
    landed = client.get("/", follow=True)
    assert landed.redirect_chain[-1][0] == start.format(eid=world.enterprise.pk)
    assert "密码已修改" in landed.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert bearer(raw).get("/api/v1/me/").status_code == 401
    assert other.get("/").url.startswith(LOGIN)


def test_the_change_password_page_refuses_a_wrong_old_password_and_a_weak_new_one(world):
    client = Client()
    client.force_login(world.users["owner"])

    wrong = client.post(
        PASSWORD_PAGE, {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    weak = client.post(
        PASSWORD_PAGE, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    mismatch = client.post(
        PASSWORD_PAGE, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "other-2027-pass"}
    )

    assert [wrong.status_code, weak.status_code, mismatch.status_code] == [400, 400, 400]
    assert 'id="id_old_password_errors"' in wrong.content.decode()
    assert 'id="id_new_password2_errors"' in weak.content.decode()
    assert 'id="id_new_password2_errors"' in mismatch.content.decode()
    owner = User.objects.get(pk=world.users["owner"].pk)
    assert owner.check_password(PASSWORD) and not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_the_change_password_page_needs_a_signed_in_user(client):
    response = client.get(PASSWORD_PAGE)

    assert response.status_code == 302 and response.url.startswith(LOGIN)
