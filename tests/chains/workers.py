"""Real Celery worker processes for the chains' acceptance tests, started and
killed by the test (the pattern of tests/conftest.py's celery_worker_process),
on their own queues so no other worker of the session takes their tasks."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import redis
from django.conf import settings

from portal.celery import worker_queues
from scripts.drills.processes import kill_group, stop_group
from tests.conftest import BASE_DIR, RUN_SECRETS, RUN_SIGNING, database_url

# Fast enough for tests, same code paths as production.
WORKER_ENV = {
    "CHAIN_STEP_LEASE_SECONDS": "4",
    "CHAIN_RETRY_BACKOFF_SECONDS": "0.3",
    "CHAIN_RETRY_BACKOFF_MAX_SECONDS": "2",
    "AGENCY_DEV_LATENCY_MS": "100",
    "AGENCY_DEV_FAILURE_RATE": "0",
    "POPULATION_REGISTRY_DEV_LATENCY_MS": "100",
    "POPULATION_REGISTRY_DEV_FAILURE_RATE": "0",
    "DJANGO_DEBUG": "0",
}


class Worker:
    """One `celery worker` (prefork) in its own process group, so that SIGKILL
    takes its pool processes with it, as when a machine dies."""

    def __init__(self, queue: str, env: dict[str, str] | None = None) -> None:
        self.queue = queue
        self.env = WORKER_ENV | (env or {})
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None

    def start(self, timeout: float = 60) -> "Worker":
        node = f"chains-{uuid.uuid4().hex[:8]}@localhost"
        env = (
            os.environ
            | RUN_SECRETS
            | RUN_SIGNING
            | self.env
            | {
                "DATABASE_URL": database_url(),
                "REDIS_URL": settings.REDIS_URL,
                "CELERY_QUEUE": self.queue,
                "DJANGO_SETTINGS_MODULE": "portal.settings",
            }
        )
        self.log_path = BASE_DIR / "var" / f"{node.split('@')[0]}.log"
        self.log_path.parent.mkdir(exist_ok=True)
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "portal",
                    "worker",
                    "--hostname",
                    node,
                    "--queues",
                    ",".join(worker_queues(self.queue)),
                    "--concurrency",
                    "4",
                    "--loglevel",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while b"ready." not in self.log_path.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{self.log()}")
            time.sleep(0.1)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def kill(self) -> None:
        """SIGKILL to the process and its pool: no goodbye, no acknowledgement."""
        kill_group(self.proc)

    def stop(self) -> None:
        stop_group(self.proc)


def lose_every_message(base: str) -> int:
    """What a Redis restart without persistence does to this test's queues: every
    message gone, queued or delivered-but-unacknowledged. Only keys of queues
    named after `base` are touched (never FLUSHALL on a shared server)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    gone = 0
    for key in client.scan_iter(match=f"{base}*"):
        gone += client.delete(key)
    for key in client.scan_iter(match=f"_kombu.binding.{base}*"):
        client.delete(key)
    for tag, payload in client.hgetall("unacked").items():
        if base.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
            gone += 1
    return gone


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    every: Callable[[], object] | None = None,
    every_seconds: float = 1.0,
) -> None:
    """Poll `condition` (the worker runs elsewhere), calling `every` (e.g. the
    reconciler, as beat would) each `every_seconds`."""
    deadline = time.monotonic() + timeout
    next_tick = time.monotonic()
    while not condition():
        now = time.monotonic()
        if now > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        if every is not None and now >= next_tick:
            every()
            next_tick = now + every_seconds
        time.sleep(0.2)
