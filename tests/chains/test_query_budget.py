"""Query budget of a linked chain's automatic steps (docs/benchmarks.md, linked
chains): what one step's task asks of the database on the worker, from its
claim to the next step started (or the chain finished), the tasks it sends after
commit not included. Pinned like the pages' budgets (tests/portal/
test_query_budgets.py): a change that adds a look-up per step shows here."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chains.models import ChainRun, RunStatus
from chains.services import chain_step_run
from dossiers.models import Result

from .conftest import BIRTH, birth_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def test_each_automatic_step_of_a_birth_chain_keeps_its_query_budget(
    citizen, agencies, django_capture_on_commit_callbacks
):
    # A worker's steady state: the content type of the results' signatures is
    # cached after its first signature (else the first step counts one more).
    ContentType.objects.get_for_model(Result)
    # The steps' tasks are not run: each step is run here, in order.
    with django_capture_on_commit_callbacks(execute=False):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    run = ChainRun.objects.get(dossier=dossier)
    counts = []
    for order in (1, 2, 3):
        step = run.steps.get(order=order)
        with (
            django_capture_on_commit_callbacks(execute=False),
            CaptureQueriesContext(connection) as captured,
        ):
            assert chain_step_run(step_id=step.pk) == "done"
        counts.append(len(captured.captured_queries))

    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED
    # Birth (personal ID and birth registration, the register's number, the
    # result and its copy, the residence part opened), residence (the health
    # card's part opened), health card (and the linked dossier's own result).
    # Fewer since decision 333 (a notification without get_or_create's second
    # look-up, a part's insert without its savepoint): 134, 111 and 129 before;
    # and since decision 336 (a notification and a fee without a savepoint of
    # their own in the step's transaction, the fee written by one upsert):
    # 133, 110 and 126 before.
    assert counts == [124, 101, 120]
