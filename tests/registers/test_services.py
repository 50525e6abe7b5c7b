"""Registers: which register a result goes to, numbers without gaps or
duplicates, books by year, and the number on the result (issue 18, point 2)."""

import datetime
import io

import pytest
from django.db import transaction
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.roles import Role
from dossiers import services
from dossiers.models import Dossier, Result, Status
from registers.kinds import register_kind_for
from registers.models import Register, RegisterEntry, RegisterKind
from registers.services import (
    RegisterError,
    register_book_close,
    register_entry_take,
)
from signing.adapters.base import to_asn1
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import at, make_dossier, pdf_upload
from tests.procedures.factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def issue(people, *, procedure=None, data=None, now=None, **kwargs):
    dossier = make_dossier(
        status=Status.SIGNED, procedure=procedure, data=data, **people
    )
    services.dossier_issue_result(
        dossier=dossier,
        actor=people["officer"],
        title=kwargs.pop("title", "Giấy xác nhận"),
        now=now,
        **kwargs,
    )
    return Result.objects.get(dossier=dossier)


# --- Which register ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "field", "name", "kind"),
    [
        ("1.001193", "ho-tich", "Đăng ký khai sinh", RegisterKind.BIRTH),
        ("1.000656", "ho-tich", "Đăng ký khai tử", RegisterKind.DEATH),
        ("1.000894", "ho-tich", "Đăng ký kết hôn", RegisterKind.MARRIAGE),
        (
            "1.004859",
            "ho-tich",
            "Thay đổi, cải chính hộ tịch",
            RegisterKind.CIVIL_STATUS,
        ),
        ("2.000815", "chung-thuc", "Chứng thực bản sao", RegisterKind.CERT_COPY),
        ("2.000884", "chung-thuc", "Chứng thực chữ ký", RegisterKind.CERT_SIGNATURE),
        ("2.001035", "chung-thuc", "Chứng thực hợp đồng", RegisterKind.CERT_CONTRACT),
        ("", "chung-thuc", "Chứng thực chữ ký người dịch", RegisterKind.CERT_SIGNATURE),
        ("", "chung-thuc", "Chứng thực hợp đồng thế chấp", RegisterKind.CERT_CONTRACT),
        ("", "chung-thuc", "Cấp bản sao có chứng thực", RegisterKind.CERT_COPY),
        ("1.004222", "cu-tru", "Đăng ký thường trú", RegisterKind.PERMIT),
    ],
)
def test_the_register_is_read_from_the_catalogue(code, field, name, kind):
    field_row = FieldFactory(code=field)
    # Without a code of the table: a code the table does not know.
    procedure = ProcedureFactory(code=code or "9.999999", field=field_row, name=name)

    assert register_kind_for(procedure) == kind


def test_a_procedure_without_its_code_yet_is_found_by_its_key():
    procedure = ProcedureFactory(code="9.999999", key="dang-ky-khai-sinh")

    assert register_kind_for(procedure) == RegisterKind.BIRTH


# --- Numbers --------------------------------------------------------------------


def test_results_are_numbered_one_after_another_in_the_year_book(people, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))

    first = issue(people)
    second = issue(people)

    assert (first.number, first.book) == ("1", "01/2026")
    assert (second.number, second.book) == ("2", "01/2026")
    assert first.register == "Sổ cấp giấy phép và kết quả khác"
    book = Register.objects.get()
    assert (book.unit, book.last_number) == (people["unit"], 2)
    assert list(book.entries.values_list("number", flat=True)) == [1, 2]


def test_each_kind_and_each_agency_counts_on_its_own(people, unit_b, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))
    births = ProcedureFactory(code="1.001193")

    birth = issue(people, procedure=births)
    other = issue(people)
    elsewhere = issue(
        {
            "applicant": people["applicant"],
            "unit": unit_b,
            "officer": UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_b),
            "specialist": UserFactory(roles=[Role.SPECIALIST], org_unit=unit_b),
        }
    )

    assert (birth.register, birth.number) == ("Sổ đăng ký khai sinh", "1")
    assert other.number == "1"
    assert elsewhere.number == "1"
    assert Register.objects.count() == 3


def test_a_new_year_opens_a_new_book_from_one(people, time_machine):
    # 23:30 on 31 December in Hà Nội is still 2026; 00:30 on 1 January is 2027
    # there though the UTC date is still 31 December.
    time_machine.move_to(at("2026-12-31 23:30"))
    last_of_year = issue(people)
    time_machine.move_to(at("2027-01-01 00:30"))
    first_of_year = issue(people)

    assert (last_of_year.number, last_of_year.book) == ("1", "01/2026")
    assert (first_of_year.number, first_of_year.book) == ("1", "01/2027")


