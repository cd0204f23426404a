"""The bind wizard checks each step against the server as the user moves on (I02, with the same validators as the
submit and the API), and keeps the uploaded proof as a draft across the steps and a refused submit; drafts are the
workspace user's own and are swept after 24 hours."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import AuditEvent
from bindings import tasks
from bindings.models import Invitation, ProofDraft
from bindings.proofs import MAX_PROOF_BYTES
from kos_platform import clock

from ..factories import PASSWORD, MembershipFactory, RedAccountFactory
from .helpers import media_files, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

BAD_CHECKSUM = "110101199001011235"


@pytest.fixture
def browser(world):
    def login(actor, user=None):
        client = Client()
        assert client.login(username=(user or world.users[actor]).username, password=PASSWORD)
        client.cookies["kos_language"] = "en"
        return client

    return login


@pytest.fixture
def urls(world):
    base = f"/w/{world.enterprise.pk}/employees/bind/"
    return {"wizard": base, "step": base + "step/"}


def step_data(form_data: dict, step: int, **overrides) -> dict:
    return {**form_data, "step": str(step), **overrides}


def test_i02_bad_id_checksum_is_refused_at_its_step_and_nothing_is_stored(
    world, browser, urls, invitation_form, unchanged
):
    files = media_files()
    with unchanged():
        response = browser("operator").post(urls["step"], step_data(invitation_form(id_number=BAD_CHECKSUM), 1))
    assert response.status_code == 400
    answer = response.json()
    assert answer["valid"] is False and answer["proof"] is None and answer["refusal"] is None
    assert answer["fields"] == {"id_number": ["The ID number's check digit is wrong."]}
    assert media_files() == files


def test_i02_step_errors_are_in_the_users_language(world, browser, urls, invitation_form):
    client = browser("operator")
    client.cookies["kos_language"] = "zh-hans"
    answer = client.post(urls["step"], step_data(invitation_form(id_number=BAD_CHECKSUM), 1)).json()
    assert answer["fields"]["id_number"] == ["身份证号码校验位不正确。"]


@pytest.mark.parametrize(
    "proof, message",
    [
        pytest.param(
            SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_PROOF_BYTES + b"\n%%EOF\n"),
            "The file is larger than 10 MB.",
            id="too_big",
        ),
        pytest.param(
            SimpleUploadedFile("contract.png", b"this is not an image", content_type="image/png"),
            "Only PDF, JPEG or PNG files are accepted.",
            id="wrong_type_sniffed",
        ),
    ],
)
def test_i02_bad_proof_is_refused_at_its_step(world, browser, urls, invitation_form, unchanged, proof, message):
    files = media_files()
    with unchanged():
        response = browser("operator").post(urls["step"], step_data(invitation_form(proof=proof), 1))
    assert response.status_code == 400
    assert response.json()["fields"] == {"proof": [message]}
    assert media_files() == files


def test_i02_each_step_answers_for_its_own_fields_only(world, browser, urls, invitation_form):
    client = browser("operator")
    # Step 2 without a position: only the position, whatever else is missing (signatures are step 4's).
    answer = client.post(urls["step"], step_data(invitation_form(), 2, position="", agreement_signed="")).json()
    assert answer["fields"] == {"position": ["This field is required."]}
    assert client.post(urls["step"], step_data(invitation_form(agreement_signed=""), 3)).json()["valid"] is True
    unsigned = client.post(urls["step"], step_data(invitation_form(), 4, commitment_signed="", agreement_signed=""))
    assert unsigned.json()["fields"] == {
        "commitment_signed": ["The commitment letter must be signed."],
        "agreement_signed": ["The service agreement must be signed."],
    }
    assert client.post(urls["step"], step_data(invitation_form(), 9)).status_code == 400


def test_i02_a_valid_step_1_keeps_the_proof_as_the_users_draft(world, browser, urls, invitation_form):
    response = browser("operator").post(urls["step"], step_data(invitation_form(position=""), 1))
    assert response.status_code == 200
    answer = response.json()
    assert answer["valid"] is True and answer["fields"] == {}
    draft = ProofDraft.objects.get()
    assert (draft.enterprise, draft.user) == (world.enterprise, world.users["operator"])
    assert answer["proof"]["token"] == draft.token and answer["proof"]["name"] == "在职证明.png"
    assert answer["proof"]["size"].endswith("bytes") or "KB" in answer["proof"]["size"]
    assert draft.file.name.startswith("proof-drafts/") and "在职证明" not in draft.file.name  # a private random name
    assert default_storage.exists(draft.file.name)
    # Checking step 1 again with the token (no new file) keeps the same draft.
    again = (
        browser("operator").post(urls["step"], step_data(invitation_form(proof="", proof_token=draft.token), 1)).json()
    )
    assert again["valid"] is True and again["proof"]["token"] == draft.token and ProofDraft.objects.count() == 1


def test_a02_step_1_refuses_an_ineligible_account_in_words_and_stores_nothing(
    world, browser, urls, invitation_form, employee_account, unchanged
):
    employee_account.has_shop = True
    employee_account.followers = 250_000
    employee_account.save()
    with unchanged():
        response = browser("operator").post(urls["step"], step_data(invitation_form(), 1))
    assert response.status_code == 400
    refusal = response.json()["refusal"]
    assert refusal["message"] == "This Xiaohongshu account does not meet the conditions for an employee account."
    assert refusal["facts"] == ["more than 100,000 followers", "the account has opened a shop"]


def test_e02_step_1_refuses_without_the_kos_permission(world, browser, urls, invitation_form, unchanged):
    world.enterprise.kos_permission_granted_at = None
    world.enterprise.save()
    with unchanged():
        answer = browser("operator").post(urls["step"], step_data(invitation_form(), 1)).json()
    assert answer["valid"] is False and "employee-account management permission" in answer["refusal"]["message"]


def test_i02_proof_kept_after_a_refused_submit_is_used_on_the_resubmit(
    world, browser, urls, invitation_form, employee_account, django_capture_on_commit_callbacks
):
    client = browser("operator")
    employee_account.has_shop = True
    employee_account.save()

    refused = client.post(urls["wizard"], invitation_form())
    assert refused.status_code == 409 and not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="invitation.created").exists()
    draft = ProofDraft.objects.get()
    content = refused.content.decode()
    assert 'data-code="account_not_eligible"' in content and "the account has opened a shop" in content
    assert f'name="proof_token" value="{draft.token}"' in content
    assert 'data-testid="proof-kept"' in content and "在职证明.png" in content and "Replace" in content
    kept = default_storage.open(draft.file.name).read()

    employee_account.has_shop = False
    employee_account.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urls["wizard"], invitation_form(proof="", proof_token=draft.token))
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get()
    assert default_storage.open(invitation.proof.name).read() == kept
    assert invitation.proof.name.startswith("proofs/") and invitation.proof_content_type == "image/png"
    assert not ProofDraft.objects.exists() and not default_storage.exists(draft.file.name)


def test_i02_invalid_submit_without_javascript_keeps_the_proof_and_rerenders_the_step(
    world, browser, urls, invitation_form
):
    response = browser("operator").post(urls["wizard"], invitation_form(id_number=BAD_CHECKSUM))
    assert response.status_code == 400
    content = response.content.decode()
    assert "check digit is wrong" in content and 'data-initial-step="1"' in content
    draft = ProofDraft.objects.get()
    assert f'name="proof_token" value="{draft.token}"' in content and not Invitation.objects.exists()


def test_i02_a_new_file_replaces_the_kept_draft(world, browser, urls, invitation_form):
    client = browser("operator")
    first = client.post(urls["step"], step_data(invitation_form(), 1)).json()["proof"]["token"]
    pdf = SimpleUploadedFile("劳动合同.pdf", pdf_bytes(), content_type="application/pdf")
    second = client.post(urls["step"], step_data(invitation_form(proof=pdf, proof_token=first), 1)).json()["proof"]
    assert second["token"] != first and second["name"] == "劳动合同.pdf"
    assert list(ProofDraft.objects.values_list("token", "content_type")) == [(second["token"], "application/pdf")]


def test_i02_another_workspaces_or_users_draft_token_is_not_usable(world, browser, urls, invitation_form):
    other_client = browser("other_member")
    other_url = f"/w/{world.other_enterprise.pk}/employees/bind/step/"
    foreign = other_client.post(other_url, step_data(invitation_form(), 1)).json()["proof"]["token"]
    colleague = MembershipFactory(enterprise=world.enterprise, role="operator", user__username="colleague").user
    colleagues = browser(None, user=colleague).post(urls["step"], step_data(invitation_form(), 1)).json()
    client = browser("operator")

    for token in (foreign, colleagues["proof"]["token"]):
        response = client.post(urls["wizard"], invitation_form(proof="", proof_token=token))
        assert response.status_code == 400
        assert "Upload the employment certificate or labour contract." in response.content.decode()
        assert token not in response.content.decode()
        step = client.post(urls["step"], step_data(invitation_form(proof="", proof_token=token), 1)).json()
        assert step["fields"] == {"proof": ["Upload the employment certificate or labour contract."]}
    assert not Invitation.objects.exists() and ProofDraft.objects.count() == 2


def test_step_check_needs_the_operate_right_and_the_tenant(world, browser, urls, invitation_form, unchanged):
    with unchanged():
        assert browser("analyst").post(urls["step"], step_data(invitation_form(), 1)).status_code == 403
        foreign = f"/w/{world.other_enterprise.pk}/employees/bind/step/"
        assert browser("operator").post(foreign, step_data(invitation_form(), 1)).status_code == 404
        anonymous = Client().post(urls["step"], step_data(invitation_form(), 1))
        assert anonymous.status_code == 302


def test_step_check_needs_the_csrf_token(world, urls, invitation_form, unchanged):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=world.users["operator"].username, password=PASSWORD)
    with unchanged():
        assert client.post(urls["step"], step_data(invitation_form(), 1)).status_code == 403


def test_the_sweep_removes_drafts_older_than_24_hours_with_their_files(
    world, browser, urls, invitation_form, django_capture_on_commit_callbacks
):
    start = clock.now()
    client = browser("operator")
    with time_machine.travel(start - timedelta(hours=25), tick=False):
        old = client.post(urls["step"], step_data(invitation_form(), 1)).json()["proof"]["token"]
    with time_machine.travel(start - timedelta(hours=23), tick=False):
        png = SimpleUploadedFile("b.png", png_bytes(), content_type="image/png")
        new = client.post(urls["step"], step_data(invitation_form(proof=png), 1)).json()["proof"]["token"]
    old_file = ProofDraft.objects.get(token=old).file.name
    new_file = ProofDraft.objects.get(token=new).file.name

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_proof_drafts() == 1
    assert list(ProofDraft.objects.values_list("token", flat=True)) == [new]
    assert not default_storage.exists(old_file) and default_storage.exists(new_file)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_proof_drafts() == 0  # idempotent
    # A draft past 24 hours is not usable even before the sweep runs.
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        response = client.post(urls["wizard"], invitation_form(proof="", proof_token=new))
    assert response.status_code == 400 and not Invitation.objects.exists()


def test_the_sweep_is_on_the_beat_schedule(settings):
    assert any(entry["task"] == "bindings.tasks.sweep_proof_drafts" for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_the_wizard_page_loads_its_script_and_no_inline_script(world, browser, urls):
    content = browser("operator").get(urls["wizard"]).content.decode()
    assert "js/bind_wizard.js" in content and "data-check-url=" in content and 'name="proof_token"' in content
    assert "<script>" not in content


def test_each_wizard_run_keeps_its_own_draft(world, browser, urls, invitation_form):
    """The same user binding two employees at once: each run keeps its own draft under its own token."""
    client = browser("operator")
    first = client.post(urls["step"], step_data(invitation_form(), 1)).json()["proof"]
    other = RedAccountFactory(red_id="95270002")
    pdf = SimpleUploadedFile("合同.pdf", pdf_bytes(), content_type="application/pdf")
    second = client.post(urls["step"], step_data(invitation_form(red_id=other.red_id, proof=pdf), 1)).json()["proof"]
    assert first["token"] != second["token"] and ProofDraft.objects.count() == 2
