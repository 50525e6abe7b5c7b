"""NUL characters are refused with a clear 400 before anything reads them
(portal/nulbytes.py). On PostgreSQL each of these was a 500; found by the API
fuzzing (tests/security/test_api_fuzzing.py)."""

import json

import pytest

pytestmark = pytest.mark.django_db

MESSAGE = "Yêu cầu chứa ký tự NUL (mã 0), không hợp lệ."


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/track/?code=%00&phone_last4=1234",
        "/api/v1/calendar/due/?procedure=1.0%0001&received_at=2026-03-09",
        "/api/v1/verify/abc%00def/",
        "/api/v1/dossiers/?q=a%00",
    ],
)
def test_a_nul_in_an_api_path_or_query_is_a_400_naming_it(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGE}


def test_a_nul_in_a_page_query_is_a_400_too(client):
    response = client.get("/procedures/search/?q=gi%00ay")

    assert response.status_code == 400
    assert response.content.decode() == MESSAGE


@pytest.mark.parametrize(
    "body", [b'{"order_id": "a\x00b"}', json.dumps({"order_id": "a\x00b"}).encode()]
)
def test_a_nul_in_a_raw_or_json_body_is_refused_and_nothing_is_stored(client, body):
    from payments.models import PaymentCallback

    response = client.generic(
        "POST", "/api/v1/payments/callback/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGE}
    assert not PaymentCallback.objects.exists()


def test_requests_without_nul_go_through(client):
    assert client.get("/procedures/search/?q=giay").status_code == 200
    response = client.generic(
        "POST",
        "/api/v1/payments/callback/",
        b'{"order_id": "x"}',
        content_type="application/json",
    )
    assert response.json()["result"] == "refused"


def test_the_refusal_speaks_the_visitor_s_language(client):
    # The check runs before LocaleMiddleware: it reads the language itself.
    client.get("/api/v1/track/?code=%00", HTTP_ACCEPT_LANGUAGE="vi")

    english = client.get("/api/v1/track/?code=%00", HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = client.get("/api/v1/track/?code=%00", HTTP_ACCEPT_LANGUAGE="vi")

    assert english.json() == {
        "detail": "The request contains a NUL character (code 0) and is not valid."
    }
    assert vietnamese.json() == {"detail": MESSAGE}
