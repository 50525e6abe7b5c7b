"""What the portal does for other agencies' systems on a linked dossier and its
parts (the chains app calls these), each called as its service: no officer acts,
and no user may make these moves."""

import datetime

import pytest

from dossiers import services
from dossiers.models import Attachment, Dossier, Event, Result, Status
from tests.procedures.factories import ProcedureFactory
from tests.units.factories import OrgUnitFactory
from units.models import AgencyType

from .factories import at, make_dossier, pdf_upload

pytestmark = pytest.mark.django_db

NOW = "2026-03-09 10:00"


def deadline(days=3, received=NOW):
    return services.deadline_for(
        procedure=ProcedureFactory(processing_days=days), received_at=at(received)
    )


def system_events(dossier):
    return [
        (e.action, e.from_status, e.to_status)
        for e in dossier.events.all()
        if e.actor_id is None
    ]


# --- Receipt and processing without an officer ----------------------------------


def test_system_receive_sets_the_given_time_limit(people):
    dossier = make_dossier(**people)
    limit = deadline(days=5)

    dossier = services.dossier_system_receive(
        dossier=dossier, deadline=limit, note="Tiếp nhận điện tử", now=at(NOW)
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == dossier.clock_started_at == at(NOW)
    assert (dossier.due_at, dossier.due_steps) == (limit.due_at, limit.steps_json())
    event = dossier.events.get(action="receive")
    assert (event.action, event.actor, event.note) == (
        "receive",
        None,
        "Tiếp nhận điện tử",
    )
    assert event.details["system"] is True


def test_system_receive_with_process_goes_on_to_its_own_unit(people):
    dossier = make_dossier(**people)

    dossier = services.dossier_system_receive(
        dossier=dossier, deadline=deadline(), process=True, now=at(NOW)
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.processing_unit == people["unit"]
    assert system_events(dossier) == [
        ("receive", Status.SUBMITTED, Status.RECEIVED),
        ("forward", Status.RECEIVED, Status.PROCESSING),
    ]


def test_system_receive_is_refused_once_received(people):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    due = dossier.due_at

    with pytest.raises(services.IllegalTransition):
        services.dossier_system_receive(dossier=dossier, deadline=deadline(days=30))
    dossier.refresh_from_db()
    assert dossier.due_at == due
    assert system_events(dossier) == []


def test_system_process_forwards_to_the_receiving_unit(people):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    dossier = services.dossier_system_process(dossier=dossier)

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.processing_unit == people["unit"]
    assert system_events(dossier) == [("forward", Status.RECEIVED, Status.PROCESSING)]


def test_system_process_is_refused_before_receipt(people):
    dossier = make_dossier(**people)

    with pytest.raises(services.IllegalTransition):
        services.dossier_system_process(dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.processing_unit is None


# --- Parts ---------------------------------------------------------------------


def test_part_open_files_and_receives_a_part_at_its_agency(people):
    parent = make_dossier(status=Status.RECEIVED, **people)
    services.attachment_add(
        uploaded_by=people["applicant"],
        upload=pdf_upload("to-khai.pdf"),
        dossier=parent,
    )
    police = OrgUnitFactory(agency_type=AgencyType.COMMUNE_POLICE)
    member = ProcedureFactory(agency_type=AgencyType.COMMUNE_POLICE)
    limit = deadline(days=2)

    part = services.dossier_part_open(
        parent=parent,
        procedure=member,
        unit=police,
        suffix="2",
        data={"full_name": "Nguyễn Văn Con"},
        deadline=limit,
        note="Đăng ký thường trú",
        now=at(NOW),
    )

    part = Dossier.objects.get(pk=part.pk)
    assert part.code == f"{parent.code}-2"
    assert (part.procedure, part.receiving_unit, part.applicant) == (
        member,
        police,
        parent.applicant,
    )
    assert (part.channel, part.phone_last4) == (parent.channel, parent.phone_last4)
    assert part.data == {"full_name": "Nguyễn Văn Con"}
    assert part.status == Status.RECEIVED
    assert part.due_at == limit.due_at
    assert system_events(part) == [
        ("submit", "", Status.SUBMITTED),
        ("receive", Status.SUBMITTED, Status.RECEIVED),
    ]
    assert part.events.first().note == "Đăng ký thường trú"
    assert [a.original_name for a in part.attachments.all()] == ["to-khai.pdf"]


def test_attachments_share_gives_each_paper_once(people):
    source = make_dossier(**people)
    target = make_dossier(**people)
    for name in ("a.pdf", "b.pdf"):
        services.attachment_add(
            uploaded_by=people["applicant"], upload=pdf_upload(name), dossier=source
        )

    assert services.dossier_attachments_share(source=source, target=target) == 2
    assert services.dossier_attachments_share(source=source, target=target) == 0

    shared = list(target.attachments.order_by("original_name"))
    originals = list(source.attachments.order_by("original_name"))
    assert [a.file.name for a in shared] == [a.file.name for a in originals]
    assert [a.sha256 for a in shared] == [a.sha256 for a in originals]
    assert Attachment.objects.count() == 4


# --- Results, due dates and timeline events ------------------------------------------


def test_record_agency_result_issues_a_generated_document(people, officer):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    result = services.dossier_record_agency_result(
        dossier=dossier,
        title="Giấy khai sinh",
        number="15/2026",
        issued_by=officer,
        data_rows=[("Họ và tên", "Nguyễn Văn Con")],
        now=at(NOW),
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.result_digitized
    assert dossier.completed_at == at(NOW)
    result = Result.objects.get(pk=result.pk)
    assert (result.dossier, result.title, result.number, result.issued_by) == (
        dossier,
        "Giấy khai sinh",
        "15/2026",
        officer,
    )
    assert result.file.read().startswith(b"%PDF")
    event = dossier.events.get(action="record_result")
    assert (event.action, event.actor, event.details) == (
        "record_result",
        None,
        {"title": "Giấy khai sinh", "number": "15/2026"},
    )


def test_record_agency_result_is_refused_before_receipt(people, officer):
    dossier = make_dossier(**people)

    with pytest.raises(services.IllegalTransition):
        services.dossier_record_agency_result(
            dossier=dossier,
            title="Giấy khai sinh",
            number="15/2026",
            issued_by=officer,
            data_rows=[],
        )
    assert not Result.objects.exists()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_system_reschedule_sets_the_due_date_with_a_public_event(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)
    limit = deadline(days=10)

    services.dossier_system_reschedule(dossier=dossier, deadline=limit, now=at(NOW))

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert (dossier.due_at, dossier.due_steps) == (limit.due_at, limit.steps_json())
    event = dossier.events.get(action="reschedule")
    assert (event.action, event.public, event.from_status, event.to_status) == (
        "reschedule",
        True,
        Status.PROCESSING,
        Status.PROCESSING,
    )
    assert datetime.datetime.fromisoformat(event.details["due_at"]) == limit.due_at
    assert event.details["label"]


def test_event_add_appends_to_the_timeline_without_a_move(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    event = services.dossier_event_add(
        dossier=dossier,
        action="step_done",
        note="Đã cấp số định danh",
        details={"label": "Bước 1 xong"},
        public=False,
        now=at(NOW),
    )

    event = Event.objects.get(pk=event.pk)
    assert (event.dossier, event.action, event.actor, event.at) == (
        dossier,
        "step_done",
        None,
        at(NOW),
    )
    assert (event.note, event.public, event.details) == (
        "Đã cấp số định danh",
        False,
        {"label": "Bước 1 xong"},
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
