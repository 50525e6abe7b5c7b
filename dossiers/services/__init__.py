"""Writes to dossiers: one function per user action, all through one transition.

Every action runs in a transaction, locks the dossier row, checks the state table
(`lifecycle.TRANSITIONS`) and who may act, asks the guards registered in `hooks`,
changes the dossier, appends one event row (with its `origin`) and tells the
listeners (which schedule notifications and tasks on commit). An action that
others follow (payments, chains) ends with `hooks.follow_ons(...)`, visibly:
what moves next is called there, never from a listener.

A package by concern, re-exported here so callers import `dossiers.services`:

- errors.py: the refusals (`DossierError` and its kinds)
- core.py: codes, deadlines, fees and the one transition (`transition_apply`,
  used by the modules of this package only)
- submission.py: who may file what where (`submission_check`), idempotency,
  `dossier_submit`, `dossier_file_for_citizen`
- routing.py: the place, the competent agency and the area of a filing
  (`filing_place_check`, `dossier_route`; issue 17)
- officer.py: receive, supplement requests, forward, refuse, stop,
  apologise, assign; the access log
- appraisal.py: appraise (with a draft result), submit for signature, sign
  (one or several), send back, issue the signed-off result (issue 18)
- results.py: issue (uploaded or generated) and return the result
- citizen.py: the applicant's supplement, withdrawal, rating, data correction
- attachments.py: files on dossiers and drafts
- drafts.py: the submission wizard's drafts
- payment.py: waiting for the fee and its confirmation (payments app)
- linked.py: linked dossiers' parts and system moves (chains app)
"""

from .appraisal import (
    SignOutcome,
    certified_copy_title,
    dossier_appraise,
    dossier_certify_copy,
    dossier_issue_signed_result,
    dossier_send_back,
    dossier_sign,
    dossier_submit_for_signature,
    dossiers_sign,
    result_title_suggested,
)
from .attachments import (
    attachment_add,
    attachment_add_to_dossier,
    attachment_from_stored_document,
    document_key_check,
)
from .citizen import (
    RATING_INDICATORS,
    dossier_data_correct,
    dossier_rate,
    dossier_supplement,
    dossier_withdraw,
)
from .core import (
    deadline_for,
    dossier_code_allocate,
    dossier_no_appointment_day,
    dossier_rules,
    dossier_rules_day,
    writing_help_day,
)
from .drafts import (
    DRAFT_CONSENT_KEY,
    DRAFT_STORE_CONSENT_KEY,
    draft_attach_stored_document,
    draft_attachment_remove,
    draft_create,
    draft_delete,
    draft_paper_store_consent,
    draft_registry_consent,
    draft_set_paper_store_consent,
    draft_set_registry_consent,
    draft_update,
    draft_values,
)
from .errors import (
    ActionNotAllowed,
    DossierError,
    IdempotencyKeyReused,
    IdentityLevelTooLow,
    IllegalTransition,
    InvalidDossierData,
    StorageFull,
    UnitNotReceiving,
)
from .linked import (
    dossier_attachments_share,
    dossier_event_add,
    dossier_part_open,
    dossier_record_agency_result,
    dossier_system_process,
    dossier_system_receive,
    dossier_system_reschedule,
)
from .officer import (
    dossier_apologize,
    dossier_assign,
    dossier_forward,
    dossier_receive,
    dossier_record_view,
    dossier_refuse,
    dossier_request_supplement,
    dossier_stop,
    stop_request_check,
)
from .payment import dossier_confirm_payment, dossier_request_payment
from .results import (
    dossier_issue_generated_result,
    dossier_issue_result,
    dossier_return_result,
)
from .routing import dossier_route, filing_place_check
from .submission import (
    LINKED_IDENTITY_LEVEL,
    applicant_check,
    dossier_file_for_citizen,
    dossier_for_idempotency_key,
    dossier_submit,
    draft_fingerprint,
    filing_place_ok,
    request_fingerprint,
    submission_check,
    unit_receives,
)

__all__ = [
    "DRAFT_CONSENT_KEY",
    "DRAFT_STORE_CONSENT_KEY",
    "LINKED_IDENTITY_LEVEL",
    "RATING_INDICATORS",
    "ActionNotAllowed",
    "DossierError",
    "IdempotencyKeyReused",
    "IdentityLevelTooLow",
    "IllegalTransition",
    "InvalidDossierData",
    "SignOutcome",
    "StorageFull",
    "UnitNotReceiving",
    "applicant_check",
    "attachment_add",
    "attachment_add_to_dossier",
    "attachment_from_stored_document",
    "certified_copy_title",
    "deadline_for",
    "document_key_check",
    "dossier_apologize",
    "dossier_appraise",
    "dossier_assign",
    "dossier_attachments_share",
    "dossier_certify_copy",
    "dossier_code_allocate",
    "dossier_confirm_payment",
    "dossier_data_correct",
    "dossier_event_add",
    "dossier_file_for_citizen",
    "dossier_for_idempotency_key",
    "dossier_forward",
    "dossier_issue_generated_result",
    "dossier_issue_result",
    "dossier_issue_signed_result",
    "dossier_no_appointment_day",
    "dossier_part_open",
    "dossier_rate",
    "dossier_receive",
    "dossier_record_agency_result",
    "dossier_record_view",
    "dossier_refuse",
    "dossier_request_payment",
    "dossier_request_supplement",
    "dossier_return_result",
    "dossier_route",
    "dossier_rules",
    "dossier_rules_day",
    "dossier_send_back",
    "dossier_sign",
    "dossier_stop",
    "dossier_submit",
    "dossier_submit_for_signature",
    "dossier_supplement",
    "dossier_system_process",
    "dossier_system_receive",
    "dossier_system_reschedule",
    "dossier_withdraw",
    "dossiers_sign",
    "draft_attach_stored_document",
    "draft_attachment_remove",
    "draft_create",
    "draft_delete",
    "draft_fingerprint",
    "draft_paper_store_consent",
    "draft_registry_consent",
    "draft_set_paper_store_consent",
    "draft_set_registry_consent",
    "draft_update",
    "draft_values",
    "filing_place_check",
    "filing_place_ok",
    "request_fingerprint",
    "result_title_suggested",
    "stop_request_check",
    "submission_check",
    "unit_receives",
    "writing_help_day",
]
