"""One fee text everywhere (procedures.fees): the catalogue's search list, the
procedure page and API, and the dossier's pages and API agree for every entry
of the reviewed catalogue."""

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from dossiers.models import Dossier
from dossiers.services import dossier_code_allocate
from payments.fees import exemption_rules
from payments.services import fee_record
from procedures.fees import (
    AMOUNT,
    EXEMPT,
    FREE,
    LINKED,
    UNKNOWN,
    Exemption,
    fee_shown,
    procedure_fee,
)
from procedures.models import Procedure
from tests.accounts.factories import login_with_otp

pytestmark = pytest.mark.django_db

ITEM = re.compile(
    r'<li class="procedure-item">.*?href="/procedures/([^/"]+)/".*?</li>', re.S
)


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def by_id(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.S)
    assert found, element_id
    return text_of(found.group(1))


def search_list_fees(client) -> dict[str, str]:
    """Each listed procedure's "Lệ phí trực tuyến: …", from every results page."""
    fees: dict[str, str] = {}
    page = 1
    while True:
        body = client.get(reverse("procedures:procedure-list"), {"page": page})
        items = ITEM.findall(body.content.decode())
        for match in ITEM.finditer(body.content.decode()):
            line = text_of(match.group(0))
            if "Lệ phí trực tuyến:" in line:
                fees[match.group(1)] = (
                    line.split("Lệ phí trực tuyến:")[1]
                    .split(" Thiết yếu")[0]
                    .split(" Liên thông")[0]
                    .split(" Chỉ nhận trực tiếp")[0]
                    .strip()
                )
        if not items or "Trang sau" not in body.content.decode():
            return fees
        page += 1


def submitted(procedure: Procedure, applicant, unit, data=None, part_of=None):
    """A dossier of `procedure` as submitted online, its fee assessed as the
    submission's listener does (the catalogue's papers and form are not this
    test's business)."""
    now = timezone.now()
    dossier = Dossier.objects.create(
        code=dossier_code_allocate(org_unit=unit, at=now),
        procedure=procedure,
        applicant=applicant,
        channel="online",
        receiving_unit=unit,
        admin_unit=unit.admin_unit,
        data=data or {},
        submitted_at=now,
        fee_vnd=procedure.fee_online_vnd,
        part_of=part_of,
    )
    fee_record(dossier=dossier, now=now)
    return dossier


