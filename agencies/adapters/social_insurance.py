"""Social insurance (Bảo hiểm xã hội): the health-insurance card of a child under 6
(1.014137), the funeral allowance and the survivor benefit (2.000821).

Card code (identifiers.md, QĐ 1351/QĐ-BHXH): 15 characters, the beneficiary code
"TE" (children under 6, a weak source), benefit level 1, the 2-digit province code
of issue and the 10-digit social-insurance number. Whether a child's
social-insurance number is derived from the personal ID number is UNVERIFIED: the
development system draws it at random and never derives it.
"""

import abc
import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import Acknowledging, AgencyRefused
from .development import DevelopmentSystem
from .records import BenefitAnswer, BenefitRequest, ChildCard, ChildCardRequest

CHILD_CARD_PREFIX = "TE1"
# Statuses of the deceased for which social insurance pays (vss.gov.vn).
SOCIAL_INSURANCE_PAYS = ("pension", "si_contributor")


def under_six(date_of_birth: datetime.date, on: datetime.date) -> bool:
    """Whether a child born on `date_of_birth` is under 6 on `on`."""
    try:
        sixth = date_of_birth.replace(year=date_of_birth.year + 6)
    except ValueError:  # born on 29 February
        sixth = datetime.date(date_of_birth.year + 6, 3, 1)
    return on < sixth


class SocialInsurance(Acknowledging, abc.ABC):
    @abc.abstractmethod
    def issue_child_card(
        self, *, request: ChildCardRequest, idempotency_key: str
    ) -> ChildCard:
        """Issue the health-insurance card of a child under 6."""

    @abc.abstractmethod
    def decide_funeral_allowance(
        self, *, request: BenefitRequest, idempotency_key: str
    ) -> BenefitAnswer:
        """Decide the funeral allowance (trợ cấp mai táng)."""

    @abc.abstractmethod
    def decide_survivor_benefit(
        self, *, request: BenefitRequest, idempotency_key: str
    ) -> BenefitAnswer:
        """Decide the survivor benefit (trợ cấp tuất), one-time or monthly."""


class DevelopmentSocialInsurance(DevelopmentSystem, SocialInsurance):
    """Keeps its cards in `InsuranceCard` and its decisions in `BenefitDecision`."""

    system = "social_insurance"
    acknowledges = True

    def issue_child_card(
        self, *, request: ChildCardRequest, idempotency_key: str
    ) -> ChildCard:
        from ..models import InsuranceCard

        today = timezone.localdate()
        if not under_six(request.date_of_birth, today):
            raise AgencyRefused(
                str(_("Trẻ đã đủ 6 tuổi: không cấp thẻ theo diện trẻ em dưới 6 tuổi."))
            )
        if len(request.province_code) != 2 or not request.province_code.isdigit():
            raise AgencyRefused(str(_("Mã tỉnh nơi cấp thẻ không hợp lệ.")))
        if not request.personal_id:
            raise AgencyRefused(str(_("Thiếu số định danh cá nhân của trẻ.")))

        def create() -> InsuranceCard:
            number = self._digits(10)
            return InsuranceCard.objects.create(
                idempotency_key=idempotency_key,
                request={
                    "personal_id": request.personal_id,
                    "birth_certificate": request.birth_certificate,
                },
                card_code=f"{CHILD_CARD_PREFIX}{request.province_code}{number}",
                social_insurance_number=number,
                personal_id=request.personal_id,
                full_name=request.full_name,
                date_of_birth=request.date_of_birth,
                province_code=request.province_code,
                facility=request.facility,
                valid_from=today,
            )

        card = self._write("issue_child_card", InsuranceCard, idempotency_key, create)
        return ChildCard(
            card_code=card.card_code,
            social_insurance_number=card.social_insurance_number,
            valid_from=card.valid_from,
            facility=card.facility,
        )

    def _decide(
        self, operation: str, kind: str, request: BenefitRequest, key: str
    ) -> BenefitAnswer:
        from ..models import BenefitDecision

        if request.deceased_status not in SOCIAL_INSURANCE_PAYS:
            raise AgencyRefused(
                str(
                    _(
                        "Người mất không đang hưởng lương hưu, trợ cấp hằng tháng hoặc "
                        "tham gia bảo hiểm xã hội: Bảo hiểm xã hội không chi trả."
                    )
                )
            )

        def create() -> BenefitDecision:
            today = timezone.localdate()
            return BenefitDecision.objects.create(
                idempotency_key=key,
                request={
                    "death_extract": request.death_extract,
                    "option": request.option,
                },
                system=self.system,
                kind=kind,
                number=f"{self._digits(6)}/QĐ-BHXH",
                deceased_personal_id=request.deceased_personal_id,
                deceased_name=request.deceased_name,
                decided_on=today,
            )

        decision = self._write(operation, BenefitDecision, key, create)
        return BenefitAnswer(
            number=decision.number,
            decided_on=decision.decided_on,
            payer=str(_("Bảo hiểm xã hội")),
        )

    def decide_funeral_allowance(
        self, *, request: BenefitRequest, idempotency_key: str
    ) -> BenefitAnswer:
        return self._decide(
            "decide_funeral_allowance", "funeral_allowance", request, idempotency_key
        )

    def decide_survivor_benefit(
        self, *, request: BenefitRequest, idempotency_key: str
    ) -> BenefitAnswer:
        return self._decide(
            "decide_survivor_benefit", "survivor", request, idempotency_key
        )
