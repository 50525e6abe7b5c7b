"""The drills' own services: a throwaway PostgreSQL cluster, a Redis server, a
gunicorn and Celery workers, all on private ports and torn down at the end. The
shared servers (PostgreSQL 5432, Redis 6379) are never touched."""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from .processes import kill_group, stop_group

BASE_DIR = Path(__file__).resolve().parents[2]
PG_PORT = 5441
REDIS_PORT = 6391
WEB_PORT = 8141
DB_NAME = "portal_drills"
QUEUE = "drills"
LOG_DIR = BASE_DIR / "var" / "drills"
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
WEB_URL = f"http://127.0.0.1:{WEB_PORT}"


def wait_for(
    condition: Callable[[], bool], *, timeout: float, what: str, every: float = 0.1
) -> float:
    """Poll until `condition` holds; the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(every)
    return time.monotonic() - start


# The national portal's outbox on in every process of the drills (the drills'
# process writes the events, the workers deliver them), with a twin slow enough to
# have events in flight when a worker dies, and short waits (drills/national.py).
NATIONAL_ENV = {
    "NATIONAL_PORTAL_BACKEND": "national.adapters.DevelopmentNationalPortal",
    "NATIONAL_DEV_LATENCY_MS": "40",
    "NATIONAL_SYNC_BACKOFF_SECONDS": "0.3",
    "NATIONAL_SYNC_BACKOFF_MAX_SECONDS": "2",
    "NATIONAL_SYNC_MAX_ATTEMPTS": "30",
    "NATIONAL_SYNC_REQUEUE_AFTER_SECONDS": "2",
}


def portal_env(**extra: str) -> dict[str, str]:
    """The environment of every portal process of the drills: the private
    services, production settings (DEBUG off) without TLS."""
    return (
        dict(os.environ)
        | {
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "CELERY_QUEUE": QUEUE,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": "drills-only-" + "x" * 40,
            # Not the public development values, which DEBUG off refuses; the
            # sandbox platform signs with the portal's payment secret.
            "PAYMENT_GATEWAY_SECRET": "drills-only-payment-" + "x" * 32,
            "OIDC_CLIENT_SECRET": "drills-only-oidc-" + "x" * 32,
            # DEBUG off refuses development signing keys too (signing/checks.py):
            # results are signed through the remote interface by the drills' own
            # authority, as the test suite's workers sign (tests/signing/service.py).
            "SIGNATURE_BACKEND": "remote",
            "SIGNATURE_REMOTE_SERVICE": "tests.signing.service.RunSigningService",
            "SIGNATURE_DIR": str(LOG_DIR / "signing"),
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "PORT": str(WEB_PORT),
            "PORTAL_URL": WEB_URL,
            "PAYGATE_ENABLED": "1",
            "PAYMENT_GATEWAY_URL": f"{WEB_URL}/paygate/",
            "PAYGATE_CALLBACK_LOSS_RATE": "0",
            "AGENCY_DEV_FAILURE_RATE": "0",
            "POPULATION_REGISTRY_DEV_FAILURE_RATE": "0",
            "UNAVAILABLE_RETRY_AFTER_SECONDS": "2",
            "LOG_FORMAT": "json",
        }
        | extra
    )


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return path


class Postgres:
    """A cluster in a temporary folder. initdb refuses root: as root it runs as
    the `postgres` system user."""

    def __init__(self, root: Path) -> None:
        self.root = root / "pg"
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True)

    def init(self) -> None:
        self.root.mkdir(parents=True)
        if self.as_user:
            shutil.chown(self.root.parent, "postgres", "postgres")
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            _pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
        )
        self.start()
        subprocess.run(
            [
                _pg_bin("createdb"),
                *("-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres"),
                DB_NAME,
            ],
            check=True,
        )

    def start(self) -> None:
        options = f"-p {PG_PORT} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run(
            _pg_bin("pg_ctl"),
            *("-D", str(self.data), "-o", options, "-l", str(self.log)),
            *("-w", "-t", "60", "start"),
        )

    def stop(self, mode: str = "fast") -> None:
        """`immediate` is a crash: no checkpoint, recovery from the WAL at start."""
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


class Redis:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (LOG_DIR / "redis.log").open("ab")
        self.proc = subprocess.Popen(
            [
                "redis-server",
                *("--port", str(REDIS_PORT), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self.ping, timeout=20, what="Redis")

    def ping(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True
        )
        return result.stdout.strip() == b"PONG"

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), *args], capture_output=True
        )
        return result.stdout.decode().strip()

    def flush_and_stop(self) -> None:
        """Every message gone, as after a restart without persistence."""
        self.cli("FLUSHALL")
        self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None


class Process:
    """A portal process (gunicorn, celery worker) in its own process group, so
    that SIGKILL takes its children (the pool) with it, as a lost machine does."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = LOG_DIR / f"{name}.log"

    def start(self, ready: Callable[[], bool], timeout: float = 90) -> "Process":
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        proc = self.proc

        def up() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log_path}")
            return ready()

        wait_for(up, timeout=timeout, what=self.name, every=0.2)
        return self

    def kill(self) -> None:
        """SIGKILL to the process and its pool: no goodbye, no acknowledgement."""
        kill_group(self.proc)

    def stop(self) -> None:
        stop_group(self.proc)


def worker(env: dict[str, str]) -> Process:
    """A `celery worker` on the drills' queues (the default and each family's)."""
    node = f"drills-{uuid.uuid4().hex[:6]}"
    families = ["civil_status", "residence", "social_affairs", "social_insurance"]
    queues = ",".join([QUEUE, *(f"{QUEUE}.{family}" for family in families)])
    process = Process(
        node,
        [
            *(sys.executable, "-m", "celery", "-A", "portal", "worker"),
            *("--hostname", f"{node}@localhost", "--queues", queues),
            *("--concurrency", "4", "--loglevel", "INFO"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        env,
    )
    return process.start(lambda: b"ready." in process.log_path.read_bytes())


def gunicorn(env: dict[str, str]) -> Process:
    import urllib.error
    import urllib.request

    def answers() -> bool:
        try:
            urllib.request.urlopen(f"{WEB_URL}/healthz", timeout=2)
        except urllib.error.HTTPError:
            return True  # it answers, even if something is down
        except OSError:
            return False
        return True

    process = Process(
        "gunicorn",
        [
            *(sys.executable, "-m", "gunicorn", "portal.wsgi"),
            *("--bind", f"127.0.0.1:{WEB_PORT}", "--workers", "3", "--timeout", "60"),
        ],
        env,
    )
    return process.start(answers)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )


def mount_tmpfs(path: Path, size: str) -> bool:
    """A tiny real filesystem for the disk-full drill; False where mounting is
    not allowed (not root, no CAP_SYS_ADMIN)."""
    path.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
    )
    return result.returncode == 0


def unmount(path: Path) -> None:
    subprocess.run(["umount", str(path)], capture_output=True)
