"""32 issues at once into one register, each in its own thread and connection,
on PostgreSQL: 32 distinct consecutive numbers (issue 18, acceptance)."""

import threading

import pytest
from django.db import connection

from dossiers import services
from dossiers.models import Result, Status
from registers.models import Register, RegisterEntry
from tests.dossiers.factories import make_dossier
from tests.procedures.factories import ProcedureFactory

ISSUES = 32


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_32_concurrent_issues_get_32_distinct_consecutive_numbers(people):
    # Births: one register (the commune's births book of the year), not yet
    # opened, so the first issues also race to open it.
    births = ProcedureFactory(code="1.001193")
    dossiers = [
        make_dossier(status=Status.SIGNED, procedure=births, **people)
        for _ in range(ISSUES)
    ]
    barrier = threading.Barrier(ISSUES)
    errors: list[BaseException] = []

    def issue(dossier) -> None:
        try:
            barrier.wait(timeout=30)
            services.dossier_issue_result(
                dossier=dossier, actor=people["officer"], title="Giấy khai sinh"
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    book = Register.objects.get()
    assert book.last_number == ISSUES
    numbers = sorted(RegisterEntry.objects.values_list("number", flat=True))
    assert numbers == list(range(1, ISSUES + 1))
    printed = Result.objects.filter(dossier__in=dossiers).values_list("number", "book")
    assert sorted(int(n) for n, _ in printed) == numbers
    assert {b for _, b in printed} == {book.book}


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_an_issue_holding_its_book_locks_neither_the_agency_nor_its_area(people):
    """A number being given locks the book's row only: the agency's and its area's
    rows stay free for the new dossiers of that area, whose foreign keys take a
    share lock on them (a FOR UPDATE joined through the register's ordering made
    the linked chains' workers deadlock with citizens submitting)."""
    from django.utils import timezone

    from registers.services import _open_book_locked

    unit = people["unit"]
    Register.objects.create(
        unit=unit, kind="birth", year=2026, opened_at=timezone.now()
    )
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            from django.db import transaction

            with transaction.atomic():
                _open_book_locked(
                    unit=unit, kind="birth", year=2026, now=timezone.now()
                )
                holding.set()
                release.wait(timeout=30)
        except BaseException as exc:
            errors.append(exc)
            holding.set()
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        with connection.cursor() as cursor:
            for table, pk in (
                ("units_orgunit", unit.pk),
                ("units_adminunit", unit.admin_unit_id),
            ):
                # NOWAIT: raises at once if the other transaction locked the row.
                cursor.execute(
                    f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE NOWAIT",  # noqa: S608
                    [pk],
                )
                assert cursor.fetchone() == (1,)
    finally:
        release.set()
        thread.join()
    assert errors == []
