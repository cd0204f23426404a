"""The foundation's REST contract: tokens, the caller, workspaces, agency reports, keys and the platform registry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.models import AgencyReport, ApiKey, AuditEvent, Enterprise, Membership, RedAccount, User

from ..factories import (
    PASSWORD,
    AgencyMembershipFactory,
    AgencyReportFactory,
    EnterpriseFactory,
    MembershipFactory,
    valid_id_number,
)

pytestmark = pytest.mark.django_db


# Token and /me/ ----------------------------------------------------------------------------------------------


def test_token_exchange_and_bearer_use(api, world):
    response = api.post("/api/v1/auth/token/", {"username": "brand_owner", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert not ApiKey.objects.filter(key_hash=token).exists() and token not in str(list(ApiKey.objects.values()))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "brand_owner"
    assert me["memberships"] == [{"enterprise_id": world.enterprise.pk, "enterprise_name": "花漾美妆", "role": "owner"}]


def test_token_refused_for_a_wrong_password(api, world, unchanged):
    with unchanged():
        response = api.post("/api/v1/auth/token/", {"username": "brand_owner", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "non_field_errors" in response.json()["fields"]


def test_bad_bearer_key_is_401(api, db):
    api.credentials(HTTP_AUTHORIZATION="Bearer kos_not-a-key")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_me_shows_the_employee_account_with_a_masked_id(world):
    me = world.client("employee").get("/api/v1/me/").json()
    masked = me["red_account"]["id_number_masked"]
    assert len(masked) == 18 and masked[6:14] == "********"


# Workspaces ---------------------------------------------------------------------------------------------------


def test_enterprise_list_shows_role_or_agency(world):
    owner = world.client("owner").get("/api/v1/enterprises/").json()
    assert [(r["name"], r["role"], r["via_agency"]) for r in owner["results"]] == [("花漾美妆", "owner", None)]
    agency = world.client("agency_reported").get("/api/v1/enterprises/").json()
    assert [(r["name"], r["role"], r["via_agency"]) for r in agency["results"]] == [
        ("花漾美妆", None, {"id": world.agency.pk, "name": "星河代理"})
    ]
    assert world.client("agency_unreported").get("/api/v1/enterprises/").json()["count"] == 0


def test_enterprise_list_runs_constant_queries_whatever_the_page_size(world, django_assert_max_num_queries):
    user = world.users["owner"]
    for n in range(30):
        MembershipFactory(user=user, enterprise=EnterpriseFactory(name=f"品牌-{n:02d}"))
    client = world.client("owner")
    client.get("/api/v1/me/")  # the key's first use records last_used_at
    counts = []
    for size in (1, 20, 100):
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(f"/api/v1/enterprises/?page_size={size}").json()["results"]) == min(size, 31)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
    with django_assert_max_num_queries(counts[0]):
        client.get("/api/v1/enterprises/?page_size=100")


def test_workspace_detail_for_agency_staff_names_the_agency(world):
    body = world.client("agency_reported").get(f"/api/v1/enterprises/{world.enterprise.pk}/").json()
    assert body["role"] is None and body["via_agency"] == {"id": world.agency.pk, "name": "星河代理"}
    assert body["kos_permission"] is True and body["invitations_restricted_until"] is None


def test_agency_without_a_report_gets_404_and_with_one_works_and_is_audited(world):
    enterprise = world.other_enterprise
    agency_client = world.client("agency_reported")
    assert agency_client.get(f"/api/v1/enterprises/{enterprise.pk}/").status_code == 404
    owner = world.client("other_member")
    response = owner.post(
        f"/api/v1/enterprises/{enterprise.pk}/agencies/", {"agency_id": world.agency.pk}, format="json"
    )
    assert response.status_code == 201
    assert agency_client.get(f"/api/v1/enterprises/{enterprise.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="agency_report.created", enterprise=enterprise)
    assert event.actor == world.users["other_member"] and event.via_agency is None
    assert owner.delete(f"/api/v1/enterprises/{enterprise.pk}/agencies/{world.agency.pk}/").status_code == 204
    assert agency_client.get(f"/api/v1/enterprises/{enterprise.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="agency_report.revoked", enterprise=enterprise).count() == 1


def test_actions_through_an_agency_are_recorded_with_the_agency(world):
    """An agency acting with an enterprise key of its own is out of scope; its staff's writes carry the agency."""
    from kos_platform.tenancy import resolve_workspace

    workspace = resolve_workspace(world.users["agency_reported"], world.enterprise.pk)
    services.agency_workspace_enter(workspace=workspace)
    event = AuditEvent.objects.get(action="agency.workspace_entered")
    assert (event.actor, event.via_agency, event.enterprise) == (
        world.users["agency_reported"],
        world.agency,
        world.enterprise,
    )


