"""While the database is out (every query fails as on a lost connection), pages
and the API answer 503 with Retry-After, not 500; the health check names the
database. The real outage (PostgreSQL stopped under load) is drills/postgres."""

import errno
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.models import Dossier
from portal.unavailable import server_error
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db


@contextmanager
def database_down() -> Iterator[None]:
    """Every query of this thread fails with what Django raises when the server
    went away (its OperationalError, wrapping the driver's)."""

    def lost(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(lost):
        yield


def test_api_answers_a_503_problem_with_retry_after_and_saves_nothing(
    citizen, unit_a, settings
):
    settings.UNAVAILABLE_RETRY_AFTER_SECONDS = 7
    procedure = ProcedureFactory()
    client = APIClient()
    client.force_authenticate(citizen)

    with database_down():
        response = client.post(
            reverse("dossiers_api:dossier-list"),
            {
                "procedure": procedure.code,
                "unit": unit_a.agency_code,
                "data": {"full_name": "A"},
            },
            format="json",
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 503
    assert body["unavailable"] == "database"
    assert body["detail"].startswith(
        "Hệ thống tạm thời không kết nối được cơ sở dữ liệu"
    )
    assert "7 giây" in body["detail"]
    assert not Dossier.objects.exists()


def test_api_problem_is_in_english_when_asked(citizen):
    client = APIClient()
    client.force_authenticate(citizen)

    with database_down():
        response = client.get(
            reverse("dossiers_api:dossier-list"), HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 503
    assert "cannot reach its database" in response.json()["detail"]


def test_a_page_answers_a_503_page_in_vietnamese_first(client, settings):
    settings.UNAVAILABLE_RETRY_AFTER_SECONDS = 30

    with database_down():
        response = client.get(reverse("portal:home"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="vi">' in page
    vietnamese = page.index("không kết nối được cơ sở dữ liệu")
    assert vietnamese < page.index("cannot reach its database")
    assert "30 giây" in page


def test_a_full_disk_in_a_view_is_a_503_naming_the_storage(client, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("portal.views.announcements_published", full)

    response = client.get(reverse("portal:home"))

    assert response.status_code == 503
    assert "hết chỗ lưu tệp" in response.content.decode()


def test_other_errors_are_still_500(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("portal.views.announcements_published", broken)
    client.raise_request_exception = False

    response = client.get(reverse("portal:home"))

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_an_outage_outside_any_view_answers_503_through_handler500(settings):
    settings.UNAVAILABLE_RETRY_AFTER_SECONDS = 5
    request = RequestFactory().get("/api/v1/dossiers/")

    try:
        raise OperationalError("the session could not be saved")
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert server_error(RequestFactory().get("/")).status_code == 500


def test_health_answers_503_naming_the_database(client, settings):
    settings.REDIS_URL = ""

    with database_down():
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["database"]
    assert body["checks"]["database"] == {"ok": False, "detail": "OperationalError"}
