"""Demo notes for the run command: a brand's employees with a few months of notes and daily figures, some
submitted, reviewed, boosted and pushed — through the same ingest and services as the API. Seeded, so every
run draws the same notes; dates are relative to today."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Enterprise, User
from bindings.choices import BindingStatus
from kos_platform import clock
from kos_platform.tenancy import Actor, Workspace

from . import ingest, services
from .models import Note, NoteReview

TITLES = (
    "秋冬通勤妆容｜10分钟出门不踩雷",
    "门店新品试色：雾面唇釉真实上嘴",
    "敏感肌换季护肤清单，店长亲测",
    "导购私藏｜平价好用的粉底液对比",
    "一周妆容不重样，新手也能学会",
    "会员日攻略：这样买最划算",
    "油皮夏天持妆8小时的秘密",
    "约会氛围感妆容教程",
    "眼影盘怎么选？三步看懂色号",
    "门店体验：专业肤质检测全过程",
    "防晒到底要不要天天涂",
    "学生党平价护肤入门",
)
REJECT_REASONS = ("与品牌相关性不足", "含站外导流信息，不符合社区规范")


def _figures(rng: random.Random, kind: str, age: int) -> dict:
    exposure = int(rng.paretovariate(1.3) * 300 / (1 + age / 4))
    reads = int(exposure * rng.uniform(0.05, 0.18))
    return {
        "exposure": exposure,
        "reads": reads,
        "likes": int(reads * rng.uniform(0.02, 0.12)),
        "collects": int(reads * rng.uniform(0.01, 0.06)),
        "comments": int(reads * rng.uniform(0.0, 0.04)),
        "shares": int(reads * rng.uniform(0.0, 0.02)),
        "leads": int(reads * rng.uniform(0.0, 0.01)),
        "read_uv": int(reads * rng.uniform(0.8, 0.95)),
        "play_5s_rate": round(rng.uniform(0.15, 0.6), 4) if kind == "video" else None,
        "read_3s_rate": round(rng.uniform(0.3, 0.8), 4) if kind == "image" else None,
        "avg_view_seconds": round(rng.uniform(3, 40), 2),
    }


def load_demo_notes(*, staff: User, enterprise: Enterprise, operator: User) -> int:
    """Notes for the enterprise's active bindings, unless it has notes already. Returns how many were made."""
    if Note.objects.filter(enterprise=enterprise).exists():
        return 0
    rng = random.Random(2026)
    today = clock.local_today()
    accounts = [
        b.red_account for b in enterprise.bindings.filter(status=BindingStatus.ACTIVE).select_related("red_account")
    ]
    notes, metrics = [], []
    for account in accounts:
        for number in range(rng.randint(7, 14)):
            age = rng.choice((1, 2, 3, 5, 8, 12, 20, 35, 50, 70, 95, 110))
            kind = rng.choice(("video", "image", "image"))
            note_id = f"{rng.getrandbits(96):024x}"
            published = timezone.make_aware(
                datetime.combine(today - timedelta(days=age), time(rng.randint(8, 22), rng.randint(0, 59)))
            )
            notes.append(
                {
                    "note_id": note_id,
                    "red_id": account.red_id,
                    "title": TITLES[(number + len(notes)) % len(TITLES)],
                    "type": kind,
                    "url": f"https://www.xiaohongshu.com/explore/{note_id}",
                    "published_at": published.isoformat(),
                }
            )
            for day in range(min(age, 30) + 1):
                metrics.append(
                    {
                        "note_id": note_id,
                        "date": (today - timedelta(days=age - day)).isoformat(),
                        **_figures(rng, kind, day),
                    }
                )
    actor = Actor(user=staff)
    ingest.upsert_notes(actor=actor, rows=notes)
    for start in range(0, len(metrics), ingest.MAX_INGEST_ROWS):
        ingest.upsert_metrics(actor=actor, rows=metrics[start : start + ingest.MAX_INGEST_ROWS])
    _review_some(staff=actor, enterprise=enterprise, operator=operator)
    return len(notes)


def _review_some(*, staff: Actor, enterprise: Enterprise, operator: User) -> None:
    """Eight recent notes submitted: three approved (one boosted, one pushed to ads), two rejected, three in review."""
    workspace = Workspace(enterprise=enterprise, user=operator, role="operator")
    recent = list(
        Note.objects.filter(enterprise=enterprise, published_at__gte=clock.now() - clock.days(60)).order_by(
            "-exposure"
        )[:8]
    )
    services.submit_for_review(workspace=workspace, notes=recent)
    reviews = list(NoteReview.objects.filter(enterprise=enterprise).select_related("note").order_by("id"))
    for review in reviews[:3]:
        services.review_approve(actor=staff, review=review)
    for review, reason in zip(reviews[3:5], REJECT_REASONS, strict=True):
        services.review_reject(actor=staff, review=review, reason=reason)
    services.note_boost(workspace=workspace, note=reviews[0].note, budget=Decimal("500.00"))
    services.note_push_to_ads(workspace=workspace, note=reviews[1].note)