def test_reporting_an_agency_twice_is_refused(world, unchanged):
    client = world.client("owner")
    with unchanged():
        response = client.post(
            f"/api/v1/enterprises/{world.enterprise.pk}/agencies/", {"agency_id": world.agency.pk}, format="json"
        )
    assert response.status_code == 409 and response.json()["code"] == "agency_already_reported"


def test_reporting_an_unknown_agency_is_a_field_error(world, unchanged):
    client = world.client("owner")
    with unchanged():
        response = client.post(
            f"/api/v1/enterprises/{world.enterprise.pk}/agencies/", {"agency_id": 999999}, format="json"
        )
    assert response.status_code == 400 and "agency_id" in response.json()["fields"]


def test_a_revoked_agency_can_be_reported_again(world):
    client = world.client("owner")
    url = f"/api/v1/enterprises/{world.enterprise.pk}/agencies/"
    assert client.delete(f"{url}{world.agency.pk}/").status_code == 204
    assert client.post(url, {"agency_id": world.agency.pk}, format="json").status_code == 201
    reports = client.get(url).json()["results"]
    assert sorted(r["standing"] for r in reports) == [False, True]
    assert AgencyReport.objects.filter(enterprise=world.enterprise, revoked_at__isnull=True).count() == 1


def test_agency_console_lists_reporting_brands(world):
    AgencyReportFactory(agency=world.agency, enterprise=EnterpriseFactory(name="另一品牌"))
    body = world.client("agency_reported").get("/api/v1/agency/brands/").json()
    assert sorted(b["name"] for b in body["results"]) == ["另一品牌", "花漾美妆"]
    assert body["results"][0]["workspace_url"].endswith(f"/api/v1/enterprises/{body['results'][0]['enterprise_id']}/")


# API keys -----------------------------------------------------------------------------------------------------


def test_enterprise_key_acts_only_for_its_enterprise(world, api):
    response = world.client("owner").post(
        f"/api/v1/enterprises/{world.enterprise.pk}/api-keys/", {"name": "ERP", "role": "analyst"}, format="json"
    )
    assert response.status_code == 201
    raw = response.json()["key"]
    assert not ApiKey.objects.filter(key_hash=raw).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(f"/api/v1/enterprises/{world.enterprise.pk}/").json()["role"] == "analyst"
    assert api.get(f"/api/v1/enterprises/{world.other_enterprise.pk}/").status_code == 404
    assert api.get("/api/v1/platform/enterprises/").status_code == 403
    assert (
        api.post(
            f"/api/v1/enterprises/{world.enterprise.pk}/agencies/", {"agency_id": world.other_agency.pk}
        ).status_code
        == 403
    )
    key = ApiKey.objects.get(pk=response.json()["id"])
    assert key.last_used_at is not None
    assert (
        world.client("owner").delete(f"/api/v1/enterprises/{world.enterprise.pk}/api-keys/{key.pk}/").status_code == 204
    )
    assert api.get(f"/api/v1/enterprises/{world.enterprise.pk}/").status_code == 401


