"""The development systems of the linked chains behave like remote systems: their
own state, idempotency keys, scripted faults that reach every process, refusals,
delay and random failures; and the settings choose the implementation."""

import datetime
import random
from typing import Any

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from agencies.adapters import (
    AgencyRefused,
    AgencyUnavailable,
    CivilStatusRegistry,
    DevelopmentCivilStatusRegistry,
    DevelopmentPopulationRegistry,
    DevelopmentResidenceSystem,
    DevelopmentSocialAffairs,
    DevelopmentSocialInsurance,
    RegistryUnavailable,
    civil_status_registry,
    residence_system,
    social_affairs,
    social_insurance,
)
from agencies.adapters.base import SimulatedNetwork
from agencies.adapters.records import (
    BenefitRequest,
    BirthRecord,
    ChildCardRequest,
    DeathRecord,
    ParentRecord,
    ResidenceRequest,
)
from agencies.models import (
    AgencyFault,
    BenefitDecision,
    CivilStatusEntry,
    InsuranceCard,
    IssuedPersonalId,
    RegistryRecord,
    ResidenceEntry,
)
from agencies.services import agency_fault_add, agency_faults_clear

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


QUIET: dict[str, Any] = {"latency_ms": 0, "failure_rate": 0.0, "timeout_seconds": 5}


def newborn(**changes):
    values: dict[str, Any] = {
        "full_name": "Nguyễn Văn Bé",
        "date_of_birth": timezone.localdate() - datetime.timedelta(days=3),
        "sex": "female",
        "place_of_birth": "Bệnh viện",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
        "mother": ParentRecord(full_name="Phạm Thị Mẹ", address="Xóm 1"),
        "province_code": "036",
        "office": "UBND xã An",
    }
    return BirthRecord(**(values | changes))


def card_request(**changes):
    values: dict[str, Any] = {
        "personal_id": "036324000001",
        "full_name": "Nguyễn Văn Bé",
        "date_of_birth": timezone.localdate() - datetime.timedelta(days=3),
        "sex": "male",
        "province_code": "36",
        "facility": "Trạm y tế xã An",
    }
    return ChildCardRequest(**(values | changes))


def benefit(status="pension"):
    return BenefitRequest(
        deceased_name="Trần Văn Cụ",
        date_of_death=timezone.localdate(),
        death_extract="1/2026",
        claimant_name="Trần Văn Con",
        claimant_personal_id="036085000001",
        deceased_status=status,
    )


# --- Idempotency: the same key, the same answer -----------------------------------


def test_the_registry_gives_a_newborn_one_number_per_key():
    registry = DevelopmentPopulationRegistry(**QUIET)

    first = registry.issue_personal_id(birth=newborn(), idempotency_key="k1")
    again = registry.issue_personal_id(birth=newborn(), idempotency_key="k1")
    other = registry.issue_personal_id(birth=newborn(), idempotency_key="k2")

    assert first == again != other
    # PPP G YY: province 036, female born 2000-2099 (3), the year.
    assert first[:4] == "0363"
    assert first[4:6] == f"{newborn().date_of_birth:%y}"
    assert IssuedPersonalId.objects.get(idempotency_key="k1").repeats == 1
    assert RegistryRecord.objects.filter(personal_id__in=[first, other]).count() == 2
    assert registry.lookup(first).full_name == "Nguyễn Văn Bé"


def test_each_system_answers_a_repeated_key_with_its_first_answer():
    civil = DevelopmentCivilStatusRegistry(**QUIET)
    residence = DevelopmentResidenceSystem(**QUIET)
    insurance = DevelopmentSocialInsurance(**QUIET)
    affairs = DevelopmentSocialAffairs(**QUIET)
    death = DeathRecord(
        full_name="Trần Văn Cụ",
        date_of_death=timezone.localdate(),
        place_of_death="Nhà",
        office="UBND xã An",
    )
    home = ResidenceRequest(
        personal_id="036324000001", full_name="Bé", admin_unit_code="13741"
    )
    calls = [
        lambda: civil.register_birth(
            birth=newborn(), personal_id="036324000001", idempotency_key="b"
        ),
        lambda: civil.register_death(death=death, idempotency_key="d"),
        lambda: residence.register_permanent(request=home, idempotency_key="r"),
        lambda: residence.deregister(request=home, idempotency_key="x"),
        lambda: insurance.issue_child_card(request=card_request(), idempotency_key="c"),
        lambda: insurance.decide_funeral_allowance(
            request=benefit(), idempotency_key="f"
        ),
        lambda: insurance.decide_survivor_benefit(
            request=benefit(), idempotency_key="s"
        ),
        lambda: affairs.decide_funeral_support(
            request=benefit("merit"), idempotency_key="a"
        ),
    ]
    for call in calls:
        assert call() == call()

    assert CivilStatusEntry.objects.count() == 2
    assert ResidenceEntry.objects.count() == 2
    assert InsuranceCard.objects.count() == 1
    assert BenefitDecision.objects.count() == 3
    for model in (CivilStatusEntry, ResidenceEntry, InsuranceCard, BenefitDecision):
        assert set(model.objects.values_list("repeats", flat=True)) == {1}


