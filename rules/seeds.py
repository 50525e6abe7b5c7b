"""The rule sets `load_rules` seeds, from ../shared/reference/law-2025.md and
one-stop-rules.md; each rule's source and mark (VERIFIED, SECONDARY, NOT FOUND)
is theirs. A deployment corrects them in the admin; `load_rules` adds the sets
it does not find (by slug) and leaves the others as the admin left them."""

import datetime
from typing import Any


def _forms(*rows: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"key": key, "number": number, "name": name} for key, number, name in rows]


_RECEIPT = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
_SUPPLEMENT = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
_REFUSAL = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
_CONTROL = "Phiếu kiểm soát quá trình giải quyết hồ sơ"
_BOOK = "Sổ theo dõi hồ sơ"

# Circular 01/2018/TT-VPCP art. 9 (one-stop-rules.md §3: verified). It has no
# stop notice.
TT01_2018_FORMS = _forms(
    ("receipt", "01", _RECEIPT),
    ("supplement", "02", _SUPPLEMENT),
    ("refusal", "03", _REFUSAL),
    ("apology", "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    ("control", "05", _CONTROL),
    ("tracking_book", "06", _BOOK),
)

# Circular 03/2025/TT-VPCP Annex I (law-2025.md Q2: SECONDARY, two sources agree).
TT03_2025_FORMS = _forms(
    ("receipt", "01", _RECEIPT),
    ("supplement", "02", _SUPPLEMENT),
    ("refusal", "03", _REFUSAL),
    ("apology", "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    ("stop", "05", "Thông báo dừng giải quyết hồ sơ"),
    ("control", "06", _CONTROL),
    ("tracking_book", "07", _BOOK),
)

TT01 = "V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX"
TT04 = "MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX"

_ND61 = {
    "legal_basis": "Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định 107/2021/NĐ-CP; "
    "Thông tư 01/2018/TT-VPCP",
    "legal_basis_verified": True,
    "legal_basis_source": "one-stop-rules.md §1: dates verified (QĐ 06/QĐ-TTg "
    "preamble); NĐ 61 articles read as first enacted",
    "forms": TT01_2018_FORMS,
    "forms_verified": True,
    "forms_source": "TT 01/2018/TT-VPCP art. 9 (one-stop-rules.md §3: verified)",
    "supplement_mode": "restart",
    "supplement_mode_verified": True,
    "supplement_mode_source": "NĐ 61/2018 art. 19.4 as first enacted "
    "(one-stop-rules.md §1b: read)",
    "cutoff": datetime.time(15, 0),
    "cutoff_verified": False,
    "cutoff_source": "procedure texts' practice; NĐ 61 art. 18.2-18.3 uses 15:00 for "
    "forwarding only (one-stop-rules.md §2)",
    "apology_rule": "Chậm nhất 01 ngày trước hạn, cơ quan gửi văn bản xin lỗi và hẹn "
    "lại ngày trả; chỉ hẹn lại một lần.",
    "apology_verified": True,
    "apology_source": "NĐ 61/2018 art. 19.9 (one-stop-rules.md §2: verified)",
    "code_format": TT01,
    "code_system": "",
    "code_format_verified": True,
    "code_format_source": "NĐ 61/2018 art. 26; TT 01/2018 art. 19 "
    "(one-stop-rules.md §4: verified)",
}

_ND118 = {
    "legal_basis": "Nghị định 118/2025/NĐ-CP (thay thế Nghị định 61/2018/NĐ-CP và "
    "107/2021/NĐ-CP)",
    "legal_basis_verified": False,
    "legal_basis_source": "law-2025.md Q1: in force 01/7/2025 SECONDARY; replaces "
    "61/2018 SECONDARY (107/2021 not confirmed)",
    "supplement_mode": "restart",
    "supplement_mode_verified": False,
    "supplement_mode_source": "law-2025.md Q1: Decree 118's rule NOT FOUND; related "
    "2025 texts restart from zero (kept from before)",
    "cutoff": datetime.time(15, 0),
    "cutoff_verified": False,
    "cutoff_source": "law-2025.md Q1: NOT FOUND under Decree 118 (kept from before)",
    "apology_rule": "Chậm nhất 01 ngày trước hạn, gửi văn bản xin lỗi và đề nghị gia "
    "hạn; hẹn lại không quá một lần (như trước; chưa xác nhận theo Nghị định 118).",
    "apology_verified": False,
    "apology_source": "law-2025.md Q1: NOT FOUND under Decree 118; Lai Châu "
    "88/2025/QĐ-UBND repeats the old wording",
    "code_format": TT01,
    "code_system": "",
    "code_format_verified": False,
    "code_format_source": "law-2025.md Q2: TT 03/2025 art. 13(1) NOT FOUND; the 2018 "
    "structure kept",
}

RULE_SETS: list[dict[str, Any]] = [
    {
        "slug": "nd61-2018",
        "name": "Nghị định 61/2018/NĐ-CP (Thông tư 01/2018/TT-VPCP)",
        "valid_from": None,
        "valid_to": datetime.date(2025, 6, 30),
        **_ND61,
        "note": "Bộ quy tắc trước cải cách hai cấp chính quyền địa phương.",
    },
    {
        "slug": "nd118-2025-tt01-2018",
        "name": "Nghị định 118/2025/NĐ-CP (biểu mẫu Thông tư 01/2018/TT-VPCP)",
        "valid_from": datetime.date(2025, 7, 1),
        "valid_to": datetime.date(2025, 9, 14),
        **_ND118,
        "forms": TT01_2018_FORMS,
        "forms_verified": False,
        "forms_source": "law-2025.md Q2: TT 03/2025 from 15/9/2025 SECONDARY; that it "
        "replaces TT 01/2018 NOT FOUND (probable)",
        "note": "Từ 01/7/2025 đến khi Thông tư 03/2025/TT-VPCP có hiệu lực.",
    },
    {
        "slug": "nd118-2025-tt03-2025",
        "name": "Nghị định 118/2025/NĐ-CP (Thông tư 03/2025/TT-VPCP)",
        "valid_from": datetime.date(2025, 9, 15),
        "valid_to": datetime.date(2026, 1, 24),
        **_ND118,
        "forms": TT03_2025_FORMS,
        "forms_verified": False,
        "forms_source": "law-2025.md Q2: Annex I forms 01-07 SECONDARY; effective "
        "15/9/2025 SECONDARY",
        "note": "Ngày hiệu lực 15/9/2025 của Thông tư 03/2025 chưa kiểm chứng.",
    },
    {
        "slug": "nd118-2025-tt04-2025",
        "name": "Nghị định 118/2025/NĐ-CP (Thông tư 03/2025 và 04/2025/TT-VPCP)",
        "valid_from": datetime.date(2026, 1, 25),
        "valid_to": None,
        **_ND118,
        "legal_basis": "Nghị định 118/2025/NĐ-CP, sửa đổi bởi Nghị định "
        "367/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP, sửa đổi bởi Thông tư "
        "04/2025/TT-VPCP",
        "legal_basis_source": "law-2025.md Q1: Decree 118 SECONDARY; Decree 367/2025 "
        "exists VERIFIED, what it changes NOT FOUND; Q2: TT 04/2025 VERIFIED",
        "forms": TT03_2025_FORMS,
        "forms_verified": False,
        "forms_source": "law-2025.md Q2: Annex I forms 01-07 SECONDARY",
        "code_format": TT04,
        "code_system": "00",
        "code_format_verified": True,
        "code_format_source": "TT 04/2025/TT-VPCP art. 23(2) effective 25/01/2026, "
        "adds TT 03/2025 art. 13(3) (law-2025.md Q2: VERIFIED, quoted). For "
        "centrally provided services; AA (2 digits from the system owner's code) "
        "is a demo value",
        "note": "Mã hồ sơ theo Thông tư 04/2025 từ 25/01/2026; phần AA “00” là giá trị "
        "minh họa, triển khai thực tế sửa trong trang quản trị.",
    },
]
