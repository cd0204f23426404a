"""The browser shell through Django's test client: start pages, the workspace pages, the agency route, admin."""

import pytest
from django.test import Client

from accounts.models import ApiKey, AuditEvent
from accounts.selectors import enterprises_for_user

from ..factories import PASSWORD, EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(world):
    def login(actor):
        client = Client()
        assert client.login(username=world.users[actor].username, password=PASSWORD)
        return client

    return login


@pytest.mark.parametrize(
    ("actor", "target"),
    [("owner", "/w/{eid}/"), ("agency_reported", "/agency/"), ("employee", "/m/"), ("staff", "/platform/invitations/")],
)
def test_home_sends_each_user_to_their_start_page(world, browser, actor, target):
    response = browser(actor).get("/")
    assert response.status_code == 302 and response.url == target.format(eid=world.enterprise.pk)


def test_login_page_is_chinese_by_default_and_english_on_request(client):
    assert "登录" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_overview_lists_every_reason_the_permission_is_refused(world, browser):
    refused = EnterpriseFactory(name="云帆数码", store_count=3, certified=False, kos_permission_granted_at=None)
    MembershipFactory(user=world.users["owner"], enterprise=refused, role="owner")
    page = browser("owner").get(f"/w/{refused.pk}/").content.decode()
    assert "中国境内线下门店少于 10 家" in page and "企业专业号未认证" in page and "未开通" in page


def test_another_tenants_page_is_404(world, browser):
    assert browser("other_member").get(f"/w/{world.enterprise.pk}/").status_code == 404
    assert browser("agency_unreported").get(f"/w/{world.enterprise.pk}/").status_code == 404
    assert browser("employee").get(f"/w/{world.enterprise.pk}/").status_code == 404


def test_agency_staff_take_the_proxied_route(world, browser):
    client = browser("agency_reported")
    direct = client.get(f"/w/{world.enterprise.pk}/")
    assert direct.status_code == 302 and direct.url == "/agency/"
    assert "花漾美妆" in client.get("/agency/").content.decode()
    entered = client.post(f"/agency/brands/{world.enterprise.pk}/enter/")
    assert entered.status_code == 302 and entered.url == f"/w/{world.enterprise.pk}/"
    page = client.get(f"/w/{world.enterprise.pk}/").content.decode()
    assert 'data-testid="agency-banner"' in page and "星河代理" in page
    event = AuditEvent.objects.get(action="agency.workspace_entered")
    assert event.via_agency == world.agency and event.enterprise == world.enterprise
    assert client.post(f"/agency/brands/{world.other_enterprise.pk}/enter/").status_code == 404


def test_agency_console_is_for_agency_staff_only(world, browser):
    assert browser("owner").get("/agency/").status_code == 403


def test_owner_reports_and_revokes_an_agency_on_the_page(world, browser):
    client = browser("owner")
    url = f"/w/{world.enterprise.pk}/agencies/"
    assert client.post(url, {"agency": world.other_agency.pk}).status_code == 302
    assert world.other_agency.pk in [e.via_agency_id for e in enterprises_for_user(world.users["agency_unreported"])]
    report = world.enterprise.agency_reports.get(agency=world.other_agency)
    assert client.post(url, {"revoke": report.pk}).status_code == 302
    assert list(enterprises_for_user(world.users["agency_unreported"])) == []


def test_analyst_and_agency_cannot_manage_reports(world, browser, unchanged):
    url = f"/w/{world.enterprise.pk}/agencies/"
    analyst = browser("analyst")
    with unchanged():
        assert analyst.post(url, {"agency": world.other_agency.pk}).status_code == 403
    assert "报备代理商" not in analyst.get(url).content.decode()


def test_reporting_twice_on_the_page_shows_the_rule(world, browser, unchanged):
    client = browser("owner")
    with unchanged():
        response = client.post(f"/w/{world.enterprise.pk}/agencies/", {"agency": world.agency.pk})
    assert response.status_code == 409 and "已报备该代理商" in response.content.decode()


def test_api_key_page_shows_the_key_once(world, browser):
    client = browser("admin")
    page = client.post(f"/w/{world.enterprise.pk}/api-keys/", {"name": "ERP", "role": "analyst"}).content.decode()
    key = ApiKey.objects.get(enterprise=world.enterprise)
    assert 'data-testid="new-key"' in page and key.prefix in page
    assert 'data-testid="new-key"' not in client.get(f"/w/{world.enterprise.pk}/api-keys/").content.decode()
    assert browser("operator").get(f"/w/{world.enterprise.pk}/api-keys/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/enterprise/?kos_permission=no&industry=service&q=花",
        "/admin/accounts/membership/?role=owner&q=brand",
        "/admin/accounts/agency/?q=星河",
        "/admin/accounts/agencyreport/?revoked_at__isempty=1",
        "/admin/accounts/redaccount/?has_shop__exact=0&q=员工",
        "/admin/accounts/apikey/?scope=platform",
        "/admin/accounts/auditevent/?action=agency_report.created",
        "/admin/accounts/user/?is_staff__exact=1&q=staff",
    ],
)
def test_admin_changelists_filter_and_search(world, browser, path):
    world.users["staff"].is_superuser = True
    world.users["staff"].save()
    assert browser("staff").get(path).status_code == 200


def test_admin_grant_action_explains_refusals(world, browser):
    world.users["staff"].is_superuser = True
    world.users["staff"].save()
    refused = EnterpriseFactory(name="小店", store_count=2, kos_permission_granted_at=None)
    response = browser("staff").post(
        "/admin/accounts/enterprise/", {"action": "grant_kos_permission", "_selected_action": [refused.pk]}, follow=True
    )
    assert "中国境内线下门店少于 10 家" in response.content.decode()
