"""publish_on_commit sends a task once the transaction commits, never on rollback,
and a broker that cannot be reached leaves the committed work standing with a
warning. Each test uses a Celery app of its own on a real transport (Kombu's
in-memory one, or Redis on a port where nothing listens), not the portal's."""

import ast
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.db import transaction

from tasking import publish_on_commit

pytestmark = pytest.mark.django_db

logger = logging.getLogger("tests.tasking")


@pytest.fixture
def memory_app() -> Iterator[tuple[Any, str]]:
    queue = f"tasking-{uuid.uuid4().hex}"
    app = Celery("tasking-memory", broker="memory://", set_as_current=False)
    app.conf.task_default_queue = queue

    @app.task(name="tasking.test.echo")
    def echo(value: int) -> int:
        return value

    yield echo, queue
    app.close()


def waiting(app: Celery, queue: str) -> list[Any]:
    with app.connection() as connection:
        simple = connection.SimpleQueue(queue)
        messages = []
        while simple.qsize():
            messages.append(simple.get(timeout=1).payload[0])
        simple.close()
    return messages


def test_the_task_leaves_after_commit_only(
    memory_app, django_capture_on_commit_callbacks
):
    echo, queue = memory_app

    with django_capture_on_commit_callbacks(execute=True):
        publish_on_commit(echo, [7], logger=logger, what="echo 7", then="lost")
        assert waiting(echo.app, queue) == []  # not before the commit

    assert waiting(echo.app, queue) == [[7]]


def test_nothing_leaves_when_the_transaction_rolls_back(
    memory_app, django_capture_on_commit_callbacks
):
    echo, queue = memory_app

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                publish_on_commit(echo, [8], logger=logger, what="echo 8", then="lost")
                raise RuntimeError("the service failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert waiting(echo.app, queue) == []


def test_a_countdown_travels_with_the_message(
    memory_app, django_capture_on_commit_callbacks
):
    echo, queue = memory_app

    with django_capture_on_commit_callbacks(execute=True):
        publish_on_commit(
            echo, [9], countdown=30, logger=logger, what="echo 9", then="lost"
        )

    with echo.app.connection() as connection:
        simple = connection.SimpleQueue(queue)
        message = simple.get(timeout=1)
        simple.close()
    assert message.headers["eta"] is not None


def test_once_sends_a_task_waiting_for_the_commit_once(
    memory_app, django_capture_on_commit_callbacks
):
    echo, queue = memory_app

    def send(value: int) -> None:
        publish_on_commit(
            echo, [value], logger=logger, what="echo", then="lost", once=True
        )

    with django_capture_on_commit_callbacks(execute=True):
        send(1)
        send(1)
        send(2)
        with transaction.atomic():
            send(2)

    assert sorted(waiting(echo.app, queue)) == [[1], [2]]
    # Sent already: the next transaction's is sent again.
    with django_capture_on_commit_callbacks(execute=True):
        send(1)
    assert waiting(echo.app, queue) == [[1]]


def test_once_counts_no_publication_rolled_back_with_its_savepoint(
    memory_app, django_capture_on_commit_callbacks
):
    echo, queue = memory_app

    def send() -> None:
        publish_on_commit(echo, [3], logger=logger, what="echo", then="lost", once=True)

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send()
                raise RuntimeError("the inner service failed")
        except RuntimeError:
            pass
        send()

    assert waiting(echo.app, queue) == [[3]]


def test_without_once_every_publication_is_sent(
    memory_app, django_capture_on_commit_callbacks
):
    echo, queue = memory_app

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            publish_on_commit(echo, [4], logger=logger, what="echo", then="lost")

    assert waiting(echo.app, queue) == [[4], [4]]


def test_a_broker_that_cannot_be_reached_is_logged_not_raised(
    django_capture_on_commit_callbacks, caplog
):
    # Nothing listens on port 9 (discard): the connection is refused at once.
    app = Celery("tasking-outage", broker="redis://127.0.0.1:9/0", set_as_current=False)
    app.conf.task_publish_retry = False
    app.conf.broker_connection_retry = False
    app.conf.broker_connection_timeout = 1

    @app.task(name="tasking.test.unreachable")
    def unreachable(value: int) -> int:
        return value

    with (
        caplog.at_level(logging.WARNING, logger="tests.tasking"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish_on_commit(
            unreachable,
            [5],
            logger=logger,
            what="step 5",
            then="left to the reconciler",
        )

    [record] = [r for r in caplog.records if r.name == "tests.tasking"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "step 5: broker unreachable, left to the reconciler"
    assert record.exc_info is not None
    app.close()


def test_the_helper_imports_none_of_the_portals_apps():
    # It sits below every app, the sandbox payment platform included.
    apps = {
        path.parent.name
        for path in Path(__file__).resolve().parents[2].glob("*/apps.py")
    }
    assert {"accounts", "dossiers", "portal", "paygate"} <= apps
    root = Path(__file__).resolve().parents[2] / "tasking"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in apps, (path, name)
