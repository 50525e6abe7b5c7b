"""What a dossier is comes from the dossier (`part_of`, the run), never from its
code; the chain refuses before anything is written (guards) and moves dossiers
only from the services' follow-ons."""

import pytest

from chains.models import ChainRun, RunStatus
from dossiers import hooks
from dossiers import services as dossier_services
from dossiers.models import Dossier, Event, Origin, Status
from tests.dossiers.factories import make_dossier

from .conftest import BIRTH, birth_data, living_elsewhere, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def test_every_part_knows_its_linked_dossier_and_whether_it_awaits_an_officer(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, living_elsewhere(citizen)
        )

    parts = list(dossier.parts.order_by("pk"))
    run = ChainRun.objects.get(dossier=dossier)
    assert [p.pk for p in parts] == [
        s.sub_dossier_id for s in run.steps.order_by("order") if s.sub_dossier_id
    ]
    # The birth step is the registry's; the residence verification waits for
    # the police's officer.
    assert [p.awaits_officer for p in parts] == [False, True]
    assert dossier.part_of is None
    # The chain's own moves are the system's; the citizen's submission is theirs.
    assert dossier.events.get(action="submit").origin == Origin.CITIZEN
    assert {e.origin for e in parts[0].events.all()} == {Origin.SYSTEM}


def test_a_part_is_a_part_whatever_its_code_and_a_dossier_with_dashes_is_not(
    citizen, agencies, unit_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, living_elsewhere(citizen)
        )
    part = dossier.parts.get(awaits_officer=True)
    # A code without the linked dossier's shape: still a part.
    Dossier.objects.filter(pk=part.pk).update(code="KHAC")
    part.refresh_from_db()
    with pytest.raises(dossier_services.ActionNotAllowed):
        dossier_services.dossier_withdraw(dossier=part, actor=citizen)

    # A code with many dashes: still an ordinary dossier.
    ordinary = make_dossier(applicant=citizen, unit=unit_a)
    Dossier.objects.filter(pk=ordinary.pk).update(code="A-B-C-D-E")
    ordinary.refresh_from_db()
    withdrawn = dossier_services.dossier_withdraw(dossier=ordinary, actor=citizen)
    assert withdrawn.status == Status.WITHDRAWN


def test_an_officers_decision_on_a_linked_dossier_is_refused_before_it_is_written(
    citizen, agencies, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, living_elsewhere(citizen)
        )
    events = Event.objects.count()
    written = []

    def told(changed, event):
        written.append(event.action)

    hooks.on_transition(told)
    try:
        with pytest.raises(dossier_services.ActionNotAllowed):
            dossier_services.dossier_request_supplement(
                dossier=dossier, actor=officer, items=["x"], reason="y"
            )
    finally:
        hooks.forget(told)
    # Refused by the guard: no event was written, no listener told.
    assert written == []
    assert Event.objects.count() == events
    assert ChainRun.objects.get(dossier=dossier).status == RunStatus.RUNNING


def test_a_linked_submission_starts_its_chain_from_the_services_follow_on(
    citizen, agencies
):
    told = []

    def in_order(changed, event):
        told.append((changed.pk, event.action))

    hooks.on_transition(in_order)
    try:
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    finally:
        hooks.forget(in_order)

    # The submission returns the linked dossier as its chain left it.
    assert dossier.status == Status.PROCESSING
    part = dossier.parts.get()
    # Each listener heard each move once, the linked dossier's submission first
    # (the chain started after its listeners, not inside them).
    assert told == [
        (dossier.pk, "submit"),
        (dossier.pk, "receive"),
        (dossier.pk, "forward"),
        (part.pk, "submit"),
        (part.pk, "receive"),
    ]
