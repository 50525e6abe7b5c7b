"""The population registry (Cơ sở dữ liệu quốc gia về dân cư): the interface the
portal calls, and its development implementation.

The portal only ever calls `PopulationRegistry` methods on the object that
`agencies.adapters.population_registry()` returns; which class that is comes from
the POPULATION_REGISTRY_BACKEND setting. Every method either answers or raises
`RegistryUnavailable` (timeout, transient error): callers must let the citizen go
on without it (type the data in, try again later), never lose what was typed.

The linked chains write to it too (docs/agencies.md): `issue_personal_id` for a
newborn and `confirm_death`, both with an idempotency key, so a retried chain step
never issues two numbers or records a death twice.
"""

import abc
import datetime
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import AgencyRefused, AgencyUnavailable, SimulatedNetwork
from .development import scripted_write
from .records import BirthRecord, DeathConfirmation

PERSONAL_ID_RE = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class PersonRecord:
    """What the registry holds about one person (Luật Căn cước 2023, art. 9),
    reduced to what the portal's forms use."""

    personal_id: str
    full_name: str
    date_of_birth: datetime.date | None
    sex: str  # "male" / "female" / "" when unknown
    ethnicity: str = ""
    nationality: str = ""
    place_of_birth: str = ""  # nơi đăng ký khai sinh
    place_of_origin: str = ""  # quê quán
    permanent_address: str = ""  # nơi thường trú
    current_address: str = ""  # nơi ở hiện tại
    date_of_death: datetime.date | None = None

    @property
    def residence(self) -> str:
        """Where the person lives: the current address, else the permanent one."""
        return self.current_address or self.permanent_address


class RegistryUnavailable(AgencyUnavailable):
    """The registry did not answer in time or answered with a transient error.

    The message is safe to show; the data asked for is not known either way.
    """

    def __init__(self, reason: str = "") -> None:
        Exception.__init__(self, reason or "population registry unavailable")
        self.reason = reason
        self.message = str(
            _(
                "Cơ sở dữ liệu quốc gia về dân cư đang không trả lời. Bạn hãy tự nhập "
                "thông tin, hoặc thử lại sau ít phút."
            )
        )


class PopulationRegistry(abc.ABC):
    """The calls the portal makes to the population registry."""

    @abc.abstractmethod
    def lookup(self, personal_id: str) -> PersonRecord | None:
        """The person with this personal ID number, or None when there is none.

        Raises RegistryUnavailable when the registry does not answer.
        """

    def issue_personal_id(self, *, birth: BirthRecord, idempotency_key: str) -> str:
        """The newborn's personal ID number, given when the commune registers the
        birth (procedure 1.001193). The same key returns the same number.

        Raises RegistryUnavailable (ask again with the same key) or AgencyRefused.
        """
        raise NotImplementedError(f"{type(self).__name__} cannot issue numbers")

    def confirm_death(
        self, *, personal_id: str, date_of_death: datetime.date, idempotency_key: str
    ) -> DeathConfirmation:
        """Record the death of the person with this number (procedure 1.000656).

        Raises RegistryUnavailable, or AgencyRefused when nobody has the number.
        """
        raise NotImplementedError(f"{type(self).__name__} cannot record deaths")


