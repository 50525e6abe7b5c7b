"""The population registry (Cơ sở dữ liệu quốc gia về dân cư): the interface the
portal calls, and its development implementation.

The portal only ever calls `PopulationRegistry` methods on the object that
`agencies.adapters.population_registry()` returns; which class that is comes from
the POPULATION_REGISTRY_BACKEND setting. Every method either answers or raises
`RegistryUnavailable` (timeout, transient error): callers must let the citizen go
on without it (type the data in, try again later), never lose what was typed.

Later methods (docs/agencies.md): `issue_personal_id` for a newborn and
`confirm_death`, both with an idempotency key, so a retried chain step never
issues two numbers or records a death twice.
"""

import abc
import datetime
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

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


class RegistryUnavailable(Exception):
    """The registry did not answer in time or answered with a transient error.

    The message is safe to show; the data asked for is not known either way.
    """

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason or "population registry unavailable")
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