def test_birth_certificates_are_numbered_in_order_per_office_and_year():
    civil = DevelopmentCivilStatusRegistry(**QUIET)

    numbers = [
        civil.register_birth(
            birth=newborn(), personal_id="036324000001", idempotency_key=f"b{i}"
        ).number
        for i in range(3)
    ]
    other_office = civil.register_birth(
        birth=newborn(office="UBND xã Bình"),
        personal_id="036324000002",
        idempotency_key="b-other",
    )

    assert numbers == [1, 2, 3]
    assert other_office.number == 1


def test_a_child_card_code_is_te1_the_province_and_the_social_insurance_number():
    card = DevelopmentSocialInsurance(**QUIET).issue_child_card(
        request=card_request(), idempotency_key="c"
    )

    assert len(card.card_code) == 15
    assert card.card_code == f"TE136{card.social_insurance_number}"
    assert card.social_insurance_number.isdigit()
    # The number is drawn, never derived from the personal ID (UNVERIFIED).
    assert card.social_insurance_number not in "036324000001"


# --- Refusals ---------------------------------------------------------------------


def test_the_systems_refuse_what_the_real_ones_would():
    insurance = DevelopmentSocialInsurance(**QUIET)
    six = timezone.localdate() - datetime.timedelta(days=6 * 366)
    with pytest.raises(AgencyRefused, match="6 tuổi"):
        insurance.issue_child_card(
            request=card_request(date_of_birth=six), idempotency_key="old"
        )
    with pytest.raises(AgencyRefused):
        insurance.decide_funeral_allowance(
            request=benefit("social_assistance"), idempotency_key="si"
        )
    with pytest.raises(AgencyRefused):
        DevelopmentSocialAffairs(**QUIET).decide_funeral_support(
            request=benefit("pension"), idempotency_key="sa"
        )
    with pytest.raises(AgencyRefused, match="036045009999"):
        DevelopmentPopulationRegistry(**QUIET).confirm_death(
            personal_id="036045009999",
            date_of_death=timezone.localdate(),
            idempotency_key="dead",
        )
    with pytest.raises(AgencyRefused):
        DevelopmentResidenceSystem(**QUIET).deregister(
            request=ResidenceRequest(
                personal_id="", full_name="X", admin_unit_code="1"
            ),
            idempotency_key="nobody",
        )
    assert not InsuranceCard.objects.exists()
    assert not BenefitDecision.objects.exists()


def test_a_confirmed_death_is_in_the_registry():
    person = RegistryRecord.objects.create(
        personal_id="036045001111",
        full_name="Trần Văn Cụ",
        date_of_birth=datetime.date(1945, 2, 3),
        sex="male",
    )
    registry = DevelopmentPopulationRegistry(**QUIET)

    answer = registry.confirm_death(
        personal_id=person.personal_id,
        date_of_death=datetime.date(2026, 3, 1),
        idempotency_key="d1",
    )

    assert answer.date_of_death == datetime.date(2026, 3, 1)
    assert registry.lookup(person.personal_id).date_of_death == answer.date_of_death


# --- Scripted faults, read from the database by every process ------------------------


def test_fail_n_times_then_answer():
    agency_fault_add(system="residence", mode="error", times=2)
    residence = DevelopmentResidenceSystem(**QUIET)
    request = ResidenceRequest(
        personal_id="036324000001", full_name="Bé", admin_unit_code="13741"
    )

    for _ in range(2):
        with pytest.raises(AgencyUnavailable, match="503"):
            residence.register_permanent(request=request, idempotency_key="r")
    assert not ResidenceEntry.objects.exists()
    answer = residence.register_permanent(request=request, idempotency_key="r")

    assert answer.number.startswith("TT-")
    fault = AgencyFault.objects.get()
    assert (fault.remaining, fault.triggered) == (0, 2)


