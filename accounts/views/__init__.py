"""Account views, split by concept; everything is importable from here."""

from .auth import (
    PasswordResetView,
    lockout_response,
    login_otp,
    login_view,
    oidc_callback,
    oidc_login,
    signup,
)
from .citizen import (
    account_home,
    household_member_create,
    household_member_edit,
    household_member_remove,
    profile_edit,
    stored_document_create,
    stored_document_detail,
    stored_document_download,
    stored_document_list,
    stored_document_remove,
)
from .dev import sms_outbox
from .staff import citizen_detail, citizen_lookup

__all__ = [
    "PasswordResetView",
    "account_home",
    "citizen_detail",
    "citizen_lookup",
    "household_member_create",
    "household_member_edit",
    "household_member_remove",
    "lockout_response",
    "login_otp",
    "login_view",
    "oidc_callback",
    "oidc_login",
    "profile_edit",
    "signup",
    "sms_outbox",
    "stored_document_create",
    "stored_document_detail",
    "stored_document_download",
    "stored_document_list",
    "stored_document_remove",
]
