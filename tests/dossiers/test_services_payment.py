"""Waiting for the fee, each move called as its service (the payments app calls
them): the status, the event and the due date they write."""

import datetime

import pytest

from dossiers import services
from dossiers.models import Origin, Status
from tests.procedures.factories import ProcedureFactory

from .factories import at, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(people):
    """A dossier of 3 working days received on Monday 9 March 2026 at 10:00: due
    on Thursday 12 March at 17:00."""
    dossier = make_dossier(
        **people,
        procedure=ProcedureFactory(processing_days=3),
        now=at("2026-03-09 09:00"),
    )
    return services.dossier_receive(
        dossier=dossier, actor=people["officer"], now=at("2026-03-09 10:00")
    )


def test_request_payment_holds_the_dossier_for_its_fee(people, received):
    dossier = services.dossier_request_payment(
        dossier=received,
        actor=people["officer"],
        amount_vnd=20000,
        note="Lệ phí",
        now=at("2026-03-09 11:00"),
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT
    event = dossier.events.last()
    assert (event.action, event.actor, event.note, event.details) == (
        "request_payment",
        people["officer"],
        "Lệ phí",
        {"amount_vnd": 20000},
    )


def test_the_payment_service_itself_may_request_payment(received):
    dossier = services.dossier_request_payment(
        dossier=received, actor=None, origin=Origin.SYSTEM, amount_vnd=20000
    )

    assert dossier.status == Status.AWAITING_PAYMENT
    event = dossier.events.last()
    assert (event.actor, event.origin) == (None, Origin.SYSTEM)


def test_request_payment_is_refused_before_receipt_and_to_the_applicant(
    people, received
):
    submitted = make_dossier(**people)

    with pytest.raises(services.IllegalTransition):
        services.dossier_request_payment(
            dossier=submitted, actor=people["officer"], amount_vnd=20000
        )
    with pytest.raises(services.ActionNotAllowed):
        services.dossier_request_payment(
            dossier=received, actor=people["applicant"], amount_vnd=20000
        )
    received.refresh_from_db()
    assert received.status == Status.RECEIVED
    assert not received.events.filter(action="request_payment").exists()


def test_confirm_payment_moves_the_due_date_by_the_days_waited(people, received):
    due = received.due_at
    assert due == at("2026-03-12 17:00")
    services.dossier_request_payment(
        dossier=received,
        actor=people["officer"],
        amount_vnd=20000,
        now=at("2026-03-09 11:00"),
    )

    dossier = services.dossier_confirm_payment(
        dossier=received,
        actor=people["officer"],
        reference="BL-0001",
        now=at("2026-03-11 11:00"),
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.due_at > due
    assert any(step["rule"] == "paused_payment" for step in dossier.due_steps)
    event = dossier.events.last()
    assert (event.action, event.details["reference"]) == ("confirm_payment", "BL-0001")
    assert datetime.datetime.fromisoformat(event.details["due_at"]) == dossier.due_at


def test_confirm_payment_is_refused_when_no_fee_is_awaited(people, received):
    with pytest.raises(services.IllegalTransition):
        services.dossier_confirm_payment(
            dossier=received, actor=people["officer"], reference="BL-0001"
        )
    received.refresh_from_db()
    assert received.status == Status.RECEIVED
    assert received.due_at == at("2026-03-12 17:00")
