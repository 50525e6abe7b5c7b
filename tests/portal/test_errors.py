"""Every malformed request gets a 4xx that says why, Vietnamese first (English with
`Accept-Language: en`); under /api/ as `{"detail": ...}` JSON, never a 500 and
never Django's bare page (portal/errors.py, locale/vi for DRF's messages)."""

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from accounts.services import api_token_create
from dossiers.api import views as dossiers_api_views
from portal import errors
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

SUBMIT = reverse("dossiers_api:dossier-list")
UNITS = reverse("procedures-api:unit-list")
TRACK = reverse("dossiers_api:track")


def call(
    method: str,
    url: str,
    body: str | bytes = b"",
    *,
    user=None,
    language: str = "vi",
    content_type: str = "application/json",
    client: Client | None = None,
):
    headers: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": language}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {api_token_create(user=user)}"
    raw = body.encode() if isinstance(body, str) else body
    return (client or Client()).generic(
        method, url, raw, content_type=content_type, **headers
    )


def detail(response) -> str:
    assert response["Content-Type"] == "application/json", response.content[:300]
    return str(response.json()["detail"])


# --- Body ---------------------------------------------------------------------------


def test_an_unsupported_media_type_is_a_415_naming_it(citizen):
    response = call("POST", SUBMIT, "<hoso/>", user=citizen, content_type="text/xml")
    english = call(
        "POST", SUBMIT, "<hoso/>", user=citizen, content_type="text/xml", language="en"
    )

    assert response.status_code == 415
    assert "không nhận nội dung kiểu “text/xml”" in detail(response)
    assert 'Unsupported media type "text/xml"' in detail(english)


def test_a_body_over_the_size_limit_is_a_413_in_json(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"username": "' + "x" * 2000 + '"}'

    response = call("POST", reverse("accounts-api:auth-token"), body)
    english = call("POST", reverse("accounts-api:auth-token"), body, language="en")

    assert response.status_code == 413
    assert "quá lớn" in detail(response)
    assert "too large" in detail(english)


def test_a_form_over_the_size_limit_on_a_page_is_a_translated_page(settings, client):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(reverse("accounts:login"), {"username": "x" * 2000})

    assert response.status_code == 400
    text = response.content.decode()
    assert "Yêu cầu không hợp lệ" in text
    assert "Không có gì được lưu" in text
    assert "Bad Request (400)" not in text


