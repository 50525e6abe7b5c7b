"""Fault drills (`make drills`; docs/reliability.md): each drill breaks something
on purpose under load and prints what was lost (nothing) and how long recovery
took. Everything runs on private services the drill starts and tears down:
PostgreSQL on 5441, Redis on 6391, gunicorn on 8141, Celery workers on queue
`drills`; the shared servers are never stopped, restarted or flushed.

    .venv/bin/python -m scripts.drills [--only worker_sigkill,redis_flush,...]
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import infra

DRILLS = [
    "worker_sigkill",
    "redis_flush",
    "postgres_restart",
    "disk_full",
    "national_sync",
]


def _commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=infra.BASE_DIR,
        capture_output=True,
        text=True,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=infra.BASE_DIR,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return result.stdout.strip() + ("+changes" if dirty else "")


def _world(env: dict[str, str]) -> Any:
    """The district, its agencies, a citizen with an API token, two procedures."""
    from accounts.services import api_token_create
    from procedures.services import catalogue_load_reference
    from tests.accounts.factories import CitizenFactory
    from tests.chains.conftest import make_agencies
    from tests.procedures.factories import ProcedureFactory
    from tests.units.factories import OrgUnitFactory, district_tree

    from .chains import World

    catalogue_load_reference(overwrite=True)
    tree = district_tree()
    committee = OrgUnitFactory(name="UBND xã An", admin_unit=tree["commune_a"])
    make_agencies(tree, committee)
    citizen = CitizenFactory(full_name="Nguyễn Văn Diễn Tập")
    return World(
        citizen=citizen,
        committee=committee,
        token=api_token_create(user=citizen),
        simple=ProcedureFactory(),
        paid=ProcedureFactory(fee_online_vnd=50_000),
        env=env,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(DRILLS))
    args = parser.parse_args(argv)
    chosen = [name for name in args.only.split(",") if name]
    unknown = set(chosen) - set(DRILLS)
    if unknown:
        parser.error(f"unknown drills: {', '.join(sorted(unknown))}")

    # A TERM (CI timeout, Ctrl-C) still tears everything down.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    shutil.rmtree(infra.LOG_DIR, ignore_errors=True)
    infra.LOG_DIR.mkdir(parents=True)
    root = Path(tempfile.mkdtemp(prefix="portal-drills-"))
    media, uploads = root / "media", root / "uploads"
    media.mkdir()
    pg, redis = infra.Postgres(root), infra.Redis()
    web: infra.Process | None = None
    real_disk = False
    results: dict[str, Any] = {}
    started = time.monotonic()
    try:
        pg.init()
        redis.start()
        real_disk = infra.mount_tmpfs(uploads, "1m")
        infra.manage(infra.portal_env(), "migrate", "--noinput")
        # This process plays the citizens, the payer and beat.
        os.environ.update(
            infra.portal_env(
                MEDIA_ROOT=str(media),
                CHAIN_REQUEUE_AFTER_SECONDS="2",
                CHAIN_STEP_LEASE_SECONDS="4",
                PAYMENT_RECONCILE_AFTER_MINUTES="0",
                PAYGATE_CALLBACK_DELAY_MIN_SECONDS="20",
                PAYGATE_CALLBACK_DELAY_MAX_SECONDS="25",
                **infra.NATIONAL_ENV,
            )
        )
        import django

        django.setup()
        from . import chains
        from . import national as national_drills
        from . import web as web_drills

        world = _world(infra.portal_env(MEDIA_ROOT=str(media), **chains.WORKER_ENV))
        web = infra.gunicorn(infra.portal_env(MEDIA_ROOT=str(uploads)))
        runs: dict[str, Callable[[], dict[str, Any]]] = {
            "worker_sigkill": lambda: chains.worker_sigkill(world),
            "redis_flush": lambda: chains.redis_flush(world, redis),
            "postgres_restart": lambda: web_drills.postgres_restart(world, pg),
            "disk_full": lambda: web_drills.disk_full(
                world, uploads, real_disk=real_disk
            ),
            "national_sync": lambda: national_drills.national_sync(world, redis),
        }
        for name in chosen:
            print(f"--- drill {name} ...", flush=True)
            begin = time.monotonic()
            try:
                figures = runs[name]()
                outcome = "passed"
            except Exception:
                figures = {"error": traceback.format_exc()}
                outcome = "FAILED"
            figures["drill_seconds"] = round(time.monotonic() - begin, 1)
            results[name] = {"outcome": outcome, **figures}
            print(f"{name}: {outcome}")
            print(json.dumps(figures, ensure_ascii=False, indent=2), flush=True)
    finally:
        if web is not None:
            web.stop()
        redis.stop()
        if pg.running():
            pg.stop("fast")
        if real_disk:
            infra.unmount(uploads)
        shutil.rmtree(root, ignore_errors=True)

    report = {
        "commit": _commit(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "total_seconds": round(time.monotonic() - started, 1),
        "drills": results,
    }
    (infra.LOG_DIR / "results.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2)
    )
    failed = [name for name, r in results.items() if r["outcome"] != "passed"]
    print(
        f"=== drills on {report['commit']}: {len(results) - len(failed)} passed, "
        f"{len(failed)} failed, {report['total_seconds']} s "
        f"(figures: var/drills/results.json; logs: var/drills/)"
    )
    return 1 if failed or len(results) < len(chosen) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
