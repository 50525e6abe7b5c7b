"""Web hardening (issue 11 item 4): headers, cookies, CSRF, clickjacking, the
deployment checks, and the rate limits of login, sign-up, tracking and tokens."""

import datetime
import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from werkzeug.test import Client as WerkzeugClient

from accounts.ratelimit import parse_rate, rate_limit_hit
from dossiers import services
from tests.accounts.factories import PASSWORD
from tests.dossiers.factories import make_dossier, pdf_upload
from tests.openapi import connection_kept_open

BASE_DIR = Path(__file__).resolve().parents[2]

PUBLIC_PAGES = [
    "portal:home",
    "accounts:login",
    "accounts:signup",
    "dossiers:dossier-track",
    "procedures:procedure-list",
    "api-docs",
]


# --- Headers ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_pages_forbid_inline_scripts_and_framing(client, name):
    response = client.get(reverse(name))

    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_https_responses_carry_hsts_for_a_year_with_subdomains(client):
    response = client.get(reverse("portal:home"), secure=True)

    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


@pytest.mark.django_db
def test_a_file_download_with_its_own_policy_still_cannot_be_framed(
    client, citizen, unit_a
):
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    attachment = services.attachment_add(
        uploaded_by=citizen, upload=pdf_upload(), document_key="", dossier=dossier
    )
    client.force_login(citizen)

    response = client.get(
        reverse("dossiers:attachment-download", args=[dossier.code, attachment.pk])
    )

    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


# --- Cookies ----------------------------------------------------------------------


@pytest.mark.django_db
def test_session_csrf_and_language_cookies_are_secure_and_session_is_httponly(
    client, citizen
):
    client.get(reverse("accounts:login"), secure=True)
    csrf = client.cookies["csrftoken"]
    response = client.post(
        reverse("accounts:login"),
        {"username": citizen.username, "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    language = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, secure=True
    ).cookies["django_language"]

    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert csrf["secure"]
    assert csrf["samesite"] == "Lax"
    assert language["secure"]
    assert language["httponly"]


# --- CSRF ---------------------------------------------------------------------------

# Routes that take no cookie-authenticated POST, each with why.
CSRF_EXEMPT_REVIEWED = {
    # OAuth token endpoint of the bundled provider: the client authenticates
    # with its secret and PKCE verifier, never with a browser session.
    "idp/o/token/",
    # OpenID userinfo: authenticated by the bearer access token only.
    "idp/o/userinfo/",
    # The sandbox payment platform's server-to-server status query (HMAC-signed,
    # off in production).
    "paygate/api/query/",
}
_CONVERTER_VALUES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": str(uuid.UUID(int=1)),
}


def _routes(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def _concrete(route: str) -> str:
    return "/" + re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: _CONVERTER_VALUES[m[1] or "str"], route
    )


def test_every_page_route_checks_the_csrf_token_except_reviewed_ones():
    exempt = {
        route
        for route, view in _routes(get_resolver())
        # DRF views are exempt at Django's level: the API's session
        # authentication enforces the token itself (next test).
        if getattr(view, "csrf_exempt", False) and not hasattr(view, "cls")
    }

    assert exempt == CSRF_EXEMPT_REVIEWED


@pytest.mark.django_db
def test_a_post_without_csrf_token_is_refused_on_every_page_route(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    allowed = []
    for route, view in _routes(get_resolver()):
        if hasattr(view, "cls") or route in CSRF_EXEMPT_REVIEWED:
            continue
        if "^" in route:
            # A regular-expression route (the provider's discovery document,
            # GET only) has no sample path to build.
            continue
        response = client.post(_concrete(route), {"x": "1"})
        if response.status_code != 403:
            allowed.append((route, response.status_code))

    assert allowed == []


@pytest.mark.django_db
def test_the_api_refuses_a_session_post_without_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)

    response = client.post(
        reverse("dossiers_api:dossier-list"), {}, content_type="application/json"
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_every_post_form_in_the_templates_carries_the_csrf_token():
    missing = []
    for template in BASE_DIR.rglob("*.html"):
        if {".venv", "node_modules", "staticfiles"} & set(template.parts):
            continue
        text = template.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, re.S | re.I):
            if re.search(r"method=[\"']post", form, re.I) and (
                "csrf_token" not in form
            ):
                missing.append(str(template.relative_to(BASE_DIR)))

    assert missing == []


# --- Deployment checks --------------------------------------------------------------

# Warnings that only say "plug in the real system": the repository ships
# development adapters only, so the operator clears these when connecting the
# real SMS gateway, population registry, agencies' systems and payment platform.
ADAPTER_WARNINGS = {
    "accounts.W002",
    "agencies.W001",
    "agencies.W002",
    "payments.W002",
    # No agency certificates (SIGNATURE_PKCS12_DIR) nor trust roots yet.
    "signing.W001",
    "signing.W002",
}


