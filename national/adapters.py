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

from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string

from agencies.adapters import AgencyRefused, AgencyUnavailable
from agencies.adapters.development import DevelopmentSystem

__all__ = [
    "AgencyRefused",
    "AgencyUnavailable",
    "DevelopmentNationalPortal",
    "NationalPortal",
    "national_portal",
]


class NationalPortal:
    """What the portal asks of the national one."""

    def status_send(self, *, key: str, payload: dict[str, Any]) -> None:
        """Tell the national portal one event of a dossier (idempotent by `key`)."""
        raise NotImplementedError


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


def national_portal() -> NationalPortal | None:
    """The configured national portal, or None when the portal is not connected."""
    path = settings.NATIONAL_PORTAL_BACKEND
    if not path:
        return None
    adapter = import_string(path)()
    if not isinstance(adapter, NationalPortal):
        raise TypeError(f"{path} is not a NationalPortal")
    return adapter
