"""Writes of the linked chains, one function per use case (a package by concept):

- start.py: `chain_start` (a linked dossier is submitted), `step_start`
- run.py: `chain_step_run` (a worker's task: claim, call, store, next step)
- events.py: officers deciding on a step's dossier, the citizen supplementing,
  correcting and resubmitting (`chain_resubmit`), cancelling, staff retrying a
  failed step (`chain_step_retry`)
- reconcile.py: `chain_reconcile`, the periodic resumption from the database
- common.py: the step's state table (`MOVES`) and its one conditional `move`
"""

from .common import MOVES, ChainError, move, step_key, step_limit
from .events import (
    chain_cancel,
    chain_resubmit,
    chain_resume_after_supplement,
    chain_step_retry,
    condition_fields,
    step_citizen_supplied,
    step_officer_asks,
    step_officer_decided,
    step_officer_refused,
)
from .reconcile import chain_reconcile
from .run import SYSTEM_USERNAME, backoff, chain_step_run, system_user
from .start import LINKED_IDENTITY_LEVEL, chain_start, resolve_unit, step_start

__all__ = [
    "LINKED_IDENTITY_LEVEL",
    "MOVES",
    "SYSTEM_USERNAME",
    "ChainError",
    "backoff",
    "chain_cancel",
    "chain_reconcile",
    "chain_resubmit",
    "chain_resume_after_supplement",
    "chain_start",
    "chain_step_retry",
    "chain_step_run",
    "condition_fields",
    "move",
    "resolve_unit",
    "step_citizen_supplied",
    "step_key",
    "step_limit",
    "step_officer_asks",
    "step_officer_decided",
    "step_officer_refused",
    "step_start",
    "system_user",
]
