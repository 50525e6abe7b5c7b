"""The National Public Service Portal's interface, chosen by a setting.

`NATIONAL_PORTAL_BACKEND` is a dotted path to a `NationalPortal` class, or empty:
a portal not connected to the national one keeps no outbox at all. The bundled
`DevelopmentNationalPortal` (the twin, `/dvcqg-sandbox/`) is the default with
DEBUG or DEMO_MODE; a real connection is a class of a deployment's own
(docs/national-portal.md says what it needs and what is not verified).

A call answers, raises `AgencyUnavailable` (not known whether it was applied: send
again with the same key) or `AgencyRefused` (the national side looked at it and
said no). The same key sent twice is applied once.
"""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string

from agencies.adapters import AgencyRefused, AgencyUnavailable
from agencies.adapters.development import DevelopmentSystem, fault_take

T = TypeVar("T")

__all__ = [
    "AgencyRefused",
    "AgencyUnavailable",
    "DevelopmentNationalPortal",
    "NationalPortal",
    "StoreFile",
    "StorePaper",
    "national_portal",
]


@dataclass(frozen=True)
class StorePaper:
    """A paper of a citizen's e-document store on the national portal."""

    reference: str
    title: str
    doc_type: str
    number: str = ""
    issued_by: str = ""
    issued_on: datetime.date | None = None


@dataclass(frozen=True)
class StoreFile:
    """A paper of the store with its file."""

    paper: StorePaper
    content_type: str
    content: bytes


class NationalPortal:
    """What the portal asks of the national one."""

    def status_send(self, *, key: str, payload: dict[str, Any]) -> None:
        """Tell the national portal one event of a dossier (idempotent by `key`)."""
        raise NotImplementedError

    def store_list(self, *, personal_id: str) -> list[StorePaper]:
        """The papers of the citizen's e-document store there."""
        raise NotImplementedError

    def store_fetch(self, *, personal_id: str, reference: str) -> StoreFile:
        """One paper of the citizen's store with its file; AgencyRefused when the
        reference is not one of the citizen's papers."""
        raise NotImplementedError

    def store_push(
        self,
        *,
        key: str,
        personal_id: str,
        title: str,
        doc_type: str,
        content_type: str,
        content: bytes,
        number: str = "",
        issued_by: str = "",
        issued_on: datetime.date | None = None,
    ) -> str:
        """Put a paper (a returned result) into the citizen's store; its
        reference there. Idempotent by `key`."""
        raise NotImplementedError


def _paper(row: Any) -> StorePaper:
    return StorePaper(
        reference=row.reference,
        title=row.title,
        doc_type=row.doc_type,
        number=row.number,
        issued_by=row.issued_by,
        issued_on=row.issued_on,
    )


class DevelopmentNationalPortal(DevelopmentSystem, NationalPortal):
    """The twin: keeps what it receives (TwinReceipt), answers after a delay,
    fails as AgencyFault rows of system "national" script it."""

    system = "national"
    latency_setting = "NATIONAL_DEV_LATENCY_MS"
    failure_setting = "NATIONAL_DEV_FAILURE_RATE"
    timeout_setting = "NATIONAL_TIMEOUT_SECONDS"

    def status_send(self, *, key: str, payload: dict[str, Any]) -> None:
        from .models import TwinReceipt

        code = str(payload.get("dossier_code") or "")
        status = str(payload.get("status") or "")
        event_at = parse_datetime(str(payload.get("event_at") or ""))
        sequence = payload.get("sequence")
        if not code or not status or event_at is None or not isinstance(sequence, int):
            raise AgencyRefused(
                "dữ liệu trạng thái thiếu mã hồ sơ, trạng thái hoặc thời điểm"
            )

        def create() -> TwinReceipt:
            later = TwinReceipt.objects.filter(dossier_code=code, sequence__gt=sequence)
            return TwinReceipt.objects.create(
                idempotency_key=key,
                request=payload,
                dossier_code=code,
                status=status,
                action=str(payload.get("action") or ""),
                event_at=event_at,
                sequence=sequence,
                out_of_order=later.exists(),
            )

        self._write("status", TwinReceipt, key, create)

    def store_list(self, *, personal_id: str) -> list[StorePaper]:
        from .models import TwinStorePaper

        def read() -> list[StorePaper]:
            rows = TwinStorePaper.objects.filter(personal_id=personal_id).defer(
                "content"
            )
            return [_paper(row) for row in rows]

        return self._read("store_list", read)

    def _read(self, operation: str, work: Callable[[], T]) -> T:
        """A read over the simulated network, failing as AgencyFault rows of
        system "national" script it."""
        from agencies.models import AgencyFault

        fault = fault_take(self.system, operation)
        mode = fault.mode if fault is not None else ""
        if mode == AgencyFault.Mode.REFUSE:
            raise AgencyRefused(fault.reason)
        return self.network.call(
            work,
            fail="error" if mode == AgencyFault.Mode.ERROR else "",
            timeout_after=mode == AgencyFault.Mode.TIMEOUT_AFTER,
        )

    def store_fetch(self, *, personal_id: str, reference: str) -> StoreFile:
        from .models import TwinStorePaper

        def read() -> StoreFile:
            row = TwinStorePaper.objects.filter(
                personal_id=personal_id, reference=reference
            ).first()
            if row is None:
                raise AgencyRefused("không có giấy tờ này trong kho của công dân")
            return StoreFile(
                paper=_paper(row),
                content_type=row.content_type,
                content=bytes(row.content),
            )

        return self._read("store_fetch", read)

    def store_push(
        self,
        *,
        key: str,
        personal_id: str,
        title: str,
        doc_type: str,
        content_type: str,
        content: bytes,
        number: str = "",
        issued_by: str = "",
        issued_on: datetime.date | None = None,
    ) -> str:
        from .models import TwinStorePaper, TwinStoreSource

        if not personal_id or not content:
            raise AgencyRefused("giấy tờ thiếu số định danh hoặc nội dung")

        def create() -> TwinStorePaper:
            digest = hashlib.sha256(key.encode()).hexdigest()[:20]
            return TwinStorePaper.objects.create(
                idempotency_key=key,
                request={"personal_id": personal_id, "title": title},
                personal_id=personal_id,
                reference=f"KQ-{digest}",
                title=title[:200],
                doc_type=doc_type,
                number=number[:60],
                issued_by=issued_by[:200],
                issued_on=issued_on,
                content_type=content_type,
                content=content,
                source=TwinStoreSource.RESULT,
            )

        return self._write("store_push", TwinStorePaper, key, create).reference


def national_portal() -> NationalPortal | None:
    """The configured national portal, or None when the portal is not connected."""
    path = settings.NATIONAL_PORTAL_BACKEND
    if not path:
        return None
    adapter = import_string(path)()
    if not isinstance(adapter, NationalPortal):
        raise TypeError(f"{path} is not a NationalPortal")
    return adapter
