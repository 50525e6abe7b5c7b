"""Claims of the bundled provider's ID tokens (names in docs/identity.md)."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Identity

PERSONAL_ID_CLAIM = "personal_id"
IDENTITY_LEVEL_CLAIM = "identity_level"


class IdpValidator(OAuth2Validator):  # type: ignore[misc]
    oidc_claim_scope = OAuth2Validator.oidc_claim_scope | {
        PERSONAL_ID_CLAIM: "profile",
        IDENTITY_LEVEL_CLAIM: "profile",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        identity = Identity.objects.get(subject=request.user)
        return {
            PERSONAL_ID_CLAIM: identity.personal_id,
            IDENTITY_LEVEL_CLAIM: identity.level,
            "name": identity.full_name,
            "birthdate": identity.date_of_birth.isoformat(),
            "gender": identity.sex,
            "phone_number": identity.phone,
            "email": identity.email,
        }
