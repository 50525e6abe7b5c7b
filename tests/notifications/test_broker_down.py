"""A notification made while the broker is down (Redis restarting): the caller's
committed work stands, the deliveries wait as pending for the resume task. The
real outage is drills/redis_flush."""

import logging

import pytest
from kombu.exceptions import OperationalError

from notifications import tasks
from notifications.models import Delivery

from .test_services import tell

pytestmark = pytest.mark.django_db


def test_a_notification_while_the_broker_is_down_waits_for_the_resume_task(
    person, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Refused.")

    monkeypatch.setattr(tasks.deliver_notification, "apply_async", refused)

    with (
        caplog.at_level(logging.WARNING, logger="notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = tell(person)

    assert "broker unreachable" in caplog.text
    assert set(notification.deliveries.values_list("status", flat=True)) == {
        Delivery.Status.PENDING
    }
