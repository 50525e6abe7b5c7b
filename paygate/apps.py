from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaygateConfig(AppConfig):
    """A sandbox national payment platform for development and demos: its own
    payment page, signed server-to-server callbacks (late, and now and then
    lost) and a status query. It imports nothing of the portal's apps: the
    portal talks to it over HTTP like to the real platform. Off unless
    PAYGATE_ENABLED (docs/payments.md)."""

    name = "paygate"
    verbose_name = _("Cổng thanh toán thử nghiệm")
