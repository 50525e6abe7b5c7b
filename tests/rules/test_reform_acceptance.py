"""Issue 17's acceptance for points 4-6: the same procedure received on
2025-06-30, on 2025-07-01, after 2025-09-15 and after 2026-01-25 gets the slips
(read back from the PDFs), the form numbers, the code format and the due-date
explanation of its own rule set, the seeded ones (rules/seeds.py)."""

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from dossiers import services, slips
from dossiers.calendar import WorkingCalendar, explain_steps
from dossiers.models import Status
from rules.services import rules_load
from tests.dossiers.factories import at, make_dossier
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

TRACKING = "https://dichvucong.example/track/"


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


ND61 = "Nghị định 61/2018/NĐ-CP (Thông tư 01/2018/TT-VPCP)"
ND118_TT01 = "Nghị định 118/2025/NĐ-CP (biểu mẫu Thông tư 01/2018/TT-VPCP)"
ND118_TT03 = "Nghị định 118/2025/NĐ-CP (Thông tư 03/2025/TT-VPCP)"
ND118_TT04 = "Nghị định 118/2025/NĐ-CP (Thông tư 03/2025 và 04/2025/TT-VPCP)"

# day of receipt -> (rule set, the control slip's number, the apology's title,
# the code's tail after the date: 4 digits, or AA + 4 digits)
CASES = {
    "2025-06-30": (
        ND61,
        "05",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        r"\d{4}",
    ),
    "2025-07-01": (
        ND118_TT01,
        "05",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        r"\d{4}",
    ),
    "2025-09-16": (
        ND118_TT03,
        "06",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        r"\d{4}",
    ),
    "2026-01-26": (
        ND118_TT04,
        "06",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        r"00\d{4}",
    ),
}


@pytest.fixture
def procedure(db):
    rules_load()
    return ProcedureFactory(name="Đăng ký khai sinh", processing_days=5)


@pytest.mark.parametrize("day", list(CASES))
def test_a_dossier_follows_the_rule_set_of_its_day_of_receipt(
    day, procedure, people, time_machine
):
    name, control_number, apology_title, tail = CASES[day]
    time_machine.move_to(at(f"{day} 09:00"))
    dossier = make_dossier(**people, procedure=procedure, status=Status.RECEIVED)

    # The code: the agency, the day, the format's tail.
    agency = re.escape(people["unit"].agency_code)
    yymmdd = day[2:].replace("-", "")
    assert re.fullmatch(rf"{agency}-{yymmdd}-{tail}", dossier.code), dossier.code

    # The explanation names the rule set; only officers read what is unverified.
    assert dossier.due_steps[0]["rule"] == "rule_set"
    for_citizen = explain_steps(dossier.due_steps)
    for_officer = explain_steps(dossier.due_steps, staff=True)
    assert f"Áp dụng bộ quy tắc: {name}." in for_citizen
    assert "Chưa kiểm chứng" not in for_citizen
    assert "Chưa kiểm chứng nguồn:" in for_officer

    # The slips, read back: the form's number and name, and the rule set.
    receipt = pdf_text(slips.receipt_pdf(dossier, tracking_url=TRACKING))
    assert "Mẫu số 01" in receipt
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert f"Áp dụng: {name}." in receipt
    assert dossier.code in receipt
    control = pdf_text(slips.control_slip_pdf(dossier, tracking_url=TRACKING))
    assert f"Mẫu số {control_number}" in control
    assert f"Áp dụng: {name}." in control

    time_machine.move_to(at(f"{day} 10:00"))
    due = timezone.localtime(dossier.due_at).date()
    new_due = WorkingCalendar.load().add_working_days(due, 3)
    dossier = services.dossier_apologize(
        dossier=dossier,
        actor=people["officer"],
        new_due_date=new_due,
        reason="Cần xác minh",
    )
    event = dossier.events.get(action="apologize")
    apology = pdf_text(slips.apology_pdf(dossier, event, tracking_url=TRACKING))
    assert apology_title in apology
    assert "Mẫu số 04" in apology
    assert "Chưa kiểm chứng" not in apology  # slips go to citizens


