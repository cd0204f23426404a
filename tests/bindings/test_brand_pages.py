"""The brand's binding pages through Django's test client: list filters, the bind wizard, roles, tenancy, escaping,
and a list whose query count does not grow with the page."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from bindings.models import Binding, Invitation, ProofDraft
from kos_platform import clock
from kos_platform.pii import decrypt

from ..factories import PASSWORD, RedAccountFactory
from .factories import BindingFactory
from .helpers import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(world):
    """A logged-in page client for a world actor, reading English pages."""

    def login(actor):
        client = Client()
        assert client.login(username=world.users[actor].username, password=PASSWORD)
        client.cookies["kos_language"] = "en"
        return client

    return login


@pytest.fixture
def page(world):
    return lambda rest="": f"/w/{world.enterprise.pk}/{rest}"


def red_ids(response) -> set[str]:
    content = response.content.decode()
    return {red_id for red_id in ("70000001", "70000002", "70000003", "70000004") if red_id in content}


def test_list_filters_by_mode_status_position_region_and_search(world, browser, page):
    rows = [
        ("70000001", "personal_authorized", "active", "shopping_guide", "上海·静安", "小美"),
        ("70000002", "enterprise_owned", "active", "store_manager", "北京·朝阳", "阿杰"),
        ("70000003", "enterprise_owned", "frozen", "host", "上海·静安", "婷婷"),
        ("70000004", "personal_authorized", "active", "customer_service", "杭州·西湖", "小王"),
    ]
    for number, (red_id, mode, status, position, region, nickname) in enumerate(rows):
        # A fixed real name: a random one (王婷婷) would match the nickname search too.
        BindingFactory(
            enterprise=world.enterprise,
            red_account=RedAccountFactory(red_id=red_id, nickname=nickname, real_name=f"员工{number}"),
            mode=mode,
            status=status,
            position=position,
            region=region,
        )
    client = browser("analyst")
    assert red_ids(client.get(page("employees/"))) == {"70000001", "70000002", "70000003", "70000004"}
    assert red_ids(client.get(page("employees/?mode=personal_authorized"))) == {"70000001", "70000004"}
    assert red_ids(client.get(page("employees/?status=frozen"))) == {"70000003"}
    assert red_ids(client.get(page("employees/?position=store_manager"))) == {"70000002"}
    assert red_ids(client.get(page("employees/?region=上海·静安&mode=enterprise_owned"))) == {"70000003"}
    assert red_ids(client.get(page("employees/?q=婷婷"))) == {"70000003"}
    # The region select offers the enterprise's own regions; an unknown filter value is ignored, not an error.
    listed = client.get(page("employees/?status=nonsense"))
    assert listed.status_code == 200 and red_ids(listed) == {"70000001", "70000002", "70000003", "70000004"}
    assert '<option value="杭州·西湖"' in listed.content.decode()


def test_i02_wizard_post_creates_an_invitation_and_redirects(world, browser, page, invitation_form, employee_account):
    response = browser("operator").post(page("employees/bind/"), invitation_form(), follow=True)
    assert response.redirect_chain == [(page("invitations/"), 302)]
    invitation = Invitation.objects.get()
    assert (invitation.enterprise, invitation.red_account, invitation.status) == (
        world.enterprise,
        employee_account,
        "pending_review",
    )
    assert invitation.created_by == world.users["operator"] and invitation.id_number_masked.startswith("110101")
    content = response.content.decode()
    assert "awaits platform review" in content and "48 hours" in content


def refused_keeping_only_the_proof():
    """A refused submit stores no invitation and no audit record; only the proof is kept, as the user's draft."""
    assert not Invitation.objects.exists() and not AuditEvent.objects.exists()
    assert ProofDraft.objects.count() == 1


def test_i02_wizard_with_a_bad_id_number_rerenders_400_and_keeps_only_the_proof(world, browser, page, invitation_form):
    client = browser("operator")
    response = client.post(page("employees/bind/"), invitation_form(id_number="110101199001011235"))
    refused_keeping_only_the_proof()
    assert response.status_code == 400
    content = response.content.decode()
    assert "check digit is wrong" in content and 'data-initial-step="1"' in content
    # the rest of the form comes back filled in
    assert (
        'value="李小美"' in content and 'value="shopping_guide" required data-label="Shopping guide" checked' in content
    )


def test_i02_wizard_without_the_signatures_rerenders_at_step_4(world, browser, page, invitation_form):
    response = browser("operator").post(page("employees/bind/"), invitation_form(agreement_signed=""))
    refused_keeping_only_the_proof()
    assert response.status_code == 400
    assert 'data-initial-step="4"' in response.content.decode()


