"""Team management (成员管理): `GET/POST /api/v1/enterprises/{eid}/members/`, `PATCH/DELETE …/members/{id}/` and the
page `/w/<id>/team/`. Every member reads the team; owners and admins change it; an admin never touches an owner; the
last owner can neither be demoted nor removed (409 `last_owner`), also when two demotions race; every change is
audited. The permission matrix rows are in tests/accounts/matrix_team.py."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts import services
from accounts.choices import ApiKeyScope, Role
from accounts.models import AuditEvent, Membership, User
from kos_platform.tenancy import Actor

from ..conftest import World
from ..factories import PASSWORD, MembershipFactory, UserFactory, user_token

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Team-pass-2026!"


def members_url(world, rest=""):
    return f"/api/v1/enterprises/{world.enterprise.pk}/members/{rest}"


def membership(world, actor) -> Membership:
    return Membership.objects.get(enterprise=world.enterprise, user=world.users[actor])


def team_page(world):
    return f"/w/{world.enterprise.pk}/team/"


@pytest.fixture(autouse=True)
def clients_made_first(world):
    """The owner's and the admin's API clients are made (their tokens issued) before any `unchanged()` block opens."""
    made = {actor: World.client(world, actor) for actor in ("owner", "admin")}
    world.client = lambda actor: made.get(actor) or World.client(world, actor)


@pytest.fixture
def browser(world):
    """A signed-in page client for a world actor, reading Chinese (the default) pages."""

    def login(actor):
        client = Client()
        client.force_login(world.users[actor])
        return client

    return login


# The API ----------------------------------------------------------------------------------------------------------


def test_the_list_shows_every_member_with_role_and_joined_but_no_api_key_logins(world):
    services.api_key_create(
        actor=Actor(user=world.users["owner"]), name="erp", scope=ApiKeyScope.ENTERPRISE, enterprise=world.enterprise
    )
    response = world.client("analyst").get(members_url(world))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [(row["username"], row["role"]) for row in body["results"]] == [
        ("brand_analyst", "analyst"),
        ("brand_operator", "operator"),
        ("brand_admin", "admin"),
        ("brand_owner", "owner"),
    ]
    assert set(body["results"][0]) == {"id", "username", "display_name", "role", "created_at"}
    assert world.client("operator").get(members_url(world) + "?role=owner").json()["count"] == 1
    assert world.client("operator").get(members_url(world) + "?role=boss").status_code == 400
    assert world.client("operator").get(members_url(world) + "?ordering=-role").status_code == 200


def test_the_list_runs_a_constant_number_of_queries_at_page_sizes_1_20_100(world):
    for n in range(100):
        MembershipFactory(enterprise=world.enterprise, role=Role.ANALYST, user__username=f"extra{n}")
    client = world.client("owner")
    client.get(members_url(world))  # records the token's first use

    def count(size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(members_url(world) + f"?page_size={size}")
        assert len(response.json()["results"]) == size
        return len(queries)

    counts = [count(size) for size in (1, 20, 100)]
    assert counts[0] == counts[1] == counts[2] <= 4, counts  # the token, the workspace, the count, the page


def test_an_owner_adds_a_new_login_with_a_password_and_it_can_sign_in(world):
    response = world.client("owner").post(
        members_url(world),
        {
            "username": "new_op",
            "role": "operator",
            "display_name": "新运营",
            "password": NEW_PASSWORD,
            "email": "new_op@example.com",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["display_name"], body["role"]) == ("new_op", "新运营", "operator")
    user = User.objects.get(username="new_op")
    assert user.check_password(NEW_PASSWORD) and user.email == "new_op@example.com"
    token = APIClient().post("/api/v1/auth/token/", {"username": "new_op", "password": NEW_PASSWORD}, format="json")
    assert token.status_code == 200
    event = AuditEvent.objects.get(action="membership.added")
    assert event.enterprise_id == world.enterprise.pk and event.actor == world.users["owner"]
    assert event.after == {"user": "new_op", "role": "operator", "new_user": True}


def test_an_existing_login_is_added_as_it_is_its_password_and_name_untouched(world):
    outsider = UserFactory(username="outsider", display_name="外人")

    response = world.client("admin").post(
        members_url(world),
        {"username": "outsider", "role": "analyst", "display_name": "改名", "password": "Other-pass-2026"},
        format="json",
    )

    assert response.status_code == 201
    outsider.refresh_from_db()
    assert outsider.display_name == "外人" and outsider.check_password(PASSWORD)
    assert AuditEvent.objects.get(action="membership.added").after["new_user"] is False


def test_a_new_login_needs_a_password_that_passes_the_validators(world, unchanged):
    with unchanged():
        missing = world.client("owner").post(members_url(world), {"username": "nopass", "role": "analyst"})
        weak = world.client("owner").post(
            members_url(world), {"username": "weak", "role": "analyst", "password": "12345678"}
        )
        bad_role = world.client("owner").post(
            members_url(world), {"username": "x1", "role": "boss", "password": NEW_PASSWORD}
        )
        bad_name = world.client("owner").post(
            members_url(world), {"username": "has space", "role": "analyst", "password": NEW_PASSWORD}
        )
    assert [r.status_code for r in (missing, weak, bad_role, bad_name)] == [400] * 4
    assert "password" in missing.json()["fields"] and "password" in weak.json()["fields"]
    assert "role" in bad_role.json()["fields"] and "username" in bad_name.json()["fields"]


def test_adding_a_member_twice_is_409_member_exists(world, unchanged):
    with unchanged():
        response = world.client("owner").post(members_url(world), {"username": "brand_analyst", "role": "admin"})
    assert response.status_code == 409 and response.json()["code"] == "member_exists"


def test_an_api_keys_login_cannot_be_added(world, unchanged):
    key, _raw = services.api_key_create(
        actor=Actor(user=world.users["staff"]), name="ops", scope=ApiKeyScope.AGENCY, agency=world.agency
    )
    with unchanged():
        response = world.client("owner").post(members_url(world), {"username": key.user.username, "role": "analyst"})
    assert response.status_code == 400 and "username" in response.json()["fields"]


def test_an_owner_changes_a_role_and_it_is_audited(world):
    target = membership(world, "operator")

    response = world.client("owner").patch(members_url(world, f"{target.pk}/"), {"role": "admin"}, format="json")

    assert response.status_code == 200 and response.json()["role"] == "admin"
    target.refresh_from_db()
    assert target.role == "admin"
    event = AuditEvent.objects.get(action="membership.role_changed")
    assert event.before == {"user": "brand_operator", "role": "operator"}
    assert event.after == {"user": "brand_operator", "role": "admin"}
    assert event.object_id == str(target.pk) and event.enterprise_id == world.enterprise.pk


def test_setting_the_same_role_changes_nothing(world, unchanged):
    target = membership(world, "operator")
    with unchanged():
        response = world.client("owner").patch(members_url(world, f"{target.pk}/"), {"role": "operator"})
    assert response.status_code == 200


def test_an_owner_removes_a_member_who_loses_the_workspace_at_once(world):
    target = membership(world, "operator")
    operator = world.client("operator")
    assert operator.get(f"/api/v1/enterprises/{world.enterprise.pk}/").status_code == 200

    response = world.client("owner").delete(members_url(world, f"{target.pk}/"))

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert User.objects.filter(username="brand_operator").exists()
    assert operator.get(f"/api/v1/enterprises/{world.enterprise.pk}/").status_code == 404
    event = AuditEvent.objects.get(action="membership.removed")
    assert event.before == {"user": "brand_operator", "role": "operator"} and event.object_id == str(target.pk)


@pytest.mark.parametrize(
    ("method", "body"),
    [("patch", {"role": "admin"}), ("patch", {"role": "analyst"}), ("delete", {})],
    ids=["demote-to-admin", "demote-to-analyst", "remove"],
)
def test_an_admin_cannot_change_or_remove_an_owner(world, unchanged, method, body):
    owner = membership(world, "owner")
    with unchanged():
        response = getattr(world.client("admin"), method)(members_url(world, f"{owner.pk}/"), body, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_an_admin_cannot_make_anyone_owner(world, unchanged):
    operator = membership(world, "operator")
    with unchanged():
        promote = world.client("admin").patch(members_url(world, f"{operator.pk}/"), {"role": "owner"}, format="json")
        add = world.client("admin").post(
            members_url(world), {"username": "boss2", "role": "owner", "password": NEW_PASSWORD}, format="json"
        )
    assert (promote.status_code, add.status_code) == (403, 403)


def test_an_admin_manages_admins_operators_and_analysts_and_may_step_down(world):
    admin = world.client("admin")
    analyst = membership(world, "analyst")
    assert admin.patch(members_url(world, f"{analyst.pk}/"), {"role": "admin"}, format="json").status_code == 200
    own = membership(world, "admin")
    assert admin.patch(members_url(world, f"{own.pk}/"), {"role": "operator"}, format="json").status_code == 200
    # now an operator: no more team changes
    assert admin.delete(members_url(world, f"{analyst.pk}/")).status_code == 403


def test_an_owner_can_make_another_owner_then_step_down(world):
    owner = world.client("owner")
    admin = membership(world, "admin")
    assert owner.patch(members_url(world, f"{admin.pk}/"), {"role": "owner"}, format="json").status_code == 200
    own = membership(world, "owner")
    assert owner.patch(members_url(world, f"{own.pk}/"), {"role": "admin"}, format="json").status_code == 200
    assert list(
        Membership.objects.filter(enterprise=world.enterprise, role="owner").values_list("user__username", flat=True)
    ) == ["brand_admin"]


@pytest.mark.parametrize(("method", "body"), [("patch", {"role": "admin"}), ("delete", {})], ids=["demote", "leave"])
def test_the_last_owner_cannot_be_demoted_or_leave_409_last_owner(world, unchanged, method, body):
    own = membership(world, "owner")
    with unchanged():
        response = getattr(world.client("owner"), method)(members_url(world, f"{own.pk}/"), body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "last_owner"
    assert "所有者" in response.json()["detail"]


def test_an_api_keys_owner_login_does_not_count_as_an_owner(world, unchanged):
    """A key created with the owner role is no person who could manage the team: the last person owner stays."""
    services.api_key_create(
        actor=Actor(user=world.users["owner"]),
        name="erp",
        scope=ApiKeyScope.ENTERPRISE,
        enterprise=world.enterprise,
        role=Role.OWNER,
    )
    own = membership(world, "owner")
    with unchanged():
        response = world.client("owner").delete(members_url(world, f"{own.pk}/"))
    assert response.json()["code"] == "last_owner"


def test_another_enterprises_member_is_404(world, unchanged):
    other = Membership.objects.get(user=world.users["other_member"])
    with unchanged():
        change = world.client("owner").patch(members_url(world, f"{other.pk}/"), {"role": "analyst"}, format="json")
        remove = world.client("owner").delete(members_url(world, f"{other.pk}/"))
    assert (change.status_code, remove.status_code) == (404, 404)


# Concurrency --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_last_owner_two_owners_demoting_each_other_at_once_leave_one_owner(world):
    """Two owners, each demoting the other at the same instant on their own connections: the memberships are locked
    before the owners are counted, so one demotion wins and the other is refused: one owner is always left."""
    second = MembershipFactory(enterprise=world.enterprise, role=Role.OWNER, user__username="brand_owner2")
    first = membership(world, "owner")
    tokens = {"first": user_token(world.users["owner"]), "second": user_token(second.user)}
    targets = {"first": second.pk, "second": first.pk}
    rounds = 8
    outcomes: list[tuple[int, str]] = []

    for _round in range(rounds):
        Membership.objects.filter(pk__in=[first.pk, second.pk]).update(role=Role.OWNER)
        ready = threading.Barrier(2, timeout=30)

        def demote(who: str, ready: threading.Barrier = ready) -> None:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens[who]}")
            try:
                connection.ensure_connection()
                ready.wait()
                response = client.patch(members_url(world, f"{targets[who]}/"), {"role": "admin"}, format="json")
                outcomes.append((response.status_code, response.json().get("code") or response.json()["role"]))
            except Exception as error:  # any other outcome fails the test with its repr
                outcomes.append((0, repr(error)))
            finally:
                connection.close()

        threads = [threading.Thread(target=demote, args=(who,)) for who in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert Membership.objects.filter(enterprise=world.enterprise, role=Role.OWNER).count() == 1

    # The loser is refused either as the last owner, or — when the winner committed before the loser's request locked
    # the memberships — as the admin it has just become, who cannot change an owner.
    refusals = {(409, "last_owner"), (403, "permission_denied")}
    assert Counter(o for o in outcomes if o == (200, "admin")) == {(200, "admin"): rounds}
    assert len(outcomes) == 2 * rounds and all(o in refusals for o in outcomes if o != (200, "admin"))


@pytest.mark.django_db(transaction=True)
def test_last_owner_two_owners_leaving_at_once_leave_one_owner(world):
    second = MembershipFactory(enterprise=world.enterprise, role=Role.OWNER, user__username="brand_owner2")
    first = membership(world, "owner")
    tokens = {"first": user_token(world.users["owner"]), "second": user_token(second.user)}
    own = {"first": first.pk, "second": second.pk}
    ready = threading.Barrier(2, timeout=30)
    outcomes: list[int] = []

    def leave(who: str) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens[who]}")
        try:
            connection.ensure_connection()
            ready.wait()
            outcomes.append(client.delete(members_url(world, f"{own[who]}/")).status_code)
        except Exception as error:  # any other outcome fails the test with its repr
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=leave, args=(who,)) for who in own]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [204, 409]
    assert Membership.objects.filter(enterprise=world.enterprise, role=Role.OWNER).count() == 1


# The page -----------------------------------------------------------------------------------------------------------


def test_the_sidebar_links_the_team_page_for_members_but_not_for_agency_staff(world, browser):
    page = browser("analyst").get(f"/w/{world.enterprise.pk}/").content.decode()
    assert f'href="{team_page(world)}"' in page and "成员管理" in page


@pytest.mark.parametrize("actor", ["owner", "admin"])
def test_owners_and_admins_see_the_add_form_and_inline_role_changes(world, browser, actor):
    response = browser(actor).get(team_page(world))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="team-add-form"' in content
    assert 'data-username="brand_owner"' in content and 'data-username="brand_analyst"' in content
    assert "分析员（只读）" in content and "加入时间" in content
    owner_can_be_touched = 'data-username="brand_owner" data-role="owner">' in content
    assert owner_can_be_touched
    rows = content.split('data-testid="team-row"')[1:]
    owner_row = next(row for row in rows if 'data-username="brand_owner"' in row)
    assert ('data-testid="team-role-form"' in owner_row) == (actor == "owner")
    add_form = content.split('data-testid="team-add-form"')[1].split("</form>")[0]
    assert ('value="owner"' in add_form) == (actor == "owner")


@pytest.mark.parametrize("actor", ["operator", "analyst"])
def test_operators_and_analysts_see_the_team_read_only(world, browser, actor):
    response = browser(actor).get(team_page(world))
    content = response.content.decode()
    assert response.status_code == 200
    assert "team-add-form" not in content and "team-role-form" not in content and "team-remove" not in content
    assert 'data-testid="team-role">所有者' in content
    refused = browser(actor).post(team_page(world), {"action": "remove", "member": membership(world, "analyst").pk})
    assert refused.status_code == 403 and Membership.objects.filter(user=world.users["analyst"]).exists()


def test_agency_staff_cannot_open_the_team_page(world):
    client = Client()
    client.force_login(world.users["agency_reported"])
    client.post(f"/agency/brands/{world.enterprise.pk}/enter/")
    assert client.get(team_page(world)).status_code == 403
    assert client.get(f"/w/{world.enterprise.pk}/").status_code == 200


def test_the_page_adds_a_new_login_and_an_existing_one(world, browser):
    client = browser("admin")
    UserFactory(username="existing_person", display_name="老朋友")

    created = client.post(
        team_page(world),
        {"action": "add", "username": "fresh", "role": "operator", "display_name": "新同事", "password": NEW_PASSWORD},
        follow=True,
    )
    added = client.post(
        team_page(world), {"action": "add", "username": "existing_person", "role": "analyst"}, follow=True
    )

    assert "新同事已成为成员，角色为运营。" in created.content.decode()
    assert "老朋友已成为成员，角色为分析员（只读）。" in added.content.decode()
    assert Membership.objects.get(user__username="fresh", enterprise=world.enterprise).role == "operator"
    assert User.objects.get(username="fresh").check_password(NEW_PASSWORD)


def test_the_page_says_every_refusal_in_chinese_and_stores_nothing(world, browser, unchanged):
    admin = browser("admin")
    owner = browser("owner")
    with unchanged():
        no_password = admin.post(team_page(world), {"action": "add", "username": "nopass", "role": "analyst"})
        weak = admin.post(
            team_page(world), {"action": "add", "username": "weak", "role": "analyst", "password": "12345678"}
        )
        twice = admin.post(team_page(world), {"action": "add", "username": "brand_analyst", "role": "analyst"})
        promote = admin.post(
            team_page(world), {"action": "role", "member": membership(world, "operator").pk, "role": "owner"}
        )
        touch_owner = admin.post(team_page(world), {"action": "remove", "member": membership(world, "owner").pk})
        last = owner.post(
            team_page(world), {"action": "role", "member": membership(world, "owner").pk, "role": "admin"}
        )
        leave = owner.post(team_page(world), {"action": "remove", "member": membership(world, "owner").pk})
        missing = owner.post(team_page(world), {"action": "remove", "member": "999999"})
        garbage = owner.post(team_page(world), {"action": "remove", "member": "abc"})
        other = owner.post(
            team_page(world),
            {"action": "remove", "member": Membership.objects.get(user=world.users["other_member"]).pk},
        )

    assert no_password.status_code == 400 and "新账号需要设置密码。" in no_password.content.decode()
    assert weak.status_code == 400 and 'is-invalid" id="id_password"' in weak.content.decode()
    assert twice.status_code == 409 and "该用户已是企业成员。" in twice.content.decode()
    assert promote.status_code == 403 and "只有所有者可以添加、更改或移除所有者。" in promote.content.decode()
    assert touch_owner.status_code == 403 and "只有所有者可以添加、更改或移除所有者。" in touch_owner.content.decode()
    for response in (last, leave):
        assert response.status_code == 409
        assert "企业至少要保留一位所有者" in response.content.decode()
    assert [missing.status_code, garbage.status_code, other.status_code] == [404, 404, 404]


def test_the_page_changes_a_role_inline_and_removes_with_confirmation(world, browser):
    client = browser("owner")
    page = client.get(team_page(world)).content.decode()
    assert "data-confirm=" in page and "<script>" not in page

    changed = client.post(
        team_page(world),
        {"action": "role", "member": membership(world, "analyst").pk, "role": "operator"},
        follow=True,
    )
    removed = client.post(
        team_page(world), {"action": "remove", "member": membership(world, "operator").pk}, follow=True
    )

    analyst_name = str(world.users["analyst"])
    assert f"{analyst_name}的角色已改为运营。" in changed.content.decode()
    assert f"{world.users['operator']}已不再是成员。" in removed.content.decode()
    assert [e.action for e in AuditEvent.objects.order_by("id")][-2:] == [
        "membership.role_changed",
        "membership.removed",
    ]


def test_a_member_who_leaves_goes_home(world, browser):
    client = browser("admin")
    response = client.post(team_page(world), {"action": "remove", "member": membership(world, "admin").pk})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(team_page(world)).status_code == 404


def test_the_page_runs_a_constant_number_of_queries(world, browser):
    """One member or thirty more on the page: the same number of queries (no query per row)."""
    client = browser("owner")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(team_page(world)).status_code == 200
        return len(queries)

    client.get(team_page(world))
    few = count()
    for n in range(30):
        MembershipFactory(enterprise=world.enterprise, role=Role.ANALYST, user__username=f"many{n}")
    assert count() == few