def test_platform_and_agency_keys(world, api):
    staff = world.client("staff")
    agency_key = staff.post(
        "/api/v1/platform/api-keys/", {"name": "pgy", "scope": "agency", "agency_id": world.agency.pk}, format="json"
    )
    assert agency_key.status_code == 201
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {agency_key.json()['key']}")
    assert api.get(f"/api/v1/enterprises/{world.enterprise.pk}/").json()["via_agency"]["id"] == world.agency.pk
    mismatched = staff.post("/api/v1/platform/api-keys/", {"name": "x", "scope": "agency"}, format="json")
    assert mismatched.status_code == 400 and "agency_id" in mismatched.json()["fields"]
    platform_key = staff.post(
        "/api/v1/platform/api-keys/", {"name": "sync", "scope": "platform"}, format="json"
    ).json()["key"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {platform_key}")
    assert api.get("/api/v1/platform/red-accounts/").status_code == 200


# Platform registry -------------------------------------------------------------------------------------------


def test_platform_creates_and_updates_an_enterprise_with_audit(world):
    client = world.client("staff")
    body = {
        "name": "洁家家政",
        "industry": "service",
        "certified": True,
        "annual_review_valid_until": "2027-06-30",
        "banned": False,
        "store_count": 35,
        "serious_violation_at": None,
    }
    created = client.post("/api/v1/platform/enterprises/", body, format="json")
    assert created.status_code == 201
    data = created.json()
    assert (
        data["monthly_note_quota"] == 1000 and data["kos_permission"] is False and data["kos_permission_reasons"] == []
    )
    patched = client.patch(
        f"/api/v1/platform/enterprises/{data['id']}/", {"monthly_note_quota": 1500, "banned": True}, format="json"
    )
    assert patched.json()["monthly_note_quota"] == 1500 and patched.json()["kos_permission_reasons"] == ["banned"]
    event = AuditEvent.objects.get(action="enterprise.updated", enterprise_id=data["id"])
    assert event.before == {"banned": False, "monthly_note_quota": 1000}
    assert event.after == {"banned": True, "monthly_note_quota": 1500}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "坏\x00名", "industry": "service"}, "name"),
        ({"name": "x", "industry": "mining"}, "industry"),
        ({"name": "x", "industry": "service", "store_count": -1}, "store_count"),
        ({"name": "x", "industry": "service", "annual_review_valid_until": "2026-13-45"}, "annual_review_valid_until"),
        ({"industry": "service"}, "name"),
    ],
)
def test_platform_enterprise_bad_input_is_400_and_stores_nothing(world, unchanged, body, field):
    client = world.client("staff")
    with unchanged():
        response = client.post("/api/v1/platform/enterprises/", body, format="json")
    assert response.status_code == 400 and field in response.json()["fields"]


