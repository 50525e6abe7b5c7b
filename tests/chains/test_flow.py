"""Both linked groups run end to end with tasks in-process (the embedded default):
each step at its agency, with its own dossier, due date and result, and the data
passed from step to step."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine

from accounts.models import DocumentSource, StoredDocument
from agencies.models import (
    BenefitDecision,
    CivilStatusEntry,
    InsuranceCard,
    IssuedPersonalId,
    RecordedDeath,
    RegistryRecord,
    ResidenceEntry,
)
from chains.models import ChainRun, RunStatus, StepState
from dossiers.models import Dossier, Result, Status
from registers.models import RegisterEntry, RegisterKind

from .conftest import (
    BIRTH,
    DEATH,
    birth_data,
    death_data,
    deceased_person,
    living_elsewhere,
    part_signed_off,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

# Monday 9 March 2026, 09:00 in Hà Nội: a working day, before the 15:00 cut-off.
MONDAY = datetime.datetime(2026, 3, 9, 2, 0, tzinfo=datetime.UTC)


def run_of(dossier):
    return ChainRun.objects.get(dossier=dossier)


def test_the_birth_group_completes_and_passes_the_childs_number_on(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))

    run = run_of(dossier)
    assert run.status == RunStatus.COMPLETED
    birth, residence, card = run.steps.order_by("order")
    assert [s.kind for s in (birth, residence, card)] == [
        "birth",
        "residence",
        "health_card",
    ]
    assert {s.state for s in run.steps.all()} == {StepState.DONE}
    # Each step at its agency: the commune committee, the commune police, the
    # district's social insurance.
    assert birth.org_unit == agencies["committee"]
    assert residence.org_unit == agencies["police"]
    assert card.org_unit == agencies["social_insurance"]

    number = birth.result["personal_id"]
    assert re.fullmatch(r"\d{12}", number)
    issued = IssuedPersonalId.objects.get()
    assert issued.personal_id == number
    # The newborn is in the population registry from now on.
    child = RegistryRecord.objects.get(personal_id=number)
    assert child.full_name == "Nguyễn Văn Bé"
    # The number is in the requests and results of the steps that follow.
    assert residence.request["personal_id"] == number
    assert residence.result["personal_id"] == number
    assert card.request["personal_id"] == number
    assert card.result["personal_id"] == number
    assert ResidenceEntry.objects.get().personal_id == number
    assert InsuranceCard.objects.get().personal_id == number
    # The birth certificate is numbered by the commune's births register
    # (registers), not by the registry's own count, and the residence step cites
    # that number.
    assert CivilStatusEntry.objects.filter(kind="birth").exists()
    entry = RegisterEntry.objects.get(register__kind=RegisterKind.BIRTH)
    assert entry.register.unit == agencies["committee"]
    assert entry.subject == "Nguyễn Văn Bé"
    assert entry.dossier == Dossier.objects.get(chain_step=birth)
    assert (
        birth.result["birth_certificate_number"],
        birth.result["birth_certificate_book"],
    ) == (entry.number, entry.register.book)
    assert residence.request["based_on"].startswith(
        f"Giấy khai sinh số {entry.number}, quyển {entry.register.book}"
    )
    assert card.request["birth_certificate"] == f"{entry.number}/{entry.register.book}"
    result = Result.objects.get(dossier=entry.dossier)
    assert (result.register, result.book, result.number) == (
        "Sổ đăng ký khai sinh",
        entry.register.book,
        str(entry.number),
    )
    # The citizen's document store keeps the number with its book.
    assert birth.stored_document.number == f"{entry.number}/{entry.register.book}"
    # Only the birth is entered in a register of ours: the police's and the
    # social insurance's results are numbered by their own systems.
    assert RegisterEntry.objects.count() == 1


def test_the_personal_id_follows_identifiers_md(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))

    birth = run_of(dossier).steps.get(order=1)
    number = birth.result["personal_id"]
    born = datetime.date.fromisoformat(birth.result["date_of_birth"])
    # PPP (province of registration: the test province 96), G (2000-2099, male:
    # 2), YY, 6 random digits.
    assert number[:3] == "096"
    assert number[3] == "2"
    assert number[4:6] == f"{born:%y}"
    from accounts.identifiers import personal_id_errors

    assert personal_id_errors(number, date_of_birth=born, sex="male") == []


def test_the_insurance_card_is_te1_province_and_ten_digits(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))

    card = run_of(dossier).steps.get(kind="health_card").result
    assert len(card["card_code"]) == 15
    assert card["card_code"] == f"TE196{card['social_insurance_number']}"
    assert re.fullmatch(r"\d{10}", card["social_insurance_number"])


def test_every_step_has_its_own_dossier_in_its_agencys_queue(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))

    for step in run_of(dossier).steps.select_related("sub_dossier"):
        part = step.sub_dossier
        # One code across agencies: the linked dossier's code and the step.
        assert part.code == f"{dossier.code}-{step.order}"
        assert part.receiving_unit == step.org_unit
        assert part.procedure == step.procedure
        assert part.applicant == citizen
        assert part.status == Status.RETURNED
        result = Result.objects.get(dossier=part)
        assert result.file
        assert result.issued_by_unit == step.org_unit
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert Result.objects.filter(dossier=dossier).exists()


def test_each_result_is_in_the_citizens_document_store(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))

    documents = StoredDocument.objects.filter(owner=citizen).order_by("pk")
    assert [d.doc_type for d in documents] == [
        "birth_certificate",
        "residence",
        "health_insurance",
    ]
    assert {d.source for d in documents} == {DocumentSource.RESULT}
    card = run_of(dossier).steps.get(kind="health_card")
    assert card.stored_document.number == card.result["card_code"]
    assert documents[0].content_type == "application/pdf"


def test_the_birth_group_is_due_in_3_working_days_and_its_steps_on_their_own(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(MONDAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))

    run = run_of(dossier)

    def local(moment):
        return moment.astimezone(datetime.timezone(datetime.timedelta(hours=7)))

    assert run.total_days == Decimal(3)
    assert local(run.due_at).date() == datetime.date(2026, 3, 12)  # Thursday
    birth, residence, card = run.steps.order_by("order")
    # Birth registration: the same working day (Decree 63/2024 art. 8).
    assert birth.same_day
    assert local(birth.due_at).date() == datetime.date(2026, 3, 9)
    # Residence and card: 2 working days each, counted from when they start.
    assert residence.days == 2
    assert card.days == 2
    assert local(residence.due_at).date() == datetime.date(2026, 3, 11)
    assert residence.limit_source == "catalogue"


def test_a_child_living_elsewhere_waits_for_the_police_who_verify_in_5_days(
    citizen, agencies, police_officers, officer, django_capture_on_commit_callbacks
):
    from dossiers import services

    with (
        time_machine.travel(MONDAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, living_elsewhere(citizen)
        )
    run = run_of(dossier)
    residence = run.steps.get(order=2)
    assert run.verification
    assert run.total_days == Decimal(5)
    assert residence.state == StepState.WAITING_OFFICER
    # The ward's police, where the child will live.
    assert residence.org_unit == agencies["ward_police"]
    assert residence.days == 5
    assert residence.limit_source == "verification"
    part = residence.sub_dossier
    assert part.status == Status.RECEIVED
    assert not ResidenceEntry.objects.exists()
    # The police officers are called to the part they must verify; the
    # committee's officers are not, for the birth part its system registered.
    from notifications.models import Notification

    assert officer.org_unit == agencies["committee"]
    called = Notification.objects.filter(event_key="queue.new")
    assert called.filter(recipient=police_officers["officer"], context__code=part.code)
    assert called.filter(recipient=officer, context__code=dossier.code)
    birth_part = run.steps.get(order=1).sub_dossier
    assert not called.filter(context__code=birth_part.code)

    officer, leader = police_officers["officer"], police_officers["leader"]
    with django_capture_on_commit_callbacks(execute=True):
        part = services.dossier_forward(
            dossier=part, actor=officer, to_unit=part.receiving_unit
        )
    assert run.steps.get(order=2).state == StepState.WAITING_OFFICER
    with django_capture_on_commit_callbacks(execute=True):
        part_signed_off(part, {**police_officers, "leader": leader})

    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED
    entry = ResidenceEntry.objects.get()
    assert entry.admin_unit_code == "14999"
    assert entry.request["personal_id"] == run.steps.get(order=1).result["personal_id"]
    assert run.steps.get(order=2).request["verified_by_officer"] is True


@pytest.mark.parametrize(
    ("count", "status", "kinds", "payer"),
    [
        ("2", "none", ["death", "deregistration"], None),
        ("3", "pension", ["death", "deregistration", "funeral_si"], "social_insurance"),
        ("3", "merit", ["death", "deregistration", "funeral_sa"], "social_affairs"),
        (
            "4",
            "si_contributor",
            ["death", "deregistration", "funeral_si", "survivor"],
            "social_insurance",
        ),
    ],
)
def test_the_death_group_does_the_chosen_procedures_with_the_right_payer(
    citizen, agencies, count, status, kinds, payer, django_capture_on_commit_callbacks
):
    deceased_person()
    data = death_data(citizen, count=count, status=status)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], DEATH, data)

    run = run_of(dossier)
    assert run.status == RunStatus.COMPLETED
    steps = list(run.steps.order_by("order"))
    assert [s.kind for s in steps] == kinds
    assert [s.order for s in steps] == list(range(1, len(kinds) + 1))
    # The registry knows of the death; the residence is removed, citing the extract.
    assert RecordedDeath.objects.get().personal_id == "036045001111"
    assert RegistryRecord.objects.get(personal_id="036045001111").date_of_death
    # The extract is numbered by the commune's deaths register (registers).
    extract = RegisterEntry.objects.get(register__kind=RegisterKind.DEATH)
    assert extract.register.unit == agencies["committee"]
    deregistration = steps[1]
    assert deregistration.org_unit == agencies["police"]
    assert deregistration.request["based_on"] == (
        f"Trích lục khai tử số {extract.number}/{extract.register.book}"
    )
    decisions = BenefitDecision.objects.all()
    if payer is None:
        assert not decisions.exists()
    else:
        assert {d.system for d in decisions} == {payer}
        expected = "social_affairs" if payer == "social_affairs" else "social_insurance"
        assert steps[2].org_unit == agencies[expected]


def test_the_death_group_total_is_the_sum_of_its_steps_standalone_limits(
    citizen, agencies, django_capture_on_commit_callbacks
):
    deceased_person()
    with (
        time_machine.travel(MONDAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dossier = submit(
            citizen, agencies["committee"], DEATH, death_data(citizen, count="4")
        )

    run = run_of(dossier)
    steps = {s.kind: s for s in run.steps.all()}
    # Standalone limits (linked-groups.md): death same day, deregistration 5,
    # survivor benefit 8; the funeral allowance has none: the documented default.
    assert steps["death"].same_day
    assert steps["death"].limit_source == "standalone"
    assert steps["deregistration"].days == 5
    assert steps["survivor"].days == 8
    assert steps["funeral_si"].days is None
    assert steps["funeral_si"].limit_source == "default"
    assert run.total_days == Decimal(0 + 5 + 5 + 8)


def test_a_dated_setting_gives_an_unverified_step_its_limit(
    citizen, agencies, settings, django_capture_on_commit_callbacks
):
    settings.CHAIN_STEP_DAYS = {
        "2.002913/tro-cap-mai-tang-bhxh": [["2024-06-15", 3], ["2030-01-01", 1]],
        "2.002913/1.003197": [["2024-06-15", "same_day"]],
    }
    deceased_person()
    with (
        time_machine.travel(MONDAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dossier = submit(
            citizen, agencies["committee"], DEATH, death_data(citizen, count="3")
        )

    steps = {s.kind: s for s in run_of(dossier).steps.all()}
    assert steps["funeral_si"].days == 3
    assert steps["funeral_si"].limit_source == "setting"
    assert steps["deregistration"].same_day


def test_a_linked_dossier_needs_identity_level_2_whatever_the_way_in(citizen, agencies):
    from dossiers.models import Dossier
    from dossiers.services import ActionNotAllowed

    citizen.identity_level = 1
    citizen.save()

    with pytest.raises(ActionNotAllowed):
        submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    assert not Dossier.objects.exists()


def test_a_linked_dossier_is_not_filed_at_the_counter(citizen, agencies, officer):
    from dossiers.services import DossierError, dossier_file_for_citizen
    from procedures.models import Procedure

    with pytest.raises(DossierError, match="trực tuyến"):
        dossier_file_for_citizen(
            helper=officer,
            citizen=citizen,
            procedure=Procedure.objects.get(code=BIRTH),
            data=birth_data(citizen),
        )
    assert not Dossier.objects.exists()


def test_no_agency_for_a_step_refuses_the_submission_with_a_reason(citizen, agencies):
    from dossiers.services import DossierError

    agencies["social_insurance"].is_active = False
    agencies["social_insurance"].save()

    with pytest.raises(DossierError) as raised:
        submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    assert "Bảo hiểm xã hội" in raised.value.message
    assert not Dossier.objects.exists()


def test_the_chain_history_is_on_the_linked_dossiers_public_timeline(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))

    events = dossier.events.filter(action="chain_step", public=True)
    done = [e for e in events if e.details["chain"] == "done"]
    assert [e.details["step"] for e in done] == [1, 2, 3]
    assert events.last().details["chain"] == "completed"


def test_the_citizen_is_notified_of_each_step_and_of_completion_once(
    citizen, agencies, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    run = run_of(dossier)
    keys = list(
        Notification.objects.filter(recipient=run.dossier.applicant)
        .filter(event_key__startswith="chain.")
        .values_list("event_key", flat=True)
    )

    assert keys.count("chain.done") == run.steps.count()
    assert keys.count("chain.completed") == 1
    assert "chain.retry" not in keys


def test_the_citizen_hears_of_the_parts_through_the_chain_not_of_each_move(
    citizen, agencies, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    run = run_of(dossier)
    parts = [step.sub_dossier for step in run.steps.order_by("order")]
    assert all(part.status == Status.RETURNED for part in parts)

    told = Notification.objects.filter(recipient=citizen)
    about = {(n.event_key, n.context.get("code")) for n in told}
    # The linked dossier's own moves, and one line per step from the chain...
    assert ("dossier.returned", dossier.code) in about
    assert told.filter(event_key="chain.done").count() == len(parts)
    # ...and nothing of each part's reception and return besides.
    assert not {code for _key, code in about} & {part.code for part in parts}
    assert (
        told.count() == 2 + len(parts) + 1
    )  # received, each step, completed, returned
