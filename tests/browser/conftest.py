"""The browser suite: Debian's Chromium (Playwright) against a live server on
PostgreSQL, with a real Celery worker on Redis.

The world (units, catalogue, demo accounts and identities) is loaded once for
the package and emptied after its last test, as a transactional test leaves the
database. Every page a journey visits goes through `audit` (axe-core).
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.test import override_settings
from django.test.testcases import LiveServerThread

from portal.celery import app as celery_app
from tests.conftest import REQUIRE_SERVICES, missing_services

from .axe import Auditor

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # Date inputs and number formats follow the browser's language.
    "--lang=vi-VN",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
REPO = Path(__file__).resolve().parent.parent.parent
# `make screenshots` sets it: the journeys then save their key pages there.
SCREENSHOTS = os.environ.get("SCREENSHOTS_DIR", "")

pytestmark = pytest.mark.services("postgres", "redis", "worker")
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is `serial` (pyproject.toml), those of modules added
    later too: a journey waits for a page, a worker and a scroll, and must not
    share the two cores with another pytest process (`make test`). Before `-m`
    selects (tryfirst)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.serial)


def _chromium_missing() -> str:
    if Path(CHROMIUM).exists():
        return ""
    return f"needs Chromium at {CHROMIUM} (apt-get install -y chromium)"


@pytest.fixture(scope="package")
def chromium() -> Iterator[Any]:
    reason = _chromium_missing()
    if reason:
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason}; REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own
    # database reads are plain synchronous code all the same.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="package")
def browser_db(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The test database. pytest-django creates it only for tests asking for
    `db` (none here), so when this folder runs alone the suite creates it."""
    from django.db import connection
    from django.test.utils import setup_databases

    if connection.settings_dict["NAME"].startswith("test_"):
        yield
        return
    with django_db_blocker.unblock():
        setup_databases(
            verbosity=0,
            interactive=False,
            aliases=dict.fromkeys(("default", "replica")),
        )
    # Kept at the end (the worker's and server's sessions may still be
    # closing); the next run recreates it.
    yield


@pytest.fixture(scope="package")
def world(browser_db, django_db_blocker) -> Iterator[None]:
    """Reference data and the demo people, as `make setup` loads them."""
    if missing_services(("postgres", "worker")):
        pytest.skip("the browser suite needs PostgreSQL and Redis")
    from agencies.services import registry_demo_load
    from idp.demo import demo_identities_seed
    from idp.management.commands.idp_setup import LOOPBACK_REDIRECT_URIS
    from idp.services import client_register
    from portal.demo import demo_accounts_seed
    from portal.demo_help import demo_help_seed
    from procedures.services import catalogue_load_reference
    from units.services import units_load_reference

    with django_db_blocker.unblock():
        units_load_reference()
        catalogue_load_reference(overwrite=True)
        demo_accounts_seed()
        demo_help_seed()
        registry_demo_load()
        demo_identities_seed()
        client_register(
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            redirect_uris=LOOPBACK_REDIRECT_URIS,
            name="Cổng thử",
        )
    yield
    with django_db_blocker.unblock():
        # What every transactional test leaves: empty tables, roles synced again.
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="package")
def server(world, django_db_blocker) -> Iterator[str]:
    """A threaded live server of the portal (and its bundled identity provider
    and payment platform) on 127.0.0.1, with settings of a demo deployment.

    On a random port, and with no address configured (no PORTAL_URL, no
    PAYMENT_GATEWAY_URL, no OIDC_ISSUER_URL): every absolute address the portal
    hands out (payment redirect and callback, OIDC redirect, links, QR codes)
    must come from the request, as with `PORT=8123 make run`."""
    from tests.idp.factories import signing_key

    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    # The port is known once the thread listens; settings need it first, so the
    # overrides are applied after start and read per request.
    with django_db_blocker.unblock():
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        url = f"http://127.0.0.1:{thread.port}"
        overrides = override_settings(
            IDP_ENABLED=True,
            OIDC_ISSUER_URL="",
            OAUTH2_PROVIDER=settings.OAUTH2_PROVIDER
            | {"OIDC_RSA_PRIVATE_KEY": signing_key()},
            PAYGATE_ENABLED=True,
            PAYMENT_GATEWAY_URL="",
            PAYGATE_CALLBACK_DELAY_MIN_SECONDS=0.2,
            PAYGATE_CALLBACK_DELAY_MAX_SECONDS=0.5,
            PAYGATE_CALLBACK_LOSS_RATE=0.0,
            PORTAL_URL="",
            SESSION_COOKIE_SECURE=False,
            CSRF_COOKIE_SECURE=False,
            CACHES={
                name: {**config, "KEY_PREFIX": f"browser-{uuid.uuid4().hex[:8]}"}
                for name, config in settings.CACHES.items()
            },
        )
        overrides.enable()
        try:
            yield url
        finally:
            overrides.disable()
            thread.terminate()


@pytest.fixture(scope="package")
def worker(server) -> Iterator[Any]:
    """A real Celery worker on this suite's own queues (tests/chains/workers.py),
    with the test run's media folder. It is not told the live server's address:
    its tasks carry the address of the request that sent them."""
    from tests.chains.workers import Worker, lose_every_message

    original = celery_app.conf.task_default_queue
    base = f"{original}.browser-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_default_queue = base
    process = Worker(
        base,
        {
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PORTAL_URL": "",
            "PAYMENT_GATEWAY_URL": "",
            "AGENCY_DEV_LATENCY_MS": "50",
            "POPULATION_REGISTRY_DEV_LATENCY_MS": "50",
            "CACHE_KEY_PREFIX": "browser",
            # Connected to the twin: the national tasks it gets come only from a
            # journey that connects the server (test_national_store.py).
            "NATIONAL_PORTAL_BACKEND": "national.adapters.DevelopmentNationalPortal",
            "NATIONAL_DEV_LATENCY_MS": "50",
        },
    ).start()
    try:
        yield process
    finally:
        process.stop()
        lose_every_message(base)
        celery_app.conf.task_default_queue = original


@pytest.fixture(autouse=True)
def _live(server, worker, django_db_blocker) -> Iterator[None]:
    """Tasks go through Redis to the worker; the test reads the database the
    server writes (autocommit, no test transaction)."""
    celery_app.conf.task_always_eager = False
    with django_db_blocker.unblock():
        yield
    celery_app.conf.task_always_eager = True


@pytest.fixture(scope="package")
def auditor() -> Iterator[Auditor]:
    auditor = Auditor()
    yield auditor
    # `make screenshots` refreshes the committed report; other runs (make test,
    # CI) write theirs under var/, leaving the checkout clean.
    folder = REPO / "docs" if SCREENSHOTS else REPO / "var"
    folder.mkdir(exist_ok=True)
    auditor.write_report(folder / "accessibility-report.md")


def new_page(chromium: Any, *, viewport: dict[str, int], **options: Any) -> Any:
    context = chromium.new_context(
        viewport=viewport,
        locale="vi-VN",
        extra_http_headers={"Accept-Language": "vi"},
        accept_downloads=True,
        **options,
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def phone(chromium) -> Iterator[Any]:
    page = new_page(chromium, viewport=PHONE, has_touch=True, is_mobile=True)
    yield page
    page.context.close()


@pytest.fixture
def desktop(chromium) -> Iterator[Any]:
    page = new_page(chromium, viewport=DESKTOP)
    yield page
    page.context.close()


def screenshot(page: Any, name: str) -> None:
    """Save the page under docs/screenshots/ when `make screenshots` asks."""
    if not SCREENSHOTS:
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
