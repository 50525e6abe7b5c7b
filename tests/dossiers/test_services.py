import datetime
import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from dossiers import services
from dossiers.calendar import explain_steps
from dossiers.models import Attachment, Dossier, Event, Status
from rules.models import CodeFormat
from tests.procedures.factories import DocumentFactory, ProcedureFactory
from tests.rules.factories import RuleSetFactory
from tests.units.factories import OrgUnitFactory

from .factories import at, make_dossier, pdf_upload

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- Codes ----------------------------------------------------------------------


def test_code_is_agency_date_and_daily_sequence(people, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))
    first = make_dossier(**people)
    second = make_dossier(**people)
    other_unit = make_dossier(**(people | {"unit": OrgUnitFactory()}))

    agency = people["unit"].agency_code
    assert first.code == f"{agency}-260309-0001"
    assert second.code == f"{agency}-260309-0002"
    assert other_unit.code.endswith("-260309-0001")


def test_sequence_restarts_each_day_in_local_time(people, time_machine):
    # 23:30 local on 9 March is 16:30 UTC the same day; 00:30 local on 10 March
    # is still 9 March in UTC.
    time_machine.move_to(at("2026-03-09 23:30"))
    late = make_dossier(**people)
    time_machine.move_to(at("2026-03-10 00:30"))
    early = make_dossier(**people)

    assert late.code.endswith("-260309-0001")
    assert early.code.endswith("-260310-0001")


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("code_format", "system"),
    [
        (None, ""),  # no rule set in force: the settings' format of before
        (CodeFormat.TT01_2018, ""),
        (CodeFormat.TT04_2025, "42"),
    ],
)
def test_32_concurrent_submissions_get_32_distinct_codes(
    citizen, unit_a, code_format, system
):
    if code_format is not None:
        RuleSetFactory(code_format=code_format, code_system=system or "00")
    procedure = ProcedureFactory()
    codes: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(32)

    def submit() -> None:
        try:
            barrier.wait()
            dossier = services.dossier_submit(
                applicant=citizen,
                procedure=procedure,
                receiving_unit=unit_a,
                data={"full_name": "Nguyễn Văn Công"},
            )
            codes.append(dossier.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(codes)) == 32
    day = timezone.localdate().strftime("%y%m%d")
    prefix = f"{unit_a.agency_code}-{day}-{system}"
    assert all(code.startswith(prefix) for code in codes)
    numbers = sorted(int(code.removeprefix(prefix)) for code in codes)
    assert numbers == list(range(1, 33))
    assert all(len(code.removeprefix(prefix)) == 4 for code in codes)


# --- Submission ------------------------------------------------------------------


def test_submission_validates_against_the_schema(people):
    with pytest.raises(services.InvalidDossierData) as excinfo:
        make_dossier(**people, data={})

    assert "full_name" in excinfo.value.errors
    assert not Dossier.objects.exists()


def test_a_required_paper_must_be_attached(people):
    procedure = ProcedureFactory()
    DocumentFactory(procedure=procedure, key="giay-chung-sinh")
    procedure.form_schema = {
        "version": 1,
        "sections": [
            {
                "key": "giay-to",
                "title": {"vi": "Giấy tờ", "en": "Papers"},
                "fields": [
                    {
                        "name": "giay_chung_sinh",
                        "type": "file",
                        "document": "giay-chung-sinh",
                        "required": True,
                        "label": {"vi": "Giấy chứng sinh", "en": "Birth certificate"},
                    }
                ],
            }
        ],
    }
    procedure.save()

    with pytest.raises(services.InvalidDossierData) as excinfo:
        services.dossier_submit(
            applicant=people["applicant"],
            procedure=procedure,
            receiving_unit=people["unit"],
            data={},
        )
    assert "giay_chung_sinh" in excinfo.value.errors

    from dossiers.models import Draft

    draft = Draft.objects.create(owner=people["applicant"], procedure=procedure)
    services.attachment_add(
        uploaded_by=people["applicant"],
        upload=pdf_upload(),
        document_key="giay-chung-sinh",
        draft=draft,
    )
    dossier = services.dossier_submit(
        applicant=people["applicant"],
        procedure=procedure,
        receiving_unit=people["unit"],
        data={},
        draft=draft,
    )
    assert dossier.attachments.get().document_key == "giay-chung-sinh"
    assert not Draft.objects.exists()


