"""The actions on a filed dossier, each called as its service: the row, the event
and the status it writes, and its main refusal, which writes nothing."""

import datetime

import pytest

from accounts.models import DataAccessLog
from dossiers import services
from dossiers.models import Attachment, Event, Rating, Result, Status
from tests.procedures.factories import ProcedureFactory

from .factories import at, make_dossier, pdf_upload

pytestmark = pytest.mark.django_db

SCORES = {str(i): 2 for i in range(1, 10)}


def last_event(dossier):
    return Event.objects.filter(dossier=dossier).last()


def unchanged(dossier, status, events):
    """The refused action left the dossier as it was."""
    dossier.refresh_from_db()
    assert dossier.status == status
    assert dossier.events.count() == events


# --- Receipt and supplements --------------------------------------------------------


def test_receive_starts_the_clock_and_records_the_appointment(people, time_machine):
    time_machine.move_to(at("2026-03-09 09:00"))
    dossier = make_dossier(**people)

    dossier = services.dossier_receive(
        dossier=dossier,
        actor=people["officer"],
        note="Đủ giấy tờ",
        now=at("2026-03-09 10:00"),
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == dossier.clock_started_at == at("2026-03-09 10:00")
    event = dossier.events.get(action="receive")
    assert (event.action, event.actor, event.note) == (
        "receive",
        people["officer"],
        "Đủ giấy tờ",
    )
    assert (event.from_status, event.to_status) == (Status.SUBMITTED, Status.RECEIVED)
    assert event.actor_unit == people["unit"]
    assert datetime.datetime.fromisoformat(event.details["due_at"]) == dossier.due_at


def test_receive_is_refused_to_the_applicant_and_twice(people):
    dossier = make_dossier(**people)

    with pytest.raises(services.ActionNotAllowed):
        services.dossier_receive(dossier=dossier, actor=people["applicant"])
    unchanged(dossier, Status.SUBMITTED, 1)
    services.dossier_receive(dossier=dossier, actor=people["officer"])
    with pytest.raises(services.IllegalTransition):
        services.dossier_receive(dossier=dossier, actor=people["officer"])
    unchanged(dossier, Status.RECEIVED, 2)


def test_request_supplement_lists_the_papers_and_stops_the_clock(people):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    dossier = services.dossier_request_supplement(
        dossier=dossier,
        actor=people["officer"],
        items=[" Giấy chứng sinh ", "", "  "],
        reason=" Thiếu giấy chứng sinh ",
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.supplement_count == 1
    assert dossier.supplement_requested_at is not None
    event = last_event(dossier)
    assert event.action == "request_supplement"
    assert event.note == "Thiếu giấy chứng sinh"
    assert event.details == {"items": ["Giấy chứng sinh"]}


def test_request_supplement_needs_papers_and_a_reason(people):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    for items, reason in [([" "], "Thiếu"), (["Tờ khai"], "  ")]:
        with pytest.raises(services.DossierError, match="giấy tờ cần bổ sung"):
            services.dossier_request_supplement(
                dossier=dossier, actor=people["officer"], items=items, reason=reason
            )
    unchanged(dossier, Status.RECEIVED, 2)


def test_supplement_stores_the_papers_of_its_round_and_receives_again(people, settings):
    settings.DOSSIER_SUPPLEMENT_MODE = "restart"
    dossier = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)

    dossier = services.dossier_supplement(
        dossier=dossier,
        actor=people["applicant"],
        files=[("", pdf_upload("giay-chung-sinh.pdf"))],
        note="Đã bổ sung",
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.supplement_requested_at is None
    attachment = dossier.attachments.get()
    assert (attachment.original_name, attachment.supplement_round) == (
        "giay-chung-sinh.pdf",
        1,
    )
    event = last_event(dossier)
    assert (event.action, event.note, event.details["mode"]) == (
        "supplement",
        "Đã bổ sung",
        "restart",
    )
    assert datetime.datetime.fromisoformat(event.details["due_at"]) == dossier.due_at


def test_a_supplement_by_someone_else_stores_no_paper(people, other_citizen):
    dossier = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)

    with pytest.raises(services.ActionNotAllowed):
        services.dossier_supplement(
            dossier=dossier, actor=other_citizen, files=[("", pdf_upload())]
        )

    unchanged(dossier, Status.SUPPLEMENT_REQUESTED, 3)
    assert not Attachment.objects.exists()


# --- Processing ------------------------------------------------------------------


def test_forward_sets_the_processing_unit_and_the_assignee(people):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    dossier = services.dossier_forward(
        dossier=dossier,
        actor=people["officer"],
        to_unit=people["unit"],
        assignee=people["specialist"],
        note="Chuyển chuyên viên",
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.processing_unit == people["unit"]
    assert dossier.assignee == people["specialist"]
    event = last_event(dossier)
    assert event.action == "forward"
    assert event.details["to_unit"] == people["unit"].agency_code


def test_forward_is_refused_to_the_specialist(people):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    with pytest.raises(services.ActionNotAllowed):
        services.dossier_forward(
            dossier=dossier, actor=people["specialist"], to_unit=people["unit"]
        )
    unchanged(dossier, Status.RECEIVED, 2)


def test_approve_by_the_leader(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    dossier = services.dossier_approve(
        dossier=dossier, actor=people["leader"], note="Đồng ý"
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.APPROVED
    event = last_event(dossier)
    assert (event.action, event.actor, event.note) == (
        "approve",
        people["leader"],
        "Đồng ý",
    )


def test_approve_is_refused_to_the_specialist(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    with pytest.raises(services.ActionNotAllowed):
        services.dossier_approve(dossier=dossier, actor=people["specialist"])
    unchanged(dossier, Status.PROCESSING, 3)


def test_issue_result_without_a_file_is_not_digitised(people):
    dossier = make_dossier(status=Status.APPROVED, **people)

    dossier = services.dossier_issue_result(
        dossier=dossier,
        actor=people["specialist"],
        title="  Giấy khai sinh ",
        number=" 12/2026 ",
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.completed_at is not None
    assert not dossier.result_digitized
    result = Result.objects.get(dossier=dossier)
    # The number is the agency's register's (registers), not the one typed.
    year = result.issued_at.astimezone(datetime.UTC).year
    assert (result.title, result.number, result.book, result.issued_by) == (
        "Giấy khai sinh",
        "1",
        f"01/{year}",
        people["specialist"],
    )
    assert result.issued_by_unit == people["unit"]
    assert result.token
    assert not result.file
    assert last_event(dossier).action == "issue_result"


def test_issue_result_needs_a_title(people):
    dossier = make_dossier(status=Status.APPROVED, **people)

    with pytest.raises(services.DossierError, match="tên kết quả"):
        services.dossier_issue_result(
            dossier=dossier, actor=people["specialist"], title="  "
        )
    unchanged(dossier, Status.APPROVED, 4)
    assert not Result.objects.exists()


def test_issue_generated_result_writes_the_document(people):
    dossier = make_dossier(status=Status.APPROVED, **people)

    dossier = services.dossier_issue_generated_result(
        dossier=dossier, actor=people["specialist"], title="Giấy xác nhận", number="7"
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.result_digitized
    result = Result.objects.get(dossier=dossier)
    assert result.title == "Giấy xác nhận"
    assert result.file.read().startswith(b"%PDF")


def test_issue_generated_result_is_refused_to_the_applicant(people):
    dossier = make_dossier(status=Status.APPROVED, **people)

    with pytest.raises(services.ActionNotAllowed):
        services.dossier_issue_generated_result(
            dossier=dossier, actor=people["applicant"], title="Giấy xác nhận"
        )
    unchanged(dossier, Status.APPROVED, 4)
    assert not Result.objects.exists()


def test_return_result_records_how(people):
    dossier = make_dossier(status=Status.RESULT_READY, **people)

    dossier = services.dossier_return_result(
        dossier=dossier, actor=people["officer"], method="post"
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.return_method == "post"
    assert dossier.returned_at is not None
    assert last_event(dossier).details == {"method": "post"}


def test_return_result_needs_a_known_method(people):
    dossier = make_dossier(status=Status.RESULT_READY, **people)

    with pytest.raises(services.DossierError, match="hình thức trả"):
        services.dossier_return_result(
            dossier=dossier, actor=people["officer"], method="fax"
        )
    unchanged(dossier, Status.RESULT_READY, 5)


# --- Ending early ------------------------------------------------------------------


def test_refuse_ends_processing_with_the_reason(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    dossier = services.dossier_refuse(
        dossier=dossier, actor=people["specialist"], reason=" Sai thẩm quyền "
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED
    assert dossier.completed_at is not None
    event = last_event(dossier)
    assert (event.action, event.note) == ("refuse", "Sai thẩm quyền")


def test_refuse_needs_a_reason(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    with pytest.raises(services.DossierError, match="lý do từ chối"):
        services.dossier_refuse(dossier=dossier, actor=people["specialist"], reason="")
    unchanged(dossier, Status.PROCESSING, 3)


def test_stop_a_dossier_whose_supplement_never_came(people):
    dossier = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)

    dossier = services.dossier_stop(
        dossier=dossier, actor=people["officer"], reason="Quá hạn bổ sung"
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED
    assert dossier.completed_at is not None
    assert (last_event(dossier).action, last_event(dossier).note) == (
        "stop",
        "Quá hạn bổ sung",
    )


def test_stop_is_refused_while_processing_and_without_a_reason(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    with pytest.raises(services.IllegalTransition):
        services.dossier_stop(dossier=dossier, actor=people["officer"], reason="Dừng")
    with pytest.raises(services.DossierError, match="lý do dừng"):
        services.dossier_stop(dossier=dossier, actor=people["officer"], reason=" ")
    unchanged(dossier, Status.PROCESSING, 3)


def test_the_applicant_withdraws(people):
    dossier = make_dossier(**people)

    dossier = services.dossier_withdraw(
        dossier=dossier, actor=people["applicant"], reason=" Không cần nữa "
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    event = last_event(dossier)
    assert (event.action, event.actor, event.note) == (
        "withdraw",
        people["applicant"],
        "Không cần nữa",
    )


def test_nobody_else_withdraws(people, other_citizen):
    dossier = make_dossier(**people)

    for actor in (other_citizen, people["officer"]):
        with pytest.raises(services.ActionNotAllowed):
            services.dossier_withdraw(dossier=dossier, actor=actor)
    unchanged(dossier, Status.SUBMITTED, 1)


# --- Apology, rating, assignment -------------------------------------------------


def test_apologize_needs_a_reason(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    with pytest.raises(services.DossierError, match="lý do chậm"):
        services.dossier_apologize(
            dossier=dossier,
            actor=people["specialist"],
            new_due_date=dossier.due_at.date(),
            reason=" ",
        )
    dossier.refresh_from_db()
    assert not dossier.apologized


def test_rate_stores_the_scores_in_a_private_event(people):
    dossier = make_dossier(status=Status.RETURNED, **people)

    services.dossier_rate(
        dossier=dossier,
        actor=people["applicant"],
        scores=SCORES,
        overall="satisfied",
        comment="Nhanh",
    )

    rating = Rating.objects.get(dossier=dossier)
    assert (rating.scores, rating.overall, rating.comment) == (
        SCORES,
        "satisfied",
        "Nhanh",
    )
    event = last_event(dossier)
    assert (event.action, event.public, event.details) == (
        "rate",
        False,
        {"overall": "satisfied"},
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED


def test_rate_is_refused_before_the_result_and_to_others(people, other_citizen):
    open_dossier = make_dossier(status=Status.PROCESSING, **people)
    returned = make_dossier(status=Status.RETURNED, **people)

    with pytest.raises(services.IllegalTransition):
        services.dossier_rate(
            dossier=open_dossier,
            actor=people["applicant"],
            scores=SCORES,
            overall="satisfied",
        )
    with pytest.raises(services.ActionNotAllowed):
        services.dossier_rate(
            dossier=returned, actor=other_citizen, scores=SCORES, overall="satisfied"
        )
    assert not Rating.objects.exists()


def test_assign_writes_a_private_event(people):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    dossier = services.dossier_assign(
        dossier=dossier, actor=people["officer"], assignee=people["specialist"]
    )

    dossier.refresh_from_db()
    assert dossier.assignee == people["specialist"]
    event = last_event(dossier)
    assert (event.action, event.public, event.from_status, event.to_status) == (
        "assign",
        False,
        Status.RECEIVED,
        Status.RECEIVED,
    )
    assert event.details["assignee"] == people["specialist"].pk


def test_a_closed_dossier_is_not_assigned(people):
    dossier = make_dossier(status=Status.RETURNED, **people)

    with pytest.raises(services.IllegalTransition):
        services.dossier_assign(
            dossier=dossier, actor=people["officer"], assignee=people["officer"]
        )
    dossier.refresh_from_db()
    assert dossier.assignee is None


# --- The access log ---------------------------------------------------------------


def test_an_officer_opening_a_dossier_leaves_a_row_for_the_citizen(people):
    dossier = make_dossier(**people)

    services.dossier_record_view(user=people["officer"], dossier=dossier, context="xem")

    row = DataAccessLog.objects.get()
    assert (row.staff, row.staff_unit, row.citizen) == (
        people["officer"],
        people["unit"],
        people["applicant"],
    )
    assert row.context == f"{dossier.code} (xem)"


def test_the_applicant_and_other_citizens_leave_no_row(people, other_citizen):
    dossier = make_dossier(**people)

    for user in (people["applicant"], other_citizen):
        services.dossier_record_view(user=user, dossier=dossier, context="xem")

    assert not DataAccessLog.objects.exists()


# --- Correcting the form ------------------------------------------------------------


def test_the_applicant_corrects_the_form_while_a_supplement_is_asked(people):
    dossier = make_dossier(
        status=Status.SUPPLEMENT_REQUESTED, **people, data={"full_name": "Nguyen"}
    )

    dossier = services.dossier_data_correct(
        dossier=dossier, actor=people["applicant"], data={"full_name": "Nguyễn Văn A"}
    )

    dossier.refresh_from_db()
    assert dossier.data == {"full_name": "Nguyễn Văn A"}
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    event = last_event(dossier)
    assert (event.action, event.actor, event.details["fields"]) == (
        "correct_data",
        people["applicant"],
        ["full_name"],
    )


def test_a_correction_is_refused_to_others_at_other_times_and_when_invalid(
    people, other_citizen
):
    waiting = make_dossier(
        status=Status.SUPPLEMENT_REQUESTED, **people, data={"full_name": "Nguyen"}
    )
    received = make_dossier(
        status=Status.RECEIVED, **people, data={"full_name": "Nguyen"}
    )
    good = {"full_name": "Nguyễn Văn A"}

    with pytest.raises(services.ActionNotAllowed):
        services.dossier_data_correct(dossier=waiting, actor=other_citizen, data=good)
    with pytest.raises(services.IllegalTransition):
        services.dossier_data_correct(
            dossier=received, actor=people["applicant"], data=good
        )
    with pytest.raises(services.InvalidDossierData) as invalid:
        services.dossier_data_correct(
            dossier=waiting,
            actor=people["applicant"],
            data={},
            files=[("", pdf_upload())],
        )
    assert "full_name" in invalid.value.errors
    for dossier in (waiting, received):
        dossier.refresh_from_db()
        assert dossier.data == {"full_name": "Nguyen"}
    assert not Event.objects.filter(action="correct_data").exists()
    assert not Attachment.objects.exists()


def test_receive_uses_the_procedures_time_limit(people, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))  # Monday
    dossier = make_dossier(**people, procedure=ProcedureFactory(processing_days=1))

    dossier = services.dossier_receive(dossier=dossier, actor=people["officer"])

    assert dossier.due_at == at("2026-03-10 17:00")
