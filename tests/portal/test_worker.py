"""Tasks go through Redis to a real worker process, not in-process."""

import time

import pytest

from portal.models import WorkerHeartbeat
from portal.tasks import record_heartbeat


@pytest.mark.services("postgres", "redis", "worker")
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_in_a_real_worker_and_writes_to_the_database(real_worker):
    WorkerHeartbeat.objects.all().delete()

    record_heartbeat.delay()

    deadline = time.monotonic() + 30
    while not WorkerHeartbeat.objects.filter(hostname=real_worker).exists():
        assert time.monotonic() < deadline, "the worker did not run the task"
        time.sleep(0.2)
    # The row carries the worker's node name: the task did not run in this process.
    assert not WorkerHeartbeat.objects.filter(hostname="in-process").exists()