def _production_env(**extra: str) -> dict[str, str]:
    key = secrets.token_urlsafe(64)
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # What `make serve` and .env.example set.
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": key,
        "ALLOWED_HOSTS": "dichvucong.example.gov.vn",
        "CSRF_TRUSTED_ORIGINS": "https://dichvucong.example.gov.vn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "STATICFILES_BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
        "SESSION_COOKIE_SECURE": "1",
        "CSRF_COOKIE_SECURE": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "USE_X_FORWARDED_PROTO": "1",
        "PAYMENT_GATEWAY_SECRET": secrets.token_urlsafe(32),
        "OIDC_CLIENT_SECRET": secrets.token_urlsafe(32),
        "PORTAL_URL": "https://dichvucong.example.gov.vn",
        "IDP_ENABLED": "0",
        "PAYGATE_ENABLED": "0",
        "DEMO_MODE": "0",
        **extra,
    }


def _deploy_check(env: dict[str, str]) -> set[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return set(re.findall(r"^\?: \(([\w.]+)\)", result.stdout + result.stderr, re.M))


def test_check_deploy_is_clean_in_the_production_settings():
    found = _deploy_check(_production_env())

    assert found == ADAPTER_WARNINGS


def test_check_deploy_flags_a_weak_key_and_no_https_redirect():
    found = _deploy_check(
        _production_env(SECRET_KEY="short", USE_X_FORWARDED_PROTO="0")
    )

    assert {"security.W009", "security.W008"} <= found


# --- Rate limits ----------------------------------------------------------------


def test_rates_are_read_like_drf():
    assert parse_rate("20/min") == (20, 60)
    assert parse_rate("5/hour") == (5, 3600)
    assert parse_rate("100/day") == (100, 86400)
    with pytest.raises(ValueError, match="20/min"):
        parse_rate("many")


def _assert_third_use_waits_out_the_window() -> str:
    """Two uses of 2 per minute pass, the third waits (1-60 s), another key
    passes; returns the key used."""
    key = uuid.uuid4().hex
    assert rate_limit_hit(scope="t", key=key, limit=2, window=60) is None
    assert rate_limit_hit(scope="t", key=key, limit=2, window=60) is None

    wait = rate_limit_hit(scope="t", key=key, limit=2, window=60)

    assert wait is not None
    assert 1 <= wait <= 60
    assert rate_limit_hit(scope="t", key="someone-else", limit=2, window=60) is None
    return key


def test_rate_limit_says_how_long_to_wait(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    _assert_third_use_waits_out_the_window()


def _assert_vietnamese_429(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Quá nhiều yêu cầu" in response.text
    assert "thử lại sau" in response.text


@pytest.mark.django_db
def test_login_is_limited_per_address_across_usernames(client, settings, citizen):
    settings.LOGIN_RATE_LIMIT = 3
    for n in range(3):
        client.post(
            reverse("accounts:login"),
            {"username": f"09918500{n:04d}", "password": "sai-mat-khau"},
        )

    response = client.post(
        reverse("accounts:login"),
        {"username": citizen.username, "password": PASSWORD},
    )

    _assert_vietnamese_429(response)
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="10.0.0.9")
    ok = other.post(
        reverse("accounts:login"), {"username": citizen.username, "password": PASSWORD}
    )
    assert ok.status_code == 302


@pytest.mark.django_db
def test_the_429_page_is_translated(client, settings):
    settings.SIGNUP_RATE_LIMIT = 0

    response = client.post(reverse("accounts:signup"), {})
    client.cookies["django_language"] = "en"
    english = client.post(reverse("accounts:signup"), {})

    _assert_vietnamese_429(response)
    assert english.status_code == 429
    assert "Too many requests" in english.text


@pytest.mark.django_db
def test_sign_up_answers_a_vietnamese_429_with_retry_after(client, settings):
    settings.SIGNUP_RATE_LIMIT = 1
    client.post(reverse("accounts:signup"), {})

    _assert_vietnamese_429(client.post(reverse("accounts:signup"), {}))


@pytest.mark.django_db
def test_tracking_page_is_limited_per_address(client, settings, citizen, unit_a):
    settings.THROTTLE_TRACK = "3/min"
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    url = reverse("dossiers:dossier-track")
    # The empty form (e.g. from a slip's QR code) does not count.
    for _ in range(5):
        assert client.get(url, {"code": dossier.code}).status_code == 200
    for n in range(3):
        client.get(url, {"code": dossier.code, "phone_last4": f"{n:04d}"})

    response = client.get(url, {"code": dossier.code, "phone_last4": "1234"})

    _assert_vietnamese_429(response)
    assert str(dossier.receiving_unit) not in response.text
    assert Client(REMOTE_ADDR="10.0.0.8").get(url, {"code": "x"}).status_code == 200


@pytest.mark.django_db
def test_tracking_page_and_api_share_one_budget(client, settings, citizen, unit_a):
    settings.THROTTLE_TRACK = "3/min"
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    page = reverse("dossiers:dossier-track")
    api = reverse("dossiers_api:track")
    for n in range(3):
        client.get(page, {"code": dossier.code, "phone_last4": f"{n:04d}"})

    response = client.get(api, {"code": dossier.code, "phone_last4": "1234"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    other = Client(REMOTE_ADDR="10.0.0.9").get(api, {"code": "x", "phone_last4": "1"})
    assert other.status_code == 404


@pytest.mark.django_db
def test_token_endpoint_is_limited_per_address(client, settings, citizen):
    settings.LOGIN_RATE_LIMIT = 2
    url = reverse("accounts-api:auth-token")
    for n in range(2):
        client.post(url, {"username": f"0991850000{n:02d}", "password": "x"})

    response = client.post(url, {"username": citizen.username, "password": PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "quá nhiều yêu cầu" in response.json()["detail"]
    assert "token" not in response.json()


@pytest.mark.django_db
def test_login_page_and_token_endpoint_share_one_budget(client, settings, citizen):
    settings.LOGIN_RATE_LIMIT = 2
    client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    client.post(reverse("accounts:login"), {"username": "a", "password": "b"})

    response = client.post(
        reverse("accounts-api:auth-token"),
        {"username": citizen.username, "password": PASSWORD},
    )

    assert response.status_code == 429


# --- The lockout (django-axes) says when to come back, like every other limit --------


def _fail_five_times(client, url, username, **extra):
    for _ in range(5):
        client.post(url, {"username": username, "password": "sai-mat-khau"}, **extra)


@pytest.mark.django_db
def test_the_lockout_page_says_when_the_lockout_ends(client, citizen):
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    login = reverse("accounts:login")
    with time_machine.travel(start, tick=False):
        _fail_five_times(client, login, citizen.username)
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        response = client.post(
            login, {"username": citizen.username, "password": PASSWORD}
        )

    assert response.status_code == 429
    # 15 minutes from the 5th failure; the try made meanwhile does not move it.
    assert response["Retry-After"] == "300"
    assert "tạm khóa 5 phút" in response.content.decode()


@pytest.mark.django_db
def test_the_token_endpoint_lockout_is_a_429_with_retry_after(client, citizen):
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    url = reverse("accounts-api:auth-token")
    with time_machine.travel(start, tick=False):
        _fail_five_times(client, url, citizen.username)
    with time_machine.travel(start + datetime.timedelta(seconds=60), tick=False):
        response = client.post(
            url, {"username": citizen.username, "password": PASSWORD}
        )
        english = client.post(
            url,
            {"username": citizen.username, "password": PASSWORD},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 429
    assert response["Retry-After"] == "840"
    assert response.json() == {
        "detail": "Đã nhập sai 5 lần liên tiếp: đăng nhập bằng tài khoản này từ "
        "địa chỉ này tạm bị khóa. Vui lòng thử lại sau 840 giây."
    }
    assert english.status_code == 429
    assert "Please try again in 840 seconds" in english.json()["detail"]


@pytest.mark.django_db
def test_the_lockout_of_a_client_without_address_still_says_when_it_ends(citizen):
    # Found by the fuzzing, whose WSGI client sends no REMOTE_ADDR: axes locks the
    # (username, no address) pair; looking up when compared the IP column with
    # "unknown", a 500.
    with connection_kept_open():
        client = WerkzeugClient(get_wsgi_application())
        url = reverse("accounts-api:auth-token")
        for _ in range(5):
            client.post(url, json={"username": citizen.username, "password": "sai"})

        response = client.post(
            url, json={"username": citizen.username, "password": PASSWORD}
        )

    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 900


@pytest.mark.services("redis")
def test_rate_limit_on_redis_counts_in_one_window_that_ends(settings):
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    key = _assert_third_use_waits_out_the_window()
    # The window ends: the count has an expiry, never a counter kept for ever.
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    name = backend.make_and_validate_key(f"ratelimit:t:{key}")
    client = backend._cache.get_client(name)
    assert 0 < client.ttl(name) <= 60
    assert client.get(name) == b"3"
    # One key read and written in one round trip: no second key for the end.
    assert not client.exists(backend.make_and_validate_key(f"ratelimit:t:{key}:ends"))
