"""The hooks of a transition (dossiers.hooks): guards asked before anything is
written, listeners told after and never moving a dossier, follow-ons called by
the service; and who made each change (`Event.origin`)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers import hooks, services
from dossiers.models import Event, Origin, Status

from .factories import make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def temporary():
    """Register a hook for one test: temporary(hooks.on_transition, fn)."""
    added = []

    def register(registrar, fn):
        registrar(fn)
        added.append(fn)
        return fn

    yield register
    for fn in added:
        hooks.forget(fn)


def test_a_listener_that_starts_a_transition_fails_and_nothing_is_written(
    people, temporary
):
    dossier = make_dossier(**people)

    def withdraws_on_receipt(changed, event):
        if event.action == "receive":
            services.dossier_withdraw(dossier=changed, actor=people["applicant"])

    temporary(hooks.on_transition, withdraws_on_receipt)

    with pytest.raises(hooks.ListenerStartedTransition, match="withdraws_on_receipt"):
        services.dossier_receive(dossier=dossier, actor=people["officer"])

    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert list(dossier.events.values_list("action", flat=True)) == ["submit"]


def test_a_listener_may_not_submit_either(people, temporary):
    dossier = make_dossier(**people)

    def files_another(changed, event):
        services.dossier_submit(
            applicant=people["applicant"],
            procedure=changed.procedure,
            receiving_unit=people["unit"],
            data={"full_name": "x"},
        )

    temporary(hooks.on_transition, files_another)

    with pytest.raises(hooks.ListenerStartedTransition):
        services.dossier_receive(dossier=dossier, actor=people["officer"])
    # Once the listener is done, transitions work again.
    hooks.forget(files_another)
    received = services.dossier_receive(dossier=dossier, actor=people["officer"])
    assert received.status == Status.RECEIVED


def test_a_guard_is_asked_before_anything_is_written_and_its_refusal_is_a_403(
    people, temporary
):
    dossier = make_dossier(**people)
    seen = []

    def no_receipt_today(proposed):
        seen.append(
            (
                proposed.action,
                proposed.origin,
                proposed.dossier.status,
                Event.objects.filter(dossier=proposed.dossier).count(),
            )
        )
        if proposed.action == "receive":
            raise services.ActionNotAllowed("Hôm nay không tiếp nhận.")

    temporary(hooks.guard, no_receipt_today)

    client = APIClient()
    client.force_authenticate(people["officer"])
    response = client.post(
        reverse("dossiers_api:dossier-action", args=[dossier.code]),
        {"action": "receive"},
        format="json",
    )

    assert response.status_code == 403
    assert "Hôm nay không tiếp nhận." in str(response.json())
    # Asked with the dossier as it was: submitted, its one event.
    assert seen == [("receive", Origin.OFFICER, Status.SUBMITTED, 1)]
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.events.count() == 1


def test_a_guard_is_asked_before_a_submission_takes_a_number(people, temporary):
    from dossiers.models import DailyCounter, Dossier

    def no_submissions(proposed):
        if proposed.action == "submit":
            raise services.DossierError("Tạm dừng nhận hồ sơ.")

    temporary(hooks.guard, no_submissions)

    with pytest.raises(services.DossierError, match="Tạm dừng"):
        make_dossier(**people)
    assert not Dossier.objects.exists()
    assert not DailyCounter.objects.exists()


def test_a_follow_on_runs_where_the_service_calls_it_and_only_there(people, temporary):
    ran = []

    def after_receipt(dossier, event):
        ran.append((event.action, dossier.status))

    temporary(hooks.follow_on("receive"), after_receipt)
    make_dossier(status=Status.PROCESSING, **people)

    assert ran == [("receive", Status.RECEIVED)]
    with pytest.raises(ValueError, match="approve"):
        hooks.follow_on("approve")


def test_every_event_says_who_made_it(people, officer):
    citizen = people["applicant"]
    dossier = make_dossier(status=Status.RECEIVED, **people)
    services.dossier_withdraw(dossier=dossier, actor=citizen)
    counter = services.dossier_file_for_citizen(
        helper=officer,
        citizen=citizen,
        procedure=dossier.procedure,
        data={"full_name": citizen.full_name},
    )

    assert list(dossier.events.values_list("action", "origin")) == [
        ("submit", Origin.CITIZEN),
        ("receive", Origin.OFFICER),
        ("withdraw", Origin.CITIZEN),
    ]
    assert list(counter.events.values_list("action", "origin")) == [
        ("submit", Origin.OFFICER),
        ("receive", Origin.OFFICER),
    ]


def test_a_persons_move_needs_a_person(people):
    dossier = make_dossier(**people)
    with pytest.raises(services.ActionNotAllowed):
        services.dossier_refuse(dossier=dossier, actor=None, reason="Không rõ ai")
    refused = services.dossier_refuse(
        dossier=dossier, actor=None, origin=Origin.SYSTEM, reason="Hệ thống"
    )
    assert refused.status == Status.REFUSED
    assert refused.events.last().origin == Origin.SYSTEM