def test_a_multipart_body_without_boundary_is_a_400_saying_so(citizen):
    response = call(
        "POST", SUBMIT, b"--x\r\n", user=citizen, content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert "Không đọc được nội dung yêu cầu (kiểu multipart/form-data)" in detail(
        response
    )


def test_a_field_of_the_wrong_type_is_refused_in_vietnamese(citizen, unit_a):
    procedure = ProcedureFactory()
    body = (
        f'{{"procedure": "{procedure.code}", "unit": "{unit_a.agency_code}", '
        '"data": "chuỗi"}'
    )

    response = call("POST", SUBMIT, body, user=citizen)
    english = call("POST", SUBMIT, body, user=citizen, language="en")

    assert response.status_code == 400
    assert response.json() == {
        "data": ["Cần một đối tượng {…}, nhưng nhận được kiểu “str”."]
    }
    assert english.json() == {
        "data": ['Expected a dictionary of items but got type "str".']
    }


# --- Addresses, methods, pages -------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/khong-co/", "/api/v1/khong-co", "/api/x"])
def test_an_unknown_api_address_is_a_404_in_json(url):
    response = call("GET", url)
    english = call("GET", url, language="en")

    assert response.status_code == 404
    assert "Không có địa chỉ API này" in detail(response)
    assert "no such API address" in detail(english)


def test_an_unknown_page_is_still_the_site_s_page(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_method_not_allowed_is_a_405_with_allow(citizen):
    response = call("DELETE", reverse("accounts-api:me"), user=citizen)
    english = call("DELETE", reverse("accounts-api:me"), user=citizen, language="en")

    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert detail(response) == "Địa chỉ này không nhận phương thức “DELETE”."
    assert detail(english) == 'Method "DELETE" not allowed.'


def test_an_accept_header_the_api_cannot_satisfy_is_a_translated_406():
    response = Client().get(
        UNITS, HTTP_ACCEPT="application/xml", HTTP_ACCEPT_LANGUAGE="vi"
    )

    assert response.status_code == 406
    assert "tiêu đề Accept" in detail(response)


@pytest.mark.parametrize("page", ["999", "abc", "0"])
def test_a_page_out_of_range_is_a_404_saying_so(page):
    response = call("GET", f"{UNITS}?page={page}")
    english = call("GET", f"{UNITS}?page={page}", language="en")

    assert response.status_code == 404
    assert detail(response) == "Không có trang này trong danh sách."
    assert detail(english) == "Invalid page."


def test_not_found_does_not_echo_what_was_asked():
    response = call("GET", reverse("procedures-api:procedure-detail", args=["9.99"]))

    assert response.status_code == 404
    assert detail(response) == "Không tìm thấy."


# --- Credentials, CSRF, limits -------------------------------------------------------


def test_a_request_without_credentials_is_a_translated_401():
    response = call("GET", reverse("accounts-api:me"))
    english = call("GET", reverse("accounts-api:me"), language="en")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "Cần đăng nhập" in detail(response)
    assert detail(english) == "Authentication credentials were not provided."


@pytest.mark.parametrize("header", ["Token", "Token a b"])
def test_a_malformed_authorization_header_is_a_translated_401(header):
    response = Client().get(
        reverse("accounts-api:me"),
        HTTP_AUTHORIZATION=header,
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    assert response.status_code == 401
    assert detail(response).startswith("Tiêu đề Authorization sai")


def test_a_session_post_without_csrf_token_is_a_403_in_json(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)

    response = call("POST", SUBMIT, "{}", client=client)
    english = call("POST", SUBMIT, "{}", client=client, language="en")

    assert response.status_code == 403
    assert detail(response).startswith("Thiếu mã CSRF hoặc mã không khớp")
    assert "X-CSRFToken" in detail(english)
    assert "CSRF token is missing or wrong" in detail(english)


def test_a_page_post_without_csrf_token_is_a_translated_page(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)

    response = client.post(reverse("accounts:login"), {"username": "x"})

    assert response.status_code == 403
    text = response.content.decode()
    assert "Trang đã cũ, hãy gửi lại" in text
    assert "CSRF verification failed" not in text


def plain_api_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("api/v1/plain/", plain_api_view)]


@pytest.mark.urls("tests.portal.test_errors")
def test_a_csrf_failure_outside_drf_under_api_is_json_too(citizen):
    # No such view today: every /api/ route is DRF's. A plain one must not fall
    # back to Django's HTML page.
    client = Client(enforce_csrf_checks=True)

    response = call("POST", "/api/v1/plain/", "{}", client=client)

    assert response.status_code == 403
    assert detail(response) == errors.csrf_message()


def test_a_throttled_request_is_a_429_with_retry_after(settings):
    settings.THROTTLE_TRACK = "1/min"
    client = Client()
    url = f"{TRACK}?code=X&phone_last4=1234"
    call("GET", url, client=client)

    response = call("GET", url, client=client)
    english = call("GET", url, client=client, language="en")

    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 60
    assert detail(response) == (
        f"Quá nhiều yêu cầu. Vui lòng thử lại sau {seconds} giây."
    )
    assert detail(english).startswith("Too many requests. Please try again in")


# --- A bug is still an answer in JSON ------------------------------------------------


def test_an_unexpected_error_under_api_is_a_json_500(citizen, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(dossiers_api_views, "dossiers_visible_to", broken)
    client = Client(raise_request_exception=False)

    response = call("GET", SUBMIT, user=citizen, client=client)

    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in detail(response)
    assert "a bug" not in response.content.decode()


def test_a_deeply_nested_payment_callback_is_refused_not_a_500():
    body = '{"a":' * 5000 + "1" + "}" * 5000

    response = call("POST", reverse("payments-api:payment-callback"), body)

    assert response.status_code == 400
    assert response.json() == {"result": "refused", "reason": "malformed"}


def test_a_deeply_nested_query_to_the_sandbox_gateway_is_refused_not_a_500(settings):
    settings.PAYGATE_ENABLED = True
    body = "[" * 5000 + "]" * 5000

    response = call("POST", reverse("paygate:query"), body)

    assert response.status_code == 400
    assert response.json() == {"error": "malformed"}