def test_always_failing_until_cleared():
    agency_fault_add(system="social_insurance", mode="error")
    insurance = DevelopmentSocialInsurance(**QUIET)

    for _ in range(5):
        with pytest.raises(AgencyUnavailable):
            insurance.issue_child_card(request=card_request(), idempotency_key="c")
    agency_faults_clear(system="social_insurance")

    assert insurance.issue_child_card(request=card_request(), idempotency_key="c")


def test_a_timeout_after_the_work_loses_only_the_answer():
    agency_fault_add(
        system="population",
        operation="issue_personal_id",
        mode="timeout_after",
        times=1,
    )
    clock = Clock()
    registry = DevelopmentPopulationRegistry(**(QUIET | {"sleep": clock}))

    with pytest.raises(RegistryUnavailable, match="timeout"):
        registry.issue_personal_id(birth=newborn(), idempotency_key="k")
    issued = IssuedPersonalId.objects.get()
    number = registry.issue_personal_id(birth=newborn(), idempotency_key="k")

    assert number == issued.personal_id
    assert clock.slept == [5]


def test_a_scripted_refusal_applies_to_new_requests_only():
    residence = DevelopmentResidenceSystem(**QUIET)
    request = ResidenceRequest(
        personal_id="036324000001", full_name="Bé", admin_unit_code="13741"
    )
    first = residence.register_permanent(request=request, idempotency_key="old")
    agency_fault_add(system="residence", mode="refuse", reason="Nhà không có thật")

    assert residence.register_permanent(request=request, idempotency_key="old") == first
    with pytest.raises(AgencyRefused, match="Nhà không có thật"):
        residence.register_permanent(request=request, idempotency_key="new")


def test_a_fault_on_one_operation_leaves_the_others_alone():
    agency_fault_add(system="residence", operation="deregister", mode="error")
    residence = DevelopmentResidenceSystem(**QUIET)
    request = ResidenceRequest(
        personal_id="036324000001", full_name="Bé", admin_unit_code="13741"
    )

    assert residence.register_permanent(request=request, idempotency_key="r")
    with pytest.raises(AgencyUnavailable):
        residence.deregister(request=request, idempotency_key="x")


def test_a_refusal_needs_a_reason():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        agency_fault_add(system="residence", mode="refuse")


# --- The simulated network --------------------------------------------------------


def test_random_failures_happen_at_the_configured_rate_and_both_kinds_occur():
    clock = Clock()
    network = SimulatedNetwork(
        latency_ms=100,
        failure_rate=0.3,
        timeout_seconds=2,
        rng=random.Random(5),
        sleep=clock,
    )
    done: list[int] = []
    outcomes = []
    for _ in range(400):
        try:
            network.call(lambda: done.append(1))
        except AgencyUnavailable as exc:
            outcomes.append(exc.reason)
        else:
            outcomes.append("ok")

    failed = [o for o in outcomes if o != "ok"]
    assert 0.2 < len(failed) / 400 < 0.4
    assert "timeout" in failed
    assert any(o.startswith("transient") for o in failed)
    # Timeouts come after the work: more work was done than calls succeeded.
    assert len(done) > outcomes.count("ok")
    assert all(0.05 <= s <= 2 for s in clock.slept)


def test_the_settings_make_the_development_systems_slow_and_unreliable(settings):
    settings.AGENCY_DEV_FAILURE_RATE = 1.0
    settings.AGENCY_TIMEOUT_SECONDS = 0

    with pytest.raises(AgencyUnavailable):
        DevelopmentResidenceSystem(sleep=Clock()).register_permanent(
            request=ResidenceRequest(
                personal_id="036324000001", full_name="Bé", admin_unit_code="1"
            ),
            idempotency_key="r",
        )


# --- Settings choose the implementation -------------------------------------------


class Closed(CivilStatusRegistry):
    def register_birth(self, *, birth, personal_id, idempotency_key):
        raise AgencyUnavailable("closed")

    def register_death(self, *, death, idempotency_key):
        raise AgencyUnavailable("closed")


