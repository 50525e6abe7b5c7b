"""The 9 indicators a citizen scores after a result is returned.

Names: TT 01/2018/TT-VPCP art. 13, as the Thanh Hóa one-stop system words them
(one-stop-rules.md section 6, verified against the circular). The point scales of
indicators 1-3 are the reference's; for 4-9 the reference does not give the
circular's wording of each score, so the portal says plainly what 2, 1 and 0 mean
(good / acceptable / not good) instead of inventing official wording.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class Indicator:
    number: int
    name: StrPromise
    options: tuple[tuple[int, StrPromise], ...]  # (points, what it means), 2 first


_TIME_SCALE = (
    (2, _("Ngắn hơn thời gian quy định (2 điểm)")),
    (1, _("Bằng thời gian quy định (1 điểm)")),
    (0, _("Dài hơn thời gian quy định (0 điểm)")),
)
_GENERIC_SCALE = (
    (2, _("Tốt (2 điểm)")),
    (1, _("Bình thường (1 điểm)")),
    (0, _("Chưa tốt (0 điểm)")),
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        1,
        _("Tổng thời gian giải quyết thủ tục hành chính so với quy định của pháp luật"),
        _TIME_SCALE,
    ),
    Indicator(
        2,
        _(
            "Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết (kể cả "
            "đơn vị phối hợp)"
        ),
        _TIME_SCALE,
    ),
    Indicator(
        3,
        _(
            "Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ thủ tục "
            "hành chính (kể cả liên hệ theo hình thức trực tuyến)"
        ),
        (
            (2, _("Không phải liên hệ lần nào (2 điểm)")),
            (1, _("Liên hệ 1 lần (1 điểm)")),
            (0, _("Liên hệ nhiều hơn 1 lần (0 điểm)")),
        ),
    ),
    Indicator(
        4,
        _(
            "Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ thủ "
            "tục hành chính (kể cả liên hệ theo hình thức trực tuyến)"
        ),
        _GENERIC_SCALE,
    ),
    Indicator(
        5,
        _(
            "Thực hiện tổ chức tiếp nhận hồ sơ, giải quyết, trả kết quả tại Bộ phận "
            "Một cửa"
        ),
        _GENERIC_SCALE,
    ),
    Indicator(6, _("Công khai các thủ tục hành chính"), _GENERIC_SCALE),
    Indicator(
        7,
        _(
            "Thái độ của cán bộ, công chức, viên chức khi hướng dẫn lập hồ sơ, tiếp "
            "nhận hồ sơ và giải quyết thủ tục hành chính"
        ),
        _GENERIC_SCALE,
    ),
    Indicator(
        8,
        _(
            "Tiếp thu, giải trình đối với các ý kiến phản ánh, kiến nghị của tổ chức, "
            "cá nhân"
        ),
        _GENERIC_SCALE,
    ),
    Indicator(
        9,
        _(
            "Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến của cơ quan có "
            "thẩm quyền"
        ),
        _GENERIC_SCALE,
    ),
)
