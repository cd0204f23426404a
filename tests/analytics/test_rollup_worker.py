"""The rollup job on a real Celery worker (D01): enqueued as the ingests do, it recomputes the named keys."""

from datetime import timedelta

import pytest

from analytics import tasks
from analytics.models import EnterpriseDay, NoteDay, RollupState
from kos_platform import clock
from notes.models import NoteDailyMetric

from ..bindings.factories import BindingFactory
from ..factories import RedAccountFactory
from ..notes.factories import NoteFactory
from ..workers import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_d01_the_rollup_job_runs_on_a_real_worker(world, worker):
    today = clock.local_today()
    account = RedAccountFactory()
    BindingFactory(enterprise=world.enterprise, red_account=account, effective_at=clock.now() - timedelta(days=30))
    note = NoteFactory(author=account, published_at=clock.now() - timedelta(days=20))
    day = today - timedelta(days=5)
    NoteDailyMetric.objects.create(note=note, date=day, exposure=321, reads=9, likes=4, collects=1, comments=2)
    tasks.refresh_rollups.delay(source="metrics", keys=[[note.pk, day.isoformat()]])
    wait_for(lambda: EnterpriseDay.objects.filter(enterprise=world.enterprise, date=day).exists(), "refresh")
    row = EnterpriseDay.objects.get(enterprise=world.enterprise, date=day)
    assert (row.exposure, row.engagement) == (321, 7)
    assert NoteDay.objects.get(note=note, date=day).enterprise_id == world.enterprise.pk
    assert RollupState.objects.get().figures_through == day