def test_platform_members_create_users_and_change_roles(world, unchanged):
    client = world.client("staff")
    url = f"/api/v1/platform/enterprises/{world.enterprise.pk}/members/"
    with unchanged():
        missing = client.post(url, {"username": "newbie", "role": "operator"}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()["fields"]
    with unchanged():
        weak = client.post(url, {"username": "newbie", "role": "operator", "password": "123"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()["fields"]
    assert (
        client.post(
            url, {"username": "newbie", "role": "operator", "password": "Good-pass-2026"}, format="json"
        ).status_code
        == 201
    )
    assert User.objects.get(username="newbie").check_password("Good-pass-2026")
    assert client.post(url, {"username": "newbie", "role": "admin"}, format="json").status_code == 201
    assert Membership.objects.get(user__username="newbie").role == "admin"
    assert [e.after["role"] for e in AuditEvent.objects.filter(action="membership.set").order_by("id")] == [
        "operator",
        "admin",
    ]


def test_platform_staff_cannot_demote_the_last_owner_either(world, unchanged):
    client = world.client("staff")
    url = f"/api/v1/platform/enterprises/{world.enterprise.pk}/members/"
    owner = world.users["owner"].username
    with unchanged():
        response = client.post(url, {"username": owner, "role": "admin"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "last_owner"
    assert (
        client.post(url, {"username": "second_owner", "role": "owner", "password": "Good-pass-2026"}).status_code == 201
    )
    assert client.post(url, {"username": owner, "role": "admin"}, format="json").status_code == 201


def test_platform_agency_and_staff(world):
    client = world.client("staff")
    agency = client.post("/api/v1/platform/agencies/", {"name": "红海代理"}, format="json").json()
    assert client.post("/api/v1/platform/agencies/", {"name": "红海代理"}, format="json").status_code == 400
    staff = client.post(
        f"/api/v1/platform/agencies/{agency['id']}/members/",
        {"username": "hh1", "password": "Good-pass-2026"},
        format="json",
    )
    assert staff.status_code == 201
    assert client.get(f"/api/v1/platform/agencies/{agency['id']}/members/").json()["results"][0]["username"] == "hh1"


def test_platform_red_account_registry_masks_the_id_number(world):
    client = world.client("staff")
    id_number = valid_id_number(42, birth="19950315")
    body = {
        "red_id": "95270099",
        "nickname": "小林",
        "followers": 320,
        "has_shop": False,
        "is_creator": False,
        "is_enterprise_account": False,
        "has_violation": False,
        "real_name_verified": True,
        "real_name": "林小",
        "id_number": id_number,
        "phone_bound": True,
        "username": "emp_lin",
        "password": "Good-pass-2026",
    }
    created = client.post("/api/v1/platform/red-accounts/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert "id_number" not in data and data["id_number_masked"] == id_number[:6] + "********" + id_number[-4:]
    assert data["username"] == "emp_lin" and "password" not in data
    account = RedAccount.objects.get(red_id="95270099")
    assert account.user.username == "emp_lin" and id_number not in account.id_number_encrypted
    patched = client.patch(
        "/api/v1/platform/red-accounts/95270099/", {"followers": 150000, "has_shop": True}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["followers"] == 150000
    event = AuditEvent.objects.get(action="red_account.updated")
    assert event.before == {"followers": 320, "has_shop": False}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_number": "110101199001011235"}, "id_number"),  # wrong check digit
        ({"id_number": "110101199002301234"}, "id_number"),  # 30 February
        ({"id_number": "11010119900101123"}, "id_number"),  # 17 characters
        ({"nickname": "a\x00b"}, "nickname"),
        ({"followers": -5}, "followers"),
        ({"red_id": "77770001"}, "red_id"),  # already registered
        ({"username": "brand_owner"}, "username"),  # that login already holds another RED account
    ],
)
def test_platform_red_account_bad_input_is_400_and_stores_nothing(world, unchanged, change, field):
    from ..factories import RedAccountFactory

    RedAccountFactory(red_id="77770001", user=world.users["owner"] if field == "username" else None)
    body = {"red_id": "95270100", "nickname": "n", "real_name": "王五", "id_number": valid_id_number(7), **change}
    client = world.client("staff")
    with unchanged():
        response = client.post("/api/v1/platform/red-accounts/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]


def test_enterprise_patch_through_platform_does_not_touch_other_rows(world):
    before = Enterprise.objects.get(pk=world.other_enterprise.pk)
    world.client("staff").patch(
        f"/api/v1/platform/enterprises/{world.enterprise.pk}/", {"name": "新名字"}, format="json"
    )
    assert Enterprise.objects.get(pk=world.other_enterprise.pk).name == before.name


def test_agency_staff_list_excludes_service_users(world):
    AgencyMembershipFactory(agency=world.agency, user__username="x", user__is_service_account=True)
    names = [
        m["username"]
        for m in world.client("staff").get(f"/api/v1/platform/agencies/{world.agency.pk}/members/").json()["results"]
    ]
    assert names == ["agency_staff"]
