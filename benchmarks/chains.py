"""Linked chains of automatic steps on the real worker, against two raw Celery
chains of as many tasks: `python -m benchmarks.chains` (DATABASE_URL, REDIS_URL
and the worker of `benchmarks.run`). Prints two JSON rows, one a line:

- the fair baseline (the target): each task does its step's agencies' work, the
  same result documents generated, signed and stored (benchmarks.tasks), without
  the portal's bookkeeping;
- the no-op chain (the broker's floor), as information.

Each side is measured on an idle worker, the fair baseline first."""

import dataclasses
import datetime
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

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
from benchmarks.tasks import documents, documents_last, noop, noop_last  # noqa: E402
from chains.models import ChainRun, ChainStep, RunStatus  # noqa: E402
from chains.services.start import resolve_unit  # noqa: E402
from chains.steps import kind_for  # noqa: E402
from dossiers import services  # noqa: E402
from procedures.models import Procedure  # noqa: E402
from procedures.selectors import linked_steps_applying  # noqa: E402
from units.models import OrgUnit  # noqa: E402

CHAINS = int(os.environ.get("BENCH_CHAINS", "20"))
BIRTH = "3.000722"
CITIZEN = "036085012345"
# The receiving officer of a centre in force today (xã Vụ Bản, since the reform
# of 2025-07-01), where the citizen An files.
OFFICER = "motcua.xavuban"
TIMEOUT = 300
# The minimum of issue 21, against the fair baseline.
TARGET = 0.5


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
    officer = User.objects.select_related("org_unit").get(username=OFFICER)
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


def _rows(kind: str, data: dict[str, Any], unit: OrgUnit) -> list[tuple[str, str]]:
    """The lines of a step's result document, as the step's kind writes them
    (chains/steps/births.py), with values of the same length."""
    child, mother = data["child"], data["mother"]
    born = datetime.date.fromisoformat(child["date_of_birth"]).strftime("%d/%m/%Y")
    if kind == "birth":
        return [
            ("Họ, chữ đệm và tên", child["full_name"]),
            ("Ngày sinh", born),
            ("Số định danh cá nhân", "037226840174"),
            ("Nơi sinh", child["place_of_birth"]),
            ("Họ tên mẹ", mother["full_name"]),
            ("Số đăng ký khai sinh", "22, quyển 01/2026"),
            ("Nơi đăng ký", unit.name),
        ]
    if kind == "residence":
        return [
            ("Họ, chữ đệm và tên", child["full_name"]),
            ("Số định danh cá nhân", "037226840174"),
            ("Nơi thường trú", mother["address"]),
            ("Căn cứ", "Giấy khai sinh số 22, quyển 01/2026"),
            ("Ngày đăng ký", f"{timezone.localdate():%d/%m/%Y}"),
        ]
    return [
        ("Họ, chữ đệm và tên", child["full_name"]),
        ("Ngày sinh", born),
        ("Số định danh cá nhân", "037226840174"),
        ("Mã thẻ bảo hiểm y tế", "TE1378797725710"),
        ("Mã số bảo hiểm xã hội", "8797725710"),
        ("Nơi đăng ký khám bệnh, chữa bệnh ban đầu", data["health_facility"]),
        ("Có giá trị từ ngày", f"{timezone.localdate():%d/%m/%Y}"),
    ]


NUMBERS = {"birth": ("22", "01/2026"), "residence": ("TT-261208-072023", "")}