def test_the_settings_choose_each_implementation(settings):
    assert isinstance(civil_status_registry(), DevelopmentCivilStatusRegistry)
    assert isinstance(residence_system(), DevelopmentResidenceSystem)
    assert isinstance(social_insurance(), DevelopmentSocialInsurance)
    assert isinstance(social_affairs(), DevelopmentSocialAffairs)
    settings.CIVIL_STATUS_REGISTRY_BACKEND = "tests.agencies.test_systems.Closed"

    assert isinstance(civil_status_registry(), Closed)
    settings.RESIDENCE_SYSTEM_BACKEND = "tests.agencies.test_systems.Closed"
    with pytest.raises(TypeError):
        residence_system()


def test_the_deploy_check_warns_about_the_development_systems(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False

    warnings = {m.id: m for m in run_checks(include_deployment_checks=True)}

    assert "SOCIAL_INSURANCE_BACKEND" in warnings["agencies.W002"].msg
    for name in (
        "CIVIL_STATUS_REGISTRY_BACKEND",
        "RESIDENCE_SYSTEM_BACKEND",
        "SOCIAL_INSURANCE_BACKEND",
        "SOCIAL_AFFAIRS_BACKEND",
    ):
        setattr(settings, name, "tests.agencies.test_systems.Closed")
    ids = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "agencies.W002" not in ids


# --- Acknowledgements of hand-overs (Decree 63/2024 art. 7(4)) ----------------------


def _home() -> ResidenceRequest:
    return ResidenceRequest(
        personal_id="036324000001", full_name="Bé", admin_unit_code="13741"
    )


def test_a_system_acknowledges_what_it_received_at_once_by_default():
    residence = DevelopmentResidenceSystem(**QUIET)

    assert residence.acknowledged_at(idempotency_key="r") is None
    residence.register_permanent(request=_home(), idempotency_key="r")

    acknowledged = residence.acknowledged_at(idempotency_key="r")
    assert acknowledged is not None
    assert acknowledged <= timezone.now()
    # Another system never acknowledges what it did not receive.
    insurance = DevelopmentSocialInsurance(**QUIET)
    assert insurance.acknowledged_at(idempotency_key="r") is None


def test_a_scripted_late_acknowledgement_comes_after_its_delay(time_machine):
    start = datetime.datetime(2026, 3, 9, 2, 0, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    agency_fault_add(system="residence", mode="ack_late", delay_minutes=150, times=1)
    residence = DevelopmentResidenceSystem(**QUIET)
    residence.register_permanent(request=_home(), idempotency_key="late")
    residence.register_permanent(request=_home(), idempotency_key="next")

    time_machine.move_to(start + datetime.timedelta(minutes=149), tick=False)
    assert residence.acknowledged_at(idempotency_key="late") is None
    # The fault counted down once: the next request was acknowledged at once.
    assert residence.acknowledged_at(idempotency_key="next") == start
    time_machine.move_to(start + datetime.timedelta(minutes=150), tick=False)
    assert residence.acknowledged_at(
        idempotency_key="late"
    ) == start + datetime.timedelta(minutes=150)


def test_a_system_scripted_never_to_acknowledge_never_does(time_machine):
    agency_fault_add(system="social_insurance", mode="ack_never")
    insurance = DevelopmentSocialInsurance(**QUIET)
    insurance.issue_child_card(request=card_request(), idempotency_key="c")
    # A repeated call keeps the first (missing) acknowledgement.
    agency_faults_clear()
    insurance.issue_child_card(request=card_request(), idempotency_key="c")

    time_machine.move_to(timezone.now() + datetime.timedelta(days=30))
    assert insurance.acknowledged_at(idempotency_key="c") is None


def test_an_acknowledgement_fault_does_not_fail_the_call_itself():
    agency_fault_add(system="residence", mode="ack_never", times=1)
    residence = DevelopmentResidenceSystem(**QUIET)

    assert residence.register_permanent(request=_home(), idempotency_key="r")
    assert AgencyFault.objects.get().triggered == 1


def test_a_late_acknowledgement_needs_its_delay():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        agency_fault_add(system="residence", mode="ack_late")


def test_only_the_systems_that_receive_hand_overs_record_acknowledgements():
    from agencies.models import HandoffAcknowledgement

    class NotAHandOverSystem(DevelopmentResidenceSystem):
        acknowledges = False

    NotAHandOverSystem(**QUIET).register_permanent(request=_home(), idempotency_key="x")

    assert not HandoffAcknowledgement.objects.exists()
