import re

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import STAFF_ROLES, Role
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_totp_key_hex
from portal.demo_help import DEMO_QUESTIONS
from procedures.models import Faq
from procedures.services import catalogue_load_reference
from units.models import OrgUnit
from units.services import units_load_reference

# identifiers.md: province, century+sex digit, two year digits, six digits.
CENTURY_SEX = {
    (1900, "male"): "0",
    (1900, "female"): "1",
    (2000, "male"): "2",
    (2000, "female"): "3",
}


@pytest.fixture
def units(db):
    units_load_reference()


def test_seed_demo_refuses_without_debug(units, settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_an_account_per_role_and_is_idempotent(units, settings):
    settings.DEMO_MODE = True

    call_command("seed_demo")
    call_command("seed_demo")

    assert User.objects.count() == len(DEMO_ACCOUNTS)
    roles = set().union(
        *(User.objects.get(username=a.username).roles for a in DEMO_ACCOUNTS)
    )
    assert roles == {r.value for r in Role}
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        if user.roles & STAFF_ROLES:
            assert user.org_unit is not None, user
    # The demo citizens' papers in the national twin's store, once.
    from national.models import TwinStorePaper

    citizens = [a for a in DEMO_ACCOUNTS if Role.CITIZEN in a.roles]
    assert TwinStorePaper.objects.count() == 2 * len(citizens)
    an = TwinStorePaper.objects.filter(personal_id="036085012345")
    assert set(an.values_list("doc_type", flat=True)) == {"birth_certificate", "other"}
    birth = an.get(doc_type="birth_certificate")
    assert birth.issued_on.year == 1985
    assert "Nguyễn Văn An" in birth.title


def test_demo_citizens_have_structurally_valid_personal_ids(units, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo")

    citizens = User.objects.filter(groups__name=Role.CITIZEN)
    assert citizens.count() == 2
    for citizen in citizens:
        assert re.fullmatch(r"\d{12}", citizen.username)
        century = citizen.date_of_birth.year // 100 * 100
        assert citizen.username[3] == CENTURY_SEX[(century, citizen.sex)]
        assert citizen.username[4:6] == f"{citizen.date_of_birth.year % 100:02d}"


def test_demo_officers_of_two_communes_in_each_era(units, settings):
    import datetime

    settings.DEMO_MODE = True
    call_command("seed_demo")

    officers = User.objects.filter(groups__name=Role.RECEIVING_OFFICER)
    before = {
        u.org_unit.admin_unit.name
        for u in officers
        if u.org_unit.in_force_on(datetime.date(2025, 6, 30))
    }
    today = {
        u.org_unit.admin_unit.name
        for u in officers
        if u.org_unit.in_force_on(datetime.date.today())
    }
    assert before == {"Thị trấn Gôi", "Xã Kim Thái"}
    # today: two communes' centres and the provincial centre
    assert today == {"Xã Vụ Bản", "Xã Minh Tân", "Tỉnh Ninh Bình"}


def test_demo_staff_of_today_work_in_todays_units_of_every_kind(units, settings):
    import datetime

    settings.DEMO_MODE = True
    call_command("seed_demo")

    today = datetime.date.today()
    kinds = {
        u.org_unit.kind
        for u in User.objects.filter(org_unit__isnull=False)
        if u.org_unit.in_force_on(today)
    }
    assert kinds == {
        "province_centre",
        "commune_centre",
        "commune_office",
        "commune_police",
        "reception_point",
    }
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        if account.superuser:
            # `quantri` names no unit: the administrator of either era, at
            # today's provincial centre (decision 205)
            assert user.org_unit.kind == "province_centre"
            continue
        if user.org_unit is not None and user.org_unit.in_force_on(today):
            # their usernames name a unit of today, never one that ended
            assert "goi" not in account.username
            assert account.username.endswith(("xavuban", "minhtan", "ninhbinh"))


def test_staff_demo_accounts_have_the_published_totp_secret(units, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo")

    device = TOTPDevice.objects.get(user__username="motcua.goi")
    assert device.confirmed
    assert device.verify_token(totp(bytes.fromhex(demo_totp_key_hex())))
    assert not TOTPDevice.objects.filter(user__groups__name=Role.CITIZEN).exists()


def test_the_demo_gives_every_unit_contacts_marked_unverified(units, settings):
    settings.DEMO_MODE = True

    call_command("seed_demo")

    org_units = OrgUnit.objects.all()
    assert org_units.count() == 41 + 33  # before and after the reform
    assert all(u.has_contact and not u.contact_verified for u in org_units)
    phones = [u.phone for u in org_units]
    assert len(set(phones)) == len(phones)
    # after the area code, a local number starting with 0 rings no subscriber
    assert all(re.fullmatch(r"0228 000 \d{4}", p) for p in phones)
    goi = OrgUnit.objects.get(agency_code="000.11.59.H00")
    assert goi.address == "Trụ sở UBND thị trấn Gôi, huyện Vụ Bản, tỉnh Nam Định"
    district = OrgUnit.objects.get(agency_code="000.00.59.H00")
    assert district.address == "Trụ sở UBND huyện Vụ Bản, tỉnh Nam Định"
    centre = OrgUnit.objects.get(agency_code="DEMO.37.13741.01")
    assert centre.address == (
        "Trụ sở Trung tâm Phục vụ hành chính công xã Vụ Bản, tỉnh Ninh Bình"
    )


def test_seeding_again_keeps_what_an_administrator_wrote(units, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    goi = OrgUnit.objects.get(agency_code="000.11.59.H00")
    goi.phone = "0228 3812 345"
    goi.contact_verified = True
    goi.save()
    faq = Faq.objects.first()
    if faq is not None:
        faq.answer = "Câu trả lời đã sửa."
        faq.save()

    call_command("seed_demo")

    goi.refresh_from_db()
    assert (goi.phone, goi.contact_verified) == ("0228 3812 345", True)
    assert Faq.objects.filter(answer="Câu trả lời đã sửa.").count() == (1 if faq else 0)


def test_the_demo_answers_questions_only_with_a_source(units, settings):
    settings.DEMO_MODE = True
    catalogue_load_reference(overwrite=True)

    call_command("seed_demo")
    call_command("seed_demo")

    faqs = Faq.objects.select_related("procedure")
    assert faqs.count() == len(DEMO_QUESTIONS)
    for faq in faqs:
        assert faq.source, faq
        assert faq.question_en, faq
        assert faq.answer_en, faq
        assert faq.is_published
    assert {f.procedure.code for f in faqs} == {q.code for q in DEMO_QUESTIONS}


def test_seed_demo_gives_the_demo_centre_its_tuesday(units, settings):
    import datetime

    from rules.models import NoAppointmentDay
    from rules.selectors import no_appointment_day_on

    settings.DEMO_MODE = True

    call_command("seed_demo")
    call_command("seed_demo")

    rule = NoAppointmentDay.objects.get()
    assert rule.centre.agency_code == "DEMO.37.13741.01"
    assert (rule.weekday, rule.cutoff) == (1, datetime.time(15, 0))
    assert rule.valid_from == datetime.date(2025, 7, 1)
    # Its reception point, the post office, follows it.
    post = OrgUnit.objects.get(agency_code="DEMO.37.13741.06")
    assert (
        no_appointment_day_on(
            unit_id=post.pk,
            parent_id=post.parent_id,
            day=datetime.date(2026, 3, 10),
            field_code="chung-thuc",
            procedure_code="",
        )
        == rule
    )
