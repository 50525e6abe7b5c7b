"""Shared fixtures: personas, the service markers and a real Celery worker."""

import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from accounts.roles import Role
from portal.celery import app as celery_app
from portal.celery import worker_queues
from tests import reused_db
from tests.accounts.factories import CitizenFactory, UserFactory, login_with_otp
from tests.units.factories import OrgUnitFactory, district_tree
from units.models import AgencyType

# No personal ID, phone number or token in the logs of the whole run.
pytest_plugins = ["tests.log_leaks"]

BASE_DIR = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# Tests hash passwords many times; the fast hasher is fine for them.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploaded files of the whole run go to a temporary folder, never to media/.
settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
# The run's own secrets instead of the public development ones: the real workers
# it starts run with DEBUG off, which refuses those (portal/checks.py), and they
# must sign and verify as this process does. The sandbox platform shares the
# portal's payment secret, as by default.
_payment_secret = secrets.token_urlsafe(32)
RUN_SECRETS = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "OIDC_CLIENT_SECRET": secrets.token_urlsafe(32),
    "PAYMENT_GATEWAY_SECRET": _payment_secret,
    "PAYGATE_SECRET": _payment_secret,
}
for _name, _value in RUN_SECRETS.items():
    setattr(settings, _name, _value)

# Results are signed at issue (signing app): by one development authority for the
# whole run, made in a temporary folder at its first signature (EC P-256 keys:
# milliseconds), never the one of var/signing. The real workers run with DEBUG
# off, which refuses development keys (signing/checks.py) as it refuses public
# secrets: like the run's own secrets above, they get the run's own signing
# service (tests/signing/service.py), which holds the same authority and which the
# workers reach through the remote-signing interface.
RUN_SIGNING_DIR = tempfile.mkdtemp(prefix="portal-test-signing-")
settings.SIGNATURE_BACKEND = "development"
settings.SIGNATURE_DIR = Path(RUN_SIGNING_DIR)
settings.SIGNATURE_TRUST_ROOTS = []
RUN_SIGNING = {
    "SIGNATURE_BACKEND": "remote",
    "SIGNATURE_REMOTE_SERVICE": "tests.signing.service.RunSigningService",
    "SIGNATURE_DIR": RUN_SIGNING_DIR,
}

# `make test` runs the bulk of the suite on two pytest-xdist processes ("gw0",
# "gw1"; docs/decisions.md, 210). Each has its own test database (pytest-django
# names it with a `_gw0` suffix), its own queue, so one process's real worker
# never takes the other's tasks, and its own Redis database, so nothing one
# writes under a name fixed for the run (a queue, a cache prefix) reaches the other.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_redis_url(url: str, worker: str) -> str:
    """`url` on Redis database 1 + the worker's number (gw0: 1, gw1: 2...), of
    the 16 a Redis server has by default."""
    parts = urlsplit(url)
    db = 1 + int(worker.removeprefix("gw")) % 15
    return urlunsplit(parts._replace(path=f"/{db}"))


if XDIST_WORKER:
    _queue = f"{celery_app.conf.task_default_queue}-{XDIST_WORKER}"
    settings.CELERY_TASK_DEFAULT_QUEUE = _queue
    celery_app.conf.task_default_queue = _queue
    os.environ["CELERY_QUEUE"] = _queue
    if settings.REDIS_URL:
        _redis = _worker_redis_url(settings.REDIS_URL, XDIST_WORKER)
        settings.REDIS_URL = _redis
        settings.CELERY_BROKER_URL = _redis
        celery_app.conf.update(broker_url=_redis)
        os.environ["REDIS_URL"] = _redis
        settings.CACHES = {
            name: {**config, "LOCATION": _redis}
            if config.get("LOCATION") and str(config["LOCATION"]).startswith("redis")
            else config
            for name, config in settings.CACHES.items()
        }


# --- Services ---------------------------------------------------------------------


def _redis_ok() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def missing_services(names: tuple[str, ...]) -> list[str]:
    missing = []
    if "postgres" in names and connection.vendor != "postgresql":
        missing.append("PostgreSQL (set DATABASE_URL to a postgres:// URL)")
    if {"redis", "worker"} & set(names) and not _redis_ok():
        missing.append("Redis (set REDIS_URL to a running server)")
    return missing


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("services")
    if marker is None:
        return
    missing = missing_services(tuple(marker.args))
    if not missing:
        return
    reason = "needs " + " and ".join(missing)
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}; REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


# --- The test database ---------------------------------------------------------------

_KEPT_COPY = pytest.StashKey[reused_db.PostgresCopy | reused_db.SqliteCopy]()


@pytest.fixture(scope="session")
def django_db_createdb(
    request,
    django_db_keepdb,
    django_db_use_migrations,
    django_db_blocker,
    django_db_modify_db_settings,
):
    """With --reuse-db (the default, pyproject.toml), start from a copy of the
    database an earlier run migrated from the same migrations, or migrate from
    zero and keep a copy (tests/reused_db.py). --create-db migrates from zero
    whatever was kept."""
    create = bool(request.config.getvalue("create_db"))
    reuse = django_db_keepdb and django_db_use_migrations
    copy = reused_db.kept_copy() if reuse else None
    if copy is None:
        return create
    request.config.add_cleanup(copy.close)
    with django_db_blocker.unblock():
        if not create and copy.restore():
            return False
    request.config.stash[_KEPT_COPY] = copy
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, request, django_db_blocker):
    """pytest-django's set-up, then a copy of the database it just migrated."""
    copy = request.config.stash.get(_KEPT_COPY, None)
    if copy is not None:
        with django_db_blocker.unblock():
            copy.save()


