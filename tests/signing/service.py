"""The signing service of a test run's real workers: the run's development
authority (SIGNATURE_DIR) behind the remote-signing interface, with any agency of
the test database as a key. Its `development` is False so that the workers,
which run with DEBUG off, start, as they start with the run's own secrets."""

from cryptography import x509

from signing.adapters import DevelopmentSigningService, SigningUnavailable
from signing.adapters.development import Credential
from units.models import OrgUnit


class RunSigningService(DevelopmentSigningService):
    development = False

    def __init__(self) -> None:
        super().__init__()
        # Agencies' names by code, read when the signer asks for the certificate:
        # the signature itself is asked for from pyHanko's event loop's thread,
        # where the database is not to be used.
        self.names: dict[str, str] = {}

    def _credential(self, key_id: str) -> Credential:
        if key_id not in self.names:
            raise SigningUnavailable(f"The signing service has no key {key_id}.")
        return self.authority.for_unit(code=key_id, name=self.names[key_id])

    def certificates(self, *, key_id: str) -> list[x509.Certificate]:
        unit = OrgUnit.objects.filter(agency_code=key_id).first()
        if unit is None:
            raise SigningUnavailable(f"The signing service has no key {key_id}.")
        self.names[key_id] = unit.name
        credential = self._credential(key_id)
        return [credential.certificate, *credential.chain]
