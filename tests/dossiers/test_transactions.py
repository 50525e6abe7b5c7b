"""atomic_retrying: a transaction PostgreSQL rolled back to break a deadlock runs
again; anything else, or a call inside an outer transaction, is not retried."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from dossiers.transactions import ATTEMPTS, atomic_retrying
from units.models import OrgUnit


class _PgError(Exception):
    def __init__(self, pgcode: str) -> None:
        super().__init__(pgcode)
        self.pgcode = pgcode


def _failing(pgcode: str, times: int) -> tuple[list[int], object]:
    calls: list[int] = []

    @atomic_retrying
    def work() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("lost") from _PgError(pgcode)
        return "done"

    return calls, work


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_victim_runs_again():
    calls, work = _failing("40P01", times=ATTEMPTS - 1)
    assert work() == "done"  # type: ignore[operator]
    assert len(calls) == ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_it_gives_up_after_the_last_attempt():
    calls, work = _failing("40001", times=ATTEMPTS)
    with pytest.raises(OperationalError):
        work()  # type: ignore[operator]
    assert len(calls) == ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_are_not_retried():
    calls, work = _failing("08006", times=1)  # connection failure
    with pytest.raises(OperationalError):
        work()  # type: ignore[operator]
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_inside_an_outer_transaction_the_outer_caller_decides():
    calls, work = _failing("40P01", times=1)
    with pytest.raises(OperationalError), transaction.atomic():
        work()  # type: ignore[operator]
    assert len(calls) == 1


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_two_transactions_locking_rows_in_opposite_orders_both_commit(unit_a, unit_b):
    """A real deadlock: each thread locks one unit, waits for the other to do the
    same, then wants the other's row. PostgreSQL rolls one back; it runs again."""
    ready = threading.Barrier(2)
    attempts = {"ab": 0, "ba": 0}
    errors: list[BaseException] = []

    def lock_both(name: str, first: int, second: int) -> None:
        @atomic_retrying
        def work() -> None:
            attempts[name] += 1
            OrgUnit.objects.select_for_update().get(pk=first)
            if attempts[name] == 1:
                ready.wait(timeout=10)
            OrgUnit.objects.select_for_update().get(pk=second)

        try:
            work()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=lock_both, args=("ab", unit_a.pk, unit_b.pk)),
        threading.Thread(target=lock_both, args=("ba", unit_b.pk, unit_a.pk)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    # One of them was the deadlock's victim and ran a second time.
    assert sorted(attempts.values()) == [1, 2]
