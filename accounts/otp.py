"""django-otp's middleware, the signed-in staff's TOTP device read by a
statement compiled once.

Every staff request finds the device that verified its session
(`request.user.otp_device`); django-otp compiled that lookup each time. Here an
authenticator app's device (otp_totp, the only kind the portal enrols) is a
prepared read by id (portal.db.PreparedRead); any other persistent id goes
through django-otp's own lookup. The same device, the same checks after it
(bound to the user, confirmed), done by django-otp.
"""

from typing import Any

from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.db import PreparedRead

TOTP_DEVICE = PreparedRead(
    lambda pk: TOTPDevice.objects.filter(id=pk).order_by("id")[:1], pk=int
)
TOTP_LABEL = TOTPDevice._meta.label_lower  # otp_totp.totpdevice


class OTPMiddleware(DjangoOTPMiddleware):  # type: ignore[misc]
    def _device_from_persistent_id(self, persistent_id: str) -> Any:
        label, _slash, pk = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label != TOTP_LABEL:
            return super()._device_from_persistent_id(persistent_id)
        try:
            number = int(pk)
        except ValueError:
            return None
        return TOTP_DEVICE.first(pk=number)