def test_a01_wizard_refusal_is_409_with_every_reason_in_words(world, browser, page, invitation_form):
    big = RedAccountFactory(red_id="95270009", followers=250_000, has_shop=True)
    response = browser("operator").post(page("employees/bind/"), invitation_form(red_id=big.red_id))
    refused_keeping_only_the_proof()
    assert response.status_code == 409
    content = response.content.decode()
    assert 'data-code="account_not_eligible"' in content
    assert "more than 100,000 followers" in content and "the account has opened a shop" in content


def test_agency_staff_bind_inside_the_proxied_workspace(world, browser, page, invitation_form):
    client = browser("agency_reported")
    assert client.get(page("employees/bind/")).status_code == 302  # not before entering from the agency console
    client.post(f"/agency/brands/{world.enterprise.pk}/enter/")
    assert client.post(page("employees/bind/"), invitation_form()).status_code == 302
    assert Invitation.objects.get().via_agency == world.agency
    assert AuditEvent.objects.get(action="invitation.created").via_agency == world.agency


def test_analyst_reads_but_every_post_is_403(world, browser, page, unchanged, invitation_form):
    binding = BindingFactory(enterprise=world.enterprise, mode="enterprise_owned")
    client = browser("analyst")
    listed = client.get(page("employees/")).content.decode()
    assert 'data-testid="bind-button"' not in listed and page("employees/bind/") not in listed
    detail = client.get(page(f"employees/{binding.pk}/")).content.decode()
    assert 'name="action"' not in detail and 'data-testid="proof-link"' not in detail
    with unchanged():
        assert client.post(page(f"employees/{binding.pk}/"), {"action": "freeze"}).status_code == 403
        assert client.post(page(f"employees/{binding.pk}/"), {"action": "unbind"}).status_code == 403
        assert client.post(page("employees/bind/"), invitation_form()).status_code == 403
        assert client.post(page("invitations/"), {"cancel": "1"}).status_code == 403
        assert client.post(page("invitations/batch/")).status_code == 403
    assert client.get(page(f"employees/{binding.pk}/proof/")).status_code == 403
    assert client.get(page("employees/bind/")).status_code == 403


def test_another_tenants_binding_is_404(world, browser, page):
    foreign = BindingFactory(enterprise=world.other_enterprise)
    client = browser("owner")
    assert client.get(page(f"employees/{foreign.pk}/")).status_code == 404
    assert client.get(page(f"employees/{foreign.pk}/proof/")).status_code == 404
    assert client.post(page(f"employees/{foreign.pk}/"), {"action": "freeze"}).status_code == 404
    assert Binding.objects.get(pk=foreign.pk).status == "active"
    assert browser("other_member").get(page("employees/")).status_code == 404


def test_markup_in_the_employee_name_is_escaped(world, browser, page):
    binding = BindingFactory(enterprise=world.enterprise, name="<b>李小美</b>")
    client = browser("operator")
    for url in (page("employees/"), page(f"employees/{binding.pk}/")):
        content = client.get(url).content.decode()
        assert "&lt;b&gt;李小美&lt;/b&gt;" in content and "<b>李小美" not in content


def test_b07_personal_unbind_inside_30_days_is_409_with_the_instant(world, browser, page):
    binding = BindingFactory(enterprise=world.enterprise, mode="personal_authorized")
    response = browser("operator").post(page(f"employees/{binding.pk}/"), {"action": "unbind"})
    assert response.status_code == 409
    content = response.content.decode()
    assert 'data-code="unbind_locked"' in content and "data-countdown-until=" in content
    assert Binding.objects.get(pk=binding.pk).status == "active"


def test_b02_freeze_then_unfreeze_through_the_detail_page(world, browser, page):
    binding = BindingFactory(enterprise=world.enterprise, mode="personal_authorized")
    client = browser("operator")
    url = page(f"employees/{binding.pk}/")
    assert client.post(url, {"action": "freeze", "reason": "离职"}).status_code == 302
    assert Binding.objects.get(pk=binding.pk).status == "frozen"
    assert "Hidden while the account is frozen" in client.get(url).content.decode()
    assert client.post(url, {"action": "unfreeze"}).status_code == 302
    assert Binding.objects.get(pk=binding.pk).status == "active"


