"""A varied audit log written by the real services: bindings, notes, ads, commerce, members, agencies, API keys,
sign-in. Used by tests/accounts/test_audit_display.py and the e2e screenshot of the 操作日志 page."""

from datetime import timedelta
from decimal import Decimal

from accounts import services as account_services
from accounts.choices import ApiKeyScope, Role
from accounts.models import User
from bindings import services as binding_services
from bindings.sweeps import expire_due_invitations
from campaigns import commission, ledger, rights
from campaigns import services as campaign_services
from campaigns.spend import upsert_spend
from kos_platform import clock
from kos_platform.tenancy import Actor, Workspace
from notes import services as note_services
from notes.ingest import upsert_notes
from notes.metrics_ingest import upsert_metrics
from notes.models import Note, NoteReview

from ..bindings.helpers import OWNED, PERSONAL, bind, invite, send
from ..campaigns.helpers import spend_row
from ..factories import RedAccountFactory, UserFactory
from ..notes.helpers import metric_row, note_row

NOTE_TITLE = "春日妆容分享"
CAMPAIGN_NAME = "春季新品种草"
UNIT_NAME = "唇釉单元"
KEY_NAME = "门店系统对接"
EMPLOYEE_NAME = "唐艳"


def write_varied_log(enterprise, owner: User, agency) -> dict:
    """Every kind of record the services write for `enterprise` (and a few platform-wide ones). Returns facts the
    tests look for."""
    staff = Actor(user=UserFactory(username="audit_staff", display_name="平台审核员", is_staff=True))
    workspace = Workspace(enterprise=enterprise, user=owner, role=Role.OWNER)
    via_agency = Workspace(
        enterprise=enterprise,
        user=UserFactory(username="agency_worker", display_name="代理小王"),
        role=Role.OPERATOR,
        agency=agency,
    )

    # Bindings: invited, approved, accepted (binding), frozen, unfrozen, unbound; rejected, cancelled, expired.
    employee = RedAccountFactory(real_name=EMPLOYEE_NAME, red_id="95880001")
    binding = bind(enterprise, employee, OWNED)
    binding_services.binding_freeze(actor=workspace.actor, binding=binding, reason="员工休假")
    binding_services.binding_unfreeze(actor=workspace.actor, binding=binding)
    rejected = invite(enterprise, RedAccountFactory())
    binding_services.invitation_reject(actor=staff, invitation=rejected, reason="证明模糊")
    cancelled = invite(enterprise, RedAccountFactory())
    binding_services.invitation_cancel(workspace=workspace, invitation=cancelled, reason="重复提交")
    lapsing = send(enterprise, RedAccountFactory(), PERSONAL)
    declined = send(enterprise, RedAccountFactory(), PERSONAL)
    binding_services.invitation_decline(actor=Actor(user=declined.red_account.user), invitation=declined)

    # Notes: synced, figures synced, submitted, approved and rejected, boosted, pushed.
    author = bind(enterprise, RedAccountFactory(real_name="林晓"), PERSONAL)
    rows = [
        note_row(author.red_account.red_id, title=NOTE_TITLE),
        note_row(author.red_account.red_id, title="夏日清透底妆"),
    ]
    upsert_notes(actor=staff, rows=rows)
    upsert_metrics(actor=staff, rows=[metric_row(rows[0]["note_id"], likes=12)])
    notes = list(Note.objects.filter(note_id__in=[row["note_id"] for row in rows]).order_by("title"))
    note_services.submit_for_review(workspace=via_agency, notes=notes)
    reviews = {review.note.title: review for review in NoteReview.objects.select_related("note")}
    note_services.review_approve(actor=staff, review=reviews[NOTE_TITLE])
    note_services.review_reject(actor=staff, review=reviews["夏日清透底妆"], reason="与品牌无关")
    approved = Note.objects.get(title=NOTE_TITLE)

    # Ads: recharge, boost, push, campaign and unit life, features, commission, platform settings, rights, spend.
    ledger.recharge(workspace=workspace, amount=Decimal("9000.00"))
    note_services.note_boost(workspace=workspace, note=approved, budget=Decimal("500.00"))
    note_services.note_push_to_ads(workspace=via_agency, note=approved)
    campaign = campaign_services.campaign_create(
        workspace=workspace,
        name=CAMPAIGN_NAME,
        objective="product_seeding",
        placement="search",
        goal="seed_potential",
        daily_budget=Decimal("1234.50"),
        start_date=clock.local_today(),
    )
    unit = campaign_services.unit_create(
        workspace=workspace,
        campaign=campaign,
        notes=[approved],
        keywords=[{"text": "唇釉", "type": "category"}],
        name=UNIT_NAME,
        components=["dm", "product"],
        targeting={"regions": ["shanghai"], "gender": "female"},
        bid=Decimal("1.20"),
    )
    spare = campaign_services.unit_create(
        workspace=workspace, campaign=campaign, notes=[approved], keywords=[], name="备用单元"
    )
    campaign_services.unit_update(workspace=workspace, unit=unit, negative_keywords=["免费"])
    campaign_services.unit_delete(workspace=workspace, unit=spare)
    campaign_services.campaign_update(workspace=workspace, campaign=campaign, daily_budget=Decimal("800.00"))
    campaign_services.campaign_start(workspace=workspace, campaign=campaign)
    campaign_services.campaign_pause(workspace=workspace, campaign=campaign)
    campaign_services.advanced_features_update(
        workspace=workspace, welcome_message="欢迎咨询", lead_card_fields=["name", "phone"]
    )
    campaign_services.platform_settings_update(actor=staff, advanced_rights_threshold=Decimal("6000.00"))
    commission.default_rate_set(workspace=workspace, rate=Decimal("0.1250"))
    last_month = (clock.month_start() - timedelta(days=1)).strftime("%Y-%m")
    commission.settle_month(workspace=workspace, month=last_month)
    upsert_spend(actor=staff, rows=[spend_row(enterprise, approved, amount="6500.00")])
    rights.record_changes()

    # People, agencies, keys, sign-in.
    account_services.enterprise_update(actor=staff, enterprise=enterprise, monthly_note_quota=1200)
    account_services.kos_permission_revoke(actor=staff, enterprise=enterprise, reason="复核")
    account_services.kos_permission_grant(actor=staff, enterprise=enterprise)
    account_services.member_set(
        actor=workspace.actor,
        enterprise=enterprise,
        username="new_analyst",
        role=Role.ANALYST,
        password="x-Long-pass-1",
    )
    report = account_services.agency_report(
        workspace=workspace, agency=account_services.agency_create(actor=staff, name="云图代理")
    )
    account_services.agency_report_revoke(workspace=workspace, report=report)
    account_services.agency_workspace_enter(workspace=via_agency)
    key, _raw = account_services.api_key_create(
        actor=workspace.actor, name=KEY_NAME, scope=ApiKeyScope.ENTERPRISE, enterprise=enterprise
    )
    account_services.api_key_revoke(actor=workspace.actor, key=key)
    account_services.sign_in_lockout_record(
        username=owner.username, failures=10, locked_until=clock.now() + timedelta(minutes=15), ip_address="10.0.0.8"
    )
    # The sweep last: the lapsing invitation's 48 hours are over.
    type(lapsing).objects.filter(pk=lapsing.pk).update(expires_at=clock.now() - timedelta(minutes=1))
    expire_due_invitations()
    return {"binding": binding, "note": approved, "campaign": campaign, "unit": unit, "key": key}