class DevelopmentPopulationRegistry(PopulationRegistry):
    """Answers from the `RegistryRecord` table, like the real one would: after a
    delay, and now and then not at all.

    POPULATION_REGISTRY_DEV_LATENCY_MS is the usual delay (each call takes 50-150 %
    of it); POPULATION_REGISTRY_DEV_FAILURE_RATE the share of calls that fail, half
    of them as a transient error and half as a timeout after
    POPULATION_REGISTRY_TIMEOUT_SECONDS. A delay beyond the timeout is a timeout.
    Settings are read when the object is made, never at import.
    """

    def __init__(
        self,
        *,
        latency_ms: int | None = None,
        failure_rate: float | None = None,
        timeout_seconds: float | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.latency = (
            settings.POPULATION_REGISTRY_DEV_LATENCY_MS
            if latency_ms is None
            else latency_ms
        ) / 1000
        self.failure_rate = (
            settings.POPULATION_REGISTRY_DEV_FAILURE_RATE
            if failure_rate is None
            else failure_rate
        )
        self.timeout = (
            settings.POPULATION_REGISTRY_TIMEOUT_SECONDS
            if timeout_seconds is None
            else timeout_seconds
        )
        # Not for security: it only decides which simulated calls fail.
        self.rng = rng or random.Random()  # noqa: S311
        self.sleep = sleep

    def _network(self) -> None:
        """Spend the time of a network call, or fail like one."""
        if self.failure_rate > 0 and self.rng.random() < self.failure_rate:
            if self.rng.random() < 0.5:
                self.sleep(self.timeout)
                raise RegistryUnavailable("timeout")
            self.sleep(self.latency / 2)
            raise RegistryUnavailable("transient error (HTTP 503)")
        delay = self.latency * self.rng.uniform(0.5, 1.5) if self.latency else 0.0
        if delay > self.timeout:
            self.sleep(self.timeout)
            raise RegistryUnavailable("timeout")
        if delay:
            self.sleep(delay)

    def lookup(self, personal_id: str) -> PersonRecord | None:
        from ..models import RegistryRecord

        self._network()
        number = (personal_id or "").strip()
        if not PERSONAL_ID_RE.match(number):
            return None
        row = RegistryRecord.objects.filter(personal_id=number).first()
        if row is None:
            return None
        return PersonRecord(
            personal_id=row.personal_id,
            full_name=row.full_name,
            date_of_birth=row.date_of_birth,
            sex=row.sex,
            ethnicity=row.ethnicity,
            nationality=row.nationality,
            place_of_birth=row.place_of_birth,
            place_of_origin=row.place_of_origin,
            permanent_address=row.permanent_address,
            current_address=row.current_address,
            date_of_death=row.date_of_death,
        )

    # --- Writes of the linked chains ------------------------------------------------

    def _write_network(self) -> SimulatedNetwork:
        return SimulatedNetwork(
            latency_ms=self.latency * 1000,
            failure_rate=self.failure_rate,
            timeout_seconds=self.timeout,
            rng=self.rng,
            sleep=self.sleep,
        )

    def _write(self, operation: str, model: Any, key: str, create: Any) -> Any:
        try:
            return scripted_write(
                "population", self._write_network(), operation, model, key, create
            )
        except RegistryUnavailable:
            raise
        except AgencyUnavailable as exc:
            raise RegistryUnavailable(exc.reason) from exc

    def issue_personal_id(self, *, birth: BirthRecord, idempotency_key: str) -> str:
        from ..models import IssuedPersonalId, RegistryRecord

        def create() -> IssuedPersonalId:
            if not re.fullmatch(r"\d{3}", birth.province_code or ""):
                raise AgencyRefused(
                    str(_("Mã tỉnh nơi đăng ký khai sinh không hợp lệ."))
                )
            if birth.date_of_birth > timezone.localdate():
                raise AgencyRefused(str(_("Ngày sinh của trẻ ở trong tương lai.")))
            century = (birth.date_of_birth.year - 1900) // 100
            digit = century * 2 + (1 if birth.sex == "female" else 0)
            number = (
                f"{birth.province_code}{digit}{birth.date_of_birth:%y}"
                f"{self.rng.randrange(10**6):06d}"
            )
            # The newborn is in the registry from now on (lookups find them).
            RegistryRecord.objects.create(
                personal_id=number,
                full_name=birth.full_name,
                date_of_birth=birth.date_of_birth,
                sex=birth.sex,
                ethnicity=birth.ethnicity,
                nationality=birth.nationality,
                place_of_birth=birth.office,
                place_of_origin=birth.hometown,
                current_address=birth.mother.address,
            )
            return IssuedPersonalId.objects.create(
                idempotency_key=idempotency_key,
                request={"full_name": birth.full_name, "office": birth.office},
                personal_id=number,
            )

        issued = self._write(
            "issue_personal_id", IssuedPersonalId, idempotency_key, create
        )
        return str(issued.personal_id)

    def confirm_death(
        self, *, personal_id: str, date_of_death: datetime.date, idempotency_key: str
    ) -> DeathConfirmation:
        from ..models import RecordedDeath, RegistryRecord

        def create() -> RecordedDeath:
            person = RegistryRecord.objects.filter(personal_id=personal_id).first()
            if person is None:
                raise AgencyRefused(
                    str(
                        _(
                            "Không có công dân mang số định danh %(number)s "
                            "trong Cơ sở dữ liệu quốc gia về dân cư."
                        )
                        % {"number": personal_id}
                    )
                )
            if date_of_death < person.date_of_birth:
                raise AgencyRefused(str(_("Ngày mất trước ngày sinh.")))
            RegistryRecord.objects.filter(pk=person.pk).update(
                date_of_death=date_of_death
            )
            return RecordedDeath.objects.create(
                idempotency_key=idempotency_key,
                request={"personal_id": personal_id},
                personal_id=personal_id,
                date_of_death=date_of_death,
            )

        recorded = self._write("confirm_death", RecordedDeath, idempotency_key, create)
        return DeathConfirmation(
            personal_id=recorded.personal_id, date_of_death=recorded.date_of_death
        )
