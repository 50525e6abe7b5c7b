"""The one-stop shop's pages: the queue of the officer's unit, the officer's page
of one dossier with a small form per available action, claim and assignment,
bulk receipt and the appointment calculator. Counter filing is in counter.py.

Every page is behind `staff_required` and reads dossiers through the access
selectors; every write is one service call.

- common.py: who handles dossiers, who may assign, timeliness in colour and words
- queue.py: the queue, bulk receipt, claim and assignment
- work.py: the officer's page of one dossier and its actions
- calculator.py: the appointment calculator
"""

from .book import tracking_book_export
from .calculator import calendar_due
from .common import BULK_LIMIT, DUE_SOON_LABEL, QUEUE_PAGE_SIZE, TIMELINESS, Timing
from .queue import (
    QueueRow,
    dossier_assign,
    dossier_bulk_receive,
    dossier_bulk_sign,
    dossier_queue,
)
from .work import (
    ACTION_FORMS,
    ACTION_SLIPS,
    DONE_MESSAGES,
    PERFORM,
    SLIP_EVENTS,
    SLIP_LABELS,
    dossier_act,
    dossier_stop_at_counter,
    dossier_work,
    result_draft_download,
)

__all__ = [
    "ACTION_FORMS",
    "ACTION_SLIPS",
    "BULK_LIMIT",
    "DONE_MESSAGES",
    "DUE_SOON_LABEL",
    "PERFORM",
    "QUEUE_PAGE_SIZE",
    "SLIP_EVENTS",
    "SLIP_LABELS",
    "TIMELINESS",
    "QueueRow",
    "Timing",
    "calendar_due",
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
