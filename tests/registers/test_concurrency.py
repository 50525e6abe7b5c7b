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
