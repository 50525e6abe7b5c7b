"""Drills through gunicorn: PostgreSQL restarted under a submission load, and a
disk that fills up during an upload."""

import collections
import os
import shutil
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests
from django.db import connection
from django.db.models import Count

from dossiers.models import Attachment, Dossier
from dossiers.services import dossier_submit
from tests.dossiers.factories import PDF_BYTES

from . import infra
from .chains import World

SUBMIT_URL = f"{infra.WEB_URL}/api/v1/dossiers/"


class Client(threading.Thread):
    """A program filing dossiers through the API as fast as it can; on a 503 it
    waits what Retry-After says and sends the same submission again (same
    Idempotency-Key)."""

    def __init__(self, world: World, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.world = world
        self.stop_event = stop
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {world.token}"
        self.answers: list[dict[str, Any]] = []
        self.created: dict[str, str] = {}  # idempotency key -> dossier code

    def run(self) -> None:
        while not self.stop_event.is_set():
            key = uuid.uuid4().hex
            while not self.stop_event.is_set():
                if self.submit(key):
                    break

    def submit(self, key: str) -> bool:
        body = {
            "procedure": self.world.simple.code,
            "unit": self.world.committee.agency_code,
            "data": {"full_name": f"Khách {key[:6]}"},
        }
        sent = time.monotonic()
        try:
            response = self.session.post(
                SUBMIT_URL, json=body, headers={"Idempotency-Key": key}, timeout=30
            )
        except requests.RequestException as exc:
            self.answers.append({"status": type(exc).__name__, "at": time.monotonic()})
            time.sleep(0.5)
            return False
        answer = {
            "status": response.status_code,
            "at": time.monotonic(),
            "seconds": time.monotonic() - sent,
            "retry_after": response.headers.get("Retry-After"),
            "content_type": response.headers.get("Content-Type", ""),
        }
        self.answers.append(answer)
        if response.status_code == 201:
            self.created[key] = response.json()["code"]
            return True
        if response.status_code == 503:
            time.sleep(float(answer["retry_after"] or 1))
            return False
        # Anything else is a finding: recorded, and the next submission goes on.
        return True


def _probe(path: str, **headers: str) -> dict[str, Any]:
    start = time.monotonic()
    try:
        response = requests.get(f"{infra.WEB_URL}{path}", headers=headers, timeout=10)
    except requests.RequestException as exc:
        return {"status": type(exc).__name__}
    return {
        "seconds": round(time.monotonic() - start, 2),
        "status": response.status_code,
        "retry_after": response.headers.get("Retry-After"),
        "text": response.text[:2000],
        "json": response.json()
        if response.headers.get("Content-Type", "").startswith("application/")
        else None,
    }


def postgres_restart(
    world: World, pg: infra.Postgres, *, clients: int = 4, down_seconds: float = 6
) -> dict[str, Any]:
    """4 clients file dossiers; after 4 s PostgreSQL is stopped the hard way
    (`pg_ctl -m immediate`: no checkpoint, as a crash), kept down `down_seconds`,
    started again (recovery from the WAL); the load goes on 8 s more."""
    stop = threading.Event()
    threads = [Client(world, stop) for _ in range(clients)]
    connection.close()
    for thread in threads:
        thread.start()
    time.sleep(4)
    pg.stop("immediate")
    stopped = time.monotonic()
    time.sleep(1)
    page = _probe("/", **{"Accept-Language": "vi"})
    health = _probe("/healthz")
    api = _probe("/api/v1/dossiers/", Authorization=f"Token {world.token}")
    time.sleep(max(0.0, down_seconds - (time.monotonic() - stopped)))
    pg.start()
    started = time.monotonic()
    time.sleep(8)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    connection.close()
    answers = [a for t in threads for a in t.answers]
    created = {k: c for t in threads for k, c in t.created.items()}
    statuses = collections.Counter(str(a["status"]) for a in answers)
    unavailable = [a for a in answers if a["status"] == 503]
    first_after = min(
        (a["at"] for a in answers if a["status"] == 201 and a["at"] > started),
        default=None,
    )
    found = Dossier.objects.filter(code__in=created.values()).count()
    doubled = (
        Dossier.objects.filter(idempotency_key__in=created)
        .values("idempotency_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    figures = {
        "requests": len(answers),
        "statuses": dict(statuses),
        "dossiers_acknowledged_201": len(created),
        "acknowledged_without_row": len(created) - found,
        "submissions_saved_twice": doubled,
        "server_errors_500": statuses.get("500", 0),
        "503_without_retry_after": sum(1 for a in unavailable if not a["retry_after"]),
        "503_api_not_problem_json": sum(
            1 for a in unavailable if a["content_type"] != "application/problem+json"
        ),
        "slowest_503_seconds": round(
            max((a["seconds"] for a in unavailable), default=0), 2
        ),
        "database_down_seconds": round(started - stopped, 1),
        "seconds_from_database_back_to_first_201": round(first_after - started, 2)
        if first_after
        else None,
        "page_while_down": {
            "status": page["status"],
            "seconds": page.get("seconds"),
            "retry_after": page.get("retry_after"),
            "vietnamese_first": "Hệ thống tạm thời gián đoạn" in page.get("text", ""),
        },
        "health_while_down": {
            "status": health["status"],
            "seconds": health.get("seconds"),
            "down": (health.get("json") or {}).get("down"),
        },
        "api_get_while_down": {
            "status": api["status"],
            "seconds": api.get("seconds"),
            "detail": (api.get("json") or {}).get("detail"),
        },
    }
    assert figures["acknowledged_without_row"] == 0, figures
    assert figures["submissions_saved_twice"] == 0, figures
    assert figures["server_errors_500"] == 0, figures
    assert figures["503_without_retry_after"] == 0, figures
    assert page["status"] == 503 and health["status"] == 503, figures
    assert "database" in (health.get("json") or {}).get("down", []), figures
    return figures


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def disk_full(world: World, media: Path, *, real_disk: bool) -> dict[str, Any]:
    """A citizen adds a 300 KB paper to their dossier (API) while the upload
    folder has 64 KB left: a tmpfs of 1 MB filled up, when the drill may mount
    one. Then the space comes back and the same upload goes through."""
    if not real_disk:
        return _disk_full_simulated(world)
    dossier = dossier_submit(
        applicant=world.citizen,
        procedure=world.simple,
        receiving_unit=world.committee,
        data={"full_name": "Người nộp tệp"},
    )
    filler = media / "filler"
    room = shutil.disk_usage(media).free - 64 * 1024
    with filler.open("wb") as handle:
        handle.write(b"\0" * room)
    before, free_before = _files(media), shutil.disk_usage(media).free
    paper = PDF_BYTES + b"0" * (300 * 1024)
    url = f"{infra.WEB_URL}/api/v1/dossiers/{dossier.code}/attachments/"
    headers = {"Authorization": f"Token {world.token}", "Accept-Language": "vi"}
    upload = {"file": ("giay-to.pdf", paper, "application/pdf")}

    full = requests.post(
        url,
        files=upload,
        data={"document_key": ""},
        headers=headers,
        timeout=60,
    )
    left = _files(media) - before
    free_after = shutil.disk_usage(media).free
    rows = Attachment.objects.filter(dossier=dossier).count()
    os.remove(filler)
    again = requests.post(
        url,
        files=upload,
        data={"document_key": ""},
        headers=headers,
        timeout=60,
    )
    figures = {
        "filesystem": "tmpfs 1 MB (real ENOSPC from the kernel)",
        "status_on_full_disk": full.status_code,
        "retry_after": full.headers.get("Retry-After"),
        "message": full.json().get("detail"),
        "attachment_rows_after_failure": rows,
        "files_left_behind": sorted(left),
        "bytes_lost": free_before - free_after,
        "status_once_space_is_back": again.status_code,
        "attachment_rows_after_retry": Attachment.objects.filter(
            dossier=dossier
        ).count(),
    }
    assert full.status_code == 503 and full.headers.get("Retry-After"), figures
    assert str(figures["message"]).startswith("Máy chủ tạm thời hết chỗ lưu tệp")
    assert rows == 0 and not left and free_before == free_after, figures
    assert again.status_code == 201, figures
    return figures


def _disk_full_simulated(world: World) -> dict[str, Any]:
    """Where no filesystem can be mounted: the unit test's nearly-full storage
    (tests/dossiers/test_disk_full.py) inside this process, through the API."""
    import tempfile

    from django.test.utils import override_settings
    from rest_framework.test import APIClient

    from tests.dossiers.test_disk_full import NearlyFullDisk

    root = Path(tempfile.mkdtemp(prefix="drills-disk-"))
    field = Attachment._meta.get_field("file")
    original = field.storage
    field.storage = NearlyFullDisk(root, room=64 * 1024)
    try:
        dossier = dossier_submit(
            applicant=world.citizen,
            procedure=world.simple,
            receiving_unit=world.committee,
            data={"full_name": "Người nộp tệp"},
        )
        client = APIClient()
        client.force_authenticate(world.citizen)
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            response = client.post(
                f"/api/v1/dossiers/{dossier.code}/attachments/",
                {
                    "file": _named(PDF_BYTES + b"0" * (300 * 1024)),
                    "document_key": "",
                },
                format="multipart",
            )
        figures = {
            "filesystem": "simulated: a storage raising ENOSPC after 64 KB",
            "status_on_full_disk": response.status_code,
            "retry_after": response.headers.get("Retry-After"),
            "message": response.json().get("detail"),
            "attachment_rows_after_failure": dossier.attachments.count(),
            "files_left_behind": sorted(_files(root)),
        }
    finally:
        field.storage = original
        shutil.rmtree(root, ignore_errors=True)
    assert figures["status_on_full_disk"] == 503, figures
    assert not figures["files_left_behind"], figures
    return figures


def _named(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("giay-to.pdf", data, content_type="application/pdf")
