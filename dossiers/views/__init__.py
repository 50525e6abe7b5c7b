"""Dossier pages, split by who uses them (re-exported so URLs need one import).

- shared.py: what citizens and officers both open (detail, files, slips, result)
- public.py: tracking and result verification, without login
- wizard.py: the citizen's submission wizard (start, pages, papers, review)
- citizen.py: my dossiers, the confirmation, supplement, withdraw, rating
- officer.py: the one-stop shop's queue and actions
- counter.py: filing for a citizen who is present (officers, digital team)
"""

from .citizen import (
    dossier_mine,
    dossier_rate,
    dossier_stop_request,
    dossier_submitted,
    dossier_supplement,
    dossier_withdraw,
)
from .public import result_verify, track
from .shared import (
    attachment_download,
    dossier_detail,
    mask_name,
    result_download,
    slip_pdf,
)
from .wizard import (
    dossier_create,
    draft_delete,
    draft_documents,
    draft_resume,
    draft_review,
    draft_section,
    draft_unit,
)

__all__ = [
    "attachment_download",
    "dossier_create",
    "dossier_detail",
    "dossier_mine",
    "dossier_rate",
    "dossier_stop_request",
    "dossier_submitted",
    "dossier_supplement",
    "dossier_withdraw",
    "draft_delete",
    "draft_documents",
    "draft_resume",
    "draft_review",
    "draft_section",
    "draft_unit",
    "mask_name",
    "result_download",
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
    dossier_bulk_sign,
    dossier_queue,
    dossier_stop_at_counter,
    dossier_work,
    result_draft_download,
    tracking_book_export,
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
    "dossier_bulk_sign",
    "dossier_queue",
    "dossier_stop_at_counter",
    "dossier_work",
    "result_draft_download",
    "tracking_book_export",
]
