"""Writes of the linked chains, one function per use case (a package by concept):

- start.py: `chain_start` (a linked dossier is submitted), `step_start`
- run.py: `chain_step_run`, the orchestrator of a step in a worker (claim, call,
  lock, record, deliver, history, advance), in order
- deliver.py: what a done step hands on (its result, the next step, the end)
- halt.py: a step halted for the citizen (refused, or papers asked)
- events.py: officers deciding on a step's dossier, the citizen supplementing,
  correcting and resubmitting (`chain_resubmit`), cancelling, staff retrying a
  failed step (`chain_step_retry`)
- reconcile.py: `chain_reconcile`, the periodic resumption from the database
- common.py: the step's state table (`MOVES`) and its one conditional `move`,
  locks, sending a step's task after commit, the step's idempotency key
- history.py: the linked dossier's timeline lines and the citizen's notifications
- limits.py: a step's time limit, the group's dated rule (`group_rule_on`)
- handoffs.py: Decree 63/2024 art. 7(4), each hand-over synchronised and
  acknowledged in time (`handoffs_check`, `handoff_retry`, `working_hours_after`)
"""

from .common import MOVES, ChainError, move, step_key
from .deliver import SYSTEM_USERNAME, system_user
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
from .handoffs import handoff_retry, handoffs_check, working_hours_after
from .limits import group_rule_on, step_limit
from .reconcile import chain_reconcile
from .run import backoff, chain_step_run
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
    "group_rule_on",
    "handoff_retry",
    "handoffs_check",
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
    "working_hours_after",
]
