"""Rule sets: the seeds and load_rules, the choice by day, the admin's checks,
and GET /api/v1/rules/?on= (a contract: issue 17)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.test import APIClient

from rules.models import CodeFormat, RuleSet
from rules.selectors import rule_set_on, rules_on
from rules.services import rules_load
from tests.openapi import api_call

from .factories import RuleSetFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "slug"),
    [
        ("2019-01-06", "nd61-2018"),
        ("2025-06-30", "nd61-2018"),
        ("2025-07-01", "nd118-2025-tt01-2018"),
        ("2025-09-14", "nd118-2025-tt01-2018"),
        ("2025-09-15", "nd118-2025-tt03-2025"),
        ("2026-01-24", "nd118-2025-tt03-2025"),
        ("2026-01-25", "nd118-2025-tt04-2025"),
        ("2030-01-01", "nd118-2025-tt04-2025"),
    ],
)
def test_the_seeded_rule_set_in_force_by_day(day, slug):
    rules_load()
    assert rule_set_on(datetime.date.fromisoformat(day)).slug == slug


def test_the_seeds_marks_follow_the_reference():
    rules_load()
    nd61 = RuleSet.objects.get(slug="nd61-2018")
    tt03 = RuleSet.objects.get(slug="nd118-2025-tt03-2025")
    tt04 = RuleSet.objects.get(slug="nd118-2025-tt04-2025")

    assert nd61.unverified_rules() == ["cutoff"]
    # Decree 118's rules are NOT FOUND or SECONDARY; Circular 04's code VERIFIED.
    assert set(tt03.unverified_rules()) == set(tt03.verified())
    assert tt04.verified()["code_format"] is True
    assert tt04.code_format == CodeFormat.TT04_2025
    assert [f["number"] for f in tt03.forms] == [f"0{n}" for n in range(1, 8)]
    assert tt03.form("stop") == {
        "key": "stop",
        "number": "05",
        "name": "Thông báo dừng giải quyết hồ sơ",
    }
    assert nd61.form("stop") is None


def test_load_rules_keeps_an_admins_correction_unless_asked(capsys):
    call_command("load_rules")
    RuleSet.objects.filter(slug="nd61-2018").update(name="Sửa trong quản trị")
    call_command("load_rules")
    assert RuleSet.objects.get(slug="nd61-2018").name == "Sửa trong quản trị"
    assert RuleSet.objects.count() == 4

    call_command("load_rules", "--update")
    assert RuleSet.objects.get(slug="nd61-2018").name.startswith("Nghị định 61")
    assert "4 in all" in capsys.readouterr().out


def test_rule_sets_may_not_overlap_and_forms_are_checked():
    RuleSetFactory(
        valid_from=datetime.date(2025, 7, 1), valid_to=datetime.date(2025, 12, 31)
    )
    overlapping = RuleSetFactory.build(valid_from=datetime.date(2025, 12, 1))
    with pytest.raises(ValidationError, match="trùng"):
        overlapping.full_clean()

    bad_forms = RuleSetFactory.build(
        valid_from=datetime.date(2026, 1, 1), forms=[{"key": "x", "number": "1"}]
    )
    with pytest.raises(ValidationError):
        bad_forms.full_clean()
    no_system = RuleSetFactory.build(
        valid_from=datetime.date(2026, 1, 1),
        code_format=CodeFormat.TT04_2025,
        code_system="A",
    )
    with pytest.raises(ValidationError):
        no_system.full_clean()


def test_without_a_rule_set_the_settings_apply(settings):
    settings.DOSSIER_CUTOFF_TIME = "16:30"
    settings.DOSSIER_SUPPLEMENT_MODE = "pause"
    rules = rules_on(datetime.date(2026, 3, 9))
    assert rules.rule_set is None
    assert rules.cutoff == datetime.time(16, 30)
    assert rules.supplement_mode == "pause"
    assert rules.code_format == CodeFormat.TT01_2018
    assert (rules.form("receipt") or {}).get("number") == "01"


# --- The API ----------------------------------------------------------------------


def test_api_gives_the_rule_set_in_force_on_a_day():
    rules_load()
    response = APIClient().get("/api/v1/rules/", {"on": "2025-09-15"})

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Nghị định 118/2025/NĐ-CP (Thông tư 03/2025/TT-VPCP)"
    assert body["legal_basis"].startswith("Nghị định 118/2025/NĐ-CP")
    assert body["forms"][4] == {
        "number": "05",
        "name": "Thông báo dừng giải quyết hồ sơ",
    }
    assert body["supplement_mode"] == "restart"
    assert body["cutoff"] == "15:00"
    assert body["code_format"] == "V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX"
    assert body["verified"] == {
        "legal_basis": False,
        "forms": False,
        "supplement_mode": False,
        "cutoff": False,
        "apology": False,
        "code_format": False,
    }
    checked = api_call(None, "GET", "/api/v1/rules/", query={"on": "2026-01-25"})
    assert checked.status_code == 200

    later = APIClient().get("/api/v1/rules/", {"on": "2026-01-25"}).json()
    assert later["code_format"] == "MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX"
    assert later["verified"]["code_format"] is True


def test_api_refuses_a_bad_date_and_says_when_no_rule_set_is_in_force():
    bad = APIClient().get("/api/v1/rules/", {"on": "30/06/2025"})
    assert bad.status_code == 400
    assert "năm-tháng-ngày" in str(bad.json())

    none = APIClient().get("/api/v1/rules/", {"on": "2025-06-30"})
    assert none.status_code == 404
    assert "2025-06-30" in none.json()["detail"]
