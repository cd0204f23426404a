"""A real Celery worker on Redis for the tests that prove the jobs (no eager mode), and a way to wait for it."""

import threading
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection

from kos_platform.celery import app

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