def result_specs(
    citizen: User, group: Procedure, unit: OrgUnit, data: dict[str, Any]
) -> list[list[dict[str, Any]]]:
    """What the fair baseline's tasks get, one list per automatic step: the
    result documents that step generates and stores (benchmarks.tasks), each at
    the agency that does the step (the bench's child lives with the mother, so
    every agency is the one of the receiving unit's area); the last step also
    makes the linked dossier's own result (chains.services.deliver's _finish),
    which is not copied to the citizen's store."""
    code = f"{unit.agency_code}-{timezone.localdate():%y%m%d}-0001"
    person = {
        "applicant": citizen.full_name,
        "personal_id": citizen.username,
        "owner_id": citizen.pk,
    }
    steps: list[list[dict[str, Any]]] = []
    summary = []
    for linked in linked_steps_applying(group=group, data=data):
        kind = kind_for(linked.procedure)
        agency = resolve_unit(agency_type=linked.agency_type, area=unit.admin_unit)
        assert agency is not None  # noqa: S101 - the bench's district has them
        number, book = NUMBERS.get(kind.key, ("TE1378797725710", ""))
        summary.append(
            (
                f"{linked.order}. {linked.procedure.name}",
                f"{kind.title or linked.procedure.name}: "
                + (f"{number}/{book}" if book else number),
            )
        )
        steps.append(
            [
                {
                    **person,
                    "unit": agency.name,
                    "agency_code": agency.agency_code,
                    "code": f"{code}-{linked.order}",
                    "procedure": linked.procedure.name,
                    "procedure_code": linked.procedure.code,
                    "title": kind.title,
                    "number": number,
                    "book": book,
                    "rows": _rows(kind.key, data, agency),
                    "store": True,
                }
            ]
        )
    steps[-1].append(
        {
            **person,
            "unit": unit.name,
            "agency_code": unit.agency_code,
            "code": code,
            "procedure": group.name,
            "procedure_code": group.code,
            "title": "Kết quả giải quyết hồ sơ liên thông",
            "number": "",
            "book": "",
            "rows": summary,
            "store": False,
        }
    )
    return steps


def fair(client: redis.Redis, chains: int = CHAINS) -> float:
    """`chains` raw chains whose tasks do the steps' agencies' work."""
    citizen = User.objects.get(username=CITIZEN)
    officer = User.objects.select_related("org_unit__admin_unit").get(username=OFFICER)
    assert officer.org_unit is not None  # noqa: S101 - seed_demo gives one
    group = Procedure.objects.get(code=BIRTH)
    specs = result_specs(citizen, group, officer.org_unit, birth_data(citizen))
    key = f"bench:chain:{uuid.uuid4().hex}"
    started = time.monotonic()
    for _ in range(chains):
        chain(
            *[documents.si(step) for step in specs[:-1]],
            documents_last.si(specs[-1], key),
        ).apply_async()
    wait(lambda: int(client.get(key) or 0) >= chains, "fair raw chains")
    seconds = time.monotonic() - started
    client.delete(key)
    return seconds


def raw(steps: int, client: redis.Redis) -> float:
    """CHAINS raw chains of `steps` no-op tasks."""
    key = f"bench:chain:{uuid.uuid4().hex}"
    started = time.monotonic()
    for _ in range(CHAINS):
        chain(*[noop.si() for _ in range(steps - 1)], noop_last.si(key)).apply_async()
    wait(lambda: int(client.get(key) or 0) >= CHAINS, "raw chains")
    seconds = time.monotonic() - started
    client.delete(key)
    return seconds


def rows(
    steps: int, seconds: float, fair_seconds: float, noop_seconds: float
) -> list[Row]:
    """The fair row (issue 21's target) and the no-op row (information)."""
    case = f"linked chain, {steps} automatic steps, end to end ({CHAINS} chains)"
    return [
        Row.rate(
            case,
            "chains",
            CHAINS,
            seconds,
            fair_seconds,
            TARGET,
            f"raw Celery chain of {steps} tasks generating, signing and storing "
            "the same result documents",
        ),
        Row.rate(
            f"{case}, against no-op tasks",
            "chains",
            CHAINS,
            seconds,
            noop_seconds,
            None,
            f"raw Celery chain of {steps} no-op tasks",
        ),
    ]


def main() -> None:
    # The raw chains first, each on an idle worker: measured after the linked
    # chains they waited behind their notifications (3.1 s instead of 0.2 s for
    # 20 no-op chains).
    client = redis.Redis.from_url(settings.REDIS_URL)
    steps = chain_steps()
    idle(client)
    # Unmeasured: each worker process loads the fonts, the signing code and the
    # agencies' certificates on its first document, which the fair side, run
    # first, would pay alone (its 20 chains took 7.8 to 16.3 s in runs minutes
    # apart).
    fair(client, chains=4)
    idle(client)
    fair_seconds = fair(client)
    idle(client)
    noop_seconds = raw(steps, client)
    idle(client)
    seconds, measured_steps = linked()
    assert measured_steps == steps, (measured_steps, steps)  # noqa: S101
    for row in rows(steps, seconds, fair_seconds, noop_seconds):
        json.dump(dataclasses.asdict(row), sys.stdout, ensure_ascii=False)
        print()


if __name__ == "__main__":
    main()
