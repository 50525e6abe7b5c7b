"""The refusals of dossier services; `message` is for the user."""

from django.utils.translation import gettext as _

# --- Errors -------------------------------------------------------------------------


class DossierError(Exception):
    """A refused action; `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IllegalTransition(DossierError):
    """The action is not allowed from the dossier's status (HTTP 409)."""


class ActionNotAllowed(DossierError):
    """The user may see the dossier but not do this (HTTP 403)."""


class InvalidDossierData(DossierError):
    """Submitted data failed validation; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(_("Hồ sơ chưa hợp lệ, hãy sửa các mục được đánh dấu."))
        self.errors = errors


class IdentityLevelTooLow(ActionNotAllowed):
    """The procedure needs a higher electronic-identity level (HTTP 403)."""


class UnitNotReceiving(DossierError):
    """The chosen place does not receive dossiers of the procedure (HTTP 400)."""


class IdempotencyKeyReused(DossierError):
    """An idempotency key came back with another request (HTTP 422)."""


class StorageFull(DossierError):
    """The server's disk had no room for a file: nothing was saved, try later."""


def storage_full(name: str) -> StorageFull:
    return StorageFull(
        _(
            "Máy chủ tạm thời hết chỗ lưu tệp nên chưa nhận được tệp “%(name)s”. "
            "Hồ sơ không bị thay đổi; bạn hãy thử lại sau ít phút."
        )
        % {"name": name}
    )