def test_a_listed_only_entry_cannot_be_submitted(people):
    with pytest.raises(services.DossierError):
        make_dossier(**people, procedure=ProcedureFactory(list_only=True))


def test_the_same_idempotency_key_returns_the_first_dossier(people):
    procedure = ProcedureFactory()
    kwargs = {
        "applicant": people["applicant"],
        "procedure": procedure,
        "receiving_unit": people["unit"],
        "data": {"full_name": "A"},
        "idempotency_key": "key-1",
    }

    first = services.dossier_submit(**kwargs)
    again = services.dossier_submit(**kwargs)

    assert again.pk == first.pk
    assert Dossier.objects.count() == 1
    assert Event.objects.filter(action="submit").count() == 1


def test_fee_depends_on_the_channel(people):
    procedure = ProcedureFactory(fee_online_vnd=10000, fee_counter_vnd=20000)

    online = make_dossier(**people, procedure=procedure)

    assert online.fee_vnd == 10000


def test_attaching_a_stored_document_copies_it_without_a_new_upload(people):
    from accounts.services import stored_document_add

    document = stored_document_add(
        owner=people["applicant"],
        doc_type="other",
        title="Giấy chứng sinh",
        file=pdf_upload("gcs.pdf"),
    )
    dossier = make_dossier(status=Status.SUBMITTED, **people)

    attachment = services.attachment_from_stored_document(
        owner=people["applicant"],
        stored_document_id=document.pk,
        document_key="",
        dossier=dossier,
    )

    assert attachment.stored_document == document
    assert attachment.sha256 == document.checksum
    assert attachment.file.name != document.file.name


def test_another_citizens_stored_document_cannot_be_attached(people, other_citizen):
    from django.http import Http404

    from accounts.services import stored_document_add

    document = stored_document_add(
        owner=other_citizen, doc_type="other", title="X", file=pdf_upload()
    )
    dossier = make_dossier(**people)

    with pytest.raises(Http404):
        services.attachment_from_stored_document(
            owner=people["applicant"],
            stored_document_id=document.pk,
            document_key="x",
            dossier=dossier,
        )
    assert not Attachment.objects.exists()


# --- Files ----------------------------------------------------------------------


