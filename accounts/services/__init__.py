"""Writes to accounts and roles, the citizen's profile, household and document
store, the data-access log, API tokens and one-time codes (a package by concept;
import from `accounts.services`):

- users.py: roles and their permissions, `user_create`, `user_set_roles`
- citizens.py: sign-up, the link to the electronic identity, profile, household
- documents.py: the personal document store, the data-access log, API tokens
- counter.py: accounts made at the counter
- phone_codes.py: one-time codes by SMS (filing at the counter, feedback senders)
"""

from ..uploads import sniff_content_type as sniff_content_type
from .citizens import (
    IdentityClaims,
    IdentityLinkError,
    citizen_link_from_claims,
    citizen_sign_up,
    household_member_add,
    household_member_delete,
    household_member_update,
    profile_update,
)
from .counter import citizen_register_assisted
from .documents import (
    api_token_create,
    api_token_hash,
    data_access_record,
    stored_document_add,
    stored_document_delete,
)
from .phone_codes import (
    PHONE_CODE_CONFIRMATION_TTL,
    PHONE_CODE_DIGITS,
    PHONE_CODE_MAX_ATTEMPTS,
    PHONE_CODE_MAX_SENDS,
    PHONE_CODE_TTL,
    PhoneCodeError,
    phone_code_consume,
    phone_code_send,
    phone_code_verify,
)
from .users import (
    roles_sync,
    user_create,
    user_set_roles,
)

__all__ = [
    "PHONE_CODE_CONFIRMATION_TTL",
    "PHONE_CODE_DIGITS",
    "PHONE_CODE_MAX_ATTEMPTS",
    "PHONE_CODE_MAX_SENDS",
    "PHONE_CODE_TTL",
    "IdentityClaims",
    "IdentityLinkError",
    "PhoneCodeError",
    "api_token_create",
    "api_token_hash",
    "citizen_link_from_claims",
    "citizen_register_assisted",
    "citizen_sign_up",
    "data_access_record",
    "household_member_add",
    "household_member_delete",
    "household_member_update",
    "phone_code_consume",
    "phone_code_send",
    "phone_code_verify",
    "profile_update",
    "roles_sync",
    "sniff_content_type",
    "stored_document_add",
    "stored_document_delete",
    "user_create",
    "user_set_roles",
]
