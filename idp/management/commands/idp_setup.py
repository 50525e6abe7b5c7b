from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.addresses import absolute_url
from idp.demo import DEMO_IDENTITIES, DEMO_IDENTITY_PASSWORD, demo_identities_seed
from idp.services import client_register, signing_key_ensure

CALLBACK_PATH = "/accounts/oidc/callback/"
# Loopback redirect URIs match on any port (RFC 8252 §7.3, django-oauth-toolkit).
LOOPBACK_REDIRECT_URIS = [
    f"http://127.0.0.1{CALLBACK_PATH}",
    f"http://localhost{CALLBACK_PATH}",
]


class Command(BaseCommand):
    help = (
        "Set up the bundled identity provider: signing key, the portal's client "
        "registration and (demo only) demo identities. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.IDP_ENABLED:
            self.stdout.write("IDP_ENABLED is off: nothing to set up.")
            return
        if not settings.IDP_RSA_PRIVATE_KEY and signing_key_ensure(
            path=settings.IDP_KEY_FILE
        ):
            self.stdout.write(f"New development signing key: {settings.IDP_KEY_FILE}")
        # The portal's redirect URI at its public address, when one is set.
        public = [absolute_url(CALLBACK_PATH)] if settings.PORTAL_URL else []
        client_register(
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            redirect_uris=[
                *LOOPBACK_REDIRECT_URIS,
                *public,
                *settings.IDP_REDIRECT_URIS,
            ],
            name=str(settings.PORTAL_NAME),
        )
        self.stdout.write(
            self.style.SUCCESS(f"OIDC client registered: {settings.OIDC_CLIENT_ID}")
        )
        if settings.DEMO_MODE:
            demo_identities_seed()
            self.stdout.write(
                self.style.SUCCESS("Demo identities (định danh mẫu, /idp/login/):")
            )
            for fields in DEMO_IDENTITIES:
                self.stdout.write(
                    f"  {fields['personal_id']}  {fields['full_name']:<16} "
                    f"level {fields['level']:d}"
                )
            self.stdout.write(f"  password / mật khẩu: {DEMO_IDENTITY_PASSWORD}")
