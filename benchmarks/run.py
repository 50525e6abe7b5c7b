"""`make bench`: prepare the data, start gunicorn and a Celery worker, measure
each hot path beside its bare baseline, print the table and write
docs/benchmarks.md. `python -m benchmarks.run [--quick] [--no-write]`.

Environment: BENCH_DB (default portal_bench_data; the 50k and 5M levels are
BENCH_DB_50k and BENCH_DB_5m), BENCH_PG (postgres://postgres@127.0.0.1:5432),
BENCH_REDIS (redis://127.0.0.1:6379/3), BENCH_QUEUE (bench), BENCH_PORT (8130),
BENCH_VAR (var/bench: logs and the metrics directory).
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import load, report
from scripts.drills.processes import stop_group

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VAR = Path(os.environ.get("BENCH_VAR", ROOT / "var" / "bench"))

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "portal_bench_data")
DB_50K = f"{DB}_50k"
DB_5M = f"{DB}_5m"
DB_IMPORT = f"{DB}_import"
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/3")
QUEUE = os.environ.get("BENCH_QUEUE", "bench")
PORT = int(os.environ.get("BENCH_PORT", "8130"))
WEB_WORKERS = 2
SUMMARY_QUERY = "unit=359&from={year}-01-01&to={today}"


def log(message: str) -> None:
    print(message, flush=True)


def env_for(db: str, **extra: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": f"{PG}/{db}",
        "REDIS_URL": REDIS,
        "CELERY_QUEUE": QUEUE,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DEMO_MODE": "1",
        "BENCH_ENABLED": "1",
        "SECRET_KEY": "bench-only-secret-key-not-for-any-deployment-0123456789",
        # DEBUG off refuses the public development values, demo or not.
        "PAYMENT_GATEWAY_SECRET": "bench-only-payment-secret-0123456789",
        "OIDC_CLIENT_SECRET": "bench-only-oidc-client-secret-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "THROTTLE_TRACK": "100000000/min",
        "LOG_LEVEL": "WARNING",
        # No mail server here: with the default SMTP backend every e-mail failed
        # and came back as a delayed retry on the worker during the measures.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # The national portal's twin stands for a remote system, as the agencies'
        # development systems do, whose simulated latency is 0 with DEBUG off: a
        # delivery's 20 ms of sleep per event held a worker slot doing nothing
        # (17 events, 0.34 s a birth chain), which measures no work of ours.
        "NATIONAL_DEV_LATENCY_MS": "0",
        "PROMETHEUS_MULTIPROC_DIR": str(VAR / "prometheus"),
        **extra,
    }


def psql(sql: str, db: str = "postgres") -> str:
    done = subprocess.run(
        ["psql", f"{PG}/{db}", "-v", "ON_ERROR_STOP=1", "-Atc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def db_exists(db: str) -> bool:
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"


def db_create(db: str, template: str | None = None) -> None:
    psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    suffix = f' TEMPLATE "{template}"' if template else ""
    psql(f'CREATE DATABASE "{db}"{suffix}')


def manage(db: str, *args: str) -> str:
    # The metrics directory of env_for(), which gunicorn() makes afresh: with
    # --no-prepare the fixtures run before any gunicorn.
    (VAR / "prometheus").mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=env_for(db),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare_step(db: str, *args: str) -> None:
    out = manage(db, "-m", "benchmarks.prepare", *args)
    for line in out.splitlines():
        if line.startswith("  "):
            log(line)


def stamp_ok(db: str, level: str, version: str) -> bool:
    if not db_exists(db):
        return False
    return manage(db, "-m", "benchmarks.prepare", "stamp-get").strip() == (
        f"{version}|{level}"
    )


def prepare(targets: dict[str, int]) -> dict[str, float]:
    """The three levels, each reused when its stamp matches; returns times."""
    version = manage(
        DB_50K if db_exists(DB_50K) else "postgres",
        "-m",
        "benchmarks.prepare",
        "version",
    ).strip()
    times: dict[str, float] = {}
    chain = [(DB_50K, "50k", None), (DB, "1m", DB_50K), (DB_5M, "5m", DB)]
    rebuilt = False
    for db, level, template in chain:
        started = time.monotonic()
        if not rebuilt and stamp_ok(db, level, version):
            # Brought to the code's migrations (an added index, a column):
            # far cheaper than seeding again.
            manage(db, "manage.py", "migrate", "--noinput", "--verbosity", "0")
            log(f"{db}: reused ({level}), migrated")
            continue
        rebuilt = True
        log(f"{db}: building ({level})")
        db_create(db, template)
        if template is None:
            prepare_step(db, "base")
        else:
            prepare_step(db, "grow", str(targets[level]))
        prepare_step(db, "stamp", level)
        times[level] = time.monotonic() - started
        log(f"{db}: ready in {times[level]:.0f} s")
    return times


@contextmanager
def process(command: list[str], env: dict[str, str], name: str) -> Iterator[Any]:
    VAR.mkdir(parents=True, exist_ok=True)
    with (VAR / f"{name}.log").open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            stop_group(proc)


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            # Answering (the health page says 503 while no worker runs).
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


@contextmanager
def gunicorn(db: str, port: int, workers: int = WEB_WORKERS) -> Iterator[Any]:
    prom = VAR / "prometheus"
    subprocess.run(["rm", "-rf", str(prom)], check=True)
    prom.mkdir(parents=True)
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
    ]
    with process(command, env_for(db), f"gunicorn-{port}") as proc:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        yield proc


@contextmanager
def celery_worker(db: str) -> Iterator[Any]:
    sys.path.insert(0, str(ROOT))
    queues = [
        QUEUE,
        *(
            f"{QUEUE}.{f}"
            for f in ("civil_status", "residence", "social_affairs", "social_insurance")
        ),
    ]
    command = [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--queues",
        ",".join(queues),
        "--concurrency",
        "2",
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "--hostname",
        f"bench-{os.getpid()}@localhost",
    ]
    with process(command, env_for(db), "celery") as proc:
        time.sleep(4)
        yield proc


def fixtures(db: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(manage(db, "-m", "benchmarks.fixtures"))
    return out


def measure(base: str, paths: list[str], seconds: float, **kwargs: Any) -> load.Result:
    """A short warm-up, then the measured run."""
    load.run(base, paths, seconds=2, **kwargs)
    return load.run(base, paths, seconds=seconds, **kwargs)


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(master)],
        capture_output=True,
        text=True,
    ).stdout
    return [int(p) for p in out.split()]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def machine() -> dict[str, str]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = subprocess.run(
        # docs/ is what the bench writes, not what it measures.
        ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    redis_version = subprocess.run(
        ["redis-cli", "-u", REDIS, "info", "server"],
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"redis_version:(\S+)", redis_version)
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{int(mem) / 1024 / 1024:.0f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": psql("SHOW server_version"),
        "redis": match.group(1) if match else "?",
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": Path("/proc/loadavg").read_text().split()[0],
    }


def bare_inserts_delete() -> None:
    """The bare INSERT's rows (thousands a run, "submitted" at the bench's
    commune) out of the database again: kept, they filled the officer's open
    queue run after run (24,000 of its 25,000 open dossiers after a few runs)."""
    psql("DELETE FROM dossiers_dossier WHERE code LIKE 'BENCH-%'", DB)


# What the web cases file through the API (a few hundred dossiers a run at the
# officer's commune, with their events, fees, facts, outbox entries and the
# officers' notifications) is deleted after the run's measures, so that the next
# run measures the same queue: kept, they grew it run after run (about 3,000 open
# dossiers more after one session's runs). Filed dossiers count in no dashboard
# figure before they are received.
FILED_TABLES = ("dossiers_dossier", "notifications_notification")


def high_marks(db: str) -> dict[str, int]:
    return {
        table: int(psql(f"SELECT coalesce(max(id), 0) FROM {table}", db))
        for table in FILED_TABLES
    }


# Single-column foreign keys: referred table, referring table, its column, the
# referred column.
FOREIGN_KEYS_SQL = (
    "SELECT c.confrelid::regclass::text, c.conrelid::regclass::text, a.attname, "
    "r.attname FROM pg_constraint c "
    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
    "JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1] "
    "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1"
)

Keys = dict[str, list[tuple[str, str, str]]]


def foreign_keys(rows: list[tuple[str, ...]]) -> Keys:
    """{table: [(table referring to it, its column, the column referred to)]}."""
    keys: Keys = {}
    for parent, child, column, referred in rows:
        keys.setdefault(parent, []).append((child, column, referred))
    return keys


def deletes(table: str, where: str, keys: Keys, depth: int = 0) -> list[str]:
    """DELETE statements for `table`'s rows matching `where` and, first, every
    row referring to them, followed down the foreign keys (a table's references
    to itself left out)."""
    if depth > 8:
        raise RuntimeError(f"foreign keys deeper than 8 tables below {table}")
    statements = []
    for child, column, referred in keys.get(table, []):
        if child != table:
            rows = f"{column} IN (SELECT {referred} FROM {table} WHERE {where})"
            statements += deletes(child, rows, keys, depth + 1)
    return [*statements, f"DELETE FROM {table} WHERE {where}"]


def filed_statements(
    keys: Keys, before: dict[str, int], after: dict[str, int]
) -> list[str]:
    """The dossiers filed between the marks (still submitted: none counted yet)
    and the notifications made meanwhile, with every row referring to them."""
    marks = {t: f"id > {before[t]} AND id <= {after[t]}" for t in FILED_TABLES}
    dossiers = f"{marks['dossiers_dossier']} AND status = 'submitted'"
    return deletes("dossiers_dossier", dossiers, keys) + deletes(
        "notifications_notification", marks["notifications_notification"], keys
    )


def filed_delete(db: str, before: dict[str, int], after: dict[str, int]) -> None:
    rows = [tuple(line.split("|")) for line in psql(FOREIGN_KEYS_SQL, db).splitlines()]
    statements = filed_statements(foreign_keys(rows), before, after)
    psql("BEGIN; " + "; ".join(statements) + "; COMMIT", db)


def web_cases(fx: dict[str, Any], base: str, seconds: float) -> list[report.Row]:
    # Those of an interrupted run, before the queue is measured.
    bare_inserts_delete()
    cookie = {"Cookie": fx["officer_cookie"]}
    rows = []
    track = [
        "/track/?" + urllib.parse.urlencode({"code": c, "phone_last4": p})
        for c, p in fx["track"]
    ]
    select_track = [
        "/bench/select/?" + urllib.parse.urlencode({"code": c}) for c, _p in fx["track"]
    ]
    app = measure(base, track, seconds)
    bare = measure(base, select_track, seconds)
    rows.append(report.Row.throughput("public tracking (page), 1M", app, bare, 0.3))
    detail = [f"/dossiers/{urllib.parse.quote(c)}/" for c in fx["detail"]]
    select_detail = [
        "/bench/select/?" + urllib.parse.urlencode({"code": c}) for c in fx["detail"]
    ]
    app = measure(base, detail, seconds, headers=cookie)
    bare = measure(base, select_detail, seconds)
    rows.append(report.Row.throughput("dossier detail (officer), 1M", app, bare, 0.2))
    queue = ["/staff/dossiers/", "/staff/dossiers/?status=received"]
    raw_queue = [
        f"/bench/queue/?user={fx['officer']}",
        f"/bench/queue/?user={fx['officer']}&status=received",
    ]
    app = measure(base, queue, seconds, headers=cookie)
    bare = measure(base, raw_queue, seconds)
    rows.append(
        report.Row.queue("officer queue (page, filters), 1M", app, bare, 50, 0.5)
    )
    body = json.dumps(fx["submit"], ensure_ascii=False)
    app = measure(
        base,
        ["/api/v1/dossiers/"],
        seconds,
        method="POST",
        body=body,
        headers={
            "Authorization": f"Token {fx['citizen_token']}",
            "Content-Type": "application/json",
        },
    )
    insert = "/bench/insert/?" + urllib.parse.urlencode(fx["insert"])
    bare = measure(base, [insert], seconds, method="POST", body='{"a": 1}')
    bare_inserts_delete()
    rows.append(report.Row.throughput("submission (API), 1M", app, bare, 0.25))
    return rows


def summary_case(
    fx: dict[str, Any], base: str, seconds: float
) -> tuple[load.Result, load.Result]:
    today = datetime.date.today()
    query = SUMMARY_QUERY.format(year=today.year, today=today.isoformat())
    auth = {"Authorization": f"Token {fx['stats_token']}"}
    app = measure(base, [f"/api/v1/stats/summary/?{query}"], seconds, headers=auth)
    naive = measure(base, [f"/bench/naive-summary/?{query}"], seconds, connections=2)
    return app, naive


def rss_case(db: str, fx: dict[str, Any]) -> report.Row:
    """One worker: its RSS after 100 requests, then after 10,000 (tracking
    pages, every tenth an officer's dossier page)."""
    port = PORT + 1
    base = f"http://127.0.0.1:{port}"
    paths = []
    for index, (code, phone) in enumerate(fx["track"][:900]):
        query = urllib.parse.urlencode({"code": code, "phone_last4": phone})
        paths.append(f"/track/?{query}")
        if index % 9 == 0:
            detail = fx["detail"][index % len(fx["detail"])]
            paths.append(f"/dossiers/{urllib.parse.quote(detail)}/")
    cookie = {"Cookie": fx["officer_cookie"]}
    with gunicorn(db, port, workers=1) as master:
        pid = worker_pids(master.pid)[0]
        for path in paths[:100]:
            # Loopback http only.
            request = urllib.request.Request(base + path, headers=cookie)  # noqa: S310
            with urllib.request.urlopen(request, timeout=30):  # noqa: S310
                pass
        after_100 = rss_mb(pid)
        done = 100
        while done < 10_000:
            # wrk closes its connections at the end of each run.
            done += load.run(
                base, paths, seconds=30, connections=1, headers=cookie
            ).requests
        after_10k = rss_mb(pid)
        assert worker_pids(master.pid) == [pid], "the worker was replaced"  # noqa: S101
    return report.Row.memory(after_100, after_10k, done)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="3 s per measure")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated parts")
    parser.add_argument(
        "--no-prepare", action="store_true", help="use the databases as they are"
    )
    args = parser.parse_args()
    seconds = 3.0 if args.quick else 8.0
    only = set(filter(None, args.only.split(",")))

    def wanted(part: str) -> bool:
        return not only or part in only

    started = time.monotonic()
    info = machine()
    log(f"bench: {info['commit']} on {info['cpu']} ({info['cores']} cores)")
    prep_times = {} if args.no_prepare else prepare({"1m": 1_000_000, "5m": 5_000_000})
    rows: list[report.Row] = []
    notes: dict[str, Any] = {"prep": prep_times}
    subprocess.run(
        ["redis-cli", "-u", REDIS, "flushdb"],
        check=True,
        capture_output=True,
    )
    base = f"http://127.0.0.1:{PORT}"
    # The chain part files its own dossiers: only the pages need the fixtures.
    filed_before = high_marks(DB)
    fx = fixtures(DB) if wanted("web") or wanted("rss") else {}
    filed_after = filed_before
    counts = {
        level: int(psql("SELECT count(*) FROM dossiers_dossier", db))
        for level, db in (("50k", DB_50K), ("1m", DB), ("5m", DB_5M))
    }
    notes["counts"] = counts
    with celery_worker(DB), gunicorn(DB, PORT):
        if wanted("web"):
            rows += web_cases(fx, base, seconds)
            filed_after = high_marks(DB)
            for row in rows:
                log(report.line(row))
        if wanted("chain"):
            out = manage(DB, "-m", "benchmarks.chains")
            for row in report.rows_from_json(out):
                rows.append(row)
                log(report.line(row))
    # The worker stopped: nothing refers to them any more while they go.
    filed_delete(DB, filed_before, filed_after)
    if wanted("rss"):
        rows.append(rss_case(DB, fx))
        log(report.line(rows[-1]))
    if wanted("dashboard"):
        with gunicorn(DB_50K, PORT + 2):
            small, naive_small = summary_case(
                fixtures(DB_50K), f"http://127.0.0.1:{PORT + 2}", seconds
            )
        with gunicorn(DB_5M, PORT + 3):
            big, naive_big = summary_case(
                fixtures(DB_5M), f"http://127.0.0.1:{PORT + 3}", seconds
            )
        rows += report.Row.dashboard(small, naive_small, big, naive_big, counts)
        for row in rows[-3:]:
            log(report.line(row))
    if wanted("import"):
        from benchmarks import importing

        rows.append(
            importing.bench(
                psql=psql,
                db_create=db_create,
                dsn_for=lambda db: f"{PG}/{db}",
                manage=manage,
                template=DB_50K,
                scratch=DB_IMPORT,
                rows=100_000 if args.quick else 1_000_000,
                var=VAR,
            )
        )
        log(report.line(rows[-1]))
    notes["total_seconds"] = time.monotonic() - started
    info["load_after"] = Path("/proc/loadavg").read_text().split()[0]
    print()
    print(report.table(rows))
    print(f"\nmake bench: {notes['total_seconds'] / 60:.1f} min")
    if not args.no_write:
        report.write_docs(ROOT / "docs" / "benchmarks.md", info, rows, notes)
        log("docs/benchmarks.md written")


if __name__ == "__main__":
    main()
