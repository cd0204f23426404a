"""What a new user tripped over on the workspace pages: agency staff see on 选择工作台 the brands they act for
through their agency (and enter them through it), not that they belong to no enterprise; the agency console does not
repeat their own agency on every row; the API-keys page links to the API docs; no name is padded with spaces."""

import re

import pytest

from accounts.models import AuditEvent
from tests.factories import AgencyReportFactory, EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_agency_staff_see_the_brands_they_act_for_on_the_workspace_switcher(world, client):
    AgencyReportFactory(enterprise=world.other_enterprise, agency=world.agency)
    client.force_login(world.users["agency_reported"])
    page = client.get("/workspaces/").content.decode()
    assert "您还不是任何企业的成员" not in page
    assert "您通过代理商服务的品牌" in page
    cards = re.findall(r'data-testid="agency-workspace">.*?<h3 class="h5 card-title">([^<]+)</h3>', page, re.S)
    assert cards == ["别家品牌", "花漾美妆"]
    assert "通过星河代理" in page
    assert f'action="/agency/brands/{world.enterprise.pk}/enter/"' in page
    entered = client.post(f"/agency/brands/{world.enterprise.pk}/enter/")
    assert entered.status_code == 302 and entered.url == f"/w/{world.enterprise.pk}/"
    assert AuditEvent.objects.filter(action="agency.workspace_entered", via_agency=world.agency).exists()


def test_agency_staff_with_no_reporting_brand_are_told_so(world, client):
    client.force_login(world.users["agency_unreported"])
    page = client.get("/workspaces/").content.decode()
    assert "暂无品牌报备贵代理商。" in page and "您还不是任何企业的成员" not in page
    assert 'data-testid="agency-workspace"' not in page


def test_a_member_sees_their_enterprises_and_someone_with_none_is_told(world, client):
    client.force_login(world.users["owner"])
    page = client.get("/workspaces/").content.decode()
    assert "花漾美妆" in page and 'data-testid="agency-workspaces"' not in page
    client.force_login(world.users["employee"])
    assert "您还不是任何企业的成员。" in client.get("/workspaces/").content.decode()


def test_staff_of_an_agency_who_are_also_members_see_both(world, client):
    own = EnterpriseFactory(name="自家品牌")
    MembershipFactory(enterprise=own, user=world.users["agency_reported"], role="admin")
    client.force_login(world.users["agency_reported"])
    page = client.get("/workspaces/").content.decode()
    assert 'data-testid="member-workspaces"' in page and "自家品牌" in page
    assert re.findall(r'<h3 class="h5 card-title">([^<]+)</h3>', page) == ["花漾美妆"]


def test_the_agency_console_does_not_repeat_the_agency_on_each_row(world, client):
    AgencyReportFactory(enterprise=world.other_enterprise, agency=world.agency)
    client.force_login(world.users["agency_reported"])
    page = client.get("/agency/").content.decode()
    assert "报备给" not in page and "Reported to" not in page
    heading = re.search(r"<h1.*?</h1>", page, re.S).group(0)
    assert "星河代理" in heading
    table = re.search(r'<table[^>]*data-testid="reported-brands".*?</table>', page, re.S).group(0)
    assert "星河代理" not in table
    assert len(re.findall(r'data-testid="reported-brand"', table)) == 2
    assert table.count("<th>") == 5


def test_a_brand_reported_by_two_of_the_users_agencies_is_listed_once(world, client):
    from tests.factories import AgencyMembershipFactory

    AgencyMembershipFactory(agency=world.other_agency, user=world.users["agency_reported"])
    AgencyReportFactory(enterprise=world.enterprise, agency=world.other_agency)
    client.force_login(world.users["agency_reported"])
    page = client.get("/agency/").content.decode()
    assert page.count('data-testid="reported-brand"') == 1


def test_the_api_keys_page_links_to_the_api_docs(world, client):
    client.force_login(world.users["owner"])
    page = client.get(f"/w/{world.enterprise.pk}/api-keys/").content.decode()
    links = re.search(r'data-testid="api-docs-links">.*?</p>', page, re.S).group(0)
    assert 'href="/api/docs/"' in links and 'href="/api/redoc/"' in links and 'href="/api/schema/"' in links
    assert "API 文档" in links


def test_the_workspace_switcher_names_the_enterprise_without_padding(world, client):
    client.force_login(world.users["owner"])
    page = client.get(f"/w/{world.enterprise.pk}/").content.decode()
    assert 'id="workspace-switcher" aria-expanded="false">花漾美妆</a>' in page
    items = re.findall(r'<a class="dropdown-item[^"]*" href="[^"]*">([^<]*)<small', page)
    assert items and all(item == item.lstrip() and item.endswith("美妆 ") for item in items)