def test_the_list_runs_the_same_queries_for_1_and_25_bindings(world, browser, page):
    client = browser("operator")
    BindingFactory(enterprise=world.enterprise, mode="personal_authorized")
    client.get(page("employees/"))  # warm up the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(page("employees/")).status_code == 200
    for number in range(24):
        BindingFactory(
            enterprise=world.enterprise,
            region=f"区域{number % 5}",
            mode=("enterprise_owned", "personal_authorized")[number % 2],
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(page("employees/"))
    assert response.status_code == 200 and response.context["page"].paginator.count == 25
    assert len(many.captured_queries) == len(one.captured_queries) <= 12


def test_wizard_prefills_from_the_query_and_shows_the_account(world, browser, page, employee_account):
    content = browser("operator").get(page("employees/bind/?red_id=95270001&mode=enterprise_owned")).content.decode()
    assert 'value="enterprise_owned" required data-label="Enterprise employee account" checked' in content
    assert "小美导购日记" in content and 'data-allowed-modes="enterprise_owned personal_authorized"' in content
    part = browser("operator").get(page("employees/bind/check/?red_id=nobody")).content.decode()
    assert "No Xiaohongshu account has the RED ID" in part


def test_i08_batch_upload_reports_each_row_and_the_report_downloads(world, browser, page, employee_account):
    table = (
        "绑定模式,小红书号,姓名,身份证号码,岗位,所属区域,在职证明文件,已签署承诺书,已签署服务协议\n"
        f"员工个人号授权,95270001,李小美,{decrypt(employee_account.id_number_encrypted)},导购,上海·静安,a.png,是,是\n"
        "企业员工号,99999999,某某,110101199001011234,经理,上海,none.png,否,是\n"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.png", png_bytes())
    client = browser("operator")
    response = client.post(
        page("invitations/batch/"),
        {
            "table": SimpleUploadedFile("batch.csv", table.encode("utf-8")),
            "proofs": SimpleUploadedFile("proofs.zip", archive.getvalue()),
        },
    )
    assert response.status_code == 302 and "?report=" in response.url
    report = client.get(response.url)
    content = report.content.decode()
    assert report.status_code == 200 and "Submitted for review" in content and "Invalid row" in content
    assert Invitation.objects.get().red_account == employee_account
    token = response.url.split("?report=")[1]
    download = client.get(page(f"invitations/batch/report/{token}.csv"))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert "99999999" in download.content.decode("utf-8-sig")
    # Another tenant cannot fetch the report by its token.
    other = f"/w/{world.other_enterprise.pk}/invitations/batch/report/{token}.csv"
    assert browser("other_member").get(other).status_code == 404
    assert client.get(page("invitations/batch/template.xlsx")).status_code == 200
    assert "小红书号" in client.get(page("invitations/batch/template.csv")).content.decode("utf-8-sig")


def test_batch_with_an_unreadable_file_is_a_form_error(world, browser, page, unchanged):
    with unchanged():
        response = browser("operator").post(
            page("invitations/batch/"), {"table": SimpleUploadedFile("t.csv", b"mode,red_id\n")}
        )
    assert response.status_code == 400 and "Missing columns" in response.content.decode()


def test_invitation_list_cancel_and_proof_download(world, browser, page, invitation_form):
    client = browser("operator")
    client.post(page("employees/bind/"), invitation_form())
    invitation = Invitation.objects.get()
    proof = client.get(page(f"invitations/{invitation.pk}/proof/"))
    assert proof.status_code == 200 and proof["Content-Type"] == "image/png"
    assert proof["Content-Disposition"].startswith("attachment")
    listed = client.get(page("invitations/?status=pending_review")).content.decode()
    assert 'data-testid="cancel-invitation"' in listed
    assert client.post(page("invitations/?status=pending_review"), {"cancel": invitation.pk}).status_code == 302
    assert Invitation.objects.get().status == "cancelled"
    assert 'data-testid="cancel-invitation"' not in client.get(page("invitations/")).content.decode()
    # cancelling again is refused by the rule, on the page
    again = client.post(page("invitations/"), {"cancel": invitation.pk})
    assert again.status_code == 409 and 'data-code="invitation_not_open"' in again.content.decode()


def test_b10_audit_log_filters_by_action_and_date(world, browser, page, invitation_form):
    client = browser("analyst")
    browser("operator").post(page("employees/bind/"), invitation_form())

    def rows(query):
        return client.get(page(f"audit/?{query}")).content.decode().split('data-testid="audit-table"')[1]

    today = clock.local_today().isoformat()
    shown = rows(f"action=invitation.created&from={today}&to={today}")
    assert "Invitation submitted" in shown and "Awaiting platform review" in shown and 'class="object-name"' in shown
    assert "Invitation #" not in shown  # the object by its name and RED ID (accounts.audit_display)
    assert 'class="object-name"' not in rows("action=binding.ended")
    assert 'class="object-name"' not in rows("to=2013-01-01")
