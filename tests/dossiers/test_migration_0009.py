"""The data migration that fills part_of, awaits_officer and origin for the rows
written before they existed (dossiers/migrations/0009)."""

import importlib

import pytest
from django.apps import apps

from dossiers import services
from dossiers.models import Dossier, Event, Origin

from .factories import make_dossier

pytestmark = pytest.mark.django_db

fill = importlib.import_module("dossiers.migrations.0009_fill_part_of_and_origin").fill


def test_it_finds_parts_from_their_opening_event_and_who_made_each_change(
    citizen, officer, unit_a
):
    parent = make_dossier(applicant=citizen, unit=unit_a)
    received = services.dossier_receive(dossier=parent, actor=officer)
    part = make_dossier(applicant=citizen, unit=unit_a)
    # The rows as an older portal wrote them: a part known only by its opening
    # event, no origin anywhere (the column's default).
    Event.objects.filter(dossier=part, action="submit").update(
        details={"linked_from": parent.code, "awaits_officer": False}
    )
    Event.objects.create(
        dossier=parent,
        action="chain_step",
        at=received.submitted_at,
        details={"label": "x"},
    )
    imported = make_dossier(applicant=citizen, unit=unit_a)
    Event.objects.filter(dossier=imported).update(
        actor=None, details={"source": "a.csv", "line": 2}
    )
    Event.objects.update(origin=Origin.IMPORT)

    fill(apps, None)

    part.refresh_from_db()
    assert (part.part_of, part.awaits_officer) == (parent, False)
    assert Dossier.objects.get(pk=parent.pk).part_of is None
    assert list(parent.events.order_by("pk").values_list("action", "origin")) == [
        ("submit", Origin.CITIZEN),
        ("receive", Origin.OFFICER),
        ("chain_step", Origin.SYSTEM),
    ]
    assert list(imported.events.values_list("origin", flat=True)) == [Origin.IMPORT]