def test_the_rule_set_is_that_of_the_day_of_receipt_not_of_the_next_move(
    procedure, people, time_machine
):
    # Filed on the last day of Decree 61, received by the officer the next day:
    # the dossier keeps the rule set (and code) of the day it was filed.
    time_machine.move_to(at("2025-06-30 16:30"))
    dossier = make_dossier(**people, procedure=procedure)
    time_machine.move_to(at("2025-07-01 08:00"))
    dossier = services.dossier_receive(dossier=dossier, actor=people["officer"])

    assert dossier.code.split("-")[-2] == "250630"
    assert dossier.due_steps[0]["params"]["name"] == ND61


def test_pages_show_unverified_rules_to_officers_only(
    client, procedure, people, time_machine, login_staff
):
    time_machine.move_to(at("2025-07-01 09:00"))
    dossier = make_dossier(**people, procedure=procedure, status=Status.RECEIVED)

    client.force_login(people["applicant"])
    citizen_page = client.get(dossier.get_absolute_url()).content.decode()
    assert ND118_TT01 in citizen_page
    assert "Chưa kiểm chứng" not in citizen_page

    client.logout()
    login_staff(client, people["officer"])
    work = client.get(f"/staff/dossiers/{dossier.code}/").content.decode()
    assert ND118_TT01 in work
    assert "Chưa kiểm chứng nguồn:" in work


def test_an_admin_rule_set_without_code_changes_the_cutoff_and_the_code(
    procedure, people, time_machine
):
    from rules.models import CodeFormat, RuleSet

    # A deployment corrects today's rule set in the admin: cut-off 16:00, the
    # code of Circular 04/2025 with its own system code.
    rule_set = RuleSet.objects.get(slug="nd118-2025-tt04-2025")
    rule_set.cutoff = rule_set.cutoff.replace(hour=16)
    rule_set.code_system = "37"
    rule_set.code_format = CodeFormat.TT04_2025
    rule_set.full_clean()
    rule_set.save()
    time_machine.move_to(at("2026-03-09 15:30"))  # a Monday
    dossier = make_dossier(**people, procedure=procedure)

    assert dossier.code.endswith("-260309-370001")
    rules = [step["rule"] for step in dossier.due_steps]
    assert "receipt_day_not_counted" in rules  # before 16:00: counted today
    assert "after_cutoff" not in rules


def test_without_a_rule_set_the_settings_of_before_apply(
    people, time_machine, settings
):
    settings.DOSSIER_CUTOFF_TIME = "14:00"
    time_machine.move_to(at("2026-03-09 14:30"))
    dossier = make_dossier(**people, procedure=ProcedureFactory(processing_days=1))

    assert dossier.due_steps[0]["rule"] == "received"  # no rule set named
    assert "after_cutoff" in [step["rule"] for step in dossier.due_steps]
    assert re.fullmatch(r".+-260309-0001", dossier.code)
    receipt = pdf_text(slips.receipt_pdf(dossier, tracking_url=TRACKING))
    assert "Mẫu số 01" in receipt
    assert "Áp dụng:" not in receipt


def test_the_supplement_follows_the_rule_sets_mode(procedure, people, time_machine):
    from rules.models import RuleSet

    RuleSet.objects.filter(slug="nd118-2025-tt03-2025").update(supplement_mode="pause")
    time_machine.move_to(at("2025-10-06 09:00"))
    dossier = make_dossier(
        **people, procedure=procedure, status=Status.SUPPLEMENT_REQUESTED
    )
    time_machine.move_to(at("2025-10-08 09:00"))
    dossier = services.dossier_supplement(dossier=dossier, actor=people["applicant"])

    assert dossier.events.get(action="supplement").details["mode"] == "pause"
    supplement = dossier.events.get(action="request_supplement")
    text = pdf_text(slips.supplement_pdf(dossier, supplement, tracking_url=TRACKING))
    assert "tạm dừng trong những ngày chờ bổ sung" in text
