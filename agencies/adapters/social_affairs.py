"""Social affairs (Phòng Lao động - Thương binh và Xã hội; now the Home Affairs
office, UNVERIFIED): funeral-cost support when the deceased received social
assistance or was a person with meritorious services (vss.gov.vn)."""

import abc

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import Acknowledging, AgencyRefused
from .development import DevelopmentSystem
from .records import BenefitAnswer, BenefitRequest

SOCIAL_AFFAIRS_PAYS = ("social_assistance", "merit")


class SocialAffairs(Acknowledging, abc.ABC):
    @abc.abstractmethod
    def decide_funeral_support(
        self, *, request: BenefitRequest, idempotency_key: str
    ) -> BenefitAnswer:
        """Decide the support for funeral costs (hỗ trợ chi phí mai táng)."""


class DevelopmentSocialAffairs(DevelopmentSystem, SocialAffairs):
    """Keeps its decisions in `BenefitDecision` (system "social_affairs")."""

    system = "social_affairs"
    acknowledges = True

    def decide_funeral_support(
        self, *, request: BenefitRequest, idempotency_key: str
    ) -> BenefitAnswer:
        from ..models import BenefitDecision

        if request.deceased_status not in SOCIAL_AFFAIRS_PAYS:
            raise AgencyRefused(
                str(
                    _(
                        "Người mất không thuộc diện bảo trợ xã hội hoặc người có công: "
                        "cơ quan lao động - xã hội không chi trả."
                    )
                )
            )

        def create() -> BenefitDecision:
            today = timezone.localdate()
            return BenefitDecision.objects.create(
                idempotency_key=idempotency_key,
                request={"death_extract": request.death_extract},
                system=self.system,
                kind="funeral_support",
                number=f"{self._digits(6)}/QĐ-LĐTBXH",
                deceased_personal_id=request.deceased_personal_id,
                deceased_name=request.deceased_name,
                decided_on=today,
            )

        decision = self._write(
            "decide_funeral_support", BenefitDecision, idempotency_key, create
        )
        return BenefitAnswer(
            number=decision.number,
            decided_on=decision.decided_on,
            payer=str(_("Cơ quan lao động - thương binh và xã hội")),
        )
