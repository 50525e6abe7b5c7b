"""Which register a procedure's result goes to, read from the catalogue: the
procedure's national code (or its key while the code is being updated), then its
field (lĩnh vực), then the permits-and-other register."""

from typing import Any

from .models import RegisterKind

# Procedures with a register of their own (national codes:
# /work/shared/reference/services-53.md, commune-procedures.md).
BY_CODE = {
    "1.001193": RegisterKind.BIRTH,  # Đăng ký khai sinh
    "1.000656": RegisterKind.DEATH,  # Đăng ký khai tử
    "1.000894": RegisterKind.MARRIAGE,  # Đăng ký kết hôn
    "2.000815": RegisterKind.CERT_COPY,  # Chứng thực bản sao từ bản chính
    "2.000884": RegisterKind.CERT_SIGNATURE,  # Chứng thực chữ ký
    "2.001035": RegisterKind.CERT_CONTRACT,  # Chứng thực hợp đồng, giao dịch
    "2.000913": RegisterKind.CERT_CONTRACT,  # ... sửa đổi, bổ sung, hủy bỏ
    "2.000927": RegisterKind.CERT_CONTRACT,  # Sửa lỗi sai sót trong HĐ, GD
}
BY_KEY = {
    "dang-ky-khai-sinh": RegisterKind.BIRTH,
    "dang-ky-khai-tu": RegisterKind.DEATH,
    "dang-ky-ket-hon": RegisterKind.MARRIAGE,
}
CIVIL_STATUS_FIELD = "ho-tich"
CERTIFICATION_FIELD = "chung-thuc"


def register_kind_for(procedure: Any) -> str:
    """The kind of register the results of `procedure` are numbered in."""
    kind = BY_CODE.get(procedure.code or "") or BY_KEY.get(procedure.key or "")
    if kind:
        return kind
    field = procedure.field.code
    if field == CIVIL_STATUS_FIELD:
        return RegisterKind.CIVIL_STATUS
    if field == CERTIFICATION_FIELD:
        # A certification procedure the table does not name: by what it certifies.
        name = (procedure.name or "").lower()
        if "chữ ký" in name or "điểm chỉ" in name:
            return RegisterKind.CERT_SIGNATURE
        if "hợp đồng" in name or "giao dịch" in name:
            return RegisterKind.CERT_CONTRACT
        return RegisterKind.CERT_COPY
    return RegisterKind.PERMIT
