"""The actions on a filed dossier, each called as its service: the row, the event
and the status it writes, and its main refusal, which writes nothing."""

import datetime

import pytest

from accounts.models import DataAccessLog
from dossiers import services
from dossiers.models import Attachment, Event, Rating, Result, ResultDraft, Status
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


def test_appraise_stores_the_draft_and_claims_the_dossier(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    dossier = services.dossier_appraise(
        dossier=dossier,
        actor=people["specialist"],
        title=" Giấy khai sinh ",
        file=pdf_upload("du-thao.pdf"),
        note="Đủ điều kiện",
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.APPRAISED
    assert dossier.assignee == people["specialist"]
    draft = ResultDraft.objects.get(dossier=dossier)
    assert (draft.title, draft.generate, draft.appraised_by) == (
        "Giấy khai sinh",
        False,
        people["specialist"],
    )
    assert draft.file.read().startswith(b"%PDF")
    event = last_event(dossier)
    assert (event.action, event.note) == ("appraise", "Đủ điều kiện")


def test_appraising_again_replaces_the_draft(
    people, django_capture_on_commit_callbacks
):
    dossier = make_dossier(status=Status.APPRAISED, **people)
    first = ResultDraft.objects.get(dossier=dossier)
    storage, old_name = first.file.storage, first.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_appraise(
            dossier=dossier,
            actor=people["specialist"],
            title="Giấy khai sinh (bản sửa)",
            generate=True,
        )

    draft = ResultDraft.objects.get(dossier=dossier)
    assert (draft.title, draft.generate, draft.file.name) == (
        "Giấy khai sinh (bản sửa)",
        True,
        "",
    )
    assert old_name
    assert not storage.exists(old_name)


@pytest.mark.parametrize(
    ("title", "file", "generate", "error"),
    [
        (" ", None, True, "tên kết quả"),
        ("Giấy khai sinh", None, False, "tải lên dự thảo kết quả"),
        ("Giấy khai sinh", "pdf", True, "Chỉ chọn một cách"),
        ("Giấy khai sinh", "png", False, "phải là tệp PDF"),
    ],
)
def test_appraise_needs_a_title_and_one_draft(people, title, file, generate, error):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import PNG_BYTES

    dossier = make_dossier(status=Status.PROCESSING, **people)
    upload = {
        None: None,
        "pdf": pdf_upload(),
        "png": SimpleUploadedFile("anh.png", PNG_BYTES, "image/png"),
    }[file]

    with pytest.raises(services.DossierError, match=error):
        services.dossier_appraise(
            dossier=dossier,
            actor=people["specialist"],
            title=title,
            file=upload,
            generate=generate,
        )
    unchanged(dossier, Status.PROCESSING, 3)
    assert not ResultDraft.objects.exists()


def test_appraise_is_refused_to_the_leader_and_the_receiving_officer(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    for actor in (people["leader"], people["officer"]):
        with pytest.raises(services.ActionNotAllowed):
            services.dossier_appraise(
                dossier=dossier, actor=actor, title="Giấy khai sinh", generate=True
            )
    unchanged(dossier, Status.PROCESSING, 3)


def test_submit_for_signature_by_the_specialist(people):
    dossier = make_dossier(status=Status.APPRAISED, **people)

    dossier = services.dossier_submit_for_signature(
        dossier=dossier, actor=people["specialist"], note="Kính trình"
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SIGNATURE
    assert last_event(dossier).action == "submit_for_signature"


def test_sign_by_the_leader(people):
    dossier = make_dossier(status=Status.AWAITING_SIGNATURE, **people)

    dossier = services.dossier_sign(
        dossier=dossier, actor=people["leader"], note="Đồng ý"
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.SIGNED
    event = last_event(dossier)
    assert (event.action, event.actor, event.note) == (
        "sign",
        people["leader"],
        "Đồng ý",
    )


def test_sign_is_refused_to_the_specialist_and_a_leader_of_another_unit(people, unit_b):
    from accounts.roles import Role
    from tests.accounts.factories import UserFactory

    dossier = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    other_leader = UserFactory(roles=[Role.LEADER], org_unit=unit_b)

    for actor in (people["specialist"], other_leader):
        with pytest.raises(services.ActionNotAllowed):
            services.dossier_sign(dossier=dossier, actor=actor)
    unchanged(dossier, Status.AWAITING_SIGNATURE, 5)


def test_send_back_needs_a_reason_and_is_counted(people):
    dossier = make_dossier(status=Status.AWAITING_SIGNATURE, **people)

    with pytest.raises(services.DossierError, match="lý do trả lại"):
        services.dossier_send_back(dossier=dossier, actor=people["leader"], reason=" ")
    unchanged(dossier, Status.AWAITING_SIGNATURE, 5)

    services.dossier_send_back(
        dossier=dossier, actor=people["leader"], reason=" Sai ngày sinh "
    )

    dossier.refresh_from_db()
    assert (dossier.status, dossier.send_back_count) == (Status.PROCESSING, 1)
    event = last_event(dossier)
    assert (event.action, event.note) == ("send_back", "Sai ngày sinh")
    # The draft stays for the specialist to correct.
    assert ResultDraft.objects.filter(dossier=dossier).exists()


def test_several_dossiers_are_signed_each_on_its_own(people):
    ready = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    not_yet = make_dossier(status=Status.APPRAISED, **people)
    also_ready = make_dossier(status=Status.AWAITING_SIGNATURE, **people)

    outcomes = services.dossiers_sign(
        dossiers=[ready, not_yet, also_ready], actor=people["leader"]
    )

    assert [(o.dossier.code, bool(o.error)) for o in outcomes] == [
        (ready.code, False),
        (not_yet.code, True),
        (also_ready.code, False),
    ]
    assert "Chờ lãnh đạo ký duyệt" not in outcomes[1].error
    assert "Ký duyệt" in outcomes[1].error
    for dossier, status in ((ready, Status.SIGNED), (not_yet, Status.APPRAISED)):
        dossier.refresh_from_db()
        assert dossier.status == status
    assert Event.objects.filter(action="sign").count() == 2


def test_issue_signed_result_issues_the_draft_signed_by_the_agency(people):
    dossier = make_dossier(status=Status.SIGNED, **people)

    dossier = services.dossier_issue_signed_result(
        dossier=dossier, actor=people["officer"]
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.result_digitized
    result = Result.objects.get(dossier=dossier)
    assert (result.title, result.issued_by) == ("Giấy khai sinh", people["officer"])
    assert b"/ByteRange" in result.file.read()


def test_issue_signed_result_is_refused_to_the_specialist(people):
    dossier = make_dossier(status=Status.SIGNED, **people)

    with pytest.raises(services.ActionNotAllowed):
        services.dossier_issue_signed_result(
            dossier=dossier, actor=people["specialist"]
        )
    unchanged(dossier, Status.SIGNED, 6)


def test_a_migrated_signed_dossier_without_a_draft_takes_the_result_at_issue(
    people,
):
    dossier = make_dossier(status=Status.SIGNED, **people)
    ResultDraft.objects.filter(dossier=dossier).delete()

    with pytest.raises(services.DossierError, match="tải lên dự thảo kết quả"):
        services.dossier_issue_signed_result(
            dossier=dossier, actor=people["officer"], title="Giấy khai sinh"
        )
    dossier = services.dossier_issue_signed_result(
        dossier=dossier, actor=people["officer"], title="Giấy khai sinh", generate=True
    )

    assert dossier.status == Status.RESULT_READY
    assert dossier.result_digitized


def test_the_suggested_title_is_the_procedures_result(people):
    procedure = ProcedureFactory(
        result_documents="Giấy khai sinh (bản chính); trích lục\nKhác"
    )
    dossier = make_dossier(procedure=procedure, **people)

    assert services.result_title_suggested(dossier) == "Giấy khai sinh"


def test_issue_result_without_a_file_is_not_digitised(people):
    dossier = make_dossier(status=Status.SIGNED, **people)

    dossier = services.dossier_issue_result(
        dossier=dossier,
        actor=people["officer"],
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
        people["officer"],
    )
    assert result.issued_by_unit == people["unit"]
    assert result.token
    assert not result.file
    assert last_event(dossier).action == "issue_result"


def test_issue_result_needs_a_title(people):
    dossier = make_dossier(status=Status.SIGNED, **people)

    with pytest.raises(services.DossierError, match="tên kết quả"):
        services.dossier_issue_result(
            dossier=dossier, actor=people["officer"], title="  "
        )
    unchanged(dossier, Status.SIGNED, 6)
    assert not Result.objects.exists()


def test_issue_generated_result_writes_the_document(people):
    dossier = make_dossier(status=Status.SIGNED, **people)

    dossier = services.dossier_issue_generated_result(
        dossier=dossier, actor=people["officer"], title="Giấy xác nhận", number="7"
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.result_digitized
    result = Result.objects.get(dossier=dossier)
    assert result.title == "Giấy xác nhận"
    assert result.file.read().startswith(b"%PDF")


def test_issue_generated_result_is_refused_to_the_applicant(people):
    dossier = make_dossier(status=Status.SIGNED, **people)

    with pytest.raises(services.ActionNotAllowed):
        services.dossier_issue_generated_result(
            dossier=dossier, actor=people["applicant"], title="Giấy xác nhận"
        )
    unchanged(dossier, Status.SIGNED, 6)
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
    unchanged(dossier, Status.RESULT_READY, 7)


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
    assert dossier.assignee == people["specialist"]  # who appraised it, unchanged


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
