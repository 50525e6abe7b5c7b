"""The published figures: each `Metric` with its label and, for people, what it
counts and the day a dossier counts on (the methods page renders them), and
`figures`, which turns summed counts into the figures and rates."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.models import Channel

# The day a figure counts a dossier on (shown with each definition).
RECEIPT_DAY = _("ngày tiếp nhận hồ sơ")
COMPLETION_DAY = _("ngày giải quyết xong")
PERIOD_END = _("cuối ngày cuối kỳ (hôm nay nếu kỳ chưa hết)")
LATEST_FIGURE = _("số liệu mới nhất đến ngày cuối kỳ")


@dataclass(frozen=True)
class Metric:
    name: str
    label: Promise
    kind: str  # "count" or "rate"
    # For a rate: the counts it divides.
    numerator: str = ""
    denominator: str = ""
    # What is counted, for people (the methods page, the dashboard's notes),
    # and the day a dossier counts on; a rate takes its counts' day.
    definition: Promise | str = ""
    counted_on: Promise | str = ""


METRICS: tuple[Metric, ...] = (
    Metric(
        "received_total",
        _("Hồ sơ tiếp nhận"),
        "count",
        definition=_(
            "Hồ sơ đã được tiếp nhận. Hồ sơ bị từ chối ngay khi nộp hoặc rút "
            "trước khi tiếp nhận chưa từng được tiếp nhận nên không tính."
        ),
        counted_on=RECEIPT_DAY,
    ),
    Metric(
        "received_online",
        _("Tiếp nhận trực tuyến"),
        "count",
        definition=_("Hồ sơ tiếp nhận được nộp trực tuyến."),
        counted_on=RECEIPT_DAY,
    ),
    Metric(
        "online_rate",
        _("Tỷ lệ tiếp nhận trực tuyến"),
        "rate",
        "received_online",
        "received_total",
        definition=_("Tiếp nhận trực tuyến chia cho hồ sơ tiếp nhận."),
    ),
    Metric(
        "completed_total",
        _("Hồ sơ đã giải quyết"),
        "count",
        definition=_(
            "Hồ sơ đã tiếp nhận và đã kết thúc xử lý: có kết quả, đã trả kết "
            "quả, bị từ chối giải quyết hoặc dừng xử lý."
        ),
        counted_on=COMPLETION_DAY,
    ),
    Metric(
        "completed_early",
        _("Giải quyết trước hạn"),
        "count",
        definition=_("Hồ sơ đã giải quyết xong trước ngày hẹn trả kết quả."),
        counted_on=COMPLETION_DAY,
    ),
    Metric(
        "completed_on_time",
        _("Giải quyết đúng hạn"),
        "count",
        definition=_("Hồ sơ đã giải quyết xong đúng ngày hẹn trả kết quả."),
        counted_on=COMPLETION_DAY,
    ),
    Metric(
        "completed_late",
        _("Giải quyết quá hạn"),
        "count",
        definition=_("Hồ sơ đã giải quyết xong sau ngày hẹn trả kết quả."),
        counted_on=COMPLETION_DAY,
    ),
    Metric(
        "open_total",
        _("Đang giải quyết (cuối kỳ)"),
        "count",
        definition=_(
            "Hồ sơ đã tiếp nhận, chưa giải quyết xong và chưa rút. Ngày hẹn "
            "đã dời (thư xin lỗi, tính lại thời hạn) dời cả số liệu của các kỳ "
            "trước."
        ),
        counted_on=PERIOD_END,
    ),
    Metric(
        "open_overdue",
        _("Đang giải quyết, đã quá hạn (cuối kỳ)"),
        "count",
        definition=_(
            "Hồ sơ đang giải quyết đã qua ngày hẹn trả kết quả. Hồ sơ chờ bổ "
            "sung không tính quá hạn từ ngày được yêu cầu bổ sung."
        ),
        counted_on=PERIOD_END,
    ),
    Metric(
        "results_in_scope",
        _("Kết quả thuộc diện số hóa"),
        "count",
        definition=_(
            "Hồ sơ đã có kết quả hoặc đã trả kết quả, mà kết quả của thủ tục "
            "là một giấy tờ."
        ),
        counted_on=COMPLETION_DAY,
    ),
    Metric(
        "results_digitized",
        _("Kết quả đã số hóa"),
        "count",
        definition=_("Trong số đó, hồ sơ có tệp kết quả điện tử đính kèm."),
        counted_on=COMPLETION_DAY,
    ),
    Metric(
        "digitized_rate",
        _("Tỷ lệ số hóa kết quả"),
        "rate",
        "results_digitized",
        "results_in_scope",
        definition=_("Kết quả đã số hóa chia cho kết quả thuộc diện số hóa."),
    ),
    Metric(
        "fee_dossiers",
        _("Hồ sơ có phí, lệ phí"),
        "count",
        definition=_(
            "Hồ sơ tiếp nhận phải nộp phí, lệ phí trên 0 đồng. Hồ sơ miễn phí, "
            "được miễn hoặc chưa rõ mức phí không tính."
        ),
        counted_on=RECEIPT_DAY,
    ),
    Metric(
        "paid_online",
        _("Thanh toán trực tuyến"),
        "count",
        definition=_(
            "Hồ sơ có phí, lệ phí đã nộp tiền qua cổng thanh toán trực tuyến "
            "(nộp tiền mặt không tính). Hồ sơ được tính vào ngày tiếp nhận, dù "
            "tiền nộp trước hay sau ngày đó: số của một kỳ đã qua tăng khi hồ "
            "sơ của kỳ ấy được nộp tiền muộn."
        ),
        counted_on=RECEIPT_DAY,
    ),
    Metric(
        "online_payment_rate",
        _("Tỷ lệ thanh toán trực tuyến"),
        "rate",
        "paid_online",
        "fee_dossiers",
        definition=_(
            "Thanh toán trực tuyến chia cho hồ sơ có phí, lệ phí: cả hai đếm "
            "cùng những hồ sơ tiếp nhận trong kỳ."
        ),
    ),
    Metric(
        "assisted_total",
        _("Nộp hộ tại Bộ phận Một cửa"),
        "count",
        definition=_(
            "Hồ sơ tiếp nhận do cán bộ hoặc Tổ công nghệ số cộng đồng nộp giúp "
            "công dân."
        ),
        counted_on=RECEIPT_DAY,
    ),
    Metric(
        "ratings_total",
        _("Lượt đánh giá"),
        "count",
        definition=_("Hồ sơ đã có kết quả hoặc đã trả kết quả và được đánh giá."),
        counted_on=COMPLETION_DAY,
    ),
    Metric(
        "satisfied_rate",
        _("Tỷ lệ hài lòng, rất hài lòng"),
        "rate",
        "satisfied_total",
        "ratings_total",
        definition=_(
            "Lượt đánh giá hài lòng hoặc rất hài lòng chia cho lượt đánh giá."
        ),
    ),
    Metric(
        "eid_activated",
        _("Tài khoản định danh điện tử đã kích hoạt"),
        "count",
        definition=_(
            "Số liệu của công an nhập vào Cổng: số của chính đơn vị nếu có, "
            "nếu không thì tổng số của các đơn vị trực thuộc."
        ),
        counted_on=LATEST_FIGURE,
    ),
    Metric(
        "eid_population",
        _("Dân số cần cấp định danh điện tử"),
        "count",
        definition=_("Cùng nguồn và cùng ngày với số tài khoản đã kích hoạt."),
        counted_on=LATEST_FIGURE,
    ),
    Metric(
        "eid_rate",
        _("Tỷ lệ kích hoạt định danh điện tử"),
        "rate",
        "eid_activated",
        "eid_population",
        definition=_(
            "Tài khoản đã kích hoạt chia cho dân số cần cấp định danh điện tử."
        ),
    ),
)
METRIC_BY_NAME = {m.name: m for m in METRICS}
# The API fields, in the contract's order.
SUMMARY_FIELDS = tuple(m.name for m in METRICS)

# Summed bucket columns, as `Totals` keys.
TOTAL_KEYS = (
    "received",
    "received_online",
    "received_counter",
    "received_post",
    "assisted",
    "fee",
    "paid_online",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "results_in_scope",
    "results_digitized",
    "ratings",
    "satisfied",
    "open",
    "overdue",
)
CHANNEL_TOTAL = {
    Channel.ONLINE: "received_online",
    Channel.COUNTER: "received_counter",
    Channel.POST: "received_post",
}


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """A fraction; None when the denominator is 0 or unknown."""
    if not denominator or numerator is None:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Eid:
    activated: int
    population: int


def figures(totals: Mapping[str, int], eid: Eid | None = None) -> dict[str, Any]:
    """The published figures from summed counts (and the e-ID figure, if any).

    Besides the API fields, the result carries the page's extra breakdowns
    (received by counter and post, satisfied count, open on track).
    """
    t = {key: int(totals.get(key) or 0) for key in TOTAL_KEYS}
    completed = t["completed_early"] + t["completed_on_time"] + t["completed_late"]
    out: dict[str, Any] = {
        "received_total": t["received"],
        "received_online": t["received_online"],
        "completed_total": completed,
        "completed_early": t["completed_early"],
        "completed_on_time": t["completed_on_time"],
        "completed_late": t["completed_late"],
        "open_total": t["open"],
        "open_overdue": t["overdue"],
        "results_in_scope": t["results_in_scope"],
        "results_digitized": t["results_digitized"],
        "fee_dossiers": t["fee"],
        "paid_online": t["paid_online"],
        "assisted_total": t["assisted"],
        "ratings_total": t["ratings"],
        "satisfied_total": t["satisfied"],
        "eid_activated": eid.activated if eid else None,
        "eid_population": eid.population if eid else None,
        "received_counter": t["received_counter"],
        "received_post": t["received_post"],
        "open_on_track": t["open"] - t["overdue"],
    }
    for metric in METRICS:
        if metric.kind == "rate":
            out[metric.name] = rate(out[metric.numerator], out[metric.denominator])
    return out


def summary_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Only the API's fields, in order."""
    return {name: values[name] for name in SUMMARY_FIELDS}
