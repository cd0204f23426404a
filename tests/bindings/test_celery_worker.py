"""The timed-rule sweeps run by a real Celery worker on Redis (no eager mode): I05 bookkeeping — expired
invitations marked, audited and notified once — and the employee's reminder 6 hours before expiry."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection

from accounts.models import AuditEvent
from bindings import tasks
from bindings.models import Invitation, Notification
from kos_platform import clock
from kos_platform.celery import app

from ..factories import EnterpriseFactory, RedAccountFactory
from .factories import InvitationFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 10


def wait_for(condition, what: str):
    """Poll until `condition()` holds, up to WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker did not {what} within {WAIT_SECONDS} s")
        time.sleep(0.1)


class Worker:
    """A worker thread consuming a queue of its own, so parallel test runs sharing Redis cannot steal tasks."""

    def __init__(self):
        self.finished = 0
        self._lock = threading.Lock()

    def task_finished(self, **kwargs):
        connection.close()  # the worker thread's own connection; the test database must be droppable
        with self._lock:
            self.finished += 1

    def run(self, task) -> None:
        """`.delay()` the task and wait until the worker has finished it."""
        before = self.finished
        task.delay()
        wait_for(lambda: self.finished > before, f"run {task.name}")


@pytest.fixture
def worker():
    saved = app.conf.task_always_eager, app.conf.task_default_queue
    queue = f"kos-tests-{uuid.uuid4().hex[:12]}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    handle = Worker()
    task_postrun.connect(handle.task_finished, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=15):
            yield handle
    finally:
        task_postrun.disconnect(handle.task_finished)
        app.conf.task_always_eager, app.conf.task_default_queue = saved


def sent_invitations(n: int, *, expires_in: timedelta) -> list[Invitation]:
    """n sent invitations from different enterprises whose 48 hours end `expires_in` from now."""
    invitations = []
    for _ in range(n):
        invitation = InvitationFactory(enterprise=EnterpriseFactory(), sent=True)
        invitation.sent_at = clock.now() + expires_in - timedelta(hours=48)
        invitation.expires_at = clock.now() + expires_in
        invitation.save(update_fields=["sent_at", "expires_at"])
        invitations.append(invitation)
    return invitations


def test_i05_worker_marks_lapsed_invitations_expired_once(worker):
    lapsed = sent_invitations(3, expires_in=-timedelta(minutes=1))
    waiting = sent_invitations(1, expires_in=timedelta(hours=1))[0]
    ids = [invitation.pk for invitation in lapsed]

    worker.run(tasks.expire_invitations)

    wait_for(lambda: Invitation.objects.filter(pk__in=ids, status="expired").count() == 3, "expire invitations")
    assert Invitation.objects.get(pk=waiting.pk).status == "sent"
    for invitation in lapsed:
        event = AuditEvent.objects.get(action="invitation.expired", object_id=str(invitation.pk))
        assert (event.enterprise_id, event.actor, event.before, event.after) == (
            invitation.enterprise_id,
            None,
            {"status": "sent"},
            {"status": "expired"},
        )
        notification = Notification.objects.get(invitation=invitation)
        assert (notification.audience, notification.kind, notification.enterprise_id) == (
            "enterprise",
            "invitation_expired",
            invitation.enterprise_id,
        )

    worker.run(tasks.expire_invitations)  # idempotent: nothing more to mark, nothing sent twice

    assert Notification.objects.filter(kind="invitation_expired").count() == 3
    assert AuditEvent.objects.filter(action="invitation.expired").count() == 3
    assert not Notification.objects.filter(invitation=waiting).exists()


def test_i05_worker_reminds_the_employee_6_hours_before_expiry_once(worker):
    account = RedAccountFactory()
    due = sent_invitations(1, expires_in=timedelta(hours=6) - timedelta(minutes=1))[0]
    early = sent_invitations(1, expires_in=timedelta(hours=6) + timedelta(minutes=1))[0]
    Invitation.objects.filter(pk__in=[due.pk, early.pk]).update(red_account=account)

    worker.run(tasks.remind_expiring_invitations)
    worker.run(tasks.remind_expiring_invitations)

    reminders = Notification.objects.filter(kind="invitation_expiring")
    assert list(reminders.values_list("invitation", "audience", "red_account")) == [(due.pk, "employee", account.pk)]
