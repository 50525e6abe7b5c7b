"""Linked chains of automatic steps on the real worker, against a raw Celery
chain of as many no-op tasks: `python -m benchmarks.chains` (DATABASE_URL,
REDIS_URL and the worker of `benchmarks.run`). Prints one JSON row."""

import dataclasses
import datetime
import json
import os
import sys
import time
import uuid
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

import redis  # noqa: E402
from celery import chain  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from benchmarks.report import Row  # noqa: E402
from benchmarks.tasks import noop, noop_last  # noqa: E402
from chains.models import ChainRun, ChainStep, RunStatus  # noqa: E402
from dossiers import services  # noqa: E402
from procedures.models import Procedure  # noqa: E402
from procedures.selectors import linked_steps_applying  # noqa: E402

CHAINS = int(os.environ.get("BENCH_CHAINS", "20"))
BIRTH = "3.000722"
CITIZEN = "036085012345"
TIMEOUT = 300


def birth_data(citizen: User) -> dict[str, object]:
    born = timezone.localdate() - datetime.timedelta(days=10)
    return {
        "child": {
            "full_name": "Nguyễn Văn Bé",
            "date_of_birth": born.isoformat(),
            "sex": "male",
            "place_of_birth": "Trung tâm Y tế huyện Vụ Bản",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
        },
        "mother": {
            "full_name": "Phạm Thị Mẹ",
            "date_of_birth": "1990-05-01",
            "personal_id": "036190001234",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "address": "Xóm 1, thị trấn Gôi",
        },
        "father_known": False,
        "same_residence": True,
        "residence_with": "mother",
        "health_facility": "Trạm y tế thị trấn Gôi",
        "applicant": {
            "full_name": citizen.full_name,
            "date_of_birth": citizen.date_of_birth.isoformat()
            if citizen.date_of_birth
            else "1985-01-01",
            "sex": citizen.sex or "female",
            "personal_id": citizen.username,
            "phone": citizen.phone or "0912345678",
        },
        "applicant_relationship": "mother",
    }


def chain_steps() -> int:
    """The steps the linked procedure's chain runs for the bench's data."""
    citizen = User.objects.get(username=CITIZEN)
    procedure = Procedure.objects.get(code=BIRTH)
    return len(linked_steps_applying(group=procedure, data=birth_data(citizen)))


def wait(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: not done after {TIMEOUT} s")
        time.sleep(0.05)


def idle(client: redis.Redis) -> None:
    """Wait until the bench queues are empty and nothing is held unacknowledged
    (delayed retries, notifications of earlier chains), twice in a row: each
    side is measured on an idle worker."""
    prefix = settings.CELERY_TASK_DEFAULT_QUEUE

    def empty() -> bool:
        queues = [q for q in client.keys(f"{prefix}*") if client.type(q) == b"list"]
        waiting = sum(int(client.llen(q)) for q in queues)
        return waiting == 0 and int(client.hlen("unacked")) == 0

    deadline = time.monotonic() + TIMEOUT
    calm = 0
    while calm < 2:
        if time.monotonic() > deadline:
            raise SystemExit(f"the bench queues are not empty after {TIMEOUT} s")
        calm = calm + 1 if empty() else 0
        time.sleep(0.5)


def linked() -> tuple[float, int]:
    citizen = User.objects.get(username=CITIZEN)
    officer = User.objects.select_related("org_unit").get(username="motcua.goi")
    procedure = Procedure.objects.get(code=BIRTH)
    assert officer.org_unit is not None  # noqa: S101 - seed_demo gives one
    ids = []
    with transaction.atomic():
        for _ in range(CHAINS):
            dossier = services.dossier_submit(
                applicant=citizen,
                procedure=procedure,
                receiving_unit=officer.org_unit,
                data=birth_data(citizen),
            )
            ids.append(dossier.pk)
    # The first steps are sent on commit: the clock starts here.
    started = time.monotonic()
    runs = ChainRun.objects.filter(dossier_id__in=ids)

    def finished() -> bool:
        stuck = runs.exclude(status__in=[RunStatus.COMPLETED, RunStatus.RUNNING])
        waiting = ChainStep.objects.filter(run__in=runs, state="waiting_officer")
        if stuck.exists() or waiting.exists():
            raise SystemExit("a chain step is not automatic (waits for someone)")
        return runs.filter(status=RunStatus.COMPLETED).count() == CHAINS

    wait(finished, "linked chains")
    seconds = time.monotonic() - started
    steps = ChainStep.objects.filter(run__in=runs).count() // CHAINS
    return seconds, steps


def raw(steps: int, client: redis.Redis) -> float:
    key = f"bench:chain:{uuid.uuid4().hex}"
    started = time.monotonic()
    for _ in range(CHAINS):
        chain(*[noop.si() for _ in range(steps - 1)], noop_last.si(key)).apply_async()
    wait(lambda: int(client.get(key) or 0) >= CHAINS, "raw chains")
    seconds = time.monotonic() - started
    client.delete(key)
    return seconds


def main() -> None:
    # The raw chain first, on an idle worker: measured after the linked chains it
    # waited behind their notifications (3.1 s instead of 0.2 s for 20 chains).
    client = redis.Redis.from_url(settings.REDIS_URL)
    steps = chain_steps()
    idle(client)
    base = raw(steps, client)
    idle(client)
    seconds, measured_steps = linked()
    assert measured_steps == steps, (measured_steps, steps)  # noqa: S101
    row = Row.rate(
        f"linked chain, {steps} automatic steps, end to end ({CHAINS} chains)",
        "chains",
        CHAINS,
        seconds,
        base,
        0.4,
        f"raw Celery chain of {steps} no-op tasks",
    )
    json.dump(dataclasses.asdict(row), sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
