"""The bind wizard checks each step with the server (I02): a bad ID number is refused at step 1, beside its field,
before anything is stored; the proof is uploaded once and kept across the steps and across a refused final submit,
and used when the invitation is finally sent. Screenshots of each step at 1440 px and at 375 px."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.choices import Role
from bindings.models import Invitation, ProofDraft
from tests.bindings.helpers import png_bytes
from tests.factories import EnterpriseFactory, MembershipFactory, RedAccountFactory, valid_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RED_ID = "95270001"
BAD_ID = "110101199001011235"  # the check digit should be 5… it is not: 18 characters, wrong checksum
FOLDER = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "wizard"
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def brand(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    FOLDER.mkdir(parents=True, exist_ok=True)
    enterprise = EnterpriseFactory(name="花漾美妆")
    MembershipFactory(enterprise=enterprise, role=Role.OPERATOR, user__username="brand_operator")
    account = RedAccountFactory(
        red_id=RED_ID, nickname="小美导购日记", real_name="李小美", id_number=valid_id_number(1), user__username="emp"
    )
    return enterprise, account


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(FOLDER / f"{name}.png"), full_page=True)


def step_heading(page: Page, text: str):
    return page.locator("fieldset.is-current legend", has_text=text)


def fill_step_1(page: Page, id_number: str) -> None:
    page.locator("label.mode-card", has_text="员工个人号授权").click()
    page.locator("#id_red_id").fill(RED_ID)
    page.get_by_test_id("search-account").click()
    expect(page.get_by_test_id("eligibility")).to_contain_text("小美导购日记")
    page.get_by_label("姓名").fill("李小美")
    page.get_by_label("身份证号码").fill(id_number)
    page.locator("#id_proof").set_input_files({"name": "在职证明.png", "mimeType": "image/png", "buffer": png_bytes()})
    page.get_by_label("所属区域").fill("上海·静安")


def next_step(page: Page) -> None:
    page.locator("fieldset.is-current [data-wizard-next]").click()


def walk_to_step_4(page: Page, size: str, *, shots: bool) -> None:
    expect(step_heading(page, "2 · 选择岗位")).to_be_visible()
    page.get_by_role("radio", name="导购").check()
    if shots:
        shot(page, f"step2_{size}")
    next_step(page)
    expect(step_heading(page, "3 · 查看员工号权限")).to_be_visible()
    if shots:
        shot(page, f"step3_{size}")
    next_step(page)
    expect(step_heading(page, "4 · 签署承诺书")).to_be_visible()


@pytest.mark.parametrize("size", ["1440", "375"])
def test_bad_id_refused_at_its_step_then_the_kept_proof_reaches_the_final_submit(
    new_page, live_server, login, brand, size
):
    enterprise, account = brand
    page = new_page(**(PHONE if size == "375" else {"viewport": {"width": 1440, "height": 900}}))
    login(page, "brand_operator")
    page.goto(f"/w/{enterprise.pk}/employees/bind/")
    expect(page.get_by_role("heading", level=1)).to_have_text("绑定员工账号")

    # Step 1 with a bad ID number: refused beside the field, the wizard stays, nothing is stored.
    fill_step_1(page, BAD_ID)
    next_step(page)
    error = page.locator("[data-errors-for=id_number] .invalid-feedback")
    expect(error).to_have_text("身份证号码校验位不正确。")
    expect(page.locator("#id_id_number")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(step_heading(page, "1 · 确认员工信息")).to_be_visible()
    assert not ProofDraft.objects.exists()
    error.scroll_into_view_if_needed()
    shot(page, f"step1_bad_id_{size}")

    # Fixed: the step passes, the proof is kept as a draft (uploaded once).
    page.get_by_label("身份证号码").fill(valid_id_number(1))
    next_step(page)
    walk_to_step_4(page, size, shots=True)
    draft = ProofDraft.objects.get()
    expect(page.locator("[data-proof-token]")).to_have_value(draft.token)
    page.get_by_label("我已阅读并签署《承诺书》").check()
    page.get_by_label("我已阅读并签署《服务协议》").check()
    shot(page, f"step4_{size}")

    # The account turns out ineligible at the final submit: refused, back at step 1 with the proof still kept.
    account.has_shop = True
    account.save()
    with page.expect_navigation():
        page.get_by_test_id("submit-invitation").click()
    expect(page.get_by_test_id("rule-violation")).to_contain_text("账号已开店")
    kept = page.get_by_test_id("proof-kept")
    expect(kept).to_be_visible()
    expect(kept).to_contain_text("在职证明.png")
    expect(kept.get_by_role("button", name="更换")).to_be_visible()
    expect(page.locator("#id_proof")).to_be_hidden()
    shot(page, f"refused_proof_kept_{size}")

    # Eligible again: the wizard's steps are checked again and the kept proof is sent without a new upload.
    account.has_shop = False
    account.save()
    next_step(page)
    walk_to_step_4(page, size, shots=False)
    expect(page.get_by_label("我已阅读并签署《服务协议》")).to_be_checked()
    with page.expect_navigation():
        page.get_by_test_id("submit-invitation").click()
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/invitations/")
    invitation = Invitation.objects.get()
    assert invitation.proof_content_type == "image/png" and not ProofDraft.objects.exists()
    shot(page, f"submitted_{size}")


def test_batch_page_names_refusals_in_words_and_disables_the_upload_without_permission(new_page, login, brand):
    enterprise, account = brand
    account.has_shop = True
    account.save()
    page = new_page(viewport={"width": 1440, "height": 900})
    login(page, "brand_operator")
    page.goto(f"/w/{enterprise.pk}/invitations/batch/")
    table = "绑定模式,小红书号,姓名,身份证号码,岗位,所属区域,在职证明文件,已签署承诺书,已签署服务协议\n"
    table += f"员工个人号授权,{RED_ID},李小美,{valid_id_number(1)},导购,上海·静安,a.png,是,是\n"
    table += "企业员工号,95270001,李小美（示例）,110105199003070025,导购,上海·静安,limei.pdf,是,是\n"
    page.locator("#id_table").set_input_files({"name": "b.csv", "mimeType": "text/csv", "buffer": table.encode()})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.png", png_bytes())
    page.locator("#id_proofs").set_input_files(
        {"name": "proofs.zip", "mimeType": "application/zip", "buffer": archive.getvalue()}
    )
    with page.expect_navigation():
        page.get_by_test_id("batch-submit").click()
    report = page.get_by_test_id("batch-report")
    expect(report).to_contain_text("账号已开店")
    expect(report).not_to_contain_text("account_not_eligible")
    expect(page.get_by_test_id("batch-skipped")).to_be_visible()
    shot(page, "batch_report_1440")

    enterprise.kos_permission_granted_at = None
    enterprise.save()
    page.goto(f"/w/{enterprise.pk}/invitations/batch/")
    expect(page.get_by_test_id("enterprise-blockers")).to_be_visible()
    expect(page.get_by_test_id("batch-submit")).to_be_disabled()
    shot(page, "batch_no_permission_1440")
