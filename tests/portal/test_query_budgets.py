"""Query budgets of the pages that had none pinned yet: the number of queries
does not grow with the rows behind the page (N, then 10N). Lists, detail and
dashboard pages pinned elsewhere: tests/dossiers/test_views_officer.py (queue),
test_views_citizen.py (my dossiers, the dossier page), test_api.py (API list),
tests/dashboards/test_api.py (statistics API), tests/procedures (search)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import services
from dossiers.models import Status
from portal.db import joins_as_written_statements
from tests.dossiers.factories import at, make_dossier

pytestmark = pytest.mark.django_db
YEAR = {"from": "2024-01-01", "to": "2024-12-31"}


def queries(client, url, params=None) -> int:
    client.get(url, params)  # warm caches (permissions, calendar)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response
    return len(captured.captured_queries)


def grow_history(dossier, people, times: int) -> None:
    for _ in range(times):
        services.dossier_assign(
            dossier=dossier, actor=people["officer"], assignee=people["officer"]
        )


def test_public_tracking_does_not_grow_with_the_dossiers_history(client, people):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    params = {"code": dossier.code, "phone_last4": dossier.phone_last4}
    url = reverse("dossiers:dossier-track")
    grow_history(dossier, people, 1)
    few = queries(client, url, params)
    grow_history(dossier, people, 10)

    assert queries(client, url, params) == few
    # the dossier (with its procedure and unit), its events (with actor, unit)
    assert few == 2


def test_the_officers_dossier_page_does_not_grow_with_its_history(
    client, people, login_staff
):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_staff(client, people["officer"])
    url = dossier.get_absolute_url()
    grow_history(dossier, people, 1)
    few = queries(client, url)
    grow_history(dossier, people, 10)

    assert queries(client, url) == few
    # 16 (permissions in one read, decision 335), and the fee's assessment for the fee
    # line (procedures.fees), which the fee block reads only for the applicant; less
    # the officer's unit (its id is enough) and the actions done, seen in the events
    # staff are shown (decision 336), and the data-access row's savepoint (it is one
    # statement, decision 336); on PostgreSQL, when reads are sent whole, the
    # dossier's read planned with its joins as written (portal.db.joins_as_written)
    assert few == 13 + joins_as_written_statements(unless_prepared=True)


def _dossiers_of_2024(people, count: int) -> None:
    with time_machine.travel(at("2024-03-04 09:00"), tick=False):
        for index in range(count):
            status = [Status.RETURNED, Status.PROCESSING, Status.REFUSED][index % 3]
            make_dossier(status=status, **people)


# The dashboard: 20 (permissions in one read, decision 335), one for the feedback counts
# (feedback.stats, issue 20), one for the feedback table shown with its CSV link
# (decision 222), one for the "no writing, no appointment" day's same-day results
# (decision 284), and one for the linked chains' Decree 63/2024 art. 7 figures
# (chains.stats, decision 267).
BUDGETS = {"dashboards:stats-dashboard": 24, "dashboards:stats-dossier-list": 11}


@pytest.mark.parametrize("name", BUDGETS)
def test_the_dashboard_pages_do_not_grow_with_the_dossiers(
    client, district_staff, login_staff, people, name
):
    login_staff(client, district_staff)
    url = reverse(name)
    _dossiers_of_2024(people, 2)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        few = queries(client, url, YEAR)
    _dossiers_of_2024(people, 18)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        many = queries(client, url, YEAR)

    assert many == few == BUDGETS[name]


def test_the_officers_dossier_page_compiles_only_djangos_own_reads(
    client, people, login_staff, compiled_reads
):
    """Its reads are compiled once per process (decision 336): on a second view
    only the user's row, which Django's session authentication reads, is compiled
    again (and the data-access log's row, written as every row is)."""

    from accounts.models import User

    dossier = make_dossier(status=Status.RECEIVED, **people)
    grow_history(dossier, people, 2)
    login_staff(client, people["officer"])
    url = dossier.get_absolute_url()
    assert client.get(url).status_code == 200
    with compiled_reads() as compiled:
        assert client.get(url).status_code == 200
    assert compiled == [User]


def _filing(citizen, unit):
    """A function filing one dossier at `unit` through the API with a token, as
    the bench does; it checks the answer is 201."""
    from rest_framework.test import APIClient

    from accounts.services import api_token_create
    from tests.procedures.factories import ProcedureFactory

    procedure = ProcedureFactory(fee_online_vnd=7000)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=citizen)}")
    body = {
        "procedure": procedure.code,
        "unit": unit.agency_code,
        "data": {"full_name": "A"},
    }

    def file() -> None:
        response = client.post(
            reverse("dossiers_api:dossier-list"), body, format="json"
        )
        assert response.status_code == 201, response.content

    return file


def test_an_api_submission_keeps_its_statement_budget(citizen, officer, unit_a):
    """The API submission, the bench's write path (decision 336): its statements
    pinned, the same for the second filing at a unit and the eleventh."""
    file = _filing(citizen, unit_a)

    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            file()
        return len(captured.captured_queries)

    statements()  # the token's first use is written
    second = statements()
    for _ in range(8):
        statements()
    # the token (and its last use, once a minute: not here), the roles; the
    # procedure, the unit (with its place), the applicant's recorded commune,
    # the competent agency, the calendar's corrections and rule sets, the
    # no-appointment day and the rule set in force, the unit's daily counter, the
    # dossier, its event; the officers to tell, whether each was told, their
    # preferences, the notification (in a savepoint: 3 statements); the fee (one
    # upsert), the facts (read, written); the transaction (a savepoint in the
    # test's own: 2). Compiled once, all but the inserts, the competent agency and
    # the officers' read (decision 336).
    assert statements() == second == 24


def test_an_api_submission_compiles_only_the_reads_that_vary(
    citizen, officer, unit_a, compiled_reads
):
    """Its fixed reads are compiled once per process (decision 336); on a later
    filing only the competent agency's (an IN over the area's ancestors, whose
    length varies) is compiled again, beside the inserts."""
    from units.models import OrgUnit

    file = _filing(citizen, unit_a)
    file()
    with compiled_reads() as compiled:
        file()
    assert compiled == [OrgUnit]
