"""Dossier pages, split by who uses them (re-exported so URLs need one import).

- shared.py: what citizens and officers both open (detail, files, slips)
- public.py: tracking and result verification, without login
- citizen.py: submission wizard, my dossiers, supplement, withdraw, rating
- officer.py: the one-stop shop's queue and actions
- counter.py: filing for a citizen who is present (officers, digital team)
"""

from .public import result_verify, track
from .shared import attachment_download, dossier_detail, mask_name, slip_pdf

__all__ = [
    "attachment_download",
    "dossier_detail",
    "mask_name",
    "result_verify",
    "slip_pdf",
    "track",
]

# --- Officer pages ------------------------------------------------------------
from .counter import (
    counter_citizen_create,
    counter_confirm,
    counter_form,
    counter_procedure,
    counter_reset,
    counter_start,
)
from .officer import (
    calendar_due,
    dossier_act,
    dossier_assign,
    dossier_bulk_receive,
    dossier_queue,
    dossier_work,
)

__all__ += [
    "calendar_due",
    "counter_citizen_create",
    "counter_confirm",
    "counter_form",
    "counter_procedure",
    "counter_reset",
    "counter_start",
    "dossier_act",
    "dossier_assign",
    "dossier_bulk_receive",
    "dossier_queue",
    "dossier_work",
]
