"""Demo notes for the run command: a brand's employees with a few months of notes and daily figures, some
submitted, reviewed, boosted and pushed — through the same ingest and services as the API. Seeded, so every
run draws the same notes; dates are relative to today."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from accounts.models import Enterprise, User
from bindings.choices import BindingStatus
from kos_platform import clock
from kos_platform.tenancy import Actor, Workspace

from . import ingest, metrics_ingest, services
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
# The start of each title's text (the ingest keeps the first 200 characters).
EXCERPTS = (
    "早上时间紧？这套通勤妆只用五样产品：轻薄粉底、遮瑕、眉笔、大地色眼影和豆沙色口红，10分钟搞定，一整天不斑驳。",
    "门店刚到的雾面唇釉，我把六个色号都试了一遍。黄皮友好的是03和05，显白又不拔干，附上自然光下的真实上嘴图。",
    "换季皮肤泛红起皮？店长分享自己的敏感肌护肤清单：温和洁面、修护精华、厚涂面霜，三周后屏障稳定多了。",
    "做导购三年，试过的粉底液不下二十款。这次挑了五款平价的做对比：遮瑕力、持妆度、氧化程度，一张表看清楚。",
    "周一元气橘、周二温柔粉、周三干练棕……一周七天妆容不重样，每套都附步骤图，手残党也能跟着画。",
    "会员日到底怎么买最划算？积分抵现、满赠叠加、小样兑换，导购帮你算好了，照着清单下单就不会踩坑。",
    "油皮夏天最怕脱妆。控油妆前乳打底、粉底少量多次、定妆喷雾收尾，亲测室外八小时T区依然干净。",
    "约会前半小时也来得及：水光底妆、玫瑰色腮红、微闪眼影，再配一支滋润唇釉，氛围感一下就有了。",
    "眼影盘买回来不会用？先看冷暖调，再看哑光和珠光的比例，最后试试过渡色，三步教你选到适合自己的。",
    "带大家体验门店的专业肤质检测：水油平衡、毛孔、敏感度都有数据，检测完导购会按结果推荐护肤方案。",
    "阴天要不要涂防晒？室内要不要涂？答案都是要。紫外线一年四季都在，选对质地，天天涂也不闷痘。",
    "学生党预算有限也能好好护肤：基础三步洁面、保湿、防晒就够了，附上百元以内的好用清单。",
)
# Served by this site (static/, under its plain name, which WhiteNoise serves too): the demo loads nothing from the
# internet. Only the demo may store such a site path (`site_covers`); the API takes http(s) addresses only.
DEMO_COVERS = "img/demo-covers/cover-{:02d}.svg"


# Metrics: a note is published some time in the last months (AGES, in days) and has figures for every day from
# its publish date to today. Each note has its own reach; a day's exposure follows the life of a real note (a launch
# peak in the first days, a decay, a long tail of search traffic, busier weekends, now and then a second wind).
AGES = (1, 2, 3, 5, 8, 12, 20, 35, 50, 70, 95, 120, 140, 165)


def _note_profile(rng: random.Random) -> dict:
    """What stays the same every day of one note: its reach and how its readers react."""
    return {
        "reach": rng.paretovariate(1.3) * 350,
        "read_rate": rng.uniform(0.06, 0.16),
        "like_rate": rng.uniform(0.03, 0.11),
        "collect_rate": rng.uniform(0.01, 0.05),
        "tail": rng.uniform(0.01, 0.05),
        "second_wind": rng.randint(20, 160) if rng.random() < 0.3 else None,  # the day a search trend picks it up
    }


def _figures(rng: random.Random, kind: str, profile: dict, age: int, day: date) -> dict:
    """One day's figures of a note published `age` days before `day`."""
    life = 1 / (1 + age / 3) ** 1.4 + profile["tail"]
    if profile["second_wind"] is not None and 0 <= age - profile["second_wind"] < 10:
        life += 0.25 / (1 + (age - profile["second_wind"]) / 2)
    weekend = 1.25 if day.weekday() >= 5 else 1.0
    exposure = int(profile["reach"] * life * weekend * rng.lognormvariate(0, 0.25))
    reads = int(exposure * profile["read_rate"] * rng.uniform(0.85, 1.15))
    return {
        "exposure": exposure,
        "reads": reads,
        "likes": int(reads * profile["like_rate"] * rng.uniform(0.8, 1.2)),
        "collects": int(reads * profile["collect_rate"] * rng.uniform(0.8, 1.2)),
        "comments": int(reads * rng.uniform(0.0, 0.03)),
        "shares": int(reads * rng.uniform(0.0, 0.015)),
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
            age = rng.choice(AGES)
            kind = rng.choice(("video", "image", "image"))
            note_id = f"{rng.getrandbits(96):024x}"
            published = timezone.make_aware(
                datetime.combine(today - timedelta(days=age), time(rng.randint(8, 22), rng.randint(0, 59)))
            )
            topic = (number + len(notes)) % len(TITLES)
            notes.append(
                {
                    "note_id": note_id,
                    "red_id": account.red_id,
                    "title": TITLES[topic],
                    "type": kind,
                    "url": f"https://www.xiaohongshu.com/explore/{note_id}",
                    "published_at": published.isoformat(),
                    # every seventh note without a cover, to show the placeholder
                    "cover_url": "" if len(notes) % 7 == 6 else settings.STATIC_URL + DEMO_COVERS.format(topic + 1),
                    "excerpt": EXCERPTS[topic],
                }
            )
            profile = _note_profile(rng)
            for days_old in range(age + 1):  # every day from the publish date to today
                day = today - timedelta(days=age - days_old)
                metrics.append(
                    {"note_id": note_id, "date": day.isoformat(), **_figures(rng, kind, profile, days_old, day)}
                )
    actor = Actor(user=staff)
    ingest.upsert_notes(actor=actor, rows=notes, site_covers=True)
    for start in range(0, len(metrics), ingest.MAX_INGEST_ROWS):
        metrics_ingest.upsert_metrics(actor=actor, rows=metrics[start : start + ingest.MAX_INGEST_ROWS])
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
