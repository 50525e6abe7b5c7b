"""Chain tasks go to one queue per agency family through portal/celery.py's
routing table, and every worker we run consumes all of those queues."""

import re
from pathlib import Path

import pytest

from chains import tasks
from chains.steps import AGENCY_FAMILIES
from portal.celery import CHAIN_TASK_ROUTES, app, route_task, worker_queues
from units.models import AgencyType

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def default_queue():
    original = app.conf.task_default_queue
    app.conf.task_default_queue = "portal"
    yield "portal"
    app.conf.task_default_queue = original


@pytest.mark.parametrize(
    ("agency_type", "queue"),
    [
        (AgencyType.COMMUNE_COMMITTEE, "portal.civil_status"),
        (AgencyType.DISTRICT_JUSTICE, "portal.civil_status"),
        (AgencyType.COMMUNE_POLICE, "portal.residence"),
        (AgencyType.DISTRICT_POLICE, "portal.residence"),
        (AgencyType.SOCIAL_INSURANCE, "portal.social_insurance"),
        (AgencyType.LABOUR_SOCIAL, "portal.social_affairs"),
        (AgencyType.OTHER, "portal"),
        (AgencyType.PROVINCE_COMMITTEE, "portal"),
    ],
)
def test_a_step_goes_to_the_queue_of_its_agency_family(
    default_queue, agency_type, queue
):
    task = tasks.task_for(agency_type)

    assert route_task(task.name, (1,), {}, {}) == {"queue": queue}
    assert app.amqp.router.route({}, task.name, (1,), {})["queue"].name == queue


def test_other_tasks_keep_the_default_routing(default_queue):
    assert route_task("portal.tasks.record_heartbeat", (), {}, {}) is None
    assert route_task("chains.reconcile", (), {}, {}) == {"queue": "portal"}


def test_a_test_runs_own_queue_prefix_applies_to_every_family():
    original = app.conf.task_default_queue
    app.conf.task_default_queue = "test-42"
    try:
        name = tasks.task_for(AgencyType.SOCIAL_INSURANCE).name
        assert route_task(name, (1,), {}, {}) == {"queue": "test-42.social_insurance"}
        assert worker_queues() == [
            "test-42",
            "test-42.civil_status",
            "test-42.residence",
            "test-42.social_affairs",
            "test-42.social_insurance",
        ]
    finally:
        app.conf.task_default_queue = original


def test_every_family_has_a_task_and_a_route():
    families = set(AGENCY_FAMILIES.values())

    assert families == set(tasks.FAMILY_TASKS)
    assert {t.name for t in tasks.FAMILY_TASKS.values()} <= set(CHAIN_TASK_ROUTES)
    for task in tasks.FAMILY_TASKS.values():
        assert CHAIN_TASK_ROUTES[task.name] in families
        assert task.acks_late


def test_the_procfile_worker_consumes_every_queue():
    procfile = (ROOT / "Procfile").read_text()
    worker = next(line for line in procfile.splitlines() if line.startswith("worker:"))
    queues = re.search(r"-Q (\S+)", worker).group(1)

    consumed = queues.replace("${CELERY_QUEUE:-portal}", "portal").split(",")

    assert sorted(consumed) == sorted(worker_queues("portal"))


def test_the_test_suites_worker_consumes_every_queue():
    conftest = (ROOT / "tests" / "conftest.py").read_text()

    assert '",".join(worker_queues(queue))' in conftest


def test_the_reconciler_is_on_beats_schedule():
    entry = app.conf.beat_schedule["chains-reconcile"]

    assert entry["task"] == tasks.reconcile.name
    assert entry["schedule"] <= 60


def test_the_hand_over_check_is_on_beats_schedule_every_minute():
    entry = app.conf.beat_schedule["chains-check-handoffs"]

    assert entry["task"] == tasks.check_handoffs.name == "chains.check_handoffs"
    assert entry["schedule"] <= 60
    assert route_task(tasks.check_handoffs.name, [], {}, {}) == {
        "queue": str(app.conf.task_default_queue)
    }