def dossier_fee_texts(client, staff, dossier) -> dict[str, str]:
    page = client.get(dossier.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    staff_page = staff.get(
        reverse("dossiers:dossier-work", args=[dossier.code])
    ).content.decode()
    return {
        "page": by_id(page, "dossier-fee"),
        "api": api["fee_text"],
        "officer": by_id(staff_page, "dossier-fee"),
    }


@pytest.fixture
def staff(officer):
    staff = Client()
    login_with_otp(staff, officer)
    return staff


def test_the_one_function_decides_every_case():
    verified = Exemption("Đăng ký khai tử đúng hạn", verified=True)
    unverified = Exemption("Đăng ký khai sinh đúng hạn", verified=False)
    with override("vi"):
        cases = {
            "amount": fee_shown(base_vnd=7000),
            "free": fee_shown(base_vnd=0),
            "unknown": fee_shown(base_vnd=None),
            "exempt": fee_shown(base_vnd=None, exemption=verified),
            "unverified exemption": fee_shown(base_vnd=7000, exemption=unverified),
            "linked part": fee_shown(base_vnd=10000, linked_part=True),
            "free linked part": fee_shown(base_vnd=0, linked_part=True),
            "announced": fee_shown(base_vnd=None, exemptions=(verified,)),
        }
        texts = {name: (fee.kind, fee.text) for name, fee in cases.items()}
    assert texts == {
        "amount": (AMOUNT, "7.000 đồng"),
        "free": (FREE, "Miễn phí"),
        "unknown": (UNKNOWN, "Đang cập nhật"),
        "exempt": (EXEMPT, "Miễn phí: Đăng ký khai tử đúng hạn"),
        "unverified exemption": (UNKNOWN, "Đang cập nhật"),
        "linked part": (LINKED, "Nộp cùng hồ sơ liên thông"),
        "free linked part": (FREE, "Miễn phí"),
        "announced": (
            UNKNOWN,
            "Đang cập nhật (miễn phí khi: Đăng ký khai tử đúng hạn)",
        ),
    }
    with override("en"):
        assert str(cases["amount"]) == "VND 7,000"
        assert str(cases["unknown"]) == "Being updated"


def test_every_catalogue_entry_shows_one_fee_on_the_catalogue_and_its_dossier(
    catalogue, client, citizen, unit_a, staff
):
    procedures = list(Procedure.objects.order_by("key"))
    # The 53, the 4 members of the linked groups and the 15 commune procedures
    # of issue 22 (certification and the rest of civil status).
    assert len(procedures) == 72
    listed = search_list_fees(client)
    client.force_login(citizen)
    disagreements = []
    for procedure in procedures:
        with override("vi"):
            expected = procedure_fee(procedure)
        code = procedure.url_code
        page = client.get(procedure.get_absolute_url()).content.decode()
        api = client.get(f"/api/v1/procedures/{code}/").json()
        shown = {"procedure page": by_id(page, "fee-online"), "api": api["fee_text"]}
        if procedure.submittable:
            shown["search list"] = listed.get(code, "(not listed)")
        for place, text in shown.items():
            if text != expected.text:
                disagreements.append((code, place, text, expected.text))
        if not procedure.submittable or procedure.fee_basis:
            # A fee that depends on the case: the catalogue shows the rule, the
            # dossier the amount computed from its counts (test_case_fees.py).
            continue
        dossier = submitted(procedure, citizen, unit_a)
        for place, text in dossier_fee_texts(client, staff, dossier).items():
            # A dossier that no exemption covers shows the catalogue's fee.
            if text != expected.headline:
                disagreements.append((code, f"dossier {place}", text, expected.text))
    assert disagreements == []


def test_a_dossier_exempt_by_a_verified_rule_shows_what_the_catalogue_announced(
    catalogue, client, citizen, unit_a, staff
):
    client.force_login(citizen)
    today = timezone.localdate().isoformat()
    checked = 0
    for rule in (r for r in exemption_rules() if r.verified):
        for code in rule.procedures:
            procedure = Procedure.objects.get(code=code)
            with override("vi"):
                announced = procedure_fee(procedure).text
            data: dict[str, Any] = {}
            *parents, last = rule.date_field.split(".")
            node = data
            for name in parents:
                node = node.setdefault(name, {})
            node[last] = today
            dossier = submitted(procedure, citizen, unit_a, data=data)
            texts = dossier_fee_texts(client, staff, dossier)
            assert set(texts.values()) == {f"Miễn phí: {rule.name}"}, code
            assert rule.name in announced, code
            checked += 1
    assert checked >= 2  # death registration and its linked group


def test_the_birth_group_born_days_ago_reads_as_the_catalogue_does(
    catalogue, client, citizen, unit_a, staff
):
    """The 60-day window of the on-time birth exemption is unverified: the
    dossier owes nothing, and reads "Đang cập nhật" as search does, not
    "Miễn phí" (issue 15)."""
    client.force_login(citizen)
    group = Procedure.objects.get(code="3.000722")
    born = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()

    dossier = submitted(group, citizen, unit_a, data={"child": {"date_of_birth": born}})

    dossier.refresh_from_db()
    assert dossier.fee_vnd == 0  # nothing is asked
    with override("vi"):
        catalogue_text = procedure_fee(group).text
    assert catalogue_text == "Đang cập nhật"
    assert set(dossier_fee_texts(client, staff, dossier).values()) == {catalogue_text}


def test_a_part_of_a_linked_dossier_is_paid_with_it(
    catalogue, client, citizen, unit_a, staff
):
    client.force_login(citizen)
    residence = Procedure.objects.get(code="1.004222")  # 10.000 đồng online
    parent = submitted(Procedure.objects.get(code="3.000722"), citizen, unit_a)

    part = submitted(residence, citizen, unit_a, part_of=parent)

    assert set(dossier_fee_texts(client, staff, part).values()) == {
        "Nộp cùng hồ sơ liên thông"
    }