@pytest.fixture(autouse=True)
def _no_language_left_active() -> Iterator[None]:
    """Each test starts in the default language (Vietnamese), as in a fresh
    process: a request in English activates English for the thread, and the
    next test on that process (xdist gives each process another order) read
    English messages where it expects Vietnamese ones."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_in_process() -> Iterator[None]:
    """Tasks run in-process unless a test asks for the real worker."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def development_authority():
    """The run's one development certificate authority (RUN_SIGNING_DIR)."""
    from signing.adapters import DevelopmentAuthority

    authority = DevelopmentAuthority(RUN_SIGNING_DIR)
    authority.root()
    return authority


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker) -> Iterator[str]:
    """A real `celery worker` process on Redis, using the test database.

    Yields the worker's node name; the test must be transactional so the worker
    sees its rows. Tasks sent while the fixture is active go through Redis.
    """
    if missing_services(("postgres", "worker")):
        pytest.skip("the real worker needs PostgreSQL and Redis")
    queue = celery_app.conf.task_default_queue
    node = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = (
        os.environ
        | RUN_SECRETS
        | RUN_SIGNING
        | {
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_QUEUE": queue,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
    )
    log_path = BASE_DIR / "var" / f"{node.split('@')[0]}.log"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--hostname",
                node,
                "--queues",
                # The default queue and the linked chains' family queues.
                ",".join(worker_queues(queue)),
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while b"ready." not in log_path.read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield node
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def real_worker(celery_worker_process: str) -> Iterator[str]:
    """Send tasks through Redis to the real worker for this test."""
    celery_app.conf.task_always_eager = False
    yield celery_worker_process
    celery_app.conf.task_always_eager = True


# --- Personas ---------------------------------------------------------------------


@pytest.fixture
def tree(db):
    return district_tree()


@pytest.fixture
def unit_a(tree):
    """The commune people's committee (one-stop shop) of commune A."""
    return OrgUnitFactory(name="UBND xã An", admin_unit=tree["commune_a"])


@pytest.fixture
def unit_b(tree):
    return OrgUnitFactory(name="UBND xã Bình", admin_unit=tree["commune_b"])


@pytest.fixture
def district_unit(tree):
    return OrgUnitFactory(
        name="UBND huyện Thử",
        agency_type=AgencyType.DISTRICT_COMMITTEE,
        admin_unit=tree["district"],
    )


@pytest.fixture
def citizen(db):
    return CitizenFactory(full_name="Nguyễn Văn Công")


@pytest.fixture
def other_citizen(db):
    return CitizenFactory(full_name="Lê Thị Khác")


@pytest.fixture
def user_without_role(db):
    return UserFactory(username="khongvaitro")


@pytest.fixture
def officer(unit_a):
    return UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_a)


@pytest.fixture
def officer_other_commune(unit_b):
    return UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_b)


@pytest.fixture
def specialist(unit_a):
    return UserFactory(roles=[Role.SPECIALIST], org_unit=unit_a)


@pytest.fixture
def leader(unit_a):
    return UserFactory(roles=[Role.LEADER], org_unit=unit_a)


@pytest.fixture
def district_staff(district_unit):
    return UserFactory(roles=[Role.DISTRICT_STAFF], org_unit=district_unit)


@pytest.fixture
def admin_user(district_unit):
    return UserFactory(
        roles=[Role.ADMINISTRATOR],
        org_unit=district_unit,
        is_staff=True,
        is_superuser=True,
    )


# --- Cache ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):
    """Rate-limit counters of one test never reach another (same backend, Redis in
    CI, under a key prefix of its own: clearing Redis would hit other users).
    Every suite logs in and tracks dossiers from 127.0.0.1, so this is global."""
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for name, config in settings.CACHES.items()
    }


# --- Other agencies' systems --------------------------------------------------------


@pytest.fixture(autouse=True)
def _registry_answers_at_once(settings):
    """The development population registry answers at once and never fails,
    unless a test turns its latency or failures on."""
    settings.POPULATION_REGISTRY_DEV_LATENCY_MS = 0
    settings.POPULATION_REGISTRY_DEV_FAILURE_RATE = 0.0
    # The development systems of the linked chains, likewise.
    settings.AGENCY_DEV_LATENCY_MS = 0
    settings.AGENCY_DEV_FAILURE_RATE = 0.0


# --- Staff login ------------------------------------------------------------------


@pytest.fixture
def login_staff():
    """`login_staff(client, user)`: a session that passed the password and TOTP
    steps, as staff_required demands (a confirmed device is created if needed)."""
    return login_with_otp


@pytest.fixture
def staff_client(client, officer):
    """A client logged in as `officer`, with a verified TOTP session."""
    login_with_otp(client, officer)
    return client


@pytest.fixture
def compiled_reads(monkeypatch):
    """`with compiled_reads() as models:` the model of every read the ORM compiles
    inside the block (reads compiled once per process compile none the second
    time: portal.db.PreparedRead)."""
    import contextlib

    from django.db.models.sql.compiler import SQLCompiler

    @contextlib.contextmanager
    def watching() -> Iterator[list[Any]]:
        models: list[Any] = []
        as_sql = SQLCompiler.as_sql

        def counting(compiler, *args, **kwargs):
            models.append(compiler.query.model)
            return as_sql(compiler, *args, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(SQLCompiler, "as_sql", counting)
            yield models

    return watching


@pytest.fixture
def people(citizen, officer, specialist, leader, unit_a):
    """The actors `make_dossier` takes, at commune A's one-stop shop."""
    return {
        "applicant": citizen,
        "unit": unit_a,
        "officer": officer,
        "specialist": specialist,
        "leader": leader,
    }
