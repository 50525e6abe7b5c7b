from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from units.models import OrgUnit

from ...adapters import (
    DevelopmentAuthority,
    DevelopmentSigningService,
    Pkcs12Signers,
    SigningUnavailable,
    remote_service,
)


class Command(BaseCommand):
    help = (
        "Signing keys of the agencies: with SIGNATURE_BACKEND=development, the "
        "development certificate authority and one certificate per agency under "
        "SIGNATURE_DIR (idempotent); with the development signing service, its keys; "
        "with pkcs12, which agencies have no usable certificate yet."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        units = list(OrgUnit.objects.filter(is_active=True).order_by("agency_code"))
        backend = settings.SIGNATURE_BACKEND
        if backend == "development":
            authority = DevelopmentAuthority(settings.SIGNATURE_DIR)
            made = not authority.exists()
            authority.root()
            for unit in units:
                authority.for_unit(code=unit.agency_code, name=unit.name)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{'New' if made else 'Existing'} development certificate "
                    f"authority in {authority.directory}; {len(units)} agencies "
                    "have a development certificate (no legal value)."
                )
            )
        elif backend == "remote":
            service = remote_service()
            if isinstance(service, DevelopmentSigningService):
                for unit in units:
                    service.enrol(key_id=unit.agency_code, name=unit.name)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"The development signing service holds {len(units)} "
                        "agencies' keys (no legal value)."
                    )
                )
            else:
                self.stdout.write("A signing service holds the keys: nothing to do.")
        else:
            signers = Pkcs12Signers(settings.SIGNATURE_PKCS12_DIR)
            missing = []
            for unit in units:
                try:
                    signers.signer_for(unit)
                except SigningUnavailable as exc:
                    missing.append(str(exc))
            for line in missing:
                self.stdout.write(self.style.WARNING(line))
            self.stdout.write(
                f"{len(units) - len(missing)} of {len(units)} agencies can sign."
            )
