"""The population registry adapter: what it answers, and how its development
implementation behaves like a remote system (delay, failures, timeouts)."""

import ast
import datetime
import random
from pathlib import Path

import pytest
from django.core.checks import run_checks

from agencies.adapters import (
    DevelopmentPopulationRegistry,
    PopulationRegistry,
    RegistryUnavailable,
    population_registry,
)
from agencies.models import RegistryRecord
from agencies.services import registry_demo_load

pytestmark = pytest.mark.django_db


class Clock:
    """Records the sleeps the adapter asks for instead of sleeping."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def person():
    return RegistryRecord.objects.create(
        personal_id="036188003456",
        full_name="Phạm Thị Hương",
        date_of_birth=datetime.date(1988, 9, 20),
        sex="female",
        ethnicity="Kinh",
        nationality="Việt Nam",
        place_of_origin="xã Liên Minh, huyện Vụ Bản, tỉnh Nam Định",
        permanent_address="Số 12, thị trấn Gôi",
    )


def registry(**kwargs):
    defaults = {"latency_ms": 0, "failure_rate": 0.0, "timeout_seconds": 5}
    return DevelopmentPopulationRegistry(**(defaults | kwargs))


def test_lookup_returns_the_persons_record(person):
    record = registry().lookup("036188003456")

    assert record.full_name == "Phạm Thị Hương"
    assert record.date_of_birth == datetime.date(1988, 9, 20)
    assert record.sex == "female"
    assert record.place_of_origin.startswith("xã Liên Minh")
    assert record.residence == "Số 12, thị trấn Gôi"


@pytest.mark.parametrize("number", ["036188003457", "", "03618800345", "abc"])
def test_an_unknown_or_malformed_number_is_nobody(person, number):
    assert registry().lookup(number) is None


def test_each_call_takes_about_the_configured_latency(person):
    clock = Clock()
    adapter = registry(latency_ms=400, sleep=clock, rng=random.Random(1))

    for _ in range(20):
        adapter.lookup("036188003456")

    assert len(clock.slept) == 20
    assert all(0.2 <= s <= 0.6 for s in clock.slept)
    assert len(set(clock.slept)) > 1


def test_failures_happen_at_the_configured_rate(person):
    clock = Clock()
    adapter = registry(
        latency_ms=100, failure_rate=0.3, sleep=clock, rng=random.Random(7)
    )
    outcomes = []
    for _ in range(400):
        try:
            adapter.lookup("036188003456")
        except RegistryUnavailable as exc:
            outcomes.append(exc.reason)
        else:
            outcomes.append("ok")

    failed = [o for o in outcomes if o != "ok"]
    assert 0.2 < len(failed) / len(outcomes) < 0.4
    # Both kinds of failure occur; a timeout costs the whole timeout.
    assert "timeout" in failed
    assert any(o.startswith("transient") for o in failed)
    assert 5 in clock.slept


def test_a_registry_that_always_fails_never_answers(person):
    adapter = registry(failure_rate=1.0, sleep=Clock())

    with pytest.raises(RegistryUnavailable) as raised:
        adapter.lookup("036188003456")
    assert "Cơ sở dữ liệu quốc gia về dân cư" in raised.value.message


def test_a_delay_beyond_the_timeout_is_a_timeout(person):
    clock = Clock()
    adapter = registry(latency_ms=20_000, timeout_seconds=2, sleep=clock)

    with pytest.raises(RegistryUnavailable, match="timeout"):
        adapter.lookup("036188003456")
    assert clock.slept == [2]


def test_the_settings_are_read_when_the_adapter_is_made(person, settings):
    settings.POPULATION_REGISTRY_DEV_FAILURE_RATE = 1.0
    settings.POPULATION_REGISTRY_TIMEOUT_SECONDS = 0

    with pytest.raises(RegistryUnavailable):
        DevelopmentPopulationRegistry(sleep=Clock()).lookup("036188003456")


def test_the_setting_chooses_the_implementation(settings):
    settings.POPULATION_REGISTRY_BACKEND = "tests.agencies.test_population.AlwaysDown"

    adapter = population_registry()

    assert isinstance(adapter, AlwaysDown)
    with pytest.raises(RegistryUnavailable):
        adapter.lookup("036188003456")


def test_a_backend_that_is_not_a_registry_is_refused(settings):
    settings.POPULATION_REGISTRY_BACKEND = "tests.agencies.test_population.Clock"

    with pytest.raises(TypeError):
        population_registry()


class AlwaysDown(PopulationRegistry):
    def lookup(self, personal_id):
        raise RegistryUnavailable("down for maintenance")


def test_the_deploy_check_warns_about_the_development_registry(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False

    ids = [m.id for m in run_checks(include_deployment_checks=True)]

    assert "agencies.W001" in ids
    settings.POPULATION_REGISTRY_BACKEND = "tests.agencies.test_population.AlwaysDown"
    ids = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "agencies.W001" not in ids


def test_the_demo_records_load_once_and_are_valid_people():
    from accounts.identifiers import personal_id_errors

    first = registry_demo_load()
    second = registry_demo_load()

    assert first == second == RegistryRecord.objects.count() >= 10
    for row in RegistryRecord.objects.all():
        errors = personal_id_errors(
            row.personal_id, date_of_birth=row.date_of_birth, sex=row.sex
        )
        assert errors == [], (row, errors)
    # The demo citizens of portal/demo.py are there with their households.
    an = RegistryRecord.objects.get(personal_id="036085012345")
    assert RegistryRecord.objects.filter(household_code=an.household_code).count() > 2


def test_seed_demo_fills_the_development_registry(settings):
    from django.core.management import call_command

    from tests.units.factories import OrgUnitFactory

    settings.DEBUG = True
    call_command("load_units", verbosity=0)
    assert OrgUnitFactory._meta.model.objects.exists()

    call_command("seed_demo", verbosity=0)

    assert RegistryRecord.objects.filter(personal_id="036192004567").exists()


def test_the_agencies_app_imports_none_of_the_portals_apps():
    portal_apps = {
        "units",
        "accounts",
        "idp",
        "procedures",
        "dossiers",
        "chains",
        "dashboards",
        "portal",
    }
    root = Path(__file__).resolve().parents[2] / "agencies"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in portal_apps, (path, name)