def test_a_file_is_typed_by_its_content_not_its_name(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = make_dossier(**people)
    fake = SimpleUploadedFile(
        "anh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )

    with pytest.raises(services.DossierError, match="không phải PDF, JPEG hay PNG"):
        services.attachment_add_to_dossier(
            dossier=dossier, uploaded_by=people["applicant"], upload=fake
        )


def test_size_caps_per_file_and_per_dossier(people, settings):
    settings.DOSSIER_MAX_FILE_MB = 1
    settings.DOSSIER_MAX_TOTAL_MB = 2
    dossier = make_dossier(**people)
    add = lambda size: services.attachment_add_to_dossier(  # noqa: E731
        dossier=dossier, uploaded_by=people["applicant"], upload=pdf_upload(size=size)
    )

    with pytest.raises(services.DossierError, match="lớn hơn 1 MB"):
        add(1024 * 1024 + 1)
    add(900 * 1024)
    add(900 * 1024)
    with pytest.raises(services.DossierError, match="vượt quá 2 MB"):
        add(900 * 1024)
    assert dossier.attachments.count() == 2


def test_stored_names_never_come_from_the_user(people):
    dossier = make_dossier(**people)

    attachment = services.attachment_add_to_dossier(
        dossier=dossier,
        uploaded_by=people["applicant"],
        upload=pdf_upload("../../etc/passwd\x00.pdf"),
    )

    assert attachment.original_name == "passwd.pdf"
    name = str(attachment.file.name)
    assert ".." not in name
    assert re.fullmatch(r"dossiers/\d{4}/\d{2}/[0-9a-f]{32}", name)


# --- Deadlines --------------------------------------------------------------------


def test_receipt_sets_the_appointment(people, time_machine):
    procedure = ProcedureFactory(processing_days=3)
    time_machine.move_to(at("2026-03-06 16:00"))  # Friday
    dossier = make_dossier(**people, procedure=procedure)
    time_machine.move_to(at("2026-03-09 10:00"))  # Monday

    dossier = services.dossier_receive(dossier=dossier, actor=people["officer"])

    assert local(dossier.due_at) == "2026-03-12 17:00"
    assert "Điều 147" in explain_steps(dossier.due_steps)


def test_supplement_restarts_the_time_limit_from_the_complete_dossier(
    people, time_machine, settings
):
    settings.DOSSIER_SUPPLEMENT_MODE = "restart"
    procedure = ProcedureFactory(processing_days=5)
    time_machine.move_to(at("2026-03-09 10:00"))
    dossier = make_dossier(status=Status.RECEIVED, **people, procedure=procedure)
    assert local(dossier.due_at) == "2026-03-16 17:00"
    time_machine.move_to(at("2026-03-10 09:00"))
    dossier = services.dossier_request_supplement(
        dossier=dossier,
        actor=people["officer"],
        items=["Giấy chứng sinh"],
        reason="Thiếu",
    )
    time_machine.move_to(at("2026-03-12 10:00"))

    dossier = services.dossier_supplement(dossier=dossier, actor=people["applicant"])

    assert dossier.status == Status.RECEIVED
    assert local(dossier.due_at) == "2026-03-19 17:00"
    event = dossier.events.last()
    assert event.details["mode"] == "restart"
    assert event.details["restarted_at"].startswith("2026-03-12")


def test_pause_moves_the_due_date_by_the_waiting_days_each_time(
    people, time_machine, settings
):
    settings.DOSSIER_SUPPLEMENT_MODE = "pause"
    procedure = ProcedureFactory(processing_days=5)
    time_machine.move_to(at("2026-03-09 10:00"))
    dossier = make_dossier(status=Status.RECEIVED, **people, procedure=procedure)

    for asked, given in [
        ("2026-03-10 09:00", "2026-03-12 16:00"),
        ("2026-03-13 09:00", "2026-03-16 08:00"),
    ]:
        time_machine.move_to(at(asked))
        dossier = services.dossier_request_supplement(
            dossier=dossier, actor=people["officer"], items=["Tờ khai"], reason="Thiếu"
        )
        time_machine.move_to(at(given))
        dossier = services.dossier_supplement(
            dossier=dossier, actor=people["applicant"]
        )

    # 5 days from Mon 9/3 = Mon 16/3; +2 (Wed, Thu) and +1 (Mon) paused days.
    assert local(dossier.due_at) == "2026-03-19 17:00"
    assert dossier.supplement_count == 2
    pauses = [e.details for e in dossier.events.filter(action="supplement")]
    assert [p["mode"] for p in pauses] == ["pause", "pause"]


def test_no_dossier_is_overdue_on_the_day_it_is_received(people, time_machine):
    from dossiers.selectors import dossier_timeliness

    procedure = ProcedureFactory(processing_days=None, same_day=True)
    time_machine.move_to(at("2026-03-13 16:50"))  # Friday, after the cut-off

    dossier = make_dossier(status=Status.RECEIVED, **people, procedure=procedure)

    assert dossier_timeliness(dossier) == "on_track"
    assert local(dossier.due_at) == "2026-03-16 17:00"


# Issue 22, point 5: the centre's dated rule (rules.NoAppointmentDay) replaces the
# NO_APPOINTMENT_* settings this test used to set; after the cut-off the dossier
# is due the next working day (it was: its own limit).
def test_a_civil_status_correction_on_the_centres_tuesday(people, time_machine):
    from tests.procedures.factories import FieldFactory
    from tests.rules.factories import NoAppointmentDayFactory

    NoAppointmentDayFactory(centre=people["unit"])
    correction = ProcedureFactory(
        code="1.004859", processing_days=3, field=FieldFactory(code="ho-tich")
    )
    time_machine.move_to(at("2026-03-10 14:59"))  # Tuesday
    before = make_dossier(status=Status.RECEIVED, **people, procedure=correction)
    time_machine.move_to(at("2026-03-10 15:01"))
    after = make_dossier(status=Status.RECEIVED, **people, procedure=correction)
    time_machine.move_to(at("2026-03-11 09:00"))  # Wednesday
    wednesday = make_dossier(status=Status.RECEIVED, **people, procedure=correction)

    assert local(before.due_at) == "2026-03-10 17:00"
    assert local(after.due_at) == "2026-03-11 17:00"
    assert local(wednesday.due_at) == "2026-03-16 17:00"


def test_the_tuesday_rule_covers_its_fields_and_no_other_procedure(
    people, time_machine
):
    from tests.procedures.factories import FieldFactory
    from tests.rules.factories import NoAppointmentDayFactory

    NoAppointmentDayFactory(centre=people["unit"])
    certification = ProcedureFactory(field=FieldFactory(code="chung-thuc"))
    birth = ProcedureFactory(field=FieldFactory(code="ho-tich"))
    time_machine.move_to(at("2026-03-10 10:00"))

    certified = make_dossier(status=Status.RECEIVED, **people, procedure=certification)
    born = make_dossier(status=Status.RECEIVED, **people, procedure=birth)

    assert local(certified.due_at) == "2026-03-10 17:00"
    assert local(born.due_at) == "2026-03-13 17:00"


def test_the_rule_of_the_day_of_receipt_and_of_the_receiving_centre_applies(
    people, unit_b, time_machine
):
    from tests.procedures.factories import FieldFactory
    from tests.rules.factories import NoAppointmentDayFactory

    # Unit A's rule ended on Monday; unit B has one in force.
    NoAppointmentDayFactory(centre=people["unit"], valid_to=datetime.date(2026, 3, 9))
    NoAppointmentDayFactory(centre=unit_b)
    certification = ProcedureFactory(field=FieldFactory(code="chung-thuc"))
    time_machine.move_to(at("2026-03-10 10:00"))

    dossier = make_dossier(status=Status.RECEIVED, **people, procedure=certification)

    assert local(dossier.due_at) == "2026-03-13 17:00"


def test_a_reception_point_follows_its_centres_rule(people, time_machine):
    from tests.procedures.factories import FieldFactory
    from tests.rules.factories import NoAppointmentDayFactory
    from tests.units.factories import OrgUnitFactory

    NoAppointmentDayFactory(centre=people["unit"])
    point = OrgUnitFactory(parent=people["unit"], admin_unit=people["unit"].admin_unit)
    certification = ProcedureFactory(field=FieldFactory(code="chung-thuc"))
    time_machine.move_to(at("2026-03-10 10:00"))

    dossier = make_dossier(
        status=Status.RECEIVED,
        **{**people, "unit": point, "officer": None},
        procedure=certification,
    )

    assert local(dossier.due_at) == "2026-03-10 17:00"


def test_the_rule_covering_a_dossier_and_the_day_officers_write_for_citizens(
    people, time_machine
):
    from tests.procedures.factories import FieldFactory
    from tests.rules.factories import NoAppointmentDayFactory

    rule = NoAppointmentDayFactory(centre=people["unit"])
    certification = ProcedureFactory(field=FieldFactory(code="chung-thuc"))
    other = ProcedureFactory()
    time_machine.move_to(at("2026-03-10 16:00"))
    covered = make_dossier(**people, procedure=certification)
    not_covered = make_dossier(**people, procedure=other)
    unit = people["unit"]

    assert services.dossier_no_appointment_day(covered) == rule
    assert services.dossier_no_appointment_day(not_covered) is None
    # Officers write the declaration the whole Tuesday, after the cut-off too.
    assert (
        services.writing_help_day(
            procedure=certification, unit=unit, at=at("2026-03-10 16:00")
        )
        == rule
    )
    assert (
        services.writing_help_day(
            procedure=certification, unit=unit, at=at("2026-03-11 09:00")
        )
        is None
    )
    assert (
        services.writing_help_day(procedure=other, unit=unit, at=at("2026-03-10 09:00"))
        is None
    )


# --- Apology ----------------------------------------------------------------------


def test_apology_moves_the_due_date_once(people, time_machine):
    procedure = ProcedureFactory(processing_days=5)
    time_machine.move_to(at("2026-03-09 10:00"))
    dossier = make_dossier(status=Status.PROCESSING, **people, procedure=procedure)
    time_machine.move_to(at("2026-03-13 10:00"))  # due Mon 16/3

    dossier = services.dossier_apologize(
        dossier=dossier,
        actor=people["specialist"],
        new_due_date=datetime.date(2026, 3, 20),
        reason="Cần xác minh",
    )

    assert local(dossier.due_at) == "2026-03-20 17:00"
    assert dossier.apologized
    with pytest.raises(services.IllegalTransition, match="một lần"):
        services.dossier_apologize(
            dossier=dossier,
            actor=people["specialist"],
            new_due_date=datetime.date(2026, 3, 25),
            reason="Lần nữa",
        )
    dossier.refresh_from_db()
    assert local(dossier.due_at) == "2026-03-20 17:00"
    assert dossier.events.filter(action="apologize").count() == 1


def test_apology_must_come_a_day_before_the_due_date(people, time_machine):
    procedure = ProcedureFactory(processing_days=5)
    time_machine.move_to(at("2026-03-09 10:00"))
    dossier = make_dossier(status=Status.PROCESSING, **people, procedure=procedure)
    time_machine.move_to(at("2026-03-16 08:00"))  # the due day itself

    with pytest.raises(services.DossierError, match="01 ngày trước hạn"):
        services.dossier_apologize(
            dossier=dossier,
            actor=people["specialist"],
            new_due_date=datetime.date(2026, 3, 20),
            reason="Muộn",
        )


def test_forward_to_a_unit_with_an_assignee_of_another_unit_is_refused(
    people, officer_other_commune
):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    with pytest.raises(services.DossierError):
        services.dossier_forward(
            dossier=dossier,
            actor=people["officer"],
            to_unit=people["unit"],
            assignee=officer_other_commune,
        )


def test_claim_and_assign_within_the_unit(people, officer_other_commune):
    dossier = make_dossier(**people)

    dossier = services.dossier_assign(
        dossier=dossier, actor=people["officer"], assignee=people["officer"]
    )
    assert dossier.assignee == people["officer"]
    with pytest.raises(services.ActionNotAllowed):
        services.dossier_assign(
            dossier=dossier, actor=people["officer"], assignee=officer_other_commune
        )


def test_a_digital_team_member_cannot_take_or_hand_out_a_dossier(people, unit_a):
    from accounts.roles import Role
    from tests.accounts.factories import UserFactory

    helper = UserFactory(roles=[Role.DIGITAL_TEAM], org_unit=unit_a)
    dossier = make_dossier(**people)

    for actor, assignee in [(helper, helper), (people["officer"], helper)]:
        with pytest.raises(services.ActionNotAllowed):
            services.dossier_assign(dossier=dossier, actor=actor, assignee=assignee)
    dossier.refresh_from_db()
    assert dossier.assignee is None
