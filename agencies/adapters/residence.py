"""The residence system (Hệ thống thông tin quản lý cư trú) of the police:
registering a permanent residence (1.004222) and removing one (1.003197)."""

import abc

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import Acknowledging, AgencyRefused
from .development import DevelopmentSystem
from .records import ResidenceAnswer, ResidenceRequest


class ResidenceSystem(Acknowledging, abc.ABC):
    @abc.abstractmethod
    def register_permanent(
        self, *, request: ResidenceRequest, idempotency_key: str
    ) -> ResidenceAnswer:
        """Register the person's permanent residence; the answer is the number of
        the notice of the result. Raises AgencyUnavailable or AgencyRefused."""

    @abc.abstractmethod
    def deregister(
        self, *, request: ResidenceRequest, idempotency_key: str
    ) -> ResidenceAnswer:
        """Remove the person's permanent residence (e.g. after a death)."""


class DevelopmentResidenceSystem(DevelopmentSystem, ResidenceSystem):
    """Keeps its registrations in `ResidenceEntry`."""

    system = "residence"
    acknowledges = True

    def _record(
        self, kind: str, request: ResidenceRequest, key: str, prefix: str
    ) -> ResidenceAnswer:
        from ..models import ResidenceEntry

        if len(request.personal_id or "") != 12 or not request.personal_id.isdigit():
            raise AgencyRefused(
                str(_("Thiếu số định danh cá nhân (12 chữ số) của người đăng ký."))
            )

        def create() -> ResidenceEntry:
            today = timezone.localdate()
            return ResidenceEntry.objects.create(
                idempotency_key=key,
                request={
                    "personal_id": request.personal_id,
                    "admin_unit_code": request.admin_unit_code,
                    "based_on": request.based_on,
                },
                kind=kind,
                number=f"{prefix}-{today:%y%m%d}-{self._digits(6)}",
                personal_id=request.personal_id,
                full_name=request.full_name,
                address=request.address,
                admin_unit_code=request.admin_unit_code,
                recorded_on=today,
            )

        entry = self._write(kind, ResidenceEntry, key, create)
        return ResidenceAnswer(
            number=entry.number, recorded_on=entry.recorded_on, address=entry.address
        )

    def register_permanent(
        self, *, request: ResidenceRequest, idempotency_key: str
    ) -> ResidenceAnswer:
        return self._record("register", request, idempotency_key, "TT")

    def deregister(
        self, *, request: ResidenceRequest, idempotency_key: str
    ) -> ResidenceAnswer:
        return self._record("deregister", request, idempotency_key, "XTT")
