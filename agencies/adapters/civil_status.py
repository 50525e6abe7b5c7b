"""The civil-status registry (Phần mềm đăng ký, quản lý hộ tịch điện tử dùng chung
of the Ministry of Justice): birth certificates and death extracts.

The linked chains call `register_birth` once the population registry has given the
child's personal ID number (the certificate carries it), and `register_death` for
the death extract (trích lục khai tử). Numbers are per registering office and
book; the development registry keeps one book per office and year.
"""

import abc

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import Acknowledging, AgencyRefused
from .development import DevelopmentSystem
from .records import BirthRecord, CivilStatusAnswer, DeathRecord


class CivilStatusRegistry(Acknowledging, abc.ABC):
    @abc.abstractmethod
    def register_birth(
        self, *, birth: BirthRecord, personal_id: str, idempotency_key: str
    ) -> CivilStatusAnswer:
        """Enter the birth; the answer is the electronic birth certificate's number
        and book. Raises AgencyUnavailable or AgencyRefused."""

    @abc.abstractmethod
    def register_death(
        self, *, death: DeathRecord, idempotency_key: str
    ) -> CivilStatusAnswer:
        """Enter the death; the answer is the death extract's number and book."""


class DevelopmentCivilStatusRegistry(DevelopmentSystem, CivilStatusRegistry):
    """Keeps its register in `CivilStatusEntry`."""

    system = "civil_status"
    acknowledges = True

    def _entry(
        self,
        *,
        kind: str,
        key: str,
        office: str,
        request: dict[str, str],
        **fields: str,
    ) -> CivilStatusAnswer:
        from ..models import CivilStatusEntry

        def create() -> CivilStatusEntry:
            today = timezone.localdate()
            book = f"{today:%Y}"
            last = (
                CivilStatusEntry.objects.filter(kind=kind, office=office, book=book)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            return CivilStatusEntry.objects.create(
                idempotency_key=key,
                request=request,
                kind=kind,
                number=(last or 0) + 1,
                book=book,
                office=office,
                registered_on=today,
                **fields,
            )

        entry = self._write(f"register_{kind}", CivilStatusEntry, key, create)
        return CivilStatusAnswer(
            number=entry.number,
            book=entry.book,
            office=entry.office,
            registered_on=entry.registered_on,
        )

    def register_birth(
        self, *, birth: BirthRecord, personal_id: str, idempotency_key: str
    ) -> CivilStatusAnswer:
        if not personal_id:
            raise AgencyRefused(
                str(_("Chưa có số định danh cá nhân của trẻ từ CSDL dân cư."))
            )
        return self._entry(
            kind="birth",
            key=idempotency_key,
            office=birth.office,
            request={"full_name": birth.full_name, "personal_id": personal_id},
            personal_id=personal_id,
            full_name=birth.full_name,
        )

    def register_death(
        self, *, death: DeathRecord, idempotency_key: str
    ) -> CivilStatusAnswer:
        if death.date_of_death > timezone.localdate():
            raise AgencyRefused(str(_("Ngày mất ở trong tương lai.")))
        return self._entry(
            kind="death",
            key=idempotency_key,
            office=death.office,
            request={"full_name": death.full_name, "personal_id": death.personal_id},
            personal_id=death.personal_id,
            full_name=death.full_name,
        )
