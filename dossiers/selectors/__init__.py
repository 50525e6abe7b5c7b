"""Reads of dossiers. Every view and API route gets dossiers through these, so
nobody sees a dossier that is not theirs to see.

A package, re-exported here so callers import `dossiers.selectors`:

- access.py: who sees which dossier, one dossier, its events, tracking, results
- queue.py: the officer's queue, its filters, officers and units to hand over to
- data.py: a dossier's form data as labelled rows
- citizen.py: the citizen's own dossiers and drafts, where a procedure is filed
"""

from .access import (
    dossier_events,
    dossier_get_for_user,
    dossier_last_event,
    dossier_timeliness,
    dossier_track,
    dossiers_visible_to,
    result_get_by_token,
    result_is_valid,
    result_verification,
)
from .citizen import (
    MINE_ALL,
    MINE_QUERY_LENGTH,
    PART_OF,
    applicant_areas_on,
    dossier_parts_of,
    dossiers_mine,
    dossiers_of_applicant,
    draft_get_for_user,
    drafts_for,
    filing_places_for,
    receiving_units_for,
    receiving_units_for_applicant,
    unit_in_applicants_province,
    unit_serves_areas,
)
from .data import dossier_data_rows
from .queue import (
    APOLOGY,
    DUE_SOON,
    OVERDUE,
    PLACE_ANYWHERE,
    PLACE_COMPETENT,
    PLACE_RECEIVED,
    QUEUE_ALL,
    QUEUE_CLOSED,
    QUEUE_CLOSED_STATUSES,
    QUEUE_OPEN,
    QUEUE_OPEN_STATUSES,
    QueueChoices,
    dossier_queue_choices,
    dossier_queue_filter,
    dossiers_queue,
    forward_units,
    officers_of_active_units,
    officers_of_unit,
    queue_status_q,
)

__all__ = [
    "APOLOGY",
    "DUE_SOON",
    "MINE_ALL",
    "MINE_QUERY_LENGTH",
    "OVERDUE",
    "PART_OF",
    "PLACE_ANYWHERE",
    "PLACE_COMPETENT",
    "PLACE_RECEIVED",
    "QUEUE_ALL",
    "QUEUE_CLOSED",
    "QUEUE_CLOSED_STATUSES",
    "QUEUE_OPEN",
    "QUEUE_OPEN_STATUSES",
    "QueueChoices",
    "applicant_areas_on",
    "dossier_data_rows",
    "dossier_events",
    "dossier_get_for_user",
    "dossier_last_event",
    "dossier_parts_of",
    "dossier_queue_choices",
    "dossier_queue_filter",
    "dossier_timeliness",
    "dossier_track",
    "dossiers_mine",
    "dossiers_of_applicant",
    "dossiers_queue",
    "dossiers_visible_to",
    "draft_get_for_user",
    "drafts_for",
    "filing_places_for",
    "forward_units",
    "officers_of_active_units",
    "officers_of_unit",
    "queue_status_q",
    "receiving_units_for",
    "receiving_units_for_applicant",
    "result_get_by_token",
    "result_is_valid",
    "result_verification",
    "unit_in_applicants_province",
    "unit_serves_areas",
]
