"""Demo ads for the run command: the brand's first recharge, its pushed notes in campaigns (one delivering, one search
draft with typed keywords, one paused), 30 days of spend from the ad platform (enough to unlock advanced rights) and
the DM service it configured — through the same services and ingest as the API. Seeded; dates relative to today."""

import random
from datetime import timedelta
from decimal import Decimal

from accounts.models import Enterprise, User
from kos_platform import clock
from kos_platform.tenancy import Actor, Workspace
from notes import services as note_services
from notes.models import Note, NotePush

from . import ledger, services, spend
from .models import Campaign, LedgerLine

FIRST_RECHARGE = Decimal("20000.00")


def fund_demo_account(*, enterprise: Enterprise, owner: User) -> bool:
    """The first recharge, unless the account has one already."""
    if LedgerLine.objects.filter(account_id=enterprise.pk).exists():
        return False
    ledger.recharge(workspace=Workspace(enterprise=enterprise, user=owner, role="owner"), amount=FIRST_RECHARGE)
    return True


def load_demo_ads(*, staff: User, enterprise: Enterprise, operator: User) -> int:
    """Campaigns on the approved notes and a month of their spend, unless the enterprise has campaigns already.
    Returns how many campaigns were made."""
    if Campaign.objects.filter(enterprise=enterprise).exists():
        return 0
    rng = random.Random(2026)
    workspace = Workspace(enterprise=enterprise, user=operator, role="operator")
    approved = list(Note.objects.filter(enterprise=enterprise, review_status="approved").order_by("-exposure"))
    for note in approved:
        note_services.note_push_to_ads(workspace=workspace, note=note)
    pushed = list(Note.objects.filter(pk__in=NotePush.objects.filter(enterprise=enterprise).values("note_id")))
    if not pushed:
        return 0
    today = clock.local_today()
    delivering = services.campaign_create(
        workspace=workspace,
        name="秋冬新品种草 · 信息流",
        objective="product_seeding",
        placement="feed",
        goal="seed_potential",
        daily_budget=Decimal("300.00"),
        start_date=today,
        end_date=today + timedelta(days=60),
    )
    unit = services.unit_create(
        workspace=workspace,
        campaign=delivering,
        name="门店导购笔记",
        notes=pushed,
        keywords=[],
        components=["dm", "product"],
        targeting={"regions": ["shanghai", "zhejiang", "jiangsu"], "gender": "female", "age_bands": ["18_24", "25_34"]},
    )
    services.campaign_start(workspace=workspace, campaign=delivering)
    search = services.campaign_create(
        workspace=workspace,
        name="秋冬新品种草 · 搜索",
        objective="product_seeding",
        placement="search",
        goal="seed_potential",
        daily_budget=Decimal("130.00"),
        start_date=today + timedelta(days=1),
    )
    services.unit_create(
        workspace=workspace,
        campaign=search,
        name="品牌与品类词",
        notes=pushed[:1],
        keywords=[
            {"text": "花漾美妆", "type": "brand"},
            {"text": "花漾雾面唇釉", "type": "brand_product"},
            {"text": "唇釉推荐", "type": "category"},
            {"text": "通勤妆容", "type": "scenario"},
        ],
        negative_keywords=["二手", "免费领"],
        bid=Decimal("0.80"),
    )
    paused = services.campaign_create(
        workspace=workspace,
        name="会员日客资收集",
        objective="lead_collection",
        placement="feed",
        daily_budget=Decimal("200.00"),
        start_date=today,
    )
    services.unit_create(workspace=workspace, campaign=paused, name="会员日", notes=pushed[-1:], keywords=[])
    services.campaign_start(workspace=workspace, campaign=paused)
    services.campaign_pause(workspace=workspace, campaign=paused)
    rows = []
    for day in range(30):
        for note in pushed:
            amount = Decimal(rng.randint(4000, 14000)) / 100
            impressions = int(amount * rng.randint(80, 140))
            rows.append(
                {
                    "enterprise_id": enterprise.pk,
                    "note_id": note.note_id,
                    "unit_id": unit.pk,
                    "date": (today - timedelta(days=day)).isoformat(),
                    "amount": f"{amount:.2f}",
                    "impressions": impressions,
                    "clicks": impressions // rng.randint(25, 60),
                    "component_clicks": {"dm": rng.randint(0, 12), "product": rng.randint(0, 8)},
                }
            )
    spend.upsert_spend(actor=Actor(user=staff), rows=rows)
    services.advanced_features_update(
        workspace=workspace,
        welcome_message="您好，欢迎来到花漾美妆！门店导购为您一对一解答。",
        auto_replies=[{"keyword": "价格", "reply": "新品唇釉 129 元，会员日 9 折。"}],
        quick_menu=[{"label": "附近门店", "reply": "上海静安店：南京西路 1266 号"}],
        dial_phone="400-820-1234",
        dial_label="一键拨号",
        lead_card_title="预约到店试色",
        lead_card_fields=["name", "phone", "city"],
    )
    return 3


PRODUCTS = (
    ("HY-LIP-01", "花漾雾面唇釉", "129.00", "0.15"),
    ("HY-LIP-02", "花漾水光唇蜜", "99.00", None),
    ("HY-FDT-01", "花漾轻薄粉底液", "239.00", "0.12"),
    ("HY-EYE-01", "花漾九色眼影盘", "189.00", None),
    ("HY-SKN-01", "花漾修护精华", "329.00", "0.08"),
    ("HY-SUN-01", "花漾清透防晒乳", "119.00", None),
)


def load_demo_commerce(*, staff: User, enterprise: Enterprise) -> int:
    """The shop's products and orders by the brand's employee accounts (a few refunded), through the ingests, unless
    the enterprise has products already. Returns how many orders were made."""
    from bindings.models import Binding

    from . import orders as shop
    from .models import Product

    if Product.objects.filter(enterprise=enterprise).exists():
        return 0
    rng = random.Random(2026)
    actor = Actor(user=staff)
    shop.upsert_products(
        actor=actor,
        rows=[
            {"product_id": pid, "enterprise_id": enterprise.pk, "name": name, "price": price}
            | ({"commission_rate": rate} if rate else {})
            for pid, name, price, rate in PRODUCTS
        ],
    )
    accounts = list(
        Binding.objects.filter(enterprise=enterprise, status="active").values_list(
            "red_account__red_id", "effective_at"
        )
    )
    now = clock.now()
    rows = []
    for number in range(48):
        red_id, effective = rng.choice(accounts)
        # Since the binding took effect (the demo's bindings are made as it loads): before it, no commission.
        paid = effective + (now - effective) * rng.uniform(0.1, 0.9)
        pid, _name, price, _rate = rng.choice(PRODUCTS)
        row = {
            "order_id": f"HY{number + 1:06d}",
            "enterprise_id": enterprise.pk,
            "red_id": red_id,
            "channel": rng.choice(("note", "note", "dm", "group_chat", "live")),
            "amount": f"{Decimal(price) * rng.choice((1, 1, 2)):.2f}",
            "paid_at": paid.isoformat(),
            "product_id": pid,
        }
        if number % 9 == 4:
            refunded = paid + (now - paid) / 2
            row |= {"status": "refunded", "refunded_at": refunded.isoformat()}
        rows.append(row)
    shop.upsert_orders(actor=actor, rows=rows)
    return len(rows)
