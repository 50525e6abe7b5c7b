"""The kinds of step, by key, and which member procedure each does. A member
procedure with no kind here is "manual" (`call` None): an officer of the agency
does it in the portal (its part waits in the unit's queue) and the chain resumes
on their result (`chains.services.run`)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import DocumentType

from . import births, deaths
from .base import Kind

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "birth",
            "Giấy khai sinh (bản điện tử)",
            DocumentType.BIRTH_CERTIFICATE,
            births.birth,
            numbered=births.birth_numbered,
        ),
        Kind(
            "residence",
            "Thông báo kết quả đăng ký thường trú",
            DocumentType.RESIDENCE,
            births.residence,
            needs_officer=births.lives_elsewhere,
            area_code=births.residence_area,
            needs=("birth",),
            verifies=True,
        ),
        Kind(
            "health_card",
            "Thẻ bảo hiểm y tế (bản điện tử)",
            DocumentType.HEALTH_INSURANCE,
            births.health_card,
            needs=("birth",),
        ),
        Kind(
            "death",
            "Trích lục khai tử (bản điện tử)",
            DocumentType.DEATH_CERTIFICATE,
            deaths.death,
            numbered=deaths.death_numbered,
        ),
        Kind(
            "deregistration",
            "Thông báo xóa đăng ký thường trú",
            DocumentType.RESIDENCE,
            deaths.deregistration,
            needs=("death",),
        ),
        Kind(
            "funeral_si",
            "Quyết định trợ cấp mai táng",
            DocumentType.OTHER,
            deaths.funeral_si,
            needs=("death",),
        ),
        Kind(
            "funeral_sa",
            "Quyết định hỗ trợ chi phí mai táng",
            DocumentType.OTHER,
            deaths.funeral_sa,
            needs=("death",),
        ),
        Kind(
            "survivor",
            "Quyết định hưởng chế độ tử tuất",
            DocumentType.OTHER,
            deaths.survivor,
            needs=("death",),
        ),
        Kind("manual", "", DocumentType.OTHER, None, needs_officer=lambda data: True),
    )
}

# Member procedures (national code, or key while the code is being updated) and
# the kind of step that does them; anything else is "manual".
PROCEDURE_KINDS = {
    "1.001193": "birth",
    "1.004222": "residence",
    "1.014137": "health_card",
    "1.000656": "death",
    "1.003197": "deregistration",
    "tro-cap-mai-tang-bhxh": "funeral_si",
    "ho-tro-chi-phi-mai-tang": "funeral_sa",
    "2.000821": "survivor",
}


def kind_for(procedure: Any) -> Kind:
    """The kind of step that does a member procedure."""
    key = PROCEDURE_KINDS.get(procedure.code) or PROCEDURE_KINDS.get(procedure.key)
    return KINDS[key or "manual"]


# Labels of the results' fields on the citizen's page, in the order shown.
RESULT_LABELS = {
    "personal_id": _("Số định danh cá nhân"),
    "birth_certificate_number": _("Số giấy khai sinh"),
    "birth_certificate_book": _("Quyển số"),
    "confirmation_number": _("Số thông báo đăng ký thường trú"),
    "address": _("Nơi thường trú"),
    "card_code": _("Mã thẻ bảo hiểm y tế"),
    "social_insurance_number": _("Mã số bảo hiểm xã hội"),
    "facility": _("Nơi khám chữa bệnh ban đầu"),
    "death_extract_number": _("Số trích lục khai tử"),
    "death_extract_book": _("Quyển số"),
    "notice_number": _("Số thông báo xóa đăng ký thường trú"),
    "decision_number": _("Số quyết định"),
    "payer": _("Cơ quan chi trả"),
    "title": _("Kết quả"),
    "number": _("Số, ký hiệu"),
}
