"""Filing a dossier, each step called as its service: who may file what where,
idempotency keys, codes and deadlines, the submission and filing for a citizen
at the counter."""

import pytest

from accounts.models import IdentityLevel
from accounts.roles import Role
from dossiers import services
from dossiers.models import Channel, DailyCounter, Dossier, Draft, Event, Status
from tests.accounts.factories import UserFactory
from tests.procedures.factories import ProcedureFactory
from tests.units.factories import OrgUnitFactory
from units.models import AgencyType

from .factories import at, make_dossier, pdf_upload

pytestmark = pytest.mark.django_db


# --- Who may file what, where ----------------------------------------------------


def test_a_unit_receives_the_procedures_of_its_kind_while_active(unit_a):
    procedure = ProcedureFactory(agency_type=AgencyType.COMMUNE_COMMITTEE)

    assert services.unit_receives(unit=unit_a, procedure=procedure)
    unit_a.is_active = False
    assert not services.unit_receives(unit=unit_a, procedure=procedure)
    police = OrgUnitFactory(agency_type=AgencyType.COMMUNE_POLICE)
    assert not services.unit_receives(unit=police, procedure=procedure)


def test_only_a_citizen_files_for_themselves(citizen, officer):
    services.applicant_check(applicant=citizen)

    with pytest.raises(services.ActionNotAllowed):
        services.applicant_check(applicant=officer)


def test_submission_check_says_why_a_filing_is_refused(citizen, officer, unit_a):
    procedure = ProcedureFactory()
    services.submission_check(
        applicant=citizen, procedure=procedure, receiving_unit=unit_a
    )

    with pytest.raises(services.ActionNotAllowed):
        services.submission_check(applicant=officer, procedure=procedure)
    with pytest.raises(services.DossierError, match="không nộp hồ sơ trực tuyến"):
        services.submission_check(
            applicant=citizen, procedure=ProcedureFactory(list_only=True)
        )
    police = OrgUnitFactory(agency_type=AgencyType.COMMUNE_POLICE)
    with pytest.raises(services.UnitNotReceiving):
        services.submission_check(
            applicant=citizen, procedure=procedure, receiving_unit=police
        )
    citizen.identity_level = IdentityLevel.LEVEL_1
    with pytest.raises(services.IdentityLevelTooLow):
        services.submission_check(
            applicant=citizen, procedure=ProcedureFactory(linked=True)
        )


# --- Idempotency ------------------------------------------------------------------


def test_a_fingerprint_depends_on_the_request_not_its_key_order():
    first = services.request_fingerprint({"a": 1, "b": "Hà Nội"})

    assert first == services.request_fingerprint({"b": "Hà Nội", "a": 1})
    assert first != services.request_fingerprint({"a": 2, "b": "Hà Nội"})


def test_a_drafts_fingerprint_is_the_drafts_own(citizen, unit_a):
    procedure = ProcedureFactory()
    draft = services.draft_create(
        owner=citizen, procedure=procedure, receiving_unit=unit_a
    )
    other = services.draft_create(
        owner=citizen, procedure=procedure, receiving_unit=unit_a
    )

    assert services.draft_fingerprint(draft) == services.request_fingerprint(
        {"draft": draft.pk}
    )
    assert services.draft_fingerprint(draft) != services.draft_fingerprint(other)


def test_a_key_finds_its_dossier_and_refuses_another_request(citizen, unit_a):
    dossier = services.dossier_submit(
        applicant=citizen,
        procedure=ProcedureFactory(),
        receiving_unit=unit_a,
        data={"full_name": "A"},
        idempotency_key="k-1",
        idempotency_fingerprint="f-1",
    )

    def find(**kwargs):
        return services.dossier_for_idempotency_key(applicant=citizen, **kwargs)

    assert find(key="k-1", fingerprint="f-1") == dossier
    assert find(key="k-1") == dossier
    assert find(key="") is None
    assert find(key="k-2", fingerprint="f-1") is None
    with pytest.raises(services.IdempotencyKeyReused, match=dossier.code):
        find(key="k-1", fingerprint="f-2")


# --- Codes and deadlines ------------------------------------------------------------


def test_a_code_takes_the_units_next_number_of_the_local_day(unit_a):
    late = at("2026-03-09 23:30")

    first = services.dossier_code_allocate(org_unit=unit_a, at=late)
    second = services.dossier_code_allocate(org_unit=unit_a, at=late)
    next_day = services.dossier_code_allocate(
        org_unit=unit_a, at=at("2026-03-10 00:10")
    )

    agency = unit_a.agency_code
    assert [first, second, next_day] == [
        f"{agency}-260309-0001",
        f"{agency}-260309-0002",
        f"{agency}-260310-0001",
    ]
    counters = DailyCounter.objects.filter(org_unit=unit_a).order_by("day")
    assert [(str(c.day), c.last) for c in counters] == [
        ("2026-03-09", 2),
        ("2026-03-10", 1),
    ]