def test_closing_a_book_makes_the_next_result_open_the_next_book(people, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))
    issue(people)
    issue(people)
    register_book_close(register=Register.objects.get(), actor=people["leader"])

    after = issue(people)

    assert (after.number, after.book) == ("1", "02/2026")
    first_book = Register.objects.get(sequence=1)
    assert first_book.closed_at is not None
    assert first_book.closed_by == people["leader"]
    with pytest.raises(RegisterError):
        register_book_close(register=first_book, actor=people["leader"])


def test_an_issue_that_rolls_back_leaves_no_gap(people, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))
    issue(people)
    dossier = make_dossier(status=Status.SIGNED, **people)

    # Anything failing after the number was taken rolls the issue back whole.
    def failing_issue() -> None:
        with transaction.atomic():
            services.dossier_issue_result(
                dossier=dossier, actor=people["officer"], title="X"
            )
            assert RegisterEntry.objects.filter(dossier=dossier).exists()
            raise RuntimeError("the issue's transaction fails after the number")

    with pytest.raises(RuntimeError):
        failing_issue()
    assert not RegisterEntry.objects.filter(dossier=dossier).exists()
    after = issue(people)

    assert after.number == "2"
    assert Register.objects.get().last_number == 2


def test_a_dossier_has_one_entry_however_often_it_is_asked(people):
    dossier = make_dossier(status=Status.SIGNED, **people)

    with transaction.atomic():
        first = register_entry_take(
            dossier=dossier, unit=people["unit"], title="Giấy xác nhận"
        )
        again = register_entry_take(
            dossier=dossier, unit=people["unit"], title="Giấy xác nhận"
        )

    assert first == again
    assert Register.objects.get().last_number == 1


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_the_issues_transaction(people):
    dossier = make_dossier(status=Status.SIGNED, **people)

    with pytest.raises(RuntimeError):
        register_entry_take(dossier=dossier, unit=people["unit"], title="X")


def test_the_entry_records_the_person_the_result_is_about(people):
    dossier = make_dossier(status=Status.SIGNED, **people)
    # A birth's form (chains' group 1): the child is who the result is about.
    Dossier.objects.filter(pk=dossier.pk).update(
        data={"child": {"full_name": "Trần Bé Na"}, "full_name": "Trần Văn Bố"}
    )
    dossier.refresh_from_db()

    services.dossier_issue_result(
        dossier=dossier, actor=people["officer"], title="Giấy xác nhận"
    )

    entry = RegisterEntry.objects.get()
    assert entry.subject == "Trần Bé Na"
    assert entry.title == "Giấy xác nhận"
    assert entry.entered_by == people["officer"]


# --- On the result --------------------------------------------------------------


def test_the_generated_result_prints_its_register_number_and_book(people, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))
    issue(people)
    dossier = make_dossier(status=Status.SIGNED, **people)

    services.dossier_issue_generated_result(
        dossier=dossier, actor=people["officer"], title="Giấy khai sinh"
    )

    result = Result.objects.get(dossier=dossier)
    assert "Số: 2, Quyển số: 01/2026" in pdf_text(result.file.read())


def test_an_uploaded_result_is_stamped_with_its_number_before_it_is_signed(
    people, time_machine, development_authority
):
    time_machine.move_to(at("2026-03-09 10:00"))

    result = issue(people, file=pdf_upload("ket-qua.pdf"))

    content = result.file.read()
    assert "Số: 1, Quyển số: 01/2026" in pdf_text(content)
    # The signature covers the whole file, number included.
    signatures = PdfFileReader(io.BytesIO(content)).embedded_regular_signatures
    assert len(signatures) == 1
    status = validate_pdf_signature(
        signatures[0],
        ValidationContext(
            trust_roots=[to_asn1(development_authority.root_certificate())]
        ),
    )
    assert status.intact
    assert status.valid
    assert status.coverage.name == "ENTIRE_FILE"


def test_the_dossier_api_shows_register_book_and_number(people, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))
    result = issue(people)
    client = APIClient()
    client.force_authenticate(people["applicant"])

    response = client.get(f"/api/v1/dossiers/{result.dossier.code}/")

    assert response.status_code == 200
    shown = response.json()["result"]
    assert shown["register"] == "Sổ cấp giấy phép và kết quả khác"
    assert shown["book"] == "01/2026"
    assert shown["number"] == "1"
    assert "signed" in shown


def test_a_result_issued_before_registers_shows_empty_register_fields(people):
    result = issue(people)
    Result.objects.filter(pk=result.pk).update(register="", book="", number="7")
    client = APIClient()
    client.force_authenticate(people["applicant"])

    shown = client.get(f"/api/v1/dossiers/{result.dossier.code}/").json()["result"]

    assert (shown["register"], shown["book"], shown["number"]) == ("", "", "7")


def test_dates_in_the_book_are_local(people, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC))

    result = issue(people)

    assert result.book == "01/2027"
