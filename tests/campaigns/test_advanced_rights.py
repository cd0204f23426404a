"""C03: advanced rights on the rolling window of ad spend — at the instant, the forecast, the daily job's record."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from accounts.models import AuditEvent
from bindings.models import Notification
from campaigns import rights, tasks
from campaigns.models import AdSpendDaily, AdvancedRightsState
from kos_platform import clock

from ..factories import EnterpriseFactory
from ..workers import wait_for
from .helpers import post_spend, pushed_note, spend_row

pytestmark = pytest.mark.django_db


def rights_url(enterprise, rest=""):
    return f"/api/v1/enterprises/{enterprise.pk}/advanced-rights/{rest}"


@pytest.fixture
def note(world):
    return pushed_note(world.enterprise)


def test_c03_locked_below_the_threshold_with_what_is_missing(world, note):
    post_spend(world.client("staff"), [spend_row(world.enterprise, note, amount="4999.99")])
    body = world.client("analyst").get(rights_url(world.enterprise)).json()
    assert body == {
        "window_days": 30,
        "threshold": "5000.00",
        "spend": "4999.99",
        "unlocked": False,
        "features": [],
        "since": None,
        "locks_on": None,
        "needed_to_keep": None,
        "needed_to_unlock": "0.01",
    }


def test_c03_the_window_is_the_last_30_local_days_today_included_with_the_forecast(world, note):
    today = clock.local_today()
    post_spend(
        world.client("staff"),
        [
            spend_row(world.enterprise, note, today - timedelta(days=30), "9999.00"),  # outside the window
            spend_row(world.enterprise, note, today - timedelta(days=29), "3000.00"),
            spend_row(world.enterprise, note, today - timedelta(days=10), "1500.00"),
            spend_row(world.enterprise, note, today, "600.00"),
        ],
    )
    body = world.client("operator").get(rights_url(world.enterprise)).json()
    assert (body["spend"], body["unlocked"]) == ("5100.00", True)
    assert body["features"] == ["dm_welcome_message", "dm_auto_reply", "dm_quick_menu", "dial_card", "lead_card"]
    # Tomorrow the 3,000 of 29 days ago leaves the window: 2,100 < 5,000, so the rights lock then,
    # unless 2,900 more is spent by that day.
    assert body["locks_on"] == (today + timedelta(days=1)).isoformat()
    assert body["needed_to_keep"] == "2900.00"
    assert body["since"] == (today - timedelta(days=30)).isoformat()  # the 9,999 unlocked it that day


def test_c03_holds_at_the_instant_without_the_job(world, note):
    today = clock.local_today()
    post_spend(world.client("staff"), [spend_row(world.enterprise, note, today, "5000.00")])
    assert rights.rights_of(world.enterprise).unlocked
    with time_machine.travel(clock.now() + timedelta(days=29)):
        state = rights.rights_of(world.enterprise)
        assert state.unlocked and state.locks_on == today + timedelta(days=30)
    with time_machine.travel(clock.now() + timedelta(days=30)):
        assert not rights.rights_of(world.enterprise).unlocked
    assert not AdvancedRightsState.objects.exists()


def test_c03_staff_adjust_the_threshold_and_window(world, note):
    post_spend(world.client("staff"), [spend_row(world.enterprise, note, amount="1000.00")])
    response = world.client("staff").patch(
        "/api/v1/platform/settings/",
        {"advanced_rights_threshold": "800.00", "advanced_rights_window_days": 7},
        format="json",
    )
    assert response.status_code == 200
    body = world.client("owner").get(rights_url(world.enterprise)).json()
    assert (body["window_days"], body["threshold"], body["unlocked"]) == (7, "800.00", True)


def test_c03_features_are_stored_while_locked_and_served_only_while_unlocked(world, note):
    client = world.client("operator")
    features = {
        "welcome_message": "您好，欢迎咨询花漾美妆！",
        "auto_replies": [{"keyword": "价格", "reply": "新品 199 元起"}],
        "quick_menu": [{"label": "门店地址", "reply": "上海市静安区南京西路 1 号"}],
        "dial_phone": "400-820-8820",
        "dial_label": "一键拨号",
        "lead_card_title": "预约试用",
        "lead_card_fields": ["name", "phone"],
    }
    saved = client.patch(rights_url(world.enterprise, "features/"), features, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json() == features | {"served": False}
    profile = world.client("anonymous").get(f"/api/v1/red/{note.author.red_id}/profile/").json()
    assert profile.get("dm_service") is None
    post_spend(world.client("staff"), [spend_row(world.enterprise, note, amount="5000.00")])
    assert client.get(rights_url(world.enterprise, "features/")).json()["served"] is True
    profile = world.client("anonymous").get(f"/api/v1/red/{note.author.red_id}/profile/").json()
    assert profile["dm_service"]["welcome_message"] == "您好，欢迎咨询花漾美妆！"
    assert profile["dm_service"]["dial_card"] == {"phone": "400-820-8820", "label": "一键拨号"}
    assert AuditEvent.objects.filter(action="advanced_features.updated").count() == 1


def test_c03_features_refuse_bad_input(world, unchanged):
    client = world.client("operator")
    for body in (
        {"dial_phone": "call me"},
        {"lead_card_fields": ["name", "name"]},
        {"lead_card_fields": ["salary"]},
        {"auto_replies": [{"keyword": "", "reply": "x"}]},
        {"quick_menu": [{"label": "x", "reply": "y"}] * 7},
    ):
        with unchanged():
            assert client.patch(rights_url(world.enterprise, "features/"), body, format="json").status_code == 400, body


def test_c03_the_daily_job_records_each_change_once_for_every_enterprise(world, note):
    today = clock.local_today()
    others = [EnterpriseFactory() for _ in range(3)]
    AdSpendDaily.objects.bulk_create(
        AdSpendDaily(enterprise=e, note=note, date=today, amount=Decimal("6000.00")) for e in others[:2]
    )
    assert rights.record_changes() == 2
    assert rights.record_changes() == 0
    assert set(AdvancedRightsState.objects.filter(unlocked=True).values_list("enterprise_id", flat=True)) == {
        others[0].pk,
        others[1].pk,
    }
    with time_machine.travel(clock.now() + timedelta(days=30)):
        assert rights.record_changes() == 2
    assert AuditEvent.objects.filter(action="advanced_rights.unlocked").count() == 2
    assert AuditEvent.objects.filter(action="advanced_rights.locked").count() == 2
    assert Notification.objects.filter(kind="advanced_rights_locked", enterprise=others[0]).count() == 1


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_c03_a_real_worker_runs_the_job_twice_and_records_one_change(worker):
    enterprise = EnterpriseFactory()
    note = pushed_note(enterprise)
    AdSpendDaily.objects.create(enterprise=enterprise, note=note, date=clock.local_today(), amount=Decimal("5000.00"))

    worker.run(tasks.record_advanced_rights)
    wait_for(lambda: AdvancedRightsState.objects.filter(enterprise=enterprise, unlocked=True).exists(), "record")
    worker.run(tasks.record_advanced_rights)

    assert AuditEvent.objects.filter(action="advanced_rights.unlocked", enterprise_id=enterprise.pk).count() == 1
    assert Notification.objects.filter(kind="advanced_rights_unlocked", enterprise=enterprise).count() == 1
