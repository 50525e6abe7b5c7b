"""Fee exemption rules are data: a rule applies when all its conditions hold."""

import datetime
import json

import pytest
from django.core.checks import run_checks

from dossiers.models import Status
from payments.fees import Exemption, exemption_rules, fee_assess, rule_errors
from payments.models import DossierFee
from tests.dossiers.factories import at, make_dossier
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

BIRTH = Exemption(
    key="khai-sinh-dung-han",
    name="Đăng ký khai sinh đúng hạn",
    name_en="Birth registered on time",
    source="test",
    procedures=("9.999001",),
    date_field="child.date_of_birth",
    within_days=60,
)
ON = datetime.date(2026, 3, 2)


@pytest.fixture
def birth(db):
    return ProcedureFactory(code="9.999001", fee_online_vnd=8000, fee_counter_vnd=8000)


@pytest.mark.parametrize(
    ("born", "owed"),
    [("2026-03-02", 0), ("2026-01-01", 0), ("2025-12-31", 8000), ("", 8000)],
    ids=["same-day", "day-60", "day-61", "no-date"],
)
def test_on_time_birth_registration_is_free(birth, born, owed):
    data = {"child": {"date_of_birth": born}} if born else {}

    result = fee_assess(
        procedure=birth, channel="online", data=data, on=ON, rules=[BIRTH]
    )

    assert result.base_vnd == 8000
    assert result.amount_vnd == owed
    assert (result.exemption is BIRTH) is (owed == 0)


def test_a_rule_only_applies_to_its_procedures_and_channels(birth):
    other = ProcedureFactory(fee_online_vnd=8000)
    counter_only = Exemption(
        key="k",
        name="n",
        name_en="",
        source="s",
        procedures=("9.999001",),
        channels=("counter",),
    )

    assert (
        fee_assess(
            procedure=other, channel="online", data={}, on=ON, rules=[counter_only]
        ).amount_vnd
        == 8000
    )
    assert (
        fee_assess(
            procedure=birth, channel="online", data={}, on=ON, rules=[counter_only]
        ).amount_vnd
        == 8000
    )
    assert (
        fee_assess(
            procedure=birth, channel="counter", data={}, on=ON, rules=[counter_only]
        ).amount_vnd
        == 0
    )


def test_a_rule_may_hold_a_form_condition(birth):
    poor = Exemption(
        key="ho-ngheo",
        name="Hộ nghèo",
        name_en="",
        source="s",
        procedures=("9.999001",),
        when={"field": "poor_household", "equals": True},
    )

    def owed(data):
        return fee_assess(
            procedure=birth, channel="online", data=data, on=ON, rules=[poor]
        ).amount_vnd

    assert owed({"poor_household": True}) == 0
    assert owed({"poor_household": False}) == 8000


def test_an_exemption_makes_even_an_unknown_fee_free():
    procedure = ProcedureFactory(code="9.999001", fee_online_vnd=None)

    result = fee_assess(
        procedure=procedure,
        channel="online",
        data={"child": {"date_of_birth": "2026-03-01"}},
        on=ON,
        rules=[BIRTH],
    )

    assert (result.base_vnd, result.amount_vnd) == (None, 0)


def test_the_shipped_rules_load_and_cite_their_sources():
    rules = exemption_rules()

    assert {rule.key for rule in rules} >= {"khai-sinh-dung-han", "khai-tu-dung-han"}
    assert all(rule.source for rule in rules)
    birth = next(r for r in rules if r.key == "khai-sinh-dung-han")
    assert "1.001193" in birth.procedures
    assert not birth.verified  # the 60 days are not in the reference


def test_an_exempt_dossier_is_recorded_and_owes_nothing(
    settings, tmp_path, citizen, unit_a, officer, birth
):
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            [
                {
                    "key": "khai-sinh-dung-han",
                    "name": "Đăng ký khai sinh đúng hạn",
                    "procedures": ["9.999001"],
                    "date_field": "child.date_of_birth",
                    "within_days": 60,
                    "source": "test",
                }
            ]
        )
    )
    settings.PAYMENT_FEE_EXEMPTIONS_FILE = rules
    birth.form_schema = {
        "version": 1,
        "sections": [
            {
                "key": "tre",
                "title": {"vi": "Trẻ", "en": "Child"},
                "fields": [
                    {
                        "name": "child",
                        "type": "person",
                        "role": "child",
                        "label": {"vi": "Trẻ", "en": "Child"},
                        "fields": ["full_name", "date_of_birth"],
                    }
                ],
            }
        ],
    }
    birth.save()

    dossier = make_dossier(
        status=Status.RECEIVED,
        applicant=citizen,
        unit=unit_a,
        officer=officer,
        procedure=birth,
        data={"child": {"full_name": "Nguyễn Văn Bé", "date_of_birth": "2026-02-20"}},
        now=at("2026-03-02 09:00"),
    )

    fee = DossierFee.objects.get(dossier=dossier)
    assert (fee.base_vnd, fee.amount_vnd, fee.exemption_key) == (
        8000,
        0,
        "khai-sinh-dung-han",
    )
    assert dossier.fee_vnd == 0
    assert dossier.status == Status.RECEIVED  # nothing to pay


@pytest.mark.parametrize(
    ("rules", "fragment"),
    [
        ({}, "JSON list"),
        ([{"key": "a", "name": "b", "source": "c"}], "`procedures`"),
        (
            [
                {
                    "key": "a",
                    "name": "b",
                    "source": "c",
                    "procedures": ["x"],
                    "date_field": "d",
                }
            ],
            "go together",
        ),
        (
            [
                {
                    "key": "a",
                    "name": "b",
                    "source": "c",
                    "procedures": ["x"],
                    "colour": 1,
                }
            ],
            "unknown keys",
        ),
        (
            [{"key": "a", "name": "b", "source": "c", "procedures": ["x"]}] * 2,
            "used twice",
        ),
    ],
)
def test_broken_rules_are_reported(rules, fragment):
    assert any(fragment in error for error in rule_errors(rules))


def test_the_check_reports_a_broken_exemption_file(settings, tmp_path):
    broken = tmp_path / "rules.json"
    broken.write_text("[{]")
    settings.PAYMENT_FEE_EXEMPTIONS_FILE = broken

    assert "payments.E001" in {m.id for m in run_checks()}
