"""Writes of the agencies app: loading the development registry's demo records."""

import datetime
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import RegistryRecord

DEMO_RECORDS = Path(__file__).resolve().parent / "data" / "population_demo.json"


@transaction.atomic
def registry_demo_load(*, path: Path = DEMO_RECORDS) -> int:
    """Create or update the development registry's records from `path`; returns
    how many there are. Running it twice changes nothing."""
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))[
        "records"
    ]
    for record in records:
        fields = dict(record)
        personal_id = fields.pop("personal_id")
        fields["date_of_birth"] = datetime.date.fromisoformat(fields["date_of_birth"])
        if fields.get("date_of_death"):
            fields["date_of_death"] = datetime.date.fromisoformat(
                fields["date_of_death"]
            )
        row = RegistryRecord(personal_id=personal_id, **fields)
        row.full_clean(validate_unique=False)
        RegistryRecord.objects.update_or_create(
            personal_id=personal_id, defaults=fields
        )
    return len(records)


def agency_fault_add(
    *,
    system: str,
    mode: str,
    times: int | None = None,
    operation: str = "",
    reason: str = "",
    delay_minutes: int | None = None,
) -> Any:
    """Script a failure of a development system: `mode` "error" (transient, nothing
    done), "timeout_after" (done, but the answer is lost) or "refuse" (with
    `reason`), for the next `times` calls, or every call until cleared; or how it
    acknowledges what it receives: "ack_late" (`delay_minutes` after receipt) or
    "ack_never"."""
    from .models import AgencyFault

    fault = AgencyFault(
        system=system,
        operation=operation,
        mode=mode,
        remaining=times,
        reason=reason,
        delay_minutes=delay_minutes,
    )
    fault.full_clean()
    fault.save()
    return fault


def agency_faults_clear(*, system: str = "") -> int:
    """The development systems (or one of them) are healthy again."""
    from .models import AgencyFault

    rows = AgencyFault.objects.all()
    if system:
        rows = rows.filter(system=system)
    return rows.delete()[0]