def test_deadline_for_counts_the_procedures_working_days(db):
    # Friday 13 March 2026 at 10:00, 3 working days: Mon, Tue, Wed.
    deadline = services.deadline_for(
        procedure=ProcedureFactory(processing_days=3),
        received_at=at("2026-03-13 10:00"),
    )

    assert deadline.due_at == at("2026-03-18 17:00")
    assert deadline.steps


# --- Submission ------------------------------------------------------------------


def test_submit_writes_the_dossier_and_its_first_event(citizen, unit_a):
    procedure = ProcedureFactory(fee_online_vnd=15000, processing_days=3)

    dossier = services.dossier_submit(
        applicant=citizen,
        procedure=procedure,
        receiving_unit=unit_a,
        data={"full_name": "Nguyễn Văn Công", "unknown": "dropped"},
        now=at("2026-03-09 10:00"),
    )

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.code == f"{unit_a.agency_code}-260309-0001"
    assert (dossier.status, dossier.channel, dossier.fee_vnd) == (
        Status.SUBMITTED,
        Channel.ONLINE,
        15000,
    )
    assert dossier.data == {"full_name": "Nguyễn Văn Công"}
    assert dossier.admin_unit == unit_a.admin_unit
    assert dossier.phone_last4 == citizen.phone[-4:]
    assert dossier.due_at is not None
    event = Event.objects.get(dossier=dossier)
    assert (event.action, event.actor, event.to_status) == (
        "submit",
        citizen,
        Status.SUBMITTED,
    )
    assert event.details == {"channel": Channel.ONLINE, "assisted": False}


def test_submit_refuses_an_inactive_unit_and_staff(citizen, officer, unit_a):
    procedure = ProcedureFactory()
    unit_a.is_active = False
    unit_a.save()

    with pytest.raises(services.DossierError):
        services.dossier_submit(
            applicant=citizen,
            procedure=procedure,
            receiving_unit=unit_a,
            data={"full_name": "A"},
        )
    with pytest.raises(services.ActionNotAllowed):
        make_dossier(applicant=officer, unit=OrgUnitFactory(), procedure=procedure)
    assert not Dossier.objects.exists()
    assert not Event.objects.exists()


def test_submit_moves_the_drafts_papers_to_the_dossier(citizen, unit_a):
    procedure = ProcedureFactory()
    draft = services.draft_create(
        owner=citizen, procedure=procedure, receiving_unit=unit_a
    )
    attachment = services.attachment_add(
        uploaded_by=citizen, upload=pdf_upload(), draft=draft
    )

    dossier = services.dossier_submit(
        applicant=citizen,
        procedure=procedure,
        receiving_unit=unit_a,
        data={"full_name": "A"},
        draft=draft,
    )

    attachment.refresh_from_db()
    assert (attachment.dossier, attachment.draft) == (dossier, None)
    assert not Draft.objects.exists()


# --- Filing for a citizen at the counter ----------------------------------------------


def test_a_one_stop_officer_files_at_the_counter_and_receives_at_once(
    citizen, officer, unit_a
):
    dossier = services.dossier_file_for_citizen(
        helper=officer,
        citizen=citizen,
        procedure=ProcedureFactory(),
        data={"full_name": citizen.full_name},
        files=[("", pdf_upload("don.pdf"))],
    )

    dossier.refresh_from_db()
    assert (dossier.applicant, dossier.assisted_by, dossier.channel) == (
        citizen,
        officer,
        Channel.COUNTER,
    )
    assert dossier.status == Status.RECEIVED
    assert [a.original_name for a in dossier.attachments.all()] == ["don.pdf"]
    submit, receive = dossier.events.all()
    assert (submit.action, submit.actor, submit.details["assisted"]) == (
        "submit",
        officer,
        True,
    )
    assert (receive.action, receive.actor) == ("receive", officer)
    assert not Draft.objects.exists()


def test_filing_for_a_citizen_is_refused_without_the_right_or_the_consent(
    citizen, officer, specialist, unit_a
):
    procedure = ProcedureFactory()
    data = {"full_name": citizen.full_name}
    digital_team = UserFactory(roles=[Role.DIGITAL_TEAM], org_unit=unit_a)

    with pytest.raises(services.ActionNotAllowed):
        services.dossier_file_for_citizen(
            helper=specialist, citizen=citizen, procedure=procedure, data=data
        )
    with pytest.raises(services.DossierError, match="công dân khác"):
        services.dossier_file_for_citizen(
            helper=officer, citizen=officer, procedure=procedure, data=data
        )
    # The digital team files only after the citizen confirmed by phone.
    with pytest.raises(services.ActionNotAllowed, match="chưa xác nhận"):
        services.dossier_file_for_citizen(
            helper=digital_team,
            citizen=citizen,
            procedure=procedure,
            data=data,
            consent_id=None,
        )
    assert not Dossier.objects.exists()
    assert not Draft.objects.exists()
